"""Chart, ranking and compare views; share, embed and cite (issue 12), in Chromium.

Each view is a state of the one view state (its address); the values drawn are checked against
the API's, and a year step in these views never calls the server."""

from __future__ import annotations

import csv
import http.server
import io
import json
import threading
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from dashboard.core.config import ISO3, ROOT
from dashboard.core.data import get_data
from dashboard.views.layout import layer_sources, source_records

pytestmark = pytest.mark.browser


def api(base: str, indicator: str, lo: int, hi: int) -> list[dict[str, Any]]:
    url = f"{base}/api/v1/observations?indicator={indicator}&from={lo}&to={hi}&format=json"
    with urllib.request.urlopen(url, timeout=20) as r:
        return json.loads(r.read())["rows"]


def open_view(probe, query: str) -> None:
    """Open an address and wait until the renderer has booted (no map needed: the view may not
    be the map)."""
    probe.page.goto(probe.base + "/" + query)
    probe.page.wait_for_function("() => window.Atlas && window.Atlas.app && window.Atlas.app.state()",
                                 timeout=45_000)
    # the page's own first requests are over (a server call counted later is the view's)
    probe.page.wait_for_load_state("networkidle", timeout=45_000)


def dispatch(probe, action: dict[str, Any]) -> None:
    probe.eval("(a) => window.Atlas.app.dispatch(a)", action)


def ranking(probe) -> list[dict[str, Any]]:
    return probe.eval("""() => [...document.querySelectorAll('#ranking .rank-row')].map(li => ({
        iso3: li.dataset.iso3, value: li.dataset.value === undefined ? null : Number(li.dataset.value),
        missing: li.classList.contains('rank-missing')}))""")


def wait_ranking(probe, layer: str, year: int) -> None:
    probe.page.wait_for_function(
        """([l, y]) => { const el = document.getElementById('ranking');
            return el && !el.hidden && el.dataset.layer === l && el.dataset.year === String(y) &&
              el.querySelectorAll('.rank-row').length === 15; }""", arg=[layer, year], timeout=30_000)


def expected_order(rows: list[dict[str, Any]]) -> list[str]:
    """The API's values for one year, highest first (ties by name), then the states without a
    value (absent from the API's rows, or empty) by name."""
    names = get_data().names_en
    have = sorted((r for r in rows if r["value"] is not None), key=lambda r: (-r["value"], names[r["iso3"]]))
    ranked = [r["iso3"] for r in have]
    return ranked + sorted((c for c in ISO3 if c not in ranked), key=lambda c: names[c])


# ------------------------------------------------------------------------------------ ranking
def test_ranking_lists_the_15_states_in_the_apis_order_and_follows_the_slider_without_the_server(probe) -> None:
    layer = "refugees_hosted_per_1000"
    open_view(probe, f"?view=rank&layer={layer}&year=2023")
    wait_ranking(probe, layer, 2023)
    rows = api(probe.base, layer, 2023, 2023)
    got = ranking(probe)
    assert len(got) == 15
    assert [r["iso3"] for r in got] == expected_order(rows)
    shown = [r for r in got if not r["missing"]]
    assert len(shown) == sum(r["value"] is not None for r in rows)
    values = {r["iso3"]: r["value"] for r in rows}
    for r in shown:
        assert r["value"] == pytest.approx(values[r["iso3"]])
    assert all(r["missing"] for r in got[len(shown):])  # no data: last
    assert probe.page.is_visible("#ranking") and not probe.page.is_visible("#map-box")
    # the year moves the ranking; no server call
    before = probe.dash_updates()
    for year in (2022, 2000, 1995):
        dispatch(probe, {"type": "year", "year": year, "via": "key"})
        wait_ranking(probe, layer, year)
        assert [r["iso3"] for r in ranking(probe)] == expected_order(api(probe.base, layer, year, year))
    assert probe.dash_updates() == before
    assert "year=1995" in probe.page.url and "view=rank" in probe.page.url
    assert probe.console_errors == []


