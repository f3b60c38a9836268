"""Checks on the hand-curated membership spells for the CIS, the CSTO, the Union State and GUAM.

The files are read directly (pandas + yaml); the build's own reading rule lives elsewhere, so a
small helper here resolves "the status on a given day" the same way the README describes it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pandas as pd
import pytest
import yaml

MEMBERSHIPS_DIR = Path(__file__).resolve().parents[2] / "data" / "sources" / "curated" / "memberships"

ORGS = ("cis", "csto", "union_state", "guam")
ISO3 = {
    "ARM", "AZE", "BLR", "EST", "GEO", "KAZ", "KGZ", "LVA",
    "LTU", "MDA", "RUS", "TJK", "TKM", "UKR", "UZB",
}
COLUMNS = ["iso3", "org", "status", "start_date", "end_date", "basis", "source", "source_url", "note"]
AS_OF = dt.date(2026, 11, 25)
BOOK_MARKERS = ("Getting It Wrong", "Olcott")


def load_yaml(org: str) -> dict:
    with open(MEMBERSHIPS_DIR / f"{org}.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def load_csv(org: str) -> pd.DataFrame:
    return pd.read_csv(MEMBERSHIPS_DIR / f"{org}.csv", dtype=str, keep_default_na=False)


def parse(value: str) -> dt.date | None:
    value = value.strip()
    return dt.date.fromisoformat(value) if value else None


def status_on(org: str, iso3: str, day: dt.date) -> str:
    """Status of `iso3` in `org` on `day`; the org's default where no spell covers the day."""
    spells = load_csv(org)
    spells = spells[spells["iso3"] == iso3]
    hits = []
    for row in spells.itertuples(index=False):
        start, end = parse(row.start_date), parse(row.end_date)
        if start <= day and (end is None or day <= end):
            hits.append(row.status)
    assert len(hits) <= 1, f"{org}/{iso3}: overlapping spells on {day}: {hits}"
    return hits[0] if hits else load_yaml(org)["default_status"]


def year_status(org: str, iso3: str, year: int) -> str:
    """Status read on 31 December of `year`, or on AS_OF for the current year."""
    return status_on(org, iso3, min(dt.date(year, 12, 31), AS_OF))


# --------------------------------------------------------------------------- structure


@pytest.mark.parametrize("org", ORGS)
def test_yaml_shape(org):
    meta = load_yaml(org)
    assert meta["id"] == org
    for key in ("name", "short_name", "founded", "description", "statuses", "default_status", "sources"):
        assert key in meta, f"{org}.yaml lacks {key}"
    ids = [s["id"] for s in meta["statuses"]]
    assert len(ids) == len(set(ids)), f"{org}: duplicate status ids"
    assert meta["default_status"] in ids
    for status in meta["statuses"]:
        assert {"id", "label", "member", "description"} <= set(status), status
        assert isinstance(status["member"], bool), status
        assert str(status["description"]).strip()
    for src in meta["sources"]:
        assert {"id", "citation", "url"} <= set(src), src


@pytest.mark.parametrize("org", ORGS)
def test_csv_columns_and_values(org):
    spells = load_csv(org)
    assert list(spells.columns) == COLUMNS
    assert len(spells) > 0
    assert set(spells["org"]) == {org}
    bad_iso = set(spells["iso3"]) - ISO3
    assert not bad_iso, f"{org}: unknown iso3 {bad_iso}"
    statuses = {s["id"] for s in load_yaml(org)["statuses"]}
    unknown = set(spells["status"]) - statuses
    assert not unknown, f"{org}: statuses not in yaml: {unknown}"
    for row in spells.itertuples(index=False):
        assert row.basis.strip(), f"{org}/{row.iso3}: empty basis"


@pytest.mark.parametrize("org", ORGS)
def test_dates_parse_and_are_ordered(org):
    for row in load_csv(org).itertuples(index=False):
        start = parse(row.start_date)
        end = parse(row.end_date)
        assert start is not None, f"{org}/{row.iso3}: missing start_date"
        assert dt.date(1991, 1, 1) <= start <= AS_OF, f"{org}/{row.iso3}: start {start} out of range"
        if end is not None:
            assert start <= end, f"{org}/{row.iso3}: start {start} after end {end}"
            assert end <= AS_OF, f"{org}/{row.iso3}: end {end} after AS_OF"


@pytest.mark.parametrize("org", ORGS)
def test_no_overlapping_spells(org):
    spells = load_csv(org)
    for iso3, group in spells.groupby("iso3"):
        ranges = sorted(
            (parse(r.start_date), parse(r.end_date) or dt.date.max) for r in group.itertuples(index=False)
        )
        for (_s1, e1), (s2, _e2) in itertools.pairwise(ranges):
            assert e1 < s2, f"{org}/{iso3}: spell ending {e1} overlaps spell starting {s2}"


