"""Every state visible and reachable (issue "Every state visible and reachable"): regions, the
country picker, the panel beside the map, years with data. In headless Chromium."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import PageProbe

pytestmark = pytest.mark.browser

SIZES = [(390, 844), (1280, 720), (1920, 1080)]


def _probe(browser: Any, base: str, size: tuple[int, int]) -> tuple[Any, PageProbe]:
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
    return ctx, PageProbe(ctx.new_page(), base)


def _box(probe: PageProbe, sel: str) -> list[float]:
    return probe.eval("""(s) => { const r = document.querySelector(s).getBoundingClientRect();
        return [r.left + scrollX, r.top + scrollY, r.right + scrollX, r.bottom + scrollY]; }""", sel)


def _meets(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_a_layer_without_data_in_the_year_shows_its_latest_year_with_a_notice(probe) -> None:
    probe.goto("?layer=net_migration&year=2025")
    probe.page.wait_for_function("() => document.querySelector('#map .js-plotly-plot').layout.annotations[0].text"
                                 " === '2023'")
    assert "year=2023" in probe.page.url
    assert "2023" in probe.page.inner_text("#notice") and "2025" in probe.page.inner_text("#notice")
    # switching to such a layer in a later year moves too, and says so
    probe.eval("() => window.Atlas.app.dispatch({type: 'layer', layer: 'polity2'})")
    probe.page.wait_for_function("() => location.search.includes('layer=polity2&year=2018')")
    assert "2018" in probe.page.inner_text("#notice")


@pytest.mark.parametrize("size", SIZES)
def test_picking_a_country_by_name_opens_a_panel_that_covers_no_control(browser, live_server, size) -> None:
    ctx, probe = _probe(browser, live_server, size)
    try:
        probe.goto("?layer=cis&year=2015")
        probe.page.click("#country-picker")
        # the menu's search box has the focus before anything is typed (on a busy machine the
        # menu opens a frame later; keys typed before would go nowhere)
        probe.page.wait_for_selector("input.dash-dropdown-search:focus", timeout=10_000)
        probe.page.keyboard.type("Armen")
        probe.page.keyboard.press("Enter")
        probe.page.wait_for_selector("#country-panel:not([hidden])")
        probe.page.wait_for_function("() => document.querySelector('#panel-title').textContent.startsWith('Armenia')")
        assert "country=ARM" in probe.page.url
        probe.page.wait_for_selector("#panel-series .strip-cell, #panel-series .js-plotly-plot")
        panel = _box(probe, "#country-panel")
        for sel in ("#year-slider", "#year-slider input", "#play-button"):
            assert not _meets(panel, _box(probe, sel)), (sel, size)
        assert probe.console_errors == []
    finally:
        ctx.close()


@pytest.mark.parametrize("size", [(1280, 720), (390, 844)])
@pytest.mark.parametrize(("region", "inside"), [("caucasus", ["ARM", "AZE", "GEO"]),
                                                ("west", ["MDA", "LTU", "LVA", "EST", "BLR", "UKR"]),
                                                ("central_asia", ["KAZ", "KGZ", "TJK", "TKM", "UZB"])])
def test_a_region_shows_its_states_large(browser, live_server, size, region: str, inside: list[str]) -> None:
    """Every state is a target of at least 24×24 px one click away from the whole space (WCAG 2.2)."""
    ctx, probe = _probe(browser, live_server, size)
    try:
        _region_shows_its_states_large(probe, region, inside)
    finally:
        ctx.close()


def _region_shows_its_states_large(probe: PageProbe, region: str, inside: list[str]) -> None:
    probe.goto(f"?layer=cis&year=2009&region={region}")
    probe.page.wait_for_function("(r) => document.querySelector('#map .js-plotly-plot').layout.meta.region === r",
                                 arg=region)
    sizes = probe.eval("""(isos) => isos.map(iso => {
        const ps = [...document.querySelectorAll('#map .choroplethlayer path.choroplethlocation')]
            .filter(p => p.__data__ && p.__data__.loc === iso && p.closest('.trace').querySelector('path'));
        const r = ps.map(p => p.getBoundingClientRect())
            .reduce((a, b) => b.width * b.height > a.width * a.height ? b : a);
        return [iso, Math.round(r.width), Math.round(r.height)]; })""", inside)
    for iso, w, h in sizes:
        assert w >= 24 and h >= 24, (iso, w, h)
    # the region is in the address and survives a reload
    assert f"region={region}" in probe.page.url
    probe.eval("() => window.Atlas.app.dispatch({type: 'region', region: 'all'})")
    probe.page.wait_for_function("() => !location.search.includes('region=')")


LABELS = """() => [...document.querySelectorAll('#map .scatterlayer .scattergeo text')]
    .filter(n => n.style.visibility !== 'hidden')
    .map(n => { const r = n.getBoundingClientRect();
                return [r.left, r.top, r.right, r.bottom, parseFloat(getComputedStyle(n).fontSize)]; })"""


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("query", ["?layer=cis&year=2009", "?layer=cis&year=2009&region=west",
                                   "?layer=cis&year=2009&region=central_asia",
                                   "?story=post_soviet_space&step=9&present=1"])
def test_labels_never_overlap_and_are_large_enough(browser, live_server, size, query: str) -> None:
    ctx, probe = _probe(browser, live_server, size)
    try:
        probe.goto(query)
        probe.page.wait_for_function("() => document.querySelectorAll('#map .scatterlayer .scattergeo text').length")
        labels = probe.eval(LABELS)
        assert labels, "no label shown"
        for i, a in enumerate(labels):
            for b in labels[i + 1:]:
                assert not _meets(a[:4], b[:4]), (a, b)
        smallest = min(lab[4] for lab in labels)
        assert smallest >= (18 if "present" in query else 12)
        if "present" in query and size == (1920, 1080):
            caption = probe.eval("() => parseFloat(getComputedStyle("
                                 "document.querySelector('#story-caption')).fontSize)")
            marks = probe.eval("""() => Math.min(...[...document.querySelectorAll('#year-slider .dash-slider-mark')]
                .map(m => parseFloat(getComputedStyle(m).fontSize)))""")
            assert caption >= 24 and marks >= 16, (caption, marks)
    finally:
        ctx.close()
