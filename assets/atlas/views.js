/* The chart, the ranking and the citation of a view: pure functions (tested with node --test),
 * computed in the browser from the layer's payload the page already has (every year's values:
 * dashboard/core/figures.py layer_payload), so that a year step or a change of states never
 * asks the server. app.js draws what these return.
 *
 *   ranking(payload, year)            → {numeric, rows: [{iso3, name, value, label, share}], missing: [names]}
 *   rankingHtml(payload, year)        → the markup of the ranked list (ids as the layout's)
 *   chartStates(state, ctx, regions)  → the states the chart shows
 *   chartFigure(payload, view)        → a Plotly figure: lines (numeric) or a states × years grid
 *   citation(info)                    → {plain, bibtex}
 *   stripHtml(spec, year)             → the country panel's status strips (dashboard/core/figures.py
 *                                       status_strips) as HTML: one cell per year, the year marked
 */
(function (root, factory) {
  "use strict";
  var mod = factory();
  if (typeof module === "object" && module.exports) { module.exports = mod; } else {
    root.Atlas = root.Atlas || {};
    root.Atlas.views = mod;
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function isNum(v) { return typeof v === "number" && isFinite(v); }

  /** The 15 states ordered for one year: by value, highest first (numeric layers), or by the
   *  legend's order (categorical); states without data last. */
  function ranking(payload, year) {
    var fr = payload.frames, yr = fr.years[String(year)];
    if (!yr) { return { numeric: !!fr.numeric, rows: [], missing: fr.names.slice() }; }
    var rows = [], missing = [];
    fr.iso3.forEach(function (iso, i) {
      var v = yr.values[i], z = yr.z[i];
      var has = fr.numeric ? isNum(v) : z >= 0;
      var row = { iso3: iso, name: fr.names[i], value: has && fr.numeric ? v : null, cls: z, label: yr.labels[i] };
      if (has) { rows.push(row); } else { missing.push(row); }
    });
    rows.sort(function (a, b) {
      var d = fr.numeric ? b.value - a.value : a.cls - b.cls;
      return d !== 0 ? d : (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    });
    missing.sort(function (a, b) { return a.name < b.name ? -1 : a.name > b.name ? 1 : 0; });
    var lo = 0, hi = 0;
    rows.forEach(function (r) { if (fr.numeric) { lo = Math.min(lo, r.value); hi = Math.max(hi, r.value); } });
    var span = hi - lo || 1;
    rows.forEach(function (r) {
      // a bar from zero: its start and width as shares of the axis (negative values to the left)
      if (fr.numeric) {
        r.start = (Math.min(0, r.value) - lo) / span;
        r.share = Math.abs(r.value) / span;
      }
    });
    return { numeric: !!fr.numeric, rows: rows, missing: missing };
  }

  function pct(x) { return (Math.round(x * 10000) / 100) + "%"; }

  function rankingHtml(payload, year) {
    var r = ranking(payload, year), fr = payload.frames, classes = payload.style.classes || [];
    var head = '<h2 class="rank-title">' + esc(fr.label) + ", " + year + "</h2>" +
      '<p class="rank-note">' + (r.numeric ? "Highest first" + (fr.unit ? " (" + esc(fr.unit) + ")" : "") + "."
        : "A category, not a number: the states in the legend's order.") +
      (r.missing.length ? " No data for " + r.missing.length + " of 15: listed last." : "") + "</p>";
    var items = r.rows.map(function (row, i) {
      var colour = row.cls >= 0 && classes[row.cls] ? classes[row.cls].color : payload.style.no_data;
      var bar = r.numeric
        ? '<span class="rank-bar"><span class="rank-fill" style="margin-left:' + pct(row.start) + ";width:" +
          pct(row.share) + ";background:" + esc(colour) + '"></span></span>'
        : '<span class="rank-bar"><span class="rank-fill rank-cat" style="background:' + esc(colour) + '"></span></span>';
      return '<li class="rank-row" data-iso3="' + row.iso3 + '"' + (r.numeric ? ' data-value="' + row.value + '"' : "") +
        '><span class="rank-pos">' + (i + 1) + '</span><button type="button" class="rank-name" data-iso3="' +
        row.iso3 + '">' + esc(row.name) + "</button>" + bar + '<span class="rank-value">' + esc(row.label) + "</span></li>";
    });
    r.missing.forEach(function (row) {
      items.push('<li class="rank-row rank-missing" data-iso3="' + row.iso3 + '"><span class="rank-pos">–</span>' +
        '<button type="button" class="rank-name" data-iso3="' + row.iso3 + '">' + esc(row.name) +
        '</button><span class="rank-bar"></span><span class="rank-value">no data</span></li>');
    });
    return head + '<ol class="rank-list">' + items.join("") + "</ol>";
  }

  /** The states the chart shows: the address's `countries` (shared with the data tab); when that
   *  is every state and a country is open, the country's region. */
  function chartStates(state, ctx, regions) {
    var chosen = (state.data && state.data.countries) || ctx.iso3;
    if (chosen.length === ctx.iso3.length && state.country && regions) {
      for (var k in regions) {
        if (Object.prototype.hasOwnProperty.call(regions, k) && regions[k].indexOf(state.country) >= 0) {
          return ctx.iso3.filter(function (c) { return regions[k].indexOf(c) >= 0; });
        }
      }
    }
    return chosen.slice();
  }

  var LINE_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
                      "#7f7f7f", "#bcbd22", "#393b79", "#ad494a", "#637939", "#843c39", "#5254a3"];

  function fade(hex) {
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + ((n >> 16) & 255) + "," + ((n >> 8) & 255) + "," + (n & 255) + ",0.18)";
  }

  function yearMarker(year) {
    return { type: "line", x0: year, x1: year, xref: "x", yref: "paper", y0: 0, y1: 1, name: "year",
             line: { color: "#d62728", width: 2, dash: "dot" } };
  }

  /** view: {states: [iso3], year, scale, from, to}. Lines of a numeric layer (one trace per state,
   *  named by the state, points where it has data), or a grid of squares (categorical). */
  function chartFigure(payload, view) {
    var fr = payload.frames, years = [];
    for (var y = view.from; y <= view.to; y++) { if (fr.years[String(y)]) { years.push(y); } }
    var idx = {};
    fr.iso3.forEach(function (c, i) { idx[c] = i; });
    var states = view.states.filter(function (c) { return idx[c] !== undefined; });
    var layout = {
      margin: { l: 10, r: 10, t: 10, b: 40 }, paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "#fafafa",
      xaxis: { range: [view.from - 0.5, view.to + 0.5], dtick: view.to - view.from > 20 ? 5 : 1, showgrid: false },
      shapes: [yearMarker(view.year)], hovermode: "closest",
      meta: { layer: payload.layer, year: view.year, states: states, kind: fr.numeric ? "lines" : "grid" },
      hoverlabel: { bgcolor: "#ffffff", bordercolor: "#333", font: { size: 13 } }
    };
    if (fr.numeric) {
      var log = view.scale === "log" && fr.unit === "persons";
      var data = [], lines = [];
      states.forEach(function (c, k) {
        var i = idx[c], xs = [], ys = [], texts = [], bx = [], lo = [], hi = [];
        var colour = LINE_COLOURS[k % LINE_COLOURS.length];
        years.forEach(function (yy) {
          var yr = fr.years[String(yy)], v = yr.values[i];
          var b = yr.band ? [yr.band[0][i], yr.band[1][i]] : null;
          var hasBand = b && isNum(b[0]) && isNum(b[1]);
          if (isNum(v) && !(log && v <= 0)) {
            xs.push(yy); ys.push(v);
            texts.push(yr.text[i] + (hasBand ? "<br>" + fr.band + ": " + b[0] + "–" + b[1] : ""));
          }
          if (hasBand) { bx.push(yy); lo.push(b[0]); hi.push(b[1]); }
        });
        if (bx.length) {
          // the published interval as a band: its lower edge, then the upper edge filled down to it
          data.push({ type: "scatter", mode: "lines", x: bx, y: lo, meta: "band", name: fr.names[i] + " " + fr.band,
                      line: { width: 0, color: colour }, hoverinfo: "skip", showlegend: false });
          data.push({ type: "scatter", mode: "lines", x: bx, y: hi, meta: "band", name: fr.names[i] + " " + fr.band,
                      line: { width: 0, color: colour }, fill: "tonexty", fillcolor: fade(colour),
                      hoverinfo: "skip", showlegend: false });
        }
        lines.push({ type: "scatter", mode: "lines+markers", name: fr.names[i], x: xs, y: ys, hovertext: texts,
                     customdata: xs.map(function () { return c; }),
                     line: { color: colour, width: 2 }, marker: { size: 5 },
                     hovertemplate: "%{hovertext}<extra></extra>" });
      });
      data = data.concat(lines);  // the lines over every band
      // fixed margins, not plotly's automargin (which lays the chart out twice: ≈ 80 ms a change):
      // room for tick labels such as "−200k" or "1.5M" and the unit's title
      layout.yaxis = { title: { text: fr.unit, standoff: 6 }, automargin: false, type: log ? "log" : "linear",
                       zeroline: !log };
      layout.margin.l = 78;
      layout.showlegend = true;
      layout.legend = { orientation: "h", y: -0.12, traceorder: "normal" };
      layout.margin.b = 70;
      return { data: data, layout: layout };
    }
    // categorical: a row of squares per state, coloured by class (legend: chart-legend)
    var classes = payload.style.classes || [], xs2 = [], ys2 = [], cols = [], texts2 = [], cds = [];
    states.forEach(function (c) {
      var i = idx[c];
      years.forEach(function (yy) {
        var yr = fr.years[String(yy)], z = yr.z[i];
        xs2.push(yy); ys2.push(fr.names[i]); cds.push(c);
        cols.push(z >= 0 && classes[z] ? classes[z].color : payload.style.no_data);
        texts2.push(yr.text[i]);
      });
    });
    var names = states.map(function (c) { return fr.names[idx[c]]; });
    var longest = names.reduce(function (m, n) { return Math.max(m, String(n).length); }, 0);
    layout.yaxis = { autorange: "reversed", automargin: false, type: "category", showgrid: false,
                     categoryorder: "array", categoryarray: names };
    layout.margin.l = 16 + 7.5 * longest;  // the states' names (12 px type), without automargin
    layout.showlegend = false;
    return { data: [{ type: "scatter", mode: "markers", name: "grid", x: xs2, y: ys2, customdata: cds,
                      marker: { symbol: "square", size: Math.max(6, Math.min(16, 600 / Math.max(1, years.length))),
                                color: cols, line: { color: "rgba(0,0,0,0.25)", width: 0.5 } },
                      hovertext: texts2, hovertemplate: "%{hovertext}<extra></extra>" }],
             layout: layout };
  }

  function legendHtml(payload) {
    var items = (payload.style.classes || []).concat([{ label: "No data", color: payload.style.no_data }]);
    return '<ul class="legend-list">' + items.map(function (c) {
      return '<li><span class="swatch" style="background:' + esc(c.color) + '"></span><span>' + esc(c.label) + "</span></li>";
    }).join("") + "</ul>";
  }

  function bibKey(text) { return String(text).replace(/[^A-Za-z0-9]+/g, "_").replace(/^_|_$/g, ""); }
  function bibEsc(text) { return String(text).replace(/[{}\\]/g, "").replace(/([%&$#_])/g, "\\$1"); }

  /** info: {title, layerLabel, year, url, accessed (YYYY-MM-DD), sources: [{title, publisher, version,
   *  url, citation, short}]}. Plain text and BibTeX (one @misc for the view; the sources in its note). */
  function citation(info) {
    var srcs = info.sources || [];
    var srcText = srcs.map(function (s) {
      return s.citation + (s.version && s.citation.indexOf(s.version) < 0 ? " Version: " + s.version + "." : "");
    });
    var plain = info.title + ". Atlas of the former Soviet space: " + info.layerLabel + ", " + info.year + ". " +
      info.url + " (accessed " + info.accessed + ").\nSources of the data: " + srcText.join(" ");
    var note = "Sources of the data: " + srcs.map(function (s) {
      return s.title + (s.publisher ? " (" + s.publisher + ")" : "") + (s.version ? ", " + s.version : "");
    }).join("; ");
    var bibtex = "@misc{atlas_" + bibKey(info.layer + "_" + info.year) + ",\n" +
      "  title = {{" + bibEsc(info.title) + "}},\n" +
      "  author = {{Atlas of the former Soviet space}},\n" +
      "  year = {" + info.accessed.slice(0, 4) + "},\n" +
      "  howpublished = {\\url{" + info.url.replace(/[{}]/g, "") + "}},\n" +
      "  urldate = {" + info.accessed + "},\n" +
      "  note = {" + bibEsc(note) + "}\n}";
    return { plain: plain, bibtex: bibtex };
  }

  /** The country panel's status strips: a row per layer, a cell per year in its status colour
      (hover: the status, the legal basis), the year marked, each row's spells in words (its text
      alternative) and, folded, its colours named (the legend). */
  function stripHtml(spec, year) {
    var years = spec.years, n = years.length;
    var at = Math.max(0, years.indexOf(year));
    var ticks = years.filter(function (y) { return y % 10 === 0 || y === years[0]; });
    var rows = spec.rows.map(function (r) {
      return '<div class="strip-row" data-layer="' + esc(r.layer) + '"><span class="strip-label">' + esc(r.label) +
        '</span><span class="strip-cells" role="img" aria-label="' + esc(r.summary) + '">' +
        r.cells.map(function (c, i) {
          return '<span class="strip-cell" style="background:' + esc(c[0]) + '" title="' + esc(c[1]) +
            '" data-year="' + years[i] + '"></span>';
        }).join("") + "</span></div>";
    }).join("");
    var axis = '<div class="strip-row strip-axis" aria-hidden="true"><span class="strip-label"></span><span class="strip-cells">' +
      ticks.map(function (y) {
        return '<span class="strip-tick" style="left:' + (100 * (years.indexOf(y) + 0.5) / n).toFixed(2) + '%">' + y + "</span>";
      }).join("") + "</span></div>";
    var legend = spec.rows.map(function (r) {
      return "<li><strong>" + esc(r.label) + ":</strong> " + r.runs.filter(function (x) { return x[0] !== "no data"; })
        .map(function (x) {
          return '<span class="swatch" style="background:' + esc(x[1]) + '"></span> ' + esc(x[0]) + " " + x[2] +
            (x[3] !== x[2] ? "–" + x[3] : "");
        }).join("; ") + "</li>";
    }).join("");
    return '<p class="strip-title">' + esc(spec.title) + '</p><div class="strips" style="--n:' + n + '">' +
      '<span class="strip-year" data-year="' + years[at] + '" style="--at:' + at + '" aria-hidden="true"></span>' +
      rows + axis + '</div><details class="strip-legend"><summary>What the colours mean</summary><ul>' + legend +
      "</ul></details>";
  }

  /** Move the strips' year marker (no redraw). */
  function stripYear(el, year) {
    var mark = el && el.querySelector(".strip-year");
    var cells = el && el.querySelector(".strip-row .strip-cells");
    if (!mark || !cells) { return; }
    var i = 0, kids = cells.children;
    for (; i < kids.length; i++) { if (kids[i].getAttribute("data-year") === String(year)) { break; } }
    if (i === kids.length) { return; }
    mark.style.setProperty("--at", String(i));
    mark.setAttribute("data-year", String(year));
  }

  return { ranking: ranking, rankingHtml: rankingHtml, stripHtml: stripHtml, stripYear: stripYear, chartStates: chartStates, chartFigure: chartFigure,
           legendHtml: legendHtml, citation: citation, esc: esc };
});
