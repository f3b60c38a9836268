/* The address is the view state: parse a query string into a state, and write a state back as
 * the one canonical query string. The Python twin is dashboard/core/viewstate.py; both run the
 * cases in tests/cases/address.json (pytest and node --test), so they cannot drift.
 *
 * ctx (built by dashboard/core/viewstate.py address_context, shipped in the page's meta store):
 *   layers {id: {per_1000, per_1000_of}}, indicators [ids], years [first, last], iso3 [..],
 *   views [..], default_layer, default_year, default_indicators [..],
 *   stories {id: [{layer, year, region?, view?}, ...]}  (the steps, in order; step in the address
 *                                   counts from 1)
 */
(function (root, factory) {
  "use strict";
  var mod = factory();
  if (typeof module === "object" && module.exports) { module.exports = mod; } else {
    root.Atlas = root.Atlas || {};
    root.Atlas.address = mod;
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var MAX_PARAM_LEN = 64;
  var TRUE = ["1", "true", "yes"];
  var SCALES = ["linear", "log"];
  var FLOWS = ["out", "in"];  // flows view: people from the state (out) or hosted by it (in)

  function clean(text) {
    var s = String(text);
    var short = s.slice(0, MAX_PARAM_LEN).replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
    return short + (s.length > MAX_PARAM_LEN ? "…" : "");
  }

  function isYear(text, ctx) {
    var y = String(text).trim();
    if (!/^[0-9]{4}$/.test(y)) { return null; }
    var n = parseInt(y, 10);
    return n >= ctx.years[0] && n <= ctx.years[1] ? n : null;
  }

  /** The year itself if the layer has data then; else the nearest year with data. */
  function coveredYear(year, covered) {
    if (!covered) { return year; }
    return Math.min(Math.max(year, covered[0]), covered[1]);
  }

  function defaultData(ctx) {
    return { indicators: ctx.default_indicators.slice(), countries: ctx.iso3.slice(),
             from: ctx.years[0], to: ctx.years[1] };
  }

  /** The state a plain address shows. */
  function defaults(ctx) {
    return { view: "map", region: "all", layer: ctx.default_layer, year: ctx.default_year, country: null,
             present: false, story: null, step: 0, year2: null, layer2: null, scale: "linear", embed: false,
             flow: "out", data: defaultData(ctx) };
  }

  function list(text) {
    return String(text).split(",").map(function (s) { return s.trim(); }).filter(function (s) { return s; });
  }

  /** Parse a query string ("?a=b&…" or "a=b&…"). Never fails: a bad value falls back to its
   *  default with a notice; notices lists {param, text}. */
  function parse(search, ctx) {
    var params = new URLSearchParams(String(search || "").replace(/^\?/, ""));
    var state = defaults(ctx);
    var notices = [];
    function note(param, text) { notices.push({ param: param, text: text }); }
    function get(name) { return params.has(name) ? params.get(name) : null; }

    var layer = get("layer");
    if (layer !== null) {
      if (Object.prototype.hasOwnProperty.call(ctx.layers, layer)) { state.layer = layer; } else {
        note("layer", "Unknown layer “" + clean(layer) + "”: showing the default layer instead.");
      }
    }
    var year = get("year");
    if (year !== null) {
      var y = isYear(year, ctx);
      if (y !== null) { state.year = y; } else {
        note("year", "Year “" + clean(year) + "” is not between " + ctx.years[0] + " and " + ctx.years[1] +
             ": showing " + ctx.default_year + ".");
      }
    }
    var country = get("country");
    if (country !== null && country !== "") {
      var c = country.trim().toUpperCase();
      if (ctx.iso3.indexOf(c) >= 0) { state.country = c; } else {
        note("country", "Unknown country “" + clean(country) + "”: no country selected.");
      }
    }
    var view = get("view");
    if (view !== null && view !== "") {
      if (ctx.views.indexOf(view) >= 0) { state.view = view; } else {
        note("view", "Unknown view “" + clean(view) + "”: showing the map.");
      }
    }
    var region = get("region");
    if (region !== null && region !== "") {
      if (ctx.regions.indexOf(region) >= 0) { state.region = region; } else {
        note("region", "Unknown region “" + clean(region) + "”: showing the whole space.");
      }
    }
    var year2 = get("year2");
    if (year2) {
      var y2 = isYear(year2, ctx);
      if (y2 !== null) { state.year2 = y2; } else {
        note("year2", "Year “" + clean(year2) + "” is not between " + ctx.years[0] + " and " + ctx.years[1] +
             ": comparing layers in one year.");
      }
    }
    var layer2 = get("layer2");
    if (layer2) {
      if (Object.prototype.hasOwnProperty.call(ctx.layers, layer2)) { state.layer2 = layer2; } else {
        note("layer2", "Unknown layer “" + clean(layer2) + "”: comparing with the same layer.");
      }
    }
    var scale = get("scale");
    if (scale) {
      if (SCALES.indexOf(scale) >= 0) { state.scale = scale; } else {
        note("scale", "Unknown scale “" + clean(scale) + "”: the chart's axis is linear.");
      }
    }
    var flow = get("flow");
    if (flow) {
      if (FLOWS.indexOf(flow) >= 0) { state.flow = flow; } else {
        note("flow", "Unknown direction “" + clean(flow) + "”: showing refugees from the state (flow=out).");
      }
    }
    var inds = get("indicators");
    if (inds !== null) {
      var known = [], bad = [];
      list(inds).forEach(function (i) {
        if (ctx.indicators.indexOf(i) >= 0) { if (known.indexOf(i) < 0) { known.push(i); } } else { bad.push(i); }
      });
      if (bad.length) { note("indicators", "Unknown indicator “" + clean(bad.join(",")) + "” left out of the table."); }
      if (known.length) { state.data.indicators = known; }
    }
    var countries = get("countries");
    if (countries !== null) {
      var wanted = [], badc = [];
      list(countries).forEach(function (x) {
        var u = x.toUpperCase();
        if (ctx.iso3.indexOf(u) >= 0) { wanted.push(u); } else { badc.push(x); }
      });
      if (badc.length) { note("countries", "Unknown country “" + clean(badc.join(",")) + "” left out of the table."); }
      if (wanted.length) { state.data.countries = ctx.iso3.filter(function (i) { return wanted.indexOf(i) >= 0; }); }
    }
    ["from", "to"].forEach(function (name) {
      var v = get(name);
      if (v === null) { return; }
      var yy = isYear(v, ctx);
      if (yy === null) {
        note(name, "Year “" + clean(v) + "” is not between " + ctx.years[0] + " and " + ctx.years[1] + ": the table's " +
             (name === "from" ? "first" : "last") + " year is " + (name === "from" ? ctx.years[0] : ctx.years[1]) + ".");
      } else { state.data[name] = yy; }
    });
    if (state.data.from > state.data.to) {
      var t = state.data.from; state.data.from = state.data.to; state.data.to = t;
    }
    var shownYear = coveredYear(state.year, ctx.layers[state.layer].covered);
    if (shownYear !== state.year) {
      note("year", "No data for this layer in " + state.year + ": showing " + shownYear + ", the " +
           (shownYear < state.year ? "latest" : "first") + " year with data.");
      state.year = shownYear;
    }
    state.present = TRUE.indexOf(get("present")) >= 0;
    state.embed = TRUE.indexOf(get("embed")) >= 0;
    var story = get("story");
    if (story) {
      var steps = ctx.stories[story];
      if (!steps) {
        note("story", "Unknown story “" + clean(story) + "”: no story opened.");
      } else {
        state.story = story;
        var st = (get("step") || "1").trim();
        var n = /^[0-9]{1,3}$/.test(st) ? parseInt(st, 10) : NaN;
        if (n >= 1 && n <= steps.length) { state.step = n - 1; } else {
          note("step", "Step “" + clean(st) + "” is not between 1 and " + steps.length + ": starting the story at step 1.");
        }
        // a step is a state: its layer and year are the view
        state.layer = steps[state.step].layer;
        state.year = steps[state.step].year;
        if (steps[state.step].region) { state.region = steps[state.step].region; }
        // a step that opens a view (e.g. the overlap view) is that view
        if (steps[state.step].view) { state.view = steps[state.step].view; }
      }
    }
    return { state: state, notices: notices };
  }

  function sameList(a, b) {
    return a.length === b.length && a.every(function (x, i) { return x === b[i]; });
  }

  /** The canonical query string of a state (parse(serialise(s)) equals s). */
  function serialise(state, ctx) {
    var parts = [["layer", state.layer], ["year", String(state.year)]];
    if (state.country) { parts.push(["country", state.country]); }
    if (state.view && state.view !== "map") { parts.push(["view", state.view]); }
    if (state.region && state.region !== "all") { parts.push(["region", state.region]); }
    if (state.year2 !== null && state.year2 !== undefined) { parts.push(["year2", String(state.year2)]); }
    if (state.layer2) { parts.push(["layer2", state.layer2]); }
    if (state.scale && state.scale !== "linear") { parts.push(["scale", state.scale]); }
    if (state.flow === "in") { parts.push(["flow", "in"]); }
    var d = state.data, dd = defaultData(ctx);
    if (d) {
      if (!sameList(d.indicators, dd.indicators)) { parts.push(["indicators", d.indicators.join(",")]); }
      if (!sameList(d.countries, dd.countries)) { parts.push(["countries", d.countries.join(",")]); }
      if (d.from !== dd.from) { parts.push(["from", String(d.from)]); }
      if (d.to !== dd.to) { parts.push(["to", String(d.to)]); }
    }
    if (state.present) { parts.push(["present", "1"]); }
    if (state.embed) { parts.push(["embed", "1"]); }
    if (state.story) { parts.push(["story", state.story]); parts.push(["step", String(state.step + 1)]); }
    return "?" + parts.map(function (p) {
      return p[0] + "=" + encodeURIComponent(p[1]).replace(/%2C/g, ",");
    }).join("&");
  }

  return { parse: parse, serialise: serialise, defaults: defaults, coveredYear: coveredYear,
           MAX_PARAM_LEN: MAX_PARAM_LEN };
});