@pytest.mark.parametrize("org", ORGS)
def test_every_spell_is_sourced(org):
    for row in load_csv(org).itertuples(index=False):
        assert row.source.strip(), f"{org}/{row.iso3}/{row.status}: no source"
        has_url = row.source_url.strip().startswith(("http://", "https://"))
        cites_book = any(marker in row.source for marker in BOOK_MARKERS)
        assert has_url or cites_book, f"{org}/{row.iso3}/{row.status}: no source_url or book citation"


def test_every_state_has_a_cis_spell():
    assert set(load_csv("cis")["iso3"]) == ISO3


def test_union_state_only_belarus_and_russia():
    assert set(load_csv("union_state")["iso3"]) == {"BLR", "RUS"}


# --------------------------------------------------------------------------- key facts: CIS


def test_georgia_leaves_cis_on_18_august_2009():
    cis = load_csv("cis")
    geo = cis[cis["iso3"] == "GEO"]
    assert "2009-08-17" in set(geo["end_date"])
    withdrawn = geo[geo["status"] == "withdrawn"]
    assert list(withdrawn["start_date"]) == ["2009-08-18"]
    assert status_on("cis", "GEO", dt.date(2009, 8, 17)) == "charter_member"
    assert status_on("cis", "GEO", dt.date(2009, 8, 18)) == "withdrawn"
    assert year_status("cis", "GEO", 2009) == "withdrawn"
    assert year_status("cis", "GEO", 1992) == "not_member"


def test_ukraine_and_turkmenistan_never_charter_members():
    cis = load_csv("cis")
    assert not ((cis["iso3"].isin(["UKR", "TKM"])) & (cis["status"] == "charter_member")).any()


def test_turkmenistan_associate_after_kazan():
    assert status_on("cis", "TKM", dt.date(2006, 12, 31)) == "associate"
    assert status_on("cis", "TKM", dt.date(2004, 12, 31)) == "participant_no_charter"


def test_azerbaijan_out_in_1992_back_in_1993():
    participating = {"charter_member", "founding_participant", "participant_no_charter", "associate"}
    assert status_on("cis", "AZE", dt.date(1992, 12, 31)) not in participating
    assert status_on("cis", "AZE", dt.date(1993, 12, 31)) in participating


def test_baltics_never_joined_cis():
    for iso3 in ("EST", "LVA", "LTU"):
        for year in (1991, 2000, 2026):
            assert year_status("cis", iso3, year) == "never_joined"


def test_moldova_still_charter_member_on_as_of():
    # Exit procedure begun in 2026 needs 12 months after notice: no legal effect by AS_OF.
    assert year_status("cis", "MDA", 2026) == "charter_member"


def test_ukraine_participation_ended_2018():
    assert year_status("cis", "UKR", 2017) == "participant_no_charter"
    assert year_status("cis", "UKR", 2018) == "participation_ended"


# --------------------------------------------------------------------------- key facts: CSTO


def test_uzbekistan_csto_path():
    assert status_on("csto", "UZB", dt.date(2000, 12, 31)) == "withdrawn"
    assert status_on("csto", "UZB", dt.date(2007, 12, 31)) == "csto_member"
    assert status_on("csto", "UZB", dt.date(2013, 12, 31)) == "suspended"


def test_armenia_csto_frozen_2024():
    assert status_on("csto", "ARM", dt.date(2024, 12, 31)) == "frozen"
    assert status_on("csto", "ARM", dt.date(2023, 12, 31)) == "csto_member"


def test_azerbaijan_georgia_left_cst_1999():
    for iso3 in ("AZE", "GEO"):
        assert status_on("csto", iso3, dt.date(1998, 12, 31)) == "cst_party"
        assert status_on("csto", iso3, dt.date(1999, 12, 31)) == "withdrawn"


def test_never_csto_parties():
    csto = load_csv("csto")
    for iso3 in ("TKM", "MDA", "UKR"):
        assert set(csto[csto["iso3"] == iso3]["status"]) <= {"not_member"}


# --------------------------------------------------------------------------- key facts: Union State, GUAM


def test_union_state_steps():
    for iso3 in ("BLR", "RUS"):
        assert year_status("union_state", iso3, 1995) == "not_member"
        assert year_status("union_state", iso3, 1996) == "community"
        assert year_status("union_state", iso3, 1998) == "union"
        assert year_status("union_state", iso3, 2000) == "union_state"
        assert year_status("union_state", iso3, 2026) == "union_state"
    assert year_status("union_state", "KAZ", 2000) == "not_member"


def test_guam_uzbekistan():
    assert year_status("guam", "UZB", 1998) == "not_member"
    assert year_status("guam", "UZB", 2000) == "member"
    assert year_status("guam", "UZB", 2003) == "suspended"
    assert year_status("guam", "UZB", 2006) == "withdrawn"
    for iso3 in ("GEO", "UKR", "AZE", "MDA"):
        assert year_status("guam", iso3, 1997) == "member"
        assert year_status("guam", iso3, 2026) == "member"
