"""Downloads (no browser): every file equals the table it claims to hold; presets; the data table
filters exactly; the sources page covers every source and layer."""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import zipfile
from typing import Any

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
from dash import Dash
from pandas.testing import assert_frame_equal

from dashboard.core.config import AS_OF, GEODATA_DIR, ISO3, PROCESSED_DIR, REGIONS
from dashboard.core.data import get_data
from dashboard.export import downloads
from dashboard.views import data_tab, download_menu, sources_tab

VIEWS = [("cis", 1995), ("eu", 2004), ("refugees_hosted", 1995), ("refugees_hosted_per_1000", 2024),
         ("fh_status", 2025), ("fh_pr", 1991), ("vdem_polyarchy", 2010), ("net_migration_rate", 2000),
         ("polity2", 2020), ("stateless", 1995)]


@pytest.fixture(scope="module")
def data() -> Any:
    return get_data()


def build_app() -> Dash:
    """The atlas's app (its callbacks and routes, as deployed)."""
    from dashboard.web.app import create_app

    return create_app()


def read_csv(body: bytes) -> pd.DataFrame:
    """A download's CSV read back with the view's types: text as text (empty = ''), value float."""
    frame = pd.read_csv(io.BytesIO(body), dtype={c: str for c in downloads.TEXT_COLUMNS},
                        keep_default_na=False, na_values={"value": [""]})
    frame["value"] = frame["value"].astype("float64")
    return frame


def read_xlsx_sheet(body: bytes, sheet: str) -> list[list[Any]]:
    wb = openpyxl.load_workbook(io.BytesIO(body))
    return [list(r) for r in wb[sheet].iter_rows(values_only=True)]


def xlsx_frame(body: bytes) -> pd.DataFrame:
    rows = read_xlsx_sheet(body, "data")
    frame = pd.DataFrame(rows[1:], columns=rows[0])
    for col in downloads.TEXT_COLUMNS:
        frame[col] = frame[col].map(lambda v: "" if v is None or pd.isna(v) else str(v)).astype(str)
    frame["year"] = frame["year"].astype("int64")
    frame["value"] = frame["value"].map(lambda v: math.nan if v is None or pd.isna(v) else float(v)).astype("float64")
    return frame