def test_ranking_says_no_data_and_a_name_opens_the_panel(probe) -> None:
    open_view(probe, "?view=rank&layer=refugees_hosted_per_1000&year=1992")
    wait_ranking(probe, "refugees_hosted_per_1000", 1992)
    assert "No data for 12 of 15" in probe.page.text_content("#ranking .rank-note")
    assert len(probe.page.query_selector_all("#ranking .rank-missing")) == 12
    probe.page.click("#ranking .rank-name[data-iso3=GEO]")
    probe.page.wait_for_selector("#country-panel:not([hidden])")
    assert probe.eval("() => window.Atlas.app.state().country") == "GEO"


# ------------------------------------------------------------------------------------ chart
def chart(probe) -> dict[str, Any]:
    return probe.eval("""() => { const gd = document.getElementById('chart');
        return {kind: gd.layout.meta.kind, year: gd.layout.meta.year, layer: gd.layout.meta.layer,
                traces: gd.data.map(t => ({name: t.name, x: t.x, y: t.y, n: t.x.length,
                                           text: (t.hovertext || [])[0] || ''})),
                log: gd.layout.yaxis.type === 'log',
                lines: document.querySelectorAll('#chart .scatterlayer .trace').length}; }""")


def wait_chart(probe, layer: str, year: int, n: int) -> None:
    probe.page.wait_for_function(
        """([l, y, n]) => { const gd = document.getElementById('chart');
            return gd && gd.layout && gd.layout.meta && gd.layout.meta.layer === l && gd.layout.meta.year === y &&
              gd.data.length === n && document.querySelectorAll('#chart .scatterlayer .trace').length === n; }""",
        arg=[layer, year, n], timeout=30_000)


def test_chart_draws_georgia_and_armenia_with_the_apis_values(probe) -> None:
    open_view(probe, "?view=chart&layer=fh_total&countries=GEO,ARM")
    year = probe.eval("() => window.Atlas.app.state().year")
    wait_chart(probe, "fh_total", year, 2)
    c = chart(probe)
    assert c["kind"] == "lines"
    assert sorted(t["name"] for t in c["traces"]) == ["Armenia", "Georgia"]
    rows = api(probe.base, "fh_total", 1991, 2026)
    for t in c["traces"]:
        iso = {"Armenia": "ARM", "Georgia": "GEO"}[t["name"]]
        want = {r["year"]: r["value"] for r in rows if r["iso3"] == iso and r["value"] is not None}
        assert dict(zip(t["x"], t["y"], strict=True)) == pytest.approx(want)
        # hover: value, unit, source (a score is a bare number: its scale is written beside it)
        assert "(score 0–100)" in t["text"] and "Source: Freedom House" in t["text"], t["text"]
    # the year marker moves with the slider, without the server
    before = probe.dash_updates()
    dispatch(probe, {"type": "year", "year": 2015, "via": "key"})
    wait_chart(probe, "fh_total", 2015, 2)
    assert probe.eval("() => document.getElementById('chart').layout.shapes[0].x0") == 2015
    # a state from the picker: the address's countries (shared with the data tab)
    probe.page.check("#chart-states input[value=AZE]")
    wait_chart(probe, "fh_total", 2015, 3)
    assert "countries=ARM,AZE,GEO" in probe.page.url
    # the year range (the address's from/to)
    probe.page.select_option("#chart-from", "2014")
    probe.page.wait_for_function("() => document.getElementById('chart').layout.xaxis.range[0] === 2013.5")
    assert "from=2014" in probe.page.url
    assert min(probe.eval("() => document.getElementById('chart').data[0].x")) == 2014
    assert probe.dash_updates() == before
    # clicking a line's point opens the state's panel
    probe.eval("""() => document.getElementById('chart').emit('plotly_click',
        {points: [{customdata: 'GEO', x: 2015}]})""")
    probe.page.wait_for_selector("#country-panel:not([hidden])")
    # until the chart is resized to its narrower box, what no longer fits is cut at its edge (not
    # drawn over the panel); then it fits its box
    assert probe.eval("() => getComputedStyle(document.getElementById('chart')).overflow") == "hidden"
    probe.page.wait_for_function("""() => { const gd = document.getElementById('chart');
        const box = gd.getBoundingClientRect();
        const panel = document.getElementById('country-panel').getBoundingClientRect();
        return gd._fullLayout.width <= box.width + 1 && box.right <= panel.left; }""", timeout=30_000)
    assert probe.console_errors == []


