"""Checks on the hand-curated membership spells of all ten organisations: the CIS, the CSTO, the
Union State, GUAM, the Eurasian economic line, the Central Asian bloc, the SCO, the EU path, NATO
and the Eastern Partnership.

The files are read directly with pandas and yaml. A small helper resolves "the status on a given
day" as the curated README describes it (a spell covers start..end inclusive, an empty end means
open-ended, uncovered days take the org's default status); the day a year is read on is the
build's own rule, ``dashboard.core.config.status_reference_date`` (31 December, or AS_OF for the
current year), so the rule is written once.
"""

from __future__ import annotations

import datetime as dt
import itertools
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
import yaml

from dashboard.core.config import AS_OF, status_reference_date
from dashboard.core.config import ISO3 as ISO3_ORDER

MEMBERSHIPS_DIR = Path(__file__).resolve().parents[2] / "data" / "sources" / "curated" / "memberships"

# The first four cite the 1999 reference book for some early spells (no URL); the others cite a
# URL on every spell.
BOOK_ORGS = ("cis", "csto", "union_state", "guam")
URL_ORGS = ("eurasian", "central_asian", "sco", "eu", "nato", "eap")
ORGS = BOOK_ORGS + URL_ORGS
ISO3 = set(ISO3_ORDER)
COLUMNS = ["iso3", "org", "status", "start_date", "end_date", "basis", "source", "source_url", "note"]
FIRST_DAY = dt.date(1991, 1, 1)
BOOK_MARKERS = ("Getting It Wrong", "Olcott")


@cache
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
    hits = [
        row.status
        for row in spells.itertuples(index=False)
        if parse(row.start_date) <= day and (parse(row.end_date) is None or day <= parse(row.end_date))
    ]
    assert len(hits) <= 1, f"{org}/{iso3}: overlapping spells on {day}: {hits}"
    return hits[0] if hits else load_yaml(org)["default_status"]


def year_status(org: str, iso3: str, year: int) -> str:
    """The status of a year, read on the build's reference day for that year."""
    return status_on(org, iso3, status_reference_date(year))


# --------------------------------------------------------------------------- structure


def test_reference_day_rule():
    assert status_reference_date(2009) == dt.date(2009, 12, 31)
    assert status_reference_date(AS_OF.year) == AS_OF


@pytest.mark.parametrize("org", ORGS)
def test_files_exist(org):
    assert (MEMBERSHIPS_DIR / f"{org}.yaml").is_file()
    assert (MEMBERSHIPS_DIR / f"{org}.csv").is_file()


@pytest.mark.parametrize("org", ORGS)
def test_yaml_shape(org):
    meta = load_yaml(org)
    assert meta["id"] == org
    for key in ("name", "short_name", "founded", "description", "statuses", "default_status", "sources"):
        assert meta.get(key), f"{org}.yaml: missing {key}"
    ids = [s["id"] for s in meta["statuses"]]
    assert len(ids) == len(set(ids)), f"{org}.yaml: duplicate status ids"
    for status in meta["statuses"]:
        assert {"id", "label", "member", "description"} <= set(status), status
        assert isinstance(status["member"], bool), status
        assert str(status["label"]).strip() and str(status["description"]).strip()
    assert meta["default_status"] in ids
    # the default is never a "member" status
    default = next(s for s in meta["statuses"] if s["id"] == meta["default_status"])
    assert default["member"] is False
    for src in meta["sources"]:
        assert {"id", "citation", "url"} <= set(src), src
        if org in URL_ORGS:
            assert src.get("id") and src.get("citation") and str(src.get("url", "")).startswith("http")


@pytest.mark.parametrize("org", ORGS)
def test_csv_columns_and_values(org):
    df = load_csv(org)
    assert list(df.columns) == COLUMNS
    assert len(df) > 0
    assert set(df["org"]) == {org}
    assert set(df["iso3"]) <= ISO3, set(df["iso3"]) - ISO3
    statuses = {s["id"] for s in load_yaml(org)["statuses"]}
    assert set(df["status"]) <= statuses, set(df["status"]) - statuses
    for col in ("basis", "source") + (("source_url",) if org in URL_ORGS else ()):
        assert (df[col].str.strip() != "").all(), f"{org}: empty {col}"
    if org in URL_ORGS:
        assert df["source_url"].str.match(r"^https?://").all()


@pytest.mark.parametrize("org", ORGS)
def test_dates_parse_and_are_ordered(org):
    for row in load_csv(org).itertuples(index=False):
        start, end = parse(row.start_date), parse(row.end_date)
        assert start is not None, f"{org}/{row.iso3}: missing start_date"
        assert FIRST_DAY <= start <= AS_OF, f"{org}/{row.iso3}: start {start} out of range"
        if end is not None:
            assert start <= end, f"{org}/{row.iso3}: start {start} after end {end}"
            assert end <= AS_OF, f"{org}/{row.iso3}: end {end} after AS_OF"


@pytest.mark.parametrize("org", ORGS)
def test_no_overlapping_spells(org):
    df = load_csv(org)
    for iso3, group in df.groupby("iso3"):
        spells = sorted((parse(r.start_date), parse(r.end_date) or dt.date.max) for r in group.itertuples(index=False))
        for (_, prev_end), (next_start, _) in itertools.pairwise(spells):
            assert prev_end < next_start, f"{org}/{iso3}: spells overlap around {next_start}"


@pytest.mark.parametrize("org", ORGS)
def test_every_spell_is_sourced(org):
    for row in load_csv(org).itertuples(index=False):
        assert row.source.strip(), f"{org}/{row.iso3}/{row.status}: no source"
        has_url = row.source_url.strip().startswith(("http://", "https://"))
        cites_book = org in BOOK_ORGS and any(marker in row.source for marker in BOOK_MARKERS)
        assert has_url or cites_book, f"{org}/{row.iso3}/{row.status}: no source_url or book citation"


