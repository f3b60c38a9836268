"""The map explorer in real headless Chromium."""

from __future__ import annotations

import json

import pytest

from dashboard.core.data import get_data

pytestmark = pytest.mark.browser


def _class_label(layer: str, z: int) -> str:
    classes = get_data().indicators[layer]["classes"]
    return "No data" if z < 0 else classes[z]["label"]


def test_page_loads_without_console_errors(probe) -> None:
    probe.goto()
    probe.page.wait_for_timeout(500)
    assert probe.console_errors == []
    assert probe.external == [], "requests left the machine"
    assert probe.page.title() == "CIS membership, 2025 — Atlas of the former Soviet space"  # names the view
    # the stable ids users automate against
    for sel in ("#map", "#year-slider", "#layer-select", "#play-button", "#country-panel"):
        assert probe.page.query_selector(sel) is not None, sel
    # 15 states drawn from our own geodata, plus neighbours and contested areas
    locs = probe.eval("() => document.querySelector('#map .js-plotly-plot').data[1].locations")
    assert len(locs) == 15


@pytest.mark.parametrize(("layer", "year"), [("csto", 1995), ("refugees_hosted", 1995), ("vdem_row", 2024)])
def test_each_layer_group_renders_with_legend(probe, layer: str, year: int) -> None:
    probe.goto(f"?layer={layer}&year={year}")
    probe.page.wait_for_function(
        "(l) => document.querySelector('#layer-select') && "
        "document.querySelector('.legend-title').textContent.length > 0", arg=layer)
    items = probe.page.locator(".legend-list li")
    expected = get_data().indicators[layer]["classes"]
    assert items.count() == len(expected) + 1
    texts = [t.strip() for t in items.all_inner_texts()]
    assert texts[:-1] == [c["label"] for c in expected]
    assert texts[-1] == "No data"
    assert probe.slider_value() == year
    assert probe.console_errors == []


def test_slider_moves_without_server_calls(probe) -> None:
    probe.goto("?layer=fh_status&year=1995")
    probe.page.wait_for_function("() => document.querySelector('#map .js-plotly-plot').data[1].z.length === 15")
    assert _class_label("fh_status", probe.map_z("BLR")) == "Partly Free"
    probe.page.wait_for_timeout(300)
    before = probe.dash_updates()
    # two steps right with the keyboard (focus on the page, not in the dropdown)
    probe.page.locator("h1").click()
    probe.page.keyboard.press("ArrowRight")
    probe.page.keyboard.press("ArrowRight")
    probe.page.wait_for_function("() => document.querySelector('#map .js-plotly-plot')"
                                 ".layout.annotations[0].text === '1997'")
    assert probe.slider_value() == 1997
    assert _class_label("fh_status", probe.map_z("BLR")) == "Not Free"
    # events strip follows the year, and the URL is updated
    assert "1997" in probe.page.inner_text("#events-title")
    assert "year=1997" in probe.page.url
    probe.page.wait_for_timeout(300)
    assert probe.dash_updates() == before, "moving the slider called the server"
    assert probe.console_errors == []


def test_click_country_opens_panel_and_escape_closes(probe) -> None:
    probe.goto("?layer=cis&year=2000")
    assert probe.page.is_hidden("#country-panel")
    probe.page.locator("h1").click()
    probe.page.keyboard.press("ArrowRight")
    probe.page.wait_for_function("() => location.search.includes('year=2001')")
    probe.click_country("KAZ")
    probe.page.wait_for_selector("#country-panel:not([hidden])")
    probe.page.wait_for_function("() => document.querySelector('#panel-title').textContent.includes('Kazakhstan')")
    assert "country=KAZ" in probe.page.url
    # the panel shows the layer's series, the membership timeline and the events
    probe.page.wait_for_function("() => document.querySelectorAll('#panel-memberships .strip-cell')"
                                 ".length >= 10 * 36")
    # the map stays on the year moved to
    assert probe.eval("() => document.querySelector('#map .js-plotly-plot').layout.annotations[0].text") == "2001"
    # the layer (CIS, a status) is a strip too; every strip marks the year, and follows it
    marks = "() => [...document.querySelectorAll('#country-panel .strip-year')].map(m => m.dataset.year)"
    assert probe.eval(marks) == ["2001"] * 3
    cis_2001 = probe.eval("() => document.querySelector('#panel-series .strip-cell[data-year=\"2001\"]').title")
    assert cis_2001.startswith("CIS 2001: ")
    probe.page.keyboard.press("ArrowRight")
    probe.page.wait_for_function("() => [...document.querySelectorAll('#country-panel .strip-year')]"
                                 ".every(m => m.dataset.year === '2002')")
    # a numeric layer's series is a chart, its year marked with the same year
    probe.eval("() => window.Atlas.app.dispatch({type: 'layer', layer: 'refugees_hosted'})")
    probe.page.wait_for_function("() => { const gd = document.querySelector('#panel-series .js-plotly-plot');"
                                 " return gd && gd.layout.shapes[0].x0 === 2002; }")
    probe.page.keyboard.press("Escape")
    probe.page.wait_for_selector("#country-panel", state="hidden")
    assert "country=" not in probe.page.url
    assert probe.console_errors == []