def test_chart_draws_v_dem_intervals_as_bands_with_the_apis_bounds(probe) -> None:
    open_view(probe, "?view=chart&layer=vdem_polyarchy&countries=GEO,ARM&year=2010")
    wait_chart(probe, "vdem_polyarchy", 2010, 6)  # per state: lower edge, upper edge (filled), line
    traces = probe.eval("""() => document.getElementById('chart').data.map(t => ({
        name: t.name, band: t.meta === 'band', fill: t.fill || null, x: t.x, y: t.y}))""")
    bands = [t for t in traces if t["band"]]
    assert [t["fill"] for t in bands] == [None, "tonexty", None, "tonexty"]
    assert [t["name"] for t in traces if not t["band"]] == ["Armenia", "Georgia"]
    for (lo_t, hi_t), iso in ((bands[0:2], "ARM"), (bands[2:4], "GEO")):
        for t, end in ((lo_t, "low"), (hi_t, "high")):
            want = {r["year"]: r["value"] for r in api(probe.base, f"vdem_polyarchy_{end}", 1991, 2026)
                    if r["iso3"] == iso}
            assert dict(zip(t["x"], t["y"], strict=True)) == pytest.approx(want)


def test_chart_log_axis_and_per_1000_and_a_status_grid_for_categories(probe) -> None:
    open_view(probe, "?view=chart&layer=refugees_hosted&countries=ARM,AZE,GEO&year=2000&scale=log")
    wait_chart(probe, "refugees_hosted", 2000, 3)
    assert chart(probe)["log"] is True
    probe.page.check("#chart-scale input[value=linear]")
    probe.page.wait_for_function("() => document.getElementById('chart').layout.yaxis.type === 'linear'")
    assert "scale=log" not in probe.page.url
    dispatch(probe, {"type": "perCapita", "on": True})
    wait_chart(probe, "refugees_hosted_per_1000", 2000, 3)
    # a rate is drawn on a linear axis, whatever the address's scale: the radios say so
    dispatch(probe, {"type": "scale", "scale": "log"})
    probe.page.wait_for_function("() => window.Atlas.app.state().scale === 'log'")
    radios = probe.eval("""() => [...document.querySelectorAll('#chart-scale input')]
        .map(i => [i.value, i.checked, i.disabled])""")
    assert radios == [["linear", True, True], ["log", False, True]]
    assert chart(probe)["log"] is False
    dispatch(probe, {"type": "layer", "layer": "fh_status"})
    probe.page.wait_for_function("""() => { const gd = document.getElementById('chart');
        return gd.layout.meta.layer === 'fh_status' && gd.layout.meta.kind === 'grid'; }""")
    n = probe.eval("() => document.getElementById('chart').data[0].x.length")
    assert n == 3 * 36
    legend = probe.page.text_content("#chart-legend")
    assert "Free" in legend and "No data" in legend


# ------------------------------------------------------------------------------------ compare
def side(probe, k: str) -> dict[str, Any]:
    return probe.eval("""(k) => { const gd = document.getElementById('compare-' + k);
        const fills = {};
        const g = gd.querySelectorAll('.choroplethlayer .trace')[1];
        g.querySelectorAll('path.choroplethlocation').forEach(p => {
            fills[p.__data__.loc] = getComputedStyle(p).fill; });
        return {layer: gd.layout.meta.layer, year: gd.layout.meta.year, z: gd.data[1].z,
                locations: gd.data[1].locations, fills: fills}; }""", k)


