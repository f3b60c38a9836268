"""One view state (issue "One view state"): each defect found by trying the atlas as a new user
would, reproduced in Chromium. Stories, links, history, presentation and the data table must never
disagree with the map."""

from __future__ import annotations

import csv
import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from dashboard.core.data import get_data
from dashboard.core.stories import load_stories
from dashboard.export import downloads

pytestmark = pytest.mark.browser

STORY = "post_soviet_space"


def steps() -> list[Any]:
    return load_stories()[STORY].steps


def state(probe) -> dict[str, Any]:
    return probe.eval("() => window.Atlas.app.state()")


def shown(probe) -> dict[str, Any]:
    """What the map, the story box and the address show."""
    return probe.eval("""() => {
        const gd = document.querySelector('#map .js-plotly-plot');
        const q = new URLSearchParams(location.search);
        return {layer: gd.layout.meta.layer, year: Number(gd.layout.annotations[0].text),
                title: document.querySelector('#story-step-title').textContent,
                count: document.querySelector('#story-count').textContent,
                step: q.get('step'), addr_layer: q.get('layer'), addr_year: q.get('year')}; }""")


def wait_step(probe, n: int) -> None:
    """Step n (from 1) of the story is on screen: caption, count, map and address agree (a step
    that opens another view, steps[].view: that view's box and the address's view=)."""
    st = steps()[n - 1]
    if st.view == "flows":  # a step that opens the flows view: its figures show the step's state and year
        probe.page.wait_for_function(
            """([t, n, iso, year]) => {
                const gd = document.getElementById('flows-chart'), m = gd && gd.layout && gd.layout.meta;
                return document.querySelector('#story-step-title').textContent === t &&
                  document.querySelector('#story-count').textContent.startsWith('Step ' + n + ' of') &&
                  m && m.iso3 === iso && m.year === year &&
                  new URLSearchParams(location.search).get('step') === String(n); }""",
            arg=[st.title, n, st.countries[0], st.year], timeout=15_000)
        return
    probe.page.wait_for_function(
        """([t, n, layer, year, view]) => {
            const gd = document.querySelector('#map .js-plotly-plot');
            const q = new URLSearchParams(location.search);
            const shown = view ? q.get('view') === view && q.get('layer') === layer && q.get('year') === String(year)
              : gd && gd.layout.meta.layer === layer && gd.layout.annotations[0].text === String(year);
            return document.querySelector('#story-step-title').textContent === t &&
              document.querySelector('#story-count').textContent.startsWith('Step ' + n + ' of') &&
              shown && q.get('step') === String(n); }""",
        arg=[st.title, n, st.layer, st.year, st.view], timeout=15_000)
    if st.view:
        probe.page.wait_for_selector(f"#{st.view}-box:not([hidden])")


def open_story(probe, n: int = 1, extra: str = "") -> None:
    probe.goto(f"?story={STORY}&step={n}{extra}")
    probe.page.wait_for_selector("#story-box:not([hidden])")
    wait_step(probe, n)


def test_next_visits_every_step_in_order_and_the_map_follows(probe) -> None:
    open_story(probe)
    n = len(steps())
    for i in range(2, n + 1):
        probe.page.click("#story-next")
        wait_step(probe, i)
    assert probe.page.is_disabled("#story-next")
    for i in range(n - 1, n - 4, -1):
        probe.page.click("#story-prev")
        wait_step(probe, i)
    assert probe.console_errors == []


def test_arrows_inside_a_story_move_between_steps(probe) -> None:
    open_story(probe, 3)
    probe.page.locator("#story-count").click()
    probe.page.keyboard.press("ArrowRight")
    wait_step(probe, 4)
    probe.page.keyboard.press("ArrowRight")
    wait_step(probe, 5)
    probe.page.keyboard.press("ArrowLeft")
    wait_step(probe, 4)