def test_url_restores_view_and_history_works(probe) -> None:
    probe.goto("?layer=refugees_hosted_per_1000&year=1995&country=ARM")
    probe.page.wait_for_selector("#country-panel:not([hidden])")
    assert probe.slider_value() == 1995
    assert probe.page.is_checked("#per-capita input[value=per1000]")
    assert "Armenia" in probe.page.inner_text("#panel-title")
    frames_layer = probe.eval("() => document.querySelector('.legend-title').textContent")
    assert "per 1,000" in frames_layer
    # move on, then go back and forward
    probe.page.locator("h1").click()
    probe.page.keyboard.press("ArrowRight")
    probe.page.wait_for_function("() => location.search.includes('year=1996')")
    probe.page.go_back()
    probe.page.wait_for_function("() => document.querySelector('#year-slider [role=slider]')"
                                 ".getAttribute('aria-valuenow') === '1995'")
    probe.page.go_forward()
    probe.page.wait_for_function("() => document.querySelector('#year-slider [role=slider]')"
                                 ".getAttribute('aria-valuenow') === '1996'")
    assert probe.console_errors == []


@pytest.mark.parametrize("query", ["?layer=bogus&year=1066&country=ZZZ", "?year=%3Cscript%3E", "?layer=" + "x" * 300])
def test_bad_url_shows_notice_not_error(probe, query: str) -> None:
    probe.goto(query)
    probe.page.wait_for_selector("#notice span")
    text = probe.page.inner_text("#notice")
    assert "default" in text or "showing" in text or "no country" in text
    assert "<script>" not in probe.page.inner_html("#notice")  # echoed safely as text
    assert probe.slider_value() in range(1991, 2027)
    assert probe.page.locator(".legend-list li").count() > 1
    # the address bar is corrected to the view shown
    probe.page.wait_for_function("() => location.search.includes('layer=cis')")
    assert probe.console_errors == []


def test_play_advances_years(probe) -> None:
    probe.goto("?layer=eu&year=2002")
    before = probe.dash_updates()
    probe.page.click("#play-button")
    probe.page.wait_for_function("() => Number(document.querySelector('#year-slider [role=slider]')"
                                 ".getAttribute('aria-valuenow')) >= 2004", timeout=6000)
    probe.page.click("#play-button")
    year = probe.slider_value()
    probe.page.wait_for_timeout(1500)
    assert probe.slider_value() == year, "play did not pause"
    assert probe.dash_updates() == before
    z = probe.map_z("EST")
    assert "member" in _class_label("eu", z).lower()
    json.dumps(z)


def test_url_with_only_a_year_draws_that_year(probe) -> None:
    """The default layer with another year: no new figure comes from the server, the browser
    must draw the year itself once the graph exists."""
    probe.goto("?layer=cis&year=1995")
    probe.page.wait_for_function("() => document.querySelector('#map .js-plotly-plot')"
                                 ".layout.annotations[0].text === '1995'")
    assert _class_label("cis", probe.map_z("UKR")) == "Founding state without the Charter"
    assert "1995" in probe.page.inner_text("#map-summary")


