// Swagger UI on the gateway's merged document (same origin, so no CORS and no server list to
// pick). Operation ids are shown: they are the names client generators give the methods.
window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    displayOperationId: true,
    docExpansion: 'list',
    // Requests from "Try it out" go through the gateway with the page's cookies (cookie-mode
    // refresh); a bearer token is entered with "Authorize".
    withCredentials: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout'
  });
});
