"""The indicator catalogue and the sources catalogue."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.core.numbers import fmt_number
from dashboard.pipeline import BuildError
from dashboard.pipeline.colours import Palettes
from dashboard.pipeline.readers import read_csv, read_yaml
from dashboard.pipeline.rules import Rules

SOURCE_COLUMNS = ["source_id", "short_name", "title", "publisher", "version", "url", "license",
                  "license_short", "citation", "notes", "feeds"]
KINDS = ("categorical", "continuous", "diverging")


def class_labels(breaks: list[float]) -> list[str]:
    labels = [f"< {fmt_number(breaks[0])}"]
    for lo, hi in pairwise(breaks):
        labels.append(f"{fmt_number(lo)} to < {fmt_number(hi)}")
    labels.append(f"≥ {fmt_number(breaks[-1])}")
    if breaks[0] == 1:  # counts: the first class can only hold published zeros
        labels[0] = "0"
    return labels


def load_indicator_specs(path: Path, palettes: Palettes | None = None,
                         rules: Rules | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    path = Path(path)
    palettes = palettes or Palettes(path.parent)
    spec = read_yaml(path)
    groups, indicators = spec.get("groups"), spec.get("indicators")
    if not groups or not indicators:
        raise BuildError(path, "needs 'groups' and 'indicators'")
    group_ids = {g["id"] for g in groups}
    seen: set[str] = set()
    for ind in indicators:
        for key in ("id", "group", "label", "short_label", "unit", "kind", "palette", "description"):
            if key not in ind:
                raise BuildError(path, f"indicator {ind.get('id', '?')!r} lacks {key!r}")
        if ind["id"] in seen:
            raise BuildError(path, f"duplicate indicator id {ind['id']!r}")
        seen.add(ind["id"])
        if ind["group"] not in group_ids:
            raise BuildError(path, f"{ind['id']}: unknown group {ind['group']!r}")
        if ind["kind"] not in KINDS:
            raise BuildError(path, f"{ind['id']}: unknown kind {ind['kind']!r}")
        if ind["palette"] not in palettes.names:
            raise BuildError(path, f"{ind['id']}: unknown palette {ind['palette']!r}")
        if ind["kind"] == "categorical" and not ind.get("categories"):
            raise BuildError(path, f"{ind['id']}: categorical indicator without categories")
        if ind["kind"] != "categorical":
            breaks = (ind.get("scale") or {}).get("breaks")
            if not breaks or sorted(breaks) != breaks or len(set(breaks)) != len(breaks):
                raise BuildError(path, f"{ind['id']}: scale.breaks must be strictly increasing")
        if rules is not None:
            rules.resolve_caveats(ind.get("caveats") or [], ind["id"])
    return groups, indicators


def _classes(ind: dict[str, Any], palettes: Palettes) -> list[dict[str, Any]]:
    if ind["kind"] == "categorical":
        cats = ind["categories"]
        cols = palettes.colours(ind["palette"], len(cats))
        return [{"id": str(c["value"]), "label": c["label"], "color": col}
                for c, col in zip(cats, cols, strict=True)]
    breaks = ind["scale"]["breaks"]
    labels = ind["scale"].get("labels") or class_labels(breaks)
    if len(labels) != len(breaks) + 1:
        raise BuildError("indicators.yaml", f"{ind['id']}: {len(breaks) + 1} labels needed")
    cols = palettes.colours(ind["palette"], len(labels))
    return [{"id": str(i), "label": lab, "color": col}
            for i, (lab, col) in enumerate(zip(labels, cols, strict=True))]


def indicator_catalogue(
    groups: list[dict[str, Any]],
    specs: list[dict[str, Any]],
    orgs: list[dict[str, Any]],
    observations: pd.DataFrame,
    short_names: dict[str, str],
    licences: dict[str, str],
    palettes: Palettes,
    rules: Rules,
) -> dict[str, Any]:
    """The catalogue written to data/processed/indicators.json: the layers (with their legend
    classes and caveats) and the rules every reader shows."""
    out: list[dict[str, Any]] = []
    membership_caveats = rules.resolve_caveats(rules.membership_caveats, "membership_caveats")
    for org in orgs:
        out.append({
            "id": org["id"], "group": "membership", "label": org["name"],
            "short_label": org["short_name"], "unit": "status", "kind": "categorical",
            "map": True, "projection": False, "palette": "membership",
            "classes": [{"id": s["id"], "label": s["label"], "color": s["color"],
                         "member": s["member"], "full_member": s["full_member"],
                         "description": s["description"]}
                        for s in org["statuses"]],
            "breaks": None, "per_1000": None, "per_1000_of": None,
            "source_ids": ["atlas_memberships"],
            "source_short": short_names["atlas_memberships"],
            "licence": licences["atlas_memberships"],
            "description": org["description"],
            "caveats": membership_caveats,
            "years": None, "n_obs": None,
        })
    for ind in specs:
        obs = observations[observations["indicator"] == ind["id"]]
        if obs.empty:
            raise BuildError("indicators.yaml", f"{ind['id']}: no observations were built")
        src_ids = sorted(obs["source_id"].unique())
        out.append({
            "id": ind["id"], "group": ind["group"], "label": ind["label"],
            "short_label": ind["short_label"], "unit": ind["unit"], "kind": ind["kind"],
            "map": bool(ind.get("map", True)), "projection": bool(ind.get("projection", False)),
            "palette": ind["palette"], "classes": _classes(ind, palettes),
            "breaks": (ind.get("scale") or {}).get("breaks"),
            "per_1000": ind.get("per_1000"), "per_1000_of": ind.get("per_1000_of"),
            "source_ids": src_ids,
            "source_short": "; ".join(dict.fromkeys(short_names[s] for s in src_ids)),
            "licence": "; ".join(dict.fromkeys(licences[s] for s in src_ids)),
            "description": " ".join(str(ind["description"]).split()),
            "caveats": rules.resolve_caveats(ind.get("caveats") or [], ind["id"]),
            "years": [int(obs["year"].min()), int(obs["year"].max())],
            "n_obs": len(obs),
        })
    return {"groups": groups, "rules": rules.rules, "indicators": out}


def sources_catalogue(
    sources_dir: Path, extra_path: Path, feeds: dict[str, list[str]]
) -> tuple[pd.DataFrame, dict[str, str]]:
    """All sources in one table (migration + regimes + the project's own), and short names."""
    mig = read_csv(sources_dir / "migration" / "sources.csv",
                   ["source_id", "title", "publisher", "edition", "url", "license", "notes"],
                   dtype=str).fillna("")
    mig = mig.rename(columns={"edition": "version"})
    mig["citation"] = mig["publisher"] + ", " + mig["title"] + " (" + mig["version"] + ")."
    reg = read_csv(sources_dir / "regimes" / "sources.csv",
                   ["source_id", "title", "publisher", "version", "url", "license", "citation"],
                   dtype=str).fillna("")
    reg["notes"] = reg.get("retrieved_from", "")
    extra = read_yaml(extra_path)
    short = extra.get("short_names") or {}
    own = pd.DataFrame(extra.get("sources") or [])
    table = pd.concat([mig, reg, own], ignore_index=True).fillna("")
    if table["source_id"].duplicated().any():
        dup = table.loc[table["source_id"].duplicated(), "source_id"].iloc[0]
        raise BuildError(extra_path, f"source id {dup!r} defined twice")
    short_lic = extra.get("short_licences") or {}
    missing = sorted((set(table["source_id"]) - set(short)) | (set(table["source_id"]) - set(short_lic)))
    if missing:
        raise BuildError(extra_path, f"no short name or short licence for source(s) {missing}")
    table["short_name"] = table["source_id"].map(short)
    table["license_short"] = table["source_id"].map(short_lic)
    table["feeds"] = table["source_id"].map(lambda s: ";".join(feeds.get(s, [])))
    for col in SOURCE_COLUMNS:
        table[col] = table[col].astype(str).map(lambda t: " ".join(t.split()))
    return table[SOURCE_COLUMNS].sort_values("source_id").reset_index(drop=True), short
