/* The overlap view ("the geometry of integration"): who belongs to which organisation in the
 * slider's year, as a states × organisations table, and the number of members of each
 * organisation by year (small multiples, the year marked).
 *
 * Its data is one document, /api/v1/overlap (dashboard/core/overlap.py), fetched once, on the
 * view's first use; every year is in it, so a year step never asks the server. Statuses, labels
 * and colours are those of each organisation's map layer (indicators.json), as published; the
 * rows come in the document's order (a seriation of the states' memberships over all years).
 *
 * Pure functions (node --test tests/js/overlap.test.js):
 *   yearCells(doc, year)            → rows [{iso3, name, cells: [{org, status, label, color, ink, member, title}]}]
 *   tableHtml(doc, year, country, hl) → the table (caption, th scope, buttons in the headers; the
 *                                     open country's row and a story step's states marked)
 *   rowClass(iso3, country, hl)     → the class of a state's row
 *   legendHtml(doc, year)           → the statuses shown that year, per organisation
 *   memberCounts(doc)               → {org: [full members in each year]}  (statuses with full_member: true,
 *                                     the curated metadata's one definition: not associate, frozen, pre-Charter…)
 *   countsFigure(doc, year, opts)   → a Plotly figure: one small chart per organisation
 *   yearUpdate(doc, year)           → the relayout that moves the year marks (shapes; pictures)
 *   markBoxes(fullLayout, n, year)  → where the live chart's year marks go (HTML over the chart)
 *   gridCsv(doc, year), countsCsv(doc) → the downloads
 *   gridFigure(doc, year)           → the grid as a picture (shapes, legend, title, source): PNG/SVG
 *   ink(hex)                        → the text colour with the higher contrast on a background
 * In the browser it registers window.Atlas.overlap = {render, plots} for app.js.
 */
