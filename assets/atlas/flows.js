/* The flows view's hook (app.js MODULE_VIEWS): the view itself, assets/atlas/flowsview.lazy.js,
 * is loaded on the view's first use only (Dash leaves *.lazy.js out of the page: the first page
 * load carries these few lines, no flows code and no flows data). */
(function () {
  "use strict";
  var A = window.Atlas = window.Atlas || {};
  var loading = false, latest = null;
  A.flows = {
    render: function (s, prev, api) {
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
