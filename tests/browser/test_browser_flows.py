"""The flows view (view=flows, issue 13): bilateral displacement in Chromium.

What the page draws (the bars' figure, its text alternative, the map) is checked against the
snapshot of UNHCR's pairs the pipeline reads (data/sources/migration/unhcr_bilateral_post_soviet.csv);
the pairs reach the browser on the view's first use only, once per state and direction."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from dashboard.core.config import ISO3, ROOT

pytestmark = pytest.mark.browser

SNAPSHOT = ROOT / "data" / "sources" / "migration" / "unhcr_bilateral_post_soviet.csv"
AXE = Path(__file__).resolve().parents[2] / ".cache" / "axe" / "package" / "axe.min.js"


@pytest.fixture(scope="module")
def snapshot() -> pd.DataFrame:
    return pd.read_csv(SNAPSHOT, keep_default_na=False, na_values=[""])


def expected(snapshot: pd.DataFrame, iso3: str, year: int, flow: str = "out") -> list[tuple[str, int]]:
    """(partner, refugees + asylum-seekers) of the snapshot, largest first, ties by code."""
    side, other = ("coo_iso", "coa_iso") if flow == "out" else ("coa_iso", "coo_iso")
    rows = snapshot[(snapshot[side] == iso3) & (snapshot.year == year)
                    & snapshot.indicator.isin(["refugees", "asylum_seekers"]) & (snapshot.value > 0)]
    sums = rows.groupby(other)["value"].sum()
    return sorted(((str(k), int(v)) for k, v in sums.items()), key=lambda kv: (-kv[1], kv[0]))


def open_flows(probe, query: str) -> None:
    probe.page.goto(probe.base + "/" + query)
    probe.page.wait_for_function("() => window.Atlas && window.Atlas.app && window.Atlas.app.state()",
                                 timeout=45_000)
    probe.page.mouse.move(5, 5)


def wait_flows(probe, iso3: str, year: int, flow: str = "out") -> None:
    """The bars and the map show the state, year and direction (and the map is drawn)."""
    probe.page.wait_for_function(
        """([iso, y, f]) => ['flows-chart', 'flows-map'].every(id => {
              const gd = document.getElementById(id), m = gd && gd.layout && gd.layout.meta;
              return m && m.iso3 === iso && m.year === y && m.flow === f; }) &&
            !!document.querySelector('#flows-map .choroplethlayer path')""",
        arg=[iso3, year, flow], timeout=45_000)


def shown(probe) -> dict[str, Any]:
    """What the page shows: the bars' labels and values (the figure's text trace), the hidden
    table's rows and the total written under the figures."""
    return probe.eval("""() => {
        const gd = document.getElementById('flows-chart');
        const t = gd.data.find(d => d.name === 'values');
        const num = td => Number(td.textContent.replace(/,/g, ''));
        const rows = [...document.querySelectorAll('#flows-table tbody tr')].map(tr =>
            [tr.querySelector('th').textContent, ...[...tr.querySelectorAll('td')].map(num)]);
        return {codes: t.customdata, values: t.x, labels: gd.layout.yaxis.ticktext, rows,
                meta: gd.layout.meta, note: document.getElementById('flows-note').innerText,
                title: document.getElementById('flows-title').textContent,
                shaded: document.getElementById('flows-map').layout.meta.shaded,
                address: location.search}; }""")


@pytest.mark.parametrize(("iso3", "year"), [("UKR", 2022), ("TJK", 1993)])
def test_top_partners_and_values_equal_the_snapshots_pairs(probe, snapshot, iso3: str, year: int) -> None:
    open_flows(probe, f"?view=flows&country={iso3}&year={year}")
    wait_flows(probe, iso3, year)
    got = shown(probe)
    want = expected(snapshot, iso3, year)
    top = want[:10]
    codes = got["codes"]
    listed = [c for c in codes if c != "others"]
    assert [(c, v) for c, v in zip(listed, got["values"], strict=False)] == top
    total = sum(v for _, v in want)
    others = total - sum(v for _, v in top)
    if len(want) > 10:
        assert codes[-1] == "others" and got["values"][-1] == others
        assert got["labels"][-1] == f"Others ({len(want) - 10} countries)"
    else:
        assert "others" not in codes
    # the text alternative: the same rows, then the total; listed + others = total
    body = got["rows"]
    assert body[-1][0] == "Total" and body[-1][3] == total
    assert sum(r[3] for r in body[:-1]) == total
    assert [r[3] for r in body[:len(top)]] == [v for _, v in top]
    assert f"= total {total:,}" in got["note"]
    # refugees equal the refugees layer of that year (the published edition's pairs are unrounded)
    assert "the same as the layer Refugees by country of origin" in got["note"]
    # partners outside the 15 are on the map
    assert set(got["shaded"]) >= {c for c, _ in top if c not in ("UNK", "XXA")} - {"USA", "CAN"}
    if iso3 == "UKR":
        assert {"POL", "DEU", "CZE"} <= set(listed)
    assert probe.console_errors == []


