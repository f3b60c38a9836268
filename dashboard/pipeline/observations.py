"""Observations: one tidy table of every indicator value, exactly as published.

Columns: iso3, year, indicator, value, category, source_id, note.
``value`` is the published number (empty for Freedom House status, which is a code);
``category`` is the category id for categorical indicators (e.g. "PF", "2"), else empty.
A country-year the publisher has no row for is absent (never 0).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.core.config import FIRST_YEAR, ISO3, SOURCES_DIR
from dashboard.pipeline import BuildError
from dashboard.pipeline.readers import numeric, read_csv

COLUMNS = ["iso3", "year", "indicator", "value", "category", "source_id", "note"]

NOTE_ZERO = "published as 0 by UNHCR; may mean not reported"
NOTE_PROJECTED_DENOMINATOR = "denominator: UN WPP 2024 medium-variant projection"
NOTE_FH_PROVISIONAL = "provisional: FIW 2026 values from a second-hand copy of Freedom House's file"
NOTE_IDMC = "IDMC conflict IDPs (UNHCR reports no IDPs for this country-year)"

# Documented series breaks (data/sources/migration/PROVENANCE.md, "Breaks in the series").
BREAK_NOTES: dict[tuple[str, str, int], str] = {
    ("AZE", "refugees_hosted", 2000): "series break: ethnic-Azerbaijani refugees from Armenia "
    "reclassified, not a real outflow",
    ("RUS", "refugees_hosted", 2024): "series break: UNHCR reporting change (2022–23 figures "
    "were mostly Ukrainians)",
    ("ARM", "refugees_hosted", 2010): "fall since 2005 reflects naturalisation and "
    "reclassification",
}

_SOURCE_COLUMNS = ["iso3", "year", "indicator", "value", "source_id"]
_UNHCR_FILE = "migration/unhcr_population_post_soviet.csv"
_IDMC_FILE = "migration/idmc_conflict_idps_post_soviet.csv"
_PER_CAPITA_FILE = "migration/derived_per_capita_post_soviet.csv"


class SourceTables:
    """Reads each source CSV once and checks its keys."""

    def __init__(self, sources_dir: Path = SOURCES_DIR) -> None:
        self.dir = Path(sources_dir)
        self._cache: dict[str, pd.DataFrame] = {}

    def get(self, rel: str) -> pd.DataFrame:
        if rel not in self._cache:
            path = self.dir / rel
            df = read_csv(path, _SOURCE_COLUMNS, dtype={"value": str, "iso3": str})
            unknown = sorted(set(df["iso3"]) - set(ISO3))
            if unknown:
                raise BuildError(path, f"unknown country code(s) {unknown[:5]}")
            df["year"] = numeric(df, "year", path).astype(int)
            if df["value"].isna().any():
                i = int(df["value"].isna().idxmax())
                raise BuildError(path, f"empty value in row {i + 2}")
            dup = df.duplicated(["iso3", "year", "indicator", "source_id"])
            if dup.any():
                i = int(dup.idxmax())
                raise BuildError(path, f"duplicate key in row {i + 2}")
            self._cache[rel] = df
        return self._cache[rel]

    def paths(self) -> list[Path]:
        return [self.dir / rel for rel in sorted(self._cache)]


def _select(tables: SourceTables, rel: str, indicator: str, source_id: str | None = None) -> pd.DataFrame:
    df = tables.get(rel)
    sel = df[df["indicator"] == indicator]
    if source_id:
        sel = sel[sel["source_id"] == source_id]
    if sel.empty:
        raise BuildError(tables.dir / rel, f"no rows for indicator {indicator!r}")
    return sel.copy()


def _frame(sel: pd.DataFrame, ind_id: str, categorical: bool, path: Path) -> pd.DataFrame:
    out = pd.DataFrame({
        "iso3": sel["iso3"].to_numpy(),
        "year": sel["year"].to_numpy(),
        "indicator": ind_id,
        "source_id": sel["source_id"].to_numpy(),
        "note": "",
    })
    raw = sel["value"].astype(str).to_numpy()
    num = pd.to_numeric(pd.Series(raw), errors="coerce")
    if categorical:
        # category ids are the published codes; integral numbers lose a trailing ".0"
        cats = [str(int(v)) if pd.notna(v) and float(v).is_integer() else r
                for v, r in zip(num, raw, strict=True)]
        out["category"] = cats
        out["value"] = num.to_numpy()
    else:
        if num.isna().any():
            bad = raw[num.isna().to_numpy()][0]
            raise BuildError(path, f"non-numeric value {bad!r} for {ind_id}")
        out["category"] = ""
        out["value"] = num.to_numpy()
    return out


def _combined_idps(tables: SourceTables, per_1000: bool) -> pd.DataFrame:
    """UNHCR IDPs where UNHCR reports more than 0; else IDMC; else UNHCR's published 0."""
    unhcr = _select(tables, _UNHCR_FILE, "idps_unhcr")
    idmc = _select(tables, _IDMC_FILE, "idps_conflict_idmc")
    u = unhcr.set_index(["iso3", "year"])
    m = idmc.set_index(["iso3", "year"])
    if per_1000:
        pc = tables.get(_PER_CAPITA_FILE)
        u_pc = pc[pc["indicator"] == "idps_unhcr_per_1000"].set_index(["iso3", "year"])
        m_pc = pc[pc["indicator"] == "idps_conflict_idmc_per_1000"].set_index(["iso3", "year"])
    rows: list[dict[str, Any]] = []
    for key in sorted(set(u.index) | set(m.index)):
        in_u = key in u.index
        u_val = float(u.loc[key, "value"]) if in_u else None
        if in_u and u_val and u_val > 0:
            src, note = "unhcr", ""
        elif key in m.index:
            src, note = "idmc", NOTE_IDMC
        else:
            src, note = "unhcr", NOTE_ZERO
        if per_1000:
            table = u_pc if src == "unhcr" else m_pc
            if key not in table.index:
                continue  # no population denominator published for that row
            rec = table.loc[key]
        else:
            rec = (u if src == "unhcr" else m).loc[key]
        rows.append({
            "iso3": key[0], "year": int(key[1]),
            "indicator": "idps_per_1000" if per_1000 else "idps",
            "value": float(rec["value"]), "category": "",
            "source_id": rec["source_id"], "note": note,
        })
    return pd.DataFrame(rows, columns=COLUMNS)


