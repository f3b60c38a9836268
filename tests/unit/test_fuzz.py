"""Property-based fuzzing of every HTTP surface with hypothesis, through Flask's test client:
the page and its layout under arbitrary query strings, every /api/v1 endpoint under arbitrary
parameters and methods, and /_dash-update-component under malformed bodies and arbitrary values.

The invariant everywhere: no answer is a server error (status ≥ 500). Pages answer 200; API
errors and refused callback bodies are JSON {"error", "detail"}. Each test counts the cases it
ran and checks its share of the ≥ 500 total (about 900 cases, well under a minute).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any
from urllib.parse import quote, urlencode

import flask
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import app, server
from dashboard.api.routes import API_PREFIX, GEO_LAYERS
from dashboard.core.config import ISO3
from dashboard.core.data import get_data
from dashboard.web.security import MAX_CONTENT_LENGTH

CALLBACK_URL = "/_dash-update-component"
FUZZ = settings(deadline=None, database=None, derandomize=False, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])
CASES: Counter[str] = Counter()

# ------------------------------------------------------------------ shared strategies

LAYERS = ["cis", "fh_status", "refugees_hosted", "refugees_hosted_per_1000", "vdem_row", "eu", "nato"]
YEARS = [1991, 1997, 2008, 2025, 1066, 3000, -1, 0]
# Text without lone surrogates (they cannot be encoded into a URL or a UTF-8 body).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
LONG_TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=60, max_size=700)
JSON_SCALARS = (st.none() | st.booleans() | st.integers(-(2**70), 2**70)
                | st.floats(allow_nan=True, allow_infinity=True) | TEXT)
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(TEXT, inner, max_size=4), max_leaves=12)
INTERESTING = st.sampled_from([
    *LAYERS, *YEARS, *ISO3[:3], "ZZZ", "", "per1000", "count", "1997", "__group_regime", True, 1997.5,
    {"layer": "cis"}, {"layer": "fh_status", "years": {}}, {"layer": ["cis"]}, {"layer": 7},
    {"search": "?layer=fh_status&year=1997&country=BLR"}, {"search": "?layer=bogus&year=x"},
    {"search": 5}, {"search": ["?layer=cis"]}, {"search": None}, [], {}, [1, 2], "<script>",
    *get_data().indicators, *({"layer": i} for i in get_data().indicators),
])
# What the URL reader sends: {"search": "?..."}, with any query string.
SEARCHES = st.builds(lambda q: {"search": "?" + q, "t": 1}, st.text(st.sampled_from(
    "abcdefghijklmnopqrstuvwxyz_0123456789=&%;+?"), max_size=80)
    | st.lists(st.tuples(st.sampled_from(["layer", "year", "country", "present", "story", "step"]),
                         st.sampled_from([*LAYERS, "1997", "x", "", "1", "0", "99", "-1", "BLR", "blr"])),
               max_size=5).map(urlencode))
VALUES = INTERESTING | SEARCHES | JSON_VALUES


def _count(name: str) -> None:
    CASES[name] += 1


@pytest.fixture(scope="module")
def client() -> flask.testing.FlaskClient:
    return server.test_client()


def _is_json_error(resp: Any) -> bool:
    if resp.mimetype != "application/json":
        return False
    body = json.loads(resp.get_data(as_text=True))
    return isinstance(body, dict) and isinstance(body.get("error"), str) and isinstance(body.get("detail"), str)


# ------------------------------------------------------------------ the page and its layout

PAGE_PARAM_NAMES = st.sampled_from(["layer", "year", "country", "present"]) | TEXT
PAGE_PARAM_VALUES = st.sampled_from([*LAYERS, *map(str, YEARS), *ISO3, "zzz", "1", "true"]) | TEXT | LONG_TEXT
RAW_QUERY = st.text(st.sampled_from("abcxyz019=&%;+?/#[]<>\"' \t.-_~"), max_size=120)
PAGE_CASES = 200


@given(path=st.sampled_from(["/", "/_dash-layout"]),
       params=st.lists(st.tuples(PAGE_PARAM_NAMES, PAGE_PARAM_VALUES), max_size=6),
       raw=st.none() | RAW_QUERY)
@settings(FUZZ, max_examples=PAGE_CASES)
def test_page_and_layout_answer_200_for_any_query(client: flask.testing.FlaskClient, path: str,
                                                  params: list[tuple[str, str]], raw: str | None) -> None:
    _count("page")
    query = raw if raw is not None else urlencode(params)
    resp = client.get(path, query_string=query)
    assert resp.status_code == 200, (path, query, resp.status_code)
    if path == "/":
        assert resp.mimetype == "text/html"
        assert b"DashRenderer" in resp.data
    else:
        assert resp.mimetype == "application/json"


def test_page_cases_ran() -> None:
    if CASES["page"] == 0:
        pytest.skip("run together with the fuzz test above")
    assert CASES["page"] >= PAGE_CASES


# ------------------------------------------------------------------ the API

def _api_doc() -> dict[str, Any]:
    return server.test_client().get(f"{API_PREFIX}/openapi.json").get_json()


DOC = _api_doc()
ENDPOINTS = sorted(DOC["paths"])
PARAMS = {name: p for name, p in DOC["components"]["parameters"].items() if p["in"] == "query"}
QUERY_NAMES = sorted({p["name"] for p in PARAMS.values()})


def _param_examples() -> list[str]:
    out: set[str] = {"json", "csv", "JSON", "xml", "1991", "2025", "1990", "2027", "99999", "abc", ",", ",,",
                     " ", "%", "cis,csto", "refugees_hosted,vdem_row", "kaz,blr", "KAZ,ZZZ"}
    for p in PARAMS.values():
        schema = p["schema"]
        items = schema.get("items", schema)
        out.update(str(v) for v in items.get("enum", [])[:12])
        if "example" in p:
            out.add(str(p["example"]))
    return sorted(out)


API_VALUES = st.sampled_from(_param_examples()) | TEXT | LONG_TEXT
API_NAMES = st.sampled_from(QUERY_NAMES) | TEXT.filter(lambda s: s != "")
API_CASES_PER_ENDPOINT = 45


def _api_path(template: str, layer: str) -> str:
    return API_PREFIX + template.replace("{layer}", quote(layer, safe=""))


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_api_never_fails_and_errors_are_json(client: flask.testing.FlaskClient, endpoint: str) -> None:
    @given(params=st.lists(st.tuples(API_NAMES, API_VALUES), max_size=6),
           layer=st.sampled_from(GEO_LAYERS) | TEXT.filter(lambda s: s not in (".", "..")),
           method=st.sampled_from(["GET"] * 6 + ["HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"]))
    @settings(FUZZ, max_examples=API_CASES_PER_ENDPOINT)
    def run(params: list[tuple[str, str]], layer: str, method: str) -> None:
        _count("api")
        path = _api_path(endpoint, layer)
        resp = client.open(path, method=method, query_string=urlencode(params))
        assert resp.status_code < 500, (method, path, params, resp.status_code, resp.data[:300])
        if resp.status_code >= 400 and method != "HEAD":
            assert _is_json_error(resp), (method, path, params, resp.status_code, resp.data[:300])
        elif resp.status_code == 200 and method == "GET":
            assert resp.mimetype in ("application/json", "text/csv", "application/geo+json"), resp.mimetype

    before = CASES["api"]
    run()
    assert CASES["api"] - before >= API_CASES_PER_ENDPOINT


# ------------------------------------------------------------------ the callback endpoint

def _server_callbacks() -> list[dict[str, Any]]:
    deps = server.test_client().get("/_dash-dependencies").get_json()
    return [d for d in deps if not d.get("clientside_function") and d["output"] in app.callback_map]


def _outputs(key: str) -> Any:
    if key.startswith(".."):
        return [_outputs(part) for part in key[2:-2].split("...")]
    cid, _, prop = key.rpartition(".")
    return {"id": cid, "property": prop}


SERVER_CALLBACKS = _server_callbacks()


def _template(dep: dict[str, Any]) -> dict[str, Any]:
    """A body shaped like the renderer's, values to be filled in."""
    refs = [{"id": i["id"], "property": i["property"]} for i in dep["inputs"]]
    return {
        "output": dep["output"], "outputs": _outputs(dep["output"]), "inputs": refs,
        "state": [{"id": s["id"], "property": s["property"]} for s in dep["state"]],
        "changedPropIds": [f"{refs[0]['id']}.{refs[0]['property']}"] if refs else [],
    }


