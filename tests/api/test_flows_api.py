"""/api/v1/flows: UNHCR origin→asylum pairs, filtered; bad parameters answer 400 JSON."""

from __future__ import annotations

import io
import json

import flask
import pandas as pd
import pytest

from app import app
from dashboard.core.config import PROCESSED_DIR

API = "/api/v1/flows"


@pytest.fixture(scope="module")
def client() -> flask.testing.FlaskClient:
    return app.server.test_client()


@pytest.fixture(scope="module")
def flows() -> pd.DataFrame:
    return pd.read_csv(PROCESSED_DIR / "flows.csv", keep_default_na=False, na_values=[""])


def test_ukraine_2022_refugees_equal_the_published_pairs(client, flows) -> None:
    resp = client.get(f"{API}?origin=ukr&year=2022&indicator=refugees")
    assert resp.status_code == 200
    body = resp.get_json()
    want = flows[(flows.origin_iso3 == "UKR") & (flows.year == 2022) & (flows.population_type == "refugees")]
    assert body["count"] == len(want) > 50
    got = {(r["asylum_iso3"], r["value"]) for r in body["rows"]}
    assert got == set(zip(want.asylum_iso3, want.value.astype(int), strict=True))
    assert {"POL", "DEU", "CZE"} <= {r["asylum_iso3"] for r in body["rows"]}
    assert body["origin"] == ["UKR"] and body["year"] == 2022 and body["indicator"] == ["refugees"]
    assert set(body["codes"]) == {"UNK", "XXA"}
    assert body["sources"][0]["source_id"] == "unhcr_rdf_2025_12_1"
    assert body["data_version"]
    assert list(body["rows"][0]) == ["year", "origin_iso3", "origin_name", "asylum_iso3", "asylum_name",
                                     "population_type", "value", "source_id"]


def test_csv_and_filters(client, flows) -> None:
    resp = client.get(f"{API}?asylum=KAZ&year=2025&indicator=oip,refugees&format=csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert "attachment" in resp.headers["Content-Disposition"]
    got = pd.read_csv(io.StringIO(resp.get_data(as_text=True)), keep_default_na=False)
    want = flows[(flows.asylum_iso3 == "KAZ") & (flows.year == 2025)
                 & flows.population_type.isin(["oip", "refugees"])]
    assert len(got) == len(want) and ("UNK" in set(got.origin_iso3))
    assert int(got[(got.origin_iso3 == "UNK") & (got.population_type == "oip")].value.iloc[0]) == 48391
    whole = client.get(API).get_json()
    assert whole["count"] == len(flows)


@pytest.mark.parametrize("query", [
    "origin=ZZZ", "origin=UKR,", "asylum=12", "year=1990", "year=abc", "year=2022&year=2023",
    "indicator=idps", "format=xml", "country=UKR", "origin=", "from=2000",
    # the same rules as the other endpoints: empty values, repeated parameters, not a year
    "year=", "indicator=", "format=", "asylum=UKR,,POL", "origin=ukr&origin=pol", "year=2022.0", "origin=%20",
])
def test_bad_parameters_are_400_json(client, query: str) -> None:
    resp = client.get(f"{API}?{query}")
    assert resp.status_code == 400, query
    assert resp.mimetype == "application/json"
    body = json.loads(resp.get_data(as_text=True))
    assert set(body) == {"error", "detail"} and body["error"] in (
        "bad_parameter", "unknown_parameter") and body["detail"]


def test_flows_in_openapi(client) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    op = spec["paths"]["/flows"]["get"]
    names = {spec["components"]["parameters"][p["$ref"].rsplit("/", 1)[1]]["name"] for p in op["parameters"]}
    assert names == {"origin", "asylum", "year", "indicator", "format"}
    assert "Flow" in spec["components"]["schemas"]
    assert "/api/v1/flows" in client.get("/api/v1").get_json()["endpoints"]


def test_flows_in_the_dataset_zip_and_the_sources_tab() -> None:
    import zipfile

    from dashboard.core.data import get_data
    from dashboard.export.downloads import dataset_zip_bytes
    from dashboard.views.sources_tab import sources_tab_layout

    data = get_data()
    with zipfile.ZipFile(io.BytesIO(dataset_zip_bytes(data))) as zf:
        assert zf.read("data/processed/flows.csv") == (PROCESSED_DIR / "flows.csv").read_bytes()
        readme = zf.read("README.txt").decode()
    assert "flows.csv" in readme and "XXA" in readme
    text = str(sources_tab_layout(data))
    assert "layer-flows" in text and "UNK" in text and "Stateless" in text


def test_other_methods_are_405_json(client) -> None:
    resp = client.post(f"{API}?origin=UKR")
    assert resp.status_code == 405 and resp.mimetype == "application/json"
    assert set(resp.get_json()) == {"error", "detail"}
