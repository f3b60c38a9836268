"""A static HTML copy of the page's layout, sent inside the page itself so that the browser can
show the page, with the map as a picture (/map-poster.svg), before Dash's scripts have run.

The copy is drawn from the same Dash layout, with the same classes, so everything sits where
the live page will put it; ``assets/atlas.css`` shows it only until Dash has rendered the live
page (``#app-root``), and ``assets/atlas.js`` then removes it. It is inert and hidden from
assistive technology (the live page is the accessible one), and carries no ids, so that no
selector can ever find the copy instead of the live element.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from dash.development.base_component import Component

# html.* components are their tag; a few component names differ from the tag
_TAGS = {"MapEl": "map", "ObjectEl": "object"}
_VOID = {"img", "br", "hr", "input", "meta", "link", "source", "track", "wbr", "col", "area"}
# React prop → HTML attribute
_ATTRS = {"className": "class", "htmlFor": "for", "tabIndex": "tabindex", "colSpan": "colspan",
          "rowSpan": "rowspan"}
_KEEP = {"class", "title", "href", "alt", "scope", "colspan", "rowspan", "open", "hidden", "disabled",
         "role", "lang", "dir", "for", "type", "value", "elementtiming"}
# dcc components that take room on the page: a box of their class (and the given height)
_DCC_BOX = {"Dropdown": ("dash-dropdown prerender-dropdown", None),
            "Slider": ("dash-slider-container prerender-slider", None),
            "RadioItems": ("prerender-radio", None)}


def _style(style: dict[str, Any]) -> str:
    def kebab(name: str) -> str:
        return re.sub(r"[A-Z]", lambda m: "-" + m.group(0).lower(), name)
    return "; ".join(f"{kebab(k)}: {v}" for k, v in style.items())


def _attrs(props: dict[str, Any]) -> str:
    out: list[str] = []
    for key, value in props.items():
        name = _ATTRS.get(key, key)
        if key == "style" and isinstance(value, dict):
            out.append(f' style="{escape(_style(value))}"')
        elif name in _KEEP or name.startswith(("aria-", "data-")):
            if value is True:
                out.append(f" {name}")
            elif value is None or value is False:
                continue
            else:
                out.append(f' {name}="{escape(str(value))}"')
    return "".join(out)


def to_html(node: Any, poster_src: str = "") -> str:
    """HTML for a Dash component tree (html.* as tags; dcc controls as boxes of their size)."""
    if node is None or node is False:
        return ""
    if isinstance(node, (list, tuple)):
        return "".join(to_html(n, poster_src) for n in node)
    if isinstance(node, (str, int, float)):
        return escape(str(node))
    if not isinstance(node, Component):
        return ""
    props = {k: v for k, v in node.to_plotly_json()["props"].items() if k != "children"}
    props.pop("id", None)
    children = getattr(node, "children", None)
    if node._namespace == "dash_html_components":
        tag = _TAGS.get(node._type, node._type.lower())
        if tag == "img" and "map-poster" in str(props.get("className", "")):
            props["src"] = poster_src
            props["elementtiming"] = "map-poster"  # (the browser's Element Timing; benchmarks/map_perf.py)
        attrs = _attrs(props) + (f' src="{escape(str(props["src"]))}"' if tag == "img" and props.get("src") else "")
        if tag in _VOID:
            return f"<{tag}{attrs}>"
        return f"<{tag}{attrs}>{to_html(children, poster_src)}</{tag}>"
    if node._type == "Graph":
        return f'<div class="{escape(str(props.get("className", "")))} dash-graph"></div>'
    if node._type in _DCC_BOX:
        cls, _ = _DCC_BOX[node._type]
        label = ""
        if node._type == "Dropdown":
            value = props.get("value")
            opts = props.get("options") or []
            label = next((str(o.get("label", "")) for o in opts if isinstance(o, dict) and o.get("value") == value),
                         str(props.get("placeholder", "") or ""))
        elif node._type == "Slider":  # a track and the year, as the live slider's number box
            return (f'<div class="{cls}"><span class="prerender-track"></span>'
                    f'<span class="prerender-year">{escape(str(props.get("value", "")))}</span></div>')
        elif node._type == "RadioItems":
            opts = props.get("options") or []
            label = " ".join(str(o.get("label", "")) if isinstance(o, dict) else str(o) for o in opts)
        style = props.get("style")
        extra = f' style="{escape(_style(style))}"' if isinstance(style, dict) else ""
        return (f'<div class="{cls} {escape(str(props.get("className", "")))}"{extra}>'
                f'<span class="prerender-label">{escape(label)}</span></div>')
    return ""  # stores, timers, downloads: nothing on screen


def page_html(layout: Component, poster_src: str) -> str:
    """The prerendered page, ready to go before ``{%app_entry%}``."""
    return f'<div id="prerender" class="prerender" inert aria-hidden="true">{to_html(layout, poster_src)}</div>'
