/* First paint. The page's scripts do not include plotly.js (≈1.4 MB to parse): dcc.Graph loads it
 * when the map mounts, from the address of the page's preload link (dashboard/web/app.py
 * _preloads); until plotly.js has drawn the map, the same map is shown as a static picture
 * (/map-poster.svg, dashboard/views/poster.py) that the server draws for the page's address. */
(function () {
  "use strict";
  var plotly = document.getElementById("plotly-src");
  if (plotly && !window.Plotly) {
    // dash-renderer sets this address to the full plotly.js bundle after its first render; the
    // map needs only the geo bundle, so the page's address is kept
    var url = plotly.href;
    Object.defineProperty(window, "_dashPlotlyJSURL", {
      configurable: true, get: function () { return url; }, set: function () { /* kept */ }
    });
  }
  var poster = document.getElementById("poster-src");
  if (!poster) { return; }
  var img = null;
  var obs = new MutationObserver(function () {
    // the live page is rendered: the static copy of it (dashboard/views/prerender.py) goes
    var pre = document.getElementById("prerender");
    if (pre && document.getElementById("app-root")) { pre.parentNode.removeChild(pre); }
    if (!img) {
      img = document.getElementById("map-poster");
      if (img && !img.getAttribute("src")) {
        img.setAttribute("elementtiming", "map-poster");
        img.setAttribute("src", poster.href);
      }
    }
    // the interactive map shows the picture's view: the picture goes (after that frame is on
    // screen). Until then plotly may have drawn the page's default view, before the address's
    // view came from the server. A safety net lets the picture go 4 s after the first map.
    if (img && document.querySelector("#map .choroplethlayer path")) {
      if (!firstMap) { firstMap = setTimeout(hide, 4000); }
      var gd = document.querySelector("#map .js-plotly-plot");
      var ann = gd && gd.layout && gd.layout.annotations && gd.layout.annotations[0];
      if (gd && !gd.classList.contains("dash-graph--pending") && gd.layout.meta &&
          (!view.layer || gd.layout.meta.layer === view.layer) && (!view.year || (ann && ann.text === view.year))) {
        hide();
      }
    }
  });
  var view = { layer: poster.getAttribute("data-layer"), year: poster.getAttribute("data-year") };
  var firstMap = null;
  function hide() {
    obs.disconnect();
    clearTimeout(firstMap);
    var done = img;
    window.requestAnimationFrame(function () {
      window.requestAnimationFrame(function () { done.classList.add("done"); });
    });
  }
  obs.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["class"] });
})();

/* Clientside behaviour of the atlas: year changes, play, keys, URL state, country selection.
 * Moving through the years never calls the server: every year of the current layer is already
 * in the "frames" store, and showYear swaps it into the figure. */