def _post(client: flask.testing.FlaskClient, body: bytes | str, content_type: str = "application/json") -> Any:
    return client.post(CALLBACK_URL, data=body, content_type=content_type)


def test_there_are_server_callbacks_to_fuzz() -> None:
    assert len(SERVER_CALLBACKS) >= 2


VALUE_CASES = 200


@given(data=st.data(), which=st.integers(0, 100))
@settings(FUZZ, max_examples=VALUE_CASES)
def test_callbacks_survive_any_input_values(client: flask.testing.FlaskClient, data: st.DataObject,
                                            which: int) -> None:
    """Well-formed bodies naming a real callback, with arbitrary values: the callback answers
    (200, or 204 when nothing changes), never an error."""
    _count("callback-values")
    dep = SERVER_CALLBACKS[which % len(SERVER_CALLBACKS)]
    body = _template(dep)
    for ref in body["inputs"] + body["state"]:
        if data.draw(st.integers(0, 9), label="keep value") > 0:
            ref["value"] = data.draw(VALUES, label=f"{ref['id']}.{ref['property']}")
    if body["inputs"] and data.draw(st.booleans(), label="all changed"):
        body["changedPropIds"] = [f"{r['id']}.{r['property']}" for r in body["inputs"]]
    text = json.dumps(body)  # NaN and Infinity pass through: Python's JSON parser accepts them
    resp = _post(client, text)
    assert resp.status_code in (200, 204), (text[:500], resp.status_code, resp.data[:300])


