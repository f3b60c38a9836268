"""The committed boundary layers in geodata/: content, geometry conventions, size, and that
the build reproduces them exactly and fails cleanly on bad sources."""

from __future__ import annotations

import hashlib
import itertools
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from shapely.geometry import Point, shape

from dashboard.core.config import GEO_SOURCES_DIR, GEODATA_DIR, ISO3
from dashboard.pipeline import BuildError
from dashboard.pipeline.geo import (
    ADMIN0_FILE,
    BREAKAWAY_FILE,
    CONTESTED_FILE,
    CONTEXT_FILE,
    META_FILE,
    SOURCE_FILES,
    STATES_FILE,
    build_geodata,
    fix_mojibake,
    signed_area,
)

LAYER_FILES = (STATES_FILE, CONTEXT_FILE, CONTESTED_FILE)
OUTPUT_FILES = (*LAYER_FILES, META_FILE)
CONTESTED_IDS = {
    "abkhazia", "crimea", "donbas_2014", "karabakh_1994", "karabakh_2020",
    "occupied_2022", "south_ossetia", "transnistria",
}


def _load(name: str) -> dict[str, Any]:
    return json.loads((GEODATA_DIR / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def states() -> dict[str, Any]:
    return {f["id"]: f for f in _load(STATES_FILE)["features"]}


@pytest.fixture(scope="module")
def contested() -> dict[str, Any]:
    return {f["id"]: f for f in _load(CONTESTED_FILE)["features"]}


@pytest.fixture(scope="module")
def context() -> dict[str, Any]:
    return {f["id"]: f for f in _load(CONTEXT_FILE)["features"]}


def _polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    assert geometry["type"] == "MultiPolygon"
    return geometry["coordinates"]


def _all_rings() -> Iterator[tuple[str, str, int, list[list[float]]]]:
    """(file, feature id, ring index within its polygon, ring) for every ring."""
    for name in LAYER_FILES:
        for feat in _load(name)["features"]:
            for polygon in _polygons(feat["geometry"]):
                for i, ring in enumerate(polygon):
                    yield name, feat["id"], i, ring


# --- content ------------------------------------------------------------------------------


def test_fifteen_valid_states(states: dict[str, Any]) -> None:
    assert list(states) == sorted(ISO3)
    for iso, feat in states.items():
        props = feat["properties"]
        assert list(props) == ["iso3", "name_en", "name_ru", "label_lon", "label_lat"]
        assert props["iso3"] == iso
        assert props["name_en"] and props["name_en"].isascii()
        assert any("\u0400" <= ch <= "\u04ff" for ch in props["name_ru"]), props["name_ru"]
        assert round(props["label_lon"], 3) == props["label_lon"]
        geom = shape(feat["geometry"])
        assert geom.is_valid and not geom.is_empty, iso
        assert geom.contains(Point(props["label_lon"], props["label_lat"])), iso
    assert states["RUS"]["properties"]["name_ru"] == "Российская Федерация"
    assert states["MDA"]["properties"]["name_ru"] == "Республика Молдова"
    assert states["UKR"]["properties"]["name_en"] == "Ukraine"


@pytest.mark.parametrize(("city", "lon", "lat", "state", "areas"), [
    ("Simferopol", 34.10, 44.95, "UKR", {"crimea"}),
    ("Sevastopol", 33.52, 44.60, "UKR", {"crimea"}),
    ("Tiraspol", 29.63, 46.84, "MDA", {"transnistria"}),
    ("Sukhumi", 41.02, 43.00, "GEO", {"abkhazia"}),
    ("Tskhinvali", 43.96, 42.23, "GEO", {"south_ossetia"}),
    ("Stepanakert", 46.75, 39.82, "AZE", {"karabakh_1994", "karabakh_2020"}),
    ("Agdam", 46.93, 39.99, "AZE", {"karabakh_1994"}),
    ("Donetsk", 37.80, 48.00, "UKR", {"donbas_2014", "occupied_2022"}),
    ("Luhansk", 39.30, 48.57, "UKR", {"donbas_2014", "occupied_2022"}),
    ("Melitopol", 35.37, 46.85, "UKR", {"occupied_2022"}),
    ("Kyiv", 30.52, 50.45, "UKR", set()),
    ("Chisinau", 28.86, 47.01, "MDA", set()),
    ("Tbilisi", 44.79, 41.72, "GEO", set()),
    ("Yerevan", 44.51, 40.18, "ARM", set()),
    ("Baku", 49.87, 40.41, "AZE", set()),
    ("Kaliningrad", 20.51, 54.71, "RUS", set()),
    ("Tallinn", 24.75, 59.44, "EST", set()),
    ("Riga", 24.11, 56.95, "LVA", set()),
    ("Vilnius", 25.28, 54.69, "LTU", set()),
    ("Bilibino", 166.44, 68.05, "RUS", set()),
    ("Chukotka east of 180°", -173.0, 66.0, "RUS", set()),
])
def test_places(states: dict[str, Any], contested: dict[str, Any], city: str, lon: float,
                lat: float, state: str, areas: set[str]) -> None:
    point = Point(lon, lat)
    assert [i for i, f in states.items() if shape(f["geometry"]).contains(point)] == [state], city
    assert {i for i, f in contested.items() if shape(f["geometry"]).contains(point)} == areas, city


def test_contested_features(contested: dict[str, Any], states: dict[str, Any]) -> None:
    assert set(contested) == CONTESTED_IDS
    for cid, feat in contested.items():
        props = feat["properties"]
        assert list(props) == ["name_en", "name_ru", "state", "year_from", "year_to",
                               "approximate", "status_note", "source"], cid
        assert props["state"] in ISO3
        assert isinstance(props["year_from"], int)
        assert props["year_to"] is None or props["year_from"] <= props["year_to"]
        assert isinstance(props["approximate"], bool)
        assert 20 < len(props["status_note"]) < 300 and props["source"]
        assert any("\u0400" <= ch <= "\u04ff" for ch in props["name_ru"])
        # clipped to the recognised state's outline
        geom, outline = shape(feat["geometry"]), shape(states[props["state"]]["geometry"])
        assert geom.is_valid
        assert geom.difference(outline).area < 1e-6, cid

    def years(cid: str) -> tuple[int, int | None]:
        p = contested[cid]["properties"]
        return p["year_from"], p["year_to"]

    assert years("crimea") == (2014, None)
    assert years("transnistria")[0] in (1991, 1992) and years("transnistria")[1] is None
    assert years("abkhazia")[0] in (1992, 1993) and years("abkhazia")[1] is None
    assert years("south_ossetia")[0] in (1991, 1992) and years("south_ossetia")[1] is None
    assert years("karabakh_1994")[1] == 2019
    assert years("karabakh_2020")[0] == 2020 and years("karabakh_2020")[1] <= 2023
    assert years("donbas_2014") == (2014, 2021)
    assert years("occupied_2022") == (2022, None)
    assert {c for c, f in contested.items() if f["properties"]["approximate"]} == {
        "karabakh_2020", "occupied_2022"}
    # nesting: the later extents sit inside the earlier/larger ones; Crimea stays separate
    shp = {c: shape(f["geometry"]) for c, f in contested.items()}
    assert shp["donbas_2014"].difference(shp["occupied_2022"]).area < 1e-6
    assert shp["karabakh_2020"].difference(shp["karabakh_1994"]).area < 1e-6
    assert shp["crimea"].intersection(shp["occupied_2022"]).area < 1e-6


def test_context_layer(context: dict[str, Any]) -> None:
    assert list(context) == sorted(context)
    assert not set(context) & set(ISO3)
    assert {"POL", "FIN", "TUR", "IRN", "CHN", "MNG", "JPN", "NOR"} <= set(context)
    for cid, feat in context.items():
        assert len(cid) == 3
        assert list(feat["properties"]) == ["iso3", "name_en"]
        assert shape(feat["geometry"]).is_valid, cid
    assert context["NOR"]["properties"]["iso3"] == "NOR"  # not NE's ISO_A3 "-99"
    assert context["ALD"]["properties"]["name_en"] == "Åland"  # mojibake repaired
    lon_min, lat_min, lon_max, lat_max = shapely.union_all(
        [shape(f["geometry"]) for f in context.values()]).bounds
    assert lon_min >= -180 and lon_max <= 180 and lat_min >= 25 and lat_max <= 85


def test_states_look_like_the_source(states: dict[str, Any]) -> None:
    """Simplification keeps every state's area within a few percent of Natural Earth's."""
    source = json.loads((GEO_SOURCES_DIR / ADMIN0_FILE).read_text(encoding="utf-8"))
    original = {f["properties"]["ADM0_A3"]: shape(f["geometry"]) for f in source["features"]}
    for iso, feat in states.items():
        ratio = shape(feat["geometry"]).area / original[iso].area
        assert 0.95 < ratio < 1.05, (iso, ratio)


def test_shared_borders_have_no_gaps_or_overlaps(states: dict[str, Any],
                                                 context: dict[str, Any]) -> None:
    geoms = np.array([shape(f["geometry"]) for f in [*states.values(), *context.values()]],
                     dtype=object)
    # edges matched exactly; no gap narrower than ~1 km (real straits are wider)
    assert shapely.coverage_is_valid(geoms, gap_width=0.01)


# --- geometry conventions for d3-geo ------------------------------------------------------


def test_exterior_rings_clockwise_holes_counter_clockwise() -> None:
    n = 0
    for name, fid, i, ring in _all_rings():
        area = signed_area(ring)
        if i == 0:
            assert area < 0, f"{name} {fid}: exterior ring not clockwise"
        else:
            assert area > 0, f"{name} {fid}: hole not counter-clockwise"
        n += 1
    assert n > 100


def test_rings_are_clean() -> None:
    for name, fid, _, ring in _all_rings():
        assert len(ring) >= 4 and ring[0] == ring[-1], (name, fid)
        for a, b in itertools.pairwise(ring):
            assert a != b, f"{name} {fid}: repeated point {a}"
        for x, y in ring:
            assert -180 <= x <= 180 and -90 <= y <= 90
            assert round(x, 3) == x and round(y, 3) == y


def test_no_ring_crosses_the_antimeridian() -> None:
    for name, fid, _, ring in _all_rings():
        lons = np.array([p[0] for p in ring])
        assert np.all(np.abs(np.diff(lons)) <= 180), f"{name} {fid} jumps across ±180°"


def test_russia_split_at_the_antimeridian(states: dict[str, Any]) -> None:
    lons = [p[0] for polygon in _polygons(states["RUS"]["geometry"]) for p in polygon[0]]
    assert max(lons) == 180 and min(lons) == -180


def test_files_are_small_and_described() -> None:
    sizes = {name: (GEODATA_DIR / name).stat().st_size for name in LAYER_FILES}
    assert sum(sizes.values()) <= 250_000, sizes
    meta = _load(META_FILE)
    for name in LAYER_FILES:
        layer = meta["layers"][name.removesuffix(".geojson")]
        data = (GEODATA_DIR / name).read_bytes()
        assert layer["bytes"] == len(data)
        assert layer["sha256"] == hashlib.sha256(data).hexdigest()
        assert layer["features"] == len(_load(name)["features"])
        assert len(layer["bounds"]) == 4
        for src in layer["sources"]:
            digest = hashlib.sha256((GEO_SOURCES_DIR / src["file"]).read_bytes()).hexdigest()
            assert src["sha256"] == digest, src["file"]
    assert meta["simplification"]["tolerance_km"] > 0


def test_mojibake_repair() -> None:
    assert fix_mojibake("Ð\xa0Ð¾Ñ\x81Ñ\x81Ð¸Ñ\x8f") == "Россия"
    assert fix_mojibake("Åland") == "Åland"
    assert fix_mojibake("Россия") == "Россия"
    assert fix_mojibake("Norway") == "Norway"


# --- the build ----------------------------------------------------------------------------


def test_rebuild_reproduces_committed_files(tmp_path: Path) -> None:
    written = build_geodata(out_dir=tmp_path)
    assert {p.name for p in written.values()} == set(OUTPUT_FILES)
    for name in OUTPUT_FILES:
        assert (tmp_path / name).read_bytes() == (GEODATA_DIR / name).read_bytes(), name


def _sources_copy(tmp_path: Path) -> Path:
    src = tmp_path / "sources"
    src.mkdir()
    for name in SOURCE_FILES:
        shutil.copy(GEO_SOURCES_DIR / name, src / name)
        shutil.copy(GEO_SOURCES_DIR / f"{name}.meta.yml", src / f"{name}.meta.yml")
    return src


def _reseal(path: Path) -> None:
    """Record an edited source's sha256 in its metadata, so that the checks after the checksum run."""
    import hashlib

    import yaml

    meta_file = path.with_name(path.name + ".meta.yml")
    meta = yaml.safe_load(meta_file.read_text(encoding="utf-8"))
    meta["outs"][0]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    meta_file.write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _outputs_copy(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    for name in OUTPUT_FILES:
        shutil.copy(GEODATA_DIR / name, out / name)
    return out


def _assert_untouched(out: Path) -> None:
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)  # no temp files left
    for name in OUTPUT_FILES:
        assert (out / name).read_bytes() == (GEODATA_DIR / name).read_bytes(), name


def test_truncated_source_raises_and_writes_nothing(tmp_path: Path) -> None:
    src, out = _sources_copy(tmp_path), _outputs_copy(tmp_path)
    bad = src / BREAKAWAY_FILE
    bad.write_bytes(bad.read_bytes()[: bad.stat().st_size // 2])
    with pytest.raises(BuildError) as info:
        build_geodata(src_dir=src, out_dir=out)
    assert info.value.path == str(bad)
    assert BREAKAWAY_FILE in str(info.value) and "sha256" in str(info.value)
    _assert_untouched(out)
    _reseal(bad)  # even with a matching checksum, the truncated text is refused
    with pytest.raises(BuildError) as info:
        build_geodata(src_dir=src, out_dir=out)
    assert info.value.path == str(bad)
    _assert_untouched(out)


def test_missing_source_raises_and_writes_nothing(tmp_path: Path) -> None:
    src, out = _sources_copy(tmp_path), _outputs_copy(tmp_path)
    (src / ADMIN0_FILE).unlink()
    with pytest.raises(BuildError) as info:
        build_geodata(src_dir=src, out_dir=out)
    assert info.value.path == str(src / ADMIN0_FILE)
    assert "missing" in info.value.problem
    _assert_untouched(out)


def test_source_without_expected_feature_raises(tmp_path: Path) -> None:
    src, out = _sources_copy(tmp_path), _outputs_copy(tmp_path)
    path = src / BREAKAWAY_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    data["features"] = [f for f in data["features"] if f["properties"]["BRK_A3"] != "B36"]
    path.write_text(json.dumps(data), encoding="utf-8")
    _reseal(path)
    with pytest.raises(BuildError) as info:
        build_geodata(src_dir=src, out_dir=out)
    assert info.value.path == str(path)
    assert "B36" in info.value.problem
    _assert_untouched(out)
