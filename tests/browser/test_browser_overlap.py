"""The overlap view (issue 13): states × organisations in the slider's year, in Chromium.

Every cell read from the DOM equals the memberships API's status; the view's one document is
loaded on its first use (never with the first page), a year step makes no request at all; a
state's row opens its panel and an organisation's column its map, by pointer and by keyboard."""

from __future__ import annotations

import csv
import json
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from dashboard.core.config import ISO3, ROOT

pytestmark = pytest.mark.browser

AXE = ROOT / ".cache" / "axe" / "package" / "axe.min.js"
ORGS = ("cis", "csto", "eurasian", "union_state", "central_asian", "guam", "sco", "eu", "nato", "eap")


def memberships(base: str, year: int) -> dict[tuple[str, str], dict[str, Any]]:
    with urllib.request.urlopen(f"{base}/api/v1/memberships?year={year}", timeout=20) as r:
        rows = json.loads(r.read())["rows"]
    return {(row["iso3"], row["org"]): row for row in rows}


def until(page: Any, js: str, arg: Any = None, timeout: float = 30.0) -> Any:
    """Poll a condition in the page (page.evaluate: the page's CSP forbids eval) until it holds."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(js, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout}s: {js[:160]}")
        page.wait_for_timeout(40)


def open_view(probe, query: str) -> None:
    probe.page.goto(probe.base + "/" + query)
    until(probe.page, "() => !!(window.Atlas && window.Atlas.app && window.Atlas.app.state())", timeout=45)
    probe.page.wait_for_load_state("networkidle", timeout=45_000)


def wait_grid(probe, year: int) -> None:
    until(probe.page,
        """(y) => { const t = document.querySelector('#overlap-grid .ov-table');
            return t && !document.getElementById('overlap-box').hidden && t.dataset.year === String(y) &&
              t.tBodies[0].rows.length === 15; }""", year)


def wait_counts(probe, year: int) -> None:
    until(probe.page,
        """(y) => { const gd = document.getElementById('overlap-counts');
            const marks = [...document.querySelectorAll('#overlap-counts .ov-mark')];
            if (!gd || !gd._fullLayout || gd.dataset.year !== String(y) || marks.length !== 10 ||
                document.querySelectorAll('#overlap-counts .scatterlayer .trace').length !== 10) return false;
            // each mark stands on its chart's axis at the year
            return marks.every((m, k) => { const xa = gd._fullLayout['xaxis' + (k ? k + 1 : '')];
              const x = xa._offset + xa.l2p(y);
              return m.dataset.year === String(y) && Math.abs(parseFloat(m.style.left) - x) < 1; }); }""",
          year)


def grid(probe) -> dict[tuple[str, str], dict[str, str]]:
    cells = probe.eval("""() => [...document.querySelectorAll('#overlap-grid .ov-table tbody tr')].flatMap(tr =>
        [...tr.querySelectorAll('td')].map(td => ({iso3: tr.dataset.iso3, org: td.dataset.org,
            status: td.dataset.status, label: td.textContent, title: td.title,
            bg: getComputedStyle(td).backgroundColor})))""")
    return {(c["iso3"], c["org"]): c for c in cells}


def rgb(hex_colour: str) -> str:
    n = int(hex_colour.lstrip("#"), 16)
    return f"rgb({n >> 16 & 255}, {n >> 8 & 255}, {n & 255})"


def legend_colours(base: str) -> dict[tuple[str, str], str]:
    with urllib.request.urlopen(f"{base}/api/v1/indicators", timeout=20) as r:
        inds = json.loads(r.read())["indicators"]
    return {(i["id"], c["id"]): c["color"] for i in inds if i["id"] in ORGS for c in i["classes"]}


def full_statuses(base: str) -> dict[str, set[str]]:
    """Per organisation, the statuses that are full membership (the catalogue's full_member flag)."""
    with urllib.request.urlopen(f"{base}/api/v1/indicators", timeout=20) as r:
        inds = json.loads(r.read())["indicators"]
    return {i["id"]: {c["id"] for c in i["classes"] if c["full_member"]} for i in inds if i["id"] in ORGS}


def server_calls(probe) -> list[str]:
    """Requests to the app (the browser's own favicon fetch, which comes when it likes, aside)."""
    return [u for u in probe.requests if u.startswith(probe.base) and "/_favicon" not in u]


def overlap_requests(probe) -> int:
    return sum("/api/v1/overlap" in u for u in probe.requests)


def test_every_cell_equals_the_memberships_api_and_the_slider_never_asks_the_server(probe) -> None:
    # the map first: the overlap document is not part of the first page
    open_view(probe, "?layer=cis&year=1995")
    assert overlap_requests(probe) == 0
    probe.page.click("#tab-overlap")
    wait_grid(probe, 1995)
    wait_counts(probe, 1995)
    probe.page.wait_for_load_state("networkidle")
    assert overlap_requests(probe) == 1
    colours = legend_colours(probe.base)
    before = len(server_calls(probe))
    for year in (1995, 2009, 2025):
        if year != 1995:
            probe.eval("(y) => window.Atlas.app.dispatch({type: 'year', year: y, via: 'key'})", year)
            wait_grid(probe, year)
            wait_counts(probe, year)
        shown = grid(probe)
        assert len(shown) == 15 * len(ORGS)
        after = len(server_calls(probe))
        want = memberships(probe.base, year)  # (from Python, not the page)
        for iso3 in ISO3:
            for org in ORGS:
                cell, row = shown[(iso3, org)], want[(iso3, org)]
                assert (cell["status"], cell["label"]) == (row["status"], row["status_label"]), (year, iso3, org)
                assert cell["bg"] == rgb(colours[(org, row["status"])]), (year, iso3, org)
                assert f"{year}: {row['status_label']}." in cell["title"]
                if row["basis"]:
                    assert f"Basis: {row['basis']}" in cell["title"]
                if row["source"]:
                    assert f"Source: {row['source']}" in cell["title"]
        assert after == before, server_calls(probe)[before:]  # no request at all for a year step
    # the slider itself (a drag's key steps): still no request
    probe.page.focus("#year-slider [role=slider]")
    for _ in range(3):
        probe.page.keyboard.press("ArrowLeft")
    wait_grid(probe, 2022)
    assert len(server_calls(probe)) == before
    assert "view=overlap" in probe.page.url and "year=2022" in probe.page.url
    # the members row and the counts chart agree
    foot = probe.eval("""() => [...document.querySelectorAll('#overlap-grid tfoot td')].map(
        td => [td.dataset.org, Number(td.textContent)])""")
    counts = probe.eval("""() => { const gd = document.getElementById('overlap-counts');
        return gd.data.map(t => t.y[t.x.indexOf(2022)]); }""")
    assert [n for _, n in foot] == counts
    # they count full members only: an associate (Turkmenistan in the CIS), a frozen participation
    # or a founding state without the Charter are member statuses on the map, not counted
    members, full = memberships(probe.base, 2022), full_statuses(probe.base)
    assert dict(foot) == {org: sum(members[(c, org)]["status"] in full[org] for c in ISO3) for org in ORGS}
    assert dict(foot)["cis"] == 9 and members[("TKM", "cis")]["member"]  # (member statuses: 10)
    assert probe.page.inner_text("#overlap-grid tfoot th") == "Full members"
    assert probe.page.text_content("#overlap-counts .gtitle") == "Full members by year"
    # the map layer's own legend and downloads are not shown under this view (it has its own)
    for sel in ("#download-menu", "#legend"):
        assert not probe.page.is_visible(sel), sel
    assert probe.console_errors == []


def test_a_row_opens_the_panel_and_a_column_the_organisations_map(probe) -> None:
    open_view(probe, "?view=overlap&year=2009")
    wait_grid(probe, 2009)
    probe.page.click("#overlap-grid .ov-state[data-iso3=GEO]")
    probe.page.wait_for_selector("#country-panel:not([hidden])")
    assert "country=GEO" in probe.page.url and "view=overlap" in probe.page.url
    probe.page.wait_for_selector("#overlap-grid tr.ov-selected[data-iso3=GEO]")
    # keyboard: a state's button, then Enter
    probe.page.focus("#overlap-grid .ov-state[data-iso3=ARM]")
    probe.page.keyboard.press("Enter")
    until(probe.page, "() => window.Atlas.app.state().country === 'ARM'")
    assert "country=ARM" in probe.page.url
    # a column header: that organisation's layer on the map, one history entry
    length = probe.eval("() => history.length")
    probe.page.click("#overlap-grid .ov-org[data-layer=csto]")
    until(probe.page, "() => { const s = window.Atlas.app.state(); return s.view === 'map' && s.layer === 'csto'; }")
    assert probe.eval("() => history.length") == length + 1
    assert "layer=csto" in probe.page.url and "view=" not in probe.page.url
    assert probe.page.is_visible("#map-box") and not probe.page.is_visible("#overlap-box")
    probe.page.mouse.move(5, 5)
    until(probe.page, "() => { const gd = document.querySelector('#map .js-plotly-plot'); return !!(gd && gd.layout && "
          "gd.layout.meta && gd.layout.meta.layer === 'csto'); }")
    # back: the overlap view again, the grid as it was
    probe.page.go_back()
    wait_grid(probe, 2009)
    assert "view=overlap" in probe.page.url
    # keyboard on a column: Tab to its button, Space
    probe.page.focus("#overlap-grid .ov-org[data-layer=eu]")
    probe.page.keyboard.press("Enter")
    until(probe.page, "() => { const s = window.Atlas.app.state(); return s.view === 'map' && s.layer === 'eu'; }")
    assert probe.console_errors == []


def test_downloads_csv_of_the_grid_and_the_counts(probe) -> None:
    open_view(probe, "?view=overlap&year=2025")
    wait_grid(probe, 2025)
    with probe.page.expect_download() as dl:
        probe.page.click("#overlap-csv")
    text = Path(dl.value.path()).read_text(encoding="utf-8").splitlines()
    assert dl.value.suggested_filename == "overlap_2025.csv"
    assert text[0] == "year,iso3,country,org,organisation,status,status_label,member,full_member,basis,source"
    assert len(text) == 1 + 15 * len(ORGS)
    want, full = memberships(probe.base, 2025), full_statuses(probe.base)
    for row in csv.DictReader(text):
        assert row["status"] == want[(row["iso3"], row["org"])]["status"]
        assert row["full_member"] == ("true" if row["status"] in full[row["org"]] else "false")
    with probe.page.expect_download() as dl2:
        probe.page.click("#overlap-counts-csv")
    assert dl2.value.suggested_filename == "overlap_full_members_by_year.csv"
    counts = Path(dl2.value.path()).read_text(encoding="utf-8").splitlines()
    assert counts[0] == "year," + ",".join(ORGS) and len(counts) == 1 + 36
    foot = probe.eval("() => [...document.querySelectorAll('#overlap-grid tfoot td')].map(td => td.textContent)")
    assert counts[-2].split(",")[1:] == foot  # 2025, the year shown
    assert foot[ORGS.index("csto")] == "5" and want[("ARM", "csto")]["status"] == "frozen"  # not counted
    wait_counts(probe, 2025)
    with probe.page.expect_download() as dl3:
        probe.page.click("#overlap-svg")
    assert dl3.value.suggested_filename == "overlap_full_members_by_year_2025.svg"
    svg = Path(dl3.value.path()).read_text(encoding="utf-8")
    assert "<svg" in svg[:2000] and "Full members of each organisation by year" in svg
    # the grid itself as a picture: every state, the full members, the legend and the source
    with probe.page.expect_download() as dl4:
        probe.page.click("#overlap-grid-svg")
    assert dl4.value.suggested_filename == "overlap_grid_2025.svg"
    grid_svg = Path(dl4.value.path()).read_text(encoding="utf-8")
    names = probe.eval("() => [...document.querySelectorAll('#overlap-grid .ov-state')].map(b => b.textContent)")
    assert len(names) == 15 and all(f">{name}<" in grid_svg for name in names)
    assert "Who belongs to what, 2025" in grid_svg and "Full members" in grid_svg and "Source: " in grid_svg
    colours = legend_colours(probe.base)
    assert all(colours[(org, want[(c, org)]["status"])].lower() in grid_svg.lower() for c in ISO3 for org in ORGS)
    with probe.page.expect_download() as dl5:
        probe.page.click("#overlap-grid-png")
    assert dl5.value.suggested_filename == "overlap_grid_2025.png"
    assert Path(dl5.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(("query", "viewport"), [
    ("?view=overlap&year=1995", (390, 844)),
    ("?view=overlap&year=2025&present=1", (1280, 720)),
    ("?view=overlap&year=2009&embed=1", (900, 640)),
])
def test_phone_presentation_and_embed_no_page_overflow(browser, live_server, query, viewport) -> None:
    ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = ctx.new_page()
    try:
        page.goto(live_server + "/" + query)
        page.wait_for_selector("#overlap-grid .ov-table", timeout=45_000)
        page.mouse.move(5, 5)
        page.wait_for_selector("#overlap-counts .scatterlayer .trace", state="attached", timeout=45_000)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport[0]
        # the grid scrolls inside its own box; every state's button can be reached
        assert page.evaluate("() => document.querySelectorAll('#overlap-grid .ov-state').length") == 15
        if "present=1" in query:
            size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('.ov-state')).fontSize)")
            assert size >= 16
            # all fifteen states and the full members on screen, without scrolling the grid's box
            box = page.evaluate("""() => { const g = document.getElementById('overlap-grid').getBoundingClientRect();
                const f = document.querySelector('#overlap-grid tfoot tr').getBoundingClientRect();
                return [f.bottom, g.bottom, innerHeight]; }""")
            assert box[0] <= box[1] + 0.5 and box[0] <= box[2], box
        if viewport[0] < 800:
            # a phone: the page scrolls, not a box inside it (the legend and downloads in the flow)
            assert page.evaluate("""() => { const g = document.getElementById('overlap-grid');
                return g.scrollHeight <= g.clientHeight + 1; }""")
    finally:
        ctx.close()


