/* The store and the renderer: one state (state.js), changed only by dispatch(action); render()
 * draws it into the map, the texts, the panel, the story box, the controls and the address.
 * Dash is used for what needs the server (a layer's values, the country panel, the data table):
 * the renderer writes small request stores (layer-req, panel-req, data-req) and Dash's answers
 * come back as events (layerArrived). Correctness never waits on a timer: the play timer only
 * produces "tick" actions, and frames only throttle the slider's echo. */
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
  function render(prev, s) {
    renderMap(s);
    if (prev.layer !== s.layer) {
      placeCoverage();
      tell("layer-select", "value", A.state.baseOf(s.layer, ctx));
      tell("per-capita", "value", A.state.isPerCapita(s.layer, ctx) ? "per1000" : "count");
      tell("layer-req", "data", { layer: s.layer });
    }
    if (prev.year !== s.year) { yearLater(); }
    if (prev.year !== s.year || prev.layer !== s.layer) { renderTexts(s); }
    if (prev.country !== s.country || (s.country && prev.layer !== s.layer)) { renderPanel(s); }
    if (prev.country === s.country && s.country && prev.year !== s.year) { markPanelYear(s.year); }
    if (prev.story !== s.story || prev.step !== s.step) { renderStory(s); }
    if (prev.region !== s.region) { tell("region-select", "value", s.region); }
    if (prev.present !== s.present) { renderPresent(s); }
    if (prev.view !== s.view) { renderView(s); }
    if (s.view === "data" && (prev.view !== "data" || prev.data !== s.data)) { renderData(s); }
    if (prev.playing !== s.playing || s.playing) { renderPlay(s); }
  }

  // plotly.js is loaded on the user's first move (or first action): until then the server's
  // picture of the address's view is the map, and the first view runs no plotly.js at all
  var awake = false;
  function wake() {
    if (awake || !booted) { return; }
    awake = true;
    WAKE_EVENTS.forEach(function (type) { window.removeEventListener(type, wake, true); });
    A.map.withPlotly(function () { renderMap(state); });
  }
  var WAKE_EVENTS = ["pointermove", "pointerdown", "touchstart", "keydown", "focusin", "wheel"];
  WAKE_EVENTS.forEach(function (type) { window.addEventListener(type, wake, { capture: true, passive: true }); });

  // the map, now if everything it needs is there (else when it arrives: layerArrived, Plotly)
  function renderMap(s) {
    var payload = payloads[s.layer];
    var hl = highlight(s);
    if (!payload || !base || !window.Plotly) { return; }
    var el = document.getElementById("map-plot");
    if (!el) { return; }
    if (drawn && drawn.layer === s.layer && drawn.year === s.year && drawn.country === s.country &&
        drawn.hl === hl.join(",") && drawn.present === s.present && drawn.region === s.region) { return; }
    var fig = A.map.compose(base, payload, { year: s.year, country: s.country, highlight: hl, present: s.present,
                                             region: s.region, geo: (meta.regions[s.region] || {}).geo,
                                             labelSize: labelSize(s) });
    if (!fig) { return; }
    var first = !drawn;
    drawn = { layer: s.layer, year: s.year, country: s.country, hl: hl.join(","), present: s.present, region: s.region };
    var done = A.map.draw(el, fig, config);
    Promise.resolve(done).then(function () { A.map.declutter(el, meta.label_priority); });
    if (first) {
      el.on("plotly_click", function (ev) {
        var p = ev && ev.points && ev.points[0];
        if (!p) { return; }
        var loc = meta.contested_state[p.location] || p.location;
        if (ctx.iso3.indexOf(loc) >= 0) { dispatch({ type: "country", iso3: loc }); }
      });
      Promise.resolve(done).then(hidePoster);
    }
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
    if (table) {
      var label = payload.frames.label;
      table.innerHTML = "<caption>" + esc(label) + ", " + s.year + "</caption>" +
        '<thead><tr><th scope="col">Country</th><th scope="col">' + esc(label) + "</th></tr></thead><tbody>" +
        payload.frames.names.map(function (n, i) {
          return '<tr><th scope="row">' + esc(n) + "</th><td>" + esc(fr.labels[i]) + "</td></tr>";
        }).join("") + "</tbody>";
    }
  }

  function renderPanel(s) {
    tell("country-panel", "hidden", !s.country);
    tell("country-picker", "value", s.country);
    tell("app-root", "data-panel", s.country ? "open" : "closed");
    resizeMapLater();  // the map makes room for the panel
    if (s.country) {
      tell("panel-req", "data", { country: s.country, layer: s.layer, year: s.year });
    }
  }

  // the year marker of the panel's charts (they carry a shape named "year")
  function markPanelYear(year) {
    if (!window.Plotly) { return; }
    ["panel-series", "panel-memberships", "panel-regime"].forEach(function (id) {
      var gd = document.querySelector("#" + id + " .js-plotly-plot");
      if (!gd || !gd.layout || !gd.layout.shapes) { return; }
      var upd = {};
      gd.layout.shapes.forEach(function (sh, i) {
        if (sh.name === "year") { upd["shapes[" + i + "].x0"] = year; upd["shapes[" + i + "].x1"] = year; }
      });
      window.Plotly.relayout(gd, upd);
    });
  }

  function renderStory(s) {
    var story = s.story && meta.stories[s.story];
    tell("story-select", "value", s.story || null);
    if (!story) { tell("story-box", "hidden", true); return; }
    var step = story.steps[s.step];
    var sources = step.sources.map(function (src) {
      var kids = src.url ? [{ namespace: "dash_html_components", type: "A",
                              props: { href: src.url, children: src.citation, target: "_blank", rel: "noopener" } }]
                         : [src.citation];
      return { namespace: "dash_html_components", type: "Li", props: { children: kids } };
    });
    tell("story-box", "hidden", false);
    tell("story-heading", "children", story.title);
    tell("story-step-title", "children", step.title);
    tell("story-caption", "children", step.caption);
    tell("story-sources", "children", sources);
    tell("story-count", "children", "Step " + (s.step + 1) + " of " + story.steps.length);
    tell("story-prev", "disabled", s.step === 0);
    tell("story-next", "disabled", s.step === story.steps.length - 1);
  }

  function renderPresent(s) {
    tell("app-root", "className", s.present ? "app presenting" : "app");
    tell("present-button", "aria-pressed", s.present ? "true" : "false");
    tell("present-button", "children", s.present ? "Leave presentation" : "Present");
    resizeMapLater();
  }

  function resizeMapLater() {
    // the map's box changes size with the page's layout, known after the next frame
    window.requestAnimationFrame(function () {
      var el = document.getElementById("map-plot");
      if (el && window.Plotly && drawn) {
        Promise.resolve(window.Plotly.Plots.resize(el)).then(function () { A.map.declutter(el, meta.label_priority); });
      }
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
    bar.style.left = (r.left - w.left + a * r.width) + "px";
    bar.style.width = Math.max(2, (b - a) * r.width) + "px";
    bar.title = "Years with data: " + cov[0] + "–" + cov[1];
  }
  window.addEventListener("resize", placeCoverage);

  var TABS = ["map", "data", "sources"];
  function renderView(s) {
    var tab = s.view === "data" || s.view === "sources" ? s.view : "map";
    TABS.forEach(function (k) {
      tell("view-" + k, "hidden", k !== tab);
      tell("tab-" + k, "aria-selected", k === tab ? "true" : "false");
    });
    if (tab === "sources") { tell("sources-req", "data", { open: true }); }
    if (tab === "map") { resizeMapLater(); }
  }

  var grid = "none";  // none | loading | ready
  function renderData(s) {
    if (grid !== "ready") {
      if (grid === "none") {
        grid = "loading";
        var sc = document.createElement("script");
        sc.src = meta.grid_js;
        sc.onload = function () { grid = "ready"; if (state.view === "data") { renderData(state); } };
        document.head.appendChild(sc);
      }
      return;
    }
    var d = s.data;
    tell("data-req", "data", { indicators: d.indicators, countries: d.countries, from: d.from, to: d.to });
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
  function boot(m, layerData) {
    var copy = document.getElementById("prerender");  // the static copy (already hidden by CSS)
    if (copy) { copy.parentNode.removeChild(copy); }
    // the live page's picture of the map is the address's (the layout's is its own view's, which
    // differs when the layout request carried no Referer)
    var img = document.getElementById("map-poster"), link = document.getElementById("poster-src");
    if (img && link && img.src !== link.href) { img.src = link.href; }
    if (window.Atlas.a11y) { window.Atlas.a11y.attach(); }
    meta = m; ctx = m.address; config = m.map_config;
    base = layerData.figure;
    payloads[layerData.layer] = layerData;
    var parsed = A.address.parse(window.location.search, ctx);
    // what the server's page shows now (its layout is for the address's layer and year, or the
    // default view): rendering from it draws only what differs
    var shown = A.address.defaults(ctx);
    shown.layer = layerData.layer;
    shown.year = layerData.year;
    shown.playing = false;
    shown.present = document.getElementById("app-root").classList.contains("presenting");
    ["data", "sources"].forEach(function (k) {  // the layout's tab (the address's, with a Referer)
      var el = document.getElementById("view-" + k);
      if (el && !el.hidden) { shown.view = k; }
    });
    TABS.forEach(function (k) {
      sent["view-" + k + ".hidden"] = k !== shown.view;
      sent["tab-" + k + ".aria-selected"] = k === shown.view ? "true" : "false";
    });
    sent["app-root.className"] = shown.present ? "app presenting" : "app";
    sent["present-button.aria-pressed"] = shown.present ? "true" : "false";
    sent["present-button.children"] = shown.present ? "Leave presentation" : "Present";
    state = Object.assign({}, parsed.state, { playing: false });
    sent["layer-select.value"] = A.state.baseOf(shown.layer, ctx);
    sent["per-capita.value"] = A.state.isPerCapita(shown.layer, ctx) ? "per1000" : "count";
    sent["year-slider.value"] = shown.year;
    booted = true;
    var q = A.address.serialise(state, ctx);
    if (q !== window.location.search) {
      window.history.replaceState(null, "", window.location.pathname + q + window.location.hash);
    }
    sent["layer-req.data"] = { layer: shown.layer };
    renderNotices(parsed.notices.length ? parsed.notices : noticesOf(null));
    render(Object.assign({}, shown, { layer: null, year: null }), state);  // draws what differs, map and texts once
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
    if (payload.layer === state.layer) { renderMap(state); renderTexts(state); }
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
    boot: boot, dispatch: dispatch, layerArrived: layerArrived, control: control,
    state: function () { return state; }, meta: function () { return meta; }, placeCoverage: placeCoverage,
    ctx: function () { return ctx; }
  };

  var NO = function () { return window.dash_clientside.no_update; };
  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    atlas: {
      // the page's first render (meta and the first layer's payload), then every layer's payload
      layer: function (payload, m) {
        if (!booted) { boot(m, payload); } else { layerArrived(payload); }
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
