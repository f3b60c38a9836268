"""Without a browser, through Flask's test client: the browser-cache headers of the page's files
(Lighthouse's uses-long-cache-ttl), /robots.txt (its robots-txt audit) and the per-view <title>
and <meta name="description"> the server writes into the page (its document-title and
meta-description audits)."""

from __future__ import annotations

import html
import re
import urllib.robotparser

import flask
import pytest

from app import app
from dashboard.web.seo import SITE
from dashboard.web.static_cache import LONG_LIVED, REVALIDATE, cache_control


@pytest.fixture(scope="module")
def client() -> flask.testing.FlaskClient:
    return app.server.test_client()


def _page(client: flask.testing.FlaskClient, query: str = "") -> str:
    resp = client.get("/" + query)
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def _title(page: str) -> str:
    titles = re.findall(r"<title>(.*?)</title>", page, re.S)
    assert len(titles) == 1, titles
    return html.unescape(titles[0])


def _description(page: str) -> str:
    found = re.findall(r'<meta name="description" content="([^"]*)">', page)
    assert len(found) == 1, found
    assert len(re.findall(r'<meta\s+name="description"', page)) == 1
    return html.unescape(found[0])


# --------------------------------------------------------------------------- caching headers

def test_cache_policy_by_url() -> None:
    assert cache_control("/_dash-component-suites/dash/deps/react@18.v4_4_1m1795839177.3.1.min.js", {}) == LONG_LIVED
    assert cache_control("/_dash-component-suites/dash/dcc/dash_core_components.v4_4_1m17.js", {}) == LONG_LIVED
    assert cache_control("/_dash-component-suites/dash/dcc/async-graph.js", {}) == REVALIDATE
    assert cache_control("/assets/atlas.js", {"m": "1795839601.6"}) == LONG_LIVED
    assert cache_control("/assets/atlas.js", {}) is None
    assert cache_control("/assets/topojson/world_110m.json", {}) is None
    assert cache_control("/_favicon.ico", {"v": "4.4.1"}) == LONG_LIVED
    assert cache_control("/_favicon.ico", {}) is None
    assert cache_control("/map-poster.svg", {"layer": "cis", "v": "0123abcd"}) == LONG_LIVED
    assert cache_control("/map-poster.svg", {"layer": "cis"}) is None  # its own hour (dashboard/web/app.py)
    assert cache_control("/", {}) is None
    assert cache_control("/api/v1/indicators", {}) is None


def _page_files(page: str) -> list[str]:
    scripts = re.findall(r'<script src="([^"]+)"', page)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    preloads = re.findall(r'<link rel="preload" as="script"[^>]*href="([^"]+)"', page)
    favicon = re.findall(r'<link rel="icon"[^>]*href="([^"]+)"', page)
    files = [html.unescape(u) for u in scripts + styles + preloads + favicon]
    assert len(scripts) >= 5 and styles and favicon
    return files


def test_fingerprinted_files_are_kept_a_year(client: flask.testing.FlaskClient) -> None:
    """Every script, stylesheet and icon the page names by a fingerprinted URL may be kept for a
    year; the fixed-name async chunks are revalidated against their ETag (304 when unchanged)."""
    long_lived = revalidated = 0
    for url in _page_files(_page(client, "?layer=cis&year=1995")):
        resp = client.get(url, headers={"Accept-Encoding": "br"})
        assert resp.status_code == 200, url
        path = url.partition("?")[0]
        fixed_chunk = path.startswith("/_dash-component-suites/") and re.search(r"/async-[\w-]+\.js$", path)
        if fixed_chunk:
            assert resp.headers["Cache-Control"] == REVALIDATE, url
            etag = resp.headers["ETag"]
            again = client.get(url, headers={"If-None-Match": etag})
            assert again.status_code == 304, url
            assert again.headers["Cache-Control"] == REVALIDATE, url
            revalidated += 1
        else:
            assert resp.headers["Cache-Control"] == LONG_LIVED, url
            long_lived += 1
        head = client.head(url)
        assert head.headers["Cache-Control"] == resp.headers["Cache-Control"], url
    assert long_lived >= 10 and revalidated == 3


