/* The data tab's table: pure functions (tested with node --test) over the rows of the view
 * state's selection (dashboard/views/table.py: {columns: [{field, header, numeric, wide}],
 * rows: [[…], …], n, count}). app.js fetches the document and draws what these return.
 *
 *   blank()                   → the table's own settings: {sort, dir, q, page, size}
 *   act(ui, action)           → new settings after an action (sort by a column, filter, page, size)
 *   view(doc, ui)             → {rows (this page's), shown (after the filter), total, page, pages, from, to}
 *   cell(column, value)       → a cell's text (numbers as the CSV has them, grouped for reading)
 *   headHtml(doc, ui)         → the header row: one sort button per column, aria-sort on the sorted one
 *   bodyHtml(doc, rows)       → the rows (a cell's whole text in its title where the column is wide)
 *   statusHtml(v), pagerHtml(v, ui) → "Rows 1–50 of 540" and the page buttons
 *
 * Sorting and filtering change only what the table shows: the row-count line and the downloads
 * are the selection's (dashboard/views/data_tab.py row_count_text).
 */
(function (root, factory) {
  "use strict";
  var mod = factory();
  if (typeof module === "object" && module.exports) { module.exports = mod; } else {
    root.Atlas = root.Atlas || {};
    root.Atlas.table = mod;
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var SIZES = [25, 50, 100, 500];

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function blank() { return { sort: null, dir: 1, q: "", page: 0, size: 50 }; }

  function copy(ui) { return { sort: ui.sort, dir: ui.dir, q: ui.q, page: ui.page, size: ui.size }; }

  // a column's header: ascending, then descending, then the selection's own order
  function act(ui, a) {
    var u = copy(ui);
    if (a.type === "sort") {
      if (u.sort !== a.field) { u.sort = a.field; u.dir = 1; } else if (u.dir === 1) { u.dir = -1; } else { u.sort = null; u.dir = 1; }
      u.page = 0;
    } else if (a.type === "filter") {
      u.q = String(a.q || ""); u.page = 0;
    } else if (a.type === "page") {
      u.page = a.page;  // clamped by view()
    } else if (a.type === "size") {
      var n = Number(a.size);
      if (SIZES.indexOf(n) >= 0) { u.page = Math.floor(u.page * u.size / n); u.size = n; }
    } else if (a.type === "reset") {
      u.page = 0;  // a new selection: its first page, the same sort and filter
    }
    return u;
  }

  function isNum(v) { return typeof v === "number" && isFinite(v); }

  function cell(column, v) {
    if (v === null || v === undefined) { return ""; }
    if (column.field === "value" && isNum(v)) { return v.toLocaleString("en", { maximumFractionDigits: 6 }); }
    return String(v);
  }

  function index(doc, field) {
    for (var i = 0; i < doc.columns.length; i++) { if (doc.columns[i].field === field) { return i; } }
    return -1;
  }

  // the rows the filter keeps: every word of the query in one of the row's cells (any case)
  function filtered(doc, q) {
    var words = String(q || "").toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) { return doc.rows; }
    return doc.rows.filter(function (r) {
      var text = r.map(function (v, i) { return cell(doc.columns[i], v); }).join("\u0001").toLowerCase();
      return words.every(function (w) { return text.indexOf(w) >= 0; });
    });
  }

  // a stable sort; empty cells last in both directions
  function sorted(doc, rows, ui) {
    var i = ui.sort ? index(doc, ui.sort) : -1;
    if (i < 0) { return rows; }
    var numeric = doc.columns[i].numeric, dir = ui.dir;
    return rows.map(function (r, k) { return [r, k]; }).sort(function (a, b) {
      var x = a[0][i], y = b[0][i];
      var ex = x === null || x === undefined || x === "", ey = y === null || y === undefined || y === "";
      if (ex || ey) { return ex === ey ? a[1] - b[1] : (ex ? 1 : -1); }
      var c = numeric ? x - y : String(x).localeCompare(String(y), "en", { sensitivity: "base", numeric: true });
      return c ? c * dir : a[1] - b[1];
    }).map(function (p) { return p[0]; });
  }

  function view(doc, ui) {
    var rows = sorted(doc, filtered(doc, ui.q), ui);
    var pages = Math.max(1, Math.ceil(rows.length / ui.size));
    var page = Math.min(Math.max(0, ui.page | 0), pages - 1);
    var from = page * ui.size;
    return { rows: rows.slice(from, from + ui.size), shown: rows.length, total: doc.rows.length,
             page: page, pages: pages, from: rows.length ? from + 1 : 0, to: Math.min(rows.length, from + ui.size) };
  }

  var ARIA = { 1: "ascending", "-1": "descending" };
  function headHtml(doc, ui) {
    return "<tr>" + doc.columns.map(function (c) {
      var on = ui.sort === c.field;
      var mark = on ? (ui.dir === 1 ? " ▲" : " ▼") : "";
      return '<th scope="col" class="col-' + esc(c.field) + (c.numeric ? " num" : "") + '"' +
        (on ? ' aria-sort="' + ARIA[ui.dir] + '"' : "") + '><button type="button" class="tbl-sort" data-sort="' +
        esc(c.field) + '" title="Sort by ' + esc(c.header) + '">' + esc(c.header) +
        '<span class="tbl-mark" aria-hidden="true">' + mark + "</span></button></th>";
    }).join("") + "</tr>";
  }

  function bodyHtml(doc, rows) {
    if (!rows.length) {
      return '<tr class="tbl-empty"><td colspan="' + doc.columns.length + '">No rows</td></tr>';
    }
    return rows.map(function (r) {
      return '<tr class="tbl-row">' + r.map(function (v, i) {
        var c = doc.columns[i], t = esc(cell(c, v));
        var cls = "col-" + c.field + (c.numeric ? " num" : "");
        return (i === 0 ? '<th scope="row" class="' : '<td class="') + cls + '"' +
          (c.wide && t ? ' title="' + t + '"' : "") + ">" + t + (i === 0 ? "</th>" : "</td>");
      }).join("") + "</tr>";
    }).join("");
  }

  function num(n) { return Number(n).toLocaleString("en"); }

  function statusHtml(v) {
    if (!v.shown) { return v.total ? "No row matches the filter (" + num(v.total) + " rows in the selection)." : "No rows."; }
    return "Rows " + num(v.from) + "–" + num(v.to) + " of " + num(v.shown) +
      (v.shown !== v.total ? " (filtered from " + num(v.total) + ")" : "");
  }

  function pagerHtml(v, ui) {
    function btn(page, label, text, off) {
      return '<button type="button" class="tbl-page" data-page="' + page + '" aria-label="' + label + '"' +
        (off ? " disabled" : "") + ">" + text + "</button>";
    }
    var last = v.pages - 1;
    return btn(0, "First page", "«", v.page === 0) + btn(v.page - 1, "Previous page", "‹", v.page === 0) +
      '<span class="tbl-pageno">Page ' + (v.page + 1) + " of " + v.pages + "</span>" +
      btn(v.page + 1, "Next page", "›", v.page >= last) + btn(last, "Last page", "»", v.page >= last) +
      '<label class="tbl-size">Rows per page <select data-size="1">' + SIZES.map(function (n) {
        return '<option value="' + n + '"' + (n === ui.size ? " selected" : "") + ">" + n + "</option>";
      }).join("") + "</select></label>";
  }

  return { SIZES: SIZES, blank: blank, act: act, view: view, cell: cell, filtered: filtered, headHtml: headHtml,
           bodyHtml: bodyHtml, statusHtml: statusHtml, pagerHtml: pagerHtml, esc: esc };
});