def same_frame(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(got.columns) == list(expected.columns)
    assert len(got) == len(expected)
    assert_frame_equal(got.reset_index(drop=True), expected.reset_index(drop=True), check_dtype=False,
                       check_exact=True)


# --------------------------------------------------------------------------- view rows

@pytest.mark.parametrize(("layer", "year"), VIEWS)
def test_view_rows_one_row_per_state(data, layer: str, year: int) -> None:
    view = downloads.view_rows(data, layer, year)
    assert tuple(view.columns) == downloads.VIEW_COLUMNS
    assert list(view["iso3"]) == list(ISO3)
    assert (view["year"] == year).all() and (view["indicator"] == layer).all()
    assert (view["label"] == data.indicators[layer]["label"]).all()
    assert (view["unit"] == data.indicators[layer]["unit"]).all()
    assert list(view["country"]) == [data.names_en[c] for c in ISO3]


@pytest.mark.parametrize(("layer", "year"), [v for v in VIEWS if not get_data().is_membership(v[0])])
def test_view_rows_values_equal_observations(data, layer: str, year: int) -> None:
    view = downloads.view_rows(data, layer, year).set_index("iso3")
    obs = data.observations
    obs = obs[(obs["indicator"] == layer) & (obs["year"] == year)].set_index("iso3")
    for iso3 in ISO3:
        row = view.loc[iso3]
        if iso3 not in obs.index:
            assert math.isnan(row["value"]) and row["category"] == "" and row["source_id"] == ""
            assert row["category_label"] == downloads.NO_DATA_LABEL
            continue
        o = obs.loc[iso3]
        assert (math.isnan(row["value"]) and pd.isna(o["value"])) or row["value"] == o["value"]
        assert row["category"] == o["category"]
        assert row["source_id"] == o["source_id"]
        assert row["source"] == data.source_short[o["source_id"]]
        assert row["licence"] == data.source_licence[o["source_id"]]
        assert row["note"] == o["note"]
        if data.indicators[layer]["kind"] == "categorical":
            labels = {str(c["id"]): c["label"] for c in data.indicators[layer]["classes"]}
            assert row["category_label"] == labels[o["category"]]


def test_view_rows_membership_layer(data) -> None:
    view = downloads.view_rows(data, "cis", 1995).set_index("iso3")
    st = data.status
    st = st[(st["org"] == "cis") & (st["year"] == 1995)].set_index("iso3")
    labels = {c["id"]: c["label"] for c in data.indicators["cis"]["classes"]}
    assert view["value"].isna().all()
    for iso3 in ISO3:
        assert view.loc[iso3, "category"] == st.loc[iso3, "status"]
        assert view.loc[iso3, "category_label"] == labels[st.loc[iso3, "status"]]
        assert view.loc[iso3, "source"] == st.loc[iso3, "source"]  # the spell's own source
        assert view.loc[iso3, "note"] == st.loc[iso3, "basis"]
        assert view.loc[iso3, "source_id"] == "atlas_memberships"
    assert view.loc["EST", "category"] == "never_joined"


def test_view_rows_countries_and_errors(data) -> None:
    view = downloads.view_rows(data, "cis", 2000, countries=["UKR", "arm"])
    assert list(view["iso3"]) == ["ARM", "UKR"]
    with pytest.raises(KeyError):
        downloads.view_rows(data, "no_such_layer", 2000)
    with pytest.raises(ValueError):
        downloads.view_rows(data, "cis", 2000, countries=["XXX"])


# --------------------------------------------------------------------------- files of a view

@pytest.mark.parametrize(("layer", "year"), VIEWS)
def test_csv_reads_back_to_the_view(data, layer: str, year: int) -> None:
    view = downloads.view_rows(data, layer, year)
    body = downloads.to_csv_bytes(view)
    assert body.decode("utf-8").splitlines()[0] == ",".join(downloads.VIEW_COLUMNS)
    same_frame(read_csv(body), view)


def test_csv_writes_whole_numbers_without_decimals(data) -> None:
    view = downloads.view_rows(data, "refugees_hosted", 1995)
    text = downloads.to_csv_bytes(view).decode("utf-8")
    arm = int(view.loc[view["iso3"] == "ARM", "value"].iloc[0])
    assert f",{arm}," in text and f",{arm}.0," not in text


@pytest.mark.parametrize(("layer", "year"), [("cis", 1995), ("refugees_hosted_per_1000", 2024), ("fh_status", 2025)])
def test_xlsx_data_sheet_equals_the_view(data, layer: str, year: int) -> None:
    view = downloads.view_rows(data, layer, year)
    body = downloads.to_xlsx_bytes(view, data, f"{layer} {year}")
    wb = openpyxl.load_workbook(io.BytesIO(body))
    assert wb.sheetnames == ["data", "sources", "notes"]
    same_frame(xlsx_frame(body), view)
    # the sources sheet lists every source the rows use, with citation, licence and URL
    src = read_xlsx_sheet(body, "sources")
    header = src[0]
    assert {"source_id", "citation", "licence", "url"} <= set(header)
    ids = [r[header.index("source_id")] for r in src[1:]]
    assert set(ids) == set(view["source_id"]) - {""}
    for r in src[1:]:
        row = data.sources[data.sources["source_id"] == r[header.index("source_id")]].iloc[0]
        assert r[header.index("citation")] == row["citation"]
        assert r[header.index("licence")] == row["license"]
    # the notes sheet: layer description, the year rules, the export date
    notes = {r[0]: r[1] for r in read_xlsx_sheet(body, "notes")[1:]}
    assert notes["Title"] == f"{layer} {year}"
    assert AS_OF.isoformat() in notes["Data as of"]
    assert data.indicators[layer]["description"] in notes[f"Layer: {data.indicators[layer]['label']}"]
    assert "31 December" in notes["Membership years"]
    assert "N-1" in notes["Freedom House years"]


def test_xlsx_is_deterministic(data) -> None:
    view = downloads.view_rows(data, "cis", 1995)
    day = dt.date(2027, 3, 4)
    a = downloads.to_xlsx_bytes(view, data, "t", exported_on=day)
    b = downloads.to_xlsx_bytes(view, data, "t", exported_on=day)
    assert a == b
    wb = openpyxl.load_workbook(io.BytesIO(a))
    assert wb.properties.created == dt.datetime(2027, 3, 4) == wb.properties.modified
    with zipfile.ZipFile(io.BytesIO(a)) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2027, 3, 4, 0, 0, 0)}
    notes = {r[0]: r[1] for r in read_xlsx_sheet(a, "notes")[1:]}
    assert notes["Exported on"] == "2027-03-04"
    assert AS_OF.isoformat() in notes["Data as of"] and notes["Data version"] == data.data_version