# ------------------------------------------------------------------ first paint and fast steps
def test_static_picture_matches_the_interactive_map(probe) -> None:
    """The server's picture of the map (/map-poster.svg) puts every place where plotly.js does."""
    from dashboard.core import figures
    from dashboard.views.poster import UNITS, Projection

    probe.goto("?layer=cis&year=2000")
    points = [[20.5, 54.7], [30.5, 50.45], [37.6, 55.75], [69.3, 41.3], [131.9, 43.1], [177.5, 64.7], [44.5, 40.2]]
    got = probe.eval("""(pts) => {
        const gd = document.querySelector('#map .js-plotly-plot');
        const proj = gd._fullLayout.geo._subplot.projection;
        return {px: pts.map(p => proj(p)), w: gd._fullLayout.width, h: gd._fullLayout.height}; }""", points)
    proj = Projection(figures.GEO_VIEW)
    vx, vy, vw, vh = (v * UNITS for v in proj.view_box)
    scale = min(got["w"] / vw, got["h"] / vh)
    ox = (got["w"] - vw * scale) / 2 - vx * scale
    oy = (got["h"] - vh * scale) / 2 - vy * scale
    for (lon, lat), (px, py) in zip(points, got["px"], strict=True):
        sx, sy = proj(lon, lat)
        assert abs(ox + sx * scale - px) < 1.0 and abs(oy + sy * scale - py) < 1.0, (lon, lat)


@pytest.mark.parametrize("query", ["?layer=fh_status&year=1997", "?layer=refugees_hosted_per_1000&year=1995"])
def test_prerendered_page_gives_way_to_the_live_page(browser, live_server, query: str) -> None:
    # without scripts: the static copy of the page shows the map as a picture, in the very box
    # the live page's map takes
    box = """() => { const m = document.querySelector('.map-graph').getBoundingClientRect();
        const main = document.querySelector('.main').getBoundingClientRect();
        return [m.x, m.y - main.y, m.width, m.height].map(Math.round); }"""
    ctx = browser.new_context(viewport={"width": 1400, "height": 950}, java_script_enabled=False)
    page = ctx.new_page()
    page.goto(live_server + "/" + query)
    page.wait_for_function("() => document.querySelector('#prerender .map-poster').naturalWidth > 0")
    static_box = page.evaluate(box)
    ctx.close()
    ctx = browser.new_context(viewport={"width": 1400, "height": 950})
    page = ctx.new_page()
    page.goto(live_server + "/" + query)
    page.wait_for_function("() => window.Atlas && window.Atlas.app.state()")
    page.mouse.move(5, 5)  # the first move loads plotly.js
    page.wait_for_selector("#map .choroplethlayer path")
    page.wait_for_selector("#map-poster.done", state="attached")
    page.wait_for_load_state("networkidle")
    assert page.evaluate(box) == static_box
    assert page.evaluate("() => document.getElementById('prerender')") is None
    dupes = page.evaluate("""() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
        return ids.filter((id, i) => ids.indexOf(id) !== i); }""")
    assert dupes == []
    assert page.evaluate("() => getComputedStyle(document.getElementById('map-poster')).display") == "none"
    ctx.close()


def test_slider_keys_and_dragging_draw_the_map_without_the_server(probe) -> None:
    probe.goto("?layer=fh_status&year=1995")
    probe.page.wait_for_function(
        "() => document.querySelector('#map .js-plotly-plot').layout.meta.layer === 'fh_status'")
    before = probe.dash_updates()
    year = "() => document.querySelector('#map .js-plotly-plot').layout.annotations[0].text"
    probe.page.focus("#year-slider [role=slider]")
    probe.page.keyboard.press("End")
    probe.page.wait_for_function(f"() => ({year})() === '2026'")
    probe.page.keyboard.press("Home")
    probe.page.wait_for_function(f"() => ({year})() === '1991'")
    probe.page.keyboard.press("PageUp")
    probe.page.wait_for_function(f"() => ({year})() === '1996'")
    probe.page.wait_for_function("() => location.search.includes('year=1996')")
    assert probe.slider_value() == 1996
    # a burst of steps (a held key) ends where the keys say: map, slider and address agree
    for _ in range(8):
        probe.page.keyboard.press("ArrowRight")
    probe.page.wait_for_function("() => location.search.includes('year=2004')")
    probe.page.wait_for_timeout(300)
    assert probe.eval(year) == "2004" and probe.slider_value() == 2004
    # dragging the thumb: the map follows while the button is still down, always on the year
    # the thumb shows
    thumb = probe.page.locator("#year-slider [role=slider]").bounding_box()
    root = probe.page.locator("#year-slider .dash-slider-root").bounding_box()
    y = thumb["y"] + thumb["height"] / 2
    probe.page.mouse.move(thumb["x"] + thumb["width"] / 2, y)
    probe.page.mouse.down()
    now = "() => document.querySelector('#year-slider [role=slider]').getAttribute('aria-valuenow')"
    for i in range(1, 24):
        probe.page.mouse.move(root["x"] + root["width"] * i / 23.7, y)
        probe.page.wait_for_function(f"() => ({now})() === ({year})()")
    probe.page.mouse.move(root["x"] + root["width"] * 0.75, y)
    probe.page.wait_for_function(f"() => Number(({year})()) > 2010 && ({now})() === ({year})()")
    shown = int(probe.eval(year))
    probe.page.mouse.up()
    probe.page.wait_for_function(f"() => location.search.includes('year={shown}')")
    assert probe.slider_value() == shown
    probe.page.wait_for_timeout(300)
    assert probe.dash_updates() == before, "moving through the years called the server"
    assert probe.console_errors == []