def _mutations(template: dict[str, Any]) -> st.SearchStrategy[Any]:
    keys = st.sampled_from(["output", "outputs", "inputs", "state", "changedPropIds", "extra"])

    def mutate(draw: Any) -> Any:
        body = json.loads(json.dumps(template))
        for _ in range(draw(st.integers(1, 3))):
            key = draw(keys)
            action = draw(st.sampled_from(["drop", "replace", "shorten", "wrong-item"]))
            if action == "drop":
                body.pop(key, None)
            elif action == "replace":
                body[key] = draw(VALUES | st.sampled_from(sorted(app.callback_map)))
            elif action == "shorten" and isinstance(body.get(key), list):
                body[key] = body[key][:-1] + body[key][:1] * draw(st.integers(0, 2))
            elif isinstance(body.get(key), list) and body[key]:
                body[key][draw(st.integers(0, len(body[key]) - 1))] = draw(VALUES)
        return body

    return st.composite(lambda draw: mutate(draw))()


MALFORMED_CASES = 200


@given(data=st.data(), kind=st.sampled_from(["mutated", "mutated", "json", "bytes", "form"]))
@settings(FUZZ, max_examples=MALFORMED_CASES)
def test_malformed_callback_bodies_are_refused_as_json(client: flask.testing.FlaskClient,
                                                      data: st.DataObject, kind: str) -> None:
    _count("callback-malformed")
    if kind == "mutated":
        dep = data.draw(st.sampled_from(SERVER_CALLBACKS), label="callback")
        resp = _post(client, json.dumps(data.draw(_mutations(_template(dep)), label="body")))
    elif kind == "json":
        resp = _post(client, json.dumps(data.draw(VALUES, label="body")))
    elif kind == "bytes":
        resp = _post(client, data.draw(st.binary(max_size=300), label="body"))
    else:
        resp = _post(client, data.draw(st.binary(max_size=100), label="body"),
                     content_type=data.draw(st.sampled_from(["text/plain", "application/x-www-form-urlencoded",
                                                             "multipart/form-data", ""])))
    assert resp.status_code < 500, (kind, resp.status_code, resp.data[:300])
    if resp.status_code >= 400:
        assert resp.status_code in (400, 413, 415), resp.status_code
        assert _is_json_error(resp), resp.data[:300]


def test_callback_cases_ran() -> None:
    if CASES["callback-values"] == 0 or CASES["callback-malformed"] == 0:
        pytest.skip("run together with the fuzz tests above")
    assert CASES["callback-values"] >= VALUE_CASES
    assert CASES["callback-malformed"] >= MALFORMED_CASES


# ------------------------------------------------------------------ edge cases worth naming

@pytest.mark.parametrize("body", [
    b"", b"null", b"[]", b"{}", b"\xff\xfe", b'{"output": 1}', b'{"output": "nope.children"}',
    b"[" * 200_000, b'{"a":' * 100_000,
])
def test_named_malformed_bodies(client: flask.testing.FlaskClient, body: bytes) -> None:
    resp = _post(client, body)
    assert resp.status_code == 400
    assert _is_json_error(resp)


def test_clientside_outputs_are_not_dispatchable(client: flask.testing.FlaskClient) -> None:
    clientside = next(k for k, v in app.callback_map.items() if "callback" not in v)
    resp = _post(client, json.dumps({"output": clientside, "outputs": _outputs(clientside), "inputs": [],
                                     "changedPropIds": []}))
    assert resp.status_code == 400
    assert _is_json_error(resp)


@pytest.mark.parametrize(("method", "path"),
                         [("POST", CALLBACK_URL), ("GET", "/"), ("GET", f"{API_PREFIX}/indicators")])
def test_oversized_bodies_get_413_json(client: flask.testing.FlaskClient, method: str, path: str) -> None:
    body = b'{"output": "' + b"x" * MAX_CONTENT_LENGTH + b'"}'
    resp = client.open(path, method=method, data=body, content_type="application/json")
    assert resp.status_code == 413
    assert _is_json_error(resp)


def test_fuzz_total_is_at_least_500() -> None:
    """The four fuzz tests above run ≥ 500 cases together (by construction of their settings)."""
    total = PAGE_CASES + API_CASES_PER_ENDPOINT * len(ENDPOINTS) + VALUE_CASES + MALFORMED_CASES
    assert total >= 500
    if sum(CASES.values()):
        print(f"\nfuzz cases run: {dict(CASES)} (total {sum(CASES.values())})")
