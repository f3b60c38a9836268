"""The sources page: every source with citation, version, licence, URL and the layers it feeds;
each map layer with its description and caveats; the rules for years, memberships and missing
values; the boundaries; the reference book.

Static content built from the data once (no callbacks). The rules and the caveats are read from
the published catalogue (``AtlasData.rules``, each layer's ``caveats``); they are written once, in
data/sources/curated/rules.yaml, as our own summaries of the provenance notes in
data/sources/*/PROVENANCE.md.
"""

from __future__ import annotations

from typing import Any

from dash import html

from dashboard.core.config import AS_OF
from dashboard.core.data import AtlasData

BOOK_SOURCE_ID = "olcott_aslund_garnett_1999"
BOUNDARY_SOURCE_ID = "natural_earth"

# What a `feeds` entry that is not an indicator id stands for.
_FEED_NAMES = {"events": "Dated events", "geodata": "Boundary layers",
               "flows": "Bilateral displacement (origin→asylum pairs, /api/v1/flows)"}


def _caveats(data: AtlasData, layer: dict[str, Any]) -> list[str]:
    """The layer's caveats, as published in the catalogue (written once in rules.yaml)."""
    return list(layer.get("caveats") or [])


def _links(url_text: str) -> list[Any]:
    """A source's URL field (several URLs separated by ' ; ', sometimes with a remark) as links."""
    out: list[Any] = []
    for part in (p.strip() for p in url_text.split(" ; ")):
        if not part:
            continue
        if out:
            out.append(" · ")
        if part.startswith(("http://", "https://")):
            url, _, rest = part.partition(" ")
            out.append(html.A(url, href=url, rel="noopener noreferrer", target="_blank"))
            if rest:
                out.append(" " + rest)
        else:
            out.append(part)
    return out or ["—"]


def _feeds(data: AtlasData, feeds: str) -> str:
    names = []
    for f in (x.strip() for x in feeds.split(";")):
        if not f:
            continue
        if f in data.indicators:
            names.append(data.indicators[f]["label"])
        else:
            names.append(_FEED_NAMES.get(f, f))
    return "; ".join(names) if names else "no layer of the atlas (catalogued for reference only)"


_DL_STYLE = {"display": "grid", "gridTemplateColumns": "7rem 1fr", "gap": "0.15rem 0.8rem", "margin": "0.3rem 0",
             "fontSize": "0.9rem"}


def _field(term: str, value: Any) -> list[Any]:
    return [html.Dt(term, style={"fontWeight": 600}),
            html.Dd(value if value not in ("", None) else "—", style={"margin": 0})]


def source_entries(data: AtlasData) -> list[Any]:
    items = []
    for s in data.sources.sort_values("short_name", kind="stable").itertuples(index=False):
        items.append(html.Article(id=f"source-{s.source_id}", className="source-entry", children=[
            html.H4(s.short_name),
            html.Dl(className="source-fields", style=_DL_STYLE, children=[
                *_field("Title", s.title),
                *_field("Publisher", s.publisher),
                *_field("Version", s.version),
                *_field("Cite as", s.citation),
                *_field("Licence", f"{s.license} ({s.license_short})" if s.license != s.license_short
                        else s.license),
                *_field("URL", _links(s.url)),
                *_field("Feeds", _feeds(data, s.feeds)),
                *_field("Notes", s.notes),
                *_field("Id", html.Code(s.source_id)),
            ]),
        ]))
    return items


def layer_entries(data: AtlasData) -> list[Any]:
    out: list[Any] = []
    for g in data.groups:
        layers = [i for i in data.indicators.values() if i["group"] == g["id"] and i["map"]]
        if not layers:
            continue
        out.append(html.H4(g["label"], className="sources-group"))
        for layer in layers:
            years = layer.get("years") or []
            span = f"{years[0]}–{years[1]}" if len(years) == 2 and years[0] else "1991–" + str(AS_OF.year)
            caveats = _caveats(data, layer)
            out.append(html.Article(id=f"layer-{layer['id']}", className="layer-entry", children=[
                html.H5(layer["label"]),
                html.P(layer["description"]),
                html.Ul([html.Li(c) for c in caveats]) if caveats else None,
                html.P(className="layer-meta", children=(
                    f"Unit: {layer['unit']} · Years: {span} · Source: {layer['source_short']} · "
                    f"Licence: {layer['licence']}")),
            ]))
    return out