(function (root, factory) {
  "use strict";
  var mod = factory();
  if (typeof module === "object" && module.exports) { module.exports = mod; } else {
    root.Atlas = root.Atlas || {};
    root.Atlas.overlap = mod;
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";
  var COUNTS_CONFIG = { displayModeBar: false, responsive: true };  // (one object: plotly takes it once)

  var DOC_URL = "/api/v1/overlap";
  var DARK = "#000000", LIGHT = "#ffffff", NO_DATA = "#d9d9d9";
  var MARK = "#d62728";

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // WCAG relative luminance and contrast
  function luminance(hex) {
    var n = parseInt(String(hex).replace("#", ""), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255].map(function (v) {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }).reduce(function (acc, v, i) { return acc + v * [0.2126, 0.7152, 0.0722][i]; }, 0);
  }
  function contrast(a, b) {
    var la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }
  /** The text colour (dark or white) with the higher contrast on `hex`. */
  function ink(hex) { return contrast(hex, DARK) >= contrast(hex, LIGHT) ? DARK : LIGHT; }

  function yearIndex(doc, year) {
    return Math.min(doc.years[1], Math.max(doc.years[0], year)) - doc.years[0];
  }

  /** One cell: the status of state i in organisation o in a year. */
  function cell(doc, org, i, year) {
    var y = yearIndex(doc, year);
    var k = org.status[i][y];
    var st = k >= 0 ? org.statuses[k] : null;
    var basis = doc.texts[org.basis[i][y]] || "", source = doc.texts[org.source[i][y]] || "";
    var state = doc.states[i];
    var label = st ? st.label : "No data";
    var title = org.short_name + " — " + state.name + ", " + year + ": " + label + "." +
      (basis ? "\nBasis: " + basis : "") + (source ? "\nSource: " + source : "");
    var color = st ? st.color : NO_DATA;
    return { org: org.id, status: st ? st.id : "", label: label, color: color, ink: ink(color),
             member: !!(st && st.member), full: isFull(st), basis: basis, source: source, title: title };
  }

  function yearCells(doc, year) {
    return doc.states.map(function (s, i) {
      return { iso3: s.iso3, name: s.name, cells: doc.orgs.map(function (o) { return cell(doc, o, i, year); }) };
    });
  }

  /** Whether a status counts as full membership: the status metadata's full_member flag
   *  (data/sources/curated/memberships/<org>.yaml; associate, frozen, pre-Charter and the like
   *  are member statuses on the map, but not full members). */
  function isFull(st) { return !!(st && st.full_member); }

  /** {org id: [number of states that are full members, for each year]} */
  function memberCounts(doc) {
    var out = {};
    doc.orgs.forEach(function (o) {
      var n = [];
      for (var y = 0; y <= doc.years[1] - doc.years[0]; y++) {
        var c = 0;
        for (var i = 0; i < doc.states.length; i++) {
          var k = o.status[i][y];
          if (k >= 0 && isFull(o.statuses[k])) { c += 1; }
        }
        n.push(c);
      }
      out[o.id] = n;
    });
    return out;
  }

  /** A long organisation name without its parenthesis, for a column header or a small chart's
   *  title ("Central Asian union (CAU/CAEC/CACO)" → "Central Asian union"; the whole name is in the
   *  header's title, the legend and the hover). */
  function shortName(name) { return name.length > 22 ? name.replace(/\s*\(.*\)\s*$/, "") : name; }

  /** A row's class: the open country (ov-selected), a story step's states (ov-hl). */
  function rowClass(iso3, country, hl) {
    return [iso3 === country ? "ov-selected" : "", (hl || []).indexOf(iso3) >= 0 ? "ov-hl" : ""]
      .filter(Boolean).join(" ");
  }

  function tableHtml(doc, year, country, hl) {
    var rows = yearCells(doc, year), counts = memberCounts(doc), y = yearIndex(doc, year);
    var head = '<thead><tr><th scope="col" class="ov-corner">State</th>' + doc.orgs.map(function (o) {
      return '<th scope="col" class="ov-col" data-org="' + esc(o.id) + '"><button type="button" class="ov-org" ' +
        'data-layer="' + esc(o.layer) + '" title="' + esc(o.name + ": show this layer on the map") + '">' +
        esc(shortName(o.short_name)).replace(/\//g, "/<wbr>") + "</button></th>";
    }).join("") + "</tr></thead>";
    var body = "<tbody>" + rows.map(function (r) {
      var sel = r.iso3 === country, cls = rowClass(r.iso3, country, hl);
      return '<tr data-iso3="' + r.iso3 + '"' + (cls ? ' class="' + cls + '"' : "") + '><th scope="row">' +
        '<button type="button" class="ov-state" data-iso3="' + r.iso3 + '"' + (sel ? ' aria-current="true"' : "") +
        ' title="' + esc(r.name + ": open the country panel") + '">' + esc(r.name) + "</button></th>" +
        r.cells.map(function (c) {
          return '<td data-org="' + esc(c.org) + '" data-status="' + esc(c.status) + '"' + (c.member ? ' data-member="1"' : "") +
            (c.full ? ' data-full="1"' : "") +
            ' style="background:' + esc(c.color) + ";color:" + c.ink + '" title="' + esc(c.title) + '">' +
            '<span class="ov-label">' + esc(c.label) + "</span></td>";
        }).join("") + "</tr>";
    }).join("") + "</tbody>";
    var foot = '<tfoot><tr><th scope="row" title="States whose status is full membership (not associate, ' +
      'frozen, pre-Charter, observer…)">Full members</th>' + doc.orgs.map(function (o) {
      return '<td data-org="' + esc(o.id) + '">' + counts[o.id][y] + "</td>";
    }).join("") + "</tr></tfoot>";
    var cap = '<caption><strong class="ov-title">Who belongs to what, <span class="ov-year">' + year +
      "</span></strong> <span class=\"ov-hint\">Similar members sit together. A state opens its panel, " +
      "an organisation its map.</span></caption>";
    return '<table class="ov-table" data-year="' + year + '">' + cap + head + body + foot + "</table>";
  }

  /** Organisation j's statuses in a year's rows: one cell of each (in the legend's order, the
   *  metadata's) and how many states have it. */
  function statusesShown(o, rows, j) {
    var seen = [], count = {};
    rows.forEach(function (r) {
      var c = r.cells[j];
      if (count[c.status] === undefined) { count[c.status] = 0; seen.push(c); }
      count[c.status] += 1;
    });
    var order = o.statuses.map(function (st) { return st.id; });
    seen.sort(function (a, b) { return order.indexOf(a.status) - order.indexOf(b.status); });
    return { seen: seen, count: count };
  }

  /** The statuses present in a year, per organisation, with their colours and how many states. */
  function legendHtml(doc, year) {
    var rows = yearCells(doc, year);
    return '<div class="ov-legend" aria-label="Statuses shown in ' + year + '">' + doc.orgs.map(function (o, j) {
      var shown = statusesShown(o, rows, j), seen = shown.seen, n = shown.count;
      return '<p class="ov-legend-org"><strong>' + esc(o.short_name) + ":</strong> " + seen.map(function (c) {
        return '<span class="ov-legend-item"><span class="swatch" style="background:' + esc(c.color) + '"></span>' +
          esc(c.label) + " (" + n[c.status] + ")</span>";
      }).join(" ") + "</p>";
    }).join("") + "</div>";
  }

  function yearShape(k, year) {
    var ax = k === 0 ? "" : String(k + 1);
    return { type: "line", name: "year", xref: "x" + ax, yref: "y" + ax + " domain", x0: year, x1: year, y0: 0, y1: 1,
             line: { color: MARK, width: 2, dash: "dot" } };
  }

  /** Small multiples: one chart per organisation (members by year, a step line), two columns,
   *  the slider's year marked in each. opts: {fontSize, columns}. */
  function countsFigure(doc, year, opts) {
    opts = opts || {};
    var fs = opts.fontSize || 12, cols = opts.columns || 2;
    var counts = memberCounts(doc), n = doc.orgs.length, rows = Math.ceil(n / cols);
    var years = [];
    for (var y = doc.years[0]; y <= doc.years[1]; y++) { years.push(y); }
    var data = [], shapes = [], annotations = [];
    var layout = {
      grid: { rows: rows, columns: cols, pattern: "independent", ygap: 0.55, xgap: 0.12 },
      margin: { l: 30, r: 8, t: fs * 3 + 6, b: 22 }, showlegend: false, paper_bgcolor: "#ffffff",
      plot_bgcolor: "#ffffff", font: { size: fs, color: "#1b1b1b" }, hovermode: "closest",
      hoverlabel: { bgcolor: "#ffffff", bordercolor: "#333", font: { size: fs + 1 } },
      meta: { year: year, view: "overlap-counts" }
    };
    doc.orgs.forEach(function (o, k) {
      var ax = k === 0 ? "" : String(k + 1);
      // the colour of the organisation's first membership status (its legend's)
      var first = o.statuses.filter(isFull)[0] || o.statuses[0];
      data.push({ type: "scatter", mode: "lines", x: years, y: counts[o.id], name: o.short_name,
                  xaxis: "x" + ax, yaxis: "y" + ax, line: { shape: "hv", width: 2, color: first.color },
                  fill: "tozeroy", fillcolor: "rgba(34,94,168,0.12)",
                  hovertemplate: esc(o.short_name) + ", %{x}: %{y} full members<extra></extra>" });
      layout["xaxis" + ax] = { range: [doc.years[0] - 0.5, doc.years[1] + 0.5], dtick: 10, showgrid: false,
                               tickfont: { size: fs - 1 }, fixedrange: true, showticklabels: k >= n - cols };
      layout["yaxis" + ax] = { range: [0, doc.states.length + 0.5], tickvals: [0, doc.states.length],
                               tickfont: { size: fs - 1 },
                               fixedrange: true, gridcolor: "#eeeeee", zeroline: false };
      shapes.push(yearShape(k, year));
      // a long name without its parenthesis (the whole name is in the hover)
      var name = shortName(o.short_name);
      annotations.push({ text: "<b>" + esc(name) + "</b>", xref: "x" + ax + " domain",
                         yref: "y" + ax + " domain", x: 0, y: 1, xanchor: "left", yanchor: "bottom",
                         showarrow: false, font: { size: fs } });
    });
    layout.shapes = shapes;
    layout.annotations = annotations;
    layout.title = { text: "<b>Full members by year</b>", x: 0, xanchor: "left", y: 1, yanchor: "top", yref: "container",
                     pad: { t: 6, l: 4 }, font: { size: fs + 1 } };
    return { data: data, layout: layout };
  }

  /** The relayout that moves every year marker (shapes). */
  function yearUpdate(doc, year) {
    var upd = {};
    doc.orgs.forEach(function (o, k) { upd["shapes[" + k + "].x0"] = year; upd["shapes[" + k + "].x1"] = year; });
    return upd;
  }

  var GRID_SOURCE = "Source: Atlas of the former Soviet space, memberships curated from cited sources (CC BY 4.0); " +
    "each cell is the status in force on 31 December.";

  /** An organisation's name for a column header in a picture: without its parenthesis when long,
   *  broken into lines of about `width` characters. */
  function headerLines(name, width) {
    var short = shortName(name), lines = [], line = "";
    short.split(/\s+/).forEach(function (w) {
      if (line && (line + " " + w).length > width) { lines.push(line); line = w; } else { line = line ? line + " " + w : w; }
    });
    if (line) { lines.push(line); }
    return lines;
  }

  /** The grid of a year as a picture (PNG/SVG downloads): a Plotly figure of rectangles (shapes)
   *  in each status's colour, the states in the grid's order, the full members under it and, per
   *  organisation, the statuses present that year with their colours and counts (as the view's
   *  legend), a title and the source. Returns {data, layout, width, height}. */
  function gridFigure(doc, year) {
    var rows = yearCells(doc, year), counts = memberCounts(doc), y = yearIndex(doc, year);
    var n = rows.length, m = doc.orgs.length, cellH = 30, legendLine = 19;
    var heads = doc.orgs.map(function (o) { return headerLines(o.short_name, 11); });
    var headH = Math.max.apply(null, heads.map(function (h) { return h.length; })) * 15 + 10;
    var top = 64 + headH, plotH = (n + 1) * cellH, legendH = m * legendLine + 12;
    var width = 1100, height = top + plotH + legendH + 44;
    var shapes = [], annotations = [];
    rows.forEach(function (r, i) {
      // (at the plot's left edge in paper units: an annotation anchored outside an axis range is not drawn)
      annotations.push({ text: esc(r.name), x: 0, xshift: -8, y: i + 0.5, xref: "paper", yref: "y", xanchor: "right",
                         showarrow: false, font: { size: 13 } });
      r.cells.forEach(function (c, j) {
        shapes.push({ type: "rect", xref: "x", yref: "y", x0: j + 0.04, x1: j + 0.96, y0: i + 0.07, y1: i + 0.93,
                      fillcolor: c.color, line: { color: "rgba(0,0,0,0.15)", width: 1 } });
      });
    });
    annotations.push({ text: "<b>Full members</b>", x: 0, xshift: -8, y: n + 0.5, xref: "paper", yref: "y",
                       xanchor: "right", showarrow: false, font: { size: 13 } });
    // title and subtitle above the headers (annotations: a two-line plotly title is placed badly)
    annotations.push({ text: "<b>Who belongs to what, " + year + "</b>", xref: "paper", yref: "paper", x: 0, xshift: -140,
                       y: 1, yshift: top - 12, xanchor: "left", yanchor: "top", showarrow: false, font: { size: 18 } });
    annotations.push({ text: "Each cell in the colour of the state's status on that organisation's map; states with " +
                             "similar memberships over all years side by side", xref: "paper", yref: "paper", x: 0,
                       xshift: -140, y: 1, yshift: top - 40, xanchor: "left", yanchor: "top", showarrow: false,
                       font: { size: 12, color: "#444" } });
    doc.orgs.forEach(function (o, j) {
      annotations.push({ text: String(counts[o.id][y]), x: j + 0.5, y: n + 0.5, xref: "x", yref: "y", showarrow: false,
                         font: { size: 13 } });
      annotations.push({ text: "<b>" + heads[j].map(esc).join("<br>") + "</b>", x: j + 0.5, y: 0, xref: "x", yref: "y",
                         yanchor: "bottom", yshift: 4, showarrow: false, font: { size: 12 } });
    });
    // the legend: per organisation, the statuses shown that year (in the legend's order)
    doc.orgs.forEach(function (o, j) {
      var shown = statusesShown(o, rows, j), seen = shown.seen, k = shown.count;
      annotations.push({ text: "<b>" + esc(o.short_name) + ":</b> " + seen.map(function (c) {
        return '<span style="color:' + c.color + '">\u25A0</span> ' + esc(c.label) + " (" + k[c.status] + ")";
      }).join("   "), xref: "paper", yref: "paper", x: 0, xanchor: "left", yanchor: "top", showarrow: false,
        y: 0, yshift: -12 - j * legendLine, font: { size: 12 }, align: "left" });
    });
    annotations.push({ text: esc(GRID_SOURCE), xref: "paper", yref: "paper", x: 0, y: 0, xanchor: "left", yanchor: "top",
                       yshift: -16 - m * legendLine, showarrow: false, font: { size: 11, color: "#444" } });
    var left = 150;
    return {
      // one invisible point: the cartesian axes the shapes are drawn on exist only with a trace
      data: [{ type: "scatter", mode: "markers", x: [0], y: [0], marker: { opacity: 0 }, hoverinfo: "skip",
               showlegend: false }],
      width: width, height: height,
      layout: {
        width: width, height: height, paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff", showlegend: false,
        font: { size: 12, color: "#1b1b1b" },
        margin: { l: left, r: 20, t: top, b: legendH + 44 },
        xaxis: { range: [0, m], visible: false, fixedrange: true },
        yaxis: { range: [n + 1, 0], visible: false, fixedrange: true },
        shapes: shapes, annotations: annotations,
        meta: { year: year, view: "overlap-grid" }
      }
    };
  }

  /** Where the year's marks go on the drawn chart: for each of the n small charts, the pixel box
   *  of a vertical line at the year ({left, top, height}, relative to the chart's element), from
   *  the axes plotly.js laid out (full: gd._fullLayout; an axis has _offset, _length, l2p).
   *  Moving these is what a year step costs the chart: a relayout of shapes would recompute and
   *  redraw all ten charts (shapes' positions are 'calc' edits in plotly.js). */
  function markBoxes(full, n, year) {
    var out = [];
    for (var k = 0; k < n; k++) {
      var ax = k === 0 ? "" : String(k + 1);
      var xa = full && full["xaxis" + ax], ya = full && full["yaxis" + ax];
      if (!xa || !ya || typeof xa.l2p !== "function") { continue; }
      out.push({ left: Math.round((xa._offset + xa.l2p(year)) * 10) / 10, top: ya._offset, height: ya._length });
    }
    return out;
  }

  function csvField(v) {
    var s = v === null || v === undefined ? "" : String(v);
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function csvLines(rows) { return rows.map(function (r) { return r.map(csvField).join(","); }).join("\r\n") + "\r\n"; }

  /** The grid of a year as shown (rows in the grid's order): one row per state and organisation. */
  function gridCsv(doc, year) {
    var out = [["year", "iso3", "country", "org", "organisation", "status", "status_label", "member", "full_member",
                "basis", "source"]];
    yearCells(doc, year).forEach(function (r) {
      r.cells.forEach(function (c, j) {
        out.push([year, r.iso3, r.name, c.org, doc.orgs[j].name, c.status, c.label, c.member ? "true" : "false",
                  c.full ? "true" : "false", c.basis, c.source]);
      });
    });
    return csvLines(out);
  }

  /** Full members of each organisation by year: one column per organisation. */
  function countsCsv(doc) {
    var counts = memberCounts(doc);
    var out = [["year"].concat(doc.orgs.map(function (o) { return o.id; }))];
    for (var y = doc.years[0]; y <= doc.years[1]; y++) {
      out.push([y].concat(doc.orgs.map(function (o) { return counts[o.id][y - doc.years[0]]; })));
    }
    return csvLines(out);
  }

  // ------------------------------------------------------------------ the browser's renderer
  var doc = null, loading = false, failed = false;
  var drawn = { year: null, country: null, table: false, fig: null, figYear: null };
  var bound = false;

  function $(id) { return document.getElementById(id); }

  function save(name, text) {
    var blob = new Blob([text], { type: "text/csv;charset=utf-8" });
    var a = document.createElement("a");
    a.href = window.URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { window.URL.revokeObjectURL(a.href); a.remove(); }, 0);
  }

  function tools() {
    return '<div class="ov-tools" role="group" aria-label="Downloads of the overlap view">' +
      '<span class="ov-tools-title">Download:</span>' +
      '<button type="button" class="share-btn" id="overlap-csv">Grid CSV</button>' +
      '<button type="button" class="share-btn" id="overlap-counts-csv">Counts CSV</button>' +
      '<button type="button" class="share-btn" id="overlap-grid-png">Grid PNG</button>' +
      '<button type="button" class="share-btn" id="overlap-grid-svg">Grid SVG</button>' +
      '<button type="button" class="share-btn" id="overlap-png">Counts PNG</button>' +
      '<button type="button" class="share-btn" id="overlap-svg">Counts SVG</button></div>';
  }

  function bind(api) {
    if (bound) { return; }
    bound = true;
    var box = $("overlap-box");
    if (!box) { return; }
    box.addEventListener("click", function (ev) {
      var t = ev.target;
      if (!t || !t.closest || !doc) { return; }
      var st = t.closest(".ov-state[data-iso3]") || t.closest(".ov-table tbody tr[data-iso3]");
      if (st) { api.dispatch({ type: "country", iso3: st.getAttribute("data-iso3") }); return; }
      var org = t.closest(".ov-org[data-layer]");
      if (org) {
        // the map of that organisation: one history entry (the two pushes share a merge tag)
        var tag = "overlap-column-" + Date.now();
        api.dispatch({ type: "layer", layer: org.getAttribute("data-layer"), merge: tag });
        api.dispatch({ type: "view", view: "map", merge: tag });
        return;
      }
      var year = api.state().year;
      if (t.id === "overlap-csv") { save("overlap_" + year + ".csv", gridCsv(doc, year)); }
      if (t.id === "overlap-counts-csv") { save("overlap_full_members_by_year.csv", countsCsv(doc)); }
      if ((t.id === "overlap-png" || t.id === "overlap-svg") && window.Plotly) {
        picture(t.id === "overlap-png" ? "png" : "svg", year);
      }
      if ((t.id === "overlap-grid-png" || t.id === "overlap-grid-svg") && window.Plotly) {
        var g = gridFigure(doc, year);
        window.Plotly.downloadImage({ data: g.data, layout: g.layout },
                                    { format: t.id === "overlap-grid-png" ? "png" : "svg", filename: "overlap_grid_" + year,
                                      width: g.width, height: g.height });
      }
    });
  }

  function load(api) {
    if (loading || doc) { return; }
    loading = true;
    var grid = $("overlap-grid");
    if (grid) { grid.innerHTML = '<p class="ov-note">Loading the memberships…</p>'; }
    window.fetch(DOC_URL, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    }).then(function (d) {
      doc = d;
      loading = false;
      var s = api.state();
      if (s && s.view === "overlap") { render(s, s, api); }
    }).catch(function () {
      loading = false;
      failed = true;
      if (grid) { grid.innerHTML = '<p class="ov-note">The memberships could not be loaded. Reload the page to try again.</p>'; }
    });
  }

  // the cells of a year, in place (the table's buttons keep the keyboard focus)
  function updateCells(year, country, hl) {
    var table = document.querySelector("#overlap-grid .ov-table");
    if (!table) { return; }
    var rows = yearCells(doc, year), trs = table.tBodies[0].rows;
    rows.forEach(function (r, i) {
      var tr = trs[i];
      tr.className = rowClass(r.iso3, country, hl);
      var btn = tr.cells[0].firstChild;
      if (r.iso3 === country) { btn.setAttribute("aria-current", "true"); } else { btn.removeAttribute("aria-current"); }
      r.cells.forEach(function (c, j) {
        var td = tr.cells[j + 1];
        if (td.getAttribute("data-status") === c.status && td.title === c.title) { return; }
        td.setAttribute("data-status", c.status);
        if (c.member) { td.setAttribute("data-member", "1"); } else { td.removeAttribute("data-member"); }
        if (c.full) { td.setAttribute("data-full", "1"); } else { td.removeAttribute("data-full"); }
        td.style.background = c.color;
        td.style.color = c.ink;
        td.title = c.title;
        td.firstChild.textContent = c.label;
      });
    });
    var counts = memberCounts(doc), y = yearIndex(doc, year), foot = table.tFoot.rows[0];
    doc.orgs.forEach(function (o, j) { foot.cells[j + 1].textContent = String(counts[o.id][y]); });
    table.setAttribute("data-year", String(year));
    table.querySelector(".ov-year").textContent = String(year);
    var legend = $("overlap-legend");
    if (legend) { legend.innerHTML = legendHtml(doc, year); }
  }

  // the year's marks over the small charts (one element per chart, made once)
  function placeMarks(el, year) {
    drawn.figYear = year;
    el.setAttribute("data-year", String(year));
    var boxes = markBoxes(el._fullLayout, doc.orgs.length, year);
    var marks = el.querySelectorAll(".ov-mark");
    if (marks.length !== boxes.length) {
      Array.prototype.forEach.call(marks, function (m) { m.remove(); });
      boxes.forEach(function () {
        var m = document.createElement("div");
        m.className = "ov-mark";
        m.setAttribute("aria-hidden", "true");
        el.appendChild(m);
      });
      marks = el.querySelectorAll(".ov-mark");
    }
    boxes.forEach(function (b, k) {
      var m = marks[k];
      m.style.left = b.left + "px"; m.style.top = b.top + "px"; m.style.height = b.height + "px";
      m.setAttribute("data-year", String(year));
    });
  }

  // the small charts as a picture: the figure with the year marked as shapes, wider type
  function picture(format, year) {
    var fig = countsFigure(doc, year, { fontSize: 14, columns: 2 });
    fig.layout.title.text = "<b>Full members of each organisation by year</b> (" + year + " marked)";
    return window.Plotly.downloadImage({ data: fig.data, layout: fig.layout },
                                       { format: format, filename: "overlap_full_members_by_year_" + year,
                                         width: 900, height: 760 });
  }

  function render(s, prev, api) {
    bind(api);
    if (!doc) { if (!failed) { load(api); } return; }
    var grid = $("overlap-grid");
    if (!grid) { return; }
    // a story step's states (its countries), marked in the grid as on the map
    var story = s.story && api.meta().stories[s.story];
    var hl = (story && story.steps[s.step] && story.steps[s.step].countries) || [];
    if (!drawn.table) {
      grid.innerHTML = '<div class="ov-scroll">' + tableHtml(doc, s.year, s.country, hl) + "</div>" +
        '<div id="overlap-legend">' + legendHtml(doc, s.year) + "</div>" + tools() +
        '<p class="ov-note">' + esc(doc.row_order) + " " + esc(doc.full_members || "") + " " +
        esc(doc.rule) + "</p>";
      drawn.table = true;
      drawn.year = s.year; drawn.country = s.country; drawn.hl = hl.join(",");
    } else if (drawn.year !== s.year || drawn.country !== s.country || drawn.hl !== hl.join(",")) {
      updateCells(s.year, s.country, hl);
      drawn.year = s.year; drawn.country = s.country; drawn.hl = hl.join(",");
    }
    var el = $("overlap-counts");
    if (!el) { return; }
    if (!window.Plotly) { api.withPlotly(function () { var st = api.state(); if (st.view === "overlap") { render(st, st, api); } }); return; }
    // one column of small charts in a narrow box, two where there is room
    var narrow = el.clientWidth > 0 && el.clientWidth < 420;
    var key = (s.present ? "p" : "") + (narrow ? "n" : "") + api.labelSize(s);
    if (drawn.fig !== key) {
      var fig = countsFigure(doc, s.year, { fontSize: api.labelSize(s), columns: narrow ? 1 : 2 });
      var rows = Math.ceil(doc.orgs.length / (narrow ? 1 : 2));
      el.style.height = Math.round(rows * (narrow ? 44 : 84) * (s.present ? 1.5 : 1) + 70) + "px";
      // the year's marks are drawn over the chart (placeMarks), not as its shapes
      fig.layout.shapes = [];
      var first = drawn.fig === null;
      drawn.fig = key;
      Promise.resolve(window.Atlas.map.draw(el, fig, COUNTS_CONFIG))
        .then(function () { placeMarks(el, drawn.figYear); });
      if (first && el.on) { el.on("plotly_afterplot", function () { placeMarks(el, drawn.figYear); }); }
    }
    if (drawn.figYear !== s.year) { placeMarks(el, s.year); }
  }

  function plots() { return ["overlap-counts"]; }

  return { DOC_URL: DOC_URL, isFull: isFull, ink: ink, contrast: contrast, yearCells: yearCells, tableHtml: tableHtml, legendHtml: legendHtml,
           rowClass: rowClass, memberCounts: memberCounts, countsFigure: countsFigure, yearUpdate: yearUpdate, markBoxes: markBoxes,
           gridFigure: gridFigure, headerLines: headerLines, shortName: shortName,
           gridCsv: gridCsv,
           countsCsv: countsCsv, render: render, plots: plots, esc: esc };
});