def wait_side(probe, k: str, layer: str, year: int) -> None:
    probe.page.wait_for_function(
        """([k, l, y]) => { const gd = document.getElementById('compare-' + k);
            return gd && gd.layout && gd.layout.meta && gd.layout.meta.layer === l && gd.layout.meta.year === y &&
              gd.querySelectorAll('.choroplethlayer .trace').length >= 2 &&
              gd.querySelectorAll('.choroplethlayer .trace')[1].querySelectorAll('path').length >= 15; }""",
        arg=[k, layer, year], timeout=30_000)


def rgb(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(h[i:i + 2], 16) for i in (0, 2, 4)))


def check_colours(probe, k: str, layer: str, year: int) -> None:
    from dashboard.core import figures

    data = get_data()
    payload = figures.layer_payload(data, layer)
    want = payload["frames"]["years"][str(year)]["z"]
    s = side(probe, k)
    assert s["z"] == want
    classes = payload["style"]["classes"]
    for iso, z in zip(s["locations"], s["z"], strict=True):
        colour = classes[z]["color"] if z >= 0 else payload["style"]["no_data"]
        assert s["fills"][iso] == rgb(colour), (k, iso)


def test_compare_shows_two_maps_whose_colours_match_each_year(probe) -> None:
    open_view(probe, "?view=compare&layer=cis&year=1995&year2=2025")
    wait_side(probe, "left", "cis", 1995)
    wait_side(probe, "right", "cis", 2025)
    check_colours(probe, "left", "cis", 1995)
    check_colours(probe, "right", "cis", 2025)
    boxes = probe.eval("""() => ['left', 'right'].map(k => document.getElementById('compare-' + k)
        .getBoundingClientRect().toJSON())""")
    assert boxes[0]["x"] + boxes[0]["width"] <= boxes[1]["x"] + 1 and abs(boxes[0]["y"] - boxes[1]["y"]) < 2
    # one slider: the left map follows it, the right keeps year2; no server call
    before = probe.dash_updates()
    dispatch(probe, {"type": "year", "year": 1996, "via": "key"})
    wait_side(probe, "left", "cis", 1996)
    check_colours(probe, "left", "cis", 1996)
    assert side(probe, "right")["year"] == 2025
    assert probe.dash_updates() == before
    # two layers in one year: both move with the slider
    probe.page.select_option("#compare-year2", "")
    probe.page.select_option("#compare-layer2", "csto")
    wait_side(probe, "right", "csto", 1996)
    check_colours(probe, "right", "csto", 1996)
    assert "layer2=csto" in probe.page.url and "year2" not in probe.page.url
    dispatch(probe, {"type": "year", "year": 2010, "via": "key"})
    wait_side(probe, "left", "cis", 2010)
    wait_side(probe, "right", "csto", 2010)
    assert probe.console_errors == []


def test_compare_works_in_presentation_mode(probe) -> None:
    open_view(probe, "?view=compare&layer=cis&year=1995&year2=2025&present=1")
    wait_side(probe, "left", "cis", 1995)
    wait_side(probe, "right", "cis", 2025)
    assert probe.page.get_attribute("#app-root", "class").split() == ["app", "presenting"]
    probe.page.locator("#compare-left").click(position={"x": 5, "y": 5})
    probe.page.keyboard.press("ArrowRight")
    wait_side(probe, "left", "cis", 1996)
    # each map fills its box: the box keeps the whole space's shape (no empty bands of sea), and
    # the two boxes share the view's width
    fit = probe.eval("""() => ['left', 'right'].map(k => { const gd = document.getElementById('compare-' + k);
        const box = gd.getBoundingClientRect(), geo = gd.querySelector('.geo').getBoundingClientRect();
        return {w: box.width, h: box.height, gw: geo.width, gh: geo.height}; })""")
    view_w = probe.eval("() => document.getElementById('map-compare').getBoundingClientRect().width")
    for f in fit:
        assert f["gw"] >= 0.95 * f["w"] and f["gh"] >= 0.75 * f["h"], fit
        assert f["w"] >= 0.45 * view_w and f["h"] > 250, fit


