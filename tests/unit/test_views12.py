"""The data behind the chart, ranking and compare views and the citation (issue 12): the layer
payload carries every year's numbers; the wide table; a layer's sources."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.core import figures
from dashboard.core.config import ISO3, YEARS
from dashboard.core.data import get_data
from dashboard.export import downloads
from dashboard.views.layout import layer_sources, meta, source_records


@pytest.fixture(scope="module")
def data():  # type: ignore[no-untyped-def]
    return get_data()


@pytest.mark.parametrize("layer", ["refugees_hosted_per_1000", "fh_total", "polity2", "cis", "fh_status"])
def test_payload_values_are_the_observations(data, layer: str) -> None:  # type: ignore[no-untyped-def]
    p = figures.layer_payload(data, layer)
    fr = p["frames"]
    assert fr["iso3"] == list(ISO3)
    assert fr["numeric"] == (data.indicators[layer]["kind"] != "categorical")
    assert len(p["style"]["classes"]) == len(data.indicators[layer]["classes"])
    obs = data.observations[data.observations["indicator"] == layer]
    want = {(r.iso3, int(r.year)): r.value for r in obs.itertuples(index=False)}
    for y in YEARS:
        for iso, v in zip(ISO3, fr["years"][str(y)]["values"], strict=True):
            w = want.get((iso, y))
            if w is None or (isinstance(w, float) and math.isnan(w)):
                assert v is None
            else:
                assert v == pytest.approx(w)


def test_wide_table_is_the_long_table_turned(data) -> None:  # type: ignore[no-untyped-def]
    inds, states = ["fh_total", "cis"], ["GEO", "ARM", "EST"]
    wide = downloads.wide_rows(data, inds, states, 2010, 2020)
    assert list(wide.columns) == [*downloads.WIDE_KEYS, *[str(y) for y in range(2010, 2021)]]
    assert list(zip(wide["indicator"], wide["iso3"], strict=True)) == [
        (i, c) for i in inds for c in ("ARM", "EST", "GEO")]
    long = downloads.table_rows(data, inds, states, 2010, 2020)
    for r in long.itertuples(index=False):
        cell = wide[(wide["indicator"] == r.indicator) & (wide["iso3"] == r.iso3)][str(r.year)].iloc[0]
        if pd.isna(r.value):
            assert cell == r.category_label
        else:
            assert float(cell) == pytest.approx(r.value)
    # a year without a value is an empty cell
    assert wide[(wide["indicator"] == "fh_total") & (wide["iso3"] == "GEO")]["2010"].iloc[0] == ""


def test_layer_sources_include_what_a_derived_source_is_computed_from(data) -> None:  # type: ignore[no-untyped-def]
    ids = layer_sources(data, "refugees_hosted_per_1000")
    assert ids[0] == "derived_unhcr_over_wpp2024"
    assert "unhcr_rdf_2025_12_1" in ids
    assert layer_sources(data, "fh_status") == data.indicators["fh_status"]["source_ids"]
    recs = source_records(data)
    m = meta(data)
    for layer in m["layers"].values():
        for sid in layer["sources"]:
            assert m["sources"][sid] == recs[sid]
            assert recs[sid]["citation"]


@pytest.mark.parametrize("layer", ["vdem_polyarchy", "vdem_libdem"])
def test_vdem_indices_carry_their_68_percent_interval(data, layer: str) -> None:  # type: ignore[no-untyped-def]
    fr = figures.layer_payload(data, layer)["frames"]
    assert fr["band"] == "68% interval"
    obs = data.observations
    for end, k in (("low", 0), ("high", 1)):
        rows = obs[obs["indicator"] == f"{layer}_{end}"]
        assert len(rows) >= 500
        for r in rows.itertuples(index=False):
            assert fr["years"][str(int(r.year))]["band"][k][ISO3.index(r.iso3)] == pytest.approx(r.value)
    # every point lies inside its interval
    for y in YEARS:
        yr = fr["years"][str(y)]
        for v, lo, hi in zip(yr["values"], *yr["band"], strict=True):
            if v is not None and lo is not None:
                assert lo <= v <= hi
    assert figures.layer_payload(data, "fh_total")["frames"]["band"] is None
