// node --test tests/js: the overlap view's pure functions (assets/atlas/overlap.js) and the
// reducer's merge of the two actions a column header makes.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const path = require("node:path");
const fs = require("node:fs");
const ov = require(path.join(__dirname, "..", "..", "assets", "atlas", "overlap.js"));
const { reduce } = require(path.join(__dirname, "..", "..", "assets", "atlas", "state.js"));
const address = require(path.join(__dirname, "..", "..", "assets", "atlas", "address.js"));

// a document as /api/v1/overlap sends it: 3 states, 2 organisations, 1991–1994
function doc() {
  return {
    years: [1991, 1994], data_version: "t", rule: "31 December.", row_order: "Rows: test.",
    states: [{ iso3: "RUS", name: "Russia" }, { iso3: "BLR", name: "Belarus" }, { iso3: "EST", name: "Estonia" }],
    texts: ["", "Treaty, 1991", "Source A", "Left, 1993", "Source, \"quoted\""],
    orgs: [
      { id: "cis", layer: "cis", short_name: "CIS", name: "Commonwealth", label: "CIS",
        statuses: [{ id: "member", label: "Member", color: "#081d58", member: true, full_member: true },
                   { id: "withdrawn", label: "Withdrawn", color: "#CC79A7", member: false, full_member: false },
                   { id: "not_member", label: "Not a member", color: "#f3ead7", member: false, full_member: false },
                   // a member status on the map that is not full membership (as the CIS's associates)
                   { id: "associate", label: "Associate", color: "#c7e9b4", member: true, full_member: false }],
        status: [[0, 0, 0, 0], [0, 0, 1, 1], [2, 3, 2, 2]],
        basis: [[1, 1, 1, 1], [1, 1, 3, 3], [0, 0, 0, 0]],
        source: [[2, 2, 2, 2], [2, 2, 4, 4], [0, 0, 0, 0]] },
      { id: "central_asian", layer: "central_asian", short_name: "Central Asian union (CAU/CAEC/CACO)",
        name: "Central Asian union", label: "CA",
        statuses: [{ id: "member", label: "Member (CAU)", color: "#225ea8", member: true, full_member: true },
                   { id: "not_member", label: "Not a member", color: "#f3ead7", member: false, full_member: false }],
        status: [[1, 1, 1, 1], [1, 0, 0, 1], [1, 1, 1, 1]],
        basis: [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]],
        source: [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]] }
    ]
  };
}

test("ink: the text colour with the higher contrast, always at least 4.5:1", () => {
  assert.strictEqual(ov.ink("#081d58"), "#ffffff");
  assert.strictEqual(ov.ink("#f3ead7"), "#000000");
  for (const c of ["#081d58", "#225ea8", "#41b6c4", "#c7e9b4", "#D55E00", "#E69F00", "#CC79A7", "#8c6d31",
                   "#f3ead7", "#1d91c0", "#253494", "#7fcdbb"]) {
    assert.ok(ov.contrast(c, ov.ink(c)) >= 4.5, c);
  }
});

test("yearCells: every state's status in every organisation, with label, colour, basis and source", () => {
  const rows = ov.yearCells(doc(), 1993);
  assert.deepStrictEqual(rows.map((r) => r.iso3), ["RUS", "BLR", "EST"]);
  const blr = rows[1].cells[0];
  assert.strictEqual(blr.status, "withdrawn");
  assert.strictEqual(blr.label, "Withdrawn");
  assert.strictEqual(blr.color, "#CC79A7");
  assert.strictEqual(blr.member, false);
  assert.match(blr.title, /CIS — Belarus, 1993: Withdrawn\.\nBasis: Left, 1993\nSource: Source, "quoted"/);
  assert.strictEqual(rows[1].cells[1].status, "member");
  assert.strictEqual(rows[2].cells[0].title, "CIS — Estonia, 1993: Not a member.");  // no basis: no line
});

test("memberCounts: full members only (an associate is a member status but not a full member), per year", () => {
  // Estonia is an associate of the "cis" in 1992: a member status on the map, not counted
  assert.deepStrictEqual(ov.memberCounts(doc()), { cis: [2, 2, 1, 1], central_asian: [0, 1, 1, 0] });
  assert.strictEqual(ov.isFull({ member: true, full_member: false }), false);
  assert.strictEqual(ov.isFull({ member: true }), false);          // no flag: not counted
  assert.strictEqual(ov.isFull({ member: true, full_member: true }), true);
  const html = ov.tableHtml(doc(), 1992, null, []);
  assert.match(html, /<th scope="row"[^>]*>Full members<\/th><td data-org="cis">2<\/td>/);
  assert.match(html, /data-iso3="EST"[\s\S]*?data-status="associate" data-member="1" style/);  // member, not full
  const fig = ov.countsFigure(doc(), 1992, {});
  assert.match(fig.layout.title.text, /Full members by year/);
  assert.match(fig.data[0].hovertemplate, /full members/);
});