# ------------------------------------------------------------------------------------ share, embed, cite
def test_citation_names_every_source_of_the_layer_and_the_address(probe) -> None:
    layer = "refugees_hosted_per_1000"
    open_view(probe, f"?view=rank&layer={layer}&year=2023")
    wait_ranking(probe, layer, 2023)
    probe.page.click("#share-box summary")
    probe.page.wait_for_function("() => document.getElementById('cite-text').textContent.length > 0")
    text = probe.page.text_content("#cite-text")
    bib = probe.page.text_content("#cite-bibtex")
    data = get_data()
    records = source_records(data)
    ids = layer_sources(data, layer)
    assert len(ids) >= 3  # the derived source and what it is computed from
    for sid in ids:
        assert records[sid]["citation"] in text, sid
        assert records[sid]["title"].replace("_", "\\_") in bib or records[sid]["title"] in bib, sid
    assert f"{probe.base}/?layer={layer}&year=2023&view=rank" in text
    assert "(accessed 20" in text and "urldate = {20" in bib
    assert bib.startswith("@misc{")
    code = probe.eval("() => document.getElementById('embed-code').value")
    assert "<iframe" in code and "embed=1" in code and "view=rank" in code
    link = probe.eval("() => document.getElementById('share-link').value")
    assert link == f"{probe.base}/?layer={layer}&year=2023&view=rank"
    # the citation follows the view
    dispatch(probe, {"type": "year", "year": 2020, "via": "key"})
    probe.page.wait_for_function("() => document.getElementById('cite-text').textContent.includes('year=2020')")


class _Host(http.server.BaseHTTPRequestHandler):
    page = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.page)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture()
def other_origin(live_server: str) -> Iterator[str]:
    """A page on another origin (another port) that frames the embed page and the main page."""
    _Host.page = (f'<!doctype html><title>course page</title>'
                  f'<iframe id="embed" name="embed" src="{live_server}/?view=rank&layer=fh_total&year=2015&embed=1" '
                  f'width="900" height="600"></iframe>'
                  f'<iframe id="main" name="main" src="{live_server}/?view=rank&layer=fh_total&year=2015" '
                  f'width="900" height="600"></iframe>').encode()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Host)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{srv.server_address[1]}/"
    finally:
        srv.shutdown()
        srv.server_close()


def test_an_embed_page_can_be_framed_by_another_origin_and_the_main_page_cannot(probe, other_origin) -> None:
    page = probe.page
    page.goto(other_origin)
    embed = page.frame(name="embed")
    embed.wait_for_function("() => window.Atlas && window.Atlas.app && window.Atlas.app.state() && "
                            "document.querySelectorAll('#ranking .rank-row').length === 15", timeout=45_000)
    assert embed.evaluate("() => window.Atlas.app.state().embed") is True
    # the year slider is a Dash component whose script arrives in a chunk of its own, possibly after
    # the ranking (drawn by the atlas' renderer) is complete: wait for it, not for time
    embed.wait_for_selector("#year-slider [role=slider]", state="visible", timeout=45_000)
    # the chrome is gone, the view, its legend and source and the years stay
    assert not embed.is_visible(".topbar") and not embed.is_visible(".footer")
    assert embed.is_visible("#ranking") and embed.is_visible("#year-slider") and embed.is_visible("#source-line")
    assert embed.get_attribute("#embed-open", "href").endswith("/?layer=fh_total&year=2015&view=rank")
    assert "Atlas" in embed.evaluate("() => document.title")
    # the main page refuses to be framed: its frame ends on the browser's error page, never the atlas
    main = page.frame(name="main")
    main.wait_for_load_state("load", timeout=20_000)
    assert main.url.startswith("chrome-error://")
    assert "Atlas" not in main.evaluate("() => document.title")
    # the headers say the same
    with urllib.request.urlopen(probe.base + "/?embed=1&view=rank", timeout=20) as r:
        assert "frame-ancestors *" in r.headers["Content-Security-Policy"]
        assert r.headers.get("X-Frame-Options") is None
    with urllib.request.urlopen(probe.base + "/?view=rank", timeout=20) as r:
        assert "frame-ancestors 'self'" in r.headers["Content-Security-Policy"]
        assert r.headers["X-Frame-Options"] == "SAMEORIGIN"


