// node --test tests/js: the reducer (assets/atlas/state.js), pure, with the shared address context.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const path = require("node:path");
const fs = require("node:fs");
const { reduce } = require(path.join(__dirname, "..", "..", "assets", "atlas", "state.js"));
const address = require(path.join(__dirname, "..", "..", "assets", "atlas", "address.js"));

const { context: ctx } = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "cases", "address.json"), "utf8"));
const start = (q) => address.parse(q, ctx).state;
function run(state, actions) {
  const out = [];
  for (const a of actions) { const r = reduce(state, a, ctx); state = r.state; out.push(r); }
  return { state, out };
}

test("Next visits every step in order, steps that share a year included", () => {
  let s = start("?story=tour");
  const seen = [s.step];
  for (let i = 0; i < 5; i++) { s = reduce(s, { type: "step", by: 1 }, ctx).state; seen.push(s.step); }
  assert.deepStrictEqual(seen, [0, 1, 2, 3, 3, 3]);
  assert.strictEqual(s.layer, "refugees_hosted_per_1000");
  assert.strictEqual(s.year, 1995);
});

test("Play in a story visits every step and stops at the last", () => {
  let s = reduce(start("?story=tour"), { type: "play" }, ctx).state;
  assert.strictEqual(s.playing, true);
  const steps = [];
  for (let i = 0; i < 6; i++) { s = reduce(s, { type: "tick" }, ctx).state; steps.push([s.step, s.playing]); }
  assert.deepStrictEqual(steps, [[1, true], [2, true], [3, false], [3, false], [3, false], [3, false]]);
  assert.strictEqual(s.year, 1995);
});

test("Next or Previous while playing stops playback", () => {
  let s = reduce(start("?story=tour"), { type: "play" }, ctx).state;
  s = reduce(s, { type: "step", by: 1 }, ctx).state;
  assert.strictEqual(s.playing, false);
  assert.strictEqual(reduce(s, { type: "tick" }, ctx).state.step, 1);
});

test("Play at the last step starts the story again (never years under the last caption)", () => {
  let s = start("?story=tour&step=4");
  const r = reduce(s, { type: "play" }, ctx);
  assert.strictEqual(r.state.step, 0);
  assert.strictEqual(r.state.year, 1991);
  assert.strictEqual(r.state.story, "tour");
});

test("A manual change of year or layer leaves the story; a country does not", () => {
  const s = start("?story=tour&step=2");
  assert.strictEqual(reduce(s, { type: "year", year: 2000, via: "slider" }, ctx).state.story, null);
  assert.strictEqual(reduce(s, { type: "layer", layer: "fh_status" }, ctx).state.story, null);
  assert.strictEqual(reduce(s, { type: "country", iso3: "ARM" }, ctx).state.story, "tour");
});

test("Play outside a story steps the years, replaces the entry and stops at the end", () => {
  let s = reduce(start("?year=2024"), { type: "play" }, ctx).state;
  let r = reduce(s, { type: "tick" }, ctx);
  assert.deepStrictEqual([r.state.year, r.state.playing, r.history], [2025, true, "replace"]);
  r = reduce(r.state, { type: "tick" }, ctx);
  assert.deepStrictEqual([r.state.year, r.state.playing], [2026, false]);
  r = reduce(r.state, { type: "play" }, ctx);
  assert.deepStrictEqual([r.state.year, r.state.playing], [1991, true]);
});

test("Year keys make one history entry per burst; a drag one per drag", () => {
  const s = start("?year=2000");
  const { out } = run(s, [{ type: "year", year: 2001, via: "key" }, { type: "year", year: 2002, via: "key" }]);
  assert.deepStrictEqual(out.map((r) => [r.history, r.merge]), [["push", "key"], ["push", "key"]]);
  const d = run(s, [{ type: "year", year: 2003, via: "drag", drag: 1 }, { type: "year", year: 2004, via: "drag", drag: 1 }]);
  assert.deepStrictEqual(d.out.map((r) => r.merge), ["drag:1", "drag:1"]);
});

