"""Figure builders and URL state, without a browser."""

from __future__ import annotations

import json

import pytest

from dashboard.core import figures, palettes
from dashboard.core.config import DEFAULT_YEAR, ISO3, YEARS
from dashboard.core.data import AtlasData, get_data
from dashboard.core.viewstate import DEFAULT_LAYER, address_context, parse_query


@pytest.fixture(scope="module")
def data() -> AtlasData:
    return get_data()


def _z(fig: dict, iso3: str) -> int:
    states = fig["data"][1]
    return states["z"][states["locations"].index(iso3)]


def test_map_figure_is_json_and_uses_own_geodata(data: AtlasData) -> None:
    fig = figures.map_figure(data, "cis", 1995)
    json.dumps(fig)  # serialisable as is
    names = [t.get("name") for t in fig["data"]]
    main = ["context", "states", "contested", "outline-dark", "outline-light", "labels"]
    assert names == main + ["inset-" + n for n in main]
    assert fig["data"][1]["geojson"] is data.states_geo
    assert fig["data"][1]["locations"] == list(ISO3)
    geo = fig["layout"]["geo"]
    assert "fitbounds" not in geo and geo["projection"]["type"].startswith("conic")


def test_the_whole_space_has_an_inset_of_moldova_and_the_south_caucasus(data: AtlasData) -> None:
    fig = figures.map_figure(data, "cis", 1995, selected="ARM", highlight=["GEO", "KAZ", "TJK"])
    by = {t["name"]: t for t in fig["data"]}
    inset = {n: t for n, t in by.items() if n.startswith("inset-")}
    assert all(t["geo"] == "geo2" for t in inset.values())
    assert all("geo" not in t for n, t in by.items() if not n.startswith("inset-"))
    assert fig["layout"]["geo2"]["domain"] == figures.INSET_DOMAIN
    st = inset["inset-states"]
    assert set(figures.INSET_STATES) <= set(st["locations"]) and "TJK" not in st["locations"]
    # the inset's states take their values from the main trace, through meta.index
    assert st["z"] == [by["states"]["z"][i] for i in st["meta"]["index"]]
    assert [ISO3[i] for i in st["meta"]["index"]] == st["locations"]
    # contested areas of its window only (Transnistria, Abkhazia, South Ossetia, Karabakh, Crimea, …)
    assert {"transnistria", "abkhazia", "south_ossetia"} <= set(inset["inset-contested"]["meta"]["keep"])
    assert set(inset["inset-contested"]["locations"]) <= set(inset["inset-contested"]["meta"]["keep"])
    # the outlines of the states in its window (Kazakhstan's west is), not of the far ones
    assert inset["inset-outline-dark"]["locations"] == ["GEO", "KAZ", "ARM"]
    assert inset["inset-labels"]["customdata"] == [i for i in by["labels"]["customdata"] if i in figures.INSET_STATES]
    assert [a["name"] for a in fig["layout"]["annotations"]] == ["year", "inset-title"]
    # a close-up has no inset
    close = figures.map_figure(data, "cis", 1995, region="caucasus")
    assert "geo2" not in close["layout"] and not any(t.get("geo") for t in close["data"])


def test_categorical_colours_fixed_across_years(data: AtlasData) -> None:
    a = figures.map_figure(data, "cis", 1995)["data"][1]
    b = figures.map_figure(data, "cis", 2015)["data"][1]
    assert a["colorscale"] == b["colorscale"] and a["zmin"] == b["zmin"] and a["zmax"] == b["zmax"]
    legend = figures.legend_items(data, "cis")
    assert [i["label"] for i in legend][:-1] == [c["label"] for c in data.indicators["cis"]["classes"]]
    assert legend[-1]["label"] == figures.NO_DATA_LABEL


def test_status_classes_follow_data(data: AtlasData) -> None:
    classes = [c["id"] for c in data.indicators["cis"]["classes"]]
    fig = figures.map_figure(data, "cis", 2009)
    assert classes[_z(fig, "GEO")] == "withdrawn"
    assert classes[_z(fig, "EST")] == "never_joined"
    hover = fig["data"][1]["hovertext"][ISO3.index("GEO")]
    assert "Georgia" in hover and "2009" in hover


def test_belarus_fh_status_changes_between_1995_and_1997(data: AtlasData) -> None:
    classes = [c["label"] for c in data.indicators["fh_status"]["classes"]]
    assert classes[_z(figures.map_figure(data, "fh_status", 1995), "BLR")] == "Partly Free"
    assert classes[_z(figures.map_figure(data, "fh_status", 1997), "BLR")] == "Not Free"


def test_no_data_is_not_zero(data: AtlasData) -> None:
    fig = figures.map_figure(data, "refugees_hosted", 1991)
    assert all(v == figures.NO_DATA_CLASS for v in fig["data"][1]["z"])
    assert "no data" in fig["data"][1]["hovertext"][0]
    # the no-data colour is its own step of the colorscale, never a palette colour
    scale = fig["data"][1]["colorscale"]
    assert scale[0][1] == palettes.NO_DATA
    assert palettes.NO_DATA not in [c["color"] for c in data.indicators["refugees_hosted"]["classes"]]
    # a published zero is class 0, not no data
    fig = figures.map_figure(data, "asylum_seekers_hosted", 1995)
    z = fig["data"][1]["z"]
    assert 0 in z


