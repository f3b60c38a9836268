/* First paint. The page arrives with a static copy of itself (dashboard/views/prerender.py) whose
 * map is a picture the server draws for the address (/map-poster.svg); the stylesheet hides the
 * copy as soon as Dash has rendered the live page (body:has(#app-root)), and app.js hides the
 * live page's copy of the picture once the interactive map is drawn. plotly.js is not a script of
 * the page: app.js loads it on the user's first move (the picture is the map until then). */
(function () {
  "use strict";
  var plotly = document.getElementById("plotly-src");
  if (plotly && !window.Plotly) {
    // dash-renderer sets this address to the full plotly.js bundle after its first render; the
    // panel's graphs need only the geo bundle, so the page's address is kept
    // (dashboard/web/compat.py; tests/browser/test_browser_compat.py fails if this stops working)
    var url = plotly.getAttribute("content");
    Object.defineProperty(window, "_dashPlotlyJSURL", {
      configurable: true, get: function () { return url; }, set: function () { /* kept */ }
    });
  }
})();
