/* The flows view (view=flows): refugees and asylum-seekers from the chosen state by country of
 * asylum (flow=out), or hosted by it by country of origin (flow=in), in the slider's year.
 *
 * Loaded on the view's first use by assets/atlas/flows.js. The pairs come from the API, once per
 * state and direction (every year at once, so that the slider and Play ask the server nothing):
 *   /api/v1/flows?origin=UKR&indicator=refugees,asylum_seekers        (flow=out)
 *   /api/v1/flows?asylum=UKR&indicator=refugees,asylum_seekers        (flow=in)
 * and the state's totals on the refugees layers from /api/v1/observations (to say whether the
 * pairs add up to them). The map of the wider region is assets/geo/flows-world.geojson (Natural
 * Earth; scripts/build_flows_world.py), fetched on first use too.
 *
 * The pure part (summarise, barFigure, mapFigure, tableHtml, totalsNote, chosen) is tested by
 * node --test tests/js/flows.test.js; render() is the browser's.
 */
(function (root, factory) {
  "use strict";
  var mod = factory();
  if (typeof module === "object" && module.exports) { module.exports = mod; } else {
    root.Atlas = root.Atlas || {};
    root.Atlas.flowsView = mod;
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";
  var BAR_CONFIG = { displayModeBar: false, responsive: true };  // (one object: plotly takes it once)

  var TOP = 10;                       // partners listed; the rest are summed as "others"
  var TYPES = ["refugees", "asylum_seekers"];
  var DEFAULT_STATE = "UKR";
  var NOT_COUNTRIES = { UNK: true, XXA: true };
  var COLOURS = {
    out: { refugees: "#2166ac", asylum_seekers: "#92c5de", scale: [[0, "#d1e5f0"], [0.5, "#4393c3"], [1, "#053061"]] },
    "in": { refugees: "#b35806", asylum_seekers: "#fdb863", scale: [[0, "#fee0b6"], [0.5, "#e08214"], [1, "#7f3b08"]] }
  };
  var SOURCE = "Source: UNHCR Refugee Data Finder (end-2025 release), CC BY 4.0. Map: Natural Earth.";

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function fmt(n) { return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }

  /** The state the view is about: the chosen one (country=), else the story step's first
   *  highlighted state, else Ukraine; `why` says which. */
  function chosen(state, meta) {
    if (state.country) { return { iso3: state.country, why: "chosen" }; }
    var st = state.story && meta && meta.stories && meta.stories[state.story];
    var step = st && st.steps[state.step];
    if (step && step.countries && step.countries.length) { return { iso3: step.countries[0], why: "story" }; }
    return { iso3: DEFAULT_STATE, why: "default" };
  }

  /** The pairs of one state, year and direction (rows as /api/v1/flows gives them), by partner:
   *  the `n` largest (refugees + asylum-seekers; ties by code), the rest summed as `others`.
   *  The listed partners plus `others` always equal `total`, type by type. */
  function summarise(rows, iso3, year, flow, n) {
    var side = flow === "in" ? "asylum" : "origin", other = flow === "in" ? "origin" : "asylum";
    var by = {}, years = null;
    rows.forEach(function (r) {
      if (r[side + "_iso3"] !== iso3 || TYPES.indexOf(r.population_type) < 0) { return; }
      years = years ? [Math.min(years[0], r.year), Math.max(years[1], r.year)] : [r.year, r.year];
      if (r.year !== year) { return; }
      var code = r[other + "_iso3"];
      var p = by[code] || (by[code] = { iso3: code, name: r[other + "_name"], refugees: 0, asylum_seekers: 0, total: 0 });
      p[r.population_type] += r.value;
      p.total += r.value;
    });
    var all = Object.keys(by).map(function (k) { return by[k]; });
    all.sort(function (a, b) { return b.total - a.total || (a.iso3 < b.iso3 ? -1 : a.iso3 > b.iso3 ? 1 : 0); });
    var k = n === undefined ? TOP : n;
    var top = all.slice(0, k), rest = all.slice(k);
    function sum(list) {
      var s = { refugees: 0, asylum_seekers: 0, total: 0, count: list.length };
      list.forEach(function (p) { s.refugees += p.refugees; s.asylum_seekers += p.asylum_seekers; s.total += p.total; });
      return s;
    }
    return { iso3: iso3, year: year, flow: flow, partners: top, others: sum(rest), total: sum(all), all: all,
             years: years };
  }

  function partnerLabel(p) {
    if (NOT_COUNTRIES[p.iso3]) { return p.name + " (" + p.iso3 + ")"; }
    return p.name.length > 26 ? p.name.slice(0, 24) + "…" : p.name;
  }
  function stateName(meta, iso3) { return (meta && meta.names && meta.names[iso3]) || iso3; }

  /** What the view shows, in words: "Refugees and asylum-seekers from Ukraine, 2022, by country of asylum". */
  function titleOf(sum, meta) {
    var name = stateName(meta, sum.iso3);
    return sum.flow === "in"
      ? "Refugees and asylum-seekers hosted by " + name + ", " + sum.year + ", by country of origin"
      : "Refugees and asylum-seekers from " + name + ", " + sum.year + ", by country of asylum";
  }

  /** The bars: the top partners and "others", refugees and asylum-seekers stacked, largest on
   *  top (filled rectangles: the geo-only plotly bundle has scatter, not bar, traces). */
  function barFigure(sum, opts) {
    var o = opts || {}, font = o.labelSize || 12, col = COLOURS[sum.flow === "in" ? "in" : "out"];
    var rows = sum.partners.slice();
    if (sum.others.count) {
      rows.push({ iso3: "others", name: "Others (" + sum.others.count + (sum.others.count === 1 ? " country)" : " countries)"),
                  refugees: sum.others.refugees, asylum_seekers: sum.others.asylum_seekers, total: sum.others.total });
    }
    var h = 0.36, max = 0;
    var traces = TYPES.map(function (t) {
      return { type: "scatter", mode: "lines", fill: "toself", fillcolor: col[t], name: t === "refugees" ? "Refugees" : "Asylum-seekers",
               // hoveron "points": plotly would otherwise build hover polygons of the fills at every
               // draw (a tenfold cost); the values trace carries the hover
               line: { width: 0, color: col[t] }, x: [], y: [], hoverinfo: "skip", hoveron: "points", showlegend: true };
    });
    var text = { type: "scatter", mode: "text", name: "values", x: [], y: [], text: [], hovertext: [], customdata: [],
                 textposition: "middle right", textfont: { size: font }, cliponaxis: false, showlegend: false,
                 hovertemplate: "%{hovertext}<extra></extra>" };
    rows.forEach(function (p, i) {
      var a = p.refugees, b = p.refugees + p.asylum_seekers;
      max = Math.max(max, b);
      [[0, a], [a, b]].forEach(function (span, k) {
        if (span[1] <= span[0]) { return; }
        traces[k].x.push(span[0], span[1], span[1], span[0], span[0], null);
        traces[k].y.push(i - h, i - h, i + h, i + h, i - h, null);
      });
      text.x.push(b); text.y.push(i); text.text.push(" " + fmt(p.total)); text.customdata.push(p.iso3);
      text.hovertext.push("<b>" + esc(p.name) + (NOT_COUNTRIES[p.iso3] ? " (" + p.iso3 + ")" : "") + "</b><br>" +
        "Refugees: " + fmt(p.refugees) + "<br>Asylum-seekers: " + fmt(p.asylum_seekers));
    });
    // the left margin from the longest label (plotly's automargin would draw the figure twice)
    var labels = rows.map(partnerLabel);
    var longest = labels.reduce(function (m, l) { return Math.max(m, l.length); }, 4);
    var margin = { l: Math.round(longest * font * 0.58) + 12, r: 20, t: 8, b: Math.round(font * 2.6) + 8 };
    // room on the right for the values written after the bars (more with larger type); with the
    // chart's width known (opts.width), enough for each bar's value to end inside the plot
    var xmax = (max || 1) * (1.3 + (font - 12) * 0.04);
    if (o.width > 0) {
      var plotW = o.width - margin.l - margin.r;
      rows.forEach(function (p) {
        var textPx = (fmt(p.total).length + 2) * font * 0.6 + 4;  // " 1,275,925" and a little room
        var b = p.refugees + p.asylum_seekers;
        if (plotW > textPx + 20) { xmax = Math.max(xmax, b * plotW / (plotW - textPx)); }
      });
    }
    var layout = {
      margin: margin,
      paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff",
      font: { size: font }, showlegend: true, hovermode: "closest", dragmode: false,
      legend: { orientation: "h", x: 0, y: 1, yanchor: "bottom", font: { size: font } },
      xaxis: { range: [0, xmax], rangemode: "tozero", tickformat: "~s", nticks: 4,
               fixedrange: true, zeroline: true,
               title: { text: "persons (end of " + sum.year + ")", font: { size: font }, standoff: 6 } },
      yaxis: { tickvals: rows.map(function (p, i) { return i; }), ticktext: labels, range: [rows.length - 0.5, -0.5],
               fixedrange: true, showgrid: false, zeroline: false },
      annotations: [], meta: { iso3: sum.iso3, year: sum.year, flow: sum.flow, total: sum.total.total,
                               others: sum.others.total, partners: rows.map(function (p) { return [p.iso3, p.refugees, p.asylum_seekers]; }) }
    };
    if (!rows.length) {
      layout.annotations.push({ text: "No pairs reported for " + sum.year, showarrow: false, xref: "paper", yref: "paper",
                                x: 0.5, y: 0.5, font: { size: font + 2, color: "#555" } });
      layout.yaxis.range = [0.5, -0.5];
    }
    return { data: traces.concat([text]), layout: layout, height: 90 + Math.max(rows.length, 3) * (font + 16) };
  }

  /** The map of the wider region: the partners shaded by their number (log scale), the state
   *  itself dark, every other country of the basemap light grey (each country in one trace). */
  function mapFigure(sum, world, opts) {
    var o = opts || {}, font = o.labelSize || 12, col = COLOURS[sum.flow === "in" ? "in" : "out"];
    var ids = world.features.map(function (f) { return f.id; }), has = {};
    ids.forEach(function (id) { has[id] = true; });
    var shown = sum.all.filter(function (p) { return has[p.iso3] && p.iso3 !== sum.iso3 && p.total > 0; });
    var max = shown.reduce(function (m, p) { return Math.max(m, p.total); }, 1);
    var top = Math.max(1, Math.ceil(Math.log10(max)));
    var ticks = [], labels = [];
    for (var e = 0; e <= top; e++) { ticks.push(e); labels.push(e >= 6 ? fmt(Math.pow(10, e - 6)) + "M" : e >= 3 ? fmt(Math.pow(10, e - 3)) + "k" : fmt(Math.pow(10, e))); }
    // each country drawn once: the basemap is every country that is neither a partner nor the state
    var inShown = {};
    shown.forEach(function (p) { inShown[p.iso3] = true; });
    var rest = ids.filter(function (id) { return !inShown[id] && id !== sum.iso3; });
    var base = { type: "choropleth", name: "basemap", geojson: world, locations: rest, z: rest.map(function () { return 0; }),
                 colorscale: [[0, "#e9ecef"], [1, "#e9ecef"]], showscale: false, hoverinfo: "skip",
                 marker: { line: { color: "#ffffff", width: 0.5 } } };
    var partners = { type: "choropleth", name: "partners", geojson: world, locations: shown.map(function (p) { return p.iso3; }),
                     z: shown.map(function (p) { return Math.log10(Math.max(1, p.total)); }), zmin: 0, zmax: top,
                     colorscale: col.scale, marker: { line: { color: "#ffffff", width: 0.6 } },
                     hovertext: shown.map(function (p) {
                       return "<b>" + esc(p.name) + "</b><br>Refugees: " + fmt(p.refugees) + "<br>Asylum-seekers: " + fmt(p.asylum_seekers);
                     }),
                     hovertemplate: "%{hovertext}<extra></extra>",
                     colorbar: { title: { text: "persons", font: { size: font } }, tickvals: ticks, ticktext: labels, thickness: 12,
                                 len: 0.7, x: 1, tickfont: { size: font } } };
    var self = { type: "choropleth", name: "state", geojson: world, locations: has[sum.iso3] ? [sum.iso3] : [], z: [0],
                 colorscale: [[0, "#333333"], [1, "#333333"]], showscale: false,
                 marker: { line: { color: "#ffffff", width: 1 } },
                 hovertext: [esc(o.stateName || sum.iso3) + " (the state shown)"], hovertemplate: "%{hovertext}<extra></extra>" };
    var layout = {
      margin: { l: 0, r: 0, t: 0, b: 0 }, paper_bgcolor: "#ffffff", dragmode: false, font: { size: font },
      geo: { projection: { type: "azimuthal equal area", rotation: { lon: 36, lat: 50 } },
             lonaxis: { range: [-11, 83] }, lataxis: { range: [30, 70] }, fitbounds: false,
             showland: false, showocean: false, showlakes: false, showrivers: false, showcountries: false,
             showcoastlines: false, showframe: false, bgcolor: "#f5f8fb" },
      meta: { iso3: sum.iso3, year: sum.year, flow: sum.flow, shaded: shown.map(function (p) { return p.iso3; }) }
    };
    var off = sum.all.filter(function (p) { return !has[p.iso3] && !NOT_COUNTRIES[p.iso3]; });
    return { data: [base, partners, self], layout: layout, offMap: off };
  }

  /** The chart's text alternative: every row of the bars (top partners, others, total). */
  function tableHtml(sum, meta) {
    var rows = sum.partners.map(function (p) {
      return "<tr><th scope=\"row\">" + esc(p.name) + (NOT_COUNTRIES[p.iso3] ? " (" + p.iso3 + ")" : "") + "</th><td>" +
        fmt(p.refugees) + "</td><td>" + fmt(p.asylum_seekers) + "</td><td>" + fmt(p.total) + "</td></tr>";
    });
    if (sum.others.count) {
      rows.push("<tr><th scope=\"row\">Others (" + sum.others.count + ")</th><td>" + fmt(sum.others.refugees) + "</td><td>" +
                fmt(sum.others.asylum_seekers) + "</td><td>" + fmt(sum.others.total) + "</td></tr>");
    }
    rows.push("<tr><th scope=\"row\">Total</th><td>" + fmt(sum.total.refugees) + "</td><td>" + fmt(sum.total.asylum_seekers) +
              "</td><td>" + fmt(sum.total.total) + "</td></tr>");
    return "<caption>" + esc(titleOf(sum, meta)) + "</caption><thead><tr><th scope=\"col\">" +
      (sum.flow === "in" ? "Country of origin" : "Country of asylum") +
      "</th><th scope=\"col\">Refugees</th><th scope=\"col\">Asylum-seekers</th><th scope=\"col\">Total</th></tr></thead><tbody>" +
      rows.join("") + "</tbody>";
  }

  /** What the totals are and whether they equal the refugees layers of the year (layer values:
   *  {refugees_origin, refugees_hosted, asylum_seekers_hosted} of the state and year, or null);
   *  what UNK and XXA mean when they appear; partners outside the map. Returns HTML. */
  function totalsNote(sum, layers, codes, offMap) {
    var parts = [], L = layers || {};
    var shown = "Listed partners " + fmt(sum.total.total - sum.others.total) +
      (sum.others.count ? " + others " + fmt(sum.others.total) : "") + " = total " + fmt(sum.total.total) +
      " (refugees " + fmt(sum.total.refugees) + ", asylum-seekers " + fmt(sum.total.asylum_seekers) + "; " +
      sum.total.count + (sum.total.count === 1 ? " partner)." : " partners).");
    parts.push("<p class=\"flows-sum\">" + shown + "</p>");
    var layer = sum.flow === "in" ? "refugees_hosted" : "refugees_origin";
    var layerName = sum.flow === "in" ? "Refugees hosted" : "Refugees by country of origin";
    var v = L[layer];
    if (v === null || v === undefined) {
      parts.push("<p>The refugees layer (" + layerName + ") has no value for " + sum.year + ".</p>");
    } else if (Math.round(v) === sum.total.refugees) {
      parts.push("<p>Refugees: " + fmt(sum.total.refugees) + ", the same as the layer <em>" + layerName + "</em> for " +
                 sum.year + ".</p>");
    } else {
      parts.push("<p>Refugees: " + fmt(sum.total.refugees) + " in the pairs, " + fmt(v) + " on the layer <em>" + layerName +
                 "</em> (a difference of " + fmt(Math.abs(v - sum.total.refugees)) + "): UNHCR's pair tables leave out pairs " +
                 "below its reporting threshold and round small figures, while the country totals keep them; " +
                 "one side may also have been revised in a later release.</p>");
    }
    if (sum.flow === "in") {
      var a = L.asylum_seekers_hosted;
      if (a !== null && a !== undefined) {
        parts.push("<p>Asylum-seekers: " + fmt(sum.total.asylum_seekers) + (Math.round(a) === sum.total.asylum_seekers
          ? ", the same as the layer <em>Asylum-seekers hosted</em>."
          : " in the pairs, " + fmt(a) + " on the layer <em>Asylum-seekers hosted</em>.") + "</p>");
      }
    } else {
      parts.push("<p>Asylum-seekers (pairs from 2000 only) are not on any refugees layer, which counts refugees only.</p>");
    }
    var present = sum.all.filter(function (p) { return NOT_COUNTRIES[p.iso3]; });
    present.forEach(function (p) {
      var c = (codes || {})[p.iso3] || {};
      parts.push("<p><strong>" + p.iso3 + "</strong> = " + esc(c.name || p.name) + ": " + esc(c.meaning || "not a country") + "</p>");
    });
    if (offMap && offMap.length) {
      parts.push("<p>Not drawn on this map (outside it, or too small at its scale): " + offMap.slice(0, 8).map(function (p) { return esc(p.name) + " " + fmt(p.total); }).join(", ") +
                 (offMap.length > 8 ? " and " + (offMap.length - 8) + " more" : "") + ".</p>");
    }
    parts.push("<p class=\"flows-source\">" + SOURCE + "</p>");
    return parts.join("");
  }

  /** A figure as a picture: its title above and the source below (PNG/SVG downloads). */
  function pictureFigure(fig, title) {
    var layout = Object.assign({}, fig.layout, {
      title: { text: title, x: 0.01, xanchor: "left", font: { size: 15 } },
      // the source line under the figure, inside the picture (its text ends 12 px above the edge)
      margin: Object.assign({}, fig.layout.margin, { t: 60, b: (fig.layout.margin.b || 0) + 48 }),
      annotations: (fig.layout.annotations || []).concat([{ text: SOURCE, showarrow: false, xref: "paper", yref: "paper",
        x: 0, y: 0, yshift: -(fig.layout.margin.b || 0) - 20, xanchor: "left", yanchor: "top", font: { size: 11, color: "#444" } }])
    });
    return { data: fig.data, layout: layout };
  }

  function flowsUrl(iso3, flow) {
    return "/api/v1/flows?" + (flow === "in" ? "asylum=" : "origin=") + iso3 + "&indicator=refugees,asylum_seekers";
  }
  function csvUrl(iso3, flow, year) {
    return "/api/v1/flows?" + (flow === "in" ? "asylum=" : "origin=") + iso3 + "&year=" + year +
      "&indicator=refugees,asylum_seekers&format=csv";
  }
  function layersUrl(iso3) {
    return "/api/v1/observations?indicator=refugees_origin,refugees_hosted,asylum_seekers_hosted&iso3=" + iso3;
  }

  // ---------------------------------------------------------------- the browser's part
  var got = {}, asked = {};            // url → parsed JSON; url → its promise
  var world = null, drawn = null, mapDrawn = null, wired = false;
  var WORLD_URL = "/assets/geo/flows-world.geojson";

  function fetchJson(url) {
    if (!asked[url]) {
      asked[url] = fetch(url, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) { throw new Error(url + ": " + r.status); }
        return r.json();
      }).then(function (j) { got[url] = j; return j; }, function (err) { delete asked[url]; throw err; });
    }
    return asked[url];
  }

  function byId(id) { return document.getElementById(id); }

  function controls(api) {
    var box = byId("flows-controls");
    if (!box || box.firstChild) { return; }
    var meta = api.meta(), ctx = api.ctx();
    box.innerHTML = "<label class=\"flows-pick\">State <select name=\"flows-state\">" + ctx.iso3.map(function (c) {
      return "<option value=\"" + c + "\">" + esc(stateName(meta, c)) + "</option>";
    }).join("") + "</select></label>" +
      "<span class=\"flows-dir\" role=\"radiogroup\" aria-label=\"Direction\">" +
      "<label><input type=\"radio\" name=\"flows-flow\" value=\"out\"> From the state (by country of asylum)</label>" +
      "<label><input type=\"radio\" name=\"flows-flow\" value=\"in\"> Hosted by the state (by country of origin)</label></span>";
    var dl = byId("flows-downloads");
    if (dl && !dl.querySelector("button")) {
      ["chart", "map"].forEach(function (what) {
        ["png", "svg"].forEach(function (fmtName) {
          var b = document.createElement("button");
          b.type = "button"; b.className = "share-btn flows-picture";
          b.setAttribute("data-plot", "flows-" + what); b.setAttribute("data-format", fmtName);
          b.textContent = (what === "chart" ? "Chart" : "Map") + " " + fmtName.toUpperCase();
          dl.appendChild(document.createTextNode(" "));
          dl.appendChild(b);
        });
      });
    }
    if (wired) { return; }
    wired = true;
    box.addEventListener("change", function (ev) {
      var t = ev.target;
      if (t.name === "flows-state") { api.dispatch({ type: "country", iso3: t.value }); }
      if (t.name === "flows-flow" && t.checked) { api.dispatch({ type: "flow", flow: t.value }); }
    });
    if (dl) {
      dl.addEventListener("click", function (ev) {
        var b = ev.target.closest && ev.target.closest("button.flows-picture");
        if (!b || !window.Plotly) { return; }
        var gd = byId(b.getAttribute("data-plot")), m = gd && gd.layout && gd.layout.meta;
        if (!m) { return; }
        var name = "flows_" + m.iso3 + "_" + m.year + "_" + (m.flow === "in" ? "in" : "out") + "_" +
          b.getAttribute("data-plot").replace("flows-", "");
        var title = (byId("flows-title") || {}).textContent || "";
        window.Plotly.downloadImage(pictureFigure({ data: gd.data, layout: gd.layout }, title),
                                    { format: b.getAttribute("data-format"), filename: name,
                                          width: Math.max(800, gd.offsetWidth), height: Math.max(500, gd.offsetHeight) });
      });
    }
  }

  function syncControls(pick, s) {
    var box = byId("flows-controls");
    if (!box) { return; }
    var sel = box.querySelector("select[name=flows-state]");
    if (sel && sel.value !== pick.iso3) { sel.value = pick.iso3; }
    Array.prototype.forEach.call(box.querySelectorAll("input[name=flows-flow]"), function (r) {
      r.checked = r.value === (s.flow === "in" ? "in" : "out");
    });
  }

  function layerValues(obs, iso3, year) {
    var out = { refugees_origin: null, refugees_hosted: null, asylum_seekers_hosted: null };
    ((obs && obs.rows) || []).forEach(function (r) {
      if (r.iso3 === iso3 && r.year === year && r.indicator in out) { out[r.indicator] = r.value; }
    });
    return out;
  }

  function render(s, prev, api) {
    controls(api);
    var meta = api.meta(), pick = chosen(s, meta), flow = s.flow === "in" ? "in" : "out";
    syncControls(pick, s);
    var url = flowsUrl(pick.iso3, flow), lurl = layersUrl(pick.iso3);
    var key = keyOf(s, api);
    var reopened = !prev || prev.view !== "flows";
    if (key === drawn && !reopened) { return; }
    var title = byId("flows-title");
    if (!got[url] || !got[lurl]) {
      if (title) { title.textContent = "Loading the pairs of " + stateName(meta, pick.iso3) + "…"; }
      var box = byId("flows-box");
      if (box) { box.setAttribute("aria-busy", "true"); }
      Promise.all([fetchJson(url), fetchJson(lurl)]).then(function () {
        var st = api.state();
        if (st && st.view === "flows") { render(st, null, api); }
      }, function (err) {
        if (title) { title.textContent = "The pairs could not be loaded (" + err.message + ")."; }
      });
      return;
    }
    drawn = key;
    draw(s, pick, flow, api);
  }

  // the figures first, then the texts: plotly measures text as it draws, and a page whose
  // layout was just changed would be laid out again at each of its measurements
  function draw(s, pick, flow, api) {
    var meta = api.meta(), data = got[flowsUrl(pick.iso3, flow)], obs = got[layersUrl(pick.iso3)];
    var sum = summarise(data.rows, pick.iso3, s.year, flow, TOP);
    var name = stateName(meta, pick.iso3), size = api.labelSize(s), key = drawn;
    function texts(offMap) {
      var title = byId("flows-title");
      if (title) {
        var why = pick.why === "default" ? " — no state chosen: Ukraine is shown; choose another state below"
          : pick.why === "story" ? " — the story step's state" : "";
        var cover = sum.years && (s.year < sum.years[0] || s.year > sum.years[1])
          ? " (UNHCR's pairs for " + name + " cover " + sum.years[0] + "–" + sum.years[1] + ")" : "";
        title.textContent = titleOf(sum, meta) + cover + why;
      }
      var box = byId("flows-box");
      if (box) { box.removeAttribute("aria-busy"); box.setAttribute("data-state", pick.iso3); box.setAttribute("data-year", String(s.year)); }
      var table = byId("flows-table");
      if (table) { table.innerHTML = tableHtml(sum, meta); }
      var csv = byId("flows-csv");
      if (csv) {
        csv.setAttribute("href", csvUrl(pick.iso3, flow, s.year));
        csv.textContent = "Download the pairs shown (CSV: " + name + ", " + s.year + ", " + (flow === "in" ? "hosted" : "from") + ")";
      }
      var note = byId("flows-note");
      if (note) { note.innerHTML = totalsNote(sum, layerValues(obs, pick.iso3, s.year), data.codes, offMap); }
    }
    function plotMap() {
      var m = mapFigure(sum, world, { labelSize: size, stateName: name });
      var el = byId("flows-map");
      if (el) {
        var first = !el._fullLayout;
        mapDrawn = key;
        window.Atlas.map.draw(el, m, api.config());
        if (first) {
          el.on("plotly_click", function (ev) {
            var p = ev && ev.points && ev.points[0];
            if (p && api.ctx().iso3.indexOf(p.location) >= 0) { api.dispatch({ type: "country", iso3: p.location }); }
          });
        }
      }
      return m.offMap;
    }
    api.withPlotly(function () {
      var chart = byId("flows-chart");
      if (chart) {
        var bars = barFigure(sum, { labelSize: size, width: chart.clientWidth });
        if (chart.style.height !== bars.height + "px") { chart.style.height = bars.height + "px"; }
        var first = !chart._fullLayout;
        window.Atlas.map.draw(chart, bars, BAR_CONFIG);
        if (first) {
          chart.on("plotly_click", function (ev) {
            var p = ev && ev.points && ev.points[0], iso = p && p.customdata;
            if (iso && api.ctx().iso3.indexOf(iso) >= 0) { api.dispatch({ type: "country", iso3: iso }); }
          });
        }
      }
      if (world) { texts(plotMap()); return; }
      texts([]);
      fetchJson(WORLD_URL).then(function (w) {
        world = w;
        var st = api.state();
        if (st && st.view === "flows" && drawn === keyOf(st, api)) { texts(plotMap()); }
      });
    });
  }
  function keyOf(s, api) {
    var pick = chosen(s, api.meta());
    return [pick.iso3, s.flow === "in" ? "in" : "out", s.year, s.present, pick.why].join("|");
  }

  return { summarise: summarise, barFigure: barFigure, pictureFigure: pictureFigure, mapFigure: mapFigure, tableHtml: tableHtml, totalsNote: totalsNote,
           chosen: chosen, titleOf: titleOf, flowsUrl: flowsUrl, csvUrl: csvUrl, fmt: fmt, render: render, TOP: TOP };
});
