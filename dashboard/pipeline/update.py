"""The yearly update: a publisher's new edition of one snapshot → validation → a diff against the
published data → (only when asked) a new snapshot and a new published set.

``python -m dashboard.pipeline update <snapshot> <new file> [--publish]`` (docs/updating-data.md).
The new file must have the snapshot's format. It is validated by running the whole build with
it in place of the snapshot (every check of a normal build applies), and the resulting table of
values is compared with the published one: rows added, removed and changed per layer, the largest
changes, the series whose source changes, and possible breaks (a value at least doubling or
halving from one year to the next where the published data had no such jump).
"""

from __future__ import annotations

import datetime as dt
import math
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import pandas as pd
import yaml

from dashboard.core.config import PROCESSED_DIR, SOURCES_DIR
from dashboard.core.data import NOTE_SEPARATOR, VALUES, verify_published
from dashboard.core.numbers import fmt_number
from dashboard.pipeline import BuildError
from dashboard.pipeline.io import write_bytes, write_text
from dashboard.pipeline.publish import publish_set
from dashboard.pipeline.run import build
from dashboard.pipeline.snapshots import all_snapshots, find, meta_path, meta_text, sha256_file

KEY = ["indicator", "iso3", "year"]
TOP = 10
JUMP = 2.0   # a value at least doubling or halving from one year to the next is a possible break


def _published_values(link: Path) -> pd.DataFrame:
    folder = Path(link).resolve()
    verify_published(folder, None)
    table = pd.read_csv(folder / VALUES, keep_default_na=False, na_values=[""])
    table["notes"] = [tuple(n.split(NOTE_SEPARATOR)) if isinstance(n, str) and n else () for n in table["notes"]]
    table["category"] = table["category"].fillna("").astype(str)
    return table


@dataclass
class Diff:
    added: pd.DataFrame
    removed: pd.DataFrame
    changed: pd.DataFrame            # both sides, suffixes _old / _new
    source_changes: list[str] = field(default_factory=list)
    breaks: list[str] = field(default_factory=list)
    n_old: int = 0
    n_new: int = 0


def _same(a: object, b: object) -> bool:
    fa = isinstance(a, float) and math.isnan(a)
    fb = isinstance(b, float) and math.isnan(b)
    return (fa and fb) or (not fa and not fb and a == b)


def _years(years: list[int]) -> str:
    years = sorted(years)
    return f"{years[0]}" if len(years) == 1 else f"{years[0]}–{years[-1]}" if years == list(
        range(years[0], years[-1] + 1)) else ", ".join(map(str, years))


