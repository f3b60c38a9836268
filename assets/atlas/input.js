/* Inputs become actions: keys, dragging the year slider, and the page's buttons (by delegation,
 * so they work whatever Dash re-renders). Nothing here changes the view but through
 * Atlas.app.dispatch. */
(function () {
  "use strict";
  function app() { return window.Atlas.app; }
  function dispatch(a) { app().dispatch(a); }

  function isTyping(el) {
    if (!el) { return false; }
    var tag = (el.tagName || "").toLowerCase();
    if (tag === "textarea" || tag === "select" || el.isContentEditable) { return true; }
    if (tag === "input") {
      var type = (el.getAttribute("type") || "text").toLowerCase();
      return ["checkbox", "radio", "button", "submit", "range"].indexOf(type) < 0;
    }
    return !!(el.closest && el.closest(".dash-dropdown, .Select, [role=combobox], [role=listbox]"));
  }
  function onThumb(el) {
    return !!(el && el.getAttribute && el.getAttribute("role") === "slider" && el.closest("#year-slider"));
  }

  var YEAR_KEYS = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1, PageDown: -5, PageUp: 5,
                    Home: "min", End: "max" };

  // In the capture phase, before the slider's own handling: the map is drawn in this same task.
  window.addEventListener("keydown", function (ev) {
    var s = app() && app().state();
    if (!s || ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
    var el = document.activeElement;
    // Enter in a slider's number box commits the number, as leaving the box does (Dash's range
    // slider takes the typed value on blur only)
    if (ev.key === "Enter" && el && el.classList && el.classList.contains("dash-range-slider-input")) {
      el.blur();
      return;
    }
    var typing = isTyping(el);
    if (ev.key === "Escape") {
      // (in the flows view the country is the view's state, not an open panel: Esc keeps it)
      if (s.country && s.view !== "flows") { dispatch({ type: "country", iso3: null }); ev.preventDefault(); return; }
      if (s.present) { dispatch({ type: "present", on: false }); ev.preventDefault(); }
      return;
    }
    if (typing || ev.shiftKey) { return; }
    var tag = (el && el.tagName || "").toLowerCase();
    if (ev.key === " " || ev.code === "Space") {
      // in presentation mode Space plays and pauses whatever has focus; elsewhere a focused
      // button or link keeps its own Space
      if (!s.present && (tag === "button" || tag === "a" || tag === "summary")) { return; }
      ev.preventDefault();
      ev.stopPropagation();
      dispatch({ type: "play" });
      return;
    }
    var delta = YEAR_KEYS[ev.key];
    if (delta === undefined) { return; }
    // in the data tab's table the arrows scroll it
    if (!s.present && el && el.closest && el.closest("#data-table")) { return; }
    var thumb = onThumb(el);
    var arrowLR = ev.key === "ArrowLeft" || ev.key === "ArrowRight";
    if (!thumb && !arrowLR && !s.present) { return; }
    ev.preventDefault();
    ev.stopPropagation();
    if (s.story) {
      // inside a story the arrows move between its steps (End story to roam freely)
      if (delta === "min") { dispatch({ type: "step", to: 0 }); } else if (delta === "max") {
        dispatch({ type: "step", to: 1e6 });
      } else { dispatch({ type: "step", by: delta > 0 ? 1 : -1 }); }
      return;
    }
    var ctx = app().ctx();
    var y = delta === "min" ? ctx.years[0] : delta === "max" ? ctx.years[1] : s.year + delta;
    dispatch({ type: "year", year: y, via: "key" });
  }, true);

  // Buttons of the page (delegated: Dash may re-render them)
  var CLICKS = {
    "play-button": function () { return { type: "play" }; },
    "present-button": function (s) { return { type: "present", on: !s.present }; },
    "story-prev": function () { return { type: "step", by: -1 }; },
    "story-next": function () { return { type: "step", by: 1 }; },
    "story-end": function () { return { type: "story", id: null }; },
    "panel-close": function () { return { type: "country", iso3: null }; },
    "tab-map": function () { return { type: "view", view: "map" }; },
    "tab-data": function () { return { type: "view", view: "data" }; },
    "tab-chart": function () { return { type: "view", view: "chart" }; },
    "tab-rank": function () { return { type: "view", view: "rank" }; },
    "tab-compare": function () { return { type: "view", view: "compare" }; },
    "tab-overlap": function () { return { type: "view", view: "overlap" }; },
    "tab-flows": function () { return { type: "view", view: "flows" }; },
    "chart-all": function () { return { type: "data", countries: app().ctx().iso3.slice() }; },
    "tab-sources": function () { return { type: "view", view: "sources" }; }
  };
  var COPIES = { "copy-link": "share-link", "copy-embed": "embed-code", "copy-cite": "cite-text" };
  document.addEventListener("click", function (ev) {
    var s = app() && app().state();
    if (!s || !ev.target.closest) { return; }
    // a state's name in the ranking opens its panel
    // a close-up of the map (the chips over it: the same action as the region selector)
    var chip = ev.target.closest(".region-chip[data-region]");
    if (chip) { dispatch({ type: "region", region: chip.getAttribute("data-region") }); return; }
    var named = ev.target.closest(".rank-name[data-iso3]");
    if (named) { dispatch({ type: "country", iso3: named.getAttribute("data-iso3") }); return; }
    var cp = ev.target.closest("button[id]");
    if (cp && COPIES[cp.id]) {
      var src = document.getElementById(COPIES[cp.id]);
      app().copy(cp.id, src ? (src.tagName === "TEXTAREA" ? src.value : src.textContent) : "");
      return;
    }
    var btn = ev.target.closest("button[id]");
    var make = btn && CLICKS[btn.id];
    if (!make || btn.disabled) { return; }
    dispatch(make(s));
    if (btn.id === "present-button") { btn.blur(); }  // Space then plays, as the button says
  });

  // The chart's states and axis, the compare view's choices, the layer, story, region and
  // speed pickers: plain form fields (not Dash components), read on change
  document.addEventListener("change", function (ev) {
    var t = ev.target, s = app() && app().state();
    if (!s || !t || !t.closest) { return; }
    if (t.name === "chart-state") {
      var chosen = Array.prototype.filter.call(document.querySelectorAll("#chart-states input[name=chart-state]"),
        function (b) { return b.checked; }).map(function (b) { return b.value; });
      if (!chosen.length) { t.checked = true; return; }  // at least one state
      dispatch({ type: "data", countries: chosen });
    } else if (t.id === "chart-from" || t.id === "chart-to") {
      // the chart's year range: the address's from/to (shared with the data tab)
      var a = { type: "data" };
      a[t.id === "chart-from" ? "from" : "to"] = parseInt(t.value, 10);
      dispatch(a);
    } else if (t.name === "chart-scale") {
      dispatch({ type: "scale", scale: t.value });
    } else if (t.id === "compare-year2") {
      dispatch({ type: "compare", year2: t.value ? parseInt(t.value, 10) : null });
    } else if (t.id === "compare-layer2") {
      dispatch({ type: "compare", layer2: t.value || null });
    } else if (t.id === "story-select" || t.id === "region-select" || t.id === "layer-select") {
      app().control(t.id, t.value || null);
    } else if (t.id === "play-speed") {
      app().control(t.id, parseInt(t.value, 10));
    }
  });

  // Dragging the slider: the year under the pointer is drawn at once, in the pointer event's own
  // task (the slider's own rule: its root's width spans min..max, rounded to the step). The
  // slider moves its thumb itself; its value then arrives as an echo and is ignored.
  var drag = 0, dragging = false;
  function yearAt(x) {
    var root = document.getElementById("year-slider");
    var el = root && root.querySelector("[role=slider]");
    var box = root && root.querySelector(".dash-slider-root");
    if (!el || !box) { return null; }
    var lo = parseInt(el.getAttribute("aria-valuemin"), 10), hi = parseInt(el.getAttribute("aria-valuemax"), 10);
    var r = box.getBoundingClientRect();
    if (isNaN(lo) || isNaN(hi) || !r.width) { return null; }
    return Math.min(hi, Math.max(lo, lo + Math.round(((x - r.left) / r.width) * (hi - lo))));
  }
  function follow(ev) {
    var y = yearAt(ev.clientX);
    var s = app() && app().state();
    if (y !== null && s && y !== s.year) { dispatch({ type: "year", year: y, via: "drag", drag: drag }); }
  }
  window.addEventListener("pointerdown", function (ev) {
    if (ev.button !== 0 || !ev.target.closest || !ev.target.closest("#year-slider .dash-slider-root")) { return; }
    drag += 1;
    dragging = true;
    follow(ev);
  }, true);
  window.addEventListener("pointermove", function (ev) { if (dragging) { follow(ev); } }, true);
  ["pointerup", "pointercancel"].forEach(function (type) {
    window.addEventListener(type, function () { dragging = false; }, true);
  });

  window.Atlas = window.Atlas || {};
  window.Atlas.input = { dragging: function () { return dragging; }, isTyping: isTyping };
})();

