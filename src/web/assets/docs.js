// Starts Swagger UI on /openapi.json. Requests from "Try it out" are same-origin: a signed-in
// browser's session cookie lets GETs through; writes need a token under "Authorize".
window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: false,
  });
});
