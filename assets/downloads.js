/* Pictures of the current map view (PNG and SVG), made in the browser with Plotly.downloadImage.
 *
 * The picture is a copy of the map's figure with a title (layer label and year), the legend as it
 * is shown in #legend (a coloured "■" per class and its label) and the source line of
 * #source-line at the bottom. Reading the legend and the source line from the page keeps the
 * picture equal to what the user sees. No request leaves the page: the copy is drawn with the
 * same local topojson URL as the map. Registered as window.dash_clientside.downloads. */
(function () {
  "use strict";

  var WIDTH = 1600, HEIGHT = 1000;
  var MARGIN = { l: 24, r: 440, t: 84, b: 96 };
  var INK = "#1b1b1b", MUTED = "#4a4a4a";

  function clean(s) { return (s || "").replace(/\s+/g, " ").trim(); }

  function escapeText(s) {
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  // Lines of at most `width` characters, broken at spaces (a longer word stays whole).
  function wrapLines(s, width) {
    var words = clean(s).split(" "), lines = [], line = "";
    words.forEach(function (w) {
      if (line && (line + " " + w).length > width) { lines.push(line); line = w; }
      else { line = line ? line + " " + w : w; }
    });
    if (line) { lines.push(line); }
    return lines;
  }

  function toHex(color) {
    var m = /rgba?\(\s*(\d+)[,\s]+(\d+)[,\s]+(\d+)/.exec(color || "");
    if (!m) { return color || "#999999"; }
    return "#" + [m[1], m[2], m[3]].map(function (v) {
      var h = parseInt(v, 10).toString(16);
      return h.length === 1 ? "0" + h : h;
    }).join("");
  }

  function legendFromPage() {
    var root = document.getElementById("legend");
    var items = root ? root.querySelectorAll(".legend-list li") : [];
    return {
      title: root ? clean((root.querySelector(".legend-title") || {}).textContent) : "",
      items: Array.prototype.map.call(items, function (li) {
        var sw = li.querySelector(".swatch");
        var color = sw ? window.getComputedStyle(sw).backgroundColor : "";
        if (!color || color === "rgba(0, 0, 0, 0)") { color = (sw && sw.style.background) || "#999999"; }
        return { color: toHex(color), label: clean(li.textContent) };
      })
    };
  }

  function layerLabel(frames, meta) {
    var id = frames && frames.layer;
    var info = id && meta && meta.layers && meta.layers[id];
    return (info && info.label) || id || "Map";
  }

  function annotation(text, x, y, opts) {
    return Object.assign({
      text: text, x: x, y: y, xref: "paper", yref: "paper", showarrow: false,
      xanchor: "left", yanchor: "top", align: "left", font: { size: 15, color: INK }
    }, opts || {});
  }

  // The picture's figure: a copy of the map with title, legend and source line added.
  function pictureFigure(gd, title, legend, source) {
    var data = JSON.parse(JSON.stringify(gd.data));
    var layout = JSON.parse(JSON.stringify(gd.layout || {}));
    var plotH = HEIGHT - MARGIN.t - MARGIN.b;
    var px = 1 / plotH;  // one pixel in paper units (vertically)
    var xLegend = 1 + 18 / (WIDTH - MARGIN.l - MARGIN.r);
    var notes = [];
    var y = 1;
    if (legend.title) {
      wrapLines(legend.title, 40).forEach(function (line) {
        notes.push(annotation("<b>" + escapeText(line) + "</b>", xLegend, y, { font: { size: 17, color: INK } }));
        y -= 24 * px;
      });
      y -= 8 * px;
    }
    legend.items.forEach(function (it) {
      var lines = wrapLines(it.label, 42);
      var text = "<span style=\"color:" + it.color + ";font-size:22px\">■</span>  " +
                 lines.map(escapeText).join("<br>      ");
      notes.push(annotation(text, xLegend, y, { font: { size: 16, color: INK } }));
      y -= (26 + 20 * (lines.length - 1)) * px;
    });
    var sourceLines = wrapLines(source, 190);
    notes.push(annotation(sourceLines.map(escapeText).join("<br>"), 0, 0,
                          { yshift: -12, font: { size: 13, color: MUTED } }));
    layout.annotations = (layout.annotations || []).concat(notes);
    layout.title = { text: "<b>" + escapeText(title) + "</b>", x: MARGIN.l / WIDTH, xanchor: "left",
                     y: 1 - 24 / HEIGHT, yanchor: "top", font: { size: 28, color: INK } };
    layout.width = WIDTH;
    layout.height = HEIGHT;
    layout.margin = Object.assign({}, MARGIN, { pad: 0 });
    layout.paper_bgcolor = "#ffffff";
    layout.showlegend = false;
    delete layout.uirevision;
    var config = { topojsonURL: (gd._context && gd._context.topojsonURL) || "/assets/topojson/" };
    return { data: data, layout: layout, config: config };
  }

  // the picture of the view state's map (the layer and year the map shows: assets/atlas/app.js)
  function image(kind) {
    var format = kind === "svg" ? "svg" : "png";
    // a classroom slide: 1920×1080 PNG; the other pictures 1600×1000
    var slide = kind === "slide";
    WIDTH = slide ? 1920 : 1600;
    HEIGHT = slide ? 1080 : 1000;
    var gd = document.querySelector("#map .js-plotly-plot");
    var app = window.Atlas && window.Atlas.app;
    var s = app && app.state();
    if (!s || !gd || !gd.data || !window.Plotly || !window.Plotly.downloadImage) {
      return Promise.resolve({ ok: false, format: format, error: "the map is not drawn yet" });
    }
    var frames = { layer: s.layer };
    var title = layerLabel(frames, app.meta()) + ", " + s.year;
    var source = clean((document.getElementById("source-line") || {}).textContent);
    var filename = "atlas_" + s.layer + "_" + s.year + (slide ? "_slide" : "");
    var fig = pictureFigure(gd, title, legendFromPage(), source);
    return window.Plotly.downloadImage(fig, { format: format, width: WIDTH, height: HEIGHT, filename: filename })
      .then(function () { return { ok: true, format: format, filename: filename + "." + format }; })
      .catch(function (err) { return { ok: false, format: format, error: String(err) }; });
  }

  // the menu's buttons: files from the server for the view state, pictures made here
  var FILES = { "download-csv": "csv", "download-xlsx": "xlsx", "download-geojson": "geojson" };
  var PICTURES = { "download-png": "png", "download-svg": "svg", "download-slide": "slide" };
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest && ev.target.closest("button[id]");
    if (!btn) { return; }
    var app = window.Atlas && window.Atlas.app;
    var s = app && app.state();
    if (!s) { return; }
    if (FILES[btn.id]) {
      var a = document.createElement("a");
      a.href = "/download/view." + FILES[btn.id] + "?layer=" + encodeURIComponent(s.layer) + "&year=" + s.year;
      a.setAttribute("download", "");
      document.body.appendChild(a);
      a.click();
      a.remove();
    } else if (PICTURES[btn.id]) {
      var status = document.getElementById("download-image-status");
      image(PICTURES[btn.id]).then(function (r) {
        if (status) { status.setAttribute("data-result", JSON.stringify(r)); }
      });
    }
  });
  window.Atlas = window.Atlas || {};
  window.Atlas.downloads = { image: image };
})();
