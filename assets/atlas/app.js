/* The store and the renderer: one state (state.js), changed only by dispatch(action); render()
 * draws it into the map, the texts, the panel, the story box, the controls and the address.
 * The page's facts and every layer's payload are cached JSON files it fetches
 * (dashboard/views/page_data.py: /atlas/meta.json, /atlas/layer/<id>.json), as is a country's
 * panel (dashboard/views/panel.py: /panel/<ISO3>.json); their answers come back as events
 * (layerArrived, drawPanel). Dash is used for what the server computes (the data table, the
 * sources): the renderer writes small request stores (data-req, sources-req). Correctness
 * never waits on a timer: the play timer only produces "tick" actions, and frames only throttle
 * the slider's echo. */
(function () {
  "use strict";
  var A = window.Atlas;
  var ctx = null, meta = null, state = null, base = null, config = null;
  var payloads = {};          // layer id → payload from the server (frames and colours)
  var lastTag = null;         // the merge tag of the current history entry
  var sent = {};              // what the renderer last told each Dash prop (echoes are not actions)
  var drawn = null;           // the view the map shows: {layer, year, country, hl, present}
  var posterGone = false, playTimer = null, speed = 1000;
  var booted = false;

  function setProps(id, props) {
    var dc = window.dash_clientside;
    if (dc && dc.set_props) { dc.set_props(id, props); }
  }
  // set a Dash prop, remembering the value so that its echo is not taken for a user's action
  function tell(id, prop, value) {
    var key = id + "." + prop;
    if (JSON.stringify(sent[key]) === JSON.stringify(value)) { return; }
    sent[key] = value;
    var p = {}; p[prop] = value;
    setProps(id, p);
  }
  // show a value in one of the page's plain selects (assets/atlas/input.js reads their changes)
  function pick(id, value) {
    var el = document.getElementById(id), v = value === null || value === undefined ? "" : String(value);
    sent[id + ".value"] = value;
    if (el && el.value !== v) { el.value = v; }
  }
  // the region: its selector and the close-up chips over the map
  function pickRegion(region) {
    pick("region-select", region);
    Array.prototype.forEach.call(document.querySelectorAll(".region-chip[data-region]"), function (b) {
      var on = b.getAttribute("data-region") === region ? "true" : "false";
      if (b.getAttribute("aria-pressed") !== on) { b.setAttribute("aria-pressed", on); }
    });
  }
  // the plain selects' every choice (the layout carries only the chosen one: Dash's first render
  // costs per component), then the state's value in each
  function fillSelects(s) {
    var opts = meta.select_options || {};
    Object.keys(opts).forEach(function (id) {
      var el = document.getElementById(id);
      if (el && el.options.length <= 1) { el.innerHTML = opts[id]; }
    });
    pick("layer-select", A.state.baseOf(s.layer, ctx));
    pick("story-select", s.story || null);
    pickRegion(s.region);
    pick("play-speed", speed);
  }
  function isEcho(id, prop, value) {
    return JSON.stringify(sent[id + "." + prop]) === JSON.stringify(value);
  }

  function highlight(s) {
    if (!s.story) { return []; }
    var st = meta.stories[s.story];
    return (st && st.steps[s.step] && st.steps[s.step].countries) || [];
  }

  // ---------------------------------------------------------------- dispatch and the address
  function dispatch(action) {
    if (!booted) { return; }
    wake();
    var r = A.state.reduce(state, action, ctx);
    if (r.state === state) { return; }
    var prev = state;
    state = r.state;
    writeAddress(r);
    render(prev, state);
    renderNotices(noticesOf(r));
  }

  // what the notice says after a change: a layer that moved to its years with data, or a year
  // the layer has no data for (never an all-grey map without a word)
  function noticesOf(r) {
    var out = [], label = (meta.layers[state.layer] || {}).label || state.layer;
    if (r && r.notice && r.notice.kind === "moved") {
      out.push({ text: label + " has no data for " + r.notice.from + ": showing " + r.notice.to +
                 " (its data cover " + r.notice.covered[0] + "–" + r.notice.covered[1] + ")." });
    }
    var cov = (ctx.layers[state.layer] || {}).covered;
    if (!out.length && cov && (state.year < cov[0] || state.year > cov[1])) {
      out.push({ text: label + " has no data for " + state.year + ": its data cover " + cov[0] + "–" + cov[1] + "." });
    }
    return out;
  }

  function writeAddress(r) {
    if (!r.history) { return; }
    var q = A.address.serialise(state, ctx);
    var url = window.location.pathname + q + window.location.hash;
    if (r.history === "push" && !(r.merge && r.merge === lastTag)) {
      if (q !== window.location.search) { window.history.pushState(null, "", url); }
      lastTag = r.merge;
    } else if (q !== window.location.search) {
      window.history.replaceState(null, "", url);
    }
  }

  // ---------------------------------------------------------------- render
  // the map is drawn unless one of the chart, ranking or compare views takes its place (then a
  // year step costs only that view; the map is drawn when it shows again)
  function mapShown(s) { return !BOXES[s.view] || s.view === "map"; }

  function render(prev, s) {
    // a country's panel first: its document is on its way while the rest is drawn, and the map
    // (its outline, its new size) follows once the panel is on screen (mapFollows)
    var panelChanged = prev.country !== s.country || (s.country && prev.layer !== s.layer) ||
        panelShown(prev) !== panelShown(s);
    if (panelChanged) { renderPanel(s, prev); }
    var drawing = null;
    if (mapShown(s)) {
      if (panelChanged && panelShown(s)) { mapWaits = true; } else { drawing = renderMap(s); }
    }
    // A year step on the map: the map first, the year's texts, title and citation once plotly has
    // drawn it (plotly finishes a geo plot in microtasks: DOM written before then would be laid
    // out inside its drawing). They are drawn from the state of that moment.
    if (drawing && yearOnly(prev, s)) {
      yearLater();
      Promise.resolve(drawing).then(yearTexts, yearTexts);
      if (s.playing) { renderPlay(s); }
      return;
    }
    if (prev.layer !== s.layer) {
      // Dash's controls follow once the layer is drawn, after its frame (their re-render would
      // delay the layer's file and its drawing; a choice made in the selector itself is no echo)
      echoQueued = true;
      loadLayer(s.layer);
      if (payloads[s.layer]) { echoLayer(); }
    }
    if (prev.year !== s.year) { yearLater(); }
    if (prev.year !== s.year || prev.layer !== s.layer) { renderTexts(s); }
    if (prev.country === s.country && panelShown(s) && prev.year !== s.year) { markPanelYear(s.year); }
    if (prev.story !== s.story || prev.step !== s.step) { renderStory(s); }
    if (prev.region !== s.region) { pickRegion(s.region); }
    if (prev.present !== s.present || prev.embed !== s.embed) { renderPresent(s); }
    if (prev.view !== s.view || (!prev.story !== !s.story && s.view !== "map")) { renderView(s); }
    renderActive(prev, s);
    renderShare(s);
    renderTitle(s);
    if (s.view === "data" && (prev.view !== "data" || prev.data !== s.data || !tableShown)) { dataWhenAwake(s); }
    if (prev.playing !== s.playing || s.playing) { renderPlay(s); }
  }

  // the states differ in their year only
  function yearOnly(prev, s) {
    if (prev.year === s.year) { return false; }
    for (var k in s) {
      if (Object.prototype.hasOwnProperty.call(s, k) && k !== "year" && prev[k] !== s[k]) { return false; }
    }
    for (var j in prev) {
      if (Object.prototype.hasOwnProperty.call(prev, j) && !(j in s)) { return false; }
    }
    return true;
  }
  function yearTexts() {
    var s = state;
    renderTexts(s);
    if (panelShown(s)) { markPanelYear(s.year); }
    renderShare(s);
    renderTitle(s);
  }

  // plotly.js is loaded on the user's first move (or first action): until then the server's
  // picture of the address's view is the map, and the first view runs no plotly.js at all
  var awake = false;
  function wake() {
    if (awake || !booted) { return; }
    awake = true;
    WAKE_EVENTS.forEach(function (type) { window.removeEventListener(type, wake, true); });
    A.map.withPlotly(function () { renderMap(state); });
    if (dataQueued) { dataQueued = false; if (state.view === "data") { showData(state); } }
    if (sourcesQueued) { sourcesQueued = false; if (state.view === "sources") { sourcesWhenAwake(); } }
  }
  // the sources tab's contents: one server round trip (Dash renders them into its slot), asked
  // for when the tab opens; opened by the address, on the first move, as the data tab's controls
  var sourcesQueued = false;
  function sourcesWhenAwake() {
    if (awake) { tell("sources-req", "data", { open: true }); } else { sourcesQueued = true; }
  }
  var WAKE_EVENTS = ["pointermove", "pointerdown", "touchstart", "keydown", "focusin", "wheel", "scroll"];
  // the data tab: its rows first (renderTable), then its controls (a server round trip and Dash's
  // rendering: renderData). Opened by the address, both come on the user's first move, as
  // plotly.js does for the map (the page's first lines, the tab's heading and the row count, are
  // the server's); a click on the tab is a move.
  var dataQueued = false;
  function showData(s) {
    renderTable(s).then(function () { if (state.view === "data") { renderData(state); } });
  }
  function dataWhenAwake(s) {
    if (awake) { showData(s); } else { dataQueued = true; }
  }
  WAKE_EVENTS.forEach(function (type) { window.addEventListener(type, wake, { capture: true, passive: true }); });

  // a layer's payload: from the page's cache, else its JSON file (cached by the browser for good:
  // its address carries the version of the data and code); layerArrived draws it
  var pending = {};
  function layerUrl(id) {
    return (meta.layer_url || "/atlas/layer/{id}.json").replace("{id}", encodeURIComponent(id));
  }
  function getJSON(url) {
    return window.fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(url + ": " + r.status); }
      return r.json();
    });
  }
  function loadLayer(id) {
    if (payloads[id]) { if (id === state.layer) { renderLayerTexts(payloads[id]); } return; }
    if (pending[id]) { return; }
    pending[id] = true;
    getJSON(layerUrl(id)).then(function (payload) {
      delete pending[id];
      layerArrived(payload);
    }, function () {
      delete pending[id];
      if (id === state.layer) {
        echoLayer();
        renderNotices([{ text: "The layer could not be loaded: check the connection and choose it again." }]);
      }
    });
  }

  // the legend, the source line, the description and the per-1,000 choice of the layer shown
  // (markup as dashboard/views/layout.py legend and source_line; React never manages these
  // elements' children after the first render)
  var textsLayer = null;
  function renderLayerTexts(payload) {
    if (!payload || !payload.legend || textsLayer === payload.layer) { return; }
    textsLayer = payload.layer;
    var lg = document.getElementById("legend");
    if (lg) {
      lg.innerHTML = '<h2 class="legend-title">' + esc(payload.legend.title) + '</h2><ul class="legend-list">' +
        payload.legend.items.map(function (it) {
          return '<li class="sw' + (it.label === payload.legend.no_data ? " sw-nodata" : "") +
            '" style="--swatch: ' + esc(it.color) + '">' + esc(it.label) + "</li>";
        }).join("") + "</ul>";
    }
    var src = document.getElementById("source-line");
    if (src) { src.innerHTML = payload.source_line.map(function (t) { return "<span>" + esc(t) + "</span>"; }).join(""); }
    var desc = document.getElementById("layer-description");
    if (desc) { desc.textContent = payload.description; }
    afterPaint(function () {
      var p = payloads[state.layer] || payload;
      tell("per-capita-box", "style", { display: p.per_capita_toggle ? "block" : "none" });
    });
  }
  var echoQueued = false;
  function echoLayer() {
    if (!echoQueued) { return; }
    echoQueued = false;
    afterPaint(function () {
      placeCoverage();
      pick("layer-select", A.state.baseOf(state.layer, ctx));
      tell("per-capita", "value", A.state.isPerCapita(state.layer, ctx) ? "per1000" : "count");
    });
  }
  // once the next frame is painted
  function afterPaint(fn) {
    window.requestAnimationFrame(function () { setTimeout(fn, 0); });
  }

  // the map, now if everything it needs is there (else when it arrives: layerArrived, Plotly)
  function renderMap(s) {
    var payload = payloads[s.layer];
    var hl = highlight(s);
    if (!payload || !base || !window.Plotly) { return; }
    var el = document.getElementById("map-plot");
    if (!el) { return; }
    var inset = insetWanted(el, s), box = inset ? el.clientWidth + "x" + el.clientHeight : "";
    if (drawn && drawn.layer === s.layer && drawn.year === s.year && drawn.country === s.country &&
        drawn.hl === hl.join(",") && drawn.present === s.present && drawn.region === s.region &&
        drawn.inset === inset && drawn.box === box) { return; }
    var fig = A.map.compose(base, payload, { year: s.year, country: s.country, highlight: hl, present: s.present,
                                             region: s.region, geo: (meta.regions[s.region] || {}).geo,
                                             labelSize: labelSize(s), inset: inset, insetAspect: meta.inset_aspect,
                                             box: { w: el.clientWidth, h: el.clientHeight } });
    if (!fig) { return; }
    var first = !drawn;
    drawn = { layer: s.layer, year: s.year, country: s.country, hl: hl.join(","), present: s.present, region: s.region,
              inset: inset, box: box };
    var done = A.map.draw(el, fig, config);
    Promise.resolve(done).then(function () { A.map.declutter(el, meta.label_priority); });
    if (first) {
      el.on("plotly_click", function (ev) {
        var p = ev && ev.points && ev.points[0];
        if (!p) { return; }
        var loc = meta.contested_state[p.location] || p.location;
        if (ctx.iso3.indexOf(loc) >= 0) { dispatch({ type: "country", iso3: loc }); }
      });
      el.on("plotly_hover", prefetchPanel);
      Promise.resolve(done).then(hidePoster);
    }
    return done;
  }

  // the whole space's inset (Moldova and the South Caucasus enlarged) in a map box wide enough
  function insetWanted(el, s) {
    return s.region === "all" && A.map.insetFits(el.clientWidth, meta.inset_min_width);
  }
  // a box that grows or shrinks across that width draws the map again, with or without it
  function insetFollows() {
    var el = document.getElementById("map-plot");
    if (!drawn || !el || el.offsetParent === null) { return; }
    var inset = insetWanted(el, state);
    if (inset !== drawn.inset || (inset && drawn.box !== el.clientWidth + "x" + el.clientHeight)) { renderMap(state); }
  }

  // labels: 12 px; in presentation mode 18 px and more, with the screen (1 % of its width)
  function labelSize(s) {
    return s.present ? Math.max(18, Math.round(window.innerWidth / 100)) : 12;
  }

  function hidePoster() {
    if (posterGone) { return; }
    posterGone = true;
    var img = document.getElementById("map-poster");
    // the map's frame is on screen first, then the picture goes
    if (img) {
      window.requestAnimationFrame(function () {
        window.requestAnimationFrame(function () { img.classList.add("done"); });
      });
    }
  }

  // the slider's thumb follows after the map's frame (the map is drawn in the input's own task)
  var yearQueued = false;
  function yearLater() {
    if (yearQueued) { return; }
    yearQueued = true;
    window.requestAnimationFrame(function () {
      yearQueued = false;
      tell("year-slider", "value", state.year);
    });
  }

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // the year's events and the map's text alternative (markup as dashboard/views/layout.py)
  function renderTexts(s) {
    var title = document.getElementById("events-title");
    var list = document.getElementById("events-strip");
    if (title) { title.textContent = "Events in " + s.year; }
    if (list) {
      var evs = meta.events[String(s.year)] || [];
      list.innerHTML = evs.length ? evs.map(function (e) {
        return '<li title="' + esc(e.source) + '"><span class="ev-date">' + esc(e.date) + "</span> <strong>" +
          esc(e.title) + "</strong> — " + esc(e.text) + ' <small class="ev-src">(' + esc(e.source) + ")</small></li>";
      }).join("") : '<li class="ev-none">No events recorded for this year.</li>';
    }
    var payload = payloads[s.layer];
    var fr = payload && payload.frames.years[String(s.year)];
    if (!fr) { return; }
    var p = document.getElementById("map-summary");
    if (p) { p.textContent = fr.summary; }
    var table = document.getElementById("map-table");
    function writeTable() {
      var label = payload.frames.label;
      table.innerHTML = "<caption>" + esc(label) + ", " + s.year + "</caption>" +
        '<thead><tr><th scope="col">Country</th><th scope="col">' + esc(label) + "</th></tr></thead><tbody>" +
        payload.frames.names.map(function (n, i) {
          return '<tr><th scope="row">' + esc(n) + "</th><td>" + esc(fr.labels[i]) + "</td></tr>";
        }).join("") + "</tbody>";
    }
    // (at boot, in a task of its own; written only if the view is still the one it shows: a key
    // pressed meanwhile has written its own year's table)
    if (table) {
      if (booting && !table.firstChild) {
        setTimeout(function () { if (state.year === s.year && state.layer === s.layer) { writeTable(); } }, 0);
      } else { writeTable(); }
    }
  }

  // the country panel: open with a country, except in the flows view, where the country is the
  // view's own state (its panel would repeat it and take the room of the view's map)
  function panelShown(s) { return !!s.country && s.view !== "flows"; }
  // the panel's contents (ids in dashboard/ids.py), written when a country first opens (not in
  // the first layout: Dash's first render costs per component)
  var PANEL_HTML =
    '<button id="panel-close" class="panel-close" title="Close (Esc)" type="button" ' +
    'aria-label="Close the country panel">×</button><h2 id="panel-title"></h2>' +
    '<div id="panel-body"><div id="panel-series" class="panel-graph"></div>' +
    '<div id="panel-memberships" class="panel-graph"></div><div id="panel-regime" class="panel-graph"></div>' +
    '<h3>Events</h3><ul id="panel-events" class="panel-events"></ul></div>';
  function renderPanel(s, prev) {
    var open = panelShown(s), was = !!prev && panelShown(prev);
    if (open) { fillBox("country-panel", PANEL_HTML); loadPanel(s); }
    tell("country-panel", "hidden", !open);
    tell("country-picker", "value", s.country);
    tell("app-root", "data-panel", open ? "open" : "closed");
    // the map makes room for the panel (once the panel is drawn, when it opens)
    if (!prev || !open) { resizeMapLater(); } else if (!was) { resizeWaits = true; }
    if (open && !was) { placeSheet(true); }
  }

  // Phones: the panel is a sheet over the bottom of the screen whose top stays under the time bar
  // (the slider, the year box and Play are never covered); when it opens, the page scrolls so that
  // the map's top meets the screen's, which leaves the sheet room.
  var PHONE = "(max-width: 800px)";
  function placeSheet(opening) {
    var panel = document.getElementById("country-panel");
    var bar = document.querySelector("#view-map .timebar");
    if (!panel || !state || !panelShown(state) || !window.matchMedia(PHONE).matches) { return; }
    var area = document.querySelector("#view-map .map-area");
    if (opening && bar && bar.offsetParent !== null && area) {
      var top = area.getBoundingClientRect().top;
      if (top > 0) { window.scrollBy(0, top); }
    }
    var below = bar && bar.offsetParent !== null ? bar.getBoundingClientRect().bottom + 6 : 0;
    var h = window.innerHeight;
    panel.style.setProperty("--sheet-top", Math.round(Math.min(Math.max(below, 0.3 * h), h - 120)) + "px");
  }
  var sheetQueued = false;
  function sheetLater() {
    if (sheetQueued) { return; }
    sheetQueued = true;
    window.requestAnimationFrame(function () { sheetQueued = false; placeSheet(false); });
  }
  window.addEventListener("scroll", sheetLater, { passive: true });
  window.addEventListener("resize", sheetLater);
  var insetQueued = false;
  window.addEventListener("resize", function () {
    if (insetQueued) { return; }
    insetQueued = true;
    window.requestAnimationFrame(function () { insetQueued = false; insetFollows(); });
  });

  // the map's outline of the open country and its new size, after the panel is on screen
  var mapWaits = false, resizeWaits = false;
  function mapFollows() {
    if (!mapWaits && !resizeWaits) { return; }
    window.requestAnimationFrame(function () {
      var redraw = mapWaits, resize = resizeWaits;
      mapWaits = resizeWaits = false;
      if (redraw && mapShown(state)) { renderMap(state); }
      if (resize) { resizeMapLater(); }
    });
  }

  // The panel's content: one JSON document per country and layer (dashboard/views/panel.py),
  // fetched once, drawn with Plotly.react into the panel's boxes; the year is only a marker.
  var panelDocs = {};
  var PANEL_GRAPHS = [["series", "panel-series"], ["memberships", "panel-memberships"], ["regime", "panel-regime"]];
  var PANEL_CONFIG = { displayModeBar: false, responsive: true };
  function fetchPanel(iso, layer) {  // → a promise of the document (one request per key)
    var key = iso + "|" + layer;
    if (!panelDocs[key]) {
      panelDocs[key] = window.fetch("/panel/" + iso + ".json?layer=" + encodeURIComponent(layer) + "&v=" + meta.version,
                                    { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (doc) { if (!doc) { delete panelDocs[key]; } return doc; },
              function () { delete panelDocs[key]; return null; });  // offline or gone: asked again next time
    }
    return panelDocs[key];
  }
  function loadPanel(s) {
    var iso = s.country, layer = s.layer;
    fetchPanel(iso, layer).then(function (doc) {
      if (!doc) { mapFollows(); return; }  // the panel keeps what it shows
      if (state.country === iso && state.layer === layer) { drawPanel(doc); } else { mapFollows(); }
    });
  }
  // a state under the pointer on the map: its panel's document is fetched before the click
  function prefetchPanel(ev) {
    var p = ev && ev.points && ev.points[0];
    var loc = p && (meta.contested_state[p.location] || p.location);
    if (loc && ctx.iso3.indexOf(loc) >= 0 && state) { fetchPanel(loc, state.layer); }
  }

  function withYear(layout, year) {
    var shapes = (layout.shapes || []).map(function (sh) {
      return sh.name === "year" ? Object.assign({}, sh, { x0: year, x1: year }) : sh;
    });
    return Object.assign({}, layout, { shapes: shapes });
  }
  function drawPanel(doc) {
    A.map.withPlotly(function () {
      if (state.country !== doc.iso3 || state.layer !== doc.layer) { mapFollows(); return; }
      var done = PANEL_GRAPHS.map(function (g) {
        var box = document.getElementById(g[1]), fig = doc[g[0]];
        if (!box || !fig) { return null; }
        var gd = box.querySelector(".panel-plot");
        if (fig.kind === "strips") {  // status strips: HTML (views.js stripHtml)
          if (gd) { window.Plotly.purge(gd); }
          box.innerHTML = A.views.stripHtml(fig, state.year);
          return null;
        }
        if (!gd) {
          box.innerHTML = "";
          gd = document.createElement("div");
          gd.className = "panel-plot";
          box.appendChild(gd);
        }
        return A.map.draw(gd, { data: fig.data, layout: withYear(fig.layout, state.year) }, PANEL_CONFIG);
      });
      // the title last: it says the graphs are this country's
      Promise.all(done).then(function () {
        if (state.country !== doc.iso3) { mapFollows(); return; }
        var list = document.getElementById("panel-events");
        if (list) {
          list.innerHTML = doc.events.length ? doc.events.map(function (e) {
            return '<li><span class="ev-date">' + esc(e.date) + "</span> <strong>" + esc(e.title) + "</strong><br>" +
              esc(e.text) + '<br><small class="ev-src">Source: ' + esc(e.source) + "</small></li>";
          }).join("") : "<li>No events recorded for this country.</li>";
        }
        var title = document.getElementById("panel-title");
        if (title) { title.textContent = doc.title; title.setAttribute("data-iso3", doc.iso3); }
        markPanelYear(state.year);
        mapFollows();
      });
    });
  }

  // the year marker of the panel's charts (plots carry a shape named "year"; strips a marker)
  function markPanelYear(year) {
    PANEL_GRAPHS.forEach(function (g) {
      var box = document.getElementById(g[1]);
      if (!box) { return; }
      A.views.stripYear(box, year);
      var gd = box.querySelector(".js-plotly-plot");
      if (!gd || !gd.layout || !gd.layout.shapes || !window.Plotly) { return; }
      var upd = {};
      gd.layout.shapes.forEach(function (sh, i) {
        if (sh.name === "year" && sh.x0 !== year) { upd["shapes[" + i + "].x0"] = year; upd["shapes[" + i + "].x1"] = year; }
      });
      if (Object.keys(upd).length) { window.Plotly.relayout(gd, upd); }
    });
  }

  // the story box's contents: written once (then only their texts change, so a focused button
  // keeps its focus from step to step); ids in dashboard/ids.py
  var STORY_HTML =
    '<p id="story-heading" class="story-heading"></p><h2 id="story-step-title" class="story-step-title"></h2>' +
    '<p id="story-caption" class="story-caption"></p><ul id="story-sources" class="story-sources"></ul>' +
    '<div class="story-nav"><button id="story-prev" type="button" class="story-btn">◀ Previous</button>' +
    '<span id="story-count" class="story-count"></span>' +
    '<button id="story-next" type="button" class="story-btn">Next ▶</button>' +
    '<button id="story-end" type="button" class="story-btn story-end">End story</button></div>';
  function renderStory(s) {
    var story = s.story && meta.stories[s.story];
    pick("story-select", s.story || null);
    if (!story) { tell("story-box", "hidden", true); return; }
    var step = story.steps[s.step];
    fillBox("story-box", STORY_HTML);
    function text(id, t) { var el = document.getElementById(id); if (el) { el.textContent = t; } }
    text("story-heading", story.title);
    text("story-step-title", step.title);
    text("story-caption", step.caption);
    text("story-count", "Step " + (s.step + 1) + " of " + story.steps.length);
    var list = document.getElementById("story-sources");
    if (list) {
      list.innerHTML = step.sources.map(function (src) {
        return "<li>" + (src.url ? '<a href="' + esc(src.url) + '" target="_blank" rel="noopener">' + esc(src.citation) + "</a>"
                                 : esc(src.citation)) + "</li>";
      }).join("");
    }
    var prev = document.getElementById("story-prev"), next = document.getElementById("story-next");
    if (prev) { prev.disabled = s.step === 0; }
    if (next) { next.disabled = s.step === story.steps.length - 1; }
    tell("story-box", "hidden", false);
  }

  function renderPresent(s) {
    tell("app-root", "className", "app" + (s.present ? " presenting" : "") + (s.embed ? " embedded" : ""));
    tell("present-button", "aria-pressed", s.present ? "true" : "false");
    tell("present-button", "children", s.present ? "Leave presentation" : "Present");
    resizeMapLater();
  }

  function resizeMapLater() {
    // the map's box changes size with the page's layout, known after the next frame
    window.requestAnimationFrame(function () {
      if (!window.Plotly) { return; }
      var plots = ["map-plot", "compare-left", "compare-right", "chart"];
      MODULE_VIEWS.forEach(function (k) { if (A[k] && A[k].plots) { plots = plots.concat(A[k].plots()); } });
      plots.forEach(function (id) {
        var el = typeof id === "string" ? document.getElementById(id) : id;
        if (el && el._fullLayout && el.offsetParent !== null) {
          Promise.resolve(window.Plotly.Plots.resize(el)).then(function () {
            if (id === "map-plot") { A.map.declutter(el, meta.label_priority); insetFollows(); }
          });
        }
      });
      placeCoverage();
    });
  }

  // the years with data of the layer, under the slider's track (its geometry: the slider's own)
  function placeCoverage() {
    var bar = document.getElementById("slider-coverage");
    var root = document.querySelector("#year-slider .dash-slider-root");
    var wrap = bar && bar.parentNode;
    if (!bar || !root || !wrap || !state) { return; }
    var cov = (ctx.layers[state.layer] || {}).covered || ctx.years;
    var r = root.getBoundingClientRect(), w = wrap.getBoundingClientRect();
    var span = ctx.years[1] - ctx.years[0];
    var a = (cov[0] - ctx.years[0]) / span, b = (cov[1] - ctx.years[0]) / span;
    var track = root.querySelector(".dash-slider-track");  // the bar lies on the track itself
    if (track) {                                            // (under the thumb, above the marks)
      var t = track.getBoundingClientRect();
      bar.style.top = (t.top - w.top) + "px";
      bar.style.height = Math.max(3, t.height) + "px";
      bar.style.bottom = "auto";
    }
    bar.style.left = (r.left - w.left + a * r.width) + "px";
    bar.style.width = Math.max(2, (b - a) * r.width) + "px";
    bar.title = "Years with data: " + cov[0] + "–" + cov[1];
  }
  window.addEventListener("resize", placeCoverage);

  var PANELS = ["map", "data", "sources"];
  var TABS = ["map", "chart", "rank", "compare", "overlap", "flows", "data", "sources"];
  // the chart, ranking and compare views live in the map view's panel (they share its controls:
  // layer, per 1,000, year slider, play); each shows one box in place of the map
  var BOXES = { map: "map-box", chart: "chart-box", rank: "ranking", compare: "compare-box",
                overlap: "overlap-box", flows: "flows-box" };
  // views drawn by their own module (assets/atlas/<name>.js registers window.Atlas.<name> with
  // render(state, prev, api) and, if it draws plots, plots() → their elements, for resizing)
  var MODULE_VIEWS = ["overlap", "flows"];
  var api = {
    dispatch: function (action) { dispatch(action); },
    meta: function () { return meta; }, ctx: function () { return ctx; }, config: function () { return config; },
    base: function () { return base; },
    payload: function (layer) { return payloads[layer] || null; },
    state: function () { return state; },
    tell: function (id, prop, value) { tell(id, prop, value); },
    withPlotly: function (fn) { A.map.withPlotly(fn); },
    labelSize: function (s) { return labelSize(s); }
  };
  function renderView(s) {
    var panel = s.view === "data" || s.view === "sources" ? s.view : "map";
    // the view as an attribute of the page's root, for CSS (set directly: React does not manage it)
    var root = document.getElementById("app-root");
    if (root) { root.setAttribute("data-view", s.view); }
    PANELS.forEach(function (k) { tell("view-" + k, "hidden", k !== panel); });
    TABS.forEach(function (k) { tell("tab-" + k, "aria-selected", k === s.view ? "true" : "false"); });
    var tab = document.getElementById("tab-" + s.view), row = tab && tab.parentNode;
    if (row && row.scrollWidth > row.clientWidth) {  // (a narrow screen: the row scrolls sideways)
      row.scrollLeft = Math.max(0, tab.offsetLeft - row.offsetLeft - (row.clientWidth - tab.offsetWidth) / 2);
    }
    // in a story, the map's box stays for the story's caption and buttons above the other
    // views (a step may open one: steps[].view); its map is hidden there (CSS: story-only)
    var storyOnly = !!s.story && s.view !== "map" && panel === "map";
    Object.keys(BOXES).forEach(function (k) {
      var el = document.getElementById(BOXES[k]);
      if (el) { el.hidden = k !== s.view && !(k === "map" && storyOnly); }
      if (el && k === "map") { el.classList.toggle("story-only", storyOnly); }
    });
    if (panel === "sources") { sourcesWhenAwake(); }
    if (mapShown(s)) { renderMap(s); }
    if (s.view === "map") { resizeMapLater(); }
  }

  // ---------------------------------------------------------------- chart, ranking, compare
  function renderActive(prev, s) {
    var changed = prev.view !== s.view || prev.layer !== s.layer;
    if (s.view === "rank" && (changed || prev.year !== s.year)) { renderRanking(s); }
    if (s.view === "chart" && (changed || prev.year !== s.year || prev.data !== s.data || prev.scale !== s.scale ||
                               prev.country !== s.country)) { renderChart(s); }
    if (s.view === "compare" && (changed || prev.year !== s.year || prev.year2 !== s.year2 ||
                                 prev.layer2 !== s.layer2 || prev.country !== s.country ||
                                 prev.present !== s.present || prev.region !== s.region)) { renderCompare(s); }
    if (MODULE_VIEWS.indexOf(s.view) >= 0 && A[s.view]) { A[s.view].render(s, prev, api); }
  }

  function renderRanking(s) {
    var el = document.getElementById("ranking"), payload = payloads[s.layer];
    if (!el) { return; }
    if (!payload) { el.innerHTML = '<p class="rank-note">Loading…</p>'; return; }
    el.innerHTML = A.views.rankingHtml(payload, s.year);
    el.setAttribute("data-layer", s.layer);
    el.setAttribute("data-year", String(s.year));
  }

  var PLOT_CONFIG = { displayModeBar: false, responsive: true };
  var chartDrawn = false;
  // the chart's form fields, written once (plain HTML: read by input.js on change)
  function chartControls() {
    var box = document.getElementById("chart-states"), sc = document.getElementById("chart-scale");
    if (box && !box.firstChild) {
      box.innerHTML = '<span class="chart-states-title">States</span>' + ctx.iso3.map(function (c) {
        return '<label class="chart-state"><input type="checkbox" name="chart-state" value="' + c + '"> ' +
          A.views.esc(meta.names[c] || c) + "</label>";
      }).join("") + '<button type="button" id="chart-all" class="share-btn">All states</button>';
    }
    if (sc && !sc.firstChild) {
      var opts = [];
      for (var y = ctx.years[0]; y <= ctx.years[1]; y++) { opts.push('<option value="' + y + '">' + y + "</option>"); }
      sc.innerHTML = '<label><input type="radio" name="chart-scale" value="linear"> Linear axis</label>' +
        '<label><input type="radio" name="chart-scale" value="log"> Log axis (counts)</label>' +
        '<label>Years <select id="chart-from" name="chart-from">' + opts.join("") + "</select></label>" +
        '<label>to <select id="chart-to" name="chart-to">' + opts.join("") + "</select></label>";
    }
  }

  // the chart's and the compare view's contents, written when the view first opens (not in the
  // first layout: Dash's first render costs per component; ids in dashboard/ids.py)
  var CHART_HTML =
    '<div id="chart-states" class="chart-states" role="group" aria-label="States"></div>' +
    '<div id="chart-scale" class="chart-scale" role="radiogroup" aria-label="Axis"></div>' +
    '<div id="chart" class="chart-graph" role="img" aria-label="Chart"></div>' +
    '<div id="chart-legend" class="legend chart-legend"></div>' +
    '<p class="chart-downloads"><a id="chart-wide" class="download-link" href="/download/wide.csv">' +
    "Download these states as a wide table (CSV, states × years)</a></p>";
  var COMPARE_HTML =
    '<div class="compare-controls"><label>Right map: year <select id="compare-year2"></select></label>' +
    '<label> layer <select id="compare-layer2"></select></label></div>' +
    '<div id="map-compare" class="map-compare">' +
    '<figure class="compare-side"><div id="compare-left" class="compare-plot"></div>' +
    '<figcaption id="compare-left-caption" class="compare-caption"></figcaption></figure>' +
    '<figure class="compare-side"><div id="compare-right" class="compare-plot"></div>' +
    '<figcaption id="compare-right-caption" class="compare-caption"></figcaption></figure></div>';
  function fillBox(id, html) {
    var el = document.getElementById(id);
    if (el && !el.firstChild) { el.innerHTML = html; }
  }

  function renderChart(s) {
    fillBox("chart-box", CHART_HTML);
    chartControls();
    var el = document.getElementById("chart"), payload = payloads[s.layer];
    var states = A.views.chartStates(s, ctx, meta.groups_of_states);
    var boxes = document.querySelectorAll("#chart-states input[type=checkbox]");
    Array.prototype.forEach.call(boxes, function (b) { b.checked = states.indexOf(b.value) >= 0; });
    var radios = document.querySelectorAll("#chart-scale input[type=radio]");
    var counts = payload && payload.frames.unit === "persons";
    // the axis drawn: a log axis is for counts only (a rate or a score is drawn on a linear one)
    var axis = counts && s.scale === "log" ? "log" : "linear";
    Array.prototype.forEach.call(radios, function (r) { r.checked = r.value === axis; r.disabled = !counts; });
    var from = document.getElementById("chart-from"), to = document.getElementById("chart-to");
    if (from) { from.value = String(s.data.from); }
    if (to) { to.value = String(s.data.to); }
    var wide = document.getElementById("chart-wide");
    if (wide) {
      wide.setAttribute("href", "/download/wide.csv?indicators=" + encodeURIComponent(s.layer) + "&countries=" +
        states.join(",") + "&from=" + s.data.from + "&to=" + s.data.to);
    }
    if (!el || !payload) { return; }
    if (!window.Plotly) { A.map.withPlotly(function () { renderChart(state); }); return; }
    var fig = A.views.chartFigure(payload, { states: states, year: s.year, scale: s.scale, from: s.data.from, to: s.data.to });
    var legend = document.getElementById("chart-legend");
    if (legend) { legend.innerHTML = payload.frames.numeric ? "" : A.views.legendHtml(payload); }
    el.style.height = payload.frames.numeric ? "" : (90 + 26 * states.length) + "px";
    A.map.draw(el, fig, PLOT_CONFIG);
    if (!chartDrawn) {
      chartDrawn = true;
      el.on("plotly_click", function (ev) {
        var p = ev && ev.points && ev.points[0];
        var iso = p && p.customdata;
        if (iso && ctx.iso3.indexOf(iso) >= 0) { dispatch({ type: "country", iso3: iso }); }
      });
    }
  }

  var compareDrawn = { left: null, right: null };
  function compareSides(s) {
    var right = { layer: s.layer2 || s.layer, year: s.year2 !== null && s.year2 !== undefined ? s.year2 : s.year };
    return { left: { layer: s.layer, year: s.year }, right: right };
  }
  function caption(side) {
    var info = meta.layers[side.layer] || {};
    return (info.label || side.layer) + ", " + side.year;
  }
  // the right map's choices (every year, every layer of the selector), written on first use
  function compareOptions(y2, l2) {
    if (y2 && !y2.options.length) {
      var years = ['<option value="">the same year (moves with the slider)</option>'];
      for (var y = ctx.years[0]; y <= ctx.years[1]; y++) { years.push('<option value="' + y + '">' + y + "</option>"); }
      y2.innerHTML = years.join("");
    }
    if (l2 && !l2.options.length) {
      l2.innerHTML = '<option value="">the same layer</option>' + Object.keys(meta.layers).filter(function (id) {
        return !meta.layers[id].per_1000_of;
      }).map(function (id) {
        return '<option value="' + esc(id) + '">' + esc(meta.layers[id].label) + "</option>";
      }).join("");
    }
  }
  function renderCompare(s) {
    fillBox("compare-box", COMPARE_HTML);
    var sides = compareSides(s);
    var y2 = document.getElementById("compare-year2"), l2 = document.getElementById("compare-layer2");
    compareOptions(y2, l2);
    if (y2) { y2.value = s.year2 !== null && s.year2 !== undefined ? String(s.year2) : ""; }
    if (l2) { l2.value = s.layer2 || ""; }
    if (s.layer2 && !payloads[s.layer2]) { loadLayer(s.layer2); }
    if (!base) { return; }
    if (!window.Plotly) { A.map.withPlotly(function () { renderCompare(state); }); return; }
    ["left", "right"].forEach(function (k) {
      var side = sides[k], payload = payloads[side.layer];
      var el = document.getElementById("compare-" + k);
      var cap = document.getElementById("compare-" + k + "-caption");
      if (!el || !payload) { return; }
      // the whole space is a wide map: its box takes the map's shape (no empty bands above and under it)
      el.setAttribute("data-region", s.region);
      var key = side.layer + "|" + side.year + "|" + s.country + "|" + s.present + "|" + s.region;
      if (cap) {
        cap.innerHTML = "<strong>" + A.views.esc(caption(side)) + "</strong>" +
          (k === "right" && side.layer !== s.layer ? A.views.legendHtml(payload) : "");
      }
      if (compareDrawn[k] === key) { return; }
      var fig = A.map.compose(base, payload, { year: side.year, country: s.country, highlight: [], present: s.present,
                                               region: s.region, geo: (meta.regions[s.region] || {}).geo,
                                               labelSize: labelSize(s), inset: false });
      if (!fig) { return; }
      fig.layout = Object.assign({}, fig.layout, { meta: { layer: side.layer, year: side.year } });
      var first = compareDrawn[k] === null;
      compareDrawn[k] = key;
      Promise.resolve(A.map.draw(el, fig, config)).then(function () { A.map.declutter(el, meta.label_priority); });
      if (first) {
        el.on("plotly_click", function (ev) {
          var p = ev && ev.points && ev.points[0];
          if (!p) { return; }
          var loc = meta.contested_state[p.location] || p.location;
          if (ctx.iso3.indexOf(loc) >= 0) { dispatch({ type: "country", iso3: loc }); }
        });
      }
    });
  }

  // the document's title names the view, as the server's page does (dashboard/web/seo.py page_meta)
  function renderTitle(s) {
    var t, info = meta.layers[s.layer] || {}, view = (info.title || info.label || s.layer) + ", " + s.year;
    var story = s.story && meta.stories[s.story], step = story && story.steps[s.step];
    if (meta.tab_titles && meta.tab_titles[s.view]) { t = meta.tab_titles[s.view]; }
    else if (step) { t = step.title + " (" + view + ")"; }
    else if (s.country && meta.names[s.country]) { t = meta.names[s.country] + ": " + view; }
    else { t = view; }
    t += " — " + meta.site;
    if (document.title !== t) { document.title = t; }
  }

  // ---------------------------------------------------------------- share, embed, cite
  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }
  var VIEW_NAMES = { map: "map", chart: "chart", rank: "ranking", compare: "comparison", data: "data table",
                     sources: "sources" };
  function viewTitle(s) {
    var info = meta.layers[s.layer] || {};
    var t = (info.label || s.layer) + ", " + s.year;
    var flowsTitle = s.view === "flows" && document.getElementById("flows-title");
    if (flowsTitle && flowsTitle.textContent) { return flowsTitle.textContent.split(" — ")[0] + " (flows)"; }
    if (s.view === "compare") {
      var sd = compareSides(s).right;
      t = (info.label || s.layer) + ", " + s.year + " compared with " +
        (sd.layer !== s.layer ? (meta.layers[sd.layer] || {}).label + ", " : "") + sd.year;
    }
    return t + " (" + (VIEW_NAMES[s.view] || s.view) + ")";
  }
  function shareInfo(s) {
    var plain = Object.assign({}, s, { embed: false });
    var url = window.location.origin + window.location.pathname + A.address.serialise(plain, ctx);
    var embedUrl = window.location.origin + window.location.pathname +
      A.address.serialise(Object.assign({}, plain, { embed: true, present: false }), ctx);
    return { url: url, embedUrl: embedUrl };
  }
  function renderShare(s) {
    var box = document.getElementById("share-box");
    var open = document.getElementById("embed-open");
    var info = shareInfo(s);
    if (open && s.embed) { open.setAttribute("href", info.url); }
    if (!box || !box.open) { return; }
    var link = document.getElementById("share-link");
    if (link) { link.value = info.url; }
    var title = viewTitle(s);
    var code = document.getElementById("embed-code");
    if (code) {
      code.value = '<iframe src="' + A.views.esc(info.embedUrl) + '" title="' + A.views.esc(title) +
        '" width="900" height="640" style="border:0;max-width:100%" loading="lazy"></iframe>';
    }
    var ids = (meta.layers[s.layer] || {}).sources || [];
    var layers = [s.layer];
    if (s.view === "flows") {  // the flows view shows UNHCR's pairs, whatever the layer
      layers = [s.flow === "in" ? "refugees_hosted" : "refugees_origin"];
      ids = (meta.layers[layers[0]] || {}).sources || [];
    }
    if (s.view === "compare" && s.layer2 && s.layer2 !== s.layer) {
      layers.push(s.layer2);
      ids = ids.concat(((meta.layers[s.layer2] || {}).sources || []).filter(function (i) { return ids.indexOf(i) < 0; }));
    }
    var c = A.views.citation({
      title: title, layer: s.layer, year: s.year, url: info.url, accessed: today(),
      layerLabel: layers.map(function (l) { return (meta.layers[l] || {}).label || l; }).join("; "),
      sources: ids.map(function (i) { return meta.sources[i] || { title: i, citation: i, version: "" }; })
    });
    var cite = document.getElementById("cite-text"), bib = document.getElementById("cite-bibtex");
    if (cite) { cite.textContent = c.plain; }
    if (bib) { bib.textContent = c.bibtex; }
  }
  function copy(id, text) {
    var status = document.getElementById("share-status");
    function said(msg) { if (status) { status.textContent = msg; } }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { said("Copied."); }, function () {
        said("Copy did not work here: select the text and copy it.");
      });
    } else { said("Select the text and copy it."); }
  }
  // the box's fields, written when it first opens (not in the first layout: fewer components for
  // Dash's first render; ids in dashboard/ids.py)
  function shareBody() {
    var body = document.querySelector("#share-box .share-body");
    if (!body || document.getElementById("share-link")) { return; }
    body.innerHTML =
      '<label for="share-link">Link to this view</label><div class="share-row">' +
      '<textarea id="share-link" readonly rows="2" class="share-input share-code"></textarea>' +
      '<button id="copy-link" type="button" class="share-btn">Copy link</button></div>' +
      '<label for="embed-code">Embed this view in a page (HTML)</label>' +
      '<textarea id="embed-code" readonly rows="3" class="share-code"></textarea>' +
      '<button id="copy-embed" type="button" class="share-btn">Copy embed code</button>' +
      '<h3>Cite this view</h3><pre id="cite-text" class="cite-text" tabindex="0"></pre>' +
      '<button id="copy-cite" type="button" class="share-btn">Copy citation</button>' +
      '<h3>BibTeX</h3><pre id="cite-bibtex" class="cite-text" tabindex="0"></pre>' +
      '<span id="share-status" class="share-status" role="status"></span>';
  }
  document.addEventListener("toggle", function (ev) {
    if (!ev.target || ev.target.id !== "share-box") { return; }
    shareBody();
    if (state) { renderShare(state); }
  }, true);

  // The data tab's table: the rows of the state's selection, one JSON document per selection
  // (dashboard/views/table.py), drawn with assets/atlas/table.js as soon as the tab shows. Its
  // sort, filter and page are the table's own settings (like a scroll position: not in the
  // address); a new selection keeps them and goes back to the first page.
  var tableDocs = {}, tableShown = null, tableWanted = null, tableDoc = null, tableUi = null;
  function tableUrl(d) {
    return meta.table_url + "?indicators=" + d.indicators.map(encodeURIComponent).join(",") +
      "&countries=" + d.countries.join(",") + "&from=" + d.from + "&to=" + d.to +
      "&v=" + encodeURIComponent(meta.version);
  }
  function fetchTable(url) {  // → a promise of the document (one request per selection)
    if (!tableDocs[url]) {
      tableDocs[url] = window.fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (doc) { if (!doc) { delete tableDocs[url]; } return doc; },
              function () { delete tableDocs[url]; return null; });
    }
    return tableDocs[url];
  }
  // the first sign that the tab is wanted (the pointer over its tab, a touch, the keyboard's focus:
  // input.js) asks for the rows of the state's selection
  function prefetchTable() {
    if (booted && meta && state) { fetchTable(tableUrl(state.data)); }
  }
  function renderTable(s) {
    // → a promise, settled once the table shows the state's selection (or cannot)
    var url = tableUrl(s.data);
    if (url === tableShown) { return Promise.resolve(); }
    if (url === tableWanted) { return fetchTable(url); }
    tableWanted = url;
    var el = document.getElementById("data-table");
    if (el && tableShown) { el.setAttribute("aria-busy", "true"); }
    return fetchTable(url).then(function (doc) {
      if (tableWanted !== url) { return; }  // another selection meanwhile
      tableWanted = null;
      if (!doc) { return; }  // offline: asked again on the next change
      tableShown = url;
      tableDoc = doc;
      tableUi = A.table.act(tableUi || A.table.blank(), { type: "reset" });
      tell("data-row-count", "children", doc.count);  // (a Dash component: the page's first line is the server's)
      drawTable(true);
    });
  }
  function tableSkeleton(el) {
    el.innerHTML =
      '<div class="tbl-tools"><label for="data-filter">Filter the rows</label>' +
      '<input id="data-filter" class="tbl-filter" type="search" autocomplete="off" spellcheck="false" ' +
      'placeholder="words, e.g. Georgia 2008">' +
      '<span class="tbl-status" role="status" aria-live="polite"></span></div>' +
      '<div class="tbl-scroll" role="region" aria-label="The selection\'s rows" tabindex="0">' +
      '<table class="tbl"><thead></thead><tbody></tbody></table></div>' +
      '<div class="tbl-pager" role="group" aria-label="Pages of the table"></div>';
  }
  function drawTable(head) {
    var el = document.getElementById("data-table");
    if (!el || !tableDoc) { return; }
    if (!el.querySelector(".tbl")) { tableSkeleton(el); head = true; }
    var v = A.table.view(tableDoc, tableUi);
    tableUi.page = v.page;
    if (head) { el.querySelector("thead").innerHTML = A.table.headHtml(tableDoc, tableUi); }
    el.querySelector("tbody").innerHTML = A.table.bodyHtml(tableDoc, v.rows);
    el.querySelector(".tbl-status").textContent = A.table.statusHtml(v);
    el.querySelector(".tbl-pager").innerHTML = A.table.pagerHtml(v, tableUi);
    var filter = el.querySelector(".tbl-filter");
    if (filter.value !== tableUi.q) { filter.value = tableUi.q; }
    el.removeAttribute("aria-busy");
  }
  function tableAct(action) {  // the table's own settings (input.js)
    if (!tableDoc) { return; }
    var before = tableUi;
    tableUi = A.table.act(tableUi, action);
    drawTable(before.sort !== tableUi.sort || before.dir !== tableUi.dir);
    if (action.type === "page" || action.type === "size") {
      var scroller = document.querySelector("#data-table .tbl-scroll");
      if (scroller) { scroller.scrollTop = 0; }
    }
  }

  // the tab's controls and downloads (Dash components, rendered by the server the first time the
  // tab opens: data-req) follow the state's selection
  function renderData(s) {
    var d = s.data;
    tell("data-req", "data", { indicators: d.indicators, countries: d.countries, from: d.from, to: d.to });
    var wide = document.getElementById("download-table-wide");
    if (wide) {
      wide.setAttribute("href", "/download/wide.csv?indicators=" + d.indicators.map(encodeURIComponent).join(",") +
        "&countries=" + d.countries.join(",") + "&from=" + d.from + "&to=" + d.to);
    }
    // the tab's fields follow (back/forward), once the tab is rendered (it starts from data-req)
    if (document.getElementById("data-indicators")) {
      tell("data-indicators", "value", d.indicators);
      tell("data-countries", "value", d.countries);
      tell("data-years", "value", [d.from, d.to]);
    } else {
      sent["data-indicators.value"] = d.indicators;
      sent["data-countries.value"] = d.countries;
      sent["data-years.value"] = [d.from, d.to];
    }
  }

  function renderPlay(s) {
    tell("play-button", "children", s.playing ? "❚❚ Pause" : "▶ Play");
    tell("play-button", "aria-pressed", s.playing ? "true" : "false");
    clearTimeout(playTimer);
    if (s.playing) {
      // a story's step stays on screen longer than a year
      playTimer = setTimeout(function () { dispatch({ type: "tick" }); }, s.story ? speed * 4 : speed);
    }
  }

  function renderNotices(notices) {
    tell("notice", "children", notices.length ? notices.map(function (n) {
      return { namespace: "dash_html_components", type: "Span", props: { children: n.text + " " } };
    }) : null);
  }

  // ---------------------------------------------------------------- events from Dash and the page
  // Dash has drawn the page: fetch the page's facts and the layout's layer (both preloaded by
  // the page's head, dashboard/web/app.py), then boot
  var booting = false;
  function start(info) {
    if (booting || !info || !info.layer) { return; }
    booting = true;
    var metaUrl = info.meta || "/atlas/meta.json";
    var layerUrl0 = info.layer_url || "/atlas/layer/" + encodeURIComponent(info.layer) + ".json";
    Promise.all([getJSON(metaUrl), getJSON(layerUrl0)]).then(function (r) {
      boot(r[0], Object.assign({}, r[1], { year: info.year }));
    }, function (err) {
      booting = false;
      var n = document.getElementById("notice");
      if (n) { n.textContent = "The atlas could not load its data: reload the page."; }
      if (window.console) { window.console.error(err); }
    });
  }

  function boot(m, layerData) {
    var copy = document.getElementById("prerender");  // the static copy (already hidden by CSS)
    // removed in a task of its own (the boot's task stays short)
    if (copy) { setTimeout(function () { if (copy.parentNode) { copy.parentNode.removeChild(copy); } }, 0); }
    // the live page's picture of the map is the address's (the layout's is its own view's, which
    // differs when the layout request carried no Referer)
    var img = document.getElementById("map-poster"), link = document.getElementById("poster-src");
    if (img && link && img.src !== link.href) { img.src = link.href; }
    if (window.Atlas.a11y) { window.Atlas.a11y.attach(); }
    meta = m; ctx = m.address; config = m.map_config;
    base = m.figure;
    payloads[layerData.layer] = layerData;
    textsLayer = layerData.layer;  // the layout's legend and texts are this layer's
    var parsed = A.address.parse(window.location.search, ctx);
    // what the server's page shows now (its layout is for the address's layer and year, or the
    // default view): rendering from it draws only what differs
    var shown = A.address.defaults(ctx);
    shown.layer = layerData.layer;
    shown.year = layerData.year;
    shown.playing = false;
    shown.present = document.getElementById("app-root").classList.contains("presenting");
    ["data", "sources"].forEach(function (k) {  // the layout's tab panel (the address's, with a Referer)
      var el = document.getElementById("view-" + k);
      if (el && !el.hidden) { shown.view = k; }
    });
    // (the chart, ranking and compare boxes are drawn by renderView: the layout shows the map's)
    TABS.forEach(function (k) {
      var tab = document.getElementById("tab-" + k);
      sent["tab-" + k + ".aria-selected"] = tab ? tab.getAttribute("aria-selected") : null;
    });
    PANELS.forEach(function (k) {
      var el = document.getElementById("view-" + k);
      sent["view-" + k + ".hidden"] = !el || el.hidden;
    });
    sent["app-root.className"] = shown.present ? "app presenting" : "app";
    sent["present-button.aria-pressed"] = shown.present ? "true" : "false";
    sent["present-button.children"] = shown.present ? "Leave presentation" : "Present";
    state = Object.assign({}, parsed.state, { playing: false });
    sent["layer-select.value"] = A.state.baseOf(shown.layer, ctx);
    sent["per-capita.value"] = A.state.isPerCapita(shown.layer, ctx) ? "per1000" : "count";
    sent["year-slider.value"] = shown.year;
    sent["notice.children"] = null;  // (the layout's notice is empty: no store update to say so again)
    // the layout shows the address's story step when it has one (dashboard/views/layout.py story_box)
    var storyBox = document.getElementById("story-box");
    sent["story-box.hidden"] = !storyBox || storyBox.hidden;
    if (storyBox && !storyBox.hidden) { sent["story-select.value"] = parsed.state.story || null; }
    booted = true;
    fillSelects(state);
    var q = A.address.serialise(state, ctx);
    if (q !== window.location.search) {
      window.history.replaceState(null, "", window.location.pathname + q + window.location.hash);
    }
    renderNotices(parsed.notices.length ? parsed.notices : noticesOf(null));
    render(Object.assign({}, shown, { layer: null, year: null }), state);  // draws what differs, map and texts once
    // the server's page shows the address's tab (with a Referer): renderView did not run for it,
    // but the sources tab's contents still have to be asked for
    if (state.view === "sources") { sourcesWhenAwake(); }
  }

  window.addEventListener("popstate", function () {
    if (!booted) { return; }
    var parsed = A.address.parse(window.location.search, ctx);
    lastTag = null;
    dispatch({ type: "restore", state: parsed.state });
  });

  function layerArrived(payload) {
    if (!payload || !payload.layer) { return; }
    payloads[payload.layer] = payload;
    if (payload.layer === state.layer) {
      if (mapShown(state)) { renderMap(state); }
      renderLayerTexts(payload);
      echoLayer();
      renderTexts(state);
      renderActive(Object.assign({}, state, { layer: null }), state);
    } else if (payload.layer === state.layer2 && state.view === "compare") {
      renderCompare(state);
    }
  }

  // values of Dash controls: a user's change, unless it is the echo of what the renderer set
  function control(id, value) {
    if (!booted) { return; }
    if (id === "year-slider") {
      if (isEcho(id, "value", value) || value === state.year || A.input.dragging()) { return; }
      sent["year-slider.value"] = value;
      dispatch({ type: "year", year: value, via: "slider" });
    } else if (id === "layer-select") {
      if (isEcho(id, "value", value) || typeof value !== "string" || value.indexOf("__group") === 0) { return; }
      sent["layer-select.value"] = value;
      dispatch({ type: "layer", layer: value });
    } else if (id === "per-capita") {
      if (isEcho(id, "value", value)) { return; }
      sent["per-capita.value"] = value;
      dispatch({ type: "perCapita", on: value === "per1000" });
    } else if (id === "story-select") {
      if (isEcho(id, "value", value)) { return; }
      sent["story-select.value"] = value;
      dispatch({ type: "story", id: value || null });
    } else if (id === "region-select") {
      if (isEcho(id, "value", value) || !value) { return; }
      sent["region-select.value"] = value;
      dispatch({ type: "region", region: value });
    } else if (id === "country-picker") {
      if (isEcho(id, "value", value)) { return; }
      sent["country-picker.value"] = value;
      dispatch({ type: "country", iso3: value || null });
    } else if (id === "play-speed") {
      speed = value || 1000;
    } else if (id === "data-indicators" || id === "data-countries" || id === "data-years") {
      if (isEcho(id, "value", value)) { return; }
      sent[id + ".value"] = value;
      if (id === "data-indicators") { dispatch({ type: "data", indicators: value || [] }); }
      if (id === "data-countries") { dispatch({ type: "data", countries: value || [] }); }
      if (id === "data-years" && value && value.length === 2) { dispatch({ type: "data", from: value[0], to: value[1] }); }
    }
  }

  window.Atlas.app = {
    boot: boot, dispatch: dispatch, prefetchTable: prefetchTable, tableAct: tableAct, layerArrived: layerArrived, control: control, copy: copy,
    shareInfo: function () { return state ? shareInfo(state) : null; },
    state: function () { return state; }, meta: function () { return meta; }, placeCoverage: placeCoverage,
    payload: function (layer) { return payloads[layer] || null; },
    ctx: function () { return ctx; }
  };

  var NO = function () { return window.dash_clientside.no_update; };
  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    atlas: {
      // the page's first render: the layout's view and the addresses of its files
      layer: function (info) {
        if (!booted) { start(info); }
        return NO();
      },
      controls: function () {
        var trig = window.dash_clientside.callback_context.triggered || [];
        trig.forEach(function (t) {
          var dot = t.prop_id.lastIndexOf(".");
          control(t.prop_id.slice(0, dot), t.value);
        });
        return NO();
      }
    }
  });
})();
