"""The title the server writes for the page's view is still the document's title once the live
page (Dash) has taken over and drawn the interactive map."""

from __future__ import annotations

import pytest

from dashboard.web.seo import SITE

pytestmark = pytest.mark.browser


def test_title_survives_the_live_page(probe) -> None:
    probe.goto("?layer=cis&year=1995")
    assert probe.page.title() == f"CIS membership, 1995 — {SITE}"
    description = probe.eval("() => document.querySelector('meta[name=description]').content")
    assert description.startswith("Commonwealth of Independent States in 1995")
