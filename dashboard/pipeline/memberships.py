"""Membership history: curated spells → a status per state, organisation and year.

The rule (documented in data/README.md and tested): the status of a year is the status of the
spell in force on 31 December of that year — for the current year, on ``config.AS_OF`` — and a
state-year that no spell covers takes the organisation's ``default_status``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.core.config import CURATED_DIR, ISO3, YEARS, status_reference_date
from dashboard.pipeline import BuildError
from dashboard.pipeline.colours import Palettes
from dashboard.pipeline.readers import read_csv, read_yaml

SPELL_COLUMNS = ["iso3", "org", "status", "start_date", "end_date", "basis", "source",
                 "source_url", "note"]
STATUS_COLUMNS = ["iso3", "org", "year", "status", "basis", "source"]

# Legend / selector order of the organisations.
ORG_ORDER = ["cis", "csto", "eurasian", "union_state", "central_asian", "guam", "sco", "eu",
             "nato", "eap"]


def _date(value: Any, path: Path, row: int, column: str) -> dt.date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return None
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise BuildError(path, f"row {row}: {column} {value!r} is not a YYYY-MM-DD date") from exc


def load_org(yaml_path: Path, palettes: Palettes | None = None) -> dict[str, Any]:
    """An organisation's metadata with its ordered statuses (and their colours)."""
    meta = read_yaml(yaml_path)
    for key in ("id", "name", "short_name", "description", "statuses", "default_status"):
        if key not in meta:
            raise BuildError(yaml_path, f"missing key {key!r}")
    if meta["id"] != yaml_path.stem:
        raise BuildError(yaml_path, f"id {meta['id']!r} differs from the file name")
    statuses = meta["statuses"]
    ids = [s.get("id") for s in statuses]
    if len(set(ids)) != len(ids) or None in ids:
        raise BuildError(yaml_path, "status ids must be present and unique")
    if meta["default_status"] not in ids:
        raise BuildError(yaml_path, f"default_status {meta['default_status']!r} is not a status")
    for s in statuses:
        if not s.get("label"):
            raise BuildError(yaml_path, f"status {s['id']!r} has no label")
        s["default"] = s["id"] == meta["default_status"]
        s["member"] = bool(s.get("member", False))
        # a full member: the organisation's full membership in that year (not associate, frozen,
        # pre-Charter, …); the one definition the overlap view's counts use (a subset of member)
        s["full_member"] = bool(s.get("full_member", False))
        if s["full_member"] and not s["member"]:
            raise BuildError(yaml_path, f"status {s['id']!r} is full_member but not member")
    palettes = palettes or Palettes(yaml_path.parent.parent)
    for s, colour in zip(statuses, palettes.membership_colours(statuses), strict=True):
        s["color"] = colour
    return {
        "id": meta["id"],
        "name": meta["name"],
        "short_name": meta["short_name"],
        "founded": str(meta.get("founded", "")),
        "description": " ".join(str(meta["description"]).split()),
        "default_status": meta["default_status"],
        "statuses": [
            {"id": s["id"], "label": s["label"], "member": s["member"], "full_member": s["full_member"],
             "default": s["default"],
             "description": " ".join(str(s.get("description", "")).split()), "color": s["color"]}
            for s in statuses
        ],
        "sources": meta.get("sources", []) or [],
    }