def test_play_in_a_story_visits_every_step_and_stops_at_the_last(probe) -> None:
    n = len(steps())
    open_story(probe, n - 3)
    probe.page.click("#play-button")
    probe.page.wait_for_selector("#play-button[aria-pressed=true]")
    seen = []
    # the play timer's ticks, made at once (the timer only produces these actions)
    for _ in range(5):
        probe.eval("() => window.Atlas.app.dispatch({type: 'tick'})")
        seen.append(state(probe)["step"] + 1)
    assert seen == [n - 2, n - 1, n, n, n]
    wait_step(probe, n)
    probe.page.wait_for_selector("#play-button[aria-pressed=false]")


def test_next_while_playing_stops_playback(probe) -> None:
    open_story(probe, 2)
    probe.page.click("#play-button")
    probe.page.wait_for_selector("#play-button[aria-pressed=true]")
    probe.page.click("#story-next")
    wait_step(probe, 3)
    probe.page.wait_for_selector("#play-button[aria-pressed=false]")
    assert state(probe)["playing"] is False
    assert state(probe)["step"] == 2


def test_play_at_the_last_step_starts_the_story_again(probe) -> None:
    n = len(steps())
    open_story(probe, n)
    probe.page.click("#play-button")
    wait_step(probe, 1)  # never the years under the last caption
    s = shown(probe)
    assert s["year"] == steps()[0].year


def test_back_and_forward_walk_the_steps(probe) -> None:
    open_story(probe, 1)
    for i in (2, 3, 4):
        probe.page.click("#story-next")
        wait_step(probe, i)
    probe.page.go_back()
    wait_step(probe, 3)
    probe.page.go_back()
    wait_step(probe, 2)
    probe.page.go_forward()
    wait_step(probe, 3)
    s = shown(probe)
    assert s["addr_layer"] == s["layer"] == steps()[2].layer


def test_a_manual_year_change_leaves_the_story(probe) -> None:
    open_story(probe, 2)
    probe.eval("() => window.Atlas.app.dispatch({type: 'year', year: 2010, via: 'slider'})")
    probe.page.wait_for_selector("#story-box[hidden]", state="attached")
    probe.page.wait_for_function("() => !location.search.includes('story=')")
    assert "year=2010" in probe.page.url


def test_country_is_in_the_address_at_once_and_leaves_it_on_close(probe) -> None:
    probe.goto("?layer=cis&year=2000")
    probe.click_country("KAZ")
    probe.page.wait_for_function("() => location.search.includes('country=KAZ')", timeout=3000)
    probe.page.wait_for_selector("#country-panel:not([hidden])")
    probe.page.click("#panel-close")
    probe.page.wait_for_selector("#country-panel[hidden]", state="attached")
    assert "country=" not in probe.page.url
    # Back undoes the close (the panel opens again), Back again goes to before the click
    probe.page.go_back()
    probe.page.wait_for_selector("#country-panel:not([hidden])")
    assert "country=KAZ" in probe.page.url
    probe.page.go_back()
    probe.page.wait_for_selector("#country-panel[hidden]", state="attached")
    assert "country=" not in probe.page.url


def test_year_keys_make_one_history_entry(probe) -> None:
    probe.goto("?layer=cis&year=2000")
    before = probe.eval("() => history.length")
    probe.page.locator("h1").click()
    for _ in range(5):
        probe.page.keyboard.press("ArrowRight")
    probe.page.wait_for_function("() => location.search.includes('year=2005')")
    assert probe.eval("() => history.length") == before + 1
    probe.page.go_back()
    probe.page.wait_for_function("() => document.querySelector('#map .js-plotly-plot')"
                                 ".layout.annotations[0].text === '2000'")


@pytest.mark.parametrize(("query", "param"), [("?layer=nope&year=1995", "layer=nope"),
                                               ("?country=XXX&year=1995", "country=XXX")])
def test_invalid_parameters_leave_the_address_after_the_notice(probe, query: str, param: str) -> None:
    probe.goto(query)
    probe.page.wait_for_selector("#notice span")
    assert param not in probe.page.url
    assert "year=1995" in probe.page.url


