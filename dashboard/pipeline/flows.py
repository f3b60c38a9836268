"""The ``flows`` step: UNHCR origin→asylum pairs → the tidy flows table (``flows.csv``).

Input: the snapshot ``migration/unhcr_bilateral_post_soviet.csv`` (sha256 checked first), the
English names of the 15 states (``core.config.NAMES_EN``), of the partner countries
(``curated/partner_names.csv``) and of UNHCR's codes that are not countries (``UNK`` unknown,
``XXA`` stateless: the ``codes`` of the snapshot's ``.meta.yml``, written there once).

Output: one row per year, origin, country of asylum and population type, for pairs in which the
origin or the country of asylum is one of the 15: ``year, origin_iso3, origin_name, asylum_iso3,
asylum_name, population_type, value, source_id``. ``population_type`` is UNHCR's column as the
file has it (``refugees``, ``asylum_seekers``, ``oip``, ``returned_refugees``; meanings in the
``.meta.yml``). Values are copied, never changed. The file holds non-zero values only, so a pair
missing in a year means no record or 0 (UNHCR's zeros are not told apart here). All four types
are published (24,495 rows, about 1.6 MB): the table is read on first use by the flows endpoint and
the flows view, never on the first page load.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.core.config import FIRST_YEAR, ISO3, NAMES_EN
from dashboard.pipeline import BuildError
from dashboard.pipeline.io import csv_text
from dashboard.pipeline.readers import numeric, read_csv
from dashboard.pipeline.snapshots import load, verify

FLOWS_FILE = "migration/unhcr_bilateral_post_soviet.csv"
PARTNER_NAMES_FILE = "partner_names.csv"
FLOWS_OUTPUT = "flows.csv"
FLOWS_STEP = "flows"
FLOW_COLUMNS = ["year", "origin_iso3", "origin_name", "asylum_iso3", "asylum_name", "population_type",
                "value", "source_id"]
_SOURCE_COLUMNS = ["coo_iso", "coa_iso", "year", "indicator", "value", "unit", "source_id"]


def partner_names(curated_dir: Path) -> dict[str, str]:
    path = Path(curated_dir) / PARTNER_NAMES_FILE
    df = read_csv(path, ["iso3", "name_en", "name_en_source"], dtype=str)
    if df["iso3"].duplicated().any():
        raise BuildError(path, f"duplicate iso3 {df.loc[df['iso3'].duplicated(), 'iso3'].iloc[0]!r}")
    if df["name_en"].isna().any() or (df["name_en"].str.strip() == "").any():
        raise BuildError(path, "a partner has no name_en")
    return dict(zip(df["iso3"], df["name_en"], strict=True))


def build_flows(sources_dir: Path, curated_dir: Path, override: dict[str, Path] | None = None,
                known_sources: set[str] | None = None) -> tuple[pd.DataFrame, Any, Path]:
    """(the flows table, the snapshot, the path read). ``override`` reads another file in place
    of the snapshot (``update``)."""
    sources_dir = Path(sources_dir)
    path = Path((override or {}).get(FLOWS_FILE, sources_dir / FLOWS_FILE))
    if FLOWS_FILE in (override or {}):
        if not path.is_file():
            raise BuildError(path, "file is missing")
        snap = load(sources_dir / FLOWS_FILE, sources_dir)
    else:
        snap = verify(path, sources_dir)
    meta = snap.meta["meta"]
    codes = {k: str(v["name"]) for k, v in (meta.get("codes") or {}).items()}
    types = list(meta.get("population_types") or {})
    names = {**NAMES_EN, **partner_names(curated_dir), **codes}

    df = read_csv(path, _SOURCE_COLUMNS, dtype={"value": str, "coo_iso": str, "coa_iso": str})
    df["year"] = numeric(df, "year", path).astype(int)
    value = pd.to_numeric(df["value"], errors="coerce")
    if value.isna().any():
        i = int(value.isna().to_numpy().argmax())
        raise BuildError(path, f"non-numeric or empty value in row {i + 2}")
    if (value <= 0).any() or (value % 1 != 0).any():
        i = int(((value <= 0) | (value % 1 != 0)).to_numpy().argmax())
        raise BuildError(path, f"row {i + 2}: a count must be a positive whole number, got {df['value'].iloc[i]!r}")
    df["value"] = value.astype("int64")
    unknown = sorted((set(df["coo_iso"]) | set(df["coa_iso"])) - set(names))
    if unknown:
        raise BuildError(path, f"code(s) with no name in curated/{PARTNER_NAMES_FILE} or the .meta.yml codes: "
                               f"{unknown[:5]}")
    bad_type = sorted(set(df["indicator"]) - set(types))
    if bad_type:
        raise BuildError(path, f"population type(s) {bad_type} not described in population_types of the .meta.yml")
    if set(df["unit"]) != {"persons"}:
        raise BuildError(path, f"unit must be 'persons', got {sorted(set(df['unit']))}")
    outside = ~(df["coo_iso"].isin(ISO3) | df["coa_iso"].isin(ISO3))
    if outside.any():
        raise BuildError(path, f"row {int(outside.to_numpy().argmax()) + 2}: neither side is one of the 15 states")
    dup = df.duplicated(["coo_iso", "coa_iso", "year", "indicator"])
    if dup.any():
        raise BuildError(path, f"duplicate key in row {int(dup.to_numpy().argmax()) + 2}")
    if known_sources is not None:
        missing = sorted(set(df["source_id"]) - known_sources)
        if missing:
            raise BuildError(path, f"source id(s) {missing} not in sources.csv")
    df = df[df["year"] >= FIRST_YEAR]
    out = pd.DataFrame({
        "year": df["year"], "origin_iso3": df["coo_iso"], "origin_name": df["coo_iso"].map(names),
        "asylum_iso3": df["coa_iso"], "asylum_name": df["coa_iso"].map(names),
        "population_type": df["indicator"], "value": df["value"], "source_id": df["source_id"],
    })
    out = out.sort_values(["year", "origin_iso3", "asylum_iso3", "population_type"], kind="stable")
    return out.reset_index(drop=True)[FLOW_COLUMNS], snap, path


def flows_csv(table: pd.DataFrame) -> str:
    return csv_text(table)


def flows_metadata(snap: Any) -> dict[str, Any]:
    """What the catalogue publishes about the flows table: population types and UNHCR's codes."""
    meta = snap.meta["meta"]
    return {
        "file": FLOWS_OUTPUT,
        "columns": FLOW_COLUMNS,
        "population_types": dict(meta.get("population_types") or {}),
        "codes": {k: dict(v) for k, v in (meta.get("codes") or {}).items()},
        "source_ids": list(snap.source_ids),
    }
