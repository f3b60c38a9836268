"""The page's JSON files (dashboard/views/page_data.py), through Flask's test client: what the page
names and preloads, cache headers, ETags, compression, and a layout without the large stores."""

from __future__ import annotations

import json
import re

import brotli
import flask
import pytest

from app import app


@pytest.fixture(scope="module")
def client() -> flask.testing.FlaskClient:
    return app.server.test_client()


def _preloads(client: flask.testing.FlaskClient, query: str) -> list[str]:
    page = client.get("/" + query).get_data(as_text=True)
    found = re.findall(r'<link rel="preload" as="fetch" crossorigin="anonymous" fetchpriority="low" '
                       r'href="([^"]+)">', page)
    return [u.replace("&amp;", "&") for u in found]


def test_page_preloads_its_facts_and_the_address_layer(client) -> None:
    meta_url, layer_url = _preloads(client, "?layer=fh_status&year=1997")
    assert meta_url.startswith("/atlas/meta.json?v=") and layer_url.startswith("/atlas/layer/fh_status.json?v=")
    meta = json.loads(client.get(meta_url).data)
    assert meta["layer_url"].replace("{id}", "fh_status") == layer_url
    assert meta["figure"]["data"][1]["name"] == "states"
    assert {"address", "layers", "events", "stories", "map_config"} <= set(meta)


def test_layer_file_carries_the_payload_and_the_texts_beside_the_map(client) -> None:
    _, layer_url = _preloads(client, "?layer=refugees_hosted_per_1000&year=2000")
    body = json.loads(client.get(layer_url).data)
    assert body["layer"] == "refugees_hosted_per_1000"
    assert set(body["frames"]["years"]["2000"]) >= {"z", "text", "labels", "summary"}
    assert body["legend"]["title"].startswith("Refugees hosted per 1,000")
    assert body["legend"]["items"][-1]["label"] == body["legend"]["no_data"]
    assert body["source_line"][0].startswith("Source: ") and body["per_capita_toggle"] is True
    assert json.loads(client.get("/atlas/layer/cis.json").data)["per_capita_toggle"] is False


def test_versioned_files_are_kept_for_good_others_revalidate(client) -> None:
    meta_url, layer_url = _preloads(client, "")
    for url in (meta_url, layer_url):
        assert "immutable" in client.get(url).headers["Cache-Control"]
    for url in ("/atlas/meta.json", "/atlas/layer/cis.json", "/atlas/layer/cis.json?v=old"):
        resp = client.get(url)
        assert resp.status_code == 200 and resp.headers["Cache-Control"] == "public, max-age=3600"


def test_etag_and_compression(client) -> None:
    resp = client.get("/atlas/layer/cis.json", headers={"Accept-Encoding": "br"})
    assert resp.headers["Content-Encoding"] == "br"
    plain = client.get("/atlas/layer/cis.json")
    assert brotli.decompress(resp.data) == plain.data
    again = client.get("/atlas/layer/cis.json", headers={"If-None-Match": plain.headers["ETag"]})
    assert again.status_code == 304 and not again.data


def test_unknown_layer_is_a_json_404(client) -> None:
    for path in ("/atlas/layer/nope.json", "/atlas/layer/cis.csv", "/atlas/other.json"):
        resp = client.get(path)
        assert resp.status_code == 404, path
    assert json.loads(client.get("/atlas/layer/nope.json").data)["error"] == "not_found"


def test_layout_carries_no_large_store(client) -> None:
    """The layout names the files instead of carrying them (it was ≈ 470 kB with them)."""
    raw = client.get("/_dash-layout").data
    assert len(raw) < 80_000, len(raw)
    layout = json.loads(raw)
    stores = {}

    def walk(node):  # type: ignore[no-untyped-def]
        if isinstance(node, list):
            for n in node:
                walk(n)
        elif isinstance(node, dict) and "props" in node:
            if node.get("type") == "Store":
                stores[node["props"]["id"]] = node["props"].get("data")
            walk(node["props"].get("children"))

    walk(layout)
    assert stores["layer-data"]["meta"].startswith("/atlas/meta.json?v=")
    assert all(len(json.dumps(v)) < 500 for v in stores.values()), stores
