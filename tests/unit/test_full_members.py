"""Full members (the overlap view's "Full members" row and small charts): one definition, the
status metadata's ``full_member`` flag (data/sources/curated/memberships/<org>.yaml), carried by
the catalogue and the overlap document; associate, frozen and pre-Charter statuses are member
statuses on the map but are not counted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard.core.config import FIRST_YEAR, LAST_YEAR, ROOT
from dashboard.core.data import get_data
from dashboard.core.overlap import FULL_MEMBERS_RULE, full_member_counts, full_statuses, overlap_document
from dashboard.pipeline import BuildError
from dashboard.pipeline.memberships import load_org

CURATED = ROOT / "data" / "sources" / "curated"


@pytest.fixture(scope="module")
def data():
    return get_data()


def test_full_statuses_are_a_subset_of_the_member_statuses_and_never_the_default(data) -> None:
    for org in data.orgs:
        classes = data.indicators[org]["classes"]
        assert all(isinstance(c["full_member"], bool) for c in classes), org
        member = {c["id"] for c in classes if c["member"]}
        full = full_statuses(data, org)
        assert full and full <= member, org
        assert data.orgs[org]["default_status"] not in full


def test_associate_frozen_and_pre_charter_statuses_are_not_full_members(data) -> None:
    assert full_statuses(data, "cis") == {"charter_member"}
    assert full_statuses(data, "csto") == {"csto_member", "cst_party"}
    not_full = {("cis", "founding_participant"), ("cis", "participant_no_charter"), ("cis", "associate"),
                ("csto", "frozen")}
    for org, status in not_full:
        cls = next(c for c in data.indicators[org]["classes"] if c["id"] == status)
        assert cls["member"] is True and cls["full_member"] is False, (org, status)


def test_counts_of_full_members_known_years(data) -> None:
    cis, csto = full_member_counts(data, "cis"), full_member_counts(data, "csto")
    # before the Charter was in force for anyone (22 January 1994): founding states, no member states
    assert [cis[y] for y in (1991, 1992, 1993)] == [0, 0, 0]
    # 2009: the nine Charter member states; Ukraine (no Charter), Turkmenistan (associate) and
    # Georgia (withdrawn) are not counted
    assert cis[2009] == 9
    # 2025: Armenia's CSTO participation is frozen, Uzbekistan's membership suspended
    assert csto[2025] == 5
    assert csto[1999] == 6  # Azerbaijan, Georgia and Uzbekistan left the treaty in 1999


def test_the_overlap_document_carries_the_flag_and_its_counts_are_full_members(data) -> None:
    doc = overlap_document(data)
    assert doc["full_members"] == FULL_MEMBERS_RULE and "Full members" in FULL_MEMBERS_RULE
    for org in doc["orgs"]:
        flags = {s["id"]: s["full_member"] for s in org["statuses"]}
        assert flags == {c["id"]: c["full_member"] for c in data.indicators[org["id"]]["classes"]}
        # what assets/atlas/overlap.js memberCounts counts from the document
        counted = [sum(1 for row in org["status"] if row[y] >= 0 and org["statuses"][row[y]]["full_member"])
                   for y in range(LAST_YEAR - FIRST_YEAR + 1)]
        want = full_member_counts(data, org["id"])
        assert counted == [want[y] for y in range(FIRST_YEAR, LAST_YEAR + 1)], org["id"]


def test_the_build_refuses_a_full_member_status_that_is_not_a_member(tmp_path: Path) -> None:
    (tmp_path / "memberships").mkdir()
    shutil.copy(CURATED / "palettes.yaml", tmp_path / "palettes.yaml")
    text = (CURATED / "memberships" / "guam.yaml").read_text()
    bad = text.replace("    member: false\n    full_member: false", "    member: false\n    full_member: true", 1)
    assert bad != text
    (tmp_path / "memberships" / "guam.yaml").write_text(bad)
    with pytest.raises(BuildError, match="full_member but not member"):
        load_org(tmp_path / "memberships" / "guam.yaml")
    (tmp_path / "memberships" / "guam.yaml").write_text(text)
    statuses = load_org(tmp_path / "memberships" / "guam.yaml")["statuses"]
    assert {s["id"] for s in statuses if s["full_member"]} == {"member"}