def test_continuous_classes_match_breaks(data: AtlasData) -> None:
    layer = data.indicators["refugees_hosted"]
    assert figures.class_index(layer, 0.0, "") == 0
    assert figures.class_index(layer, 5000.0, "") == layer["breaks"].index(1000) + 1
    assert figures.class_index(layer, None, "") == figures.NO_DATA_CLASS
    rate = data.indicators["net_migration_rate"]
    assert rate["kind"] == "diverging"
    neg, pos = figures.class_index(rate, -15.0, ""), figures.class_index(rate, 15.0, "")
    assert neg == 0 and pos == len(rate["classes"]) - 1


def test_contested_overlay_follows_years(data: AtlasData) -> None:
    def ids(year: int) -> list[str]:
        return figures.map_figure(data, "cis", year)["data"][2]["locations"]
    assert "crimea" not in ids(2013) and "crimea" in ids(2014)
    assert "transnistria" in ids(2000)
    assert any(i.startswith("karabakh") for i in ids(2000))
    assert not any(i.startswith("karabakh") for i in ids(2025))


def test_frames_cover_every_year(data: AtlasData) -> None:
    frames = figures.layer_frames(data, "vdem_row")
    assert sorted(int(y) for y in frames["years"]) == list(YEARS)
    for fr in frames["years"].values():
        assert len(fr["z"]) == len(ISO3) == len(fr["text"])
    # swapping a year in the browser gives the same states trace as building that year
    built = figures.map_figure(data, "vdem_row", 2004)["data"][1]
    assert frames["years"]["2004"]["z"] == built["z"]


def test_panel_figures(data: AtlasData) -> None:
    fig = figures.country_series_figure(data, "refugees_hosted", "ARM", 1995)
    xs = fig["data"][0]["x"]
    assert 1995 in xs and fig["layout"]["shapes"][0]["x0"] == 1995
    tl = figures.status_strips(data, "GEO", list(data.orgs), "Memberships")
    assert tl["years"] == list(YEARS) and len(tl["rows"]) == len(data.orgs)
    assert all(len(r["cells"]) == len(YEARS) for r in tl["rows"])
    cis = dict(zip(YEARS, (t for _c, t in next(r for r in tl["rows"] if r["label"] == "CIS")["cells"]), strict=True))
    assert "withdrawn" in cis[2009].lower() and "withdrawn" not in cis[2008].lower()
    row = next(r for r in tl["rows"] if r["label"] == "CIS")
    assert "Member state (Charter ratified) 1994–2008; Withdrawn 2009–" in row["summary"]
    # the runs (the strip's legend) cover the years once each, in the cells' colours
    for r in tl["rows"]:
        assert [y for _l, _c, a, b in r["runs"] for y in range(a, b + 1)] == list(YEARS)
        assert [c for _l, c, a, b in r["runs"] for _y in range(a, b + 1)] == [c for c, _t in r["cells"]]
    assert figures.country_series_figure(data, "cis", "GEO", 2009)["kind"] == "strips"


@pytest.mark.parametrize(("query", "layer", "year", "country", "notices"), [
    ("", DEFAULT_LAYER, DEFAULT_YEAR, None, 0),
    ("?layer=fh_status&year=1995&country=blr", "fh_status", 1995, "BLR", 0),
    ("layer=nope&year=1995", DEFAULT_LAYER, 1995, None, 1),
    ("?layer=cis&year=1800", "cis", DEFAULT_YEAR, None, 1),
    ("?layer=cis&year=abcd&country=XXX", "cis", DEFAULT_YEAR, None, 2),
    ("?year=%EF%BC%91%EF%BC%99%EF%BC%99%EF%BC%95", DEFAULT_LAYER, DEFAULT_YEAR, None, 1),  # full-width digits
    ("?layer=" + "x" * 5000, DEFAULT_LAYER, DEFAULT_YEAR, None, 1),
])
def test_parse_query(data: AtlasData, query: str, layer: str, year: int, country: str | None,
                     notices: int) -> None:
    st = parse_query(query, address_context(data))
    assert (st.layer, st.year, st.country, len(st.notices)) == (layer, year, country, notices)
    for n in st.notices:
        assert len(n) < 250


@pytest.mark.parametrize(("layer", "year", "unit_text"), [
    ("fh_total", 2015, " (score 0–100)"), ("vdem_polyarchy", 2015, " (index 0–1)"),
    ("polity2", 2015, " (score −10 to +10)"), ("fh_pr", 2015, ", rating 1–7 (1 = most free)"),
])
def test_hover_names_the_scale_of_a_score_index_or_rating(data: AtlasData, layer: str, year: int,
                                                          unit_text: str) -> None:
    """Hover: value, unit and source. Counts and rates carry their unit in the value ('1,973
    people'); a score, an index or a rating is a bare number, so its scale follows it."""
    text = figures.layer_payload(data, layer)["frames"]["years"][str(year)]["text"][ISO3.index("GEO")]
    assert f"</b>{unit_text}<br>" in text and "Source: " in text, text
    counts = figures.layer_payload(data, "refugees_hosted")["frames"]["years"]["2015"]["text"][ISO3.index("GEO")]
    assert "people</b><br>" in counts
    # a missing value has no scale to name
    gap = figures.layer_payload(data, "fh_total")["frames"]["years"]["2005"]["text"][ISO3.index("GEO")]
    assert gap.endswith("FH total score: <b>no data</b>")
