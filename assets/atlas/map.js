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

  var outlineCache = {};
  // The selected country and a story's states: a double outline, dark under white (a style no
  // palette uses, visible to colour-blind readers), drawn as two traces of their own over the
  // states; the same objects while the selection stays, so plotly has less to compare. `geo`
  // names the subplot ("geo2": the inset), `only` the states it shows (null: all).
  function outlineTraces(states, country, highlight, geo, only) {
    var locs = highlight.filter(function (c) { return c !== country; });
    if (country) { locs.push(country); }
    if (only) { locs = locs.filter(function (c) { return only.indexOf(c) >= 0; }); }
    var sel = only && only.indexOf(country) < 0 ? null : country;
    var key = locs.join(",") + "|" + sel;
    var hit = outlineCache[geo || "geo"];
    if (!hit || hit.key !== key) {
      var widths = locs.map(function (c) { return c === sel ? 1 : 0.8; });
      var common = { type: "choropleth", geojson: states.geojson, featureidkey: states.featureidkey,
                     locations: locs, z: locs.map(function () { return 0; }), showscale: false,
                     colorscale: [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], hoverinfo: "skip" };
      if (geo) { common.geo = geo; }
      var pre = geo ? "inset-" : "";
      hit = outlineCache[geo || "geo"] = { key: key, traces: [
        Object.assign({}, common, { name: pre + "outline-dark", marker: { line: { color: "#111111",
          width: widths.map(function (w) { return 5.5 * w; }) } } }),
        Object.assign({}, common, { name: pre + "outline-light", marker: { line: { color: "#ffffff",
          width: widths.map(function (w) { return 2 * w; }) } } })
      ] };
    }
    return hit.traces;
  }

  function pickBy(arr, index) { return index.map(function (i) { return arr[i]; }); }

  /** The figure of one view; null when the payload lacks the year. `view.inset` false leaves the
   *  inset (subplot geo2: dashboard/core/figures.py inset_traces) out. */
  function compose(base, payload, view) {
    var fr = payload && payload.frames && payload.frames.years[String(view.year)];
    if (!base || !fr) { return null; }
    var inset = view.inset !== false && !!base.layout.geo2;
    var data = [], st = null, insetStates = null;
    var labelFont = function (tr) {
      return view.labelSize ? assign(tr, { textfont: assign(tr.textfont, { size: view.labelSize }) }) : tr;
    };
    base.data.forEach(function (tr) {
      if (tr.geo === "geo2" && !inset) { return; }
      var name = tr.name;
      if (name === "states") {
        st = tr;
        tr = assign(tr, { z: fr.z, hovertext: fr.text, colorscale: payload.style.colorscale,
                          zmin: payload.style.zmin, zmax: payload.style.zmax });
      } else if (name === "inset-states") {
        insetStates = tr.locations;
        tr = assign(tr, { z: pickBy(fr.z, tr.meta.index), hovertext: pickBy(fr.text, tr.meta.index),
                          colorscale: payload.style.colorscale, zmin: payload.style.zmin, zmax: payload.style.zmax });
      } else if (name === "contested") {
        tr = assign(tr, { locations: fr.contested.locations, z: fr.contested.z, hovertext: fr.contested.text });
      } else if (name === "inset-contested") {
        var keep = tr.meta.keep, c = fr.contested;
        var ix = c.locations.map(function (l, i) { return keep.indexOf(l) >= 0 ? i : -1; })
          .filter(function (i) { return i >= 0; });
        tr = assign(tr, { locations: pickBy(c.locations, ix), z: pickBy(c.z, ix), hovertext: pickBy(c.text, ix) });
      } else if (name === "outline-dark" || name === "outline-light") {
        tr = outlineTraces(st || base.data[1], view.country, view.highlight || [])[name === "outline-dark" ? 0 : 1];
      } else if (name === "inset-outline-dark" || name === "inset-outline-light") {
        // (the inset's states trace comes before its outlines: figures.inset_traces)
        tr = outlineTraces(st || base.data[1], view.country, view.highlight || [], "geo2",
                           insetStates || [])[name === "inset-outline-dark" ? 0 : 1];
      } else if (name === "labels" || name === "inset-labels") {
        tr = labelFont(tr);  // 12 px, larger in presentation mode (view.labelSize)
      }
      data.push(tr);
    });
    var layout = assign(base.layout, { meta: { layer: payload.layer, year: view.year, region: view.region || "all" } });
    // the whole paper (with a second subplot, plotly would otherwise share it out between them)
    if (view.geo) { layout.geo = assign(view.geo, { domain: { x: [0, 1], y: [0, 1] } }); }
    if (!inset) { delete layout.geo2; }
    layout.annotations = (base.layout.annotations || []).filter(function (a) {
      return inset || a.name !== "inset-title";
    }).map(function (a) {
      if (a.name === "inset-title") { return insetTitle(a, base.layout.geo2.domain, view); }
      return a.name === "year" ? assign(a, { text: String(view.year), font: assign(a.font, { size: view.present ? 60 : 34 }) }) : a;
    });
    return { data: data, layout: layout };
  }

  // The inset's title sits on its frame: plotly fits the inset's map (width ÷ height:
  // view.insetAspect) into its domain and centres it, so the frame's top depends on the box.
  function insetTitle(a, dom, view) {
    var font = assign(a.font, { size: view.present ? Math.max(14, (view.labelSize || 18) - 4) : a.font.size });
    if (!view.box || !view.insetAspect || !view.box.w || !view.box.h) { return assign(a, { font: font }); }
    var dw = (dom.x[1] - dom.x[0]) * view.box.w, dh = (dom.y[1] - dom.y[0]) * view.box.h;
    var fw = Math.min(dw, dh * view.insetAspect), fh = fw / view.insetAspect;
    return assign(a, { font: font, x: dom.x[0] + (dw - fw) / 2 / view.box.w,
                       y: dom.y[0] + (dh + fh) / 2 / view.box.h });
  }

  /** Whether a map box of this width shows the inset (dashboard/core/figures.py INSET_MIN_WIDTH,
   *  which the page's meta names). */
  function insetFits(width, minWidth) { return width >= (minWidth || 720); }

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

  /** Plot a figure into el; returns plotly's promise. The config is handed over on the first
   *  draw only (or when it is another object): given again, plotly copies and compares its whole
   *  context (locales included) at every step. */
  function draw(el, fig, config) {
    if (el.__atlasConfig === config && el._context) {
      return window.Plotly.react(el, fig.data, fig.layout);
    }
    el.__atlasConfig = config;
    return window.Plotly.react(el, fig.data, fig.layout, config);
  }

  /** Hide every label that would overlap a larger state's label or leave the map (in the order
   *  of `priority`, largest state first); returns the iso3 of the labels shown. */
  function declutter(el, priority) {
    var nodes = Array.prototype.slice.call(el.querySelectorAll(".scatterlayer .scattergeo text"));
    var whole = el.getBoundingClientRect();
    // a label of the inset (subplot geo2) stays inside the inset's frame
    var frame = el.querySelector("g.geo2 .layer.bg rect");
    var insetBox = frame ? frame.getBoundingClientRect() : null;
    var items = nodes.map(function (n) {
      var d = (n.parentNode && n.parentNode.__data__) || {};  // plotly's point: customdata as `data`
      var inInset = !!(insetBox && n.closest && n.closest("g.geo2"));
      return { node: n, iso: typeof d.data === "string" ? d.data : null, box: inInset ? insetBox : whole };
    });
    items.sort(function (a, b) { return priority.indexOf(a.iso) - priority.indexOf(b.iso); });
    var kept = [], shown = [];
    items.forEach(function (it) {
      it.node.style.visibility = "";
      var r = it.node.getBoundingClientRect();
      var box = it.box;
      var inside = r.width > 0 && r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom;
      var clash = kept.some(function (k) {
        return r.left < k.right + 2 && k.left < r.right + 2 && r.top < k.bottom + 1 && k.top < r.bottom + 1;
      });
      if (!inside || clash) { it.node.style.visibility = "hidden"; } else { kept.push(r); shown.push(it.iso); }
    });
    return shown;
  }

  return { compose: compose, insetFits: insetFits, withPlotly: withPlotly, draw: draw, declutter: declutter };
});