def test_versioned_poster_is_kept_a_year(client: flask.testing.FlaskClient) -> None:
    assert client.get("/map-poster.svg?layer=cis&year=1995").headers["Cache-Control"] == "public, max-age=3600"
    assert client.get("/map-poster.svg?layer=cis&year=1995&v=1").headers["Cache-Control"] == LONG_LIVED


def test_other_responses_keep_their_own_policy(client: flask.testing.FlaskClient) -> None:
    assert "immutable" not in client.get("/").headers.get("Cache-Control", "")
    assert "immutable" not in client.get("/_dash-layout").headers.get("Cache-Control", "")
    assert "immutable" not in client.get("/assets/atlas.css").headers.get("Cache-Control", "")
    missing = client.get("/assets/nothing-here.js?m=1")
    assert missing.status_code == 404 and "immutable" not in missing.headers.get("Cache-Control", "")


# --------------------------------------------------------------------------- robots.txt

def test_robots_txt_is_valid_and_allows_crawling(client: flask.testing.FlaskClient) -> None:
    resp = client.get("/robots.txt")
    assert resp.status_code == 200
    assert resp.mimetype == "text/plain"
    text = resp.get_data(as_text=True)
    assert "<" not in text  # not the page's HTML (Dash answers any unknown path with it)
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            assert re.fullmatch(r"(User-agent|Allow|Disallow|Sitemap|Crawl-delay):\s*\S*", line), line
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(text.splitlines())
    for path in ("/", "/?layer=cis&year=1995", "/api/v1/indicators"):
        assert parser.can_fetch("Googlebot", "http://127.0.0.1" + path), path


# --------------------------------------------------------------------------- title and description

@pytest.mark.parametrize(("query", "title"), [
    ("?layer=cis&year=1995", f"CIS membership, 1995 — {SITE}"),
    ("?layer=nato&year=2004", f"NATO membership, 2004 — {SITE}"),
    ("?layer=eurasian&year=2015", f"Eurasian integration, 2015 — {SITE}"),
    ("?layer=refugees_hosted&year=1995", f"Refugees hosted, 1995 — {SITE}"),
    ("?layer=vdem_row&year=2024&country=geo", f"Georgia: Regimes of the World (V-Dem), 2024 — {SITE}"),
    ("?layer=nope&year=3000", f"CIS membership, 2025 — {SITE}"),  # the page's own fallback
    ("", f"CIS membership, 2025 — {SITE}"),
    ("?view=data", f"Data: tables to filter and download — {SITE}"),
    ("?view=sources", f"Sources and licences — {SITE}"),
])
def test_title_names_the_view(client: flask.testing.FlaskClient, query: str, title: str) -> None:
    page = _page(client, query)
    assert _title(page) == title
    description = _description(page)
    assert 50 <= len(description) <= 160, description


def test_story_step_title_and_description(client: flask.testing.FlaskClient) -> None:
    page = _page(client, "?story=post_soviet_space&step=9&present=1")
    title = _title(page)
    assert title.endswith(f"(CIS membership, 2009) — {SITE}"), title
    assert "Georgia leaves the CIS" in title
    description = _description(page)
    assert description.startswith("step 9 of") or "step 9 of" in description, description
    assert len(description) <= 160


def test_descriptions_differ_by_view(client: flask.testing.FlaskClient) -> None:
    queries = ("?layer=cis&year=1995", "?layer=cis&year=1996", "?layer=idps&year=1995", "?view=data")
    assert len({_description(_page(client, q)) for q in queries}) == len(queries)


def test_title_and_description_are_escaped(client: flask.testing.FlaskClient) -> None:
    page = _page(client, '?layer="><script>x</script>&story=<b>&view=<i>')
    assert "<script>x</script>" not in page and "<b>" not in page.split("</title>")[0]
    assert _title(page) == f"CIS membership, 2025 — {SITE}"
    _description(page)
