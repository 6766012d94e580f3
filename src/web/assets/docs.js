// Starts Swagger UI on /openapi.json. Requests from "Try it out" are same-origin: a signed-in
// browser's session cookie lets GETs through; writes need a token under "Authorize".
// Accessibility (WCAG 2.1 AA, checked with axe-core in tests/e2e/web.test.ts): no deep links,
// because Swagger UI puts the link inside the operation's button (nested interactive controls);
// the unlabelled servers select gets a name after every render; colours are in docs.css.
window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: false,
    persistAuthorization: false,
  });
  var root = document.getElementById('swagger-ui');
  function repair() {
    var servers = document.getElementById('servers');
    if (servers && !servers.hasAttribute('aria-label')) servers.setAttribute('aria-label', 'Server');
  }
  repair();
  new window.MutationObserver(repair).observe(root, { childList: true, subtree: true });
});
