"""dashboard/web/security.py: headers on every response, the policy matches the page's inline
scripts, error pages without tracebacks, the size limit, no server banners."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import urllib.request
from typing import Any

import flask
import pytest
from flask import Flask

from app import server
from dashboard.web import security

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "SAMEORIGIN",
}


@pytest.fixture(scope="module")
def client() -> flask.testing.FlaskClient:
    return server.test_client()


def _csp(resp: Any) -> dict[str, str]:
    directives = (d.strip().split(" ", 1) for d in resp.headers["Content-Security-Policy"].split(";"))
    return {d[0]: d[1] if len(d) > 1 else "" for d in directives}


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/"), ("GET", "/healthz"), ("GET", "/_dash-layout"), ("GET", "/_dash-dependencies"),
    ("GET", "/assets/atlas.css"), ("GET", "/api/v1/indicators"), ("GET", "/api/v1/nope"),
    ("DELETE", "/api/v1/indicators"), ("POST", "/_dash-update-component"), ("GET", "/_dash-update-component"),
])
def test_every_response_carries_the_headers(client: flask.testing.FlaskClient, method: str, path: str) -> None:
    resp = client.open(path, method=method)
    for name, value in EXPECTED.items():
        assert resp.headers.get(name) == value, (path, name)
    assert resp.headers["Permissions-Policy"].startswith("camera=()")
    assert "Server" not in resp.headers
    csp = _csp(resp)
    assert csp["default-src"] == "'self'"
    assert csp["object-src"] == "'none'"
    assert csp["frame-ancestors"] == "'self'"
    assert csp["base-uri"] == "'self'" and csp["form-action"] == "'self'"
    assert csp["img-src"] == "'self' data: blob:"
    assert "unsafe" not in csp["script-src"]


def test_policy_allows_exactly_the_inline_scripts_of_the_page(client: flask.testing.FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)
    inline = []
    for attrs, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S | re.I):
        if "src=" in attrs or "application/json" in attrs:
            continue  # files (script-src 'self') and data blocks (never executed)
        inline.append(body)
    assert inline, "expected Dash's renderer bootstrap"
    allowed = _csp(client.get("/"))["script-src"].split()
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed, body[:80]
    assert len(allowed) == 1 + len(set(inline)), "hashes for scripts the page does not have"


def test_page_config_does_not_reveal_the_python_build(client: flask.testing.FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    config = json.loads(re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', html).group(1))
    assert config["python_version"] == ""
    assert config["ui"] is False  # no dev tools


@pytest.mark.parametrize(("value", "xfo", "expected"), [
    (None, "SAMEORIGIN", "'self'"),
    ("'none'", "DENY", "'none'"),
    ("'self' https://atlas.example.org", None, "'self' https://atlas.example.org"),
    ("https://*.example.org", None, "https://*.example.org"),
])
def test_frame_ancestors(monkeypatch: pytest.MonkeyPatch, value: str | None, xfo: str | None, expected: str) -> None:
    monkeypatch.delenv("FRAME_ANCESTORS", raising=False)
    if value is not None:
        monkeypatch.setenv("FRAME_ANCESTORS", value)
    app = Flask("t")
    app.get("/")(lambda: "ok")
    security.install(app)
    resp = app.test_client().get("/")
    assert _csp(resp)["frame-ancestors"] == expected
    assert resp.headers.get("X-Frame-Options") == xfo


@pytest.mark.parametrize("value", ["x; script-src *", "'self', https://a.example", "'none' 'self'", "'unsafe-inline'"])
def test_bad_frame_ancestors_are_refused(value: str) -> None:
    with pytest.raises(ValueError):
        security.install(Flask("t"), frame_ancestors=value)


def _failing_app() -> Flask:
    app = Flask("t")

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret detail /etc/passwd")

    @app.get("/api/v1/boom")
    def api_boom() -> str:
        raise RuntimeError("secret detail /etc/passwd")

    security.install(app)
    return app


def test_server_errors_are_generic(caplog: pytest.LogCaptureFixture) -> None:
    client = _failing_app().test_client()
    page = client.get("/boom")
    assert page.status_code == 500
    assert page.mimetype == "text/html"
    assert b"secret" not in page.data and b"Traceback" not in page.data
    assert len(page.data) < 400
    api = client.get("/api/v1/boom")
    assert api.status_code == 500
    assert api.get_json() == {"error": "internal_error", "detail": "the server failed to answer this request"}
    assert "secret detail" in caplog.text  # the traceback goes to the log, not to the client


def test_body_size_limit() -> None:
    app = Flask("t")
    app.post("/echo")(lambda: str(len(flask.request.get_data())))
    security.install(app)
    client = app.test_client()
    assert client.post("/echo", data=b"x" * 1000).data == b"1000"
    resp = client.post("/echo", data=b"x" * (security.MAX_CONTENT_LENGTH + 1))
    assert resp.status_code == 413
    assert resp.get_json()["error"] == "payload_too_large"


def test_callback_guard_accepts_the_renderers_body(client: flask.testing.FlaskClient) -> None:
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if d["output"] == "sources-tab-slot.children")
    values = {"sources-req": {"open": True}}
    body = {
        "output": dep["output"],
        "outputs": {"id": "sources-tab-slot", "property": "children"},
        "inputs": [{**i, "value": values.get(i["id"])} for i in dep["inputs"]],
        "state": [{**s, "value": values.get(s["id"])} for s in dep["state"]],
        "changedPropIds": ["sources-req.data"],
    }
    resp = client.post("/_dash-update-component", json=body)
    assert resp.status_code == 200, resp.data[:300]
    body["inputs"] = []
    resp = client.post("/_dash-update-component", json=body)
    assert resp.status_code == 400
    assert "inputs" in resp.get_json()["detail"]


def test_dev_server_sends_no_banner(dev_server: str) -> None:
    """``python app.py`` (Werkzeug) sends no Server header either."""
    with urllib.request.urlopen(dev_server + "/healthz", timeout=10) as r:
        assert r.headers.get("Server") is None
        assert r.headers["X-Content-Type-Options"] == "nosniff"
    with urllib.request.urlopen(dev_server + "/", timeout=10) as r:  # the README's run command serves the page
        assert r.status == 200
