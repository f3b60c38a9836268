"""Snapshots: the published source files, each with a metadata file beside it.

``data/sources/<folder>/<file>`` is the file as obtained; ``<file>.meta.yml`` says who published
it, its title and version, where it came from, its licence, the day it was obtained, and its
sha256 (in the style of Our World in Data's ``snapshots/**/*.dvc``). The build verifies the
sha256 before it reads a snapshot, so a changed file stops the build with a message naming it;
a new edition comes in only through ``python -m dashboard.pipeline update``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dashboard.core.config import SOURCES_DIR
from dashboard.pipeline import BuildError
from dashboard.pipeline.readers import read_yaml

META_SUFFIX = ".meta.yml"
SNAPSHOT_FOLDERS = ("migration", "regimes")
REQUIRED_ORIGIN = ("producer", "title", "version_producer", "url_main", "date_accessed", "license")


def sha256_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def meta_path(path: Path) -> Path:
    path = Path(path)
    return path.with_name(path.name + META_SUFFIX)


@dataclass(frozen=True)
class Snapshot:
    """One snapshot file and its metadata."""

    path: Path
    rel: str            # e.g. "migration/unhcr_population_post_soviet.csv"
    meta: dict[str, Any]

    @property
    def id(self) -> str:
        return self.path.stem

    @property
    def step(self) -> str:
        return str(self.meta["meta"].get("step", self.id))

    @property
    def source_ids(self) -> list[str]:
        return list(self.meta["meta"].get("source_ids") or [])

    @property
    def sha256(self) -> str:
        return str(self.meta["outs"][0]["sha256"])

    @property
    def origin(self) -> dict[str, Any]:
        return dict(self.meta["meta"]["origin"])


def read_meta(path: Path) -> dict[str, Any]:
    """The metadata of the snapshot at ``path``, checked for the required fields."""
    mpath = meta_path(path)
    if not mpath.is_file():
        raise BuildError(path, f"snapshot has no metadata file {mpath.name} beside it")
    meta = read_yaml(mpath)
    origin = (meta.get("meta") or {}).get("origin") or {}
    missing = [k for k in REQUIRED_ORIGIN if not origin.get(k)]
    if missing:
        raise BuildError(mpath, f"meta.origin lacks {missing}")
    outs = meta.get("outs") or []
    if len(outs) != 1 or not outs[0].get("sha256") or outs[0].get("path") != Path(path).name:
        raise BuildError(mpath, f"outs must name {Path(path).name} with its sha256")
    return meta


def load(path: Path, sources_dir: Path = SOURCES_DIR) -> Snapshot:
    path = Path(path)
    rel = path.relative_to(sources_dir).as_posix() if path.is_relative_to(sources_dir) else path.name
    return Snapshot(path, rel, read_meta(path))


def verify(path: Path, sources_dir: Path = SOURCES_DIR) -> Snapshot:
    """The snapshot at ``path`` after checking that the file is the one its metadata describes."""
    path = Path(path)
    if not path.is_file():
        raise BuildError(path, "source file is missing")
    snap = load(path, sources_dir)
    actual = sha256_file(path)
    if actual != snap.sha256:
        raise BuildError(path, f"sha256 {actual[:16]}… differs from {meta_path(path).name} "
                               f"({snap.sha256[:16]}…): the snapshot was changed after it was obtained. "
                               "Snapshots are immutable; bring in a new edition with "
                               "`python -m dashboard.pipeline update` (docs/updating-data.md)")
    return snap


def all_snapshots(sources_dir: Path = SOURCES_DIR) -> list[Snapshot]:
    out = []
    for folder in SNAPSHOT_FOLDERS:
        for path in sorted((Path(sources_dir) / folder).glob("*.csv")):
            if path.name != "sources.csv":
                out.append(load(path, sources_dir))
    return out


def find(key: str, sources_dir: Path = SOURCES_DIR) -> Snapshot:
    """A snapshot by file stem (``unhcr_population_post_soviet``), relative path, step name or
    source id, as long as exactly one snapshot matches."""
    snaps = all_snapshots(sources_dir)
    for attr in ("id", "rel"):
        hit = [s for s in snaps if getattr(s, attr) == key]
        if len(hit) == 1:
            return hit[0]
    for attr in ("step", "source_ids"):
        # a snapshot with `source_id_lookup: false` (the UNHCR pairs, same source id as the UNHCR
        # totals) is found by its name or step only, so the source id keeps naming one snapshot
        hit = [s for s in snaps if (key in s.source_ids and s.meta["meta"].get("source_id_lookup", True)
                                    if attr == "source_ids" else s.step == key)]
        if len(hit) == 1:
            return hit[0]
        if len(hit) > 1:
            raise BuildError(key, f"{len(hit)} snapshots match ({', '.join(s.id for s in hit)}); name one")
    raise BuildError(key, "no snapshot has this name, step or source id; known: "
                          + ", ".join(s.id for s in snaps))


def meta_text(snap_rel: str, meta: dict[str, Any]) -> str:
    head = (f"# Snapshot {snap_rel}: the file beside this one, as obtained. Immutable: the build\n"
            "# checks its sha256 before using it; a new edition comes in through\n"
            f"# `python -m dashboard.pipeline update {Path(snap_rel).stem} <new file>` (docs/updating-data.md).\n")
    return head + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100)
