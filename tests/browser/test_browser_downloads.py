"""Downloads in real headless Chromium, on the small app of ``test_downloads.build_app`` (the
download menu and the data tab around a map like the atlas's), so these tests do not depend on how
the main layout wires them.

Every file the browser receives is parsed and compared with the table it claims to hold, and no
request may leave 127.0.0.1.
"""

from __future__ import annotations

import io
import os
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import geopandas as gpd
import openpyxl
import pytest
from conftest import PageProbe

from dashboard.core.data import get_data
from dashboard.export import downloads

pytestmark = pytest.mark.browser

# the file checks of the download tests without a browser (tests/api/test_downloads.py)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from test_downloads import read_csv, same_frame, xlsx_frame  # noqa: E402

LAYER, YEAR = "cis", 1995


@pytest.fixture()
def page(browser: Any, live_server: str) -> Iterator[PageProbe]:
    ctx = browser.new_context(viewport={"width": 1400, "height": 950}, accept_downloads=True)
    p = PageProbe(ctx.new_page(), live_server)
    p.goto(f"?layer={LAYER}&year={YEAR}&country=UKR")
    yield p
    assert p.external == [], f"requests left the machine: {p.external}"
    assert p.console_errors == []
    ctx.close()


def open_data_tab(probe: PageProbe) -> None:
    probe.page.click("#tab-data")
    probe.page.wait_for_selector("#data-table tbody tr.tbl-row", timeout=30_000)
    # the table is drawn first; the controls and downloads (Dash components) follow from the server
    probe.page.wait_for_selector("#data-tab #data-indicators", timeout=30_000)
    probe.page.wait_for_function("() => !document.querySelector('[data-dash-is-loading=\"true\"]')")


def table_shows(probe: PageProbe, n: int) -> None:
    """The table on screen holds n rows (its status line: "Rows 1–50 of n")."""
    probe.page.wait_for_function("(n) => { const s = document.querySelector('#data-table .tbl-status');"
                                 " return !!s && s.textContent.endsWith(' of ' + n); }", arg=f"{n:,}")


def dispatch(probe: PageProbe, action: dict[str, Any]) -> None:
    probe.eval("(a) => window.Atlas.app.dispatch(a)", action)


def download(probe: PageProbe, selector: str) -> tuple[str, bytes]:
    with probe.page.expect_download(timeout=30_000) as info:
        probe.page.click(selector)
    dl = info.value
    with open(dl.path(), "rb") as fh:
        return dl.suggested_filename, fh.read()


def set_props(probe: PageProbe, component: str, props: dict[str, Any]) -> None:
    probe.eval("([id, props]) => window.dash_clientside.set_props(id, props)", [component, props])


def test_view_csv_equals_view_rows(page: PageProbe) -> None:
    data = get_data()
    name, body = download(page, "#download-csv")
    assert name == "atlas_cis_1995.csv"
    # the selected country (UKR) does not filter the view: all 15 states
    same_frame(read_csv(body), downloads.view_rows(data, LAYER, YEAR))


def test_view_follows_slider_and_effective_layer(page: PageProbe) -> None:
    data = get_data()
    dispatch(page, {"type": "year", "year": 2010, "via": "slider"})
    page.page.wait_for_function("() => location.search.includes('year=2010')")
    name, body = download(page, "#download-csv")
    assert name == "atlas_cis_2010.csv"
    same_frame(read_csv(body), downloads.view_rows(data, LAYER, 2010))
    # the layer is the view state's (here a per-1,000 twin, after the per-capita toggle)
    dispatch(page, {"type": "layer", "layer": "refugees_hosted"})
    dispatch(page, {"type": "perCapita", "on": True})
    page.page.wait_for_function("() => location.search.includes('layer=refugees_hosted_per_1000')")
    name, body = download(page, "#download-xlsx")
    assert name == "atlas_refugees_hosted_per_1000_2010.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(body))
    assert wb.sheetnames == ["data", "sources", "notes"]
    same_frame(xlsx_frame(body), downloads.view_rows(data, "refugees_hosted_per_1000", 2010))
    name, body = download(page, "#download-geojson")
    assert name == "atlas_refugees_hosted_per_1000_2010.geojson"
    gdf = gpd.read_file(io.BytesIO(body))
    assert len(gdf) == 15 and list(gdf["indicator"].unique()) == ["refugees_hosted_per_1000"]