// The data tab: its rows are asked for on the first sign that the tab is wanted (the pointer
// over its tab, a touch on it, the keyboard's focus on it: app.js prefetchTable), and the
// table's own controls (sort buttons, filter, pages) are its settings (app.js tableAct).
(function () {
  "use strict";
  function app() { return window.Atlas && window.Atlas.app; }
  function wanted(ev) {
    if (app() && ev.target && ev.target.closest && ev.target.closest("#tab-data")) { app().prefetchTable(); }
  }
  ["pointerover", "touchstart", "focusin"].forEach(function (type) {
    document.addEventListener(type, wanted, { capture: true, passive: true });
  });
  function inTable(ev, selector) {
    var t = ev.target && ev.target.closest && ev.target.closest(selector);
    return t && t.closest("#data-table") ? t : null;
  }
  document.addEventListener("click", function (ev) {
    var b = inTable(ev, "button[data-sort], button[data-page]");
    if (!b || !app() || b.disabled) { return; }
    if (b.hasAttribute("data-sort")) {
      app().tableAct({ type: "sort", field: b.getAttribute("data-sort") });
      // the header was drawn anew: the keyboard's focus stays on the same column's button
      var again = document.querySelector('#data-table button[data-sort="' + b.getAttribute("data-sort") + '"]');
      if (again) { again.focus(); }
    } else {
      var label = b.getAttribute("aria-label");
      app().tableAct({ type: "page", page: Number(b.getAttribute("data-page")) });
      var same = document.querySelector('#data-table .tbl-pager button[aria-label="' + label + '"]');
      if (same && !same.disabled) { same.focus(); }
    }
  });
  document.addEventListener("input", function (ev) {
    var f = inTable(ev, ".tbl-filter");
    if (f && app()) { app().tableAct({ type: "filter", q: f.value }); }
  });
  document.addEventListener("change", function (ev) {
    var sel = inTable(ev, "select[data-size]");
    if (sel && app()) {
      app().tableAct({ type: "size", size: Number(sel.value) });
      var again = document.querySelector("#data-table select[data-size]");
      if (again) { again.focus(); }
    }
  });
})();
