// node --test tests/js: the flows view's pure part (assets/atlas/flowsview.lazy.js) on the
// published pairs (data/processed/flows.csv) and on small made-up tables.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const path = require("node:path");
const fs = require("node:fs");
const flows = require(path.join(__dirname, "..", "..", "assets", "atlas", "flowsview.lazy.js"));

// the published table, as /api/v1/flows gives its rows (no field of it is quoted)
const ROWS = (() => {
  const lines = fs.readFileSync(path.join(__dirname, "..", "..", "data", "processed", "flows.csv"), "utf8").trim().split("\n");
  const head = lines[0].split(",");
  assert.ok(!lines.some((l) => l.includes('"')), "flows.csv has no quoted field");
  return lines.slice(1).map((l) => {
    const c = l.split(","), r = {};
    head.forEach((h, i) => { r[h] = h === "year" || h === "value" ? Number(c[i]) : c[i]; });
    return r;
  });
})();

function expected(side, iso3, year) {
  const other = side === "origin" ? "asylum" : "origin", by = {};
  for (const r of ROWS) {
    if (r[side + "_iso3"] !== iso3 || r.year !== year || !["refugees", "asylum_seekers"].includes(r.population_type)) { continue; }
    by[r[other + "_iso3"]] = (by[r[other + "_iso3"]] || 0) + r.value;
  }
  return by;
}

test("Ukraine 2022: the top partners and values are the published pairs; others close the sum", () => {
  const s = flows.summarise(ROWS, "UKR", 2022, "out", 10);
  const want = expected("origin", "UKR", 2022);
  assert.strictEqual(s.partners.length, 10);
  assert.deepStrictEqual(s.partners.slice(0, 4).map((p) => p.iso3), ["RUS", "DEU", "POL", "CZE"]);
  for (const p of s.partners) { assert.strictEqual(p.total, want[p.iso3], p.iso3); }
  const all = Object.values(want).reduce((a, b) => a + b, 0);
  assert.strictEqual(s.total.total, all);
  assert.strictEqual(s.partners.reduce((a, p) => a + p.total, 0) + s.others.total, s.total.total);
  assert.strictEqual(s.partners.reduce((a, p) => a + p.refugees, 0) + s.others.refugees, s.total.refugees);
  assert.strictEqual(s.others.count, Object.keys(want).length - 10);
  assert.strictEqual(s.total.refugees, 5684177);   // = the layer refugees_origin, UKR 2022
  // sorted, largest first
  s.all.forEach((p, i) => { if (i) { assert.ok(s.all[i - 1].total >= p.total); } });
});

test("Tajikistan 1993: five countries of asylum, no others", () => {
  const s = flows.summarise(ROWS, "TJK", 1993, "out");
  assert.deepStrictEqual(s.partners.map((p) => [p.iso3, p.total]),
    Object.entries(expected("origin", "TJK", 1993)).sort((a, b) => b[1] - a[1]));
  assert.strictEqual(s.others.count, 0);
  assert.strictEqual(s.others.total, 0);
});

test("Hosted (flow=in): partners are countries of origin; UNK and XXA stay as UNHCR codes", () => {
  const s = flows.summarise(ROWS, "KAZ", 2020, "in", 3);
  const want = expected("asylum", "KAZ", 2020);
  assert.strictEqual(s.total.total, Object.values(want).reduce((a, b) => a + b, 0));
  assert.strictEqual(s.partners.reduce((a, p) => a + p.total, 0) + s.others.total, s.total.total);
  const note = flows.totalsNote(flows.summarise([
    { year: 2000, origin_iso3: "UNK", origin_name: "Unknown", asylum_iso3: "KAZ", asylum_name: "Kazakhstan", population_type: "refugees", value: 7 },
  ], "KAZ", 2000, "in"), { refugees_hosted: 9 }, { UNK: { name: "Unknown", meaning: "Origin not known." } }, []);
  assert.match(note, /UNK<\/strong> = Unknown: Origin not known\./);
  assert.match(note, /7 in the pairs, 9 on the layer/);     // a difference is said, with why
  assert.match(note, /reporting threshold/);
});

test("The bar figure lists the top partners then 'others', values as text, totals in meta", () => {
  const s = flows.summarise(ROWS, "UKR", 2022, "out", 10);
  const fig = flows.barFigure(s, { labelSize: 12 });
  const text = fig.data.find((t) => t.name === "values");
  assert.deepStrictEqual(text.customdata, s.partners.map((p) => p.iso3).concat(["others"]));
  assert.deepStrictEqual(text.x, s.partners.map((p) => p.total).concat([s.others.total]));
  assert.match(fig.layout.yaxis.ticktext[10], /^Others \(\d+ countries\)$/);
  assert.strictEqual(fig.layout.meta.total, s.total.total);
  const listed = fig.layout.meta.partners.reduce((a, p) => a + p[1] + p[2], 0);
  assert.strictEqual(listed, s.total.total);
  // rectangles: six points (closed, then a gap) per bar and type
  fig.data.filter((t) => t.fill === "toself").forEach((t) => assert.strictEqual(t.x.length % 6, 0));
});