def diff_values(old: pd.DataFrame, new: pd.DataFrame) -> Diff:
    """What changes between two tables of values (keyed on indicator, iso3, year)."""
    cols = [*KEY, "value", "category", "source_id", "source", "notes"]
    merged = old[cols].merge(new[cols], on=KEY, how="outer", suffixes=("_old", "_new"), indicator=True)
    added = merged[merged["_merge"] == "right_only"]
    removed = merged[merged["_merge"] == "left_only"]
    both = merged[merged["_merge"] == "both"]
    differs = [not (_same(a, b) and c == d and e == f) for a, b, c, d, e, f in zip(
        both["value_old"], both["value_new"], both["category_old"], both["category_new"],
        both["source_id_old"], both["source_id_new"], strict=True)]
    changed = both[differs]
    out = Diff(added, removed, changed, n_old=len(old), n_new=len(new))

    switched = changed[changed["source_id_old"] != changed["source_id_new"]]
    for (ind, iso3), rows in switched.groupby(["indicator", "iso3"], sort=True):
        pairs = rows.groupby(["source_old", "source_new"], sort=False)["year"].apply(list)
        for (a, b), years in pairs.items():
            out.source_changes.append(f"{ind} {iso3} {_years(years)}: {a} → {b}")
    # series that switch source within themselves in the new data but did not before
    for table, label in ((new, "new"),):
        for (ind, iso3), rows in table[table["indicator"].isin(set(added["indicator"]) | set(changed["indicator"]))
                                       ].groupby(["indicator", "iso3"], sort=True):
            srcs = list(dict.fromkeys(rows.sort_values("year")["source"]))
            old_rows = old[(old["indicator"] == ind) & (old["iso3"] == iso3)]
            old_srcs = list(dict.fromkeys(old_rows.sort_values("year")["source"]))
            if len(srcs) > 1 and srcs != old_srcs:
                out.source_changes.append(f"{ind} {iso3}: series now from {' → '.join(srcs)} ({label} edition)")

    touched = set(zip(added["indicator"], added["iso3"], strict=True)) | set(
        zip(changed["indicator"], changed["iso3"], strict=True))
    old_idx = old.set_index(KEY)["value"]
    for ind, iso3 in sorted(touched):
        rows = new[(new["indicator"] == ind) & (new["iso3"] == iso3)].sort_values("year")
        vals = list(zip(rows["year"], rows["value"], strict=True))
        for (y0, a), (y1, b) in pairwise(vals):
            if y1 != y0 + 1 or any(isinstance(v, float) and math.isnan(v) for v in (a, b)):
                continue
            lo, hi = sorted((abs(a), abs(b)))
            if hi < 1 or (a < 0) != (b < 0):  # small values and changes of sign jump by nature
                continue
            if lo > 0 and hi / lo < JUMP:
                continue
            before = (old_idx.get((ind, iso3, y0)), old_idx.get((ind, iso3, y1)))
            if before[0] is not None and before[1] is not None and _same(float(before[0]), a) and \
                    _same(float(before[1]), b):
                continue
            out.breaks.append(f"{ind} {iso3} {y0}→{y1}: {fmt_number(a)} → {fmt_number(b)}")
    return out


def format_diff(d: Diff) -> str:
    lines = [f"Rows: {len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed "
             f"(published {d.n_old}, new {d.n_new})"]
    layers = sorted(set(d.added["indicator"]) | set(d.removed["indicator"]) | set(d.changed["indicator"]))
    if layers:
        lines.append("By layer:")
        for ind in layers:
            a = int((d.added["indicator"] == ind).sum())
            r = int((d.removed["indicator"] == ind).sum())
            c = int((d.changed["indicator"] == ind).sum())
            lines.append(f"  {ind}: {a} added, {r} removed, {c} changed")
    for title, frame, col in (("Added", d.added, "value_new"), ("Removed", d.removed, "value_old")):
        if len(frame):
            lines.append(f"{title}:")
            for rec in frame.head(TOP).itertuples(index=False):
                val = getattr(rec, col)
                shown = fmt_number(val) if not (isinstance(val, float) and math.isnan(val)) else \
                    getattr(rec, col.replace("value", "category"))
                lines.append(f"  {rec.indicator} {rec.iso3} {rec.year}: {shown}")
            if len(frame) > TOP:
                lines.append(f"  … and {len(frame) - TOP} more")
    numeric = d.changed.dropna(subset=["value_old", "value_new"])
    if len(numeric):
        rel = [abs(b - a) / max(abs(a), 1e-9) for a, b in zip(numeric["value_old"], numeric["value_new"],
                                                             strict=True)]
        top = numeric.assign(_rel=rel, _abs=(numeric["value_new"] - numeric["value_old"]).abs())
        top = top.sort_values(["_rel", "_abs", *KEY], ascending=[False, False, True, True, True]).head(TOP)
        lines.append("Largest changes:")
        for rec in top.itertuples(index=False):
            pct = "new" if rec.value_old == 0 else f"{(rec.value_new - rec.value_old) / abs(rec.value_old):+.1%}"
            lines.append(f"  {rec.indicator} {rec.iso3} {rec.year}: {fmt_number(rec.value_old)} → "
                         f"{fmt_number(rec.value_new)} ({pct})")
    cats = d.changed[d.changed["category_old"] != d.changed["category_new"]]
    if len(cats):
        lines.append("Changed categories:")
        for rec in cats.head(TOP).itertuples(index=False):
            lines.append(f"  {rec.indicator} {rec.iso3} {rec.year}: {rec.category_old} → {rec.category_new}")
    lines.append("Series that change source:" + ("" if d.source_changes else " none"))
    lines += [f"  {s}" for s in d.source_changes]
    lines.append(f"Possible breaks (×{JUMP:g} or more from one year to the next, not in the published data):"
                 + ("" if d.breaks else " none"))
    lines += [f"  {s}" for s in d.breaks[:TOP * 2]]
    return "\n".join(lines)


