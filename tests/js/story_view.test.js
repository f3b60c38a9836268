// node --test tests/js: a story step may open a view (steps[].view); the reducer and the address.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const path = require("node:path");
const fs = require("node:fs");
const { reduce } = require(path.join(__dirname, "..", "..", "assets", "atlas", "state.js"));
const address = require(path.join(__dirname, "..", "..", "assets", "atlas", "address.js"));

// the shared context's story "views": cis 1995; cis 2009 in the overlap view; csto 2010
const { context: ctx } = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "cases", "address.json"), "utf8"));
const start = (q) => address.parse(q, ctx).state;
const step = (s, a) => reduce(s, a, ctx).state;

test("a step with a view opens it; the next step without one goes back to the map", () => {
  let s = step(start("?year=2000"), { type: "story", id: "views" });
  assert.deepStrictEqual([s.step, s.view, s.year], [0, "map", 1995]);
  s = step(s, { type: "step", by: 1 });
  assert.deepStrictEqual([s.step, s.view, s.layer, s.year], [1, "overlap", "cis", 2009]);
  assert.strictEqual(address.serialise(s, ctx), "?layer=cis&year=2009&view=overlap&story=views&step=2");
  s = step(s, { type: "step", by: 1 });
  assert.deepStrictEqual([s.step, s.view, s.layer], [2, "map", "csto"]);
  s = step(s, { type: "step", by: -1 });
  assert.strictEqual(s.view, "overlap");
  s = step(s, { type: "step", to: 0 });
  assert.strictEqual(s.view, "map");
});

test("a view the reader chose is kept by steps without a view", () => {
  let s = step(start("?view=chart"), { type: "story", id: "views" });
  assert.strictEqual(s.view, "chart");
  s = step(s, { type: "step", by: 1 });
  assert.strictEqual(s.view, "overlap");
  s = step(s, { type: "view", view: "rank" });   // the reader's choice inside the step
  assert.strictEqual(s.story, "views");
  s = step(s, { type: "step", by: 1 });
  assert.strictEqual(s.view, "rank");
});

test("playing a story walks through the step's view", () => {
  let s = step(start("?story=views"), { type: "play" });
  s = step(s, { type: "tick" });
  assert.deepStrictEqual([s.step, s.view, s.playing], [1, "overlap", true]);
  s = step(s, { type: "tick" });
  assert.deepStrictEqual([s.step, s.view, s.playing], [2, "map", false]);
});

test("the address of a step with a view: the step's view wins over the address's", () => {
  assert.strictEqual(start("?story=views&step=2&view=rank").view, "overlap");
  assert.strictEqual(start("?story=views&step=1&view=chart").view, "chart");
});
