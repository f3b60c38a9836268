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

  var lastYear = null;  // the year last shown or asked for (the slider re-renders later)

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
    var present = new URLSearchParams(window.location.search).get("present");
    if (present) { q += "&present=" + encodeURIComponent(present); }
    return q;
  }

  // The query the server's restore (dashboard/urlstate.py) turns a search string into: unknown
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
    return stateQuery(base, info.per_1000_of ? "per1000" : "count", year, country, meta);
  }

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // The year's events, written straight into the list (same markup as the server renders in
  // dashboard/layout.py events_list): cheaper than a React update on every slider step.
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

  function withYear(figure, frames, year, country) {
    if (!figure || !figure.data || !frames || !frames.years) { return null; }
    var fr = frames.years[String(year)];
    if (!fr) { return null; }
    var data = figure.data.slice();
    var iso = (figure.data[1] && figure.data[1].locations) || [];
    var states = Object.assign({}, data[1], { z: fr.z, hovertext: fr.text });
    states.marker = Object.assign({}, data[1].marker, { line: {
      color: iso.map(function (c) { return c === country ? "#000000" : "#ffffff"; }),
      width: iso.map(function (c) { return c === country ? 2.5 : 0.6; })
    } });
    data[1] = states;
    data[2] = Object.assign({}, data[2], { locations: fr.contested.locations, z: fr.contested.z,
                                           hovertext: fr.contested.text });
    var layout = Object.assign({}, figure.layout);
    layout.annotations = (layout.annotations || []).map(function (a) {
      return a.name === "year" ? Object.assign({}, a, { text: String(year) }) : a;
    });
    return { data: data, layout: layout };
  }

  function markPanelYear(year) {
    var panel = document.getElementById("country-panel");
    if (!window.Plotly || (panel && panel.hidden)) { return; }
    ["panel-series", "panel-memberships", "panel-regime"].forEach(function (id) {
      var gd = document.querySelector("#" + id + " .js-plotly-plot");
      if (!gd || !gd.layout || !gd.layout.shapes) { return; }
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
      readUrl: function () {
        return { search: window.location.search, t: Date.now() };
      },
      // One callback per slider step does everything the year touches. The map is drawn straight
      // into the graph (no round trip through the figure prop, which would deep-copy and diff the
      // 200 kB figure on every step); a layer change replaces the whole figure from the server,
      // already at the current year.
      showYear: function (year, country, frames, meta, layer, perCapita, timerDisabled) {
        lastYear = year;
        var gd = document.querySelector("#map .js-plotly-plot");
        if (gd && gd.data && window.Plotly) {
          var fig = withYear({ data: gd.data, layout: gd.layout }, frames, year, country);
          if (fig) { window.Plotly.react(gd, fig.data, fig.layout); }
        }
        renderEvents(meta, year);
        markPanelYear(year);
        writeUrl(layer, perCapita, year, country, meta, timerDisabled);
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
      tick: function (n, year, meta) {
        if (!meta) { return [NO(), NO(), NO()]; }
        if (year >= meta.years[1]) { return [NO(), true, "▶ Play"]; }
        return [year + 1, NO(), NO()];
      }
    }
  });

  function isTyping(el) {
    if (!el) { return false; }
    var tag = (el.tagName || "").toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || el.isContentEditable ||
      (el.closest && el.closest(".dash-dropdown, .Select, [role=combobox], [role=listbox]"));
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
    if (ev.key === "Escape") {
      var panel = document.getElementById("country-panel");
      if (panel && !panel.hidden) { setProps("selected-country", { data: null }); ev.preventDefault(); }
      return;
    }
    if (isTyping(document.activeElement)) { return; }
    var onSlider = document.activeElement && document.activeElement.closest &&
      document.activeElement.closest("#year-slider");
    if (ev.key === "ArrowLeft" || ev.key === "ArrowRight") {
      if (onSlider) { return; }  // the slider handles its own arrows
      var y = currentYear();
      if (y === null) { return; }
      var lo = 1991, hi = 2100;
      var meta = document.getElementById("year-slider");
      if (meta) {
        var s = meta.querySelector("[role=slider]");
        lo = parseInt(s.getAttribute("aria-valuemin"), 10) || lo;
        hi = parseInt(s.getAttribute("aria-valuemax"), 10) || hi;
      }
      var ny = Math.min(hi, Math.max(lo, y + (ev.key === "ArrowRight" ? 1 : -1)));
      if (ny !== y) { lastYear = ny; setProps("year-slider", { value: ny }); }
      ev.preventDefault();
    } else if (ev.key === " " || ev.code === "Space") {
      var tag = (document.activeElement && document.activeElement.tagName || "").toLowerCase();
      if (tag === "button" || tag === "a") { return; }  // let Space activate the focused control
      var btn = document.getElementById("play-button");
      if (btn) { btn.click(); ev.preventDefault(); }
    }
  });

  window.addEventListener("popstate", function () {
    setProps("url-query", { data: { search: window.location.search, t: Date.now() } });
  });
})();
