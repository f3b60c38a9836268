// node --test tests/js: the ranking, the chart and the citation (assets/atlas/views.js), pure.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const path = require("node:path");
const views = require(path.join(__dirname, "..", "..", "assets", "atlas", "views.js"));

function payload(numeric) {
  const years = {};
  for (const y of [2000, 2001, 2002]) {
    years[String(y)] = {
      values: numeric ? [y === 2000 ? 5 : 1, null, 30, -2] : [null, null, null, null],
      z: numeric ? [0, -1, 1, 0] : [1, -1, 0, y === 2002 ? 1 : 0],
      labels: ["a", "No data", "c", "d"], text: ["ta" + y, "tb" + y, "tc" + y, "td" + y]
    };
  }
  return { layer: "x", frames: { label: "X", unit: numeric ? "persons" : "status", numeric, iso3: ["ARM", "AZE", "GEO", "BLR"],
                                 names: ["Armenia", "Azerbaijan", "Georgia", "Belarus"], years },
           style: { classes: [{ label: "low", color: "#111" }, { label: "high", color: "#222" }], no_data: "#ccc" } };
}

test("ranking: highest first, no data last, bars from zero", () => {
  const r = views.ranking(payload(true), 2000);
  assert.deepStrictEqual(r.rows.map((x) => x.iso3), ["GEO", "ARM", "BLR"]);
  assert.deepStrictEqual(r.missing.map((x) => x.iso3), ["AZE"]);
  const geo = r.rows[0], blr = r.rows[2];
  assert.ok(Math.abs(geo.start + geo.share - 1) < 1e-9);
  assert.ok(Math.abs(blr.start) < 1e-9 && blr.share > 0);
  const html = views.rankingHtml(payload(true), 2000);
  assert.match(html, /No data for 1 of 15/);
  assert.ok(html.indexOf('data-iso3="AZE"') > html.indexOf('data-iso3="BLR"'));
});

test("ranking of a category follows the legend's order", () => {
  const r = views.ranking(payload(false), 2000);
  assert.deepStrictEqual(r.rows.map((x) => x.iso3), ["BLR", "GEO", "ARM"]);
  assert.strictEqual(r.numeric, false);
});

test("chart: one line per state named by it, points where there are values", () => {
  const f = views.chartFigure(payload(true), { states: ["ARM", "AZE", "GEO"], year: 2001, scale: "linear", from: 2000, to: 2002 });
  assert.deepStrictEqual(f.data.map((t) => t.name), ["Armenia", "Azerbaijan", "Georgia"]);
  assert.deepStrictEqual(f.data[0].y, [5, 1, 1]);
  assert.deepStrictEqual(f.data[1].x, []);
  assert.strictEqual(f.layout.shapes[0].x0, 2001);
  const lg = views.chartFigure(payload(true), { states: ["BLR"], year: 2001, scale: "log", from: 2000, to: 2002 });
  assert.strictEqual(lg.layout.yaxis.type, "log");
  assert.deepStrictEqual(lg.data[0].x, []);  // no negative or zero point on a log axis
});

test("chart of a category: a states × years grid coloured by class", () => {
  const f = views.chartFigure(payload(false), { states: ["ARM", "BLR"], year: 2001, scale: "linear", from: 2000, to: 2002 });
  assert.strictEqual(f.data.length, 1);
  assert.deepStrictEqual(f.data[0].marker.color, ["#222", "#222", "#222", "#111", "#111", "#222"]);
  assert.deepStrictEqual(f.layout.yaxis.categoryarray, ["Armenia", "Belarus"]);
});

test("chart states: the chosen ones, or the open country's region", () => {
  const ctx = { iso3: ["ARM", "AZE", "GEO", "BLR"] };
  const regions = { south_caucasus: ["ARM", "AZE", "GEO"], east: ["BLR"] };
  assert.deepStrictEqual(views.chartStates({ data: { countries: ["GEO"] }, country: "BLR" }, ctx, regions), ["GEO"]);
  assert.deepStrictEqual(views.chartStates({ data: { countries: ctx.iso3 }, country: "GEO" }, ctx, regions), ["ARM", "AZE", "GEO"]);
  assert.deepStrictEqual(views.chartStates({ data: { countries: ctx.iso3 }, country: null }, ctx, regions), ctx.iso3);
});

test("citation names the view, its address, the date and every source", () => {
  const c = views.citation({ title: "X, 2000", layer: "x", layerLabel: "X", year: 2000, url: "http://h/?layer=x&year=2000",
                             accessed: "2026-11-28",
                             sources: [{ title: "S1", publisher: "P1", version: "v1", url: "", citation: "P1. S1." },
                                       { title: "S_2", publisher: "", version: "", url: "", citation: "S_2 cite" }] });
  assert.match(c.plain, /http:\/\/h\/\?layer=x&year=2000 \(accessed 2026-11-28\)/);
  assert.match(c.plain, /P1\. S1\. Version: v1\./);
  assert.match(c.plain, /S_2 cite/);
  assert.match(c.bibtex, /^@misc\{atlas_x_2000,/);
  assert.match(c.bibtex, /urldate = \{2026-11-28\}/);
  assert.match(c.bibtex, /S\\_2/);
});

test("chart: a published interval becomes a band under each line", () => {
  const p = payload(true);
  p.frames.band = "68% interval";
  for (const y of Object.keys(p.frames.years)) {
    p.frames.years[y].band = [[0.5, null, 20, -3], [7, null, 40, -1]];
  }
  const f = views.chartFigure(p, { states: ["ARM", "AZE"], year: 2001, scale: "linear", from: 2000, to: 2002 });
  const bands = f.data.filter((t) => t.meta === "band");
  const lines = f.data.filter((t) => t.meta !== "band");
  assert.strictEqual(bands.length, 2);  // Armenia's lower and upper edges; Azerbaijan has none
  assert.deepStrictEqual(bands[0].y, [0.5, 0.5, 0.5]);
  assert.strictEqual(bands[1].fill, "tonexty");
  assert.deepStrictEqual(lines.map((t) => t.name), ["Armenia", "Azerbaijan"]);
  assert.ok(f.data.indexOf(lines[0]) > f.data.indexOf(bands[1]));
  assert.match(lines[0].hovertext[0], /68% interval: 0.5–7/);
});

test("stripHtml: a cell per year in its colour, the year marked, spells in words", () => {
  const spec = { title: "Memberships", years: [2000, 2001, 2002], rows: [
    { layer: "cis", label: "CIS", summary: "CIS: Member 2000–2001; Withdrawn 2002",
      cells: [["#111", "CIS 2000: Member"], ["#111", "CIS 2001: Member"], ["#222", "CIS 2002: Withdrawn <b>"]],
      runs: [["Member", "#111", 2000, 2001], ["Withdrawn", "#222", 2002, 2002]] }] };
  const html = views.stripHtml(spec, 2001);
  assert.strictEqual((html.match(/class="strip-cell"/g) || []).length, 3);
  assert.match(html, /class="strip-year" data-year="2001" style="--at:1"/);
  assert.match(html, /aria-label="CIS: Member 2000–2001; Withdrawn 2002"/);
  assert.match(html, /title="CIS 2002: Withdrawn &lt;b&gt;"/);
  assert.match(html, /Member 2000–2001; <span class="swatch" style="background:#222"><\/span> Withdrawn 2002/);
  // a year outside the strips marks the first
  assert.match(views.stripHtml(spec, 1990), /data-year="2000" style="--at:0"/);
});