# ------------------------------------------------------------------------------------ wide table
def test_wide_table_of_the_chart_equals_the_apis_values(probe) -> None:
    open_view(probe, "?view=chart&layer=fh_total&countries=GEO,ARM&from=2012&to=2024")
    href = probe.page.get_attribute("#chart-wide", "href")
    assert href == "/download/wide.csv?indicators=fh_total&countries=ARM,GEO&from=2012&to=2024"
    with urllib.request.urlopen(probe.base + href, timeout=20) as r:
        lines = list(csv.reader(io.StringIO(r.read().decode())))
    head = lines[0]
    assert head[:5] == ["indicator", "label", "unit", "iso3", "country"]
    assert head[5:] == [str(y) for y in range(2012, 2025)]
    rows = api(probe.base, "fh_total", 2012, 2024)
    assert [c[3] for c in lines[1:]] == ["ARM", "GEO"]
    for cells in lines[1:]:
        iso = cells[3]
        want = {r["year"]: r["value"] for r in rows if r["iso3"] == iso}
        for y, cell in zip(range(2012, 2025), cells[5:], strict=True):
            assert (float(cell) if cell else None) == want.get(y), (iso, y)


def test_data_tab_offers_the_wide_table_of_its_selection(probe) -> None:
    open_view(probe, "?view=data&indicators=fh_total,cis&countries=GEO,ARM&from=2012&to=2014")
    probe.page.mouse.move(5, 5)  # the tab opened by the address loads its grid on the user's first move
    probe.page.wait_for_selector("#download-table-wide", timeout=30_000)
    href = probe.page.get_attribute("#download-table-wide", "href")
    assert href == "/download/wide.csv?indicators=fh_total,cis&countries=ARM,GEO&from=2012&to=2014"
    with urllib.request.urlopen(probe.base + href, timeout=20) as r:
        rows = list(csv.reader(io.StringIO(r.read().decode())))
    assert [(c[0], c[3]) for c in rows[1:]] == [
        ("fh_total", "ARM"), ("fh_total", "GEO"), ("cis", "ARM"), ("cis", "GEO")]
    assert rows[0][5:] == ["2012", "2013", "2014"]
    # the link follows the selection
    dispatch(probe, {"type": "data", "to": 2013})
    probe.page.wait_for_function("() => document.getElementById('download-table-wide').getAttribute('href')"
                                 ".endsWith('&from=2012&to=2013')")


AXE = ROOT / ".cache" / "axe" / "package" / "axe.min.js"


@pytest.mark.parametrize(("query", "ready"), [
    ("?view=chart&layer=fh_total&countries=GEO,ARM", "#chart .scatterlayer .trace"),
    ("?view=chart&layer=fh_status&countries=GEO,ARM", "#chart .scatterlayer .trace"),
    ("?view=rank&layer=refugees_hosted_per_1000&year=2023", "#ranking .rank-row"),
    ("?view=compare&layer=cis&year=1995&year2=2025", "#compare-right .choroplethlayer path"),
])
def test_axe_no_serious_violations_in_the_new_views(probe, query: str, ready: str) -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} missing: scripts/test.sh fetches axe-core from npm")
    open_view(probe, query)
    probe.page.wait_for_selector(ready, state="attached", timeout=30_000)
    probe.page.click("#share-box summary")
    probe.page.wait_for_function("() => document.getElementById('cite-text').textContent.length > 0")
    probe.eval(AXE.read_text(encoding="utf-8") + "\n;0")
    # this parts of the page (the page's other controls are audited in test_browser_teaching.py)
    violations = probe.eval("""async () => {
        const parts = {include: [['#chart-box'], ['#ranking'], ['#compare-box'], ['#share-box']]};
        const r = await axe.run(parts, {runOnly: {type: 'tag',
                                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                           .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}));
    }""")
    assert violations == [], violations
