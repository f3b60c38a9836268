// node --test tests/js: the browser's address module against the cases pytest runs too.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const path = require("node:path");
const fs = require("node:fs");
const address = require(path.join(__dirname, "..", "..", "assets", "atlas", "address.js"));

const { context: ctx, cases } = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "cases", "address.json"), "utf8"));

for (const c of cases) {
  test(`address ${JSON.stringify(c.query)}`, () => {
    const { state, notices } = address.parse(c.query, ctx);
    for (const [k, v] of Object.entries(c.state)) {
      assert.deepStrictEqual(state[k], v, k);
    }
    assert.deepStrictEqual(notices.map((n) => n.param).sort(), [...c.notices].sort());
    const q = address.serialise(state, ctx);
    assert.strictEqual(q, c.canonical);
    // the canonical address is a fixed point
    const again = address.parse(q, ctx);
    assert.deepStrictEqual(again.state, state);
    assert.deepStrictEqual(again.notices, []);
  });
}