def load_spells(csv_path: Path, org: dict[str, Any]) -> pd.DataFrame:
    """An organisation's spells, validated: known codes and statuses, real dates, no overlap."""
    df = read_csv(csv_path, SPELL_COLUMNS, dtype=str)
    df = df.fillna("")
    valid = {s["id"] for s in org["statuses"]}
    starts: list[dt.date] = []
    ends: list[dt.date | None] = []
    for i, rec in enumerate(df.itertuples(index=False), start=2):
        if rec.iso3 not in ISO3:
            raise BuildError(csv_path, f"row {i}: unknown country code {rec.iso3!r}")
        if rec.org != org["id"]:
            raise BuildError(csv_path, f"row {i}: org {rec.org!r} in the file of {org['id']!r}")
        if rec.status not in valid:
            raise BuildError(csv_path, f"row {i}: status {rec.status!r} not in {sorted(valid)}")
        start = _date(rec.start_date, csv_path, i, "start_date")
        if start is None:
            raise BuildError(csv_path, f"row {i}: start_date is empty")
        end = _date(rec.end_date, csv_path, i, "end_date")
        if end is not None and end < start:
            raise BuildError(csv_path, f"row {i}: end_date {end} before start_date {start}")
        if not rec.source.strip():
            raise BuildError(csv_path, f"row {i}: no source")
        starts.append(start)
        ends.append(end)
    df["_start"] = starts
    df["_end"] = ends
    for iso3, grp in df.groupby("iso3"):
        grp = grp.sort_values("_start")
        prev_end: dt.date | None = dt.date.min
        prev_row = None
        for idx, rec in grp.iterrows():
            if prev_row is not None and (prev_end is None or rec["_start"] <= prev_end):
                raise BuildError(csv_path, f"overlapping spells for {iso3}: rows {prev_row + 2} "
                                           f"and {idx + 2}")
            prev_end, prev_row = rec["_end"], idx
    return df


def _spells_by_state(spells: pd.DataFrame) -> dict[str, list[tuple[Any, ...]]]:
    out: dict[str, list[tuple[Any, ...]]] = {}
    cols = ("_start", "_end", "status", "basis", "source")
    for iso3, *rec in zip(spells["iso3"], *(spells[c] for c in cols), strict=True):
        out.setdefault(iso3, []).append(tuple(rec))
    return out


def status_on(spells: pd.DataFrame, iso3: str, org: dict[str, Any], day: dt.date) -> dict[str, str]:
    """The spell in force for a state on a day, or the default status."""
    return _status_on(_spells_by_state(spells).get(iso3, []), org, day)


def _status_on(mine: list[tuple[Any, ...]], org: dict[str, Any], day: dt.date) -> dict[str, str]:
    for start, end, status, basis, source in mine:
        if start <= day and (end is None or end >= day):
            return {"status": status, "basis": basis, "source": source}
    return {"status": org["default_status"], "basis": "", "source": ""}


def yearly_status(spells: pd.DataFrame, org: dict[str, Any]) -> pd.DataFrame:
    """One status per state and year: the spell in force on the year's reference day
    (``config.status_reference_date``: 31 December, or AS_OF for the current year)."""
    by_state = _spells_by_state(spells)
    rows = []
    for iso3 in ISO3:
        mine = by_state.get(iso3, [])
        for year in YEARS:
            rows.append({"iso3": iso3, "org": org["id"], "year": year,
                         **_status_on(mine, org, status_reference_date(year))})
    return pd.DataFrame(rows, columns=STATUS_COLUMNS)


def build_memberships(curated_dir: Path = CURATED_DIR, palettes: Palettes | None = None
                      ) -> tuple[list[dict[str, Any]], pd.DataFrame, pd.DataFrame, list[Path]]:
    """(organisations, spells, yearly statuses, files read)."""
    folder = Path(curated_dir) / "memberships"
    orgs: list[dict[str, Any]] = []
    spell_frames: list[pd.DataFrame] = []
    status_frames: list[pd.DataFrame] = []
    files: list[Path] = []
    present = sorted(p.stem for p in folder.glob("*.yaml"))
    missing = [o for o in ORG_ORDER if o not in present]
    if missing:
        raise BuildError(folder, f"missing organisation file(s) {missing}")
    extra = [o for o in present if o not in ORG_ORDER]
    for org_id in ORG_ORDER + extra:
        yaml_path, csv_path = folder / f"{org_id}.yaml", folder / f"{org_id}.csv"
        org = load_org(yaml_path, palettes)
        spells = load_spells(csv_path, org)
        orgs.append(org)
        spell_frames.append(spells)
        status_frames.append(yearly_status(spells, org))
        files += [yaml_path, csv_path]
    spells_all = pd.concat(spell_frames, ignore_index=True)
    spells_all = spells_all.sort_values(["org", "iso3", "_start"], kind="stable")
    spells_all = spells_all[SPELL_COLUMNS].reset_index(drop=True)
    status_all = pd.concat(status_frames, ignore_index=True)
    return orgs, spells_all, status_all, files