def test_the_pairs_load_on_first_use_only_once_per_state_and_the_slider_asks_nothing(probe) -> None:
    open_flows(probe, "?layer=refugees_origin&year=2022")
    probe.page.wait_for_load_state("networkidle", timeout=45_000)
    assert not any("/api/v1/flows" in u or "flowsview" in u or "flows-world" in u for u in probe.requests)
    probe.page.click("#tab-flows")
    wait_flows(probe, "UKR", 2022)
    got = shown(probe)
    assert "no state chosen: Ukraine is shown" in got["title"]
    assert "view=flows" in got["address"]
    asked = [u for u in probe.requests if "/api/v1/flows" in u]
    assert len(asked) == 1 and "origin=UKR" in asked[0]
    for year in (2021, 2020, 2019):
        probe.page.keyboard.press("ArrowLeft")
        wait_flows(probe, "UKR", year)
    assert [u for u in probe.requests if "/api/v1/flows" in u] == asked
    # another state through the view's own field; the direction through its radio
    probe.page.select_option("#flows-controls select", "TJK")
    wait_flows(probe, "TJK", 2019)
    assert "country=TJK" in probe.eval("() => location.search")
    assert probe.eval("() => document.getElementById('country-panel').hidden")   # no panel over the view
    probe.page.check("#flows-controls input[value=in]")
    wait_flows(probe, "TJK", 2019, "in")
    got = shown(probe)
    assert "flow=in" in got["address"] and got["title"].startswith("Refugees and asylum-seekers hosted by Tajikistan")
    probe.page.go_back()
    wait_flows(probe, "TJK", 2019, "out")
    # the CSV link is the pairs shown
    href = probe.page.get_attribute("#flows-csv", "href")
    assert href == "/api/v1/flows?origin=TJK&year=2019&indicator=refugees,asylum_seekers&format=csv"
    assert probe.console_errors == []


def test_unknown_and_stateless_keep_unhcrs_codes_and_say_what_they_mean(probe, snapshot) -> None:
    want = expected(snapshot, "KAZ", 2024, "in")
    assert any(c == "UNK" for c, _ in want[:10])
    open_flows(probe, "?view=flows&country=KAZ&year=2024&flow=in")
    wait_flows(probe, "KAZ", 2024, "in")
    got = shown(probe)
    assert "UNK" in got["codes"] and "Unknown (UNK)" in got["labels"]
    assert "UNK = Unknown:" in got["note"]
    assert "UNK" not in got["shaded"]                    # not a country: never on the map


def test_story_step_opens_the_flows_view(probe) -> None:
    open_flows(probe, "?story=post_soviet_space&step=14")
    wait_flows(probe, "UKR", 2022)
    assert probe.eval("() => window.Atlas.app.state().view") == "flows"
    assert "the story step's state" in shown(probe)["title"]
    probe.page.click("#story-next")
    probe.page.wait_for_function("() => window.Atlas.app.state().step === 14")
    assert probe.eval("() => window.Atlas.app.state().view") == "map"
    assert probe.eval("() => document.getElementById('flows-box').hidden")


@pytest.mark.parametrize("query", ["?view=flows&country=UKR&year=2022&present=1",
                                   "?view=flows&country=UKR&year=2022&embed=1"])
def test_presentation_and_embed(probe, query: str) -> None:
    open_flows(probe, query)
    wait_flows(probe, "UKR", 2022)
    box = probe.page.locator("#flows-map").bounding_box()
    assert box and box["width"] > 300 and box["height"] > 180
    assert probe.eval("() => document.documentElement.scrollWidth <= window.innerWidth")
    if "present=1" in query:
        assert probe.eval("() => document.getElementById('app-root').classList.contains('presenting')")
        size = probe.eval("() => document.getElementById('flows-chart').layout.font.size")
        assert size >= 18


def test_phone_no_horizontal_overflow(browser, live_server) -> None:
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    page.goto(live_server + "/?view=flows&country=UKR&year=2022")
    page.wait_for_function("() => window.Atlas && window.Atlas.app.state()")
    page.mouse.move(5, 5)
    page.wait_for_selector("#flows-map .choroplethlayer path", state="attached", timeout=45_000)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    for sel in ("#flows-chart", "#flows-map", "#flows-controls select"):
        b = page.locator(sel).bounding_box()
        assert b and b["x"] >= 0 and b["x"] + b["width"] <= 391, sel
    ctx.close()


def test_axe_no_serious_violations_in_the_flows_view(probe) -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} missing: scripts/test.sh fetches axe-core from npm")
    open_flows(probe, "?view=flows&country=UKR&year=2022")
    wait_flows(probe, "UKR", 2022)
    probe.eval(AXE.read_text(encoding="utf-8") + "\n;0")
    violations = probe.eval("""async () => {
        const r = await axe.run(document.getElementById('flows-box'), {runOnly: {type: 'tag',
                                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                           .map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))})); }""")
    assert violations == [], json.dumps(violations)
    # the chart's text alternative is a real table with a caption
    assert probe.eval("() => document.querySelector('#flows-table caption').textContent").startswith(
        "Refugees and asylum-seekers from Ukraine, 2022")


