/* The flows view's hook (app.js MODULE_VIEWS): the view itself, assets/atlas/flowsview.lazy.js,
 * is loaded on the view's first use only (Dash leaves *.lazy.js out of the page: the first page
 * load carries these few lines, no flows code and no flows data). */
(function () {
  "use strict";
  var A = window.Atlas = window.Atlas || {};
  var loading = false, latest = null;
  // the view's boxes (ids in dashboard/ids.py), written when it first opens (not in the page's
  // first layout: Dash's first render costs per component); flowsview.lazy.js fills them
  var FLOWS_HTML =
    '<h2 id="flows-title" class="flows-title" aria-live="polite"></h2>' +
    '<div id="flows-controls" class="flows-controls" role="group" aria-label="State and direction"></div>' +
    '<div class="flows-figures"><div id="flows-chart" class="flows-chart" role="img" ' +
    'aria-label="Top partner countries (the table below lists the same values)"></div>' +
    '<div id="flows-map" class="flows-map" role="img" aria-label="Map of the partner countries"></div></div>' +
    '<div id="flows-note" class="flows-note"></div>' +
    // the chart's text alternative (a table is as wide as its content: the wrapper hides it)
    '<div class="visually-hidden"><table id="flows-table"></table></div>' +
    '<p id="flows-downloads" class="flows-downloads"><a id="flows-csv" href="/api/v1/flows?format=csv" ' +
    'class="download-link">Download the pairs shown (CSV)</a></p>';
  A.flows = {
    render: function (s, prev, api) {
      var box = document.getElementById("flows-box");
      if (box && !box.firstChild) { box.innerHTML = FLOWS_HTML; }
      if (A.flowsView) { A.flowsView.render(s, prev, api); return; }
      latest = api;
      if (loading) { return; }
      loading = true;
      var sc = document.createElement("script");
      sc.src = "/assets/atlas/flowsview.lazy.js";
      sc.onload = function () {
        var st = latest.state();
        if (st && st.view === "flows") { A.flowsView.render(st, null, latest); }
      };
      document.head.appendChild(sc);
    },
    plots: function () { return ["flows-chart", "flows-map"]; }
  };
})();
