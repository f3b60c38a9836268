"""top_partners: the largest partners of a state in a year, "others" summed, against the
snapshot's UNHCR pairs (data/sources/migration/unhcr_bilateral_post_soviet.csv)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.core.config import SOURCES_DIR
from dashboard.core.data import get_data
from dashboard.core.flows import load_flows, top_partners

SNAPSHOT = SOURCES_DIR / "migration" / "unhcr_bilateral_post_soviet.csv"


@pytest.fixture(scope="module")
def pairs() -> pd.DataFrame:
    return pd.read_csv(SNAPSHOT, keep_default_na=False)


def _snapshot_partners(pairs: pd.DataFrame, iso3: str, year: int, direction: str) -> list[tuple[str, int]]:
    side, other = ("coo_iso", "coa_iso") if direction == "origin" else ("coa_iso", "coo_iso")
    rows = pairs[(pairs[side] == iso3) & (pairs.year == year) & (pairs.indicator == "refugees")]
    return sorted(((c, int(v)) for c, v in zip(rows[other], rows.value, strict=True)), key=lambda p: (-p[1], p[0]))


@pytest.mark.parametrize(("iso3", "year", "direction", "head"), [
    ("UKR", 2022, "origin", ["RUS", "DEU", "POL", "CZE", "GBR"]),
    ("TJK", 1993, "origin", ["AFG", "KGZ", "TKM", "KAZ"]),
    ("UKR", 2022, "asylum", None),
    ("TJK", 1993, "asylum", None),
])
@pytest.mark.parametrize("n", [0, 3, 5, 10, 500])
def test_top_partners_equal_the_snapshot_pairs(pairs, iso3, year, direction, head, n) -> None:
    want = _snapshot_partners(pairs, iso3, year, direction)
    got = top_partners(get_data(), iso3, year, direction, n)
    assert [(p["iso3"], p["value"]) for p in got["partners"]] == want[:n]
    assert got["total"] == sum(v for _, v in want)
    assert sum(p["value"] for p in got["partners"]) + got["others"] == got["total"]
    assert got["others"] == sum(v for _, v in want[n:]) and got["n_others"] == len(want[n:])
    if head:
        assert [p["iso3"] for p in got["partners"][:len(head)]] == head[:n]


def test_known_values() -> None:
    ukr = top_partners(get_data(), "UKR", 2022, "origin", 3)
    assert ukr["partners"][2] == {"iso3": "POL", "name": "Poland", "value": 958147}
    assert ukr["total"] == 5684177
    tjk = top_partners(get_data(), "TJK", 1993, "origin", 2)
    assert tjk["partners"] == [{"iso3": "AFG", "name": "Afghanistan", "value": 32100},
                               {"iso3": "KGZ", "name": "Kyrgyzstan", "value": 20000}]
    assert tjk["others"] == 70108 - 52100


@pytest.mark.parametrize(("iso3", "year", "direction", "layer"), [
    ("UKR", 2022, "origin", "refugees_origin"), ("TJK", 1993, "origin", "refugees_origin"),
    ("RUS", 2022, "asylum", "refugees_hosted"), ("ARM", 1995, "asylum", "refugees_hosted"),
])
def test_total_equals_the_refugees_layer_in_this_edition(iso3, year, direction, layer) -> None:
    data = get_data()
    obs = data.observations
    row = obs[(obs.indicator == layer) & (obs.iso3 == iso3) & (obs.year == year)]
    assert top_partners(data, iso3, year, direction)["total"] == int(row.value.iloc[0])


def test_every_state_and_year_adds_up_to_the_layer() -> None:
    data = get_data()
    flows = load_flows(data.folder)
    ref = flows[flows.population_type == "refugees"]
    obs = data.observations
    for side, layer in (("origin_iso3", "refugees_origin"), ("asylum_iso3", "refugees_hosted")):
        sums = ref.groupby([side, "year"]).value.sum()
        lay = obs[obs.indicator == layer].set_index(["iso3", "year"]).value
        lay = lay[lay > 0]
        assert (sums.reindex(lay.index).fillna(0).astype(int) == lay.astype(int)).all(), layer


def test_no_pairs_and_bad_arguments() -> None:
    data = get_data()
    empty = top_partners(data, "EST", 1991, "asylum", 5)
    assert empty["partners"] == [] and empty["others"] == 0 and empty["total"] == 0
    with pytest.raises(ValueError):
        top_partners(data, "UKR", 2022, "sideways", 5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        top_partners(data, "UKR", 2022, "origin", -1)


def test_a_table_works_as_data() -> None:
    table = pd.DataFrame({"year": [2000] * 3, "origin_iso3": ["GEO"] * 3, "origin_name": ["Georgia"] * 3,
                          "asylum_iso3": ["DEU", "RUS", "AUT"], "asylum_name": ["Germany", "Russia", "Austria"],
                          "population_type": ["refugees"] * 3, "value": [5, 7, 5], "source_id": ["x"] * 3})
    got = top_partners(table, "GEO", 2000, "origin", 2)
    assert [p["iso3"] for p in got["partners"]] == ["RUS", "AUT"]   # ties by code
    assert got["others"] == 5 and got["total"] == 17