def test_every_state_has_a_drawable_flows_view(probe) -> None:
    """Each of the 15 states and both directions: the bars' total equals the API's pairs."""
    open_flows(probe, "?view=flows&country=ARM&year=1995")
    wait_flows(probe, "ARM", 1995)
    for iso3 in ISO3[:4]:
        probe.eval("(iso) => window.Atlas.app.dispatch({type: 'country', iso3: iso})", iso3)
        wait_flows(probe, iso3, 1995)
        meta = shown(probe)["meta"]
        assert sum(p[1] + p[2] for p in meta["partners"]) == meta["total"]


def test_share_and_cite_name_what_the_flows_view_shows(probe) -> None:
    open_flows(probe, "?view=flows&country=UKR&year=2022")
    wait_flows(probe, "UKR", 2022)
    probe.page.click("#share-box summary")
    probe.page.wait_for_function("() => document.getElementById('cite-text').textContent.length > 0")
    cite = probe.page.inner_text("#cite-text")
    assert "Refugees and asylum-seekers from Ukraine, 2022, by country of asylum (flows)" in cite
    assert "UNHCR" in cite and "view=flows" in cite


def test_downloads_the_pairs_shown_and_both_figures_as_png_and_svg(browser, live_server, snapshot) -> None:
    ctx = browser.new_context(viewport={"width": 1400, "height": 950}, accept_downloads=True)
    page = ctx.new_page()
    try:
        page.goto(live_server + "/?view=flows&country=UKR&year=2022")
        page.wait_for_function("() => window.Atlas && window.Atlas.app && window.Atlas.app.state()", timeout=45_000)
        page.mouse.move(5, 5)
        page.wait_for_function("""() => ['flows-chart', 'flows-map'].every(id => {
            const m = (document.getElementById(id) || {}).layout; return m && m.meta && m.meta.iso3 === 'UKR' &&
            m.meta.year === 2022; }) && !!document.querySelector('#flows-map .choroplethlayer path')""", timeout=45_000)
        # the map layer's own legend and downloads are not shown under this view (it has its own)
        assert not page.is_visible("#download-menu") and not page.is_visible("#legend")
        with page.expect_download() as dl:
            page.click("#flows-csv")
        rows = pd.read_csv(dl.value.path(), keep_default_na=False, na_values=[""])
        assert set(rows.origin_iso3) == {"UKR"} and set(rows.year) == {2022}
        total = page.evaluate("() => document.getElementById('flows-chart').layout.meta.total")
        assert int(rows.value.sum()) == total == sum(v for _, v in expected(snapshot, "UKR", 2022))
        title = page.inner_text("#flows-title")
        for plot in ("chart", "map"):
            with page.expect_download() as png:
                page.click(f"button.flows-picture[data-plot=flows-{plot}][data-format=png]")
            assert png.value.suggested_filename == f"flows_UKR_2022_out_{plot}.png"
            assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            with page.expect_download() as svg:
                page.click(f"button.flows-picture[data-plot=flows-{plot}][data-format=svg]")
            text = Path(svg.value.path()).read_text(encoding="utf-8")
            assert text.lstrip().startswith("<svg") and title in text and "Source: UNHCR" in text
            if plot == "chart":
                assert "Germany" in text and "Others (68 countries)" in text
    finally:
        ctx.close()


@pytest.mark.parametrize("viewport", [(1920, 1080), (1280, 720)])
def test_presentation_bars_values_inside_the_chart_and_the_slider_on_screen(browser, live_server, viewport) -> None:
    ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = ctx.new_page()
    try:
        page.goto(live_server + "/?view=flows&country=UKR&year=2022&present=1")
        page.wait_for_function("() => window.Atlas && window.Atlas.app && window.Atlas.app.state()", timeout=45_000)
        page.mouse.move(5, 5)
        page.wait_for_function("""() => { const gd = document.getElementById('flows-chart');
            return gd && gd.layout && gd.layout.meta && gd.layout.meta.iso3 === 'UKR' &&
                   document.querySelectorAll('#flows-chart .textpoint text').length === 11 &&
                   !!document.querySelector('#flows-map .choroplethlayer path'); }""", timeout=45_000)
        # every value written after its bar ends inside the chart (none clipped at its right edge)
        ends = page.evaluate("""() => { const r = document.getElementById('flows-chart').getBoundingClientRect();
            return [...document.querySelectorAll('#flows-chart .textpoint text')].map(
                t => [t.textContent, t.getBoundingClientRect().right, r.right]); }""")
        assert all(right <= chart_right + 0.5 for _, right, chart_right in ends), ends
        if viewport == (1920, 1080):
            # a full-HD screen holds the whole view and the year's slider under it
            bottom = page.evaluate("() => document.getElementById('year-slider').getBoundingClientRect().bottom")
            assert bottom <= viewport[1], bottom
    finally:
        ctx.close()
