"""Guided stories: the shipped story and the loader's validation (dashboard/core/stories.py)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from dashboard.core.config import ISO3
from dashboard.core.stories import Story, load_stories, story_as_dict

REPO = Path(__file__).resolve().parents[2]
STORIES_DIR = REPO / "data" / "stories"
PROCESSED = REPO / "data" / "processed"
# Reference texts live next to the repository; used only to check our wording is our own.
SEEDS_DIR = Path(__file__).resolve().parents[3] / "shared" / "reference" / "seeds"
MAX_SHARED_RUN = 8

MEMBERSHIP_LAYERS = {"cis", "csto", "eurasian", "union_state", "central_asian", "guam", "sco",
                     "eu", "nato", "eap"}


@pytest.fixture(scope="module")
def story() -> Story:
    stories = load_stories(STORIES_DIR)
    assert "post_soviet_space" in stories
    return stories["post_soviet_space"]


@pytest.fixture(scope="module")
def map_layers() -> dict[str, dict]:
    catalogue = json.loads((PROCESSED / "indicators.json").read_text(encoding="utf-8"))
    return {ind["id"]: ind for ind in catalogue["indicators"] if ind.get("map")}


@pytest.fixture(scope="module")
def observations() -> pd.DataFrame:
    return pd.read_csv(PROCESSED / "observations.csv", dtype={"category": str})


@pytest.fixture(scope="module")
def status() -> pd.DataFrame:
    """Membership statuses: the rows of the membership layers in the one table of values."""
    orgs = [o["id"] for o in json.loads((PROCESSED / "organisations.json").read_text(encoding="utf-8"))]
    values = pd.read_csv(PROCESSED / "observations.csv", dtype=str, keep_default_na=False)
    return values[values["indicator"].isin(orgs)].rename(columns={"indicator": "org", "category": "status"})


# --------------------------------------------------------------------------- shipped story

def test_story_has_enough_steps_and_metadata(story):
    assert len(story.steps) >= 12
    assert story.title and story.summary and story.author
    assert len({s.id for s in story.steps}) == len(story.steps)


def test_required_years_covered(story):
    years = set(story.years)
    for year in (1991, 1993, 1996, 1999, 2004, 2014, 2015, 2022):
        assert year in years, f"no step for {year}"
    assert years & {2008, 2009}, "no step for the 2008 war / 2009 CIS exit"
    assert years & {2020, 2021, 2023}, "no Karabakh step in 2020-2023 besides 2022"


def test_years_in_chronological_order(story):
    assert list(story.years) == sorted(story.years)


def test_required_steps_use_the_right_layers(story):
    def has(years: set[int], layers: set[str]) -> bool:
        return any(s.year in years and s.layer in layers for s in story.steps)

    assert has({1991}, {"cis"})
    assert has({1993}, {"cis"})
    assert has({1996}, {"fh_status", "vdem_row"})
    assert has({1996}, {"union_state", "eurasian"})
    assert has({1999}, {"guam", "csto"})
    assert has({2004}, {"nato"})
    assert has({2004}, {"eu"})
    assert has({2009}, {"cis"})
    assert has({2014, 2015}, {"idps", "idps_per_1000"})
    assert has({2015}, {"eurasian"})
    assert has({2020, 2021, 2022, 2023}, {"idps", "idps_per_1000", "refugees_hosted",
                                          "refugees_hosted_per_1000", "refugees_origin",
                                          "refugees_origin_per_1000"})
    assert has({2022}, {"refugees_origin"})
    assert story.steps[-1].layer == "vdem_row"
    assert any(s.contested for s in story.steps if 2020 <= s.year <= 2023)


def test_each_step_is_valid(story, map_layers):
    for s in story.steps:
        assert s.layer in map_layers, s.id
        first, last = map_layers[s.layer].get("years") or (1991, 2026)
        assert first <= s.year <= last and 1991 <= s.year <= 2026, s.id
        assert set(s.countries) <= set(ISO3), s.id
        assert len(set(s.countries)) == len(s.countries), s.id
        assert s.sources and all(src.citation for src in s.sources), s.id
        assert all(src.url == "" or src.url.startswith(("http://", "https://")) for src in s.sources)
        assert 0 < len(s.caption) <= 600, s.id
        sentences = len(re.findall(r"[.!?](?:\s|$)", s.caption))
        assert 2 <= sentences <= 4, (s.id, sentences)


def test_story_as_dict_is_json_serialisable(story):
    d = story_as_dict(story)
    assert json.loads(json.dumps(d)) == d
    assert d["id"] == "post_soviet_space"
    assert [st["id"] for st in d["steps"]] == [s.id for s in story.steps]
    first = d["steps"][0]
    assert set(first) >= {"id", "title", "layer", "year", "countries", "caption", "sources"}
    assert isinstance(first["countries"], list) and isinstance(first["sources"][0], dict)


def test_captions_agree_with_the_data(story, observations, status):
    """Pin the facts the captions state to the processed tables, so a data change that
    contradicts a caption fails here."""
    def obs(indicator: str, iso3: str, year: int):
        row = observations[(observations.indicator == indicator) & (observations.iso3 == iso3)
                           & (observations.year == year)]
        assert len(row) == 1, (indicator, iso3, year)
        rec = row.iloc[0]
        return rec["category"] if isinstance(rec["category"], str) else rec["value"]

    def member(org: str, year: int) -> dict[str, str]:
        rows = status[(status.org == org) & (status.year == str(year))]
        return dict(zip(rows.iso3, rows.status, strict=True))

    caption = {s.id: s.caption for s in story.steps}

    cis91 = member("cis", 1991)
    assert sum(v == "founding_participant" for v in cis91.values()) == 11
    assert {k for k, v in cis91.items() if v != "founding_participant"} == {"EST", "LVA", "LTU", "GEO"}
    cis93, cis94 = member("cis", 1993), member("cis", 1994)
    assert sum(v == "founding_participant" for v in cis93.values()) == 12
    assert {k for k, v in cis94.items() if v == "participant_no_charter"} == {"UKR", "TKM"}

    assert [obs("fh_status", "BLR", y) for y in range(1991, 1996)] == ["PF"] * 5
    assert all(obs("fh_status", "BLR", y) == "NF" for y in range(1996, 2026))
    assert (obs("vdem_row", "BLR", 1995), obs("vdem_row", "BLR", 1996)) == ("2", "1")
    assert member("union_state", 1996)["BLR"] == "community"
    assert member("union_state", 2000)["BLR"] == "union_state"

    assert member("guam", 1999)["UZB"] == "member"
    assert member("guam", 2002)["UZB"] == "suspended"
    assert member("guam", 2005)["UZB"] == "withdrawn"
    csto99 = member("csto", 1999)
    assert {k for k, v in csto99.items() if v == "withdrawn"} == {"AZE", "GEO", "UZB"}

    for org in ("nato", "eu"):
        assert {k for k, v in member(org, 2004).items() if v == "member"} == {"EST", "LVA", "LTU"}
    assert {k for k, v in member("nato", 2008).items() if v == "aspirant"} == {"GEO", "UKR"}
    assert {k for k, v in member("eu", 2022).items() if v == "candidate"} == {"MDA", "UKR"}
    assert member("eu", 2023)["GEO"] == "candidate"
    assert member("cis", 2008)["GEO"] == "charter_member"
    assert member("cis", 2009)["GEO"] == "withdrawn"

    assert obs("idps", "UKR", 2014) == 823000 and "823,000" in caption["ukraine_2014_displaced"]
    assert obs("idps", "UKR", 2015) == 1600000
    assert {k for k, v in member("eurasian", 2015).items() if v == "eaeu"} == {"ARM", "BLR", "KAZ", "KGZ", "RUS"}

    assert round(obs("refugees_hosted", "ARM", 2020), -3) == 108000
    assert obs("refugees_hosted", "ARM", 2021) < obs("refugees_hosted", "ARM", 2020)
    assert round(obs("refugees_hosted", "ARM", 2023), -3) == 150000
    assert round(obs("refugees_origin", "UKR", 2022), -5) == 5700000
    assert round(obs("refugees_origin_per_1000", "UKR", 2022)) == 138
    assert round(obs("idps", "UKR", 2022), -5) == 5900000
    hosted22 = observations[(observations.indicator == "refugees_hosted") & (observations.year == 2022)]
    assert list(hosted22.nlargest(2, "value").iso3) == ["RUS", "MDA"]

    row25 = {iso: obs("vdem_row", iso, 2025) for iso in ISO3}
    assert {k for k, v in row25.items() if v == "3"} == {"EST", "LVA", "LTU"}
    assert {k for k, v in row25.items() if v == "2"} == {"ARM", "MDA"}
    assert {k for k, v in row25.items() if v == "0"} == {"BLR", "TKM", "UZB"}
    assert sum(v == "1" for v in row25.values()) == 7


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'"))


def _runs(words: list[str], n: int = MAX_SHARED_RUN) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def test_captions_are_our_own_wording(story):
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"reference seeds not found at {SEEDS_DIR}")
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))]
    quotes = SEEDS_DIR.parent / "book_events.csv"
    if quotes.is_file():
        texts += pd.read_csv(quotes, dtype=str, keep_default_na=False)["quote"].tolist()
    banned: set[tuple[str, ...]] = set()
    for text in texts:
        banned |= _runs(_words(text))
    offenders = {}
    for s in story.steps:
        shared = (_runs(_words(s.caption)) | _runs(_words(s.title))) & banned
        if shared:
            offenders[s.id] = [" ".join(run) for run in sorted(shared)]
    shared = _runs(_words(story.summary)) & banned
    if shared:
        offenders["<summary>"] = [" ".join(run) for run in sorted(shared)]
    assert not offenders, offenders


# --------------------------------------------------------------------------- validation

GOOD_STEP = """\
  - id: {id}
    title: "1991: test"
    layer: {layer}
    year: {year}
    countries: {countries}
{caption}    sources:
      - citation: "Test source"
        url: ""
