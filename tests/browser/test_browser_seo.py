"""The title the server writes for the page's view is still the document's title once the live
page (Dash) has taken over and drawn the interactive map."""

from __future__ import annotations

import html
import re
import urllib.request

import pytest

from dashboard.web.seo import SITE

pytestmark = pytest.mark.browser


def test_title_survives_the_live_page(probe) -> None:
    probe.goto("?layer=cis&year=1995")
    assert probe.page.title() == f"CIS membership, 1995 — {SITE}"
    description = probe.eval("() => document.querySelector('meta[name=description]').content")
    assert description.startswith("Commonwealth of Independent States in 1995")


@pytest.mark.parametrize("action", [
    {"type": "year", "year": 2004, "via": "key"},
    {"type": "country", "iso3": "GEO"},
    {"type": "layer", "layer": "refugees_hosted_per_1000"},
    {"type": "view", "view": "sources"},
    {"type": "story", "id": "post_soviet_space"},
])
def test_title_follows_the_view_as_the_server_names_it(probe, action) -> None:
    """After a change in the page, the document's title is the one the server gives that address."""
    probe.goto("?layer=cis&year=1995")
    before = probe.page.title()
    probe.eval("(a) => window.Atlas.app.dispatch(a)", action)
    probe.page.wait_for_function("(t) => document.title !== t", arg=before)
    with urllib.request.urlopen(probe.base + "/" + probe.eval("() => location.search"), timeout=30) as r:
        served = re.search(r"<title>(.*?)</title>", r.read().decode()).group(1)
    assert probe.page.title() == html.unescape(served)
