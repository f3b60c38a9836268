"""Teachers: presentation mode, a guided story, accessibility (axe-core), offline, small screens."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.core.stories import load_stories

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / ".cache" / "axe" / "package" / "axe.min.js"


def _year(probe) -> int:
    return probe.slider_value()


def test_presentation_mode_keys(probe) -> None:
    probe.goto("?layer=cis&year=1995&present=1")
    probe.page.wait_for_selector("#app-root.presenting")
    assert probe.page.is_hidden(".events") and probe.page.is_visible("#play-button")
    assert probe.page.is_visible("#layer-select") and probe.page.is_visible("#year-slider")
    probe.page.locator("h1").click()
    # Space plays and pauses
    probe.page.keyboard.press("Space")
    probe.page.wait_for_selector("#play-button[aria-pressed=true]")
    probe.page.wait_for_function("() => Number(document.querySelector('#year-slider [role=slider]')"
                                 ".getAttribute('aria-valuenow')) >= 1996", timeout=5000)
    probe.page.keyboard.press("Space")
    probe.page.wait_for_selector("#play-button[aria-pressed=false]")
    y = _year(probe)
    # arrows change the year
    probe.page.keyboard.press("ArrowLeft")
    probe.page.wait_for_function(f"() => location.search.includes('year={y - 1}')")
    assert "present=1" in probe.page.url
    # Esc leaves presentation mode
    probe.page.keyboard.press("Escape")
    probe.page.wait_for_selector("#app-root:not(.presenting)")
    probe.page.wait_for_function("() => !location.search.includes('present=')")
    assert probe.page.is_visible(".events")
    assert probe.console_errors == []


def test_present_button_toggles(probe) -> None:
    probe.goto()
    probe.page.click("#present-button")
    probe.page.wait_for_selector("#app-root.presenting")
    probe.page.click("#present-button")
    probe.page.wait_for_selector("#app-root:not(.presenting)")


def test_story_from_start_to_end(probe) -> None:
    story = load_stories()["post_soviet_space"]
    probe.goto("?story=post_soviet_space&step=1")
    probe.page.wait_for_selector("#story-box:not([hidden])")
    for i, step in enumerate(story.steps):
        probe.page.wait_for_function(
            "(t) => document.querySelector('#story-step-title').textContent === t", arg=step.title)
        assert probe.page.inner_text("#story-count") == f"Step {i + 1} of {len(story.steps)}"
        probe.page.wait_for_function(
            "(y) => document.querySelector('#year-slider [role=slider]').getAttribute('aria-valuenow') == y",
            arg=str(step.year))
        assert step.caption[:40] in probe.page.inner_text("#story-caption")
        assert probe.page.locator("#story-sources li").count() == len(step.sources)
        probe.page.wait_for_function("(l) => location.search.includes('layer=' + l)", arg=step.layer)
        if step.view:  # a step that opens another view (steps[].view): that view, not the map
            probe.page.wait_for_selector(f"#{step.view}-box:not([hidden])")
            assert f"view={step.view}" in probe.page.url
            if step.view == "flows":  # its figures show the step's state
                probe.page.wait_for_function(
                    """([iso, y]) => { const m = (document.getElementById('flows-chart').layout || {}).meta;
                        return m && m.iso3 === iso && m.year === y; }""", arg=[step.countries[0], step.year])
        else:
            # the step's layer and year are on the map, and its countries are outlined (waited
            # for: two steps may share a year, and a new layer's file may still be on its way)
            probe.page.wait_for_function(
                """([l, y, isos]) => { const gd = document.querySelector('#map .js-plotly-plot');
                    const m = gd && gd.layout.meta, o = gd && gd.data.find(t => t.name === 'outline-dark');
                    return m && m.layer === l && m.year === y && o &&
                        [...o.locations].sort().join() === isos; }""",
                arg=[step.layer, step.year, ",".join(sorted(step.countries))])
        assert f"step={i + 1}" in probe.page.url
        if i < len(story.steps) - 1:
            probe.page.click("#story-next")
    assert probe.page.is_disabled("#story-next")
    probe.page.click("#story-end")
    probe.page.wait_for_selector("#story-box", state="hidden")
    probe.page.wait_for_function("() => !location.search.includes('story=')")
    assert probe.console_errors == []
    assert probe.external == []


def _axe(probe) -> list[dict]:
    if not AXE.exists():
        pytest.fail(f"{AXE} missing: scripts/test.sh fetches axe-core from npm")
    probe.eval(AXE.read_text(encoding="utf-8") + "\n;0")
    return probe.eval("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag',
                                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                           .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}));
    }""")


@pytest.mark.parametrize("query", ["", "?present=1&layer=fh_status&year=1997",
                                   "?story=post_soviet_space&step=3", "?layer=cis&year=2009&country=GEO"])
def test_axe_no_serious_violations(probe, query: str) -> None:
    probe.goto(query)
    if "present=1" in query:
        probe.page.wait_for_selector("#app-root.presenting")
    probe.page.wait_for_timeout(1000)  # let the restored view settle
    violations = _axe(probe)
    if violations:  # audit once more: a transient state mid-render is not the page a user sees
        probe.page.wait_for_timeout(1500)
        violations = _axe(probe)
    assert violations == [], violations


def test_keyboard_reaches_controls_with_visible_focus(probe) -> None:
    probe.goto()
    seen = set()
    for _ in range(40):
        probe.page.keyboard.press("Tab")
        info = probe.eval("""() => { const e = document.activeElement; const s = getComputedStyle(e);
            return [e.id || e.className || e.tagName, s.outlineStyle, s.outlineWidth, s.boxShadow]; }""")
        if info[0] == "BODY":  # past the last control the focus leaves the page
            continue
        seen.add(info[0])
        assert info[1] != "none" or info[3] != "none", f"no visible focus on {info[0]}"
    for control in ("play-button", "present-button", "tab-data"):
        assert control in seen, control


def test_no_request_leaves_the_machine(probe) -> None:
    probe.goto("?layer=refugees_origin&year=2022&country=UKR")
    probe.page.click("#tab-sources")
    probe.page.click("#tab-map")
    probe.page.wait_for_timeout(300)
    assert probe.external == []
    assert all(u.startswith(probe.base) or u.startswith(("data:", "blob:")) for u in probe.requests)


def test_small_screen(browser, live_server) -> None:
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    page.goto(live_server + "/?layer=vdem_row&year=2024")
    page.wait_for_function("() => window.Atlas && window.Atlas.app.state()")
    page.mouse.move(5, 5)  # the first move loads plotly.js
    page.wait_for_selector("#map .choroplethlayer path")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    for sel in ("#map", "#year-slider", "#layer-select", "#play-button"):
        box = page.locator(sel).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 391, sel
    # the layer can be changed and the year moved by touch
    page.locator("#year-slider [role=slider]").focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => location.search.includes('year=2023')")
    ctx.close()


def test_slide_export_is_1920x1080_png(probe) -> None:
    probe.goto("?layer=eu&year=2004&present=1")
    with probe.page.expect_download() as info:
        probe.page.click("#download-slide")
    path = info.value.path()
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1920, 1080)
    assert info.value.suggested_filename == "atlas_eu_2004_slide.png"
    assert probe.external == []
