"""Checks on the built tables before anything is written. Each failure is a BuildError."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.core.config import FIRST_YEAR, ISO3, LAST_YEAR, YEARS
from dashboard.pipeline import BuildError


def _fail(where: str, problem: str, rows: pd.DataFrame) -> None:
    sample = rows.head(3).to_dict("records")
    raise BuildError(where, f"{problem}: {len(rows)} row(s), e.g. {sample}")


def check_observations(obs: pd.DataFrame, specs: list[dict[str, Any]], catalogue: dict[str, Any],
                       source_ids: set[str]) -> None:
    where = "observations"
    bad = obs[~obs["iso3"].isin(ISO3)]
    if len(bad):
        _fail(where, "unknown country codes", bad)
    bad = obs[(obs["year"] < FIRST_YEAR) | (obs["year"] > LAST_YEAR)]
    if len(bad):
        _fail(where, f"years outside {FIRST_YEAR}..{LAST_YEAR}", bad)
    dup = obs[obs.duplicated(["iso3", "year", "indicator"], keep=False)]
    if len(dup):
        _fail(where, "duplicate (iso3, year, indicator)", dup)
    bad = obs[~obs["source_id"].isin(source_ids)]
    if len(bad):
        _fail(where, "source_id missing from the sources catalogue", bad)
    by_id = {i["id"]: i for i in catalogue["indicators"]}
    bad = obs[~obs["indicator"].isin(by_id)]
    if len(bad):
        _fail(where, "indicator not in the catalogue", bad)
    for spec in specs:
        rows = obs[obs["indicator"] == spec["id"]]
        lo, hi = spec.get("valid_range") or [None, None]
        vals = rows["value"]
        if spec["kind"] == "categorical":
            allowed = {c["id"] for c in by_id[spec["id"]]["classes"]}
            bad = rows[~rows["category"].isin(allowed)]
            if len(bad):
                _fail(where, f"{spec['id']}: category not in the catalogue {sorted(allowed)}", bad)
        else:
            bad = rows[vals.isna()]
            if len(bad):
                _fail(where, f"{spec['id']}: missing value", bad)
        if lo is not None:
            bad = rows[vals < lo]
            if len(bad):
                _fail(where, f"{spec['id']}: value below {lo}", bad)
        if hi is not None:
            bad = rows[vals > hi]
            if len(bad):
                _fail(where, f"{spec['id']}: value above {hi}", bad)


def check_status_table(status: pd.DataFrame, orgs: list[dict[str, Any]]) -> None:
    where = "membership_status"
    expected = len(ISO3) * len(YEARS) * len(orgs)
    if len(status) != expected:
        raise BuildError(where, f"{len(status)} rows, expected {expected} (every state, org, year)")
    dup = status[status.duplicated(["iso3", "org", "year"], keep=False)]
    if len(dup):
        _fail(where, "duplicate (iso3, org, year)", dup)
    for org in orgs:
        allowed = {s["id"] for s in org["statuses"]}
        rows = status[status["org"] == org["id"]]
        bad = rows[~rows["status"].isin(allowed)]
        if len(bad):
            _fail(where, f"{org['id']}: status not in the catalogue", bad)


def check_values(values: pd.DataFrame, catalogue: dict[str, Any]) -> None:
    """The one table: one row per state, year and layer; every class and label from the catalogue;
    a unit, source and licence on every row."""
    where = "observations (the table of values)"
    dup = values[values.duplicated(["iso3", "year", "indicator"], keep=False)]
    if len(dup):
        _fail(where, "duplicate (iso3, year, indicator)", dup)
    layers = {i["id"]: i for i in catalogue["indicators"]}
    for ind_id, rows in values.groupby("indicator", sort=False):
        classes = {str(c["id"]): c["label"] for c in layers[ind_id]["classes"]}
        bad = rows[[classes.get(c) != lab for c, lab in zip(rows["class"], rows["label"], strict=True)]]
        if len(bad):
            _fail(where, f"{ind_id}: class or label not in the catalogue", bad)
    for col in ("unit", "source_id", "source", "licence"):
        bad = values[values[col].isna() | (values[col].astype(str) == "")]
        if len(bad):
            _fail(where, f"empty {col}", bad)
