"""The flows step: the published flows table is the snapshot's pairs, named, nothing changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from dashboard.core.config import ISO3, PROCESSED_DIR, SOURCES_DIR
from dashboard.pipeline import BuildError
from dashboard.pipeline.flows import FLOWS_FILE, build_flows

SNAP = SOURCES_DIR / FLOWS_FILE


def test_published_table_is_the_snapshot() -> None:
    pub = pd.read_csv(PROCESSED_DIR / "flows.csv", keep_default_na=False)
    src = pd.read_csv(SNAP, keep_default_na=False)
    assert len(pub) == len(src) == 24495
    key = ["coo_iso", "coa_iso", "year", "indicator"]
    a = src.set_index(key).value.sort_index()
    b = pub.rename(columns={"origin_iso3": "coo_iso", "asylum_iso3": "coa_iso", "population_type": "indicator"}
                   ).set_index(key).value.sort_index()
    assert a.equals(b)
    assert (pub.origin_iso3.isin(ISO3) | pub.asylum_iso3.isin(ISO3)).all()
    assert pub.origin_name.ne("").all() and pub.asylum_name.ne("").all()
    assert set(pub[pub.origin_iso3 == "UNK"].origin_name) == {"Unknown"}
    assert set(pub[pub.origin_iso3 == "XXA"].origin_name) == {"Stateless"}
    assert set(pub.population_type) == {"refugees", "asylum_seekers", "oip", "returned_refugees"}


def test_manifest_and_catalogue_know_the_flows() -> None:
    man = json.loads((PROCESSED_DIR / "manifest.json").read_text())
    assert man["outputs"]["flows.csv"]["rows"] == 24495
    assert man["stages"]["steps"]["flows"]["inputs"] == [FLOWS_FILE]
    assert FLOWS_FILE in man["stages"]["snapshots"]
    assert f"data/sources/{FLOWS_FILE}" in man["inputs"]
    cat = json.loads((PROCESSED_DIR / "indicators.json").read_text())
    assert set(cat["flows"]["codes"]) == {"UNK", "XXA"}
    assert cat["flows"]["codes"]["XXA"]["name"] == "Stateless"


def _copy(tmp_path: Path) -> Path:
    src = tmp_path / "sources"
    shutil.copytree(SOURCES_DIR, src)
    return src


def test_a_changed_snapshot_stops_the_build(tmp_path: Path) -> None:
    src = _copy(tmp_path)
    with (src / FLOWS_FILE).open("a") as fh:
        fh.write("UKR,POL,2025,refugees,1,persons,unhcr_rdf_2025_12_1\n")
    with pytest.raises(BuildError, match="sha256"):
        build_flows(src, src / "curated")


@pytest.mark.parametrize(("line", "problem"), [
    ("ZZZ,UKR,2025,refugees,1,persons,unhcr_rdf_2025_12_1", "no name"),
    ("DEU,POL,2025,refugees,1,persons,unhcr_rdf_2025_12_1", "neither side"),
    ("UKR,POL,2025,refugees,-3,persons,unhcr_rdf_2025_12_1", "positive whole number"),
    ("UKR,POL,2025,idps,3,persons,unhcr_rdf_2025_12_1", "population type"),
    ("UKR,POL,2022,refugees,3,persons,unhcr_rdf_2025_12_1", "duplicate key"),
])
def test_bad_rows_are_refused(tmp_path: Path, line: str, problem: str) -> None:
    src = _copy(tmp_path)
    new = tmp_path / "new.csv"
    new.write_text(SNAP.read_text() + line + "\n")
    with pytest.raises(BuildError, match=problem):
        build_flows(src, src / "curated", override={FLOWS_FILE: new})


def test_codes_are_written_once_in_the_meta() -> None:
    meta = yaml.safe_load((SNAP.parent / (SNAP.name + ".meta.yml")).read_text())["meta"]
    assert set(meta["codes"]) == {"UNK", "XXA"}
    assert set(meta["population_types"]) == {"refugees", "asylum_seekers", "oip", "returned_refugees"}