def test_xlsx_says_the_day_it_was_exported(data) -> None:
    before = dt.datetime.now(dt.UTC).date()
    body = downloads.to_xlsx_bytes(downloads.view_rows(data, "cis", 1995), data, "t")
    after = dt.datetime.now(dt.UTC).date()
    notes = {r[0]: r[1] for r in read_xlsx_sheet(body, "notes")[1:]}
    assert notes["Exported on"] in {before.isoformat(), after.isoformat()}
    assert openpyxl.load_workbook(io.BytesIO(body)).properties.created.date() in {before, after}


@pytest.mark.parametrize(("layer", "year"), [("cis", 1995), ("refugees_hosted", 1995), ("polity2", 2020)])
def test_geojson_holds_the_15_states_with_the_values(data, layer: str, year: int) -> None:
    view = downloads.view_rows(data, layer, year)
    body = downloads.to_geojson_bytes(view, data)
    gdf = gpd.read_file(io.BytesIO(body))
    assert len(gdf) == 15
    assert list(gdf["iso3"]) == list(ISO3)
    assert gdf.geometry.notna().all() and not gdf.geometry.is_empty.any()
    for col in ("country", "indicator", "category", "category_label", "source_id", "note"):
        assert list(gdf[col].fillna("")) == list(view[col]), col
    got = gdf["value"].astype("float64").to_numpy()
    want = view["value"].to_numpy()
    assert all((math.isnan(g) and math.isnan(w)) or g == w for g, w in zip(got, want, strict=True))
    # our own geometry, unchanged
    doc = json.loads(body)
    geo = {f["properties"]["iso3"]: f["geometry"] for f in data.states_geo["features"]}
    assert all(f["geometry"] == geo[f["id"]] for f in doc["features"])


def test_geojson_refuses_a_long_table(data) -> None:
    with pytest.raises(ValueError):
        downloads.to_geojson_bytes(downloads.table_rows(data, ["cis"], ["ARM"], 1991, 1992), data)


def test_filenames() -> None:
    assert downloads.filename("cis", 1995, "csv") == "atlas_cis_1995.csv"
    assert downloads.filename("idps_per_1000", 2024, ".xlsx") == "atlas_idps_per_1000_2024.xlsx"
    assert downloads.table_filename(["cis", "eu"], 1991, 2026, "csv") == "atlas_cis-eu_1991-2026.csv"
    assert downloads.table_filename(["a", "b", "c", "d"], 2000, 2000, "xlsx") == "atlas_4_indicators_2000.xlsx"


def test_view_download_payloads(data) -> None:
    view = downloads.view_rows(data, "nato", 2004)
    body, name = download_menu.view_file(data, "csv", "nato", 2004)
    assert name == "atlas_nato_2004.csv"
    assert body == downloads.to_csv_bytes(view)
    body, name = download_menu.view_file(data, "geojson", "nato", 2004)
    assert name == "atlas_nato_2004.geojson"
    assert body == downloads.to_geojson_bytes(view, data)
    body, name = download_menu.view_file(data, "xlsx", "nato", 2004)
    same_frame(xlsx_frame(body), view)


# --------------------------------------------------------------------------- the long table

def _expected_keys(data, indicators: list[str], countries: list[str], lo: int, hi: int) -> set[tuple[str, str, int]]:
    keys = set()
    obs, st = data.observations, data.status
    for ind in indicators:
        if data.is_membership(ind):
            sel = st[(st["org"] == ind) & st["iso3"].isin(countries) & st["year"].between(lo, hi)]
        else:
            sel = obs[(obs["indicator"] == ind) & obs["iso3"].isin(countries) & obs["year"].between(lo, hi)]
        keys |= {(ind, r.iso3, int(r.year)) for r in sel.itertuples(index=False)}
    return keys