test("Opening and closing a country are two entries; the same country again is nothing", () => {
  const s = start("?year=2000");
  const { out, state } = run(s, [{ type: "country", iso3: "KAZ" }, { type: "country", iso3: "KAZ" },
                                 { type: "country", iso3: null }]);
  assert.deepStrictEqual(out.map((r) => r.history), ["push", null, "push"]);
  assert.strictEqual(state.country, null);
  assert.strictEqual(reduce(s, { type: "country", iso3: "XXX" }, ctx).history, null);
});

test("Per 1,000 is the twin layer's id, and switching layers keeps it where it can", () => {
  let s = reduce(start("?layer=refugees_hosted"), { type: "perCapita", on: true }, ctx).state;
  assert.strictEqual(s.layer, "refugees_hosted_per_1000");
  s = reduce(s, { type: "layer", layer: "cis" }, ctx).state;
  assert.strictEqual(s.layer, "cis");
  s = reduce(start("?layer=refugees_hosted_per_1000"), { type: "layer", layer: "refugees_hosted" }, ctx);
  assert.strictEqual(s.history, null);
});

test("The data selection is clamped, ordered and in the address", () => {
  const r = reduce(start("?view=data"), { type: "data", to: 1900, countries: ["GEO", "ARM", "XXX"] }, ctx);
  assert.deepStrictEqual(r.state.data, { indicators: ["cis"], countries: ["ARM", "GEO"], from: 1991, to: 1991 });
  assert.strictEqual(address.serialise(r.state, ctx), "?layer=cis&year=2025&view=data&countries=ARM,GEO&to=1991");
});

test("Every reachable state survives the address unchanged (but playing)", () => {
  let s = start("?story=tour");
  const acts = [{ type: "step", by: 1 }, { type: "country", iso3: "GEO" }, { type: "present", on: true },
                { type: "view", view: "data" }, { type: "data", indicators: ["population"], from: 2000 },
                { type: "story", id: null }, { type: "perCapita", on: true }, { type: "layer", layer: "refugees_hosted" },
                { type: "year", year: 1999, via: "slider" }];
  for (const a of acts) {
    s = reduce(s, a, ctx).state;
    const back = address.parse(address.serialise(s, ctx), ctx).state;
    const { playing, ...rest } = s;
    assert.deepStrictEqual(back, rest, JSON.stringify(a));
  }
});

test("A layer without data in the year shown moves to its nearest year with data, and says so", () => {
  const r = reduce(start("?layer=cis&year=2025"), { type: "layer", layer: "net_migration" }, ctx);
  assert.strictEqual(r.state.year, 2023);
  assert.deepStrictEqual(r.notice, { kind: "moved", from: 2025, to: 2023, covered: [1991, 2023] });
  const s = reduce(start("?layer=cis&year=2000"), { type: "layer", layer: "net_migration" }, ctx);
  assert.strictEqual(s.state.year, 2000);
  assert.strictEqual(s.notice, null);
});

test("The map's figure keeps its traces; the outline traces carry the selection", () => {
  const map = require(path.join(__dirname, "..", "..", "assets", "atlas", "map.js"));
  const tr = (name, extra) => Object.assign({ name, type: "choropleth", locations: [], z: [] }, extra || {});
  const base = { data: [tr("context"), tr("states", { locations: ["ARM", "GEO"], geojson: "/g", featureidkey: "id", marker: {} }),
                        tr("contested"), tr("outline-dark"), tr("outline-light"), { name: "labels", type: "scattergeo" }],
                 layout: { annotations: [{ name: "year", text: "1991", font: {} }] } };
  const frames = { years: { "2000": { z: [1, 2], text: ["a", "b"], contested: { locations: [], z: [], text: [] } } } };
  const payload = { layer: "cis", frames, style: { colorscale: [[0, "#000"], [1, "#fff"]], zmin: -1, zmax: 3 } };
  const fig = map.compose(base, payload, { year: 2000, country: "GEO", highlight: ["ARM", "GEO"] });
  assert.deepStrictEqual(fig.data.map((t) => t.name), base.data.map((t) => t.name));
  assert.deepStrictEqual(fig.data[3].locations, ["ARM", "GEO"]);
  assert.strictEqual(fig.layout.annotations[0].text, "2000");
  assert.deepStrictEqual(fig.data[1].z, [1, 2]);
});