def test_space_plays_in_presentation_mode_after_clicking_present(probe) -> None:
    probe.goto("?layer=cis&year=1995")
    probe.page.click("#present-button")
    probe.page.wait_for_selector("#app-root.presenting")
    probe.page.keyboard.press("Space")
    probe.page.wait_for_selector("#play-button[aria-pressed=true]")
    assert probe.page.locator("#app-root.presenting").count() == 1
    probe.page.keyboard.press("Space")
    probe.page.wait_for_selector("#play-button[aria-pressed=false]")
    # the arrows work whatever has focus
    probe.page.focus("#present-button")
    y = state(probe)["year"]
    probe.page.keyboard.press("ArrowLeft")
    probe.page.wait_for_function(f"() => location.search.includes('year={y - 1}')")


@pytest.mark.parametrize("size", [(1280, 720), (1366, 768), (1920, 1080)])
def test_story_controls_visible_in_presentation(browser, live_server, size: tuple[int, int]) -> None:
    from conftest import PageProbe

    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
    probe = PageProbe(ctx.new_page(), live_server)
    try:
        open_story(probe, 9, "&present=1")
        probe.page.wait_for_selector("#app-root.presenting")
        for sel in ("#story-prev", "#story-next", "#story-end", "#story-count"):
            box = probe.eval("""(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                const b = document.querySelector('#story-box').getBoundingClientRect();
                return [r.top, r.bottom, r.left, r.right, b.top, b.bottom, innerHeight, innerWidth]; }""", sel)
            top, bottom, left, right, btop, bbottom, vh, vw = box
            assert top >= 0 and bottom <= vh and left >= 0 and right <= vw, (sel, box)
            assert btop <= top and bottom <= bbottom + 0.5, (sel, box)  # not scrolled out of the box
    finally:
        ctx.close()