test("tableHtml: caption, th scope, buttons in the headers, one cell per state and organisation", () => {
  const html = ov.tableHtml(doc(), 1992, "BLR");
  assert.match(html, /<caption>.*1992.*<\/caption>/);
  assert.strictEqual((html.match(/<th scope="col"/g) || []).length, 3);
  assert.strictEqual((html.match(/<th scope="row"/g) || []).length, 4);  // 3 states + the full members row
  assert.strictEqual((html.match(/<td data-org="[a-z_]+" data-status=/g) || []).length, 6);
  assert.match(html, /<button type="button" class="ov-org" data-layer="cis"/);
  assert.match(html, /<tr data-iso3="BLR" class="ov-selected"><th scope="row"><button type="button" class="ov-state" data-iso3="BLR" aria-current="true"/);
  assert.match(html, /data-status="member" data-member="1" data-full="1" style="background:#225ea8;color:#ffffff"/);
  // a long name without its parenthesis in the header (the whole name in its title)
  assert.match(html, /title="Central Asian union: show this layer on the map">Central Asian union<\/button>/);
  assert.strictEqual(ov.shortName("Central Asian union (CAU/CAEC/CACO)"), "Central Asian union");
  assert.strictEqual(ov.shortName("EU (path)"), "EU (path)");
  assert.match(html, /<tfoot><tr><th scope="row" title="[^"]*">Full members<\/th><td data-org="cis">2<\/td><td data-org="central_asian">1<\/td>/);
  assert.ok(html.indexOf('"quoted"') < 0);  // escaped
});

test("legendHtml: the statuses of the year, in the legend's order, with how many states", () => {
  const html = ov.legendHtml(doc(), 1993);
  assert.match(html, /<strong>CIS:<\/strong>.*Member \(1\).*Withdrawn \(1\).*Not a member \(1\)/);
  assert.ok(html.indexOf("Member (CAU) (1)") > 0 && html.indexOf("Not a member (2)") > 0);
});

test("countsFigure: one small chart per organisation, the year marked in each; yearUpdate moves the marks", () => {
  const fig = ov.countsFigure(doc(), 1993, { fontSize: 12, columns: 1 });
  assert.strictEqual(fig.data.length, 2);
  assert.deepStrictEqual(fig.data[0].x, [1991, 1992, 1993, 1994]);
  assert.deepStrictEqual(fig.data[0].y, [2, 2, 1, 1]);
  assert.strictEqual(fig.data[1].xaxis, "x2");
  assert.strictEqual(fig.layout.grid.rows, 2);
  assert.deepStrictEqual(fig.layout.shapes.map((s) => [s.xref, s.x0, s.name]), [["x", 1993, "year"], ["x2", 1993, "year"]]);
  assert.strictEqual(fig.layout.annotations[1].text, "<b>Central Asian union</b>");
  assert.strictEqual(fig.data[0].line.color, "#081d58");  // the organisation's first member status
  assert.deepStrictEqual(ov.yearUpdate(doc(), 1994),
                         { "shapes[0].x0": 1994, "shapes[0].x1": 1994, "shapes[1].x0": 1994, "shapes[1].x1": 1994 });
  assert.strictEqual(ov.countsFigure(doc(), 1993, { columns: 2 }).layout.grid.columns, 2);
});

test("gridCsv and countsCsv: what the view shows, quoted where needed", () => {
  const grid = ov.gridCsv(doc(), 1993).split("\r\n");
  assert.strictEqual(grid[0], "year,iso3,country,org,organisation,status,status_label,member,full_member,basis,source");
  assert.strictEqual(grid.length, 1 + 6 + 1);
  assert.strictEqual(grid[3], '1993,BLR,Belarus,cis,Commonwealth,withdrawn,Withdrawn,false,false,"Left, 1993","Source, ""quoted"""');
  assert.strictEqual(ov.gridCsv(doc(), 1992).split("\r\n")[5], "1992,EST,Estonia,cis,Commonwealth,associate,Associate,true,false,,");
  const counts = ov.countsCsv(doc()).split("\r\n");
  assert.deepStrictEqual(counts.slice(0, 3), ["year,cis,central_asian", "1991,2,0", "1992,2,1"]);
});

test("a column header's two actions (layer, then the map view) make one history entry", () => {
  const { context: ctx } = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "cases", "address.json"), "utf8"));
  const s0 = address.parse("?view=overlap&year=2009", ctx).state;
  const r1 = reduce(s0, { type: "layer", layer: "csto", merge: "col-1" }, ctx);
  const r2 = reduce(r1.state, { type: "view", view: "map", merge: "col-1" }, ctx);
  assert.deepStrictEqual([r1.history, r1.merge, r2.history, r2.merge], ["push", "col-1", "push", "col-1"]);
  assert.deepStrictEqual([r2.state.layer, r2.state.view, r2.state.year], ["csto", "map", 2009]);
  // without a tag, as before: no merge
  assert.strictEqual(reduce(s0, { type: "view", view: "map" }, ctx).merge, null);
});

test("markBoxes: a vertical line per small chart at the year's pixel", () => {
  const axis = (offset, length) => ({ _offset: offset, _length: length, l2p: (v) => (v - 1991) * 2 });
  const full = { xaxis: axis(30, 100), yaxis: axis(10, 40), xaxis2: axis(30, 100), yaxis2: axis(80, 40) };
  assert.deepStrictEqual(ov.markBoxes(full, 2, 2001), [{ left: 50, top: 10, height: 40 }, { left: 50, top: 80, height: 40 }]);
  assert.deepStrictEqual(ov.markBoxes({}, 2, 2001), []);
});

test("rowClass and tableHtml mark the open country and a story step's states", () => {
  assert.strictEqual(ov.rowClass("BLR", "BLR", ["BLR", "EST"]), "ov-selected ov-hl");
  assert.strictEqual(ov.rowClass("EST", "BLR", ["BLR", "EST"]), "ov-hl");
  assert.strictEqual(ov.rowClass("RUS", null, undefined), "");
  const html = ov.tableHtml(doc(), 1992, null, ["EST"]);
  assert.match(html, /<tr data-iso3="EST" class="ov-hl">/);
  assert.match(html, /<tr data-iso3="RUS"><th/);
});
