"""The data tab's rows (dashboard/views/table.py): the rows of the selection, exactly as the CSV
and XLSX downloads have them, with the row-count line, cached for good when versioned."""

from __future__ import annotations

import math

import flask
import pytest

from app import app
from dashboard.core.cache import fingerprint
from dashboard.core.config import FIRST_YEAR, ISO3, LAST_YEAR
from dashboard.core.data import get_data
from dashboard.export import downloads
from dashboard.views.table import TABLE_PATH


@pytest.fixture(scope="module")
def client() -> flask.testing.FlaskClient:
    return app.server.test_client()


def _same(doc: dict, frame) -> None:
    fields = [c["field"] for c in doc["columns"]]
    assert fields == list(downloads.VIEW_COLUMNS)
    assert doc["n"] == len(frame) == len(doc["rows"])
    for got, want in zip(doc["rows"], frame[fields].itertuples(index=False), strict=True):
        for g, w in zip(got, want, strict=True):
            if isinstance(w, float) and math.isnan(w):
                assert g is None
            else:
                assert g == w


def test_rows_equal_the_downloads_rows(client) -> None:
    data = get_data()
    r = client.get(f"{TABLE_PATH}?indicators=csto,fh_total&countries=GEO,ARM&from=2000&to=2010")
    assert r.status_code == 200 and r.mimetype == "application/json"
    doc = r.get_json()
    assert doc["selection"] == {"indicators": ["csto", "fh_total"], "countries": ["ARM", "GEO"],
                                "from": 2000, "to": 2010}
    _same(doc, downloads.table_rows(data, ["csto", "fh_total"], ["ARM", "GEO"], 2000, 2010))
    assert doc["count"].startswith(f"{doc['n']} rows · 2 indicators · 2 of 15 states · 2000–2010.")
    numeric = {c["field"] for c in doc["columns"] if c["numeric"]}
    assert numeric == set(downloads.NUMERIC_COLUMNS)


def test_the_default_selection_and_tolerated_parameters(client) -> None:
    data = get_data()
    doc = client.get(TABLE_PATH).get_json()
    assert doc["selection"] == {"indicators": ["cis"], "countries": list(ISO3), "from": FIRST_YEAR, "to": LAST_YEAR}
    _same(doc, downloads.table_rows(data, ["cis"], None, doc["selection"]["from"], doc["selection"]["to"]))
    # unknown ids dropped, years clamped and ordered, an empty list of states selects none
    doc = client.get(f"{TABLE_PATH}?indicators=nope,fh_total&countries=XXX,geo&from=2030&to=1900").get_json()
    assert doc["selection"]["indicators"] == ["fh_total"] and doc["selection"]["countries"] == []
    doc = client.get(f"{TABLE_PATH}?indicators=fh_total&countries=").get_json()
    assert doc["n"] == 0 and doc["rows"] == [] and doc["count"].startswith("0 rows")


def test_versioned_rows_are_kept_for_good_with_an_etag(client) -> None:
    url = f"{TABLE_PATH}?indicators=cis&countries=EST&from=1991&to=2000"
    r = client.get(url + f"&v={fingerprint()}", headers={"Accept-Encoding": "br"})
    assert "immutable" in r.headers["Cache-Control"] and r.headers["Content-Encoding"] == "br"
    assert client.get(url, headers={"If-None-Match": r.headers["ETag"], "Accept-Encoding": "br"}).status_code == 304
    assert "immutable" not in client.get(url).headers["Cache-Control"]
