"""The sources page: every source with citation, version, licence, URL and the layers it feeds;
each map layer with its description and caveats; the rules for years, memberships and missing
values; the boundaries; the reference book.

Static content built from the data once (no callbacks). The caveats are our own summaries of the
provenance notes in data/sources/*/PROVENANCE.md and geodata/sources/PROVENANCE.md.
"""

from __future__ import annotations

from typing import Any

from dash import html

from dashboard.core.config import AS_OF
from dashboard.core.data import AtlasData

BOOK_SOURCE_ID = "olcott_aslund_garnett_1999"
BOUNDARY_SOURCE_ID = "natural_earth"

# What a `feeds` entry that is not an indicator id stands for.
_FEED_NAMES = {"events": "Dated events", "geodata": "Boundary layers"}

_UNHCR_ZEROS = (
    "UNHCR figures are end-of-year stocks. Where UNHCR printed a 0 before it collected a figure at all "
    "(asylum-seekers in every state before 2000, stateless people before 2004), the atlas keeps the 0 "
    "and flags it, because it usually means 'not reported' rather than 'nobody'."
)
_UNHCR_1990S = (
    "No UNHCR host-country rows exist for 1991, and most series only begin between 1992 and 1994 "
    "(Lithuania and Moldova 1997, Latvia 1999, Estonia 2000): earlier years show as No data."
)
_PER_1000 = (
    "The rate divides the end-of-year stock by the UN's mid-year population of the same year, times "
    "1,000. For 2024 and 2025 the denominator is the UN medium-variant projection, and each such row "
    "says so."
)
_WPP = (
    "UN World Population Prospects numbers are modelled: the UN reconciles them with censuses instead "
    "of reading them from migration registers, so single years can contradict national statistics "
    "(Russia's 1992 is a net loss of over a million in WPP, a net gain in Russian registration data), "
    "while multi-year totals agree better."
)
_WPP_SPLIT = (
    "Estimates stop in 2023. The medium-variant projections for 2024 and 2025 are separate indicators in "
    "the data table, never drawn on the map and never mixed into the estimates; Ukraine's projection "
    "assumes large net returns."
)
_FH_YEARS = (
    "Rows are dated by the year assessed: the Freedom in the World edition published in year N rates "
    "year N−1."
)
_FH_2025 = (
    "The 2025 values (edition 2026) come from a copy of Freedom House's workbook made by a third party; "
    "they are marked provisional until checked against Freedom House's own file."
)
_VDEM_V16 = (
    "Version 16 (data to 2025) was transcribed second-hand and is provisional. Version 15 (to 2024) is "
    "kept as separate indicators in the data table; V-Dem revises earlier years between versions, so the "
    "two can differ before 2024 as well."
)
_MEMBERSHIP_RULE = (
    "Each state gets one status per organisation and year: the one in force on 31 December of that "
    f"year (for {AS_OF.year}, still running, on {AS_OF:%d %B %Y}). A year that no curated spell covers "
    "takes the organisation's default, usually 'not a member'. Georgia's exit from the CIS took effect "
    "on 18 August 2009, so 2009 already shows it as withdrawn."
)
_MEMBERSHIP_DATES = (
    "Spells start and end on the day a step took legal effect. Signatures awaiting ratification, "
    "announcements and disagreements between sources are explained in the notes of each spell, and "
    "every status names its own source."
)

# Caveats by layer id (in addition to the catalogue's description).
LAYER_CAVEATS: dict[str, list[str]] = {
    "refugees_hosted": [
        _UNHCR_ZEROS, _UNHCR_1990S,
        "Three sharp drops are changes of category, not departures: Azerbaijan 1999→2000 (refugees of "
        "Azerbaijani ethnicity from Armenia reclassified), Armenia 2005→2010 (naturalisation and "
        "reclassification) and Russia 2023→2024 (a reporting change; the 2022–23 figures were mostly "
        "Ukrainians).",
    ],
    "refugees_origin": [
        _UNHCR_ZEROS,
        "Refugees recorded as of Russian origin up to 1991 in practice stand for the Soviet Union as a "
        "whole.",
    ],
    "asylum_seekers_hosted": [_UNHCR_ZEROS, _UNHCR_1990S],
    "stateless": [
        _UNHCR_ZEROS,
        "Latvia's and Estonia's 'non-citizens' appear only from 2004, when UNHCR began counting stateless "
        "people; the zeros before are gaps in reporting, not an absence of stateless people.",
    ],
    "idps": [
        _UNHCR_ZEROS,
        "IDMC's conflict figures start in 2009 and exist for nine of the fifteen states; the 1990s rest on "
        "UNHCR's own IDP counts (Azerbaijan, Georgia, Russia, Tajikistan, Armenia). Each value names the "
        "source it came from.",
    ],
    "net_migration": [_WPP, _WPP_SPLIT],
    "net_migration_rate": [_WPP, _WPP_SPLIT],
    "population": [
        "UN mid-year (1 July) population estimates; the same series is the denominator of every "
        "per-1,000 rate. " + _WPP_SPLIT,
    ],
    "vdem_row": [_VDEM_V16],
    "vdem_polyarchy": [_VDEM_V16],
    "vdem_libdem": ["Taken from version 15, so the series ends in 2024; no version 16 values were obtained."],
    "fh_status": [_FH_YEARS, _FH_2025],
    "fh_pr": [_FH_YEARS, _FH_2025],
    "fh_cl": [_FH_YEARS, _FH_2025],
    "fh_total": [
        _FH_YEARS,
        "Aggregate 0–100 scores were published from the 2013 edition on, so the layer covers 2012–2024; "
        "no provisional 2025 score is shown.",
    ],
    "polity2": [
        "Polity5 is no longer updated: the series ends in 2018, and later years show as No data.",
        "Russia has no 1991 value, because Polity assigns that year to the USSR.",
    ],
}


_MEMBERSHIP_SHORT = "One status per year: the one in force on 31 December (see 'Reading the atlas' above)."


def _caveats(data: AtlasData, layer: dict[str, Any]) -> list[str]:
    if data.is_membership(layer["id"]):
        return [_MEMBERSHIP_SHORT, _MEMBERSHIP_DATES]
    if layer.get("per_1000_of"):
        return [_PER_1000, *LAYER_CAVEATS.get(layer["per_1000_of"], [])[:1]]
    return LAYER_CAVEATS.get(layer["id"], [])


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
            html.Li([html.Strong("Memberships. "), _MEMBERSHIP_RULE]),
            html.Li([html.Strong("Missing is not zero. "),
                     "A state-year without a published value is shown as No data and left out of the tables. "
                     "A zero that a publisher printed stays zero, with a note where it may mean 'not "
                     "reported'."]),
            html.Li([html.Strong("Years. "),
                     "Every layer is dated by the calendar year it describes. Stocks (refugees, IDPs, "
                     "stateless people) are counted at 31 December; population on 1 July; Freedom House by "
                     "the year assessed (edition year minus one)."]),
            html.Li([html.Strong("Estimates and projections. "),
                     "Modelled estimates (UN WPP, to 2023) and projections (2024–2025) are kept in separate "
                     "indicators; the map shows estimates only."]),
            html.Li([html.Strong("Provisional values. "),
                     "V-Dem version 16 and Freedom House's 2026 edition were copied second-hand; their rows "
                     "say so in the note column of every download."]),
        ]),
        html.H3("Layers"),
        *layer_entries(data),
        html.H3("Boundaries"),
        *boundary_section(data),
        html.H3("Reference book"),
        *book_section(data),
        html.H3("Sources"),
        *source_entries(data),
    ])