@pytest.mark.parametrize(("indicators", "countries", "lo", "hi"), [
    (["cis"], list(ISO3), 1991, 2026),
    (["cis", "refugees_hosted", "fh_status"], ["ARM", "UKR"], 2000, 2005),
    (["polity2", "eu", "net_migration_projection"], ["RUS", "EST", "GEO"], 2015, 2025),
    (["idps_per_1000"], ["AZE"], 2024, 2024),
])
def test_table_rows_filter_exactly(data, indicators, countries, lo, hi) -> None:
    table = downloads.table_rows(data, indicators, countries, lo, hi)
    assert tuple(table.columns) == downloads.VIEW_COLUMNS
    keys = [(r.indicator, r.iso3, int(r.year)) for r in table.itertuples(index=False)]
    assert len(keys) == len(set(keys))
    assert set(keys) == _expected_keys(data, indicators, countries, lo, hi)
    # ordered by indicator (as given), state (ISO3 order), year
    order = [(indicators.index(i), ISO3.index(c), y) for i, c, y in keys]
    assert order == sorted(order)
    # each row equals the view of its year
    for ind in indicators:
        for year in sorted({y for i, _, y in keys if i == ind})[:3]:
            part = table[(table["indicator"] == ind) & (table["year"] == year)]
            view = downloads.view_rows(data, ind, year, countries)
            view = view[view["iso3"].isin(part["iso3"])]
            same_frame(part, view)


def test_table_rows_empty_selections(data) -> None:
    assert len(downloads.table_rows(data, [], None, 1991, 2026)) == 0
    assert len(downloads.table_rows(data, ["cis"], [], 1991, 2026)) == 0
    assert tuple(downloads.table_rows(data, [], None, 1991, 2026).columns) == downloads.VIEW_COLUMNS
    with pytest.raises(KeyError):
        downloads.table_rows(data, ["nope"], None, 1991, 2026)


def test_table_csv_and_xlsx_equal_the_table(data) -> None:
    table = downloads.table_rows(data, ["cis", "refugees_hosted_per_1000", "vdem_row"], ["GEO", "UKR", "MDA"],
                                 1991, 2026)
    same_frame(read_csv(downloads.to_csv_bytes(table)), table)
    body = downloads.to_xlsx_bytes(table, data, "three")
    same_frame(xlsx_frame(body), table)
    src_ids = {r[0] for r in read_xlsx_sheet(body, "sources")[1:]}
    assert src_ids == set(table["source_id"])


def test_data_tab_selection_is_tolerant(data) -> None:
    frame = data_tab.selected_rows(data, ["__group_membership", "cis"], ["EST", "XXX"], [2026, 1991])
    same_frame(frame, downloads.table_rows(data, ["cis"], ["EST"], 1991, 2026))
    assert "36 rows" in data_tab.row_count_text(data, frame, ["cis"], ["EST"], [1991, 2026])
    assert data_tab.selected_rows(data, None, None, None).empty
    opts = data_tab.indicator_options(data)
    assert {o["value"] for o in opts if not o.get("disabled")} == set(data.indicators)


# --------------------------------------------------------------------------- the whole dataset

def test_dataset_zip(data) -> None:
    data.cache.pop(("download_dataset_zip",), None)
    body = downloads.dataset_zip_bytes(data)
    with zipfile.ZipFile(io.BytesIO(body)) as zf:
        names = zf.namelist()
        assert names == sorted(names)
        assert {i.date_time for i in zf.infolist()} == {(AS_OF.year, AS_OF.month, AS_OF.day, 0, 0, 0)}
        processed = sorted(p for p in PROCESSED_DIR.iterdir() if p.is_file())
        assert processed
        for p in processed:
            assert zf.read(f"data/processed/{p.name}") == p.read_bytes(), p.name
        for p in sorted(GEODATA_DIR.glob("*.geojson")):
            assert zf.read(f"geodata/{p.name}") == p.read_bytes(), p.name
        readme = zf.read("README.txt").decode("utf-8")
        for name in names:
            assert name in readme
        assert "CC BY 4.0" in readme and "Natural Earth" in readme
        sources = pd.read_csv(io.BytesIO(zf.read("sources.csv")), keep_default_na=False)
        assert set(sources["source_id"]) == set(data.sources["source_id"])
        assert {"citation", "licence", "url"} <= set(sources.columns)
    data.cache.pop(("download_dataset_zip",), None)
    assert downloads.dataset_zip_bytes(data) == body  # deterministic


