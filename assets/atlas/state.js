/* One view state and one reducer. Every input (keys, slider, drag, play timer, story buttons,
 * back/forward, a link, the data tab's fields) is an action; reduce(state, action, ctx) returns
 * the next state and how the address follows it:
 *   history "push"    a deliberate change: a new history entry
 *           "replace" the same entry (playing, a restored address, a repeated year key)
 *           null      the address does not change
 * and `merge`, a tag: a push whose tag equals the tag of the entry it would follow replaces it
 * instead (a burst of year keys, the moves of one drag make one entry).
 * Pure: no DOM, no time. The renderer (app.js) draws the state.
 *
 * ctx: the address context (address.js) plus stories' full steps are not needed here: a step's
 * layer and year come from ctx.stories[id][i].
 */
(function (root, factory) {
  "use strict";
  var mod = factory();
  if (typeof module === "object" && module.exports) { module.exports = mod; } else {
    root.Atlas = root.Atlas || {};
    root.Atlas.state = mod;
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  function assign(a, b) { return Object.assign({}, a, b); }

  function steps(state, ctx) { return state.story ? ctx.stories[state.story] || null : null; }

  // a step sets the layer and year (and the region, the view if it names them); a step without a
  // view, after one that opened a view, goes back to the map (the view was the step's, not the
  // reader's). `from`: the state before the action (its story and step).
  function atStep(state, ctx, i, from) {
    var s = steps(state, ctx)[i];
    var was = from && from.story === state.story && steps(from, ctx) ? steps(from, ctx)[from.step] : null;
    var view = s.view || (was && was.view && was.view === state.view ? "map" : state.view);
    return assign(state, { step: i, layer: s.layer, year: s.year, region: s.region || state.region, view: view });
  }

  /** The count layer behind a layer (its per-1,000 twin's base), and whether it is per 1,000. */
  function baseOf(layer, ctx) {
    var info = ctx.layers[layer] || {};
    return info.per_1000_of || layer;
  }
  function isPerCapita(layer, ctx) { return !!(ctx.layers[layer] || {}).per_1000_of; }

  function clampYear(y, ctx) { return Math.min(ctx.years[1], Math.max(ctx.years[0], y)); }

  // a new layer without data in the year shown moves to its nearest year with data (never an
  // all-grey map without a word): returns [state, notice]
  function toCovered(s, ctx) {
    var cov = (ctx.layers[s.layer] || {}).covered;
    if (!cov || (s.year >= cov[0] && s.year <= cov[1])) { return [s, null]; }
    var y = Math.min(Math.max(s.year, cov[0]), cov[1]);
    return [assign(s, { year: y }), { kind: "moved", from: s.year, to: y, covered: cov }];
  }

  // a manual change of what the map shows leaves the story (its caption would no longer match)
  function leaveStory(state) { return state.story ? assign(state, { story: null, step: 0 }) : state; }

  function reduce(state, action, ctx) {
    var next = state, history = null, merge = null, notice = null, moved;
    var a = action;
    switch (a.type) {
      case "restore":                     // back/forward, or the address on load
        next = assign(a.state, { playing: false });
        history = a.canonical ? "replace" : null;
        break;
      case "layer": {                     // the layer selector: a count layer (keeps per 1,000 if it can)
        if (!ctx.layers[a.layer]) { break; }
        var layer = a.layer;
        var info = ctx.layers[layer];
        if (isPerCapita(state.layer, ctx) && info.per_1000) { layer = info.per_1000; }
        if (layer === state.layer) { break; }
        next = assign(leaveStory(state), { layer: layer, playing: false });
        moved = toCovered(next, ctx);
        next = moved[0]; notice = moved[1];
        history = "push";
        merge = a.merge || null;          // actions that make one move share a tag: one entry
        break;
      }
      case "perCapita": {
        var base = baseOf(state.layer, ctx);
        var target = a.on ? (ctx.layers[base].per_1000 || base) : base;
        if (target === state.layer) { break; }
        next = assign(leaveStory(state), { layer: target, playing: false });
        moved = toCovered(next, ctx);
        next = moved[0]; notice = moved[1];
        history = "push";
        break;
      }
      case "year": {                      // via: key | drag | slider | play
        var y = clampYear(a.year, ctx);
        if (y === state.year) { break; }
        next = assign(state, { year: y });
        if (a.via !== "play") { next = assign(leaveStory(next), { playing: false }); }
        if (a.via === "play") { history = "replace"; } else {
          history = "push";
          merge = a.via === "key" ? "key" : a.via === "drag" ? "drag:" + a.drag : null;
        }
        break;
      }
      case "country":
        if (a.iso3 === state.country || (a.iso3 !== null && ctx.iso3.indexOf(a.iso3) < 0)) { break; }
        next = assign(state, { country: a.iso3 });
        history = "push";
        break;
      case "story": {                     // open a story at its first step, or end it (id null)
        if (a.id === state.story) { break; }
        if (a.id === null) {
          next = assign(state, { story: null, step: 0, playing: false });
        } else {
          if (!ctx.stories[a.id]) { break; }
          next = atStep(assign(state, { story: a.id, playing: false }), ctx, 0, state);
        }
        history = "push";
        break;
      }
      case "step": {                      // to: an index, or by: ±1
        var list = steps(state, ctx);
        if (!list) { break; }
        var i = a.to !== undefined ? a.to : state.step + a.by;
        i = Math.min(list.length - 1, Math.max(0, i));
        next = assign(state, { playing: false });
        if (i !== state.step) { next = atStep(next, ctx, i, state); history = "push"; }
        break;
      }
      case "play": {                      // the Play/Pause button and Space
        if (state.playing) { next = assign(state, { playing: false }); break; }
        var ls = steps(state, ctx);
        if (ls) {
          next = assign(state, { playing: true });
          if (state.step >= ls.length - 1) { next = atStep(next, ctx, 0, state); history = "push"; }
        } else {
          next = assign(state, { playing: true });
          if (state.year >= ctx.years[1]) { next = assign(next, { year: ctx.years[0] }); history = "push"; }
        }
        break;
      }
      case "pause":
        if (state.playing) { next = assign(state, { playing: false }); }
        break;
      case "tick": {                      // the play timer: the next year, or the story's next step
        if (!state.playing) { break; }
        var st = steps(state, ctx);
        if (st) {
          if (state.step >= st.length - 1) { next = assign(state, { playing: false }); break; }
          next = atStep(state, ctx, state.step + 1, state);
          history = "push";
          if (next.step >= st.length - 1) { next = assign(next, { playing: false }); }
        } else {
          if (state.year >= ctx.years[1]) { next = assign(state, { playing: false }); break; }
          next = assign(state, { year: state.year + 1 });
          history = "replace";
          if (next.year >= ctx.years[1]) { next = assign(next, { playing: false }); }
        }
        break;
      }
      case "region":                      // the map's region (keeps a story: a close-up of its step)
        if (a.region === state.region || ctx.regions.indexOf(a.region) < 0) { break; }
        next = assign(state, { region: a.region });
        history = "push";
        break;
      case "present":
        if (!!a.on === state.present) { break; }
        next = assign(state, { present: !!a.on });
        history = "push";
        break;
      case "view":
        if (a.view === state.view || ctx.views.indexOf(a.view) < 0) { break; }
        next = assign(state, { view: a.view, playing: false });
        // the compare view opened from the tab compares with another year at once (the first
        // year, or the last if the map shows the first)
        if (a.view === "compare" && state.year2 === null && state.layer2 === null) {
          next.year2 = state.year === ctx.years[0] ? ctx.years[1] : ctx.years[0];
        }
        history = "push";
        merge = a.merge || null;
        break;
      case "compare": {                   // the compare view's choices: {year2?: year|null, layer2?: id|null}
        var c = {};
        if (a.year2 !== undefined) { c.year2 = a.year2 === null ? null : clampYear(a.year2, ctx); }
        if (a.layer2 !== undefined) { c.layer2 = a.layer2 && ctx.layers[a.layer2] ? a.layer2 : null; }
        if ((c.year2 === undefined || c.year2 === state.year2) &&
            (c.layer2 === undefined || c.layer2 === state.layer2)) { break; }
        next = assign(state, c);
        history = "push";
        break;
      }
      case "flow":                        // the flows view's direction: out (from the state) | in (hosted by it)
        if ((a.flow !== "out" && a.flow !== "in") || a.flow === state.flow) { break; }
        next = assign(state, { flow: a.flow });
        history = "push";
        break;
      case "scale":                       // the chart's y axis: linear | log
        if ((a.scale !== "linear" && a.scale !== "log") || a.scale === state.scale) { break; }
        next = assign(state, { scale: a.scale });
        history = "push";
        break;
      case "data": {                      // the data tab's fields: {indicators?, countries?, from?, to?}
        var d = assign(state.data, {});
        if (a.indicators) { d.indicators = a.indicators.filter(function (i) { return ctx.indicators.indexOf(i) >= 0; }); }
        if (a.countries) { d.countries = ctx.iso3.filter(function (c) { return a.countries.indexOf(c) >= 0; }); }
        if (a.from !== undefined && a.from !== null) { d.from = clampYear(a.from, ctx); }
        if (a.to !== undefined && a.to !== null) { d.to = clampYear(a.to, ctx); }
        if (d.from > d.to) { var t = d.from; d.from = d.to; d.to = t; }
        if (JSON.stringify(d) === JSON.stringify(state.data)) { break; }
        next = assign(state, { data: d });
        history = "push";
        merge = a.merge || null;
        break;
      }
      default:
        break;
    }
    return { state: next, history: next === state ? null : history, merge: merge, notice: notice };
  }

  return { reduce: reduce, baseOf: baseOf, isPerCapita: isPerCapita };
});