# --------------------------------------------------------------------------- key facts: CIS, CSTO, Union State, GUAM


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


# --------------------------------------------------------------------------- key facts: the other six


def test_default_status_on_uncovered_days():
    assert status_on("eurasian", "TKM", dt.date(2020, 12, 31)) == "not_member"
    assert status_on("nato", "RUS", dt.date(1993, 12, 31)) == "not_member"


# --------------------------------------------------------------------------- key facts: Eurasian line


def test_kazakhstan_eurasian_stages():
    assert status_on("eurasian", "KAZ", dt.date(2015, 12, 31)) == "eaeu"
    assert status_on("eurasian", "KAZ", dt.date(2012, 12, 31)) == "customs_union_2010"
    assert status_on("eurasian", "KAZ", dt.date(2005, 12, 31)) == "eurasec"
    assert status_on("eurasian", "KAZ", dt.date(1998, 12, 31)) == "treaty_1996"
    assert status_on("eurasian", "KAZ", dt.date(1995, 12, 31)) == "customs_union_1995"


def test_tajikistan_never_in_eaeu():
    assert not (load_csv("eurasian").query("iso3 == 'TJK'")["status"] == "eaeu").any()
    assert all(year_status("eurasian", "TJK", y) != "eaeu" for y in range(FIRST_DAY.year, AS_OF.year + 1))


def test_uzbekistan_eurasian():
    assert status_on("eurasian", "UZB", dt.date(2007, 12, 31)) == "eurasec"
    assert status_on("eurasian", "UZB", dt.date(2009, 12, 31)) == "not_member"
    assert status_on("eurasian", "UZB", dt.date(2021, 12, 31)) == "observer"


def test_eaeu_founders_and_joiners():
    for iso3 in ("RUS", "BLR", "KAZ"):
        assert status_on("eurasian", iso3, dt.date(2015, 1, 1)) == "eaeu"
    assert status_on("eurasian", "ARM", dt.date(2015, 1, 1)) != "eaeu"
    assert status_on("eurasian", "ARM", dt.date(2015, 1, 2)) == "eaeu"
    assert year_status("eurasian", "KGZ", 2015) == "eaeu"
    assert year_status("eurasian", "MDA", 2019) == "observer"


def test_eurasec_ends_with_2014():
    assert (load_csv("eurasian").query("status == 'eurasec'")["end_date"] <= "2014-12-31").all()


# --------------------------------------------------------------------------- key facts: Central Asia


def test_central_asian_bloc():
    for iso3 in ("KAZ", "KGZ", "UZB"):
        assert year_status("central_asian", iso3, 1995) == "member"
    assert year_status("central_asian", "TJK", 1999) == "member"
    assert year_status("central_asian", "RUS", 2004) == "member"
    assert year_status("central_asian", "KAZ", 2006) == "not_member"
    assert "TKM" not in set(load_csv("central_asian")["iso3"])


# --------------------------------------------------------------------------- key facts: SCO


def test_sco():
    assert status_on("sco", "BLR", dt.date(2024, 12, 31)) == "member"
    assert status_on("sco", "BLR", dt.date(2016, 12, 31)) == "observer"
    assert status_on("sco", "BLR", dt.date(2012, 12, 31)) == "dialogue_partner"
    assert year_status("sco", "RUS", 1998) == "shanghai_five"
    assert year_status("sco", "UZB", 1998) == "not_member"
    assert year_status("sco", "UZB", 2001) == "member"
    assert year_status("sco", "ARM", 2017) == "dialogue_partner"
    assert year_status("sco", "TKM", 2020) == "not_member"


# --------------------------------------------------------------------------- key facts: EU


def test_eu():
    assert status_on("eu", "EST", dt.date(2004, 12, 31)) == "member"
    assert status_on("eu", "UKR", dt.date(2022, 12, 31)) == "candidate"
    assert year_status("eu", "LVA", 1996) == "applicant"
    assert year_status("eu", "GEO", 2022) == "applicant"
    assert year_status("eu", "GEO", 2023) == "candidate"
    assert year_status("eu", "MDA", 2016) == "association_agreement"
    assert year_status("eu", "RUS", 2010) == "not_member"


# --------------------------------------------------------------------------- key facts: NATO


def test_nato():
    assert status_on("nato", "LVA", dt.date(2004, 12, 31)) == "member"
    assert status_on("nato", "GEO", dt.date(2008, 12, 31)) == "aspirant"
    assert year_status("nato", "UKR", 2012) == "partner"
    assert year_status("nato", "UKR", 2022) == "aspirant"
    assert year_status("nato", "TJK", 2001) == "not_member"
    assert year_status("nato", "TJK", 2002) == "partner"
    assert year_status("nato", "RUS", 2000) == "partner"
    assert year_status("nato", "RUS", 2014) == "not_member"
    # every one of the 15 signed the PfP framework at some point
    assert set(load_csv("nato").query("status == 'partner'")["iso3"]) == ISO3


# --------------------------------------------------------------------------- key facts: Eastern Partnership


def test_eap():
    assert status_on("eap", "BLR", dt.date(2021, 12, 31)) == "suspended"
    assert status_on("eap", "BLR", dt.date(2020, 12, 31)) == "participant"
    assert year_status("eap", "UKR", 2009) == "participant"
    assert year_status("eap", "UKR", 2008) == "not_member"
    assert set(load_csv("eap")["iso3"]) == {"ARM", "AZE", "BLR", "GEO", "MDA", "UKR"}
