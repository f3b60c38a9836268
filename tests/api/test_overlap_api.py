"""/api/v1/overlap (the overlap view's one document) and its row order (dashboard/core/overlap.py)."""

from __future__ import annotations

import json

import flask
import numpy as np
import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from app import app
from dashboard.core.config import FIRST_YEAR, ISO3, LAST_YEAR
from dashboard.core.data import get_data
from dashboard.core.overlap import distances, row_order, seriate

API = "/api/v1/overlap"


@pytest.fixture(scope="module")
def client() -> flask.testing.FlaskClient:
    return app.server.test_client()


@pytest.fixture(scope="module")
def doc(client) -> dict:
    resp = client.get(API)
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    assert resp.headers["Cache-Control"] == "public, max-age=3600" and resp.headers.get("ETag")
    return json.loads(resp.get_data(as_text=True))


def test_every_cell_is_the_status_of_the_memberships_api(client, doc) -> None:
    """Each state, organisation and year: the status (and its label, basis, source) equals the
    row of /memberships?year= — checked for every year."""
    states = [s["iso3"] for s in doc["states"]]
    assert sorted(states) == sorted(ISO3)
    assert doc["years"] == [FIRST_YEAR, LAST_YEAR]
    checked = 0
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        rows = client.get(f"/api/v1/memberships?year={year}").get_json()["rows"]
        want = {(r["org"], r["iso3"]): r for r in rows}
        for org in doc["orgs"]:
            for i, iso3 in enumerate(states):
                row = want[(org["id"], iso3)]
                k = org["status"][i][year - FIRST_YEAR]
                assert k >= 0
                st = org["statuses"][k]
                assert (st["id"], st["label"], st["member"]) == (row["status"], row["status_label"], row["member"])
                assert doc["texts"][org["basis"][i][year - FIRST_YEAR]] == (row["basis"] or "")
                assert doc["texts"][org["source"][i][year - FIRST_YEAR]] == (row["source"] or "")
                checked += 1
    assert checked == 15 * len(doc["orgs"]) * (LAST_YEAR - FIRST_YEAR + 1)


def test_statuses_are_the_map_legend_of_each_layer(client, doc) -> None:
    catalogue = {i["id"]: i for i in client.get("/api/v1/indicators").get_json()["indicators"]}
    assert [o["id"] for o in doc["orgs"]] == list(get_data().orgs)
    for org in doc["orgs"]:
        classes = catalogue[org["layer"]]["classes"]
        assert [(s["id"], s["label"], s["color"]) for s in org["statuses"]] == \
            [(c["id"], c["label"], c["color"]) for c in classes]


def test_in_the_openapi_document_and_conforms(client, doc) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    validate(spec)
    op = spec["paths"]["/overlap"]["get"]
    assert op["parameters"] == [] and {"400", "404", "405"} <= set(op["responses"])
    registry = Registry().with_resource("urn:api", Resource.from_contents(spec, default_specification=DRAFT202012))
    validator = OAS31Validator({"$ref": "urn:api#/components/schemas/OverlapResponse"}, registry=registry)
    assert [e.message[:200] for e in validator.iter_errors(doc)] == []
    bad = json.loads(json.dumps(doc))
    bad["orgs"][0]["status"][0] = bad["orgs"][0]["status"][0][:-1]
    assert list(validator.iter_errors(bad))
    assert f"{API}" in client.get("/api/v1").get_json()["endpoints"]


@pytest.mark.parametrize("query", ["year=2009", "format=csv", "x=1", "org=cis"])
def test_any_parameter_is_400_json(client, query: str) -> None:
    resp = client.get(f"{API}?{query}")
    assert resp.status_code == 400 and resp.mimetype == "application/json"
    body = resp.get_json()
    assert set(body) == {"error", "detail"} and body["error"] == "unknown_parameter"


def test_wrong_method_is_405_json(client) -> None:
    resp = client.post(API)
    assert resp.status_code == 405 and resp.mimetype == "application/json"


# ------------------------------------------------------------------------------------ row order
def test_seriation_puts_similar_rows_together_and_is_deterministic() -> None:
    # two blocks of identical rows, interleaved, and an outlier
    rows = np.array([[0, 0, 0, 0], [1, 1, 1, 1], [0, 0, 0, 1], [1, 1, 1, 0], [2, 2, 2, 2]])
    order = seriate(distances(rows))
    assert sorted(order) == [0, 1, 2, 3, 4]
    pos = {k: i for i, k in enumerate(order)}
    assert abs(pos[0] - pos[2]) == 1 and abs(pos[1] - pos[3]) == 1
    assert order == seriate(distances(rows))
    assert seriate(np.zeros((0, 0))) == []
    assert seriate(np.zeros((1, 1))) == [0]


def test_row_order_of_the_atlas() -> None:
    order = row_order(get_data())
    assert sorted(order) == sorted(ISO3) and order == row_order(get_data())
    pos = {c: i for i, c in enumerate(order)}
    # the Baltic states (EU and NATO, never CIS) sit together; so do Central Asia's CSTO members
    # and the Union State pair
    assert max(pos[c] for c in ("EST", "LVA", "LTU")) - min(pos[c] for c in ("EST", "LVA", "LTU")) == 2
    assert abs(pos["BLR"] - pos["RUS"]) == 1
    assert max(pos[c] for c in ("KAZ", "KGZ", "TJK")) - min(pos[c] for c in ("KAZ", "KGZ", "TJK")) == 2