def test_live_page_starts_from_the_address_view(probe) -> None:
    """The layout request carries the page's address (Referer): the live page starts on the
    address's layer and year, so the layer is never loaded a second time; its payload is a file
    the page's head preloads (dashboard/views/page_data.py), not a callback."""
    probe.goto("?layer=refugees_hosted_per_1000&year=1995")
    urls: list[str] = []
    probe.page.on("request", lambda r: urls.append(r.url))
    probe.goto("?layer=fh_status&year=1997")
    assert probe.eval("() => document.querySelector('#map .js-plotly-plot').layout.meta.layer") == "fh_status"
    assert not [u for u in urls if "_dash-update" in u], "the page called the server on load"
    layers = [u.split("/atlas/layer/")[1].split("?")[0] for u in urls if "/atlas/layer/" in u]
    assert layers == ["fh_status.json"], layers
    assert probe.console_errors == []


def test_picture_stays_until_the_addressed_view_is_plotted(browser, live_server) -> None:
    """Without a Referer (a privacy setting) the live page starts from the default view's layout
    and the renderer asks for the address's layer. Until it arrives (here: held back), the map is
    not plotted with another view and the picture of the addressed view stays; then the map shows
    the address's view and the picture goes."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 950})
    page = ctx.new_page()
    held: list = []

    def hold_layer(route) -> None:  # type: ignore[no-untyped-def]
        if "/atlas/layer/fh_status.json" in route.request.url and not held:
            held.append(route)
            return
        route.continue_()

    def no_referrer(route) -> None:  # type: ignore[no-untyped-def]
        resp = route.fetch()
        route.fulfill(response=resp, headers={**resp.headers, "referrer-policy": "no-referrer"})

    page.route("**/atlas/layer/*", hold_layer)
    page.route(live_server + "/?layer=fh_status&year=1997", no_referrer)
    page.goto(live_server + "/?layer=fh_status&year=1997")
    page.wait_for_function("() => window.Atlas && window.Atlas.app.state() && "
                           "window.Atlas.app.state().layer === 'fh_status'")
    for _ in range(600):  # the layer's request reaches the route (a state, polled)
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the layer was not asked for"
    page.mouse.move(5, 5)  # the first move loads plotly.js: it is ready before the layer arrives
    page.wait_for_function("() => !!window.Plotly")
    shown = """() => { const gd = document.querySelector('#map .js-plotly-plot');
        return gd && gd.layout && gd.layout.meta
            ? gd.layout.meta.layer + ' ' + gd.layout.annotations[0].text : null; }"""
    assert page.evaluate(shown) is None  # nothing else plotted meanwhile
    poster = "() => getComputedStyle(document.getElementById('map-poster')).display"
    assert page.evaluate(poster) != "none"
    assert "fh_status" in page.get_attribute("#map-poster", "src")
    held[0].continue_()
    page.wait_for_function(f"() => ({shown})() === 'fh_status 1997'", timeout=30_000)
    page.wait_for_selector("#map-poster.done", state="attached")
    ctx.close()
