"""Only the embeddable page (``?embed=1``) may be framed by other sites (issue 12); the
EMBED_FRAME_ANCESTORS setting lists who, default any; every other page keeps its policy."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from dashboard.web import security


def _csp(resp: Any) -> dict[str, str]:
    directives = (d.strip().split(" ", 1) for d in resp.headers["Content-Security-Policy"].split(";"))
    return {d[0]: d[1] if len(d) > 1 else "" for d in directives}


def _app(monkeypatch: pytest.MonkeyPatch, embed: str | None, main: str | None = None) -> Any:
    for name, value in (("EMBED_FRAME_ANCESTORS", embed), ("FRAME_ANCESTORS", main)):
        monkeypatch.delenv(name, raising=False)
        if value is not None:
            monkeypatch.setenv(name, value)
    app = Flask("t")
    app.add_url_rule("/", "page", lambda: "page")
    app.add_url_rule("/api/v1/x", "api", lambda: "api")
    security.install(app)
    return app.test_client()


@pytest.mark.parametrize(("embed", "expected", "xfo"), [
    (None, "*", None),
    ("https://courses.example.org https://*.uni.example", "https://courses.example.org https://*.uni.example", None),
    ("'self'", "'self'", "SAMEORIGIN"),
])
def test_embed_page_policy(monkeypatch: pytest.MonkeyPatch, embed: str | None, expected: str, xfo: str | None) -> None:
    client = _app(monkeypatch, embed)
    for query in ("?embed=1", "?view=rank&embed=1&layer=cis", "?embed=true"):
        resp = client.get("/" + query)
        assert _csp(resp)["frame-ancestors"] == expected, query
        assert resp.headers.get("X-Frame-Options") == xfo
    # everything else keeps refusing frames
    for path in ("/", "/?embed=0", "/?embed=", "/api/v1/x?embed=1"):
        resp = client.get(path)
        assert _csp(resp)["frame-ancestors"] == "'self'", path
        assert resp.headers["X-Frame-Options"] == "SAMEORIGIN", path


def test_bad_embed_setting_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="EMBED_FRAME_ANCESTORS"):
        _app(monkeypatch, "x; script-src *")


def test_is_embed_request() -> None:
    assert security.is_embed_request("/", "1")
    assert security.is_embed_request("/", " YES ")
    assert not security.is_embed_request("/", "0")
    assert not security.is_embed_request("/", None)
    assert not security.is_embed_request("/_dash-layout", "1")
