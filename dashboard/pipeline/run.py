"""One entry point: snapshots → tidy steps → the published set (and the boundary layers).

Everything is built and validated in memory first; only then is the set published, as a whole
(``publish.publish_set``). A missing, changed or corrupt source therefore stops the build with
a message naming the file, and the current published set stays as it was.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.core.config import AS_OF, CURATED_DIR, PROCESSED_DIR, SOURCES_DIR
from dashboard.core.data import MANIFEST, VALUES
from dashboard.pipeline import BuildError
from dashboard.pipeline.catalogue import indicator_catalogue, load_indicator_specs, sources_catalogue
from dashboard.pipeline.colours import PALETTES_FILE, Palettes
from dashboard.pipeline.events import build_events
from dashboard.pipeline.flows import FLOWS_FILE, FLOWS_OUTPUT, FLOWS_STEP, build_flows, flows_csv, flows_metadata
from dashboard.pipeline.io import csv_text
from dashboard.pipeline.memberships import build_memberships
from dashboard.pipeline.publish import cross_source_notes, manifest, publish_set, values_csv, values_table
from dashboard.pipeline.readers import sha256
from dashboard.pipeline.rules import RULES_FILE, load_rules
from dashboard.pipeline.snapshots import meta_path
from dashboard.pipeline.steps import TIDY_COLUMNS, SourceTables, build_tidy, plan
from dashboard.pipeline.validate import check_observations, check_status_table, check_values

OUTPUT_FILES = (VALUES, "indicators.json", "sources.csv", "organisations.json", "memberships.csv",
                "events.csv", FLOWS_OUTPUT, MANIFEST)


def _json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1) + "\n"


@dataclass
class Build:
    """Everything one build made, in memory."""

    files: dict[str, str]                 # the published set: name → text
    tidy: dict[str, pd.DataFrame]         # step id → tidy table
    values: pd.DataFrame                  # the one table (notes as lists)


def build(sources_dir: Path = SOURCES_DIR, curated_dir: Path | None = None,
          override: dict[str, Path] | None = None) -> Build:
    """Build and validate the whole set in memory; ``override`` reads another file in place of a
    snapshot (``update``). Writes nothing."""
    sources_dir = Path(sources_dir)
    curated_dir = Path(curated_dir) if curated_dir else sources_dir / "curated"
    rules = load_rules(curated_dir)
    palettes = Palettes(curated_dir)
    groups, specs = load_indicator_specs(curated_dir / "indicators.yaml", palettes, rules)
    tables = SourceTables(sources_dir, override)
    tidy = build_tidy(specs, tables, rules)
    obs = pd.concat(tidy.values(), ignore_index=True)[TIDY_COLUMNS]
    obs = obs.sort_values(["indicator", "iso3", "year"], kind="stable").reset_index(drop=True)

    orgs, spells, status, org_files = build_memberships(curated_dir, palettes)
    events = build_events([o["id"] for o in orgs], curated_dir)

    feeds: dict[str, list[str]] = {}
    for ind_id, src in obs[["indicator", "source_id"]].drop_duplicates().itertuples(index=False):
        feeds.setdefault(src, []).append(ind_id)
    flows, flows_snap, flows_path = build_flows(sources_dir, curated_dir, override)
    for src in sorted(set(flows["source_id"])):
        feeds.setdefault(src, []).append(FLOWS_STEP)
    feeds["atlas_memberships"] = [o["id"] for o in orgs]
    feeds["atlas_events"] = ["events"]
    feeds["natural_earth"] = ["geodata"]
    feeds["olcott_aslund_garnett_1999"] = ["events"]
    sources, short = sources_catalogue(sources_dir, curated_dir / "sources_extra.yaml", feeds)
    licences = dict(zip(sources["source_id"], sources["license_short"], strict=True))
    catalogue = indicator_catalogue(groups, specs, orgs, obs, short, licences, palettes, rules)
    missing = sorted(set(flows["source_id"]) - set(sources["source_id"]))
    if missing:
        raise BuildError(flows_path, f"source id(s) {missing} not in sources.csv")
    catalogue["flows"] = flows_metadata(flows_snap)

    check_observations(obs, specs, catalogue, set(sources["source_id"]))
    check_status_table(status, orgs)
    obs = cross_source_notes(obs, specs, rules, short)
    values = values_table(obs, status, catalogue, short, licences)
    check_values(values, catalogue)

    files = {
        VALUES: values_csv(values),
        "indicators.json": _json(catalogue),
        "sources.csv": csv_text(sources),
        "organisations.json": _json(orgs),
        "memberships.csv": csv_text(spells),
        "events.csv": csv_text(events),
        FLOWS_OUTPUT: flows_csv(flows),
    }
    steps = plan(specs, tables)
    root = sources_dir.parent.parent

    def name(p: Path) -> str:
        return p.relative_to(root).as_posix() if p.is_relative_to(root) else p.name

    inputs = sorted({*tables.paths(), *org_files, *(Path(p) for p in (
        curated_dir / "indicators.yaml", curated_dir / RULES_FILE, curated_dir / PALETTES_FILE,
        curated_dir / "sources_extra.yaml", curated_dir / "events.csv", curated_dir / "partner_names.csv",
        sources_dir / "migration" / "sources.csv", sources_dir / "regimes" / "sources.csv"))})
    input_hashes = {name(p): sha256(tables.path(p.relative_to(sources_dir).as_posix())
                                    if p.is_relative_to(sources_dir) else p) for p in inputs}
    tables.snapshots[FLOWS_FILE] = flows_snap
    input_hashes[name(sources_dir / FLOWS_FILE)] = sha256(flows_path)
    for snap in tables.snapshots.values():   # the snapshots' metadata files are inputs too
        mpath = meta_path(snap.path)
        input_hashes[name(mpath)] = sha256(mpath)
    stages = {
        "snapshots": {rel: {"step": s.step, "sha256": s.sha256,
                            "version": s.origin.get("version_producer", ""),
                            "date_accessed": str(s.origin.get("date_accessed", ""))}
                      for rel, s in sorted(tables.snapshots.items())},
        "steps": {s.id: {"inputs": list(s.inputs), "indicators": list(s.indicators), "rows": len(tidy[s.id])}
                  for s in steps}
        | {FLOWS_STEP: {"inputs": [FLOWS_FILE],
                        "indicators": list(dict.fromkeys(flows["population_type"])), "outputs": [FLOWS_OUTPUT],
                        "rows": len(flows)}},
        "publish": {"inputs": [s.id for s in steps] + [FLOWS_STEP, "memberships", "events"],
                    "outputs": sorted(files)},
    }
    files[MANIFEST] = _json(manifest(files, input_hashes, stages, AS_OF.isoformat()))
    return Build(files, tidy, values)


def build_tables(sources_dir: Path = SOURCES_DIR, curated_dir: Path | None = None) -> dict[str, str]:
    """Build and validate every published file; return {file name: file text}. Writes nothing."""
    return build(sources_dir, curated_dir).files


def build_all(*, only: str | None = None, sources_dir: Path = SOURCES_DIR,
              out_dir: Path = PROCESSED_DIR) -> list[str]:
    """Rebuild what ``only`` names ('tables', 'geo' or None = both); return what was written.
    ``out_dir`` is the link to the current set (``data/processed``)."""
    written: list[str] = []
    if only in (None, "tables"):
        files = build_tables(sources_dir, CURATED_DIR if sources_dir == SOURCES_DIR else None)
        version, changed = publish_set(files, Path(out_dir))
        written += [f"{out_dir} -> published/{Path(out_dir).resolve().name} (data version {version}"
                    + ("" if changed else ", unchanged") + ")"]
    if only in (None, "geo"):
        from dashboard.pipeline.geo import build_geodata

        written += [str(p) for p in build_geodata().values()]
    return written


def read_processed(name: str, out_dir: Path = PROCESSED_DIR) -> pd.DataFrame:
    return pd.read_csv(Path(out_dir) / name, keep_default_na=False, na_values=[""])
