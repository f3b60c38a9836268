"""Downloads for analysts: the current map view, a filtered long table, the whole dataset.

Pure functions (no Dash): the data tab and the download menu call them, and the tests compare
every file they produce with the frame it claims to contain.

Every table here is a filter of the published table of values (``AtlasData.values``, written
by the pipeline), in the columns of ``VIEW_COLUMNS``: one row per state, year and indicator.
``label`` is the indicator's label; ``category``/``category_label`` carry the class of a
categorical value (for membership layers: the status id and its label, with ``value`` empty);
``source`` is the short name of the source (for memberships: the source of the spell in force)
and ``note`` the row's notes joined by "; " (for memberships: the legal basis of the status).
Rules and caveats come from the published catalogue (``AtlasData.rules``, each layer's
``caveats``), written once in ``data/sources/curated/rules.yaml``.

All outputs are deterministic: the same data (and, for the XLSX, the same export date) give the
same bytes (fixed timestamps in the XLSX and the zip, entries sorted).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import textwrap
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from dashboard.core.config import AS_OF, FIRST_YEAR, GEODATA_DIR, ISO3, LAST_YEAR, PROCESSED_DIR, REGIONS
from dashboard.core.data import NOTE_JOIN, AtlasData

VIEW_COLUMNS: tuple[str, ...] = (
    "iso3", "country", "year", "indicator", "label", "value", "category", "category_label", "unit",
    "source", "source_id", "licence", "note",
)
NUMERIC_COLUMNS: tuple[str, ...] = ("year", "value")
TEXT_COLUMNS: tuple[str, ...] = tuple(c for c in VIEW_COLUMNS if c not in NUMERIC_COLUMNS)
NO_DATA_LABEL = "No data"  # the legend's label for a state without a value (as on the map)
MEMBERSHIP_SOURCE_ID = "atlas_memberships"

# The timestamp of the dataset zip's entries: the atlas's reference date (the zip holds the
# published files as they are). An XLSX says the day it was exported (``to_xlsx_bytes``).
EXPORT_TIMESTAMP = dt.datetime(AS_OF.year, AS_OF.month, AS_OF.day, 0, 0, 0)
_ZIP_DATE = (AS_OF.year, AS_OF.month, AS_OF.day, 0, 0, 0)

PRESET_ALL = "all"
PRESET_MEMBERS = "members"
_REGION_LABELS: dict[str, str] = {
    "baltic": "Baltic states",
    "south_caucasus": "South Caucasus",
    "central_asia": "Central Asia",
    "eastern_europe": "Eastern Europe",
}

COLUMN_NOTES: dict[str, str] = {
    "iso3": "ISO 3166-1 alpha-3 code of the state",
    "country": "English short name of the state",
    "year": "calendar year the row describes (Freedom House: the year assessed, i.e. edition minus one)",
    "indicator": "indicator id (membership layers: the organisation's id)",
    "label": "the indicator's name",
    "value": "the published number; empty for codes (membership statuses, Freedom House status) and missing values",
    "category": "class id of a categorical value (membership status id, FH status, V-Dem regime, FH rating)",
    "category_label": "the class's label as in the map legend ('No data' where the state has no value)",
    "unit": "unit of value (persons, per 1,000 population, index, rating, status)",
    "source": "short name of the source (membership rows: the source cited for the status in force)",
    "source_id": "key into the sources sheet / sources.csv",
    "licence": "licence of the source, in short",
    "note": "the row's notes, '; '-separated (published zero, provisional, projected denominator, series "
            "break, change of source); membership rows: legal basis",
}


# --------------------------------------------------------------------------- rows

def _text_frame(columns: dict[str, Any]) -> pd.DataFrame:
    """A frame with the view's columns and dtypes: text as str, year int64, value float64."""
    frame = pd.DataFrame(columns, columns=list(VIEW_COLUMNS))
    for col in TEXT_COLUMNS:
        frame[col] = frame[col].fillna("").astype(str)
    frame["year"] = frame["year"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    return frame


def layer_rows(data: AtlasData, layer_id: str) -> pd.DataFrame:
    """Every row of one indicator or membership layer (all states, all years), sorted by state
    (``ISO3`` order) then year. Computed once per layer and kept in ``data.cache``."""
    if layer_id not in data.indicators:
        raise KeyError(f"unknown indicator {layer_id!r}")
    key = ("download_rows", layer_id)
    if key not in data.cache:
        data.cache[key] = _build_layer_rows(data, layer_id)
    return data.cache[key]


def _build_layer_rows(data: AtlasData, layer_id: str) -> pd.DataFrame:
    layer = data.indicators[layer_id]
    rows = data.layer_values(layer_id)
    frame = _text_frame({
        "iso3": rows["iso3"], "country": rows["iso3"].map(data.names_en), "year": rows["year"],
        "indicator": layer_id, "label": layer["label"], "value": rows["value"],
        "category": rows["category"],
        "category_label": [lab if cat else "" for cat, lab in zip(rows["category"], rows["label"], strict=True)],
        "unit": rows["unit"], "source": rows["source"], "source_id": rows["source_id"],
        "licence": rows["licence"], "note": [NOTE_JOIN.join(n) for n in rows["notes"]],
    })
    order = {iso3: i for i, iso3 in enumerate(ISO3)}
    frame = frame.assign(_o=frame["iso3"].map(order)).sort_values(["_o", "year"], kind="stable")
    return frame.drop(columns="_o").reset_index(drop=True)


def _countries(countries: Iterable[str] | None) -> list[str]:
    """The requested states in ``ISO3`` order (None = all 15); unknown codes are refused."""
    if countries is None:
        return list(ISO3)
    wanted = {c.upper() for c in countries}
    unknown = wanted - set(ISO3)
    if unknown:
        raise ValueError(f"unknown state codes: {', '.join(sorted(unknown))}")
    return [c for c in ISO3 if c in wanted]


def view_rows(data: AtlasData, layer_id: str, year: int, countries: Iterable[str] | None = None) -> pd.DataFrame:
    """The map's view of one layer and year: one row per state (all 15 unless ``countries``), in
    ``ISO3`` order. A state without a value gets a row with an empty value and the legend's
    'No data' label, as on the map."""
    layer = data.indicators.get(layer_id)
    if layer is None:
        raise KeyError(f"unknown indicator {layer_id!r}")
    year = int(year)
    rows = layer_rows(data, layer_id)
    rows = rows[rows["year"] == year].set_index("iso3", drop=False)
    out: list[dict[str, Any]] = []
    for iso3 in _countries(countries):
        if iso3 in rows.index:
            out.append(rows.loc[iso3].to_dict())
        else:
            out.append({"iso3": iso3, "country": data.names_en[iso3], "year": year, "indicator": layer_id,
                        "label": layer["label"], "value": math.nan, "category": "",
                        "category_label": NO_DATA_LABEL, "unit": layer["unit"], "source": "",
                        "source_id": "", "licence": "", "note": ""})
    if not out:
        return _text_frame({c: [] for c in VIEW_COLUMNS})
    return _text_frame({c: [r[c] for r in out] for c in VIEW_COLUMNS})


def table_rows(data: AtlasData, indicators: Sequence[str], countries: Iterable[str] | None,
               year_from: int, year_to: int) -> pd.DataFrame:
    """A long table of several indicators (membership layers included): the rows that exist for
    the given states (None = all 15) from ``year_from`` to ``year_to`` inclusive, by indicator
    (in the order given), state (``ISO3`` order) and year. Missing values are absent."""
    ids = list(dict.fromkeys(indicators))
    unknown = [i for i in ids if i not in data.indicators]
    if unknown:
        raise KeyError(f"unknown indicators: {', '.join(unknown)}")
    lo, hi = int(year_from), int(year_to)
    states = set(_countries(countries))
    parts = []
    for ind in ids:
        rows = layer_rows(data, ind)
        parts.append(rows[rows["iso3"].isin(states) & rows["year"].between(lo, hi)])
    if not parts:
        return _text_frame({c: [] for c in VIEW_COLUMNS})
    return pd.concat(parts, ignore_index=True)


WIDE_KEYS: tuple[str, ...] = ("indicator", "label", "unit", "iso3", "country")


def wide_rows(data: AtlasData, indicators: Sequence[str], countries: Iterable[str] | None,
              year_from: int, year_to: int) -> pd.DataFrame:
    """The same selection as ``table_rows`` as a wide table: one row per indicator and state (all
    requested states, in ``ISO3`` order, even without data), one column per year from
    ``year_from`` to ``year_to``. A cell holds the number, or for a code the category's label;
    empty where there is no value. Sources and notes are in the long table."""
    lo, hi = int(year_from), int(year_to)
    long = table_rows(data, indicators, countries, lo, hi)
    years = [str(y) for y in range(lo, hi + 1)]
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    for r in long.itertuples(index=False):
        v = r.value
        has_num = not (v is None or (isinstance(v, float) and math.isnan(v)))
        cells.setdefault((r.indicator, r.iso3), {})[str(int(r.year))] = (
            _number_text(v) if has_num else (r.category_label or r.category or ""))
    rows = []
    for ind in dict.fromkeys(indicators):
        layer = data.indicators[ind]
        for iso3 in _countries(countries):
            got = cells.get((ind, iso3), {})
            rows.append([ind, layer["label"], layer["unit"], iso3, data.names_en[iso3],
                         *[got.get(y, "") for y in years]])
    return pd.DataFrame(rows, columns=[*WIDE_KEYS, *years], dtype=object)


def wide_to_csv_bytes(df: pd.DataFrame) -> bytes:
    """A wide table as UTF-8 CSV (cells are already text)."""
    return df.to_csv(index=False, lineterminator="\n").encode("utf-8")


# --------------------------------------------------------------------------- file names

def filename(layer: str, year: int, ext: str) -> str:
    """The download name of a view: ``atlas_cis_1995.csv``."""
    return f"atlas_{layer}_{int(year)}.{ext.lstrip('.')}"


def table_filename(indicators: Sequence[str], year_from: int, year_to: int, ext: str) -> str:
    """The download name of a table: ``atlas_cis-csto_1991-2026.xlsx`` (more than three
    indicators: ``atlas_5_indicators_1991-2026.xlsx``)."""
    ids = list(dict.fromkeys(indicators))
    part = "-".join(ids) if 0 < len(ids) <= 3 else f"{len(ids)}_indicators"
    years = f"{int(year_from)}" if int(year_from) == int(year_to) else f"{int(year_from)}-{int(year_to)}"
    return f"atlas_{part}_{years}.{ext.lstrip('.')}"


def dataset_filename() -> str:
    return f"atlas_dataset_{AS_OF.isoformat()}.zip"


# --------------------------------------------------------------------------- CSV

def _number_text(value: Any) -> str:
    """A value as CSV text that reads back to the same float: integral numbers without '.0'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    v = float(value)
    if v.is_integer() and abs(v) < 2**53:
        return str(int(v))
    return repr(v)


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV (no BOM, ``\\n`` line ends), the frame's columns in order; empty cells for
    missing values."""
    out = df.copy()
    if "value" in out.columns:
        out["value"] = [_number_text(v) for v in out["value"]]
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")


# --------------------------------------------------------------------------- XLSX

def _cell(value: Any) -> Any:
    """A frame value as an openpyxl cell value: NaN and '' become empty cells, numbers plain."""
    if value is None:
        return None
    if isinstance(value, str):
        return value or None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if hasattr(value, "item"):  # numpy scalars
        return _cell(value.item())
    return value


def sources_used(df: pd.DataFrame, data: AtlasData, extra: Iterable[str] = ()) -> pd.DataFrame:
    """The rows of the sources catalogue behind a table (its ``source_id`` values and ``extra``),
    sorted by id."""
    ids = set(df["source_id"]) if "source_id" in df.columns else set()
    ids |= set(extra)
    ids.discard("")
    src = data.sources[data.sources["source_id"].isin(ids)].sort_values("source_id", kind="stable")
    return src.reset_index(drop=True)


def _rule(data: AtlasData, key: str) -> str:
    return data.rules.get(key, "")


def _notes(df: pd.DataFrame, data: AtlasData, title: str, exported_on: dt.date) -> list[tuple[str, str]]:
    notes: list[tuple[str, str]] = [
        ("Title", title),
        ("Exported on", exported_on.isoformat()),
        ("Data as of", f"{AS_OF.isoformat()} (the atlas's reference date)"),
        ("Data version", data.data_version),
        ("Rows", f"{len(df)}"),
    ]
    ids = list(dict.fromkeys(df["indicator"])) if "indicator" in df.columns else []
    for ind_id in ids:
        ind = data.indicators.get(ind_id)
        if ind is None:
            continue
        notes.append((f"Layer: {ind['label']}",
                      f"{ind['description']} Unit: {ind['unit']}. Source: {ind['source_short']}. "
                      f"Licence: {ind['licence']}."))
        if ind.get("caveats"):
            notes.append((f"Caveats: {ind['label']}", " ".join(ind["caveats"])))
    notes += [
        ("Membership years", _rule(data, "membership_year")),
        ("Freedom House years", _rule(data, "freedom_house_years")),
        ("Missing values", _rule(data, "missing")),
        ("Notes", _rule(data, "notes")),
        ("Licences", "Each value keeps the licence of its source (sheet 'sources'). Cite the sources, "
                     "and the atlas for the membership history and the events."),
    ]
    notes += [(f"Column: {col}", COLUMN_NOTES.get(col, "")) for col in df.columns]
    return notes


def _fixed_zip(raw: bytes, date_time: tuple[int, int, int, int, int, int] = _ZIP_DATE) -> bytes:
    """A zip archive rewritten with every entry's timestamp set to ``date_time`` (order and
    content unchanged), so equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=date_time)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def to_xlsx_bytes(df: pd.DataFrame, data: AtlasData, title: str, exported_on: dt.date | None = None) -> bytes:
    """An Excel workbook: sheet 'data' (the frame, header row first), 'sources' (citation,
    licence and URL of every source the rows use) and 'notes' (layer descriptions and caveats,
    the year rules, the export date, the data version). ``exported_on`` (default: today, UTC) is
    the date the notes and the file's properties give; the same frame and date give the same
    bytes."""
    if exported_on is None:
        exported_on = dt.datetime.now(dt.UTC).date()
    stamp = dt.datetime(exported_on.year, exported_on.month, exported_on.day, 0, 0, 0)
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.writer.excel import ExcelWriter

    bold = Font(bold=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "data"
    columns = list(df.columns)
    ws.append(columns)
    for row in df.itertuples(index=False, name=None):
        ws.append([_cell(v) for v in row])
    for cell in ws[1]:
        cell.font = bold
    ws.freeze_panes = "A2"
    widths = {"iso3": 6, "country": 14, "year": 7, "indicator": 24, "label": 36, "value": 14, "category": 18,
              "category_label": 36, "unit": 18, "source": 40, "source_id": 28, "licence": 24, "note": 50}
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = widths.get(col, 16)

    src = sources_used(df, data)
    ws_src = wb.create_sheet("sources")
    src_cols = ("source_id", "short_name", "citation", "title", "publisher", "version", "license",
                "license_short", "url")
    ws_src.append(["source_id", "short_name", "citation", "title", "publisher", "version", "licence",
                   "licence_short", "url"])
    for row in src.itertuples(index=False):
        ws_src.append([_cell(getattr(row, c)) for c in src_cols])
    for cell in ws_src[1]:
        cell.font = bold
    for letter, width in zip("ABCDEFGHI", (28, 30, 70, 50, 36, 24, 40, 24, 50), strict=True):
        ws_src.column_dimensions[letter].width = width

    ws_notes = wb.create_sheet("notes")
    ws_notes.append(["item", "text"])
    for item, text in _notes(df, data, title, exported_on):
        ws_notes.append([item, text])
    for cell in ws_notes[1]:
        cell.font = bold
    ws_notes.column_dimensions["A"].width = 34
    ws_notes.column_dimensions["B"].width = 120
    for (cell,) in ws_notes.iter_rows(min_row=2, min_col=2, max_col=2):
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    wb.properties.title = title
    wb.properties.creator = "Atlas of the former Soviet space"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    raw = io.BytesIO()
    # ExcelWriter directly: openpyxl's save_workbook would stamp 'modified' with the current time.
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    return _fixed_zip(raw.getvalue(), (stamp.year, stamp.month, stamp.day, 0, 0, 0))


# --------------------------------------------------------------------------- GeoJSON

def _json_value(value: Any) -> Any:
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def to_geojson_bytes(df: pd.DataFrame, data: AtlasData) -> bytes:
    """The states of the frame (one row each) as a GeoJSON FeatureCollection in the frame's
    order: our own geometry from ``data.states_geo`` (exterior rings clockwise, as d3 draws
    them; readers accept either winding), the row's columns as properties (missing → null)
    plus ``name_ru``."""
    if df["iso3"].duplicated().any():
        raise ValueError("a GeoJSON view needs one row per state")
    geo = {f["properties"]["iso3"]: f for f in data.states_geo["features"]}
    features = []
    for row in df.to_dict("records"):
        feat = geo[row["iso3"]]
        props = {k: _json_value(v) for k, v in row.items()}
        props["name_ru"] = feat["properties"].get("name_ru", "")
        features.append({"type": "Feature", "id": row["iso3"], "properties": props,
                         "geometry": feat["geometry"]})
    doc = {"type": "FeatureCollection", "features": features}
    return json.dumps(doc, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


# --------------------------------------------------------------------------- the whole dataset

FILE_NOTES: dict[str, str] = {
    "observations.csv": "the table of values: every value of every layer (membership statuses included), one "
                        "row per state, year and layer (iso3, year, indicator, value, category, class, label, "
                        "unit, source_id, source, licence, notes; notes ' | '-separated)",
    "indicators.json": "the indicator catalogue: labels, units, legend classes and breaks, sources, "
                       "licence, description, caveats, years covered; and the rules",
    "organisations.json": "the regional organisations and the statuses a state can hold in each",
    "memberships.csv": "the curated membership spells with start and end dates, legal basis, source and URL",
    "events.csv": "dated events in our own words, each with its source",
    "flows.csv": "UNHCR origin->asylum pairs in which one side is one of the 15 states (year, origin_iso3, "
                 "origin_name, asylum_iso3, asylum_name, population_type, value, source_id); non-zero values "
                 "only; UNK = unknown origin, XXA = stateless (see 'flows' in indicators.json)",
    "sources.csv": "the sources catalogue: title, publisher, version, URL, licence, citation, what it feeds",
    "manifest.json": "the data version, SHA-256 of every input and output of the build, row counts, "
                     "and the stages (snapshots, tidy steps, publish)",
    "successor_states.geojson": "the 15 states on internationally recognised borders (Crimea in Ukraine)",
    "context.geojson": "neighbouring countries, drawn grey behind the states",
    "contested.geojson": "contested territories with the years they apply (year_from, year_to), an "
                         "'approximate' flag and a neutral status note",
    "layers_meta.json": "how the boundary layers were simplified, their sizes, hashes and sources",
}


def _dataset_files() -> list[tuple[str, bytes]]:
    """(name in the archive, bytes) of every processed table and boundary layer."""
    files = [(f"data/processed/{p.name}", p.read_bytes()) for p in sorted(PROCESSED_DIR.iterdir()) if p.is_file()]
    files += [(f"geodata/{p.name}", p.read_bytes()) for p in sorted(GEODATA_DIR.glob("*.geojson"))]
    meta = GEODATA_DIR / "layers_meta.json"
    if meta.is_file():
        files.append(("geodata/layers_meta.json", meta.read_bytes()))
    return files


def citation_table(data: AtlasData) -> pd.DataFrame:
    """Every source with what to cite: id, short name, citation, version, licence, URL and the
    indicators it feeds."""
    src = data.sources
    return pd.DataFrame({
        "source_id": src["source_id"], "short_name": src["short_name"], "citation": src["citation"],
        "version": src["version"], "licence": src["license"], "licence_short": src["license_short"],
        "url": src["url"], "feeds": src["feeds"],
    }).sort_values("source_id", kind="stable").reset_index(drop=True)


def dataset_readme(data: AtlasData, names: Sequence[str]) -> str:
    lines = [
        "Atlas of the former Soviet space - dataset",
        "=" * 42,
        "",
        f"Data as of {AS_OF.isoformat()} (the atlas's reference date), data version {data.data_version}.",
        "This archive holds every table the",
        "atlas loads and the boundary layers it draws, exactly as they are in the atlas's repository",
        f"(same paths, same bytes). It covers the 15 successor states of the USSR, {FIRST_YEAR}-{LAST_YEAR}.",
        "",
        "Files",
        "-----",
    ]
    for name in names:
        base = name.rsplit("/", 1)[-1]
        note = "this file" if name == "README.txt" else (
            "one line per source: what to cite, the licence and the URL" if name == "sources.csv"
            else FILE_NOTES.get(base, "see data/README.md in the repository"))
        lines.append(f"  {name}")
        lines += textwrap.wrap(note, 96, initial_indent="      ", subsequent_indent="      ",
                               break_on_hyphens=False)
    lines += [
        "",
        "Reading the tables",
        "------------------",
    ]
    for paragraph in (
        "Units are in indicators.json: counts are persons, *_per_1000 are per 1,000 residents (end-year "
        "stock divided by the UN 1 July population), indices and ratings as published.",
        _rule(data, "missing"),
        _rule(data, "membership_year"),
        _rule(data, "freedom_house_years"),
        _rule(data, "notes"),
        "UN WPP net migration and population are modelled estimates for 1991-2023; the 2024-2025 "
        "medium-variant projections are separate indicators (*_projection) and are never mixed in.",
        "flows.csv holds the UNHCR pairs as published (persons, end-year stocks; returned_refugees: during "
        "the year). A pair missing in a year means no record or zero. UNK and XXA are UNHCR's codes for an "
        "unknown origin and for stateless people, not countries.",
        "V-Dem version 16 rows (vdem_row, vdem_polyarchy) were transcribed second-hand and are provisional; "
        "version 15 is kept as separate indicators. Polity5 ends in 2018.",
        "The GeoJSON layers use WGS84 longitude/latitude. Exterior rings run clockwise (the d3-geo "
        "convention used by the map); GIS readers accept them.",
    ):
        lines += [*textwrap.wrap(paragraph, 96, break_on_hyphens=False), ""]
    lines += [
        "Licences",
        "--------",
        *textwrap.wrap("Each value keeps the licence of its source; the source of each value is in its "
                       "source_id column. Our own compilations (membership history, events, indicator "
                       "catalogue) are CC BY 4.0; the boundaries are Natural Earth (public domain). In short:", 96,
                       break_on_hyphens=False),
    ]
    for row in citation_table(data).itertuples(index=False):
        lines.append(f"  {row.short_name} ({row.source_id}): {row.licence_short}")
    lines.append("")
    return "\n".join(lines)


def _zip_entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def dataset_zip_bytes(data: AtlasData) -> bytes:
    """The whole dataset as a zip: every file of data/processed and geodata's layers (same paths
    and bytes as in the repository), README.txt and sources.csv (the citation table). Entries
    sorted by name, fixed timestamps: the same data give the same bytes. Built once per process."""
    key = ("download_dataset_zip",)
    if key in data.cache:
        return data.cache[key]
    files = dict(_dataset_files())
    files["sources.csv"] = to_csv_bytes(citation_table(data))
    names = sorted([*files, "README.txt"])
    files["README.txt"] = dataset_readme(data, names).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in names:
            zf.writestr(_zip_entry(name), files[name])
    body = out.getvalue()
    data.cache[key] = body
    return body


# --------------------------------------------------------------------------- country presets

def country_presets(data: AtlasData) -> list[tuple[str, str]]:
    """(id, label) of the country presets: all 15, the regional groups of ``config.REGIONS``, and
    'members of an organisation in a year' (resolved with ``members_preset_id``)."""
    presets = [(PRESET_ALL, f"All {len(ISO3)} states")]
    presets += [(rid, _REGION_LABELS.get(rid, rid.replace("_", " ").capitalize())) for rid in REGIONS]
    if data.orgs:
        presets.append((PRESET_MEMBERS, "Members of an organisation in a year…"))
    return presets


def members_preset_id(org: str, year: int) -> str:
    return f"{PRESET_MEMBERS}:{org}:{int(year)}"


def members_of(data: AtlasData, org: str, year: int) -> list[str]:
    """The states whose status in ``org`` in ``year`` counts as membership (the catalogue's
    ``member`` flag of the status; year rule: status in force on 31 December), in ISO3 order."""
    if org not in data.orgs:
        raise KeyError(f"unknown organisation {org!r}")
    year = int(year)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"year must be from {FIRST_YEAR} to {LAST_YEAR}, got {year}")
    member = {c["id"] for c in data.indicators[org]["classes"] if c.get("member")}
    st = data.status
    rows = st[(st["org"] == org) & (st["year"] == year) & st["status"].isin(member)]
    found = set(rows["iso3"])
    return [c for c in ISO3 if c in found]


def resolve_preset(data: AtlasData, preset_id: str) -> list[str]:
    """The states of a preset, in ISO3 order: ``all``, a region id of ``config.REGIONS``, or
    ``members:<org>:<year>``."""
    if not isinstance(preset_id, str):
        raise KeyError(f"unknown country preset {preset_id!r}")
    if preset_id == PRESET_ALL:
        return list(ISO3)
    if preset_id in REGIONS:
        wanted = set(REGIONS[preset_id])
        return [c for c in ISO3 if c in wanted]
    if preset_id.startswith(PRESET_MEMBERS + ":"):
        parts = preset_id.split(":")
        usage = f"a members preset reads members:<org>:<year>, got {preset_id!r}"
        if len(parts) != 3:
            raise ValueError(usage)
        try:
            year = int(parts[2])
        except ValueError as exc:
            raise ValueError(usage) from exc
        return members_of(data, parts[1], year)
    raise KeyError(f"unknown country preset {preset_id!r}")