test("compare: opening the view picks another year; year2 and layer2 are actions; the slider moves the left map", () => {
  let s = start("?layer=cis&year=1995");
  let r = reduce(s, { type: "view", view: "compare" }, ctx);
  assert.strictEqual(r.state.year2, 1991);
  assert.strictEqual(address.serialise(r.state, ctx), "?layer=cis&year=1995&view=compare&year2=1991");
  s = reduce(r.state, { type: "compare", year2: 2025 }, ctx).state;
  s = reduce(s, { type: "year", year: 1996, via: "key" }, ctx).state;
  assert.deepStrictEqual([s.year, s.year2], [1996, 2025]);
  r = reduce(s, { type: "compare", year2: null, layer2: "csto" }, ctx);
  assert.strictEqual(r.history, "push");
  assert.deepStrictEqual([r.state.year2, r.state.layer2], [null, "csto"]);
  assert.strictEqual(reduce(r.state, { type: "compare", layer2: "nope" }, ctx).state.layer2, null);
  // from the first year, the other is the last
  assert.strictEqual(reduce(start("?year=1991"), { type: "view", view: "compare" }, ctx).state.year2, 2026);
  // an address that names the comparison keeps it
  assert.strictEqual(reduce(start("?layer2=csto"), { type: "view", view: "compare" }, ctx).state.year2, null);
});

test("scale: linear or log, in the address", () => {
  const s = start("?view=chart&layer=refugees_hosted");
  const r = reduce(s, { type: "scale", scale: "log" }, ctx);
  assert.strictEqual(r.history, "push");
  assert.match(address.serialise(r.state, ctx), /scale=log/);
  assert.strictEqual(reduce(r.state, { type: "scale", scale: "cubic" }, ctx).state, r.state);
});

test("A step with a view opens it; the next step without one goes back to the map", () => {
  let s = reduce(start("?layer=cis&year=2000&view=chart"), { type: "story", id: "views_flows" }, ctx).state;
  assert.deepStrictEqual([s.step, s.view, s.layer, s.year], [0, "flows", "refugees_hosted", 1993]);
  s = reduce(s, { type: "step", by: 1 }, ctx).state;
  assert.deepStrictEqual([s.step, s.view, s.layer, s.year], [1, "map", "cis", 1995]);
  s = reduce(s, { type: "step", by: -1 }, ctx).state;
  assert.strictEqual(s.view, "flows");
});

test("A step without a view keeps the view the reader chose", () => {
  let s = reduce(start("?layer=cis&year=2000&view=rank"), { type: "story", id: "tour" }, ctx).state;
  assert.strictEqual(s.view, "rank");
  s = reduce(s, { type: "step", by: 1 }, ctx).state;
  assert.strictEqual(s.view, "rank");
});

test("The flows view's direction is one history entry and stays in the address", () => {
  const s = start("?view=flows&country=UKR&year=2022");
  const r = reduce(s, { type: "flow", flow: "in" }, ctx);
  assert.strictEqual(r.state.flow, "in");
  assert.strictEqual(r.history, "push");
  assert.strictEqual(address.serialise(r.state, ctx), "?layer=cis&year=2022&country=UKR&view=flows&flow=in");
  assert.strictEqual(reduce(r.state, { type: "flow", flow: "in" }, ctx).history, null);
  assert.strictEqual(reduce(r.state, { type: "flow", flow: "up" }, ctx).state, r.state);
});
