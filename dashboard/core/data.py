"""The published data, loaded once at start and shared read-only by every request.

``data/processed`` points at the current published set (see ``dashboard/pipeline/publish.py``).
``load()`` resolves it once, checks every file against ``manifest.json`` (sha256 and the data
version) and the boundary layers against ``geodata/layers_meta.json``, and refuses to go on —
with a message naming the file — when one does not match: a hand-edited or half-written table is
never served. The one table of values (``observations.csv``) is kept whole in ``values``; the
frames ``observations`` (data layers) and ``status`` (membership layers) are views of it, in the
shape the figures use.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.core.config import GEODATA_DIR, ISO3, NAMES_EN, PROCESSED_DIR

MANIFEST = "manifest.json"
VALUES = "observations.csv"
NOTE_SEPARATOR = " | "  # how a row's notes are joined in observations.csv
NOTE_JOIN = "; "        # how they are joined for display (tooltips, the 'note' columns)


class DataIntegrityError(RuntimeError):
    """A published file is missing or differs from the manifest; the message names it."""


def set_version(hashes: dict[str, str]) -> str:
    """The data version of a published set: 12 hex digits of the sha256 of its files' sha256s
    (``manifest.json`` excluded)."""
    text = "".join(f"{name} {sha}\n" for name, sha in sorted(hashes.items()) if name != MANIFEST)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class AtlasData:
    groups: list[dict[str, Any]]
    indicators: dict[str, dict[str, Any]]          # id → catalogue entry, catalogue order
    orgs: dict[str, dict[str, Any]]                # id → organisation with statuses
    observations: pd.DataFrame                     # data layers: iso3, year, indicator, value, category,
    #                                                source_id, note, notes
    status: pd.DataFrame                           # membership layers: iso3, org, year, status, basis, source
    spells: pd.DataFrame
    events: pd.DataFrame
    sources: pd.DataFrame
    states_geo: dict[str, Any]
    context_geo: dict[str, Any]
    contested_geo: dict[str, Any]
    names_en: dict[str, str] = field(default_factory=lambda: dict(NAMES_EN))
    names_ru: dict[str, str] = field(default_factory=dict)
    cache: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)
    values: pd.DataFrame = field(default_factory=pd.DataFrame, compare=False, repr=False)  # the one table
    rules: dict[str, str] = field(default_factory=dict)     # rule texts (membership_year, missing, …)
    data_version: str = "unknown"
    flows_meta: dict[str, Any] = field(default_factory=dict)  # indicators.json "flows": types, UNK/XXA codes
    folder: Path | None = None        # the published set the data were read from (flows.csv is read on first use)

    @property
    def source_short(self) -> dict[str, str]:
        return dict(zip(self.sources["source_id"], self.sources["short_name"], strict=True))

    @property
    def source_licence(self) -> dict[str, str]:
        return dict(zip(self.sources["source_id"], self.sources["license_short"], strict=True))

    def map_layers(self) -> list[dict[str, Any]]:
        """Layers offered in the selector: on the map, and not the per-1,000 twin of a count."""
        return [i for i in self.indicators.values() if i["map"] and not i.get("per_1000_of")]

    def is_membership(self, layer_id: str) -> bool:
        return layer_id in self.orgs

    def layer_values(self, layer_id: str) -> pd.DataFrame:
        """The rows of one layer in the one table (all states and years)."""
        key = ("layer_values", layer_id)
        if key not in self.cache:
            v = self.values
            self.cache[key] = v[v["indicator"] == layer_id]
        return self.cache[key]


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def _read_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def verify_published(folder: Path, geodata_dir: Path | None = GEODATA_DIR) -> dict[str, Any]:
    """The manifest of the published set in ``folder``, after checking every file it lists (and
    the boundary layers against ``layers_meta.json``). Raises DataIntegrityError naming the file."""
    mpath = folder / MANIFEST
    hint = "rebuild and publish with `python -m dashboard.pipeline` (docs/updating-data.md)"
    if not mpath.is_file():
        raise DataIntegrityError(f"{mpath}: the published set has no manifest; {hint}")
    try:
        manifest = _read_json(mpath)
        outputs = manifest["outputs"]
        version = manifest["data_version"]
    except (ValueError, KeyError, TypeError) as exc:
        raise DataIntegrityError(f"{mpath}: unreadable manifest ({exc}); {hint}") from exc
    for name, entry in outputs.items():
        path = folder / name
        if not path.is_file():
            raise DataIntegrityError(f"{path}: listed in {MANIFEST} but missing; {hint}")
        actual = _sha256(path)
        if actual != entry["sha256"]:
            raise DataIntegrityError(f"{path}: sha256 {actual[:12]}… does not match {MANIFEST} "
                                     f"({entry['sha256'][:12]}…): the file was edited or half-written; {hint}")
    if set_version({n: e["sha256"] for n, e in outputs.items()}) != version:
        raise DataIntegrityError(f"{mpath}: data_version {version} does not match the files it lists; {hint}")
    if geodata_dir is not None and (geodata_dir / "layers_meta.json").is_file():
        layers = _read_json(geodata_dir / "layers_meta.json").get("layers", {})
        for layer in layers.values():
            path = geodata_dir / layer["file"]
            if "sha256" in layer and (not path.is_file() or _sha256(path) != layer["sha256"]):
                raise DataIntegrityError(f"{path}: does not match geodata/layers_meta.json; rebuild with "
                                         "`python -m dashboard.pipeline geo`")
    return manifest


def _notes(text: Any) -> tuple[str, ...]:
    return tuple(text.split(NOTE_SEPARATOR)) if isinstance(text, str) and text else ()


def _views(values: pd.DataFrame, orgs: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(observations, status): the one table split into data layers and membership layers."""
    member = values["indicator"].isin(list(orgs))
    obs = values[~member]
    observations = pd.DataFrame({
        "iso3": obs["iso3"], "year": obs["year"], "indicator": obs["indicator"], "value": obs["value"],
        "category": obs["category"], "source_id": obs["source_id"],
        "note": [NOTE_JOIN.join(n) for n in obs["notes"]], "notes": obs["notes"],
    }).reset_index(drop=True)
    st = values[member]
    status = pd.DataFrame({
        "iso3": st["iso3"], "org": st["indicator"], "year": st["year"], "status": st["category"],
        "basis": [NOTE_JOIN.join(n) for n in st["notes"]], "source": st["source"],
    }).reset_index(drop=True)
    return observations, status


