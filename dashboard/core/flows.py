"""Bilateral displacement: the published flows table (UNHCR origin→asylum pairs) and pure
functions over it.

The table (``flows.csv`` of the published set; built by ``dashboard/pipeline/flows.py``) has one
row per year, origin, country of asylum and population type: ``year, origin_iso3, origin_name,
asylum_iso3, asylum_name, population_type, value, source_id``. Only pairs in which one side is one
of the 15 states are in it, and only non-zero values. ``UNK`` (unknown) and ``XXA`` (stateless)
are UNHCR's codes for origins that are not countries; their meanings are in
``indicators.json`` → ``flows.codes``. The table is read on first use, never on the first page
load.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from dashboard.core.config import PROCESSED_DIR

FLOWS_FILE = "flows.csv"
FLOW_COLUMNS = ("year", "origin_iso3", "origin_name", "asylum_iso3", "asylum_name", "population_type",
                "value", "source_id")
POPULATION_TYPES = ("refugees", "asylum_seekers", "oip", "returned_refugees")
NOT_COUNTRIES = ("UNK", "XXA")       # UNHCR: unknown origin, stateless
OTHERS = "others"

Direction = Literal["origin", "asylum"]


@cache
def _read(path: str) -> pd.DataFrame:
    df = pd.read_csv(path, keep_default_na=False, na_values=[""],
                     dtype={"origin_iso3": str, "asylum_iso3": str, "population_type": str})
    df["year"] = df["year"].astype(int)
    df["value"] = df["value"].astype("int64")
    return df


def load_flows(folder: Path | None = None) -> pd.DataFrame:
    """The flows table of the published set in ``folder`` (default: the current set), read once."""
    folder = Path(folder) if folder is not None else Path(PROCESSED_DIR).resolve()
    return _read(str(folder / FLOWS_FILE))


def flows_of(data: Any) -> pd.DataFrame:
    """The flows table: ``data`` is the table itself or an ``AtlasData`` (its published set)."""
    if isinstance(data, pd.DataFrame):
        return data
    return load_flows(getattr(data, "folder", None))


def top_partners(data: Any, iso3: str, year: int, direction: Direction = "origin", n: int = 10,
                 population_type: str = "refugees") -> dict[str, Any]:
    """The ``n`` largest partners of ``iso3`` in ``year``, sorted, with the rest summed as "others".

    ``direction="origin"``: people from ``iso3`` by country of asylum (Ukraine 2022: Germany,
    Poland, …); ``direction="asylum"``: people hosted by ``iso3`` by country of origin. ``data`` is
    the flows table or an ``AtlasData``. Partners are sorted by value, largest first, ties by code;
    ``UNK``/``XXA`` are partners like any other (they are rows of UNHCR's table).

    Returns ``{"iso3", "year", "direction", "population_type", "partners": [{"iso3", "name",
    "value"}, …], "others": int, "n_others": int, "total": int}``, where the listed partners plus
    ``others`` always equal ``total``, the sum of every pair of that state, year and type (0 and no
    partners when UNHCR has no pair).

    Why ``total`` may differ from the refugees layer of that year (``refugees_origin`` /
    ``refugees_hosted``): the layer comes from UNHCR's table aggregated per country, this total
    from the pairs. In the published edition (refugees 2025.12.1) both were made from the same
    unrounded pairs, and they are equal for every state and year (the tests check Ukraine 2022 and
    Tajikistan 1993). They part when an edition of the pairs is taken from UNHCR's public pair
    tables, which round figures and hide small pairs (below UNHCR's reporting threshold, for
    confidentiality) while the country totals keep them; when one side is revised in a later
    edition and the other is not; and for types other than refugees, which the layer does not
    count (asylum-seekers are the layer ``asylum_seekers_hosted``; ``oip`` and returned refugees
    are in no layer). Pairs published as 0 are not in the table, so they never count.
    """
    if direction not in ("origin", "asylum"):
        raise ValueError(f"direction must be 'origin' or 'asylum', got {direction!r}")
    if n < 0:
        raise ValueError(f"n must be 0 or more, got {n}")
    df = flows_of(data)
    side, other = ("origin", "asylum") if direction == "origin" else ("asylum", "origin")
    rows = df[(df[f"{side}_iso3"] == iso3) & (df["year"] == int(year)) & (df["population_type"] == population_type)]
    rows = rows.sort_values(["value", f"{other}_iso3"], ascending=[False, True], kind="stable")
    partners = [{"iso3": str(c), "name": str(nm), "value": int(v)} for c, nm, v in
                zip(rows[f"{other}_iso3"], rows[f"{other}_name"], rows["value"], strict=True)]
    total = int(rows["value"].sum())
    top = partners[:n]
    others = total - sum(p["value"] for p in top)
    return {"iso3": iso3, "year": int(year), "direction": direction, "population_type": population_type,
            "partners": top, "others": others, "n_others": len(partners) - len(top), "total": total}