def _notes(df: pd.DataFrame, spec: dict[str, Any]) -> pd.DataFrame:
    src_file = spec.get("from", {}).get("file", "")
    ind = spec["id"]
    if src_file == _UNHCR_FILE:
        zero = df["value"] == 0
        df.loc[zero, "note"] = NOTE_ZERO
    if src_file == _PER_CAPITA_FILE:
        df.loc[df["year"] >= 2024, "note"] = NOTE_PROJECTED_DENOMINATOR
        base_zero = df["value"] == 0
        df.loc[base_zero, "note"] = NOTE_ZERO
    if ind.startswith("fh_"):
        df.loc[df["source_id"] == "fh_fiw2026_wde", "note"] = NOTE_FH_PROVISIONAL
    for (iso3, i, year), text in BREAK_NOTES.items():
        if i == ind:
            df.loc[(df["iso3"] == iso3) & (df["year"] == year), "note"] = text
    return df


def build_observations(specs: list[dict[str, Any]], tables: SourceTables) -> pd.DataFrame:
    """All observations of the catalogue's data indicators, sorted by indicator, iso3, year."""
    frames: list[pd.DataFrame] = []
    for spec in specs:
        frm = spec.get("from")
        if not frm:
            continue
        if "combine" in frm:
            if frm["combine"] not in ("idps", "idps_per_1000"):
                raise BuildError("indicators.yaml", f"unknown combine rule {frm['combine']!r}")
            df = _combined_idps(tables, per_1000=frm["combine"] == "idps_per_1000")
        else:
            sel = _select(tables, frm["file"], frm["indicator"], frm.get("source_id"))
            df = _frame(sel, spec["id"], spec["kind"] == "categorical", tables.dir / frm["file"])
            df = _notes(df, spec)
        frames.append(df[df["year"] >= FIRST_YEAR])
    obs = pd.concat(frames, ignore_index=True)[COLUMNS]
    obs["year"] = obs["year"].astype(int)
    return obs.sort_values(["indicator", "iso3", "year"], kind="stable").reset_index(drop=True)
