/* Cocrea: the API reference (/api/docs) drawn by the pinned Swagger UI from the OpenAPI
   description. Without JavaScript the page still links the description and the guide. */
(function () {
  "use strict";
  var root = document.getElementById("api-reference");
  if (!root || typeof window.SwaggerUIBundle !== "function") { return; }
  root.textContent = "";
  window.SwaggerUIBundle({
    url: root.getAttribute("data-spec-url"),
    domNode: root,
    deepLinking: false,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    tryItOutEnabled: false,
    supportedSubmitMethods: ["get"],
    validatorUrl: null,
    syntaxHighlight: false,
  });
})();
