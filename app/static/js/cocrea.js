/* Cocrea: small progressive enhancements. Everything works without this file. */
(function () {
  "use strict";
  // After htmx swaps a fragment, keep keyboard and screen-reader users where they were:
  // focus the first element of the new content that asks for it (data-autofocus).
  // An outerHTML swap replaces the target (and the focused button in it): then look at the
  // new element with the same id, and if focus fell to <body>, put it on the new content's
  // status message, or its first control, so nobody is sent back to the top of the page.
  var CONTROL = "button, a[href], input:not([type=hidden]), select, textarea";
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target) { return; }
    var scope = target.isConnected ? target : (target.id && document.getElementById(target.id));
    if (!scope) { return; }
    var wanted = scope.querySelector("[data-autofocus]") ||
      (scope.hasAttribute("data-autofocus") ? scope : null);
    var active = document.activeElement;
    if (!wanted && (!active || active === document.body || !active.isConnected)) {
      wanted = scope.querySelector("[role=status], [role=alert]") ||
        scope.querySelector(CONTROL) || scope;
      if (!wanted.matches(CONTROL)) { wanted.setAttribute("tabindex", "-1"); }
    }
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
