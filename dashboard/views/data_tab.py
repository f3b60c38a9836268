"""The data tab: choose indicators, states and years, see the rows in a table (sort, filter,
pages) and download exactly those rows as CSV or XLSX, or the whole dataset as a zip.

The controls and the downloads are Dash components (this module), rendered the first time the
tab opens. The row-count line and the table are the browser renderer's: it fetches the rows of
the view state's selection (dashboard/views/table.py) and draws them (assets/atlas/table.js).
The table and the downloads come from the same function (``downloads.table_rows``), so a file
always holds the rows the controls select. Sorting and filtering in the table only change what
it shows; the row count line says so.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import ClientsideFunction, Dash, Input, Output, State, ctx, dcc, html, no_update

from dashboard.core.config import DEFAULT_YEAR, FIRST_YEAR, ISO3, LAST_YEAR
from dashboard.core.data import AtlasData
from dashboard.export import downloads
from dashboard.ids import DATA as IDS
from dashboard.ids import DATA_REQ, META

DEFAULT_INDICATORS: tuple[str, ...] = ("cis",)
PAGE_SIZE = 50


HEADERS = {
    "iso3": "ISO3", "country": "Country", "year": "Year", "indicator": "Indicator id", "label": "Indicator",
    "value": "Value", "category": "Category", "category_label": "Category / status", "unit": "Unit",
    "source": "Source", "source_id": "Source id", "licence": "Licence", "note": "Note",
}


def indicator_options(data: AtlasData) -> list[dict[str, Any]]:
    """Every indicator (membership layers included), grouped under disabled headings as in the
    map's layer selector; per-1,000 twins and projections follow their group."""
    opts: list[dict[str, Any]] = []
    for g in data.groups:
        members = [i for i in data.indicators.values() if i["group"] == g["id"]]
        if not members:
            continue
        opts.append({"label": g["label"].upper(), "value": f"__group_{g['id']}", "disabled": True})
        opts += [{"label": i["label"], "value": i["id"]} for i in members]
    return opts


def _strings(values: Any) -> list[str]:
    """The text items of a control's value (a string or a list; anything else counts as empty)."""
    if isinstance(values, str):
        return [values]
    if isinstance(values, (list, tuple)):
        return [v for v in values if isinstance(v, str)]
    return []


def _valid_indicators(data: AtlasData, values: Any) -> list[str]:
    return list(dict.fromkeys(v for v in _strings(values) if v in data.indicators))


def _valid_countries(values: Any) -> list[str]:
    wanted = set(_strings(values))
    return [c for c in ISO3 if c in wanted]


def _valid_years(values: Any) -> tuple[int, int]:
    """A [from, to] pair clamped to the atlas's years (the whole span if it is not a pair of numbers)."""
    if not isinstance(values, (list, tuple)) or len(values) != 2:
        return FIRST_YEAR, LAST_YEAR
    try:
        lo, hi = (int(v) for v in values)
    except (TypeError, ValueError, OverflowError):
        return FIRST_YEAR, LAST_YEAR
    lo, hi = min(lo, hi), max(lo, hi)
    return min(max(lo, FIRST_YEAR), LAST_YEAR), max(min(hi, LAST_YEAR), FIRST_YEAR)


def selected_rows(data: AtlasData, indicators: Any, countries: Any, years: Any) -> pd.DataFrame:
    """The table the controls select (tolerant of empty or stale control values)."""
    lo, hi = _valid_years(years)
    return downloads.table_rows(data, _valid_indicators(data, indicators), _valid_countries(countries), lo, hi)


def row_count_text(data: AtlasData, frame: pd.DataFrame, indicators: Any, countries: Any, years: Any) -> str:
    n_ind = len(_valid_indicators(data, indicators))
    n_c = len(_valid_countries(countries))
    lo, hi = _valid_years(years)
    span = f"{lo}" if lo == hi else f"{lo}–{hi}"
    if n_ind == 0 or n_c == 0:
        return "0 rows: choose at least one indicator and one state."
    return (f"{len(frame):,} rows · {n_ind} indicator{'s' if n_ind != 1 else ''} · "
            f"{n_c} of {len(ISO3)} states · {span}. Sorting and filtering in the table change only "
            f"what it shows; CSV and XLSX contain all {len(frame):,} rows.")


def table_title(data: AtlasData, indicators: Any, countries: Any, years: Any) -> str:
    ids = _valid_indicators(data, indicators)
    labels = ", ".join(data.indicators[i]["short_label"] for i in ids[:4]) + (" …" if len(ids) > 4 else "")
    n_c = len(_valid_countries(countries))
    lo, hi = _valid_years(years)
    states = f"all {len(ISO3)} states" if n_c == len(ISO3) else f"{n_c} states"
    return f"Atlas of the former Soviet space: {labels}; {states}; {lo}–{hi}"