def test_data_tab_year_box_updates_grid_count_address_and_download(probe) -> None:
    probe.goto("?layer=cis&year=2000&view=data")
    probe.page.wait_for_selector("#data-table tbody tr.tbl-row", timeout=30_000)
    # (the table is drawn first; the range slider, a Dash component, follows from the server)
    probe.page.wait_for_selector("#data-years input", timeout=30_000)
    # the end year typed in the range slider's box, then Enter
    boxes = probe.page.locator("#data-years input")
    assert boxes.count() >= 2
    end = boxes.nth(boxes.count() - 1)
    end.fill("2000")
    end.press("Enter")
    probe.page.wait_for_function("() => new URLSearchParams(location.search).get('to') === '2000'")
    probe.page.wait_for_function("() => document.querySelector('#data-row-count').textContent.includes('1991–2000')")
    count = probe.page.inner_text("#data-row-count")
    n = int(count.split(" rows")[0].replace(",", ""))
    assert n == 15 * 10
    # the table follows too: its status line counts the same rows
    probe.page.wait_for_function("() => document.querySelector('#data-table .tbl-status').textContent"
                                 ".endsWith(' of 150')")
    # leaving the field works too
    start = boxes.nth(0)
    start.fill("1995")
    probe.page.locator("#data-row-count").click()
    probe.page.wait_for_function("() => new URLSearchParams(location.search).get('from') === '1995'")
    probe.page.wait_for_function("() => document.querySelector('#data-row-count').textContent.includes('1995–2000')")
    with probe.page.expect_download() as dl:
        probe.page.click("#download-table-csv")
    with open(dl.value.path(), encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 15 * 6
    assert {int(r["year"]) for r in rows} == set(range(1995, 2001))


AXE = Path(__file__).resolve().parents[2] / ".cache" / "axe" / "package" / "axe.min.js"


def _status(probe) -> str:
    return probe.page.inner_text("#data-table .tbl-status")


def _wait_status(probe, text: str) -> None:
    probe.page.wait_for_function("(t) => document.querySelector('#data-table .tbl-status').textContent === t", arg=text)


def test_data_table_sorts_filters_and_pages(probe) -> None:
    frame = downloads.table_rows(get_data(), ["fh_total"], None, 2012, 2024)
    n = len(frame)
    assert n > 50
    probe.goto("?view=data&indicators=fh_total&from=2012&to=2024")
    probe.page.wait_for_selector("#data-table tbody tr.tbl-row", timeout=30_000)
    _wait_status(probe, f"Rows 1–50 of {n}")
    assert probe.page.locator("#data-table tbody tr").count() == 50
    year = probe.eval("() => window.Atlas.app.state().year")

    def first(col: str) -> str:
        return probe.page.inner_text(f"#data-table tbody tr:first-child .col-{col}")

    # a header sorts up, then down (empty values last), then back; the keyboard works it too
    probe.page.click("#data-table button[data-sort=value]")
    probe.page.wait_for_selector("#data-table th.col-value[aria-sort=ascending]")
    assert float(first("value")) == frame["value"].min()
    probe.page.keyboard.press("Enter")  # the focus stayed on the same header's button
    probe.page.wait_for_selector("#data-table th.col-value[aria-sort=descending]")
    assert float(first("value")) == frame["value"].max()
    # in the table, the arrows scroll it: the year stays
    probe.page.focus("#data-table .tbl-scroll")
    probe.page.keyboard.press("ArrowRight")
    assert probe.eval("() => window.Atlas.app.state().year") == year
    # the filter keeps the rows holding every word
    probe.page.fill("#data-filter", "georgia")
    n_geo = int((frame["iso3"] == "GEO").sum())
    _wait_status(probe, f"Rows 1–{n_geo} of {n_geo} (filtered from {n})")
    assert set(probe.page.locator("#data-table tbody .col-country").all_inner_texts()) == {"Georgia"}
    probe.page.fill("#data-filter", "")
    _wait_status(probe, f"Rows 1–50 of {n}")
    # pages and their size
    probe.page.click("#data-table button[aria-label='Next page']")
    _wait_status(probe, f"Rows 51–{min(n, 100)} of {n}")
    probe.page.select_option("#data-table select[data-size]", "25")
    assert probe.page.inner_text("#data-table .tbl-pageno").endswith(f"of {-(-n // 25)}")
    # the selection's line and files hold every row whatever the table shows
    assert probe.page.inner_text("#data-row-count").startswith(f"{n} rows")
    # no serious accessibility violation in the table and its line (the fields above are Dash's
    # dropdowns: with many values selected, axe finds their names differ from the visible text)
    if not AXE.exists():
        pytest.fail(f"{AXE} missing: scripts/test.sh fetches axe-core from npm")
    probe.eval(AXE.read_text(encoding="utf-8") + "\n;0")
    violations = probe.eval("""async () => {
        const r = await axe.run({include: [['#data-table'], ['#data-row-count']]}, {runOnly: {type: 'tag',
                                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                           .map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))})); }""")
    assert violations == [], json.dumps(violations)
    assert probe.console_errors == []


def test_data_selection_in_the_address_restores_the_table(probe) -> None:
    probe.goto("?view=data&indicators=fh_status&countries=GEO,ARM&from=2000&to=2004")
    probe.page.wait_for_function("() => document.querySelector('#data-row-count') && "
                                 "document.querySelector('#data-row-count').textContent.startsWith('10 rows')",
                                 timeout=30_000)
    assert probe.page.is_visible("#view-data") and probe.page.is_hidden("#view-map")


def test_unknown_path_is_a_404_with_a_link_home(live_server: str) -> None:
    try:
        urllib.request.urlopen(live_server + "/no/such/page")
        raise AssertionError("expected 404")
    except urllib.error.HTTPError as err:
        assert err.code == 404
        assert b'href="/"' in err.read()


def test_a_link_to_the_sources_tab_shows_the_sources(probe) -> None:
    """Opened by the address, the sources tab asks for its contents on the user's first move (as
    the data tab's controls): it used to stay at "Loading the sources…" (the server's page showed
    the tab already, so the renderer never asked for them)."""
    probe.page.goto(probe.base + "/?view=sources")
    probe.page.wait_for_function("() => window.Atlas && window.Atlas.app && window.Atlas.app.state()")
    probe.page.mouse.move(5, 5)
    probe.page.mouse.move(8, 8)
    probe.page.wait_for_selector("#sources-tab-slot h2", timeout=20_000)
    assert "Sources and caveats" in probe.page.inner_text("#view-sources")
    assert not probe.page.is_hidden("#view-sources")
    assert probe.console_errors == []