def flows_section(data: AtlasData) -> list[Any]:
    """The flows table: what it holds, its population types and UNHCR's codes that are not
    countries, as published in indicators.json ("flows", written once in the snapshot's .meta.yml)."""
    meta = data.flows_meta
    if not meta:
        return []
    short = data.source_short
    sources = ", ".join(short.get(s, s) for s in meta.get("source_ids", []))
    return [html.Article(id="layer-flows", className="layer-entry", children=[
        html.H5("Bilateral displacement: from where and to where"),
        html.P(
            "Refugees, asylum-seekers and others by country of origin and country of asylum, for every pair in "
            "which one side is one of the fifteen states, destinations outside the region included. Only "
            "non-zero values are published: a pair missing in a year means no record or zero. Summed over "
            "partners, the refugees of each state equal the refugee layers of the same year in this edition."),
        html.Ul([html.Li([html.Code(k), f": {v}"]) for k, v in (meta.get("population_types") or {}).items()]),
        html.P("Codes that are not countries, kept as UNHCR publishes them:"),
        html.Ul([html.Li([html.Code(k), f" ({c.get('name', '')}): {c.get('meaning', '')}"])
                 for k, c in (meta.get("codes") or {}).items()]),
        html.P(className="layer-meta", children=(
            f"Unit: persons · Source: {sources} · Data: {meta.get('file', 'flows.csv')} in the dataset download "
            "and /api/v1/flows")),
    ])]


def boundary_section(data: AtlasData) -> list[Any]:
    rows = []
    for f in sorted(data.contested_geo["features"], key=lambda f: (f["properties"]["year_from"], f["id"])):
        p = f["properties"]
        years = f"{p['year_from']}–{p['year_to'] if p['year_to'] is not None else 'today'}"
        approx = " Outline approximate." if p.get("approximate") else ""
        rows.append(html.Li([html.Strong(p["name_en"]), f" ({years}). {p['status_note']}{approx}"]))
    ne = data.sources[data.sources["source_id"] == BOUNDARY_SOURCE_ID]
    credit = ne.iloc[0]["citation"] if len(ne) else "Made with Natural Earth."
    return [
        html.P(
            "The fifteen states are drawn on their internationally recognised borders, from Natural Earth's "
            "1:10m admin-0 countries, version 5.1.1, in the edition made from Germany's point of view: Crimea "
            "is part of Ukraine, and breakaway regions are part of the state they belong to. Natural Earth "
            "is in the public domain. To keep the page light the outlines were simplified together (about "
            "6 km tolerance, shared borders kept identical) and small islands were left out, so the map "
            "serves orientation, not measurement. Neighbouring countries are drawn in grey for context."),
        html.P(
            "Territories outside the control of the state they belong to are a separate shaded overlay. "
            "Each is shown only in the years in which it held on 31 December, and none of them changes the "
            "colour of its state: the data describe states, not the areas they do not control. Outlines "
            "come from Natural Earth's breakaway-area and admin-1 layers; where no outline of the real line "
            "exists, whole districts or oblasts stand in and the overlay is marked approximate."),
        html.Ul(rows),
        html.P(f"Credit: {credit}", className="layer-meta"),
    ]


def book_section(data: AtlasData) -> list[Any]:
    book = data.sources[data.sources["source_id"] == BOOK_SOURCE_ID]
    citation = book.iloc[0]["citation"] if len(book) else (
        "Martha Brill Olcott, Anders Åslund and Sherman W. Garnett, Getting It Wrong: Regional Cooperation "
        "and the Commonwealth of Independent States (Carnegie Endowment for International Peace, 1999).")
    return [
        html.P(html.Cite(citation)),
        html.P(
            "Our guide to the first decade of the CIS. Events drawn from its first chapter are marked as such "
            "in the events table and retold in our own words; the book's facts are cited, none of its text "
            "is reproduced."),
    ]


def sources_tab_layout(data: AtlasData) -> html.Section:
    """The whole page (no callbacks)."""
    return html.Section(id="sources-tab", className="sources-tab", **{"aria-label": "Sources and caveats"},
                        children=[
        html.H2("Sources and caveats"),
        html.P(
            "Every number in the atlas comes from a published source and keeps that source's licence. "
            "Below: how to read the layers, what each one can and cannot tell, the boundaries, and the full "
            "list of sources with what to cite.", className="layer-description"),
        html.H3("Reading the atlas"),
        html.Ul([
            html.Li([html.Strong(f"{title}. "), data.rules.get(key, "")])
            for title, key in (("Memberships", "membership_year"), ("Missing is not zero", "missing"),
                               ("Years", "years"), ("Estimates and projections", "estimates_projections"),
                               ("Provisional values", "provisional"), ("Notes", "notes"))
            if data.rules.get(key)
        ]),
        html.P(f"Data version {data.data_version}.", className="layer-meta"),
        html.H3("Layers"),
        *layer_entries(data),
        *flows_section(data),
        html.H3("Boundaries"),
        *boundary_section(data),
        html.H3("Reference book"),
        *book_section(data),
        html.H3("Sources"),
        *source_entries(data),
    ])