def _selection(data: AtlasData, req: dict[str, Any]) -> tuple[list[str], list[str], list[int]]:
    """The (indicators, countries, [from, to]) of a data-req (the view state's data selection)."""
    indicators = _valid_indicators(data, req.get("indicators")) or \
        [i for i in DEFAULT_INDICATORS if i in data.indicators] or list(data.indicators)[:1]
    countries = _valid_countries(req.get("countries")) if "countries" in req else list(ISO3)
    return indicators, countries, list(_valid_years([req.get("from"), req.get("to")]))


def wide_href(indicators: list[str], countries: list[str], years: list[int]) -> str:
    """The address of the wide table of a selection (dashboard/views/download_menu.py)."""
    return (f"/download/wide.csv?indicators={','.join(indicators)}&countries={','.join(countries)}"
            f"&from={years[0]}&to={years[1]}")


def intro() -> list[Any]:
    return [html.H2("Data table"),
            html.P("Pick indicators, states and years; the table lists every value with its source, licence and "
                   "notes. Download exactly these rows, or the whole dataset.", className="layer-description")]


def data_tab_placeholder() -> html.Div:
    """What the slot shows until the tab's controls are rendered (the first time the tab opens):
    the tab's heading, and a box of the controls' height, so the table below does not move."""
    return html.Div(className="data-tab data-tab-waiting", children=[
        *intro(),
        html.P("Loading the table's controls…", className="data-loading"),
    ])


def data_tab_rows(data: AtlasData, view: str) -> list[Any]:
    """The row-count line and the table's box, both the renderer's (assets/atlas/app.js fetches
    the selection's rows, dashboard/views/table.py, and draws them with assets/atlas/table.js);
    they are outside the slot, so they are drawn before the controls. When the address opens the
    tab, the line is the default selection's from the start (the page's largest text: it is
    painted with the page, not after the renderer's first fetch)."""
    text = None
    if view == "data":
        indicators, countries, years = _selection(data, {})
        text = row_count_text(data, selected_rows(data, indicators, countries, years), indicators, countries, years)
    return [html.P(id=IDS["count"], className="data-row-count", role="status", **{"aria-live": "polite"},
                   children=text),
            html.Div(id=IDS["table"], className="data-table")]


def data_tab_layout(data: AtlasData, req: dict[str, Any] | None = None) -> html.Section:
    """The tab's controls and downloads (ids in ``IDS``), set to the view state's selection."""
    indicators, countries, years = _selection(data, req or {})
    # every fifth year, without one that would crowd the last year's label
    marks = {y: {"label": str(y)} for y in range(FIRST_YEAR, LAST_YEAR + 1) if y % 5 == 0 and LAST_YEAR - y > 2}
    marks[FIRST_YEAR] = {"label": str(FIRST_YEAR)}
    marks[LAST_YEAR] = {"label": str(LAST_YEAR)}
    org_options = [{"label": o.get("short_name") or o["name"], "value": oid} for oid, o in data.orgs.items()]
    label_style = {"fontWeight": 600, "fontSize": "0.9rem", "display": "block", "margin": "0.6rem 0 0.3rem"}
    return html.Section(id="data-tab", className="data-tab", **{"aria-label": "Data table"}, children=[
        *intro(),
        html.Div(className="data-controls", children=[
            html.Label("Indicators", htmlFor=IDS["indicators"], style=label_style),
            # (no clear-all control: Dash draws it as a link without an address, which crawlers and
            # Lighthouse's SEO audit flag; values are removed one by one in the menu)
            dcc.Dropdown(id=IDS["indicators"], options=indicator_options(data), value=indicators, multi=True,
                         searchable=True, clearable=False, placeholder="Choose indicators…"),
            html.Label("States", htmlFor=IDS["countries"], style=label_style),
            dcc.Dropdown(id=IDS["preset"], placeholder="Choose a group of states…", clearable=True,
                         options=[{"label": lbl, "value": pid} for pid, lbl in downloads.country_presets(data)]),
            html.Div(id=IDS["members_box"], style={"display": "none", "margin": "0.4rem 0"}, children=[
                html.Label("Organisation", htmlFor=IDS["preset_org"], style=label_style),
                dcc.Dropdown(id=IDS["preset_org"], options=org_options,
                             value=org_options[0]["value"] if org_options else None, clearable=False),
                html.Label("Year", htmlFor=IDS["preset_year"], style=label_style),
                dcc.Input(id=IDS["preset_year"], type="number", min=FIRST_YEAR, max=LAST_YEAR, step=1,
                          value=DEFAULT_YEAR, debounce=True),
            ]),
            dcc.Dropdown(id=IDS["countries"], multi=True, value=countries, placeholder="Choose states…",
                         clearable=False,
                         options=[{"label": data.names_en[c], "value": c} for c in ISO3],
                         style={"marginTop": "0.4rem"}),
            html.Label("Years", htmlFor=IDS["years"], style=label_style),
            dcc.RangeSlider(id=IDS["years"], min=FIRST_YEAR, max=LAST_YEAR, step=1, value=years, marks=marks,
                            allowCross=False, tooltip={"placement": "bottom", "always_visible": False}),
        ]),
        html.Div(className="data-downloads", role="group", **{"aria-label": "Downloads"}, children=[
            html.Button("Download CSV", id=IDS["csv"], n_clicks=0, title="These rows as CSV"),
            " ",
            html.Button("Download XLSX", id=IDS["xlsx"], n_clicks=0,
                        title="These rows as an Excel workbook, with sources and notes sheets"),
            " ",
            html.Button("Whole dataset (zip)", id=IDS["zip"], n_clicks=0,
                        title="Every processed table and boundary layer, with a README and the sources"),
            " ",
            # the same selection as states × years (assets/atlas/app.js keeps its address current)
            html.A("Wide table (CSV, states × years)", id=IDS["wide"], className="download-link",
                   href=wide_href(indicators, countries, years),
                   title="These indicators and states with one column per year; sources are in the long table"),
        ]),
        dcc.Download(id=IDS["download_table"]),
        dcc.Download(id=IDS["download_dataset"]),
    ])