def update(key: str, new_file: Path, *, sources_dir: Path = SOURCES_DIR, link: Path = PROCESSED_DIR,
           publish: bool = False, version: str | None = None, date_obtained: str | None = None,
           echo: Callable[[str], None] = print) -> int:
    """Validate ``new_file`` as the next edition of snapshot ``key``, print the diff, and with
    ``publish`` replace the snapshot (file and metadata) and publish the new set. Returns an exit
    code (0 ok, 1 validation failed)."""
    sources_dir, new_file = Path(sources_dir), Path(new_file)
    snap = find(key, sources_dir)
    if not new_file.is_file():
        raise BuildError(new_file, "new file is missing")
    new_sha = sha256_file(new_file)
    echo(f"Snapshot: {snap.rel} ({snap.origin.get('version_producer', '')})")
    echo(f"New file: {new_file} (sha256 {new_sha[:16]}…)")
    if new_sha == snap.sha256:
        echo("The new file is identical to the snapshot: nothing to update.")
        return 0
    curated = sources_dir / "curated"
    try:
        result = build(sources_dir, curated, override={snap.rel: new_file})
    except BuildError as exc:
        echo(f"Validation failed: {exc}")
        echo("Nothing was changed.")
        return 1
    import json

    new_version = json.loads(result.files["manifest.json"])["data_version"]
    old = _published_values(link)
    from dashboard.core.data import data_version_of

    echo(f"Validation: passed (every check of the build; {len(result.values)} rows of values)")
    echo(f"Data version: {data_version_of(link)} (published) → {new_version} (with the new file)")
    new = result.values.copy()
    new["notes"] = [tuple(n) for n in new["notes"]]
    echo(format_diff(diff_values(old, new)))
    for other in all_snapshots(sources_dir):
        if snap.id in (other.meta["meta"].get("derived_from") or []):
            echo(f"Note: {other.rel} is computed from this snapshot; update it too, from the same edition "
                 "(docs/updating-data.md), or its rows keep the old figures.")
    if not publish:
        echo("Dry run: nothing was changed. Run again with --publish to publish.")
        return 0
    meta = dict(snap.meta)
    origin = dict(meta["meta"]["origin"])
    if version:
        origin["version_producer"] = version
    origin["date_accessed"] = date_obtained or dt.date.today().isoformat()
    meta["meta"] = {**meta["meta"], "origin": origin}
    meta["outs"] = [{"path": snap.path.name, "sha256": new_sha, "size": new_file.stat().st_size}]
    # the snapshot first (an input), then the set: a publish killed in between leaves the old set
    # served, and rerunning `python -m dashboard.pipeline` publishes the new one
    write_bytes(snap.path, new_file.read_bytes())
    write_text(meta_path(snap.path), meta_text(snap.rel, yaml.safe_load(yaml.safe_dump(meta))))
    files = build(sources_dir, curated).files
    version_id, _ = publish_set(files, link)
    echo(f"Published: {link} -> published/{Path(link).resolve().name} (data version {version_id})")
    return 0


def copy_snapshot(key: str, dest: Path, sources_dir: Path = SOURCES_DIR) -> Path:
    """A copy of a snapshot's file (to edit into a made next edition in tests)."""
    snap = find(key, sources_dir)
    shutil.copyfile(snap.path, dest)
    return Path(dest)
