"""The static picture of the map (dashboard/views/poster.py) and the prerendered page
(dashboard/views/prerender.py): pure functions and their HTTP answers, without a browser."""

from __future__ import annotations

import math
import re
from typing import Any

import pytest

from dashboard.core import figures, palettes
from dashboard.core.config import ISO3
from dashboard.core.data import get_data
from dashboard.views.poster import Projection, colour_at, map_svg, view_of_query
from dashboard.views.prerender import page_html, to_html


@pytest.fixture(scope="module")
def data() -> Any:
    return get_data()


@pytest.fixture(scope="module")
def client() -> Any:
    from dashboard.web.app import create_app

    return create_app().server.test_client()


def _paths(svg: str, group: str) -> list[tuple[str, str, str]]:
    body = svg.split(f'<g class="{group}">', 1)[1].split("</g>", 1)[0]
    return re.findall(r'<path d="([^"]+)" fill="([^"]+)" stroke="([^"]+)"', body)


def test_projection_centre_and_view_box() -> None:
    proj = Projection(figures.GEO_VIEW)
    # geo.center is the middle of the picture
    x, y = proj(87, 57)
    assert abs(x) < 1e-6 and abs(y) < 1e-6
    vx, vy, vw, vh = proj.view_box
    assert math.isclose(vx, -vw / 2) and math.isclose(vy, -vh / 2)
    # north is up, east is right, Kaliningrad and Chukotka both inside the box
    assert proj(87, 70)[1] < proj(87, 50)[1]
    assert proj(100, 57)[0] > proj(80, 57)[0]
    for lon, lat in ((20.5, 54.7), (177.5, 64.7)):
        ux, uy = proj.unscaled(lon, lat)
        assert vx < ux < vx + vw and vy < uy < vy + vh


def test_unsupported_projection_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported projection"):
        Projection({**figures.GEO_VIEW, "projection": {"type": "mercator"}})


def test_colour_at_picks_the_step_of_a_discrete_scale() -> None:
    colours = ["#111111", "#222222", "#333333"]
    scale = figures.discrete_colorscale(colours)
    assert colour_at(scale, -1, -1, 2) == palettes.NO_DATA.lower()
    for i, c in enumerate(colours):
        assert colour_at(scale, i, -1, 2) == c


def test_svg_colours_every_state_by_its_class(data: Any) -> None:
    fig = figures.map_figure(data, "fh_status", 1995)
    svg = map_svg(fig)
    states = _paths(svg, "states")
    assert len(states) == len(ISO3)
    trace = fig["data"][1]
    layer = data.indicators["fh_status"]
    expected = {layer["classes"][z]["color"].lower() if z >= 0 else palettes.NO_DATA.lower()
                for z in trace["z"]}
    assert {fill for _, fill, _ in states} == expected


def test_no_data_is_grey_not_the_colour_of_zero(data: Any) -> None:
    # a year with no Freedom House rating for any state (the edition covering it is not out yet)
    fig = figures.map_figure(data, "fh_status", 2026)
    assert all(z == figures.NO_DATA_CLASS for z in fig["data"][1]["z"])
    fills = {fill for _, fill, _ in _paths(map_svg(fig), "states")}
    assert fills == {palettes.NO_DATA.lower()}


def test_selected_country_is_outlined_and_contested_areas_follow_the_year(data: Any) -> None:
    svg = map_svg(figures.map_figure(data, "cis", 2015, selected="UKR"))
    assert len(_paths(svg, "outline-dark")) == 1 and len(_paths(svg, "outline-light")) == 1
    assert len(_paths(svg, "contested")) == 6, "Crimea and Donbas join the four older areas in 2015"
    assert len(_paths(map_svg(figures.map_figure(data, "cis", 2010)), "contested")) == 4
    assert _paths(map_svg(figures.map_figure(data, "cis", 1991)), "contested") == []


def test_view_of_query_follows_the_page_rules(data: Any) -> None:
    assert view_of_query("layer=fh_status&year=1997&country=blr", data, {}) == ("fh_status", 1997, "BLR", [], "all")
    layer, year, country, _, _ = view_of_query("layer=<x>&year=1066&country=ZZZ", data, {})
    assert (year, country) == (2025, None) and layer in data.indicators
    stories = {"s": {"steps": [{"layer": "csto", "year": 2002, "countries": ["ARM"]}]}}
    assert view_of_query("story=s&step=1", data, stories) == ("csto", 2002, None, ["ARM"], "all")


def test_poster_endpoint_answers_any_query(client: Any) -> None:
    for q in ("", "?layer=fh_status&year=1997", "?layer=bogus&year=x", "?%ff=%00", "?year=" + "9" * 5000):
        r = client.get("/map-poster.svg" + q)
        assert r.status_code == 200
        assert r.mimetype == "image/svg+xml"
        assert r.data.startswith(b"<svg") and r.data.endswith(b"</svg>")


def test_prerender_has_no_ids_and_is_inert(data: Any) -> None:
    from dashboard.views.layout import build_layout

    html = page_html(build_layout(data, {}, "fh_status", 1997), "/map-poster.svg?a=1&b=<2>")
    assert html.startswith('<div id="prerender" class="prerender" inert aria-hidden="true">')
    assert html.count(" id=") == 1, "the copy must not repeat the live page's ids"
    assert 'src="/map-poster.svg?a=1&amp;b=&lt;2&gt;"' in html
    assert "<script" not in html
    assert "Freedom House" in html  # the address's layer, in the selector and the legend


def test_prerender_escapes_text() -> None:
    from dash import html

    assert to_html(html.P(["<b>", html.Span("&", title='"q"')])) == \
        '<p>&lt;b&gt;<span title="&quot;q&quot;">&amp;</span></p>'


def test_page_carries_prerender_and_preloads(client: Any) -> None:
    body = client.get("/?layer=fh_status&year=1997&x=%22%3E%3Cscript%3E").data.decode()
    assert 'id="prerender"' in body
    assert body.count('<link rel="preload" as="image" id="poster-src"') == 1
    assert "<script>" not in body.split('id="prerender"', 1)[1].split("react-entry-point", 1)[0]
    assert '"><script>' not in body
    # plotly.js is not a script of the page: it is named, and loaded on the user's first move
    assert '<meta id="plotly-src"' in body and 'rel="preload" as="script" id="plotly-src"' not in body
    assert '<script src="/assets/vendor/plotly-geo' not in body
