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

  function eventItems(meta, year) {
    var evs = (meta && meta.events && meta.events[String(year)]) || [];
    if (!evs.length) {
      return [{ namespace: "dash_html_components", type: "Li",
                props: { children: "No events recorded for this year.", className: "ev-none" } }];
    }
    return evs.map(function (e) {
      return { namespace: "dash_html_components", type: "Li", props: {
        title: e.source, children: [
          { namespace: "dash_html_components", type: "Span", props: { className: "ev-date", children: e.date } },
          " ",
          { namespace: "dash_html_components", type: "Strong", props: { children: e.title } },
          " — " + e.text,
          { namespace: "dash_html_components", type: "Small", props: { className: "ev-src", children: " (" + e.source + ")" } }
        ] } };
    });
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

  function moveMarker(fig, year) {
    if (!fig || !fig.layout || !fig.layout.shapes) { return NO(); }
    var layout = Object.assign({}, fig.layout);
    layout.shapes = fig.layout.shapes.map(function (s) {
      return s.name === "year" ? Object.assign({}, s, { x0: year, x1: year }) : s;
    });
    return { data: fig.data, layout: layout };
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    atlas: {
      readUrl: function () {
        return { search: window.location.search, t: Date.now() };
      },
      showYear: function (year, country, frames, figure, meta) {
        lastYear = year;
        var fig = withYear(figure, frames, year, country);
        return [fig || NO(), "Events in " + year, eventItems(meta, year)];
      },
      markPanelYear: function (year, a, b, c) {
        return [moveMarker(a, year), moveMarker(b, year), moveMarker(c, year)];
      },
      selectCountry: function (clickData, closeClicks, current, meta) {
        var trig = window.dash_clientside.callback_context.triggered.map(function (t) { return t.prop_id; });
        if (trig.indexOf("panel-close.n_clicks") >= 0) { return null; }
        if (!clickData || !clickData.points || !clickData.points.length) { return NO(); }
        var p = clickData.points[0];
        var loc = p.location;
        if (meta && meta.contested_state && meta.contested_state[loc]) { loc = meta.contested_state[loc]; }
        if (!meta || meta.iso3.indexOf(loc) < 0) { return NO(); }
        return loc === current ? NO() : loc;
      },
      writeUrl: function (layer, perCapita, year, country, meta, timerDisabled) {
        if (!layer || layer.indexOf("__group") === 0) { return NO(); }
        var q = stateQuery(layer, perCapita, year, country, meta);
        if (q === window.location.search) { return NO(); }
        var playing = timerDisabled === false;
        var url = window.location.pathname + q + window.location.hash;
        if (playing || q === canonicalQuery(window.location.search, meta)) {
          window.history.replaceState(null, "", url);
        } else {
          window.history.pushState(null, "", url);
        }
        return q;
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
