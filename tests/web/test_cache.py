"""dashboard/core/cache.py against a real redis-server (Debian's), started on a free loopback port:
one cache shared by several "workers" (Cache instances), the app served from it, and the app still
answering when Redis is gone."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import flask
import pytest
from conftest import REDIS_SERVER, RedisProcess
from flask import Flask

from dashboard.core import cache as cache_mod


@pytest.fixture()
def redis_server() -> Iterator[RedisProcess]:
    if not Path(REDIS_SERVER).exists():
        pytest.fail("redis-server not found: run scripts/test.sh, which installs it "
                    "(Debian: apt-get install redis-server)")
    if importlib.util.find_spec("redis") is None:
        pytest.fail("the redis package is missing: pip install -e '.[test]'")
    server = RedisProcess()
    try:
        yield server
    finally:
        server.stop()


def _worker(redis_url: str | None) -> tuple[Flask, Any]:
    app = Flask("worker")
    return app, cache_mod.init_cache(app, redis_url=redis_url)


def test_backend_follows_redis_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    _, local = _worker(None)
    assert cache_mod.backend_name(local) == "SimpleCache"
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    _, remote = _worker(None)  # nothing connects until the first command
    assert cache_mod.backend_name(remote) == "RedisCache"
    assert cache_mod.cache_config()["CACHE_KEY_PREFIX"] == f"atlas:{cache_mod.fingerprint()}:"


def test_simple_cache_is_per_process_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    (_, a), (_, b) = _worker(None), _worker(None)
    a.set("k", 1)
    assert a.get("k") == 1
    assert b.get("k") is None


def test_workers_share_values_through_redis(redis_server: RedisProcess) -> None:
    (_, one), (_, two) = _worker(redis_server.url), _worker(redis_server.url)
    assert cache_mod.backend_name(one) == cache_mod.backend_name(two) == "RedisCache"
    one.set("greeting", {"text": "привет", "n": 3})
    assert two.get("greeting") == {"text": "привет", "n": 3}
    keys = [k.decode() for k in redis_server.client.keys("*")]
    assert keys == [f"atlas:{cache_mod.fingerprint()}:greeting"]

    calls: list[int] = []

    def memoized_on(cache: Any) -> Any:
        @cache.memoize()
        def square(x: int) -> int:
            calls.append(x)
            return x * x
        return square

    assert memoized_on(one)(12) == 144
    assert memoized_on(two)(12) == 144  # computed once, by the first worker
    assert calls == [12]


def _panel_body(client: flask.testing.FlaskClient, iso3: str, year: int) -> dict[str, Any]:
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if "panel-title.children" in d["output"])
    values = {"panel-req": {"country": iso3, "layer": "fh_status", "year": year}}
    return {
        "output": dep["output"],
        "outputs": [{"id": p.rpartition(".")[0], "property": p.rpartition(".")[2]}
                    for p in dep["output"][2:-2].split("...")],
        "inputs": [{**i, "value": values.get(i["id"])} for i in dep["inputs"]],
        "state": [{**s, "value": values.get(s["id"])} for s in dep["state"]],
        "changedPropIds": ["panel-req.data"],
    }


def test_app_serves_panels_from_redis(redis_server: RedisProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard.views import callbacks
    from dashboard.web.app import create_app

    monkeypatch.setenv("REDIS_URL", redis_server.url)
    first = create_app().server.test_client()
    body = _panel_body(first, "ARM", 2003)
    r1 = first.post("/_dash-update-component", json=body)
    assert r1.status_code == 200, r1.data[:300]
    title = json.loads(r1.data)["response"]["panel-title"]["children"]
    assert title.startswith("Armenia")
    assert any(k.startswith(f"atlas:{cache_mod.fingerprint()}:".encode()) for k in redis_server.client.keys("*"))

    # A second worker answers the same request from Redis: building the panel is now impossible.
    def no_building(*_args: Any) -> Any:
        raise AssertionError("panel built again instead of read from the cache")

    monkeypatch.setattr(callbacks, "panel_content", no_building)
    second = create_app().server.test_client()
    r2 = second.post("/_dash-update-component", json=body)
    assert r2.status_code == 200, r2.data[:300]
    assert json.loads(r2.data) == json.loads(r1.data)


def test_app_answers_when_redis_is_gone(redis_server: RedisProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard.web.app import create_app

    monkeypatch.setenv("REDIS_URL", redis_server.url)
    client = create_app().server.test_client()
    redis_server.stop()
    resp = client.post("/_dash-update-component", json=_panel_body(client, "GEO", 2010))
    assert resp.status_code == 200, resp.data[:300]
    assert json.loads(resp.data)["response"]["panel-title"]["children"].startswith("Georgia")
