"""The publish step: tidy tables + metadata → the published set, switched to in one step.

**One table of values** (``observations.csv``): one row per state, year and layer (membership
layers included, one status per year by the 31-December rule): ``iso3, year, indicator, value,
category, class, label, unit, source_id, source, licence, notes``. ``class`` is the legend class
(the category id, or the index of the numeric class from the layer's breaks), ``label`` its
legend label, ``notes`` the row's list of notes joined by " | ". The app, the API and the
downloads only filter this table.

**The set** (``observations.csv``, ``indicators.json``, ``organisations.json``,
``memberships.csv``, ``events.csv``, ``sources.csv``, ``manifest.json``) lives in
``data/published/<data version>-<manifest hash>/``; ``data/processed`` is a relative symbolic link
to the current set. Publishing writes the new set into a fresh directory, renames it into place, then replaces
the link atomically (``rename(2)`` of a new link over the old one): a reader sees the old set or
the new one, never a mixture, and a publish killed at any point leaves the old set current. Older
sets are removed after the switch. The data version is a hash of every output's sha256
(``dashboard.core.data.set_version``), so an unchanged rebuild publishes nothing new.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dashboard.core.data import MANIFEST, set_version
from dashboard.pipeline import BuildError
from dashboard.pipeline.io import csv_text
from dashboard.pipeline.rules import NOTE_SEPARATOR, Rules

VALUE_COLUMNS = ["iso3", "year", "indicator", "value", "category", "class", "label", "unit", "source_id",
                 "source", "licence", "notes"]
MEMBERSHIP_SOURCE_ID = "atlas_memberships"
SETS_DIR = "published"
HOOK_ENV = "ATLAS_PUBLISH_HOOK"   # tests: pause a publish at a named point (then kill it)


# --------------------------------------------------------------------------- notes across sources

def cross_source_notes(obs: pd.DataFrame, specs: list[dict[str, Any]], rules: Rules,
                       short_names: dict[str, str]) -> pd.DataFrame:
    """Notes that need more than one row or source: documented series breaks (on the layer and its
    per-1,000 twin) and the first row of a state's series that comes from another source than
    the year before."""
    twins = {s["id"]: s.get("per_1000") for s in specs}
    notes = [list(n) for n in obs["notes"]]
    key_index = {k: i for i, k in enumerate(zip(obs["indicator"], obs["iso3"], obs["year"], strict=True))}
    for brk in rules.series_breaks:
        lo, hi = brk["years"]
        for ind in (brk["indicator"], twins.get(brk["indicator"])):
            if not ind:
                continue
            hits = [key_index[(ind, brk["iso3"], y)] for y in range(int(lo), int(hi) + 1)
                    if (ind, brk["iso3"], y) in key_index]
            if not hits:
                raise BuildError(rules.path, f"series break {brk['iso3']} {ind} {lo}–{hi} matches no row")
            for i in hits:
                notes[i].append(brk["text"])
    template = rules.note("source_switch")
    prev: tuple[str, str, str] | None = None
    for i, (ind, iso3, src) in enumerate(zip(obs["indicator"], obs["iso3"], obs["source_id"], strict=True)):
        if prev is not None and prev[:2] == (ind, iso3) and prev[2] != src:
            notes[i].append(template.format(old=short_names.get(prev[2], prev[2]),
                                            new=short_names.get(src, src)))
        prev = (ind, iso3, src)
    out = obs.copy()
    out["notes"] = notes
    return out


# --------------------------------------------------------------------------- the one table

def _class_of(values: np.ndarray, breaks: list[float]) -> list[str]:
    """Class i holds breaks[i-1] ≤ v < breaks[i] (class 0: v < breaks[0])."""
    return [str(int(i)) for i in np.searchsorted(np.asarray(breaks, dtype=float), values, side="right")]


def values_table(obs: pd.DataFrame, status: pd.DataFrame, catalogue: dict[str, Any],
                 short_names: dict[str, str], licences: dict[str, str]) -> pd.DataFrame:
    """Every value of every layer with its class, label, unit, source, licence and notes."""
    layers = {i["id"]: i for i in catalogue["indicators"]}
    parts = []
    for ind_id, rows in obs.groupby("indicator", sort=False):
        layer = layers[ind_id]
        labels = {str(c["id"]): c["label"] for c in layer["classes"]}
        if layer["kind"] == "categorical":
            classes = list(rows["category"])
        else:
            classes = _class_of(rows["value"].to_numpy(dtype=float), layer["breaks"])
        parts.append(pd.DataFrame({
            "iso3": rows["iso3"].to_numpy(), "year": rows["year"].to_numpy(), "indicator": ind_id,
            "value": rows["value"].to_numpy(), "category": rows["category"].to_numpy(),
            "class": classes, "label": [labels[c] for c in classes], "unit": layer["unit"],
            "source_id": rows["source_id"].to_numpy(),
            "source": rows["source_id"].map(short_names).to_numpy(),
            "licence": rows["source_id"].map(licences).to_numpy(),
            "notes": list(rows["notes"]),
        }))
    for org_id, rows in status.groupby("org", sort=False):
        layer = layers[org_id]
        labels = {str(c["id"]): c["label"] for c in layer["classes"]}
        parts.append(pd.DataFrame({
            "iso3": rows["iso3"].to_numpy(), "year": rows["year"].to_numpy(), "indicator": org_id,
            "value": np.nan, "category": rows["status"].to_numpy(), "class": rows["status"].to_numpy(),
            "label": rows["status"].map(labels).to_numpy(), "unit": layer["unit"],
            "source_id": MEMBERSHIP_SOURCE_ID,
            "source": [s or short_names[MEMBERSHIP_SOURCE_ID] for s in rows["source"]],
            "licence": licences[MEMBERSHIP_SOURCE_ID],
            "notes": [[b] if b else [] for b in rows["basis"]],
        }))
    table = pd.concat(parts, ignore_index=True)
    table["year"] = table["year"].astype(int)
    table = table.sort_values(["indicator", "iso3", "year"], kind="stable").reset_index(drop=True)
    return table[VALUE_COLUMNS]


def values_csv(table: pd.DataFrame) -> str:
    out = table.copy()
    for notes in out["notes"]:
        for n in notes:
            if NOTE_SEPARATOR.strip() in n or "\n" in n:
                raise BuildError("observations", f"a note may not contain '|' or a line break: {n!r}")
    out["notes"] = [NOTE_SEPARATOR.join(n) for n in out["notes"]]
    return csv_text(out)


# --------------------------------------------------------------------------- manifest

def manifest(files: dict[str, str], inputs: dict[str, str], stages: dict[str, Any], as_of: str) -> dict[str, Any]:
    """Every input's and output's sha256, row counts, the stages and the data version."""
    import hashlib

    outputs = {}
    for name in sorted(files):
        text = files[name]
        entry: dict[str, Any] = {"sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()}
        if name.endswith(".csv"):
            entry["rows"] = text.count("\n") - 1
        outputs[name] = entry
    return {
        "data_version": set_version({n: e["sha256"] for n, e in outputs.items()}),
        "as_of": as_of,
        "outputs": outputs,
        "inputs": dict(sorted(inputs.items())),
        "stages": stages,
    }


# --------------------------------------------------------------------------- the atomic switch

def _hook(name: str) -> None:
    """A named point in a publish; with ATLAS_PUBLISH_HOOK=name the process says so on stdout
    and waits there (the integrity test kills it at that point)."""
    if os.environ.get(HOOK_ENV) == name:
        print(f"publish paused at {name}", flush=True)
        time.sleep(3600)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_set(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True)
    for i, (name, text) in enumerate(files.items()):
        with (folder / name).open("w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(folder / name, 0o644)
        if i == 0:
            _hook("writing")
    _fsync_dir(folder)


def current_set(link: Path) -> Path | None:
    link = Path(link)
    if link.is_symlink():
        return (link.parent / os.readlink(link)).resolve()
    return link if link.is_dir() else None


def publish_set(files: dict[str, str], link: Path) -> tuple[str, bool]:
    """Publish ``files`` (name → text, ``manifest.json`` included) behind the link ``link``
    (``data/processed``); return (data version, whether the current set changed). One publish
    at a time (an exclusive lock on ``data/.publish.lock``).

    The set's folder is ``published/<data version>-<8 hex of the manifest's sha256>``; a folder
    that may be served is never written to: an existing folder of that name is reused if intact,
    and a damaged one is replaced by a new folder (and removed after the switch)."""
    import fcntl

    link = Path(link)
    with (link.parent / ".publish.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _publish_locked(files, link)


def _publish_locked(files: dict[str, str], link: Path) -> tuple[str, bool]:
    import hashlib

    root = link.parent
    sets = root / SETS_DIR
    sets.mkdir(parents=True, exist_ok=True)
    version = json.loads(files[MANIFEST])["data_version"]
    name = f"{version}-{hashlib.sha256(files[MANIFEST].encode('utf-8')).hexdigest()[:8]}"
    target = sets / name
    current = current_set(link)
    intact = target.is_dir() and {p.name for p in target.iterdir()} == set(files) and all(
        (target / n).read_text(encoding="utf-8") == t for n, t in files.items())
    if not intact:
        if target.exists():
            target = sets / f"{name}-r{os.getpid()}"
        incoming = sets / f".incoming-{name}-{os.getpid()}"
        if incoming.exists():
            shutil.rmtree(incoming)
        _write_set(incoming, files)
        _hook("before_rename")
        os.rename(incoming, target)
        _fsync_dir(sets)
    _hook("before_switch")
    changed = current is None or current.resolve() != target.resolve()
    rel = os.path.relpath(target, root)
    if link.is_symlink() or not link.exists():
        if changed or not link.is_symlink():
            tmp_link = root / f".{link.name}.{os.getpid()}.link"
            if tmp_link.is_symlink() or tmp_link.exists():
                tmp_link.unlink()
            os.symlink(rel, tmp_link)
            os.replace(tmp_link, link)
    else:
        # a plain directory from before sets existed: move it aside, then link (once)
        os.rename(link, sets / f".legacy-{os.getpid()}")
        os.symlink(rel, link)
        changed = True
    _fsync_dir(root)
    _hook("after_switch")
    for old in sets.iterdir():
        if old.resolve() != target.resolve():
            shutil.rmtree(old, ignore_errors=True)
    return version, changed
