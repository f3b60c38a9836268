"""Checks on the hand-curated events table, data/sources/curated/events.csv."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
EVENTS_CSV = REPO / "data" / "sources" / "curated" / "events.csv"
# The reference material lives next to the repository (../shared/reference); it is only used to
# check that our wording is our own, and that check is skipped where it is absent.
REFERENCE_DIR = Path(__file__).resolve().parents[3] / "shared" / "reference"

COLUMNS = ["id", "date", "date_precision", "year", "countries", "orgs", "category", "title",
           "text", "source", "source_url", "from_book"]
ISO3 = {"ARM", "AZE", "BLR", "EST", "GEO", "KAZ", "KGZ", "LVA", "LTU", "MDA", "RUS", "TJK",
        "TKM", "UKR", "UZB"}
CATEGORIES = {"dissolution", "cis", "security", "economic", "conflict", "politics", "europe",
              "migration"}
ORGS = {"cis", "csto", "eurasian", "union_state", "guam", "central_asian", "sco", "eu", "nato",
        "eap"}
DATE_FORMATS = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
FIRST_YEAR, LAST_YEAR = 1991, 2026
MAX_SHARED_RUN = 8  # a run of this many consecutive words shared with the book counts as copying


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return pd.read_csv(EVENTS_CSV, dtype=str, keep_default_na=False)


def _codes(cell: str) -> list[str]:
    return [c for c in cell.split(";") if c]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'"))


def _runs(words: list[str], n: int = MAX_SHARED_RUN) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def test_columns_exactly(events):
    assert list(events.columns) == COLUMNS


def test_ids_unique_and_shaped(events):
    assert events["id"].is_unique, events.loc[events["id"].duplicated(), "id"].tolist()
    for rec in events.itertuples():
        assert rec.id.startswith(rec.date + "-"), rec.id
        assert re.fullmatch(r"[0-9a-z-]+", rec.id), rec.id


def test_sorted_by_date_then_id(events):
    keys = list(zip(events["date"], events["id"], strict=True))
    assert keys == sorted(keys)


def test_dates_parse_at_their_precision(events):
    for rec in events.itertuples():
        fmt = DATE_FORMATS.get(rec.date_precision)
        assert fmt is not None, (rec.id, rec.date_precision)
        parsed = dt.datetime.strptime(rec.date, fmt)  # raises on a malformed date
        assert parsed.strftime(fmt) == rec.date, rec.id


def test_year_in_range_and_consistent(events):
    for rec in events.itertuples():
        assert rec.year.isdigit(), rec.id
        year = int(rec.year)
        assert FIRST_YEAR <= year <= LAST_YEAR, rec.id
        assert year == int(rec.date[:4]), rec.id


def test_countries_are_iso3_of_the_15(events):
    for rec in events.itertuples():
        codes = _codes(rec.countries)
        assert set(codes) <= ISO3, (rec.id, rec.countries)
        assert len(codes) == len(set(codes)), rec.id


def test_categories_and_orgs(events):
    assert set(events["category"]) <= CATEGORIES
    for rec in events.itertuples():
        assert set(_codes(rec.orgs)) <= ORGS, (rec.id, rec.orgs)


def test_titles_and_texts(events):
    for rec in events.itertuples():
        assert rec.title.strip() and len(rec.title) <= 80, rec.id
        assert rec.text.strip(), rec.id
        assert rec.source.strip(), rec.id


def test_sources(events):
    assert set(events["from_book"]) <= {"true", "false"}
    book = events[events["from_book"] == "true"]
    later = events[events["from_book"] == "false"]
    assert len(book) > 0 and len(later) > 0
    assert (book["source_url"] == "").all()
    assert book["source"].str.contains("Getting It Wrong").all()
    for rec in later.itertuples():
        assert re.match(r"https?://\S+$", rec.source_url), rec.id


def test_key_events_present(events):
    def on(date: str, *codes: str) -> pd.DataFrame:
        rows = events[events["date"] == date]
        return rows[rows["countries"].map(lambda c: set(codes) <= set(_codes(c)))]

    belovezh = on("1991-12-08", "BLR", "RUS", "UKR")
    assert not belovezh.empty
    assert belovezh["text"].str.contains("Belarus").any()
    assert not on("2009-08-18", "GEO").empty
    assert not on("2022-02-24", "UKR").empty
    assert not on("1991-12-21", "KAZ").empty


def test_text_is_our_own_wording(events):
    quotes_file = REFERENCE_DIR / "book_events.csv"
    if not quotes_file.is_file():
        pytest.skip(f"reference material not found at {REFERENCE_DIR}")
    reference = pd.read_csv(quotes_file, dtype=str, keep_default_na=False)["quote"].tolist()
    reference += [p.read_text(encoding="utf-8") for p in sorted((REFERENCE_DIR / "seeds").glob("*.txt"))]
    banned: set[tuple[str, ...]] = set()
    for passage in reference:
        banned |= _runs(_words(passage))
    offenders = {}
    for rec in events.itertuples():
        shared = (_runs(_words(rec.text)) | _runs(_words(rec.title))) & banned
        if shared:
            offenders[rec.id] = [" ".join(run) for run in sorted(shared)]
    assert not offenders, offenders
