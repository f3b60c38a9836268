"""The HTTP API under /api/v1: contracts of every endpoint against the processed tables, errors,
caching headers and the OpenAPI document."""

from __future__ import annotations

import gzip
import io
import json
from typing import Any

import brotli
import flask
import pandas as pd
import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from app import app
from dashboard.api.routes import MAX_PARAM_LENGTH, create_api_blueprint
from dashboard.core.config import FIRST_YEAR, GEODATA_DIR, ISO3, LAST_YEAR, PROCESSED_DIR
from dashboard.core.data import get_data

API = "/api/v1"
OBS_COLUMNS = ["iso3", "country", "year", "indicator", "value", "category", "class", "label", "unit",
               "source_id", "source", "licence", "note"]
ORGS = ("cis", "csto", "eurasian", "union_state", "central_asian", "guam", "sco", "eu", "nato", "eap")


def _nulls(values: list[Any]) -> list[Any]:
    """Empty texts as the JSON gives them: null."""
    return [None if v == "" else v for v in values]


@pytest.fixture(scope="module")
def client() -> flask.testing.FlaskClient:
    return app.server.test_client()


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(PROCESSED_DIR / name, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def obs() -> pd.DataFrame:
    """The published table of values (every layer), notes as lists and '; '-joined in 'note'."""
    frame = _read("observations.csv")
    frame["category"] = frame["category"].fillna("").astype(str)
    frame["notes"] = [n.split(" | ") if isinstance(n, str) and n else [] for n in frame["notes"]]
    frame["note"] = ["; ".join(n) for n in frame["notes"]]
    return frame


@pytest.fixture(scope="module")
def catalogue() -> dict[str, Any]:
    return json.loads((PROCESSED_DIR / "indicators.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def org_ids() -> list[str]:
    orgs = json.loads((PROCESSED_DIR / "organisations.json").read_text(encoding="utf-8"))
    return [o["id"] for o in orgs]


def _json(resp: Any) -> Any:
    """The body as JSON, refusing NaN/Infinity (which are not JSON)."""
    def refuse(token: str) -> None:
        raise AssertionError(f"non-JSON constant {token} in the body")
    return json.loads(resp.get_data(as_text=True), parse_constant=refuse)


def _ok_json(client: Any, url: str) -> Any:
    resp = client.get(url)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.mimetype == "application/json"
    assert resp.headers["Cache-Control"] == "public, max-age=3600"
    assert resp.headers.get("ETag")
    return _json(resp)


def _ok_csv(client: Any, url: str, filename_start: str) -> bytes:
    resp = client.get(url)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = resp.headers["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="{filename_start}') and disposition.endswith('.csv"')
    return resp.data


def _assert_csv_equals_rows(body: bytes, rows: list[dict[str, Any]], columns: list[str]) -> None:
    """The CSV parses with pandas and holds exactly the JSON rows: same columns, same order, same
    texts (null ↔ empty cell), and the same numbers once parsed."""
    as_text = pd.read_csv(io.BytesIO(body), dtype=str, keep_default_na=False)
    assert list(as_text.columns) == columns
    expected = pd.DataFrame([{c: "" if r[c] is None else str(r[c]) for c in columns} for r in rows],
                            columns=columns, dtype=str)
    pd.testing.assert_frame_equal(as_text.reset_index(drop=True), expected, check_dtype=False)
    parsed = pd.read_csv(io.BytesIO(body), keep_default_na=False, na_values=[""])
    assert len(parsed) == len(rows)
    for col in columns:
        values = [r[col] for r in rows]
        numbers = [v for v in values if v is not None]
        if numbers and all(isinstance(v, int | float) and not isinstance(v, bool) for v in numbers):
            want = pd.Series(values, dtype="float64")
            pd.testing.assert_series_equal(parsed[col].astype("float64"), want, check_names=False)


# --------------------------------------------------------------------------- indicators, sources

def test_indicators_catalogue(client: Any, catalogue: dict[str, Any]) -> None:
    doc = _ok_json(client, f"{API}/indicators")
    assert doc["count"] == len(catalogue["indicators"]) == len(doc["indicators"])
    assert doc["groups"] == catalogue["groups"]
    by_id = {i["id"]: i for i in doc["indicators"]}
    assert list(by_id) == [i["id"] for i in catalogue["indicators"]]
    for field in ("id", "group", "label", "short_label", "unit", "kind", "classes", "breaks", "source_ids",
                  "licence", "description", "years", "map", "projection"):
        for src in catalogue["indicators"]:
            assert by_id[src["id"]][field] == src[field], (src["id"], field)
    assert by_id["cis"]["membership"] is True and by_id["cis"]["years"] is None
    assert by_id["refugees_hosted"]["membership"] is False


def test_indicators_csv(client: Any, catalogue: dict[str, Any]) -> None:
    body = _ok_csv(client, f"{API}/indicators?format=csv", "indicators")
    frame = pd.read_csv(io.BytesIO(body), keep_default_na=False, na_values=[""])
    assert frame["id"].tolist() == [i["id"] for i in catalogue["indicators"]]
    row = frame.set_index("id").loc["refugees_hosted"]
    assert row["first_year"] == 1992 and row["breaks"].split(";")[0] == "1"


def test_sources(client: Any) -> None:
    sources = _read("sources.csv").fillna("")
    doc = _ok_json(client, f"{API}/sources")
    assert doc["count"] == len(sources) == len(doc["rows"])
    assert list(doc["rows"][0]) == list(sources.columns)
    assert [r["source_id"] for r in doc["rows"]] == sources["source_id"].tolist()
    assert [r["citation"] for r in doc["rows"]] == sources["citation"].tolist()
    body = _ok_csv(client, f"{API}/sources?format=csv", "sources")
    _assert_csv_equals_rows(body, doc["rows"], list(sources.columns))


# --------------------------------------------------------------------------- observations

def test_observations_one_indicator_equals_processed_table(client: Any, obs: pd.DataFrame) -> None:
    doc = _ok_json(client, f"{API}/observations?indicator=refugees_hosted")
    want = obs[obs["indicator"] == "refugees_hosted"].reset_index(drop=True)
    assert doc["indicator"] == ["refugees_hosted"]
    assert doc["count"] == len(want) == len(doc["rows"]) > 400
    got = pd.DataFrame(doc["rows"])
    assert list(got.columns) == [*OBS_COLUMNS, "notes"]
    for col in ("iso3", "year", "indicator", "category", "source_id", "note", "class", "label", "unit"):
        assert [r[col] for r in doc["rows"]] == _nulls(want[col].astype(str).tolist() if col == "class" else
                                                       want[col].tolist()), col
    assert got["notes"].tolist() == want["notes"].tolist()
    assert got["value"].tolist() == want["value"].tolist()
    assert set(got["unit"]) == {"persons"}
    assert got["country"].iloc[0] == "Armenia"
    sources = _read("sources.csv").set_index("source_id")
    assert [s["source_id"] for s in doc["sources"]] == sorted(set(want["source_id"]))
    for s in doc["sources"]:
        assert set(s) == {"source_id", "citation", "licence", "url"}
        assert s["citation"] == sources.loc[s["source_id"], "citation"]
        assert s["licence"] == sources.loc[s["source_id"], "license_short"]
    assert set(got["source"]) == {sources.loc[s, "short_name"] for s in want["source_id"]}


def test_observations_csv_equals_json(client: Any) -> None:
    url = f"{API}/observations?indicator=refugees_hosted"
    rows = _ok_json(client, url)["rows"]
    body = _ok_csv(client, url + "&format=csv", "observations_refugees_hosted")
    _assert_csv_equals_rows(body, rows, OBS_COLUMNS)


def test_observations_missing_values_are_null_and_categories_labelled(client: Any, obs: pd.DataFrame,
                                                                      catalogue: dict[str, Any]) -> None:
    resp = client.get(f"{API}/observations?indicator=fh_status")
    assert b"NaN" not in resp.data
    doc = _json(resp)
    want = obs[obs["indicator"] == "fh_status"]
    assert doc["count"] == len(want)
    labels = {c["id"]: c["label"] for i in catalogue["indicators"] if i["id"] == "fh_status" for c in i["classes"]}
    for row in doc["rows"]:
        assert row["value"] is None
        assert row["label"] == labels[row["category"]]
    body = _ok_csv(client, f"{API}/observations?indicator=fh_status&format=csv", "observations_fh_status")
    _assert_csv_equals_rows(body, doc["rows"], OBS_COLUMNS)


def test_observations_filters(client: Any, obs: pd.DataFrame) -> None:
    ids = ["idps", "fh_pr", "polity2"]
    doc = _ok_json(client, f"{API}/observations?indicator={','.join(ids)}&iso3=geo,Arm&from=2000&to=2010")
    want = obs[obs["indicator"].isin(ids) & obs["iso3"].isin(["GEO", "ARM"]) & obs["year"].between(2000, 2010)]
    assert doc["indicator"] == ids
    assert doc["count"] == len(want) == len(doc["rows"]) > 0
    got = pd.DataFrame(doc["rows"])
    assert got[["iso3", "year", "indicator"]].values.tolist() == want[["iso3", "year", "indicator"]].values.tolist()
    assert got["value"].tolist() == want["value"].tolist()
    # from == to, and all indicators at once (the longest list a client can need)
    assert _ok_json(client, f"{API}/observations?indicator=polity2&from=2005&to=2005")["count"] == len(
        obs[(obs["indicator"] == "polity2") & (obs["year"] == 2005)])
    every = list(obs["indicator"].unique())
    doc = _ok_json(client, f"{API}/observations?indicator={','.join(every)}")
    assert doc["count"] == len(obs)


def test_observations_empty_selection(client: Any) -> None:
    doc = _ok_json(client, f"{API}/observations?indicator=polity2&from=2024")
    assert doc == {"indicator": ["polity2"], "data_version": get_data().data_version, "count": 0, "rows": [],
                   "sources": []}
    body = _ok_csv(client, f"{API}/observations?indicator=polity2&from=2024&format=csv", "observations_polity2")
    assert body.decode().strip().split(",") == OBS_COLUMNS


def test_observations_of_a_membership_layer(client: Any, obs: pd.DataFrame) -> None:
    """Membership statuses are rows of their layers in the one table: ?indicator=cis works."""
    doc = _ok_json(client, f"{API}/observations?indicator=cis&iso3=GEO&from=2008&to=2010")
    rows = {r["year"]: r for r in doc["rows"]}
    assert sorted(rows) == [2008, 2009, 2010]
    assert rows[2008]["category"] == "charter_member" and rows[2009]["category"] == "withdrawn"
    assert rows[2009]["class"] == "withdrawn" and rows[2009]["value"] is None
    assert rows[2009]["unit"] == "status" and rows[2009]["source_id"] == "atlas_memberships"
    assert rows[2009]["notes"] and rows[2009]["note"] == rows[2009]["notes"][0]
    assert [s["source_id"] for s in doc["sources"]] == ["atlas_memberships"]
    every = _ok_json(client, f"{API}/observations?indicator=cis")
    assert every["count"] == 15 * len(range(FIRST_YEAR, LAST_YEAR + 1))


def test_json_gives_null_not_empty_text(client: Any) -> None:
    for url in (f"{API}/observations?indicator=idps,fh_status,cis", f"{API}/memberships", f"{API}/events",
                f"{API}/sources", f"{API}/memberships?year=2000"):
        doc = _ok_json(client, url)
        for row in doc["rows"] + doc.get("sources", []):
            assert "" not in row.values(), (url, row)
    row = _ok_json(client, f"{API}/observations?indicator=refugees_hosted&iso3=ARM&from=2015&to=2015")["rows"][0]
    assert row["category"] is None and row["note"] is None and row["notes"] == []


def test_notes_are_a_list(client: Any) -> None:
    doc = _ok_json(client, f"{API}/observations?indicator=idps_per_1000&iso3=RUS&from=2012&to=2012")
    notes = doc["rows"][0]["notes"]
    assert any("IDMC conflict IDPs" in n for n in notes) and any("changes source" in n for n in notes)
    doc = _ok_json(client, f"{API}/observations?indicator=refugees_hosted_per_1000&iso3=AZE&from=2000&to=2000")
    assert any(n.startswith("series break") for n in doc["rows"][0]["notes"])


def test_healthz_reports_the_manifest_version(client: Any) -> None:
    manifest = json.loads((PROCESSED_DIR / "manifest.json").read_text(encoding="utf-8"))
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.get_json()["data_version"] == manifest["data_version"] == get_data().data_version


# --------------------------------------------------------------------------- memberships

def test_memberships_spells(client: Any) -> None:
    spells = _read("memberships.csv").fillna("")
    doc = _ok_json(client, f"{API}/memberships")
    assert doc["year"] is None and doc["count"] == len(spells) == len(doc["rows"])
    got = pd.DataFrame(doc["rows"])
    for col in spells.columns:
        assert [r[col] for r in doc["rows"]] == _nulls(spells[col].tolist()), col
    assert {"country", "status_label", "member"} <= set(got.columns)
    body = _ok_csv(client, f"{API}/memberships?format=csv", "memberships")
    _assert_csv_equals_rows(body, doc["rows"], list(got.columns))

    doc = _ok_json(client, f"{API}/memberships?org=nato,eu&iso3=est")
    want = spells[spells["org"].isin(["nato", "eu"]) & (spells["iso3"] == "EST")]
    assert doc["count"] == len(want) > 0
    assert [r["start_date"] for r in doc["rows"]] == want["start_date"].tolist()


def test_memberships_status_of_a_year(client: Any, catalogue: dict[str, Any], org_ids: list[str]) -> None:
    values = _read("observations.csv")
    values["notes"] = values["notes"].fillna("")
    status = values[values["indicator"].isin(ORGS)].rename(columns={"indicator": "org", "category": "status"})
    status = status.assign(basis=status["notes"])   # a status row's one note is its legal basis
    doc = _ok_json(client, f"{API}/memberships?org=cis&year=2009")
    assert doc["org"] == ["cis"] and doc["year"] == 2009
    assert doc["count"] == 15 == len(doc["rows"])
    by_state = {r["iso3"]: r for r in doc["rows"]}
    assert set(by_state) == set(ISO3)
    assert by_state["GEO"]["status"] == "withdrawn"
    labels = {c["id"]: c for i in catalogue["indicators"] if i["id"] == "cis" for c in i["classes"]}
    assert by_state["GEO"]["status_label"] == labels["withdrawn"]["label"]
    assert by_state["GEO"]["member"] is False and by_state["RUS"]["member"] is True
    want = status[(status["org"] == "cis") & (status["year"] == 2009)].set_index("iso3")
    for iso3, row in by_state.items():
        assert row["status"] == want.loc[iso3, "status"]
        assert row["basis"] == (want.loc[iso3, "basis"] or None)

    doc = _ok_json(client, f"{API}/memberships?year=1995")
    assert doc["org"] == org_ids
    assert doc["count"] == 15 * len(org_ids) == len(status[status["year"] == 1995])
    body = _ok_csv(client, f"{API}/memberships?year=1995&format=csv", "memberships_1995")
    _assert_csv_equals_rows(body, doc["rows"], list(doc["rows"][0]))


# --------------------------------------------------------------------------- events

def test_events(client: Any) -> None:
    events = _read("events.csv").fillna("")
    doc = _ok_json(client, f"{API}/events")
    assert doc["count"] == len(events) == len(doc["rows"])
    assert [r["id"] for r in doc["rows"]] == events["id"].tolist()
    assert list(doc["rows"][0]) == list(events.columns)
    assert "atlas_events" in [s["source_id"] for s in doc["sources"]]
    body = _ok_csv(client, f"{API}/events?format=csv", "events")
    _assert_csv_equals_rows(body, doc["rows"], list(events.columns))

    doc = _ok_json(client, f"{API}/events?from=1993&to=2000&iso3=geo,UKR")
    mask = events["year"].between(1993, 2000) & events["countries"].map(
        lambda c: bool({"GEO", "UKR"} & set(c.split(";"))))
    assert [r["id"] for r in doc["rows"]] == events.loc[mask, "id"].tolist()
    assert doc["count"] > 0


# --------------------------------------------------------------------------- geodata

@pytest.mark.parametrize("layer", ["successor_states", "context", "contested"])
def test_geodata_layers(client: Any, layer: str) -> None:
    resp = client.get(f"{API}/geodata/{layer}.geojson")
    assert resp.status_code == 200
    assert resp.mimetype == "application/geo+json"
    assert resp.data == (GEODATA_DIR / f"{layer}.geojson").read_bytes()
    assert json.loads(resp.data)["type"] == "FeatureCollection"


# --------------------------------------------------------------------------- errors

def _assert_error(resp: Any, status: int, code: str, *mentions: str) -> dict[str, Any]:
    assert resp.status_code == status, resp.get_data(as_text=True)
    assert resp.mimetype == "application/json"
    body = _json(resp)
    assert set(body) == {"error", "detail"}
    assert body["error"] == code
    for word in mentions:
        assert word in body["detail"], (word, body["detail"])
    text = resp.get_data(as_text=True)
    assert "<html" not in text.lower() and "Traceback" not in text
    return body


@pytest.mark.parametrize(("query", "code", "mentions"), [
    ("observations", "missing_parameter", ["indicator", "refugees_hosted"]),
    ("observations?indicator=nope", "bad_parameter", ["indicator", "'nope'", "refugees_hosted"]),
    ("observations?indicator=refugees_hosted,", "bad_parameter", ["indicator", "empty item"]),
    ("observations?indicator=refugees_hosted&from=1800", "bad_parameter", ["from", "1991", str(LAST_YEAR)]),
    ("observations?indicator=refugees_hosted&to=2027", "bad_parameter", ["to", "1991"]),
    ("observations?indicator=refugees_hosted&from=20x0", "bad_parameter", ["from"]),
    ("observations?indicator=refugees_hosted&from=2010&to=2000", "bad_parameter", ["from", "to", "2010", "2000"]),
    ("observations?indicator=refugees_hosted&iso3=XXX", "bad_parameter", ["iso3", "'XXX'", "GEO"]),
    ("observations?indicator=refugees_hosted&format=xml", "bad_parameter", ["format", "json", "csv"]),
    ("observations?indicator=refugees_hosted&colour=red", "unknown_parameter", ["'colour'", "indicator"]),
    ("observations?indicator=refugees_hosted&iso3=GEO&iso3=ARM", "bad_parameter", ["iso3", "once"]),
    ("observations?indicator=refugees_hosted&iso3=", "bad_parameter", ["iso3", "empty"]),
    ("observations?indicator=" + "x" * (MAX_PARAM_LENGTH + 1), "parameter_too_long",
     ["indicator", str(MAX_PARAM_LENGTH)]),
    ("memberships?org=warsaw_pact", "bad_parameter", ["org", "cis", "nato"]),
    ("memberships?year=1990", "bad_parameter", ["year", "1991"]),
    ("memberships?year=2009&from=2000", "unknown_parameter", ["'from'"]),
    ("events?from=2020&to=2010", "bad_parameter", ["from"]),
    ("events?iso3=SUN", "bad_parameter", ["iso3"]),
    ("events?format=XML", "bad_parameter", ["format"]),
    ("sources?format=pdf", "bad_parameter", ["format"]),
    ("indicators?lang=ru", "unknown_parameter", ["'lang'", "format"]),
    ("openapi.json?x=1", "unknown_parameter", ["'x'", "no parameters"]),
    ("geodata/contested.geojson?simplify=1", "unknown_parameter", ["'simplify'"]),
])
def test_bad_parameters_are_400_json(client: Any, conforms: Any, query: str, code: str,
                                     mentions: list[str]) -> None:
    resp = client.get(f"{API}/{query}")
    body = _assert_error(resp, 400, code, *mentions)
    assert conforms("#/components/schemas/Error", body) == []
    assert "max-age" not in resp.headers.get("Cache-Control", "")


def test_long_values_are_not_echoed(client: Any) -> None:
    body = _assert_error(client.get(f"{API}/observations?indicator={'y' * 300}"), 400, "bad_parameter")
    assert "y" * 50 not in body["detail"]


@pytest.mark.parametrize("path", ["whatever", "observations/", "indicators/extra", "geodata/moon.geojson",
                                  "geodata/contested.json", "v2/observations", "api/v1/indicators"])
def test_unknown_paths_are_404_json(client: Any, path: str) -> None:
    _assert_error(client.get(f"{API}/{path}"), 404, "not_found")


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "TRACE", "BREW"])
@pytest.mark.parametrize("path", ["observations", "indicators", "geodata/contested.geojson", "openapi.json", ""])
def test_wrong_method_is_405_json(client: Any, method: str, path: str) -> None:
    resp = client.open(f"{API}/{path}", method=method)
    _assert_error(resp, 405, "method_not_allowed", method)
    assert resp.headers["Allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("method", ["POST", "DELETE", "OPTIONS", "BREW"])
def test_any_method_on_unknown_path_is_404_json(client: Any, method: str) -> None:
    _assert_error(client.open(f"{API}/nothing/here", method=method), 404, "not_found")


def test_options_lists_only_the_real_methods(client: Any) -> None:
    resp = client.options(f"{API}/observations")
    assert resp.status_code == 200
    assert set(resp.headers["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}


def test_unexpected_failure_is_500_json_without_trace() -> None:
    bp = create_api_blueprint(get_data())

    def boom() -> flask.Response:
        raise RuntimeError("secret internals")

    def teapot() -> flask.Response:
        flask.abort(418)

    bp.add_url_rule("/boom", view_func=boom)
    bp.add_url_rule("/teapot", view_func=teapot)
    server = flask.Flask("api_500_probe")
    server.register_blueprint(bp)
    resp = server.test_client().get(f"{API}/boom")
    body = _assert_error(resp, 500, "internal_error")
    assert "secret" not in body["detail"]
    _assert_error(server.test_client().get(f"{API}/teapot"), 418, "bad_request")


# --------------------------------------------------------------------------- HTTP niceties

def test_etag_and_not_modified(client: Any) -> None:
    url = f"{API}/observations?indicator=refugees_hosted&format=csv"
    first = client.get(url)
    etag = first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.data
    other = client.get(f"{API}/observations?indicator=idps&format=csv", headers={"If-None-Match": etag})
    assert other.status_code == 200 and other.headers["ETag"] != etag


@pytest.mark.parametrize(("accept", "encoding"), [("gzip", "gzip"), ("gzip, deflate, br", "br"),
                                                 ("br;q=0, gzip", "gzip"), ("identity", None)])
@pytest.mark.parametrize("query", ["observations?indicator=refugees_hosted",
                                   "observations?indicator=refugees_hosted&format=csv",
                                   "geodata/context.geojson"])
def test_compressed_bodies_and_their_etags(client: Any, accept: str, encoding: str | None, query: str) -> None:
    url = f"{API}/{query}"
    plain = client.get(url)
    resp = client.get(url, headers={"Accept-Encoding": accept})
    assert resp.status_code == 200 and resp.headers.get("Content-Encoding") == encoding
    assert "Accept-Encoding" in resp.headers["Vary"]
    body = {"gzip": gzip.decompress, "br": brotli.decompress, None: bytes}[encoding](resp.data)
    assert body == plain.data
    again = client.get(url, headers={"Accept-Encoding": accept, "If-None-Match": resp.headers["ETag"]})
    assert again.status_code == 304 and not again.data


def test_equivalent_queries_give_identical_bodies(client: Any) -> None:
    a = client.get(f"{API}/observations?indicator=idps&iso3=GEO,ARM&from=1991&format=csv")
    b = client.get(f"{API}/observations?indicator=idps&iso3=arm,geo,GEO&format=csv")
    assert a.status_code == b.status_code == 200
    assert a.data == b.data and a.headers["ETag"] == b.headers["ETag"]
    assert a.headers["Content-Disposition"] == b.headers["Content-Disposition"] == \
        'attachment; filename="observations_idps_ARM-GEO.csv"'


def test_head_and_index(client: Any) -> None:
    head = client.head(f"{API}/indicators")
    assert head.status_code == 200 and not head.data and head.headers["ETag"]
    doc = _ok_json(client, f"{API}/")
    assert f"{API}/observations" in doc["endpoints"]
    assert client.get(API).status_code == 200


def test_routes_outside_the_api_are_unaffected(client: Any) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok", "data_version": get_data().data_version}
    assert client.get("/").status_code == 200
    assert client.post("/healthz").status_code == 405
    outside = client.get("/api/v1x")  # not under the prefix: Dash's page, not an API error
    assert outside.status_code == 200 and outside.mimetype == "text/html"


# --------------------------------------------------------------------------- OpenAPI

@pytest.fixture(scope="module")
def spec(client: Any) -> dict[str, Any]:
    return _ok_json(client, f"{API}/openapi.json")


def test_openapi_document_is_valid(spec: dict[str, Any]) -> None:
    validate(spec)
    assert spec["openapi"].startswith("3.1")


def test_openapi_enums_come_from_the_data(spec: dict[str, Any], catalogue: dict[str, Any],
                                          org_ids: list[str]) -> None:
    params = spec["components"]["parameters"]
    indicator_ids = [i["id"] for i in catalogue["indicators"]]   # membership layers included
    assert params["indicator"]["schema"]["items"]["enum"] == indicator_ids
    assert params["org"]["schema"]["items"]["enum"] == org_ids
    assert params["iso3"]["schema"]["items"]["enum"] == list(ISO3)
    for name in ("from", "to", "year"):
        assert params[name]["schema"] == {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR}
    assert params["format"]["schema"]["enum"] == ["json", "csv"]
    assert set(spec["components"]["schemas"]["Error"]["properties"]) == {"error", "detail"}


@pytest.fixture(scope="module")
def conforms(spec: dict[str, Any]) -> Any:
    """check(ref, instance) → the list of schema violations of ``instance`` against ``ref``
    (a '#/components/...' reference into the served OpenAPI document)."""
    registry = Registry().with_resource("urn:api", Resource.from_contents(spec, default_specification=DRAFT202012))

    def check(ref: str, instance: Any) -> list[str]:
        validator = OAS31Validator({"$ref": "urn:api" + ref}, registry=registry)
        return [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(instance)]
    return check


def test_response_schemas_are_strict(client: Any, conforms: Any) -> None:
    """The schemas reject what the API must not send (so the next test means something)."""
    doc = _ok_json(client, f"{API}/observations?indicator=fh_status&iso3=GEO")
    assert conforms("#/components/schemas/ObservationsResponse", doc) == []
    doc["rows"][0]["extra"] = 1
    assert conforms("#/components/schemas/ObservationsResponse", doc)
    doc["rows"][0].pop("extra")
    doc["rows"][0]["year"] = 1800
    assert conforms("#/components/schemas/ObservationsResponse", doc)
    assert conforms("#/components/schemas/Error", {"error": "oops", "detail": "x"})


def _resolve(spec: dict[str, Any], obj: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in obj:
        node: Any = spec
        for part in obj["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        obj = node
    return obj


def _example_url(spec: dict[str, Any], path: str, op: dict[str, Any]) -> str:
    query: list[str] = []
    for ref in op.get("parameters", []):
        param = _resolve(spec, ref)
        example = param["example"]
        value = ",".join(map(str, example)) if isinstance(example, list) else str(example)
        if param["in"] == "path":
            path = path.replace("{" + param["name"] + "}", value)
        else:
            query.append(f"{param['name']}={value}")
    base = spec["servers"][0]["url"] + path
    return base + ("?" + "&".join(query) if query else "")


def test_every_documented_path_answers_with_its_examples(client: Any, spec: dict[str, Any], conforms: Any) -> None:
    assert set(spec["paths"]) >= {"/indicators", "/observations", "/memberships", "/events",
                                  "/geodata/{layer}.geojson", "/sources", "/openapi.json"}
    for path, item in spec["paths"].items():
        for method, op in item.items():
            assert method == "get"
            for ref in op.get("parameters", []):
                assert "example" in _resolve(spec, ref), (path, ref)
            url = _example_url(spec, path, op)
            resp = client.get(url)
            assert resp.status_code == 200, (url, resp.get_data(as_text=True))
            content = op["responses"]["200"]["content"]
            assert resp.mimetype in content, url
            assert conforms(content[resp.mimetype]["schema"]["$ref"], _json(resp)) == [], url
            if "text/csv" in content:
                as_csv = client.get(url.replace("format=json", "format=csv"))
                assert as_csv.status_code == 200 and as_csv.mimetype == "text/csv", url
            for status in ("400", "404", "405"):
                assert status in op["responses"]
