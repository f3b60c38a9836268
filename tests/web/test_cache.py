"""dashboard/core/cache.py against a real redis-server (Debian's), started on a free loopback port:
one cache shared by several "workers" (Cache instances), the app served from it, and the app still
answering when Redis is gone."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


def test_app_serves_panels_from_redis(redis_server: RedisProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard.views import panel
    from dashboard.web.app import create_app

    monkeypatch.setenv("REDIS_URL", redis_server.url)
    first = create_app().server.test_client()
    r1 = first.get("/panel/ARM.json?layer=fh_status")
    assert r1.status_code == 200, r1.data[:300]
    assert r1.get_json()["title"].startswith("Armenia")
    assert any(k.startswith(f"atlas:{cache_mod.fingerprint()}:".encode()) for k in redis_server.client.keys("*"))

    # A second worker answers the same request from Redis: building the panel is now impossible.
    def no_building(*_args: Any) -> Any:
        raise AssertionError("panel built again instead of read from the cache")

    monkeypatch.setattr(panel, "panel_content", no_building)
    second = create_app().server.test_client()
    r2 = second.get("/panel/ARM.json?layer=fh_status")
    assert r2.status_code == 200, r2.data[:300]
    assert r2.get_json() == r1.get_json()
    assert r2.headers["ETag"] == r1.headers["ETag"]
    assert second.get("/panel/ARM.json?layer=fh_status",
                      headers={"If-None-Match": r1.headers["ETag"]}).status_code == 304


def test_app_answers_when_redis_is_gone(redis_server: RedisProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard.web.app import create_app

    monkeypatch.setenv("REDIS_URL", redis_server.url)
    client = create_app().server.test_client()
    redis_server.stop()
    resp = client.get("/panel/GEO.json?layer=cis")
    assert resp.status_code == 200, resp.data[:300]
    assert resp.get_json()["title"].startswith("Georgia")
