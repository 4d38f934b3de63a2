// Starts Swagger UI on the API's own spec (a file, not inline, so a strict CSP can allow it).
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  tryItOutEnabled: true,
});
