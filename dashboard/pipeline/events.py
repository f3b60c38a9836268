"""Dated events (curated, own words) → validated events table."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from dashboard.core.config import CURATED_DIR, FIRST_YEAR, ISO3, LAST_YEAR
from dashboard.pipeline import BuildError
from dashboard.pipeline.readers import read_csv

EVENT_COLUMNS = ["id", "date", "date_precision", "year", "countries", "orgs", "category", "title",
                 "text", "source", "source_url", "from_book"]
CATEGORIES = ("dissolution", "cis", "security", "economic", "conflict", "politics", "europe",
              "migration")
_DATE_RE = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}"}


def build_events(orgs: list[str], curated_dir: Path = CURATED_DIR) -> pd.DataFrame:
    path = Path(curated_dir) / "events.csv"
    df = read_csv(path, EVENT_COLUMNS, dtype=str).fillna("")
    if df["id"].duplicated().any():
        raise BuildError(path, f"duplicate id {df.loc[df['id'].duplicated(), 'id'].iloc[0]!r}")
    for i, rec in enumerate(df.itertuples(index=False), start=2):
        pattern = _DATE_RE.get(rec.date_precision)
        if pattern is None or not re.fullmatch(pattern, rec.date):
            raise BuildError(path, f"row {i}: date {rec.date!r} does not match precision "
                                   f"{rec.date_precision!r}")
        if not rec.year.isdigit() or not FIRST_YEAR <= int(rec.year) <= LAST_YEAR:
            raise BuildError(path, f"row {i}: year {rec.year!r} outside {FIRST_YEAR}..{LAST_YEAR}")
        codes = [c for c in rec.countries.split(";") if c]
        if any(c not in ISO3 for c in codes):
            raise BuildError(path, f"row {i}: unknown country code in {rec.countries!r}")
        if any(o not in orgs for o in rec.orgs.split(";") if o):
            raise BuildError(path, f"row {i}: unknown organisation in {rec.orgs!r}")
        if rec.category not in CATEGORIES:
            raise BuildError(path, f"row {i}: unknown category {rec.category!r}")
        if not rec.title.strip() or not rec.text.strip() or not rec.source.strip():
            raise BuildError(path, f"row {i}: title, text and source are required")
        if rec.from_book not in ("true", "false", "True", "False"):
            raise BuildError(path, f"row {i}: from_book must be true or false")
    df["from_book"] = df["from_book"].str.lower()
    df["year"] = df["year"].astype(int)
    return df.sort_values(["date", "id"], kind="stable").reset_index(drop=True)[EVENT_COLUMNS]