(function () {
  "use strict";
  var NO = function () { return window.dash_clientside.no_update; };

  function setProps(id, props) {
    if (window.dash_clientside && window.dash_clientside.set_props) {
      window.dash_clientside.set_props(id, props);
    }
  }

  var lastYear = null;
  var presenting = false;     // presentation mode (kept in the URL as present=1)
  var currentStory = null;    // {id, step} of the open guided story (URL: story=…&step=n, from 1)  // the year last shown or asked for (the slider re-renders later)

  function currentYear() {
    if (lastYear !== null) { return lastYear; }
    var el = document.querySelector("#year-slider [role=slider]");
    var v = el ? parseInt(el.getAttribute("aria-valuenow"), 10) : NaN;
    return isNaN(v) ? null : v;
  }

  function stateQuery(layer, perCapita, year, country, meta) {
    var id = layer;
    var info = meta && meta.layers[layer];
    if (perCapita === "per1000" && info && info.per_1000) { id = info.per_1000; }
    var q = "?layer=" + encodeURIComponent(id) + "&year=" + encodeURIComponent(year);
    if (country) { q += "&country=" + encodeURIComponent(country); }
    if (presenting) { q += "&present=1"; }
    if (currentStory) { q += "&story=" + encodeURIComponent(currentStory.id) + "&step=" + (currentStory.step + 1); }
    return q;
  }

  // The query the server's restore (dashboard/core/viewstate.py) turns a search string into: unknown
  // values fall back to the defaults. Used to tell a restore (replace the history entry) from a
  // user's change (push a new entry).
  function canonicalQuery(search, meta) {
    var params = new URLSearchParams(search);
    var layer = params.get("layer");
    if (!layer || !meta.layers[layer]) { layer = meta.default_layer; }
    var y = params.get("year");
    var year = /^[0-9]{4}$/.test((y || "").trim()) ? parseInt(y, 10) : NaN;
    if (!(year >= meta.years[0] && year <= meta.years[1])) { year = meta.default_year; }
    var c = (params.get("country") || "").trim().toUpperCase();
    var country = meta.iso3.indexOf(c) >= 0 ? c : null;
    var info = meta.layers[layer];
    var base = info.per_1000_of || layer;
    var keep = [presenting, currentStory];
    presenting = ["1", "true", "yes"].indexOf(params.get("present")) >= 0;
    var sid = params.get("story"), n = meta.stories ? meta.stories[sid] : undefined;
    var st = parseInt(params.get("step") || "1", 10);
    currentStory = n ? { id: sid, step: (st >= 1 && st <= n) ? st - 1 : 0 } : null;
    var q = stateQuery(base, info.per_1000_of ? "per1000" : "count", year, country, meta);
    presenting = keep[0];
    currentStory = keep[1];
    return q;
  }

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // The year's events, written straight into the list (same markup as the server renders in
  // dashboard/views/layout.py events_list): cheaper than a React update on every slider step.
  function renderEvents(meta, year) {
    var title = document.getElementById("events-title");
    var list = document.getElementById("events-strip");
    if (title) { title.textContent = "Events in " + year; }
    if (!list) { return; }
    var evs = (meta && meta.events && meta.events[String(year)]) || [];
    if (!evs.length) {
      list.innerHTML = '<li class="ev-none">No events recorded for this year.</li>';
      return;
    }
    list.innerHTML = evs.map(function (e) {
      return '<li title="' + esc(e.source) + '"><span class="ev-date">' + esc(e.date) + "</span> <strong>" +
        esc(e.title) + "</strong> — " + esc(e.text) + ' <small class="ev-src">(' + esc(e.source) + ")</small></li>";
    }).join("");
  }

  var outlineKey = null, outlineMarker = null;

  function withYear(figure, frames, year, country, highlight) {
    highlight = highlight || [];
    if (!figure || !figure.data || !frames || !frames.years) { return null; }
    var fr = frames.years[String(year)];
    if (!fr) { return null; }
    var data = figure.data.slice();
    var iso = (figure.data[1] && figure.data[1].locations) || [];
    var states = Object.assign({}, data[1], { z: fr.z, hovertext: fr.text });
    // mirrors dashboard/core/figures.py outline(): selected black, story highlights orange (the same
    // outline object again while country and highlights stay, so plotly has less to compare)
    var key = (country || "") + "|" + highlight.join(",") + "|" + iso.join(",");
    if (key !== outlineKey || data[1].marker !== outlineMarker) {
      outlineKey = key;
      outlineMarker = Object.assign({}, data[1].marker, { line: {
        color: iso.map(function (c) {
          return c === country ? "#000000" : highlight.indexOf(c) >= 0 ? "#e05a00" : "#ffffff"; }),
        width: iso.map(function (c) { return c === country ? 2.5 : highlight.indexOf(c) >= 0 ? 3.0 : 0.6; })
      } });
    }
    states.marker = outlineMarker;
    data[1] = states;
    data[2] = Object.assign({}, data[2], { locations: fr.contested.locations, z: fr.contested.z,
                                           hovertext: fr.contested.text });
    var layout = Object.assign({}, figure.layout);
    layout.annotations = (layout.annotations || []).map(function (a) {
      return a.name === "year" ? Object.assign({}, a, { text: String(year),
        font: Object.assign({}, a.font, { size: presenting ? 60 : 34 }) }) : a;
    });
    return { data: data, layout: layout };
  }

  // the text alternative of the map: summary paragraph and table (as dashboard/views/layout.py renders)
  function renderSummary(frames, year) {
    var fr = frames && frames.years && frames.years[String(year)];
    if (!fr) { return; }
    var p = document.getElementById("map-summary");
    if (p) { p.textContent = fr.summary; }
    var table = document.getElementById("map-table");
    if (!table) { return; }
    var rows = frames.names.map(function (n, i) {
      return '<tr><th scope="row">' + esc(n) + "</th><td>" + esc(fr.labels[i]) + "</td></tr>";
    }).join("");
    table.innerHTML = "<caption>" + esc(frames.label) + ", " + year + "</caption>" +
      '<thead><tr><th scope="col">Country</th><th scope="col">' + esc(frames.label) + "</th></tr></thead>" +
      "<tbody>" + rows + "</tbody>";
  }

  // The view the map must show. Drawn at once if the graph is ready; otherwise (first load, or
  // a new layer's figure still being plotted) as soon as it is, and checked again after a new
  // figure from the server, which may carry an older year if the slider moved meanwhile.
  var want = null;
  var drawnYear = null;       // the year the map shows
  var drawTimer = null;

  function drawWanted() {
    if (!want) { return; }
    var gd = document.querySelector("#map .js-plotly-plot");
    // (never while dcc.Graph is plotting a figure itself: plotly would finish the two draws in
    // either order, the first plot waiting for its base topology)
    if (!gd || !gd.data || !gd.layout || !window.Plotly || gd.data.length < 3 ||
        gd.classList.contains("dash-graph--pending")) {
      clearTimeout(drawTimer);
      drawTimer = setTimeout(drawWanted, 50);
      return;
    }
    var shown = gd.layout.meta && gd.layout.meta.layer;
    if (want.frames && shown && want.frames.layer !== shown) {  // the new layer's figure is not plotted yet
      clearTimeout(drawTimer);
      drawTimer = setTimeout(drawWanted, 50);
      return;
    }
    var fig = withYear({ data: gd.data, layout: gd.layout }, want.frames, want.year, want.country, want.highlight);
    if (fig) { window.Plotly.react(gd, fig.data, fig.layout); drawnYear = want.year; }
  }

  // The texts, the panel's year marker and the address follow the map, right after it is drawn.
  var ctx = null;  // the layer's context as last seen by showYear
  // The address is written only once Dash has the year too (withUrl, from showYear): back and
  // forward hand the address to Dash, which must agree with it.
  // The texts wait for the map's frame to be painted (plotly finishes the map in the next
  // animation frame; a page in the background gets no frames, hence the timer as well).
  var textSeq = 0;
  function afterPaint(fn) {
    var done = false;
    var run = function () { if (!done) { done = true; setTimeout(fn, 0); } };
    window.requestAnimationFrame(run);
    setTimeout(run, 100);
  }
  function afterDraw(year, withUrl) {
    var seq = ++textSeq;
    afterPaint(function () {
      if (seq !== textSeq || !want || !ctx) { return; }  // a newer step writes them
      renderEvents(ctx.meta, year);
      renderSummary(want.frames, year);
      markPanelYear(year);
      if (withUrl) { writeUrl(ctx.layer, ctx.perCapita, year, want.country, ctx.meta, ctx.timerDisabled); }
    });
  }

  // A year step the user makes on the page (←/→ and the other slider keys, dragging the slider)
  // is drawn at once, in the same task as the input, without waiting for Dash's callback
  // machinery; the slider's value is handed to Dash after the map is painted (tell = true), and
  // showYear then finds the year already drawn. Returns false when the map is not ready yet.
  var toldYear = null;
  var tellPending = false;  // a step not yet handed to Dash
  function stepTo(year, tell) {
    var gd = document.querySelector("#map .js-plotly-plot");
    if (!want || !want.frames || !want.frames.years[String(year)] || !gd || !gd.data || !window.Plotly ||
        gd.classList.contains("dash-graph--pending")) {
      return false;
    }
    lastYear = year;
    if (drawnYear !== year) {
      want = Object.assign({}, want, { year: year });
      drawWanted();
      afterDraw(year, false);
    }
    if (tell) {
      // after the next frame is painted (plotly draws this map synchronously), once for a burst
      // of steps; a page in the background gets no frames, hence the timer as well
      tellPending = true;
      afterPaint(function () {
        tellPending = false;
        if (toldYear !== lastYear) { toldYear = lastYear; setProps("year-slider", { value: lastYear }); }
      });
    }
    return true;
  }

  function markPanelYear(year) {
    var panel = document.getElementById("country-panel");
    if (!window.Plotly || (panel && panel.hidden)) { return; }
    ["panel-series", "panel-memberships", "panel-regime"].forEach(function (id) {
      var gd = document.querySelector("#" + id + " .js-plotly-plot");
      if (!gd || !gd.layout || !gd.layout.shapes || gd.classList.contains("dash-graph--pending")) { return; }
      var upd = {};
      gd.layout.shapes.forEach(function (s, i) {
        if (s.name === "year") { upd["shapes[" + i + "].x0"] = year; upd["shapes[" + i + "].x1"] = year; }
      });
      window.Plotly.relayout(gd, upd);
    });
  }

  // Keep the address bar in step with the view: a user's change pushes a history entry (so
  // back/forward work); a restore from the URL, or playing, replaces the current one.
  function writeUrl(layer, perCapita, year, country, meta, timerDisabled) {
    if (!layer || layer.indexOf("__group") === 0 || !meta) { return null; }
    var q = stateQuery(layer, perCapita, year, country, meta);
    if (q === window.location.search) { return null; }
    var url = window.location.pathname + q + window.location.hash;
    if (timerDisabled === false || q === canonicalQuery(window.location.search, meta)) {
      window.history.replaceState(null, "", url);
    } else {
      window.history.pushState(null, "", url);
    }
    return q;
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    atlas: {
      // One callback per slider step does everything the year touches. The map is drawn straight
      // into the graph (no round trip through the figure prop, which would deep-copy and diff the
      // 200 kB figure on every step); a layer change replaces the whole figure from the server,
      // already at the current year.
      showYear: function (year, country, highlight, frames, meta, layer, perCapita, timerDisabled) {
        var trig = window.dash_clientside.callback_context.triggered.map(function (t) { return t.prop_id; });
        var onlyYear = trig.length === 1 && trig[0] === "year-slider.value";
        ctx = { meta: meta, layer: layer, perCapita: perCapita, timerDisabled: timerDisabled };
        // the echo of a step handed to Dash earlier, while a newer step is on its way: keep the newer
        if (onlyYear && tellPending && year !== lastYear) { return NO(); }
        lastYear = year;
        toldYear = year;  // Dash has this year
        var same = want && want.frames === frames && want.country === country && want.highlight === highlight;
        want = { year: year, country: country, highlight: highlight, frames: frames };
        // a step the page has already drawn (keys, dragging: see stepTo) is not drawn twice
        if (!(onlyYear && same && drawnYear === year)) { drawWanted(); }
        afterDraw(year, true);
        return NO();
      },
      selectCountry: function (clickData, closeClicks, current, meta) {
        var trig = window.dash_clientside.callback_context.triggered.map(function (t) { return t.prop_id; });
        if (trig.indexOf("panel-close.n_clicks") >= 0) { return null; }
        if (!clickData || !clickData.points || !clickData.points.length) { return NO(); }
        var loc = clickData.points[0].location;
        if (meta && meta.contested_state && meta.contested_state[loc]) { loc = meta.contested_state[loc]; }
        if (!meta || meta.iso3.indexOf(loc) < 0) { return NO(); }
        return loc === current ? NO() : loc;
      },
      // layer changes (the year and the country are written by showYear)
      writeUrl: function (layer, perCapita, year, country, meta, timerDisabled) {
        return writeUrl(layer, perCapita, year, country, meta, timerDisabled) || NO();
      },
      togglePlay: function (n, disabled, year, meta) {
        var start = disabled;  // currently stopped → start
        if (start && meta && year >= meta.years[1]) { setProps("year-slider", { value: meta.years[0] }); }
        return [!start, start ? "❚❚ Pause" : "▶ Play", start ? "true" : "false"];
      },
      tick: function (n, year, meta, story, stories) {
        if (!meta) { return [NO(), NO(), NO(), NO()]; }
        if (year >= meta.years[1]) { return [NO(), true, "▶ Play", "false"]; }
        var next = year + 1;
        // with a story open, playing stops at the story's next step and shows it
        if (story && stories && stories[story.id]) {
          var steps = stories[story.id].steps;
          for (var i = story.step + 1; i < steps.length; i++) {
            if (steps[i].year === next) {
              setProps("story-state", { data: { id: story.id, step: i } });
              return [next, true, "▶ Play", "false"];
            }
            if (steps[i].year > next) { break; }
          }
        }
        return [next, NO(), NO(), NO()];
      },
      playSpeed: function (ms) { return ms || 1000; },
      // load dash-ag-grid's script the first time the data tab opens, then let the server
      // render the tab (its grid needs the script)
      loadGrid: function (n, meta) {
        if (window.dash_ag_grid) { return Date.now(); }
        return new Promise(function (resolve) {
          var s = document.createElement("script");
          s.src = meta.grid_js;
          s.onload = function () { resolve(Date.now()); };
          s.onerror = function () { resolve(null); };
          document.head.appendChild(s);
        });
      },
      // the text alternative and the events, on load and after a layer change
      renderTexts: function (frames, year, meta, country, highlight) {
        renderSummary(frames, year);
        renderEvents(meta, year);
        // a new layer's figure was built for the year asked at the time; make sure it shows the
        // year the slider is on now
        var y = lastYear !== null ? lastYear : year;
        want = { year: y, country: country, highlight: highlight, frames: frames };
        setTimeout(function () {
          var gd = document.querySelector("#map .js-plotly-plot");
          var ann = gd && gd.layout && gd.layout.annotations && gd.layout.annotations[0];
          if (!ann || ann.text !== String(want.year) || presenting) { drawWanted(); }
        }, 60);
        return NO();
      },
      switchTab: function () {
        var trig = window.dash_clientside.callback_context.triggered.map(function (t) { return t.prop_id; });
        var key = trig.length ? trig[0].split(".")[0].replace("tab-", "") : "map";
        var keys = ["map", "data", "sources"];
        var res = keys.map(function (k) { return k !== key; });
        if (key === "map") {
          setTimeout(function () {
            var gd = document.querySelector("#map .js-plotly-plot");
            if (gd && window.Plotly) { window.Plotly.Plots.resize(gd); }
          }, 0);
        }
        return res.concat(keys.map(function (k) { return k === key ? "true" : "false"; }));
      },
      togglePresent: function (n, present) { return !present; },
      applyPresent: function (present, layer, perCapita, year, country, meta) {
        presenting = !!present;
        setTimeout(function () {  // the map's box changed size with the page's layout
          var gd = document.querySelector("#map .js-plotly-plot");
          if (gd && window.Plotly) { window.Plotly.Plots.resize(gd); }
          drawWanted();  // the year in large type
        }, 50);
        writeUrl(layer, perCapita, year, country, meta, true);
        return [presenting ? "app presenting" : "app", presenting ? "true" : "false",
                presenting ? "Leave presentation" : "Present"];
      },
      storyNav: function (selected, prev, next, end, state, stories) {
        var trig = window.dash_clientside.callback_context.triggered.map(function (t) { return t.prop_id; });
        var t = trig.length ? trig[0] : "";
        if (t.indexOf("story-end") === 0) { setProps("story-select", { value: null }); return null; }
        if (t.indexOf("story-select") === 0) {
          if (!selected || !stories[selected]) { return null; }
          if (state && state.id === selected) { return NO(); }
          return { id: selected, step: 0 };
        }
        if (!state || !stories[state.id]) { return NO(); }
        var n = stories[state.id].steps.length;
        var step = state.step + (t.indexOf("story-next") === 0 ? 1 : -1);
        if (step < 0 || step >= n) { return NO(); }
        return { id: state.id, step: step };
      },
      applyStory: function (state, stories, meta) {
        var story = state && stories && stories[state.id];
        currentStory = story ? { id: state.id, step: state.step } : null;
        if (!story) {
          return [true, "", "", "", [], "", true, true, []];
        }
        var step = story.steps[state.step];
        var info = meta.layers[step.layer] || {};
        var base = info.per_1000_of || step.layer;
        setProps("story-select", { value: state.id });
        setProps("layer-select", { value: base });
        setProps("per-capita", { value: info.per_1000_of ? "per1000" : "count" });
        lastYear = step.year;
        setProps("year-slider", { value: step.year });
        var sources = step.sources.map(function (src) {
          var kids = src.url ? [{ namespace: "dash_html_components", type: "A",
                                  props: { href: src.url, children: src.citation, target: "_blank", rel: "noopener" } }]
                             : [src.citation];
          return { namespace: "dash_html_components", type: "Li", props: { children: kids } };
        });
        return [false, story.title, step.title, step.caption, sources,
                "Step " + (state.step + 1) + " of " + story.steps.length,
                state.step === 0, state.step === story.steps.length - 1, step.countries || []];
      }
    }
  });

  function isTyping(el) {
    if (!el) { return false; }
    var tag = (el.tagName || "").toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || el.isContentEditable ||
      (el.closest && el.closest(".dash-dropdown, .Select, [role=combobox], [role=listbox]"));
  }

  var YEAR_KEYS = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1, PageDown: -5, PageUp: 5,
                    Home: "min", End: "max" };

  // The year keys, in the capture phase: before the slider's own key handling (React listens at
  // the page's root), so that the map is drawn in this same task. ←/→ anywhere on the page (not
  // while typing), and all of them on the slider's thumb.
  window.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey || ev.shiftKey) { return; }
    var delta = YEAR_KEYS[ev.key];
    if (delta === undefined) { return; }
    var el = document.activeElement;
    var onThumb = el && el.getAttribute && el.getAttribute("role") === "slider" && el.closest("#year-slider");
    if (!onThumb && (isTyping(el) || (ev.key !== "ArrowLeft" && ev.key !== "ArrowRight"))) { return; }
    var y = currentYear();
    if (y === null) { return; }
    var lo = 1991, hi = 2100;
    var sl = document.querySelector("#year-slider [role=slider]");
    if (sl) {
      lo = parseInt(sl.getAttribute("aria-valuemin"), 10) || lo;
      hi = parseInt(sl.getAttribute("aria-valuemax"), 10) || hi;
    }
    var ny = delta === "min" ? lo : delta === "max" ? hi : Math.min(hi, Math.max(lo, y + delta));
    ev.preventDefault();
    ev.stopPropagation();
    if (ny === y) { return; }
    if (!stepTo(ny, true)) { lastYear = ny; setProps("year-slider", { value: ny }); }
  }, true);

  document.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
    if (ev.key === "Escape") {
      var panel = document.getElementById("country-panel");
      if (panel && !panel.hidden) { setProps("selected-country", { data: null }); ev.preventDefault(); return; }
      if (presenting) { setProps("present", { data: false }); ev.preventDefault(); }
      return;
    }
    if (isTyping(document.activeElement)) { return; }
    if (ev.key === " " || ev.code === "Space") {
      var tag = (document.activeElement && document.activeElement.tagName || "").toLowerCase();
      if (tag === "button" || tag === "a") { return; }  // let Space activate the focused control
      var btn = document.getElementById("play-button");
      if (btn) { btn.click(); ev.preventDefault(); }
    }
  });

  // Dragging the slider (or pressing on its track): the year under the pointer is drawn at once,
  // in the pointer event's own task and before the slider's handler (which moves the thumb and
  // tells Dash on release), by the slider's own rule (Radix: the root's width spans min..max,
  // rounded to the step). The thumb's value is watched too while the pointer is down, in case
  // the two ever disagree; changes of the thumb made by Dash reach the map through showYear.
  var dragging = false;
  function yearAt(root, x) {
    var el = root.querySelector("[role=slider]");
    var box = root.querySelector(".dash-slider-root");
    if (!el || !box) { return null; }
    var lo = parseInt(el.getAttribute("aria-valuemin"), 10), hi = parseInt(el.getAttribute("aria-valuemax"), 10);
    var r = box.getBoundingClientRect();
    if (isNaN(lo) || isNaN(hi) || !r.width) { return null; }
    var v = lo + Math.round(((x - r.left) / r.width) * (hi - lo));
    return Math.min(hi, Math.max(lo, v));
  }
  function watchThumb() {
    var root = document.getElementById("year-slider");
    if (!root) { setTimeout(watchThumb, 100); return; }
    function follow(ev) {
      var y = yearAt(root, ev.clientX);
      if (y !== null && y !== lastYear) { stepTo(y, false); }
    }
    root.addEventListener("pointerdown", function (ev) {
      if (ev.button !== 0 || !ev.target.closest(".dash-slider-root")) { return; }
      dragging = true;
      follow(ev);
    }, true);
    // While dragging, each move is drawn at once and handed to the slider (which moves the
    // thumb and updates Dash's drag_value, ≈ 10 ms) after the frame is painted: the latest move
    // of each frame, as a copy of the browser's event to the element that holds the pointer.
    var pendingMove = null;
    window.addEventListener("pointermove", function (ev) {
      if (!dragging || !ev.isTrusted) { return; }
      follow(ev);
      ev.stopPropagation();
      var first = pendingMove === null;
      pendingMove = ev;
      if (!first) { return; }
      afterPaint(forwardMove);
    }, true);
    function forwardMove() {
      var m = pendingMove;
      pendingMove = null;
      if (!m || !m.target || !m.target.dispatchEvent) { return; }
      m.target.dispatchEvent(new PointerEvent("pointermove", {
        bubbles: true, cancelable: true, composed: true, pointerId: m.pointerId, pointerType: m.pointerType,
        isPrimary: m.isPrimary, clientX: m.clientX, clientY: m.clientY, screenX: m.screenX, screenY: m.screenY,
        buttons: m.buttons, button: m.button, pressure: m.pressure
      }));
    }
    ["pointerup", "pointercancel"].forEach(function (type) {
      // the slider gets the last move before the release (its value is what Dash keeps)
      window.addEventListener(type, function () { forwardMove(); dragging = false; }, true);
    });
    new MutationObserver(function () {
      if (!dragging) { return; }
      var el = root.querySelector("[role=slider]");
      var v = el ? parseInt(el.getAttribute("aria-valuenow"), 10) : NaN;
      if (!isNaN(v) && v !== lastYear) { stepTo(v, false); }
    }).observe(root, { subtree: true, attributes: true, attributeFilter: ["aria-valuenow"] });
  }
  watchThumb();

  // On load, a query in the address is handed to the server's restore (no call for a plain
  // address: the default view is already in the page). Waits for Dash to have rendered the page.
  function readUrlOnLoad() {
    if (!window.location.search) { return; }
    if (!document.getElementById("app-root") || !(window.dash_clientside && window.dash_clientside.set_props)) {
      setTimeout(readUrlOnLoad, 30);
      return;
    }
    setProps("url-query", { data: { search: window.location.search, t: Date.now() } });
  }
  readUrlOnLoad();

  window.addEventListener("popstate", function () {
    setProps("url-query", { data: { search: window.location.search, t: Date.now() } });
  });
})();