def register_data_tab(app: Dash, data: AtlasData) -> None:
    """The tab's server callbacks: presets → states, the three downloads (the table is the
    renderer's: dashboard/views/table.py)."""

    @app.callback(
        Output(IDS["countries"], "value"),
        Output(IDS["members_box"], "style"),
        Input(IDS["preset"], "value"),
        Input(IDS["preset_org"], "value"),
        Input(IDS["preset_year"], "value"),
        prevent_initial_call=True,
    )
    def apply_preset(preset: Any, org: Any, year: Any):
        members = preset == downloads.PRESET_MEMBERS
        style = {"display": "block" if members else "none", "margin": "0.4rem 0"}
        if not isinstance(preset, str) or not preset:
            return no_update, style
        if members:
            if not isinstance(org, str):
                return no_update, style
            try:
                preset = downloads.members_preset_id(org, int(year))
            except (TypeError, ValueError, OverflowError):
                return no_update, style
        elif ctx.triggered_id != IDS["preset"]:
            return no_update, style  # the organisation or year of the members preset changed
        try:
            return downloads.resolve_preset(data, preset), style
        except (KeyError, ValueError):
            return no_update, style

    @app.callback(
        Output(IDS["download_table"], "data"),
        Input(IDS["csv"], "n_clicks"),
        Input(IDS["xlsx"], "n_clicks"),
        State(DATA_REQ, "data"),
        prevent_initial_call=True,
    )
    def download_table(_csv: int, _xlsx: int, req: Any):
        # the rows of the view state's selection: the same as the grid and its row count
        indicators, countries, years = _selection(data, req if isinstance(req, dict) else {})
        frame = selected_rows(data, indicators, countries, years)
        lo, hi = _valid_years(years)
        if ctx.triggered_id == IDS["xlsx"]:
            body = downloads.to_xlsx_bytes(frame, data, table_title(data, indicators, countries, years))
            return dcc.send_bytes(body, downloads.table_filename(indicators, lo, hi, "xlsx"))
        return dcc.send_bytes(downloads.to_csv_bytes(frame), downloads.table_filename(indicators, lo, hi, "csv"))

    # the fields' values become actions on the view state (assets/atlas/app.js control)
    app.clientside_callback(ClientsideFunction("atlas", "controls"),
                            Output(META, "data", allow_duplicate=True),
                            Input(IDS["indicators"], "value"),
                            Input(IDS["countries"], "value"),
                            Input(IDS["years"], "value"),
                            prevent_initial_call=True)

    @app.callback(
        Output(IDS["download_dataset"], "data"),
        Input(IDS["zip"], "n_clicks"),
        prevent_initial_call=True,
    )
    def download_dataset(_n: int):
        return dcc.send_bytes(downloads.dataset_zip_bytes(data), downloads.dataset_filename())