# --------------------------------------------------------------------------- presets

def test_presets(data) -> None:
    ids = [pid for pid, _ in downloads.country_presets(data)]
    assert ids[0] == "all" and "members" in ids
    assert set(REGIONS) <= set(ids)
    assert downloads.resolve_preset(data, "all") == list(ISO3)
    assert downloads.resolve_preset(data, "baltic") == ["EST", "LVA", "LTU"]
    assert downloads.resolve_preset(data, "south_caucasus") == ["ARM", "AZE", "GEO"]
    assert downloads.resolve_preset(data, "central_asia") == ["KAZ", "KGZ", "TJK", "TKM", "UZB"]
    assert downloads.resolve_preset(data, "eastern_europe") == ["BLR", "MDA", "RUS", "UKR"]
    with pytest.raises(KeyError):
        downloads.resolve_preset(data, "nowhere")
    with pytest.raises(ValueError):
        downloads.resolve_preset(data, "members:cis")


def test_members_of(data) -> None:
    cis95 = downloads.members_of(data, "cis", 1995)
    assert "RUS" in cis95 and "EST" not in cis95
    assert downloads.members_of(data, "eu", 2004) == ["EST", "LVA", "LTU"]
    assert downloads.resolve_preset(data, downloads.members_preset_id("eu", 2004)) == ["EST", "LVA", "LTU"]
    assert downloads.members_of(data, "nato", 2004) == ["EST", "LVA", "LTU"]
    assert "GEO" not in downloads.members_of(data, "cis", 2009)  # exit in force before 31 Dec 2009
    assert "GEO" in downloads.members_of(data, "cis", 2008)
    with pytest.raises(KeyError):
        downloads.members_of(data, "nope", 2000)
    with pytest.raises(ValueError):
        downloads.members_of(data, "cis", 1980)
    # the rule: a state counts when its status that year is flagged 'member' in the catalogue
    for org in data.orgs:
        member = {c["id"] for c in data.indicators[org]["classes"] if c["member"]}
        for year in (1991, 2000, 2026):
            st = data.status[(data.status["org"] == org) & (data.status["year"] == year)]
            assert set(downloads.members_of(data, org, year)) == set(st.loc[st["status"].isin(member), "iso3"])


# --------------------------------------------------------------------------- the sources page

def _texts(node: Any) -> list[str]:
    out: list[str] = []
    if isinstance(node, str):
        return [node]
    if isinstance(node, (list, tuple)):
        for n in node:
            out += _texts(n)
        return out
    children = getattr(node, "children", None)
    return _texts(children) if children is not None else out


def _ids(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, (list, tuple)):
        for n in node:
            found |= _ids(n)
        return found
    if hasattr(node, "children"):
        if getattr(node, "id", None):
            found.add(node.id)
        found |= _ids(node.children) if node.children is not None else set()
    return found


def test_sources_page_covers_every_source_and_layer(data) -> None:
    page = sources_tab.sources_tab_layout(data)
    ids = _ids(page)
    text = " ".join(_texts(page))
    for row in data.sources.itertuples(index=False):
        assert f"source-{row.source_id}" in ids
        assert row.citation in text
        assert row.license in text
    for layer in data.indicators.values():
        if layer["map"]:
            assert f"layer-{layer['id']}" in ids
            assert layer["description"] in text
    for f in data.contested_geo["features"]:
        assert f["properties"]["name_en"] in text
    for phrase in ("31 December", "N−1", "2018", "second-hand", "Natural Earth", "Getting It Wrong"):
        assert phrase in text, phrase


