"""A story step may open a view (``steps[].view``, e.g. the overlap view): the loader, the address
context and parser (dashboard/core/stories.py, dashboard/core/viewstate.py), and the shipped
step that uses view=overlap."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.core.data import get_data
from dashboard.core.stories import STEP_VIEWS, load_stories, story_as_dict
from dashboard.core.viewstate import address_context, parse_query
from dashboard.web.app import load_story_dicts

REPO = Path(__file__).resolve().parents[2]


STEP = """\
  - id: {id}
    title: "{year}: a step"
    layer: {layer}
    year: {year}
    countries: []
{view}    caption: One sentence. Two sentences.
    sources:
      - citation: "Test source"
        url: ""
"""


def _story(folder: Path, view: str | None) -> Path:
    text = "id: views\ntitle: Views\nsummary: For tests.\nsteps:\n"
    text += STEP.format(id="first", layer="cis", year=1995, view="")
    text += STEP.format(id="second", layer="csto", year=2009,
                        view=f"    view: {view}\n" if view is not None else "")
    path = folder / "views.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_step_may_name_a_view(tmp_path) -> None:
    _story(tmp_path, "overlap")
    story = load_stories(tmp_path, events_path=None, contested_path=None)["views"]
    assert [s.view for s in story.steps] == ["", "overlap"]
    d = story_as_dict(story)
    assert "view" not in d["steps"][0] and d["steps"][1]["view"] == "overlap"


def test_view_map_is_the_default(tmp_path) -> None:
    _story(tmp_path, "map")
    story = load_stories(tmp_path, events_path=None, contested_path=None)["views"]
    assert story.steps[1].view == "" and "view" not in story_as_dict(story)["steps"][1]


@pytest.mark.parametrize("view", ["data", "sources", "globe"])
def test_a_view_that_shows_no_layer_is_refused(tmp_path, view: str) -> None:
    _story(tmp_path, view)
    with pytest.raises(ValueError, match=rf"step 'second': view '{view}' is not one of map, chart"):
        load_stories(tmp_path, events_path=None, contested_path=None)
    assert view not in STEP_VIEWS


def test_the_address_of_a_step_with_a_view(tmp_path) -> None:
    _story(tmp_path, "overlap")
    stories = {sid: story_as_dict(s) for sid, s in
               load_stories(tmp_path, events_path=None, contested_path=None).items()}
    ctx = address_context(get_data(), stories)
    assert ctx["stories"]["views"] == [{"layer": "cis", "year": 1995},
                                       {"layer": "csto", "year": 2009, "view": "overlap"}]
    state = parse_query("?story=views&step=2&view=rank", ctx)
    assert (state.view, state.layer, state.year) == ("overlap", "csto", 2009)
    assert state.query() == "?layer=csto&year=2009&view=overlap&story=views&step=2"
    assert parse_query("?story=views&step=1&view=chart", ctx).view == "chart"


def test_the_shipped_story_has_an_overlap_step_whose_facts_hold() -> None:
    stories = load_story_dicts()
    steps = stories["post_soviet_space"]["steps"]
    step = next(s for s in steps if s.get("view") == "overlap")
    assert step["id"] == "clubs_in_2025" and step["year"] == 2025
    assert any("Getting It Wrong" in src["citation"] for src in step["sources"])
    n = steps.index(step) + 1
    ctx = address_context(get_data(), stories)
    state = parse_query(f"?story=post_soviet_space&step={n}", ctx)
    assert state.view == "overlap" and "view=overlap" in state.query()
    # what the caption says about 2025, pinned to the published statuses
    status = get_data().status
    y = status[status["year"] == 2025]

    def members(org: str, st: str) -> set[str]:
        return set(y[(y["org"] == org) & (y["status"] == st)]["iso3"])

    assert members("eurasian", "eaeu") == {"ARM", "BLR", "KAZ", "KGZ", "RUS"}
    assert members("union_state", "union_state") == {"BLR", "RUS"}
    assert members("csto", "frozen") == {"ARM"} and members("csto", "suspended") == {"UZB"}
    assert members("eu", "candidate") == {"GEO", "MDA", "UKR"}
    assert members("eu", "member") == members("nato", "member") == {"EST", "LVA", "LTU"}
    # the steps that tests, screenshots and the README name by number keep their numbers
    ids = [s["id"] for s in steps]
    assert ids[8] == "georgia_war_and_exit" and ids[-1] == "regimes_2025"
