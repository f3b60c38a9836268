"""Per-source steps: verified snapshots → tidy tables, one per source (stage 2 of the pipeline).

The stages, as in Our World in Data's ``etl``:

1. **snapshots** (``snapshots.py``): each published file with its metadata; the sha256 is checked
   before the file is read.
2. **tidy steps** (this module): one per source (``unhcr``, ``idmc``, ``wpp``, ``per_capita``,
   ``vdem``, ``freedom_house``, ``polity``), each taking the rows the catalogue
   (``indicators.yaml``) asks of its snapshots and giving a tidy table ``iso3, year, indicator,
   value, category, source_id, notes`` with the notes that belong to that source (published zeros,
   projected denominators, provisional editions); plus ``idps``, which combines UNHCR and IDMC by
   the documented rule. Values are copied, never changed.
3. **publish** (``publish.py``): one table of values for every layer, with class, label, unit,
   source and licence, the notes that need more than one source (series breaks carried to the
   per-1,000 twin, the row where a series changes source), and the membership statuses.

``python -m dashboard.pipeline steps`` prints this graph with row counts; ``… tidy DIR`` writes
every tidy table to DIR for inspection.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.core.config import FIRST_YEAR, ISO3, SOURCES_DIR
from dashboard.pipeline import BuildError
from dashboard.pipeline.readers import numeric, read_csv
from dashboard.pipeline.rules import Rules
from dashboard.pipeline.snapshots import Snapshot, verify

TIDY_COLUMNS = ["iso3", "year", "indicator", "value", "category", "source_id", "notes"]

_SOURCE_COLUMNS = ["iso3", "year", "indicator", "value", "source_id"]
UNHCR_FILE = "migration/unhcr_population_post_soviet.csv"
IDMC_FILE = "migration/idmc_conflict_idps_post_soviet.csv"
PER_CAPITA_FILE = "migration/derived_per_capita_post_soviet.csv"
IDPS_STEP = "idps"


class SourceTables:
    """Reads each snapshot once, after verifying its sha256, and checks its keys.

    ``override`` maps a snapshot's relative path to another file to read in its place (a new
    edition under review by ``update``); that file is validated but has no metadata yet.
    """

    def __init__(self, sources_dir: Path = SOURCES_DIR, override: dict[str, Path] | None = None) -> None:
        self.dir = Path(sources_dir)
        self.override = {k: Path(v) for k, v in (override or {}).items()}
        self._cache: dict[str, pd.DataFrame] = {}
        self.snapshots: dict[str, Snapshot] = {}

    def path(self, rel: str) -> Path:
        return self.override.get(rel, self.dir / rel)

    def get(self, rel: str) -> pd.DataFrame:
        if rel not in self._cache:
            path = self.path(rel)
            if rel in self.override:
                if not path.is_file():
                    raise BuildError(path, "file is missing")
                from dashboard.pipeline.snapshots import load

                self.snapshots[rel] = load(self.dir / rel, self.dir)
            else:
                self.snapshots[rel] = verify(path, self.dir)
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

    def step_of(self, rel: str) -> str:
        self.get(rel)
        return self.snapshots[rel].step


@dataclass(frozen=True)
class Step:
    id: str
    inputs: tuple[str, ...]          # snapshot paths relative to data/sources
    indicators: tuple[str, ...]      # the catalogue's indicator ids it makes


def _select(tables: SourceTables, rel: str, indicator: str, source_id: str | None = None) -> pd.DataFrame:
    df = tables.get(rel)
    sel = df[df["indicator"] == indicator]
    if source_id:
        sel = sel[sel["source_id"] == source_id]
    if sel.empty:
        raise BuildError(tables.path(rel), f"no rows for indicator {indicator!r}")
    return sel.copy()


def _frame(sel: pd.DataFrame, ind_id: str, categorical: bool, path: Path) -> pd.DataFrame:
    out = pd.DataFrame({
        "iso3": sel["iso3"].to_numpy(),
        "year": sel["year"].to_numpy(),
        "indicator": ind_id,
        "source_id": sel["source_id"].to_numpy(),
    })
    raw = sel["value"].astype(str).to_numpy()
    num = pd.to_numeric(pd.Series(raw), errors="coerce")
    if categorical:
        # category ids are the published codes; integral numbers lose a trailing ".0"
        out["category"] = [str(int(v)) if pd.notna(v) and float(v).is_integer() else r
                           for v, r in zip(num, raw, strict=True)]
    else:
        if num.isna().any():
            bad = raw[num.isna().to_numpy()][0]
            raise BuildError(path, f"non-numeric value {bad!r} for {ind_id}")
        out["category"] = ""
    out["value"] = num.to_numpy()
    out["notes"] = [[] for _ in range(len(out))]
    return out[TIDY_COLUMNS]


def _source_notes(df: pd.DataFrame, rel: str, rules: Rules) -> pd.DataFrame:
    """The notes a row gets from its own source: published zero, projected denominator,
    provisional edition (several can apply; none overwrites another)."""
    zero = rules.row_notes["published_zero"]
    proj = rules.row_notes["projected_denominator"]
    provisional = rules.provisional()
    notes = []
    for value, year, src in zip(df["value"], df["year"], df["source_id"], strict=True):
        row: list[str] = []
        if rel in zero["snapshots"] and value == 0:
            row.append(rules.note("published_zero"))
        if rel in proj["snapshots"] and year >= int(proj["from_year"]):
            row.append(rules.note("projected_denominator"))
        if src in provisional:
            row.append(provisional[src])
        notes.append(row)
    df["notes"] = notes
    return df


def plan(specs: list[dict[str, Any]], tables: SourceTables) -> list[Step]:
    """The tidy steps the catalogue needs, in order, each with its snapshots and indicators."""
    inputs: dict[str, list[str]] = {}
    made: dict[str, list[str]] = {}
    for spec in specs:
        frm = spec.get("from") or {}
        if "combine" in frm:
            step, rels = IDPS_STEP, [UNHCR_FILE, IDMC_FILE, PER_CAPITA_FILE]
        elif "file" in frm:
            step, rels = tables.step_of(frm["file"]), [frm["file"]]
        else:
            continue
        inputs.setdefault(step, [])
        inputs[step] += [r for r in rels if r not in inputs[step]]
        made.setdefault(step, []).append(spec["id"])
    order = sorted(inputs, key=lambda s: (s == IDPS_STEP, list(inputs).index(s)))
    return [Step(s, tuple(inputs[s]), tuple(made[s])) for s in order]


def run_step(step: Step, specs: list[dict[str, Any]], tables: SourceTables, rules: Rules) -> pd.DataFrame:
    """The tidy table of one step (years from FIRST_YEAR on), sorted by indicator, iso3, year."""
    by_id = {s["id"]: s for s in specs}
    frames: list[pd.DataFrame] = []
    for ind_id in step.indicators:
        spec = by_id[ind_id]
        frm = spec["from"]
        if "combine" in frm:
            if frm["combine"] not in ("idps", "idps_per_1000"):
                raise BuildError("indicators.yaml", f"unknown combine rule {frm['combine']!r}")
            df = combined_idps(tables, rules, per_1000=frm["combine"] == "idps_per_1000")
        else:
            sel = _select(tables, frm["file"], frm["indicator"], frm.get("source_id"))
            df = _frame(sel, ind_id, spec["kind"] == "categorical", tables.path(frm["file"]))
            df = _source_notes(df, frm["file"], rules)
        frames.append(df[df["year"] >= FIRST_YEAR])
    out = pd.concat(frames, ignore_index=True)[TIDY_COLUMNS]
    out["year"] = out["year"].astype(int)
    return out.sort_values(["indicator", "iso3", "year"], kind="stable").reset_index(drop=True)


def combined_idps(tables: SourceTables, rules: Rules, per_1000: bool) -> pd.DataFrame:
    """UNHCR IDPs where UNHCR reports more than 0; else IDMC; else UNHCR's published 0."""
    def by_key(df: pd.DataFrame) -> dict[tuple[str, int], tuple[float, str]]:
        return {(i, int(y)): (float(v), s) for i, y, v, s in
                zip(df["iso3"], df["year"], df["value"], df["source_id"], strict=True)}

    u = by_key(_select(tables, UNHCR_FILE, "idps_unhcr"))
    m = by_key(_select(tables, IDMC_FILE, "idps_conflict_idmc"))
    proj = rules.row_notes["projected_denominator"]
    if per_1000:
        pc = tables.get(PER_CAPITA_FILE)
        u_pc = by_key(pc[pc["indicator"] == "idps_unhcr_per_1000"])
        m_pc = by_key(pc[pc["indicator"] == "idps_conflict_idmc_per_1000"])
    rows: list[dict[str, Any]] = []
    for key in sorted(set(u) | set(m)):
        u_val = u[key][0] if key in u else None
        if u_val and u_val > 0:
            src, notes = "unhcr", []
        elif key in m:
            src, notes = "idmc", [rules.note("idmc_fallback")]
        else:
            src, notes = "unhcr", [rules.note("published_zero")]
        if per_1000:
            table = u_pc if src == "unhcr" else m_pc
            if key not in table:
                continue  # no population denominator published for that row
            if key[1] >= int(proj["from_year"]):
                notes = [*notes, rules.note("projected_denominator")]
        else:
            table = u if src == "unhcr" else m
        value, source_id = table[key]
        rows.append({
            "iso3": key[0], "year": key[1], "indicator": "idps_per_1000" if per_1000 else "idps",
            "value": value, "category": "", "source_id": source_id, "notes": notes,
        })
    return pd.DataFrame(rows, columns=TIDY_COLUMNS)


def build_tidy(specs: list[dict[str, Any]], tables: SourceTables, rules: Rules) -> dict[str, pd.DataFrame]:
    """Every tidy step's table, by step id, in the order of ``plan``."""
    return {step.id: run_step(step, specs, tables, rules) for step in plan(specs, tables)}