def test_rules_and_caveats_are_written_once(data) -> None:
    """The sources page, the XLSX notes, the dataset README and the API read the same published
    texts (from rules.yaml), so each rule appears with the same words everywhere."""
    rule = data.rules["membership_year"]
    assert "31 December" in rule and str(AS_OF.year) in rule
    page = " ".join(_texts(sources_tab.sources_tab_layout(data)))
    assert rule in page
    for layer in data.indicators.values():
        if layer["map"]:
            for caveat in layer["caveats"]:
                assert caveat in page, (layer["id"], caveat[:40])
    notes = {r[0]: r[1] for r in read_xlsx_sheet(
        downloads.to_xlsx_bytes(downloads.view_rows(data, "refugees_hosted", 2000), data, "t"), "notes")[1:]}
    assert notes["Membership years"] == rule
    assert notes["Caveats: Refugees hosted"] == " ".join(data.indicators["refugees_hosted"]["caveats"])
    readme = downloads.dataset_readme(data, ["README.txt"])
    assert " ".join(rule.split()[:8]) in " ".join(readme.split())
    assert data.indicators["cis"]["caveats"] and data.indicators["idps"]["caveats"]


def test_pipeline_imports_no_presentation_code() -> None:
    import ast
    from pathlib import Path

    import dashboard.pipeline as pipeline

    banned = ("dashboard.core.figures", "dashboard.core.palettes", "dashboard.core.formatting",
              "dashboard.views", "dashboard.web", "dash", "plotly")
    for path in Path(pipeline.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for name in names:
                assert not any(name == b or name.startswith(b + ".") for b in banned), (path.name, name)


# --------------------------------------------------------------------------- callbacks under odd input

ODD_VALUES: list[Any] = [None, True, 0, -1, 1997.5, float("nan"), float("inf"), 2**70, "", "cis", "ZZZ",
                         "members", "members:cis", "members:cis:x", "members:nope:2000", [], {}, [1, 2],
                         [None, {}], ["cis", {"a": 1}], {"layer": ["cis"]}, {"layer": 7}, {"layer": "nope"},
                         [2026, 1991], [1e300, -1e300], "<script>"]


def _dependency_bodies(app: Dash) -> list[dict[str, Any]]:
    client = app.server.test_client()
    client.get("/")  # the app registers its callbacks on first request
    deps = client.get("/_dash-dependencies").get_json()
    out = []
    for d in deps:
        if d.get("clientside_function"):
            continue
        key = d["output"]
        outputs: Any = ([{"id": p.rpartition(".")[0], "property": p.rpartition(".")[2]}
                         for p in key[2:-2].split("...")] if key.startswith("..")
                        else {"id": key.rpartition(".")[0], "property": key.rpartition(".")[2]})
        out.append({"output": key, "outputs": outputs,
                    "inputs": [{"id": i["id"], "property": i["property"]} for i in d["inputs"]],
                    "state": [{"id": s["id"], "property": s["property"]} for s in d["state"]]})
    return out


def test_callbacks_survive_odd_values() -> None:
    """Every server callback of the menu and the tab, each input or state set to odd values
    (the others missing): an answer (200 or 204), never a server error."""
    app = build_app()
    client = app.server.test_client()
    bodies = _dependency_bodies(app)
    assert len(bodies) >= 5  # the menu's and the tab's (the table's rows are a JSON file: views/table.py)
    for body in bodies:
        slots = body["inputs"] + body["state"]
        for slot in range(len(slots)):
            for trigger in body["inputs"]:
                for value in ODD_VALUES:
                    req = json.loads(json.dumps(body))
                    every = req["inputs"] + req["state"]
                    every[slot]["value"] = value
                    req["changedPropIds"] = [f"{trigger['id']}.{trigger['property']}"]
                    resp = client.post("/_dash-update-component", data=json.dumps(req),
                                       content_type="application/json")
                    assert resp.status_code in (200, 204), (body["output"], every[slot], value,
                                                            resp.get_data(as_text=True)[:300])


def test_download_route_answers_with_the_view() -> None:
    client = build_app().server.test_client()
    resp = client.get("/download/view.csv?layer=eu&year=2004")
    assert resp.status_code == 200
    assert 'filename="atlas_eu_2004.csv"' in resp.headers["Content-Disposition"]
    same_frame(read_csv(resp.data), downloads.view_rows(get_data(), "eu", 2004))
    for bad in ("view.csv?layer=nope&year=2004", "view.csv?layer=eu&year=1066", "view.exe?layer=eu&year=2004",
                "view.csv?layer=eu&year=<x>", "view.csv"):
        assert client.get("/download/" + bad).status_code == 404, bad