test("The map shades partners on the basemap, leaves out codes that are not countries and says who is off the map", () => {
  const world = { type: "FeatureCollection", features: ["DEU", "POL", "UKR"].map((id) => ({ type: "Feature", id, properties: {}, geometry: null })) };
  const rows = [["DEU", 100], ["POL", 10], ["USA", 5], ["XXA", 2]].map(([c, v]) => (
    { year: 2022, origin_iso3: "UKR", origin_name: "Ukraine", asylum_iso3: c, asylum_name: c, population_type: "refugees", value: v }));
  const m = flows.mapFigure(flows.summarise(rows, "UKR", 2022, "out"), world, {});
  const partners = m.data.find((t) => t.name === "partners");
  assert.deepStrictEqual(partners.locations, ["DEU", "POL"]);
  assert.deepStrictEqual(partners.z, [2, 1]);
  assert.deepStrictEqual(m.data.find((t) => t.name === "state").locations, ["UKR"]);
  assert.deepStrictEqual(m.data.find((t) => t.name === "basemap").locations, []);   // each country once
  assert.deepStrictEqual(m.offMap.map((p) => p.iso3), ["USA"]);
});

test("The state shown: the chosen one, else the story step's, else Ukraine", () => {
  const meta = { stories: { s: { steps: [{ countries: ["TJK", "KGZ"] }] } } };
  assert.deepStrictEqual(flows.chosen({ country: "ARM" }, meta), { iso3: "ARM", why: "chosen" });
  assert.deepStrictEqual(flows.chosen({ country: null, story: "s", step: 0 }, meta), { iso3: "TJK", why: "story" });
  assert.deepStrictEqual(flows.chosen({ country: null, story: null }, meta), { iso3: "UKR", why: "default" });
});

test("The table (text alternative) has a row per bar and the total", () => {
  const s = flows.summarise(ROWS, "UKR", 2022, "out", 10);
  const html = flows.tableHtml(s, { names: { UKR: "Ukraine" } });
  assert.strictEqual((html.match(/<tr>/g) || []).length, 1 + 10 + 1 + 1);
  assert.match(html, /<caption>Refugees and asylum-seekers from Ukraine, 2022, by country of asylum<\/caption>/);
  assert.strictEqual(flows.csvUrl("UKR", "in", 2022),
    "/api/v1/flows?asylum=UKR&year=2022&indicator=refugees,asylum_seekers&format=csv");
});

test("With the chart's width known, every bar's value ends inside the plot (large type in a narrow chart)", () => {
  const s = flows.summarise(ROWS, "UKR", 2022, "out", 10);
  for (const [font, width] of [[16, 420], [18, 460], [22, 560], [12, 520], [18, 900]]) {
    const fig = flows.barFigure(s, { labelSize: font, width });
    const m = fig.layout.margin, plotW = width - m.l - m.r, range = fig.layout.xaxis.range[1];
    const text = fig.data.find((t) => t.name === "values");
    text.x.forEach((x, i) => {
      const end = (x / range) * plotW + (text.text[i].length + 1) * font * 0.6;
      assert.ok(end <= plotW, `${font}px in ${width}px: ${text.text[i]} ends at ${end} of ${plotW}`);
    });
  }
  // without a width, as before
  assert.strictEqual(flows.barFigure(s, { labelSize: 12 }).layout.xaxis.range[1], 1275925 * 1.3);
});

test("A figure as a picture: title above, the source line inside the picture's bottom margin", () => {
  const s = flows.summarise(ROWS, "UKR", 2022, "out", 10);
  for (const fig of [flows.barFigure(s, { labelSize: 12 }), { data: [], layout: { margin: { l: 0, r: 0, t: 0, b: 0 } } }]) {
    const pic = flows.pictureFigure(fig, "Refugees from Ukraine, 2022");
    const src = pic.layout.annotations[pic.layout.annotations.length - 1];
    assert.match(src.text, /^Source: UNHCR/);
    assert.strictEqual(src.yanchor, "top");
    // the text's top is -yshift below the plot; a line of 11 px type needs about 15 px
    assert.ok(-src.yshift + 15 + 8 <= pic.layout.margin.b, JSON.stringify([src.yshift, pic.layout.margin.b]));
    assert.strictEqual(pic.layout.title.text, "Refugees from Ukraine, 2022");
  }
});