"""


def _write(folder: Path, name: str = "broken.yaml", story_id: str = "broken", **step) -> Path:
    values = {"id": "first", "layer": "cis", "year": 1991, "countries": "[RUS]",
              "caption": "    caption: A caption of one sentence. And a second one.\n"}
    values.update(step)
    text = textwrap.dedent(f"""\
        id: {story_id}
        title: Broken story
        summary: For tests.
        steps:
        """) + GOOD_STEP.format(**values)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_story_loads(tmp_path):
    _write(tmp_path)
    stories = load_stories(tmp_path)
    assert list(stories) == ["broken"]
    assert stories["broken"].steps[0].caption == "A caption of one sentence. And a second one."


@pytest.mark.parametrize(("step", "expected"), [
    ({"layer": "no_such_layer"}, r"step 'first': layer 'no_such_layer' is not a map layer"),
    ({"layer": "population_projection"}, r"step 'first': layer 'population_projection' .*not offered on the map"),
    ({"year": 1989}, r"step 'first': year 1989 is outside 1991\.\.2026"),
    ({"year": 2031}, r"step 'first': year 2031 is outside"),
    ({"year": "'1991'"}, r"step 'first': year '1991' is not a whole number"),
    ({"layer": "polity2", "year": 2022}, r"step 'first': layer 'polity2' has data for 1991\.\.2018 only"),
    ({"caption": ""}, r"step 'first': caption is missing or empty"),
    ({"caption": "    caption: ''\n"}, r"step 'first': caption is missing or empty"),
    ({"caption": "    caption: " + "word " * 130 + "\n"}, r"step 'first': caption has \d+ characters"),
    ({"countries": "[RUS, XYZ]"}, r"step 'first': unknown country code\(s\) XYZ"),
    ({"countries": "[RUS, RUS]"}, r"step 'first': countries lists RUS more than once"),
    ({"countries": "RUS"}, r"step 'first': countries must be a list"),
])
def test_validation_errors_are_clear(tmp_path, step, expected):
    path = _write(tmp_path, **step)
    with pytest.raises(ValueError, match=expected) as err:
        load_stories(tmp_path)
    assert str(path) in str(err.value)


def test_missing_sources_rejected(tmp_path):
    path = tmp_path / "nosrc.yaml"
    path.write_text(textwrap.dedent("""\
        id: nosrc
        title: t
        summary: s
        steps:
          - id: lonely
            title: "1991: t"
            layer: cis
            year: 1991
            countries: []
            caption: Something. Something else.
            sources: []
        """), encoding="utf-8")
    with pytest.raises(ValueError, match=r"nosrc\.yaml: step 'lonely': needs at least one source"):
        load_stories(tmp_path)


def test_duplicate_step_ids_and_unknown_keys_rejected(tmp_path):
    path = tmp_path / "dupes.yaml"
    step = GOOD_STEP.format(id="same", layer="cis", year=1991, countries="[]",
                            caption="    caption: One. Two.\n")
    path.write_text("id: dupes\ntitle: t\nsummary: s\nsteps:\n" + step + step
                    + "    captoin: typo\n", encoding="utf-8")
    with pytest.raises(ValueError) as err:
        load_stories(tmp_path)
    msg = str(err.value)
    assert "step 'same': id is used by step #1 as well" in msg
    assert "unknown key(s) captoin" in msg


def test_contested_area_must_be_drawn_that_year(tmp_path):
    path = _write(tmp_path, year=2023, caption="    caption: One. Two.\n    contested: [karabakh_2020]\n")
    with pytest.raises(ValueError, match=r"contested area 'karabakh_2020' is drawn in 2020\.\.2022 only"):
        load_stories(tmp_path)
    path.unlink()
    _write(tmp_path, year=2023, caption="    caption: One. Two.\n    events: [no-such-event]\n")
    with pytest.raises(ValueError, match=r"event 'no-such-event' is not in events\.csv"):
        load_stories(tmp_path)


def test_duplicate_story_ids_across_files_rejected(tmp_path):
    _write(tmp_path, name="a.yaml", story_id="same")
    _write(tmp_path, name="b.yaml", story_id="same")
    with pytest.raises(ValueError, match=r"b\.yaml: story id 'same' is already used by .*a\.yaml"):
        load_stories(tmp_path)


def test_invalid_yaml_names_the_file(tmp_path):
    (tmp_path / "bad.yaml").write_text("id: x\nsteps: [unclosed\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.yaml: not valid YAML"):
        load_stories(tmp_path)


def test_loader_does_not_import_dash():
    code = "import sys, dashboard.core.stories as s; s.load_stories(); print('dash' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_a_step_may_open_a_view(tmp_path):
    caption = "    caption: A caption of one sentence. And a second one.\n"
    _write(tmp_path, caption=caption + "    view: flows\n")
    step = load_stories(tmp_path)["broken"].steps[0]
    assert step.view == "flows"
    assert story_as_dict(load_stories(tmp_path)["broken"])["steps"][0]["view"] == "flows"
    _write(tmp_path, caption=caption + "    view: sources\n")
    with pytest.raises(ValueError, match=r"step 'first': view 'sources' is not one of"):
        load_stories(tmp_path)


def test_the_flows_step_agrees_with_the_pairs(story, observations):
    """The 2022 flows step (view=flows) states facts of the pairs table and of Tajikistan 1993."""
    step = next(s for s in story.steps if s.id == "ukraine_2022_flows")
    assert step.view == "flows" and step.countries == ("UKR",) and step.year == 2022
    flows = pd.read_csv(PROCESSED / "flows.csv", keep_default_na=False)
    ukr = flows[(flows.origin_iso3 == "UKR") & (flows.year == 2022) & (flows.population_type == "refugees")]
    assert list(ukr.nlargest(4, "value").asylum_iso3) == ["RUS", "DEU", "POL", "CZE"]
    outside = ukr[~ukr.asylum_iso3.isin(ISO3)].value.sum() / ukr.value.sum()
    assert 0.70 < outside < 0.75                       # "nearly three in four"
    tjk = flows[(flows.origin_iso3 == "TJK") & (flows.year == 1993) & (flows.population_type == "refugees")]
    assert round(tjk.value.sum(), -4) == 70000
    assert set(tjk.nlargest(4, "value").asylum_iso3) == {"AFG", "KGZ", "TKM", "KAZ"}
    assert tjk.nlargest(4, "value").value.sum() / tjk.value.sum() > 0.99
    tjk_layer = observations[(observations.indicator == "refugees_origin") & (observations.iso3 == "TJK")
                             & (observations.year == 1993)].value.iloc[0]
    assert tjk_layer == tjk.value.sum()
