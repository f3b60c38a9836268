/* The map: the only code that calls Plotly for it. compose() is pure (tested with node --test):
 * the base figure (boundaries, projection: sent once with the page) + a layer's payload (its
 * colours and every year's values: dashboard/core/figures.py layer_payload) + the view (year,
 * selected country, a story's highlighted states, presentation) → the figure of that view.
 * draw() plots it into the element; plotly.js itself is loaded on first use. */
(function (root, factory) {
  "use strict";
  var mod = factory();
  if (typeof module === "object" && module.exports) { module.exports = mod; } else {
    root.Atlas = root.Atlas || {};
    root.Atlas.map = mod;
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var BORDER = "#ffffff";

  function assign(a, b) { return Object.assign({}, a, b); }

  var outlineKey = null, outlines = null;
  // The selected country and a story's states: a double outline, dark under white (a style no
  // palette uses, visible to colour-blind readers), drawn as two traces of their own over the
  // states; the same objects while the selection stays, so plotly has less to compare.
  function outlineTraces(states, country, highlight) {
    var locs = highlight.filter(function (c) { return c !== country; });
    if (country) { locs.push(country); }
    var key = locs.join(",") + "|" + country;
    if (key !== outlineKey) {
      outlineKey = key;
      var widths = locs.map(function (c) { return c === country ? 1 : 0.8; });
      var common = { type: "choropleth", geojson: states.geojson, featureidkey: states.featureidkey,
                     locations: locs, z: locs.map(function () { return 0; }), showscale: false,
                     colorscale: [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], hoverinfo: "skip" };
      outlines = [
        Object.assign({}, common, { name: "outline-dark", marker: { line: { color: "#111111",
          width: widths.map(function (w) { return 5.5 * w; }) } } }),
        Object.assign({}, common, { name: "outline-light", marker: { line: { color: "#ffffff",
          width: widths.map(function (w) { return 2 * w; }) } } })
      ];
    }
    return outlines;
  }

  /** The figure of one view; null when the payload lacks the year. */
  function compose(base, payload, view) {
    var fr = payload && payload.frames && payload.frames.years[String(view.year)];
    if (!base || !fr) { return null; }
    var data = base.data.slice();
    var st = data[1];
    data[1] = assign(st, {
      z: fr.z, hovertext: fr.text, colorscale: payload.style.colorscale,
      zmin: payload.style.zmin, zmax: payload.style.zmax
    });
    data[2] = assign(data[2], { locations: fr.contested.locations, z: fr.contested.z, hovertext: fr.contested.text });
    var ol = outlineTraces(st, view.country, view.highlight || []);
    // in the base figure's own outline traces (dashboard/core/figures.py outline_traces)
    data.forEach(function (tr, i) {
      if (tr.name === "outline-dark") { data[i] = ol[0]; }
      if (tr.name === "outline-light") { data[i] = ol[1]; }
    });
    var last = data.length - 1;  // the labels: 12 px, larger in presentation mode (view.labelSize)
    if (data[last].name === "labels" && view.labelSize) {
      data[last] = assign(data[last], { textfont: assign(data[last].textfont, { size: view.labelSize }) });
    }
    var layout = assign(base.layout, { meta: { layer: payload.layer, year: view.year, region: view.region || "all" } });
    if (view.geo) { layout.geo = view.geo; }
    layout.annotations = (base.layout.annotations || []).map(function (a) {
      return a.name === "year" ? assign(a, { text: String(view.year), font: assign(a.font, { size: view.present ? 60 : 34 }) }) : a;
    });
    return { data: data, layout: layout };
  }

  var loading = null;
  /** Calls back once plotly.js is there (loaded on first use from the address the page names). */
  function withPlotly(cb) {
    if (typeof window === "undefined") { return; }
    if (window.Plotly) { cb(); return; }
    if (!loading) {
      loading = [];
      var link = document.getElementById("plotly-src");
      var s = document.createElement("script");
      s.src = (link && link.getAttribute("content")) || "/assets/vendor/plotly-geo.min.js";
      s.onload = function () { var l = loading; loading = null; l.forEach(function (f) { f(); }); };
      document.head.appendChild(s);
    }
    loading.push(cb);
  }

  /** Plot a figure into el; returns plotly's promise. */
  function draw(el, fig, config) {
    return window.Plotly.react(el, fig.data, fig.layout, config);
  }

  /** Hide every label that would overlap a larger state's label or leave the map (in the order
   *  of `priority`, largest state first); returns the iso3 of the labels shown. */
  function declutter(el, priority) {
    var nodes = Array.prototype.slice.call(el.querySelectorAll(".scatterlayer .scattergeo text"));
    var box = el.getBoundingClientRect();
    var items = nodes.map(function (n) {
      var d = (n.parentNode && n.parentNode.__data__) || {};  // plotly's point: customdata as `data`
      return { node: n, iso: typeof d.data === "string" ? d.data : null };
    });
    items.sort(function (a, b) { return priority.indexOf(a.iso) - priority.indexOf(b.iso); });
    var kept = [], shown = [];
    items.forEach(function (it) {
      it.node.style.visibility = "";
      var r = it.node.getBoundingClientRect();
      var inside = r.width > 0 && r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom;
      var clash = kept.some(function (k) {
        return r.left < k.right + 2 && k.left < r.right + 2 && r.top < k.bottom + 1 && k.top < r.bottom + 1;
      });
      if (!inside || clash) { it.node.style.visibility = "hidden"; } else { kept.push(r); shown.push(it.iso); }
    });
    return shown;
  }

  return { compose: compose, withPlotly: withPlotly, draw: draw, declutter: declutter };
});
