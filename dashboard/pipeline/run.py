"""One entry point: sources in the repo → every processed table (and the boundary layers).

Everything is built and validated in memory first; only then are the files written, each one
atomically. A missing or corrupt source therefore stops the build with a message naming the file,
and the last good processed files stay untouched.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.core.config import CURATED_DIR, PROCESSED_DIR, SOURCES_DIR
from dashboard.pipeline.catalogue import indicator_catalogue, load_indicator_specs, sources_catalogue
from dashboard.pipeline.events import build_events
from dashboard.pipeline.io import csv_text, write_text
from dashboard.pipeline.memberships import build_memberships
from dashboard.pipeline.observations import SourceTables, build_observations
from dashboard.pipeline.readers import sha256
from dashboard.pipeline.validate import check_observations, check_status_table

OUTPUT_FILES = ("observations.csv", "indicators.json", "sources.csv", "organisations.json",
                "memberships.csv", "membership_status.csv", "events.csv", "manifest.json")


def _json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1) + "\n"


def build_tables(sources_dir: Path = SOURCES_DIR, curated_dir: Path | None = None) -> dict[str, str]:
    """Build and validate every table; return {file name: file text}. Writes nothing."""
    sources_dir = Path(sources_dir)
    curated_dir = Path(curated_dir) if curated_dir else sources_dir / "curated"
    groups, specs = load_indicator_specs(curated_dir / "indicators.yaml")
    tables = SourceTables(sources_dir)
    obs = build_observations(specs, tables)

    orgs, spells, status, org_files = build_memberships(curated_dir)
    events = build_events([o["id"] for o in orgs], curated_dir)

    feeds: dict[str, list[str]] = {}
    for ind_id, src in obs[["indicator", "source_id"]].drop_duplicates().itertuples(index=False):
        feeds.setdefault(src, []).append(ind_id)
    feeds["atlas_memberships"] = [o["id"] for o in orgs]
    feeds["atlas_events"] = ["events"]
    feeds["natural_earth"] = ["geodata"]
    feeds["olcott_aslund_garnett_1999"] = ["events"]
    sources, short = sources_catalogue(sources_dir, curated_dir / "sources_extra.yaml", feeds)
    licences = dict(zip(sources["source_id"], sources["license_short"], strict=True))
    catalogue = indicator_catalogue(groups, specs, orgs, obs, short, licences)

    check_observations(obs, specs, catalogue, set(sources["source_id"]))
    check_status_table(status, orgs)

    inputs = sorted({*tables.paths(), *org_files, curated_dir / "indicators.yaml",
                     curated_dir / "sources_extra.yaml", curated_dir / "events.csv",
                     sources_dir / "migration" / "sources.csv",
                     sources_dir / "regimes" / "sources.csv"})
    out = {
        "observations.csv": csv_text(obs),
        "indicators.json": _json(catalogue),
        "sources.csv": csv_text(sources),
        "organisations.json": _json(orgs),
        "memberships.csv": csv_text(spells),
        "membership_status.csv": csv_text(status),
        "events.csv": csv_text(events),
    }
    out["manifest.json"] = _json({
        "inputs": {p.relative_to(sources_dir.parent.parent).as_posix()
                   if p.is_relative_to(sources_dir.parent.parent) else p.name: sha256(p)
                   for p in inputs},
        "rows": {name: text.count("\n") - 1 for name, text in out.items() if name.endswith(".csv")},
    })
    return out


def write_tables(files: dict[str, str], out_dir: Path = PROCESSED_DIR) -> None:
    for name, text in files.items():
        write_text(Path(out_dir) / name, text)


def build_all(*, only: str | None = None, sources_dir: Path = SOURCES_DIR,
              out_dir: Path = PROCESSED_DIR) -> list[str]:
    """Rebuild what ``only`` names ('tables', 'geo' or None = both); return what was written."""
    written: list[str] = []
    if only in (None, "tables"):
        files = build_tables(sources_dir, CURATED_DIR if sources_dir == SOURCES_DIR else None)
        write_tables(files, out_dir)
        written += [str(Path(out_dir) / n) for n in files]
    if only in (None, "geo"):
        from dashboard.pipeline.geo import build_geodata

        written += [str(p) for p in build_geodata().values()]
    return written


def read_processed(name: str, out_dir: Path = PROCESSED_DIR) -> pd.DataFrame:
    return pd.read_csv(Path(out_dir) / name, keep_default_na=False, na_values=[""])