def test_axe_no_serious_violations_in_the_overlap_view(probe) -> None:
    if not AXE.exists():
        pytest.fail(f"{AXE} missing: scripts/test.sh fetches axe-core from npm")
    open_view(probe, "?view=overlap&year=2009&country=GEO")
    wait_grid(probe, 2009)
    probe.page.mouse.move(5, 5)
    wait_counts(probe, 2009)
    probe.eval(AXE.read_text(encoding="utf-8") + "\n;0")
    violations = probe.eval("""async () => {
        const r = await axe.run({include: [['#overlap-box']]}, {runOnly: {type: 'tag',
                                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                           .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}));
    }""")
    assert violations == [], violations
    assert probe.external == []


def test_the_story_step_opens_the_overlap_view_and_the_next_step_the_map(probe) -> None:
    from dashboard.web.app import load_story_dicts

    steps = load_story_dicts()["post_soviet_space"]["steps"]
    n = next(i for i, s in enumerate(steps) if s.get("view") == "overlap") + 1
    probe.goto(f"?story=post_soviet_space&step={n - 1}")  # the map of the step before, drawn
    probe.page.click("#story-next")
    wait_grid(probe, steps[n - 1]["year"])
    assert f"step={n}" in probe.page.url and "view=overlap" in probe.page.url
    assert probe.page.text_content("#story-step-title") == steps[n - 1]["title"]
    # the story's caption and buttons stay on screen, above the grid; the map does not
    assert probe.page.is_visible("#overlap-box") and probe.page.is_visible("#story-box")
    assert not probe.page.is_visible("#map")
    # the step's states are marked in the grid, as the map outlines them
    marked = probe.eval("() => [...document.querySelectorAll('#overlap-grid tr.ov-hl')].map(tr => tr.dataset.iso3)")
    assert sorted(marked) == sorted(steps[n - 1]["countries"])
    probe.page.click("#story-next")
    until(probe.page, "(n) => new URLSearchParams(location.search).get('step') === String(n)", n + 1)
    assert "view=" not in probe.page.url and probe.page.is_visible("#map") and not probe.page.is_visible("#overlap-box")
    probe.page.go_back()
    wait_grid(probe, steps[n - 1]["year"])
    assert probe.console_errors == []
