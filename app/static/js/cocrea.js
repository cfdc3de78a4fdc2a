/* Cocrea: small progressive enhancements. Everything works without this file. */
(function () {
  "use strict";
  // After htmx swaps a fragment, keep keyboard and screen-reader users where they were:
  // focus the first element of the new content that asks for it (data-autofocus).
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target) { return; }
    var wanted = target.querySelector("[data-autofocus]") ||
      (target.hasAttribute && target.hasAttribute("data-autofocus") ? target : null);
    if (wanted) { wanted.focus(); }
  });
  // A refusal (4xx) that the server marked with HX-Reswap carries a fragment meant to be
  // shown in place (the support button with its message, the comment form with its error).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail && event.detail.xhr;
    if (xhr && xhr.status >= 400 && xhr.status < 500 && xhr.getResponseHeader("HX-Reswap")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // Error summaries get focus on page load, as the GOV.UK pattern does.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });
})();