/* Accessibility fixes for Dash 4's built-in controls (their markup is not ours to change):
 * the dropdowns' hidden helper inputs must not take keyboard focus, and the year slider's thumb
 * and number box need names. Watches only the control areas, not the map. */
(function () {
  "use strict";
  function fix(root) {
    root.querySelectorAll(".dash-dropdown-focus-target").forEach(function (el) {
      if (el.getAttribute("tabindex") !== "-1") { el.setAttribute("tabindex", "-1"); }
    });
    root.querySelectorAll("#year-slider [role=slider]").forEach(function (el) {
      if (!el.getAttribute("aria-label")) { el.setAttribute("aria-label", "Year"); }
    });
    root.querySelectorAll("#year-slider input").forEach(function (el) {
      if (!el.getAttribute("aria-label")) { el.setAttribute("aria-label", "Year (type a year)"); }
    });
  }
  var watched = [];
  function attach() {
    [".topbar", ".controls", ".timebar", "#view-data"].forEach(function (sel) {
      var el = document.querySelector(sel);
      if (el && watched.indexOf(el) < 0) {
        watched.push(el);
        fix(el);
        new MutationObserver(function () { fix(el); }).observe(el, { subtree: true, childList: true });
      }
    });
    if (watched.length < 4) { setTimeout(attach, 200); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", attach);
  } else {
    attach();
  }
})();