def _load_set(folder: Path, geodata_dir: Path) -> AtlasData:
    manifest = verify_published(folder, geodata_dir)
    cat = _read_json(folder / "indicators.json")
    orgs = {o["id"]: o for o in _read_json(folder / "organisations.json")}
    values = _read_csv(folder / VALUES)
    for col in ("category", "class", "label", "unit", "source_id", "source", "licence"):
        values[col] = values[col].fillna("").astype(str)
    values["notes"] = [_notes(n) for n in values["notes"]]
    observations, status = _views(values, orgs)
    spells = _read_csv(folder / "memberships.csv").fillna("")
    events = _read_csv(folder / "events.csv").fillna("")
    events["year"] = events["year"].astype(int)
    sources = _read_csv(folder / "sources.csv").fillna("")
    states = _read_json(geodata_dir / "successor_states.geojson")
    names_ru = {f["properties"]["iso3"]: f["properties"].get("name_ru", "") for f in states["features"]}
    return AtlasData(
        groups=cat["groups"],
        indicators={i["id"]: i for i in cat["indicators"]},
        orgs=orgs,
        observations=observations,
        status=status,
        spells=spells,
        events=events,
        sources=sources,
        states_geo=states,
        context_geo=_read_json(geodata_dir / "context.geojson"),
        contested_geo=_read_json(geodata_dir / "contested.geojson"),
        names_ru=names_ru,
        values=values,
        rules=dict(cat.get("rules") or {}),
        data_version=manifest["data_version"],
        flows_meta=dict(cat.get("flows") or {}),
        folder=folder,
    )


def load(processed_dir: Path = PROCESSED_DIR, geodata_dir: Path = GEODATA_DIR) -> AtlasData:
    """The published set behind ``processed_dir`` (a link to the current set, or a plain folder),
    verified. The link is resolved once, so every file comes from the same set even while a
    publish switches it; if a publish removed the set while it was being read, the new one is read."""
    for attempt in range(3):
        folder = Path(processed_dir).resolve()
        try:
            return _load_set(folder, geodata_dir)
        except (FileNotFoundError, DataIntegrityError):
            if attempt == 2 or Path(processed_dir).resolve() == folder:
                raise
            time.sleep(0.05)
    raise AssertionError("unreachable")


@cache
def get_data() -> AtlasData:
    """The process-wide data, loaded and verified on first use (the app factory calls this, so
    a published file that does not match the manifest stops the start)."""
    data = load()
    missing = set(ISO3) - {f["properties"]["iso3"] for f in data.states_geo["features"]}
    if missing:
        raise RuntimeError(f"geodata/successor_states.geojson lacks {sorted(missing)}")
    return data


def data_version_of(processed_dir: Path = PROCESSED_DIR) -> str:
    """The data version of the published set: the manifest's ``data_version``."""
    try:
        return str(_read_json(Path(processed_dir).resolve() / MANIFEST)["data_version"])
    except (OSError, ValueError, KeyError, TypeError):
        return "unknown"
