"""The processed tables and layers, loaded once at start and shared read-only by every request."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.core.config import GEODATA_DIR, ISO3, NAMES_EN, PROCESSED_DIR


@dataclass(frozen=True)
class AtlasData:
    groups: list[dict[str, Any]]
    indicators: dict[str, dict[str, Any]]          # id → catalogue entry, catalogue order
    orgs: dict[str, dict[str, Any]]                # id → organisation with statuses
    observations: pd.DataFrame
    status: pd.DataFrame                           # iso3, org, year, status, basis, source, source_url
    spells: pd.DataFrame
    events: pd.DataFrame
    sources: pd.DataFrame
    states_geo: dict[str, Any]
    context_geo: dict[str, Any]
    contested_geo: dict[str, Any]
    names_en: dict[str, str] = field(default_factory=lambda: dict(NAMES_EN))
    names_ru: dict[str, str] = field(default_factory=dict)
    cache: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

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


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def _read_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def load(processed_dir: Path = PROCESSED_DIR, geodata_dir: Path = GEODATA_DIR) -> AtlasData:
    cat = _read_json(processed_dir / "indicators.json")
    orgs = _read_json(processed_dir / "organisations.json")
    obs = _read_csv(processed_dir / "observations.csv")
    obs["category"] = obs["category"].fillna("").astype(str)
    obs["note"] = obs["note"].fillna("")
    status = _read_csv(processed_dir / "membership_status.csv").fillna("")
    spells = _read_csv(processed_dir / "memberships.csv").fillna("")
    events = _read_csv(processed_dir / "events.csv").fillna("")
    events["year"] = events["year"].astype(int)
    sources = _read_csv(processed_dir / "sources.csv").fillna("")
    states = _read_json(geodata_dir / "successor_states.geojson")
    names_ru = {f["properties"]["iso3"]: f["properties"].get("name_ru", "") for f in states["features"]}
    return AtlasData(
        groups=cat["groups"],
        indicators={i["id"]: i for i in cat["indicators"]},
        orgs={o["id"]: o for o in orgs},
        observations=obs,
        status=status,
        spells=spells,
        events=events,
        sources=sources,
        states_geo=states,
        context_geo=_read_json(geodata_dir / "context.geojson"),
        contested_geo=_read_json(geodata_dir / "contested.geojson"),
        names_ru=names_ru,
    )


@cache
def get_data() -> AtlasData:
    """The process-wide data, loaded on first use."""
    data = load()
    missing = set(ISO3) - {f["properties"]["iso3"] for f in data.states_geo["features"]}
    if missing:
        raise RuntimeError(f"geodata/successor_states.geojson lacks {sorted(missing)}")
    return data


def data_version_of(processed_dir: Path = PROCESSED_DIR) -> str:
    """The version of the published data: the first 12 hex digits of the manifest's sha256."""
    import hashlib

    manifest = processed_dir / "manifest.json"
    return hashlib.sha256(manifest.read_bytes()).hexdigest()[:12] if manifest.exists() else "unknown"
