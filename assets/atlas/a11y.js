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
    root.querySelectorAll("#data-years input").forEach(function (el, i) {
      if (!el.getAttribute("aria-label")) { el.setAttribute("aria-label", i === 0 ? "First year" : "Last year"); }
    });
    root.querySelectorAll("#data-years [role=slider]").forEach(function (el, i) {
      if (!el.getAttribute("aria-label")) { el.setAttribute("aria-label", i === 0 ? "First year" : "Last year"); }
    });
  }
  // watched from the live page's boot (assets/atlas/app.js): Dash re-renders these controls (the data
  // tab's slot only: its table, redrawn on every sort, filter and page, is the renderer's own markup)
  var watched = [];
  function attach() {
    ["#app-root .topbar", "#app-root .controls", "#app-root .timebar", "#data-tab-slot"].forEach(function (sel) {
      var el = document.querySelector(sel);
      if (el && watched.indexOf(el) < 0) {
        watched.push(el);
        fix(el);
        new MutationObserver(function () {
          fix(el);
          // (the slider is drawn when its lazily loaded script arrives: the coverage strip follows it)
          if (window.Atlas.app && window.Atlas.app.placeCoverage) { window.Atlas.app.placeCoverage(); }
        }).observe(el, { subtree: true, childList: true });
      }
    });
  }
  window.Atlas = window.Atlas || {};
  window.Atlas.a11y = { attach: attach };
})();
