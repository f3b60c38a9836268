"""The address ⇄ view state cases shared with the browser's parser (tests/cases/address.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dashboard.core.viewstate import address_context, parse_query

CASES = json.loads((Path(__file__).resolve().parents[1] / "cases" / "address.json").read_text(encoding="utf-8"))
CTX = CASES["context"]


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda c: c["query"] or "(empty)")
def test_address_case(case: dict[str, Any]) -> None:
    state = parse_query(case["query"], CTX)
    got = state.as_dict()
    for key, value in case["state"].items():
        assert got[key] == value, key
    assert sorted(state.notice_params) == sorted(case["notices"])
    assert state.query() == case["canonical"]
    again = parse_query(state.query(), CTX)
    assert again.as_dict() == got
    assert again.notices == []


def test_context_of_the_real_data_names_every_map_layer_and_story() -> None:
    from dashboard.core.data import get_data
    from dashboard.web.app import load_story_dicts

    data = get_data()
    stories = load_story_dicts()
    ctx = address_context(data, stories)
    assert set(ctx) == set(CTX)
    assert "refugees_hosted_per_1000" in ctx["layers"]
    assert ctx["layers"]["refugees_hosted_per_1000"]["per_1000_of"] == "refugees_hosted"
    for sid, steps in ctx["stories"].items():
        assert steps and all(s["layer"] in ctx["layers"] for s in steps), sid