def test_table_downloads_equal_the_table(page: PageProbe) -> None:
    data = get_data()
    open_data_tab(page)
    expected = downloads.table_rows(data, ["cis"], None, 1991, 2026)
    assert f"{len(expected):,} rows" in page.page.inner_text("#data-row-count")
    table_shows(page, len(expected))
    name, body = download(page, "#download-table-xlsx")
    assert name == "atlas_cis_1991-2026.xlsx"
    same_frame(xlsx_frame(body), expected)
    # a preset changes the states, the table and its downloads
    set_props(page, "data-preset", {"value": "baltic"})
    set_props(page, "data-indicators", {"value": ["cis", "fh_status"]})
    set_props(page, "data-years", {"value": [2000, 2010]})
    expected = downloads.table_rows(data, ["cis", "fh_status"], ["EST", "LVA", "LTU"], 2000, 2010)
    page.page.wait_for_function("(n) => document.querySelector('#data-row-count').textContent"
                                ".startsWith(n + ' rows')", arg=f"{len(expected):,}")
    page.page.wait_for_function("() => !document.querySelector('[data-dash-is-loading=\"true\"]')")
    table_shows(page, len(expected))
    name, body = download(page, "#download-table-csv")
    assert name == "atlas_cis-fh_status_2000-2010.csv"
    same_frame(read_csv(body), expected)
    # members of an organisation in a year
    set_props(page, "data-preset", {"value": "members"})
    set_props(page, "data-preset-org", {"value": "eu"})
    set_props(page, "data-preset-year", {"value": 2004})
    page.page.wait_for_function("() => document.querySelector('#data-members-box').style.display === 'block'")
    set_props(page, "data-indicators", {"value": ["eu"]})
    expected = downloads.table_rows(data, ["eu"], ["EST", "LVA", "LTU"], 2000, 2010)
    page.page.wait_for_function("(n) => document.querySelector('#data-row-count').textContent"
                                ".startsWith(n + ' rows')", arg=f"{len(expected):,}")
    table_shows(page, len(expected))
    _, body = download(page, "#download-table-csv")
    same_frame(read_csv(body), expected)


def test_dataset_zip(page: PageProbe) -> None:
    open_data_tab(page)
    name, body = download(page, "#download-dataset-zip")
    assert name == downloads.dataset_filename()
    assert body == downloads.dataset_zip_bytes(get_data())
    with zipfile.ZipFile(io.BytesIO(body)) as zf:
        assert "data/processed/observations.csv" in zf.namelist()


def test_png_and_svg_are_made_in_the_browser(page: PageProbe) -> None:
    data = get_data()
    before = page.dash_updates()
    name, png = download(page, "#download-png")
    assert name == "atlas_cis_1995.png"
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(png) > 10_000
    if os.environ.get("ATLAS_KEEP_IMAGES"):
        with open(os.environ["ATLAS_KEEP_IMAGES"], "wb") as fh:
            fh.write(png)
    width = int.from_bytes(png[16:20], "big")
    height = int.from_bytes(png[20:24], "big")
    assert (width, height) == (1600, 1000)
    name, svg = download(page, "#download-svg")
    assert name == "atlas_cis_1995.svg"
    root = ElementTree.fromstring(svg)
    assert root.tag.endswith("svg")
    # every text element's words (wrapped lines are tspans), whitespace normalised
    texts = [" ".join(" ".join(t.itertext()).split()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    text = " | ".join(texts)
    assert f"{data.indicators[LAYER]['label']}, {YEAR}" in texts  # the title
    for cls in data.indicators[LAYER]["classes"]:  # the legend, as shown
        assert f"■ {cls['label']}" in texts, cls["label"]
    assert "■ No data" in texts
    assert "Source: Atlas membership history" in text  # the source line
    assert page.dash_updates() == before  # no server round trip for pictures
