// node --test tests/js: the data tab's table (assets/atlas/table.js), pure.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const path = require("node:path");
const table = require(path.join(__dirname, "..", "..", "assets", "atlas", "table.js"));

function doc() {
  const columns = [
    { field: "iso3", header: "ISO3", numeric: false }, { field: "country", header: "Country", numeric: false },
    { field: "year", header: "Year", numeric: true }, { field: "value", header: "Value", numeric: true },
    { field: "note", header: "Note", numeric: false, wide: true }];
  const rows = [];
  for (const [k, [iso, name]] of [["ARM", "Armenia"], ["GEO", "Georgia"], ["EST", "Estonia"]].entries()) {
    for (let y = 2000; y < 2010; y++) {
      rows.push([iso, name, y, y === 2005 ? null : (y - 2000) * 1000.5 + k, y === 2008 ? "war <2008>" : ""]);
    }
  }
  return { columns, rows, n: rows.length, count: "30 rows" };
}

test("pages of the selection's order, clamped", () => {
  const d = doc();
  let ui = table.blank();
  let v = table.view(d, ui);
  assert.strictEqual(v.rows.length, 30);
  ui = table.act(ui, { type: "size", size: 25 });
  v = table.view(d, ui);
  assert.deepStrictEqual([v.from, v.to, v.pages, v.rows.length], [1, 25, 2, 25]);
  v = table.view(d, table.act(ui, { type: "page", page: 7 }));
  assert.deepStrictEqual([v.page, v.from, v.to, v.rows.length], [1, 26, 30, 5]);
  assert.strictEqual(table.act(ui, { type: "size", size: 13 }).size, 25, "only the offered sizes");
});

test("a header sorts up, down, then back to the selection's order; empty cells last", () => {
  const d = doc();
  let ui = table.act(table.blank(), { type: "sort", field: "value" });
  let v = table.view(d, ui);
  assert.strictEqual(v.rows[0][1], "Armenia");
  assert.strictEqual(v.rows[0][2], 2000);
  const values = v.rows.map(r => r[3]);
  assert.deepStrictEqual(values.slice(-3), [null, null, null]);
  const nums = values.filter(x => x !== null);
  assert.deepStrictEqual(nums, [...nums].sort((a, b) => a - b));
  ui = table.act(ui, { type: "sort", field: "value" });
  v = table.view(d, ui);
  assert.strictEqual(ui.dir, -1);
  assert.deepStrictEqual(v.rows.map(r => r[3]).slice(-3), [null, null, null]);
  assert.ok(v.rows[0][3] > v.rows[1][3] && v.rows[0][1] === "Estonia" && v.rows[0][2] === 2009);
  ui = table.act(ui, { type: "sort", field: "value" });
  assert.strictEqual(ui.sort, null);
  assert.deepStrictEqual(table.view(d, ui).rows, d.rows);
  // text columns sort by their text, ties keep the selection's order (stable)
  v = table.view(d, table.act(table.blank(), { type: "sort", field: "country" }));
  assert.deepStrictEqual(v.rows.slice(0, 3).map(r => [r[1], r[2]]), [["Armenia", 2000], ["Armenia", 2001], ["Armenia", 2002]]);
  assert.strictEqual(v.rows[10][1], "Estonia");
});

test("the filter keeps rows holding every word, any case; it goes back to the first page", () => {
  const d = doc();
  let ui = table.act(table.act(table.blank(), { type: "size", size: 25 }), { type: "page", page: 1 });
  ui = table.act(ui, { type: "filter", q: "georgia  200" });
  assert.strictEqual(ui.page, 0);
  const v = table.view(d, ui);
  assert.strictEqual(v.shown, 10);
  assert.strictEqual(v.total, 30);
  assert.ok(v.rows.every(r => r[1] === "Georgia"));
  assert.strictEqual(table.view(d, table.act(ui, { type: "filter", q: "WAR" })).shown, 3);
  assert.strictEqual(table.statusHtml(v), "Rows 1–10 of 10 (filtered from 30)");
  assert.match(table.statusHtml(table.view(d, table.act(ui, { type: "filter", q: "nothing" }))), /^No row matches/);
});

test("numbers as the files have them, grouped for reading; empty cells empty", () => {
  assert.strictEqual(table.cell({ field: "value" }, 1234567.125), "1,234,567.125");
  assert.strictEqual(table.cell({ field: "year" }, 2004), "2004");
  assert.strictEqual(table.cell({ field: "value" }, null), "");
});

test("markup: escaped text, sort state for assistive technology, page buttons", () => {
  const d = doc();
  const ui = table.act(table.blank(), { type: "sort", field: "year" });
  const head = table.headHtml(d, ui);
  assert.match(head, /<th scope="col" class="col-year num" aria-sort="ascending"><button type="button" class="tbl-sort" data-sort="year"/);
  assert.strictEqual((head.match(/aria-sort/g) || []).length, 1);
  const body = table.bodyHtml(d, table.view(d, table.act(table.blank(), { type: "filter", q: "war" })).rows);
  assert.match(body, /<th scope="row" class="col-iso3">ARM<\/th>/);
  assert.match(body, /title="war &lt;2008&gt;">war &lt;2008&gt;<\/td>/);
  assert.ok(!body.includes("<2008>"));
  assert.match(table.bodyHtml(d, []), /No rows/);
  const pager = table.pagerHtml(table.view(d, table.act(table.blank(), { type: "size", size: 25 })), { size: 25 });
  assert.match(pager, /data-page="0" aria-label="First page" disabled/);
  assert.match(pager, /data-page="1" aria-label="Next page">/);
  assert.match(pager, /Page 1 of 2/);
  assert.match(pager, /<option value="25" selected>25<\/option>/);
});
