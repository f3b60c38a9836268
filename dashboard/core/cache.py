"""The results cache (Flask-Caching), shared by every worker when Redis is configured.

What is cached: the country panel of the map page (``callbacks.panel_content``: the layer's
series, the membership and regime timelines and the events list), 200–300 ms of figure building,
keyed by (layer, country, year). It is a pure function of the static data, so an entry never goes
stale while the same data and code run; the map layer itself is cheap (its frames are kept in
``AtlasData.cache``) and the API keeps its own per-process body cache (``dashboard/api.py``).

Backend:

* ``REDIS_URL`` set (``redis://host:6379/0``): ``RedisCache``, one cache for all workers and
  hosts. Needs the ``redis`` package. Values are pickled: the Redis must be private to the app.
* otherwise: ``SimpleCache``, in the memory of each worker process, at most
  ``SIMPLE_THRESHOLD`` entries (about 85 kB each).

Keys start with ``atlas:<fingerprint>:``, a hash of the processed data, the boundary layers, the
package's code and the plotly/Dash versions: a deploy with other data or code never reads entries
written by the previous one from a shared Redis (old entries expire after ``DEFAULT_TIMEOUT``).
A cache that fails (Redis down) only costs time: Flask-Caching's ``memoize`` logs the error and
computes the value.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache as once
from pathlib import Path

import dash
import plotly
from flask import Flask
from flask_caching import Cache

from dashboard.core.config import GEODATA_DIR, PROCESSED_DIR

DEFAULT_TIMEOUT = 24 * 3600
SIMPLE_THRESHOLD = 200
REDIS_TIMEOUT_S = 1.0
PACKAGE_DIR = Path(__file__).resolve().parent.parent


@once
def cache_control(version: str | None) -> str:
    """The Cache-Control of a document whose address may carry ``v=<fingerprint>``: kept for good
    when it does (the address changes with the data and code), revalidated after 5 minutes if not."""
    return "public, max-age=31536000, immutable" if version == fingerprint() else "public, max-age=300"


def fingerprint() -> str:
    """A short hash of everything a cached value depends on: data files, code, library versions."""
    h = hashlib.blake2b(digest_size=8)
    h.update(f"dash {dash.__version__} plotly {plotly.__version__}".encode())
    files = [*sorted(PROCESSED_DIR.glob("*")), *sorted(GEODATA_DIR.glob("*.geojson")),
             *sorted(PACKAGE_DIR.rglob("*.py"))]
    for path in files:
        if path.is_file():
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def cache_config(redis_url: str | None = None) -> dict[str, object]:
    """The Flask-Caching settings: Redis at ``redis_url`` (default ``$REDIS_URL``), else in-process."""
    url = redis_url if redis_url is not None else os.environ.get("REDIS_URL", "").strip()
    config: dict[str, object] = {"CACHE_DEFAULT_TIMEOUT": DEFAULT_TIMEOUT,
                                 "CACHE_KEY_PREFIX": f"atlas:{fingerprint()}:"}
    if url:
        try:
            import redis  # noqa: F401
        except ImportError as exc:
            raise RuntimeError("REDIS_URL is set but the 'redis' package is not installed "
                               "(pip install redis)") from exc
        config.update(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=url,
                      CACHE_OPTIONS={"socket_timeout": REDIS_TIMEOUT_S,
                                     "socket_connect_timeout": REDIS_TIMEOUT_S})
    else:
        config.update(CACHE_TYPE="SimpleCache", CACHE_THRESHOLD=SIMPLE_THRESHOLD)
    return config


def init_cache(server: Flask, *, redis_url: str | None = None) -> Cache:
    """A Flask-Caching ``Cache`` bound to ``server``: ``RedisCache`` when ``REDIS_URL`` (or
    ``redis_url``) is set, else ``SimpleCache``."""
    return Cache(server, config=cache_config(redis_url))


def backend_name(cache: Cache) -> str:
    """'RedisCache' or 'SimpleCache' (for logs and tests)."""
    return type(cache.cache).__name__
