"""What search engines and link previews read: a ``<title>`` and ``<meta name="description">`` for
the view a page address opens (computed by the server when it sends the page), and /robots.txt.

The title names the layer and year, e.g. "CIS membership, 1995 — Atlas of the former Soviet
space"; a story step, a country and the data and sources tabs have titles of their own. Only the
page's first view is named: the live page does not change the title as the user moves on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import parse_qs

from flask import Flask, Response

from dashboard.core.config import FIRST_YEAR, LAST_YEAR, NAMES_EN
from dashboard.core.viewstate import address_context, parse_query

SITE = "Atlas of the former Soviet space"
# the titles of the tabs without a layer (the browser names the view it moves to the same way:
# assets/atlas/app.js renderTitle, from the page's facts)
TAB_TITLES = {"data": "Data: tables to filter and download", "sources": "Sources and licences"}
MAX_DESCRIPTION = 160  # search results show about this much

# Crawl everything: the pages, the API's data and the downloads are all public.
ROBOTS_TXT = f"""# {SITE}
User-agent: *
Allow: /
"""

_TABS = {"data", "sources"}
_DESCRIPTION_TAG = re.compile(r'<meta\s+name="description"[^>]*>')


@dataclass(frozen=True)
class PageMeta:
    title: str
    description: str


def layer_title(indicator: dict[str, Any]) -> str:
    """A layer's name for a title: "CIS membership", "Refugees hosted", "Polity2 score (Polity5)"."""
    if indicator.get("group") == "membership":
        short = str(indicator.get("short_label") or indicator["label"])
        return short if "integration" in short.lower() else f"{short} membership"
    return str(indicator["label"])


def _shorten(text: str, limit: int = MAX_DESCRIPTION) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:—–-")
    return cut + "…"


def _tab(query: str) -> str | None:
    """The tab an address opens (``view=data`` or ``tab=data``; likewise ``sources``), if any."""
    params = parse_qs(query.lstrip("?"), keep_blank_values=True)
    for name in ("view", "tab"):
        value = (params.get(name) or [""])[0].strip().lower()
        if value in _TABS:
            return value
    return None


def page_meta(query: str, layer: str, year: int, data: Any, stories: dict[str, dict[str, Any]]) -> PageMeta:
    """Title and description of the view the address ``query`` opens; ``layer`` and ``year`` are
    the ones the page starts with (as the server resolved them: a story step decides them)."""
    tab = _tab(query)
    if tab == "data":
        return PageMeta(f"{TAB_TITLES['data']} — {SITE}", _shorten(
            "Build a table of memberships, displacement, migration and regime indicators for the 15 "
            "post-Soviet states since 1991; filter it, download it as CSV or XLSX."))
    if tab == "sources":
        return PageMeta(f"{TAB_TITLES['sources']} — {SITE}", _shorten(
            "Every source behind the atlas of the 15 post-Soviet states — UNHCR, IDMC, UN WPP, V-Dem, "
            "Freedom House, Polity5, treaties — with citation, version, licence and caveats."))
    indicator = data.indicators.get(layer) or {"label": layer, "group": ""}
    view = f"{layer_title(indicator)}, {year}"
    state = parse_query(query, address_context(data, stories))
    if state.story and state.story in stories:
        story = stories[state.story]
        step = story["steps"][state.step]
        return PageMeta(f"{step['title']} ({view}) — {SITE}",
                        _shorten(f"{story['title']}, step {state.step + 1} of {len(story['steps'])}: "
                                 f"{step['caption']}"))
    country = NAMES_EN.get(state.country or "")
    if country:
        return PageMeta(f"{country}: {view} — {SITE}", _shorten(
            f"{country} in {year}: {indicator['label']}; its series, memberships, regime history "
            "and events, in an interactive atlas of the post-Soviet states."))
    return PageMeta(f"{view} — {SITE}", _shorten(
        f"{indicator['label']} in {year}: an interactive map of the 15 post-Soviet states, "
        f"{FIRST_YEAR}–{LAST_YEAR}, with sources and the data to download."))


def index_kwargs(kwargs: dict[str, Any], meta: PageMeta) -> dict[str, Any]:
    """Dash's ``interpolate_index`` arguments with this view's title and description."""
    description = f'<meta name="description" content="{escape(meta.description)}">'
    metas = str(kwargs.get("metas", ""))
    metas, found = _DESCRIPTION_TAG.subn(lambda _m: description, metas, count=1)
    if not found:
        metas = f"{metas}\n{description}" if metas else description
    return {**kwargs, "metas": metas, "title": escape(meta.title, quote=False)}


_TITLE_TAG = re.compile(r"<title>.*?</title>", re.S)


def apply(html: str, meta: PageMeta) -> str:
    """The page's HTML with this view's title and description (Dash's index hook)."""
    description = f'<meta name="description" content="{escape(meta.description)}">'
    html, found = _DESCRIPTION_TAG.subn(lambda _m: description, html, count=1)
    if not found:
        html = html.replace("</title>", "</title>\n" + description, 1)
    return _TITLE_TAG.sub(lambda _m: f"<title>{escape(meta.title, quote=False)}</title>", html, count=1)


def install(server: Flask) -> None:
    """Serve /robots.txt (without it, Dash would answer the path with the page's HTML)."""

    @server.get("/robots.txt")
    def robots_txt() -> Response:
        resp = Response(ROBOTS_TXT, mimetype="text/plain")
        resp.headers["Cache-Control"] = "public, max-age=86400"
        return resp
