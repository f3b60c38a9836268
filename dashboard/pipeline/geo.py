"""Boundary layers for the map: immutable Natural Earth excerpts → small, aligned GeoJSON.

Outputs (in ``geodata/``):

* ``successor_states.geojson`` – the 15 successor states, UN-recognised borders (Crimea in
  Ukraine), feature ``id`` = ISO3; their English and Russian names come from the curated
  ``data/sources/curated/names.csv`` (Russian: the UN short names), not from Natural Earth.
* ``context.geojson`` – every other country of the source, clipped to the region window,
  for a grey background; ``id`` = Natural Earth ``ADM0_A3``.
* ``contested.geojson`` – breakaway, annexed and occupied areas with the years in which they
  were held (rule: what held on 31 December of the year), clipped to their recognised state.
* ``layers_meta.json`` – counts, sizes, bounds, simplification settings, source checksums.

Method (pure and deterministic; no dates, no randomness):

1. Read and check the three sources; any missing/corrupt file or missing feature raises
   :class:`~dashboard.pipeline.BuildError` before anything is written.
2. Clip the neighbours to the region window and drop small islands (not enclaves).
3. Node the boundaries of all countries and contested areas together and polygonize them,
   so every shared line is one line. Each face gets a country and the set of contested
   areas containing it; faces are merged into "atoms" (country × contested set), and thin
   slivers caused by 1:50m lines running next to 1:10m borders are merged into a neighbour.
4. Simplify the atoms as one polygon coverage (``shapely.coverage_simplify``) in an
   equal-area plane (km), so neighbours stay gap-free and shared borders stay shared;
   then simplify the neighbours harder, keeping every edge they share with a state.
   States, neighbours and contested areas are unions of atoms.
5. Densify long segments (d3-geo draws great-circle arcs), round to 3 decimals, drop
   repeated points and degenerate rings, and orient rings for d3-geo: exterior rings
   clockwise, holes counter-clockwise (the opposite of RFC 7946).
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape

from dashboard.core.config import CURATED_DIR, GEO_SOURCES_DIR, GEODATA_DIR, ISO3
from dashboard.pipeline import BuildError
from dashboard.pipeline.io import write_json, write_text
from dashboard.pipeline.readers import read_csv

# --- files ------------------------------------------------------------------------------

ADMIN0_FILE = "ne_10m_admin_0_countries_deu_v5.1.1_clip.geojson"
BREAKAWAY_FILE = "ne_50m_admin_0_breakaway_disputed_areas_postsoviet_excerpt.geojson"
ADMIN1_FILE = "ne_10m_admin_1_excerpt.geojson"
SOURCE_FILES: tuple[str, ...] = (ADMIN0_FILE, BREAKAWAY_FILE, ADMIN1_FILE)

STATES_FILE = "successor_states.geojson"
CONTEXT_FILE = "context.geojson"
CONTESTED_FILE = "contested.geojson"
META_FILE = "layers_meta.json"
# English and Russian names of the 15 states (curated, with the source of each name form); they
# replace the NAME_EN/NAME_RU fields of the admin-0 source, whose Russian forms are outdated.
NAMES_FILE = CURATED_DIR / "names.csv"
NAMES_COLUMNS = ["iso3", "name_en", "name_en_source", "name_ru", "name_ru_source",
                 "name_ru_source_url", "name_ru_replaced"]

# --- parameters -------------------------------------------------------------------------

# Region window for the neighbours (lon/lat boxes); the 15 states are never clipped.
WINDOW_BOXES: tuple[tuple[float, float, float, float], ...] = (
    (10.0, 25.0, 180.0, 85.0),
    (-180.0, 25.0, -165.0, 85.0),
)
# Equal-area plane for simplification: Lambert cylindrical equal-area, true at 55°N.
STANDARD_LAT = 55.0
EARTH_RADIUS_KM = 6371.0088
# Visvalingam-Whyatt tolerance (km; removes triangles smaller than about tolerance²).
SIMPLIFY_TOLERANCE_KM = 6.0
# Neighbours (grey background) are simplified harder, except along the states' borders.
CONTEXT_TOLERANCE_KM = 20.0
# Islands (parts touching no other country) smaller than this are dropped (km²).
MIN_ISLAND_KM2_STATES = 150.0
MIN_ISLAND_KM2_CONTEXT = 1500.0
# A part of a contested/remainder atom is a sliver if thinner or smaller than this.
SLIVER_WIDTH_KM = 2.0
SLIVER_AREA_KM2 = 10.0
# 1:50m contested polygons are extended to their state's 1:10m outline within this (deg).
BORDER_SNAP_DEG = 0.05
# Snap-rounding grid for noding (the sources have 6 decimals).
NODING_GRID = 1e-6
# Longest segment kept (degrees); longer ones are densified so that great-circle arcs
# drawn by d3-geo stay on the intended line (e.g. window edges along a parallel).
MAX_SEGMENT_DEG = 2.0
DECIMALS = 3

NE_CREDIT = "Made with Natural Earth (public domain)"


@dataclasses.dataclass(frozen=True)
class ContestedArea:
    """One feature of the contested layer and the recipe for its geometry.

    The geometry is the union of the listed admin-1 units and/or breakaway areas; when both
    are given it is their intersection. It is always clipped to ``state``.
    """

    id: str
    state: str
    name_en: str
    name_ru: str
    year_from: int
    year_to: int | None
    approximate: bool
    status_note: str
    source: str
    admin1: tuple[str, ...] = ()
    breakaway: tuple[str, ...] = ()


SRC_BREAKAWAY = "Natural Earth 1:50m admin-0 breakaway and disputed areas (public domain)"
SRC_ADMIN1 = "Natural Earth 1:10m admin-1 states and provinces (public domain)"

# Years follow the rule "what held on 31 December of the year"; year_to None = ongoing.
# The reasons for each choice are documented in geodata/sources/PROVENANCE.md (section 8).
CONTESTED: tuple[ContestedArea, ...] = (
    ContestedArea(
        id="abkhazia", state="GEO", name_en="Abkhazia", name_ru="Абхазия",
        year_from=1993, year_to=None, approximate=False,
        status_note=(
            "Internationally recognised as part of Georgia; outside Georgian government "
            "control since the 1992–1993 war. Russia recognised it as independent in 2008."
        ),
        source=SRC_ADMIN1 + ", unit GE-AB",
        admin1=("GE-AB",),
    ),
    ContestedArea(
        id="crimea", state="UKR", name_en="Crimea", name_ru="Крым",
        year_from=2014, year_to=None, approximate=False,
        status_note=(
            "Internationally recognised as part of Ukraine; annexed by Russia in March 2014 "
            "and administered by it since."
        ),
        source=SRC_ADMIN1 + ", units UA-43 and UA-40 (Sevastopol)",
        admin1=("UA-43", "UA-40"),
    ),
    ContestedArea(
        id="donbas_2014", state="UKR",
        name_en="Parts of Donetsk and Luhansk oblasts outside Ukrainian government control",
        name_ru="Части Донецкой и Луганской областей вне контроля правительства Украины",
        year_from=2014, year_to=2021, approximate=False,
        status_note=(
            "Internationally recognised as part of Ukraine; held by Russian-backed forces "
            "behind the 2014/15 line of contact until the full-scale invasion of February 2022."
        ),
        source=SRC_BREAKAWAY + ", BRK_A3 C02 and C03",
        breakaway=("C02", "C03"),
    ),
    ContestedArea(
        id="karabakh_1994", state="AZE",
        name_en="Nagorno-Karabakh and surrounding districts",
        name_ru="Нагорный Карабах и прилегающие районы",
        year_from=1994, year_to=2019, approximate=False,
        status_note=(
            "Internationally recognised as part of Azerbaijan; held by Armenian forces from "
            "the 1994 ceasefire until the war of autumn 2020."
        ),
        source=SRC_BREAKAWAY + ", BRK_A3 B38",
        breakaway=("B38",),
    ),
    ContestedArea(
        id="karabakh_2020", state="AZE",
        name_en="Nagorno-Karabakh (after the 2020 ceasefire)",
        name_ru="Нагорный Карабах (после прекращения огня 2020 года)",
        year_from=2020, year_to=2022, approximate=True,
        status_note=(
            "Internationally recognised as part of Azerbaijan; left to the Armenian authorities "
            "by the November 2020 ceasefire and taken over by Azerbaijan in September 2023. "
            "Approximated by districts."
        ),
        source=(
            SRC_ADMIN1 + ", districts AZ-XA, AZ-XCI, AZ-XVD, AZ-TAR, intersected with "
            + SRC_BREAKAWAY + " B38"
        ),
        admin1=("AZ-XA", "AZ-XCI", "AZ-XVD", "AZ-TAR"),
        breakaway=("B38",),
    ),
    ContestedArea(
        id="occupied_2022", state="UKR",
        name_en="Donetsk, Luhansk, Zaporizhzhia and Kherson oblasts (claimed by Russia)",
        name_ru="Донецкая, Луганская, Запорожская и Херсонская области (аннексия объявлена Россией)",
        year_from=2022, year_to=None, approximate=True,
        status_note=(
            "Internationally recognised as part of Ukraine; Russia declared their annexation in "
            "September 2022. It occupies only part of them, changing over time; whole oblasts "
            "are shown."
        ),
        source=SRC_ADMIN1 + ", units UA-14, UA-09, UA-23, UA-65",
        admin1=("UA-14", "UA-09", "UA-23", "UA-65"),
    ),
    ContestedArea(
        id="south_ossetia", state="GEO", name_en="South Ossetia", name_ru="Южная Осетия",
        year_from=1992, year_to=None, approximate=False,
        status_note=(
            "Internationally recognised as part of Georgia; outside Georgian government "
            "control since the 1991–1992 conflict. Russia recognised it as independent in 2008."
        ),
        source=SRC_BREAKAWAY + ", BRK_A3 B37",
        breakaway=("B37",),
    ),
    ContestedArea(
        id="transnistria", state="MDA", name_en="Transnistria", name_ru="Приднестровье",
        year_from=1992, year_to=None, approximate=False,
        status_note=(
            "Internationally recognised as part of Moldova; controlled by separatist "
            "authorities since the 1992 war. Shown without Bender (Tighina), which they also hold."
        ),
        source=SRC_BREAKAWAY + ", BRK_A3 B36",
        breakaway=("B36",),
    ),
)

Geometry = shapely.Geometry
AtomKey = tuple[str, tuple[str, ...]]  # (country id, sorted contested ids)


# --- reading sources --------------------------------------------------------------------


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_features(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise BuildError(path, "source file is missing")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BuildError(path, f"not valid GeoJSON text ({exc})") from exc
    features = data.get("features") if isinstance(data, dict) else None
    if data.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise BuildError(path, "not a GeoJSON FeatureCollection")
    for i, feat in enumerate(features):
        if not (isinstance(feat, dict) and isinstance(feat.get("properties"), dict)
                and isinstance(feat.get("geometry"), dict)):
            raise BuildError(path, f"feature #{i} lacks properties or geometry")
    return features


def _polygonal(feat: dict[str, Any], path: Path, label: str) -> Geometry:
    try:
        geom = shape(feat["geometry"])
    except Exception as exc:  # shapely raises several types for malformed coordinates
        raise BuildError(path, f"{label}: unreadable geometry ({exc})") from exc
    if geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise BuildError(path, f"{label}: expected a non-empty (Multi)Polygon")
    if not geom.is_valid:
        raise BuildError(path, f"{label}: invalid geometry ({shapely.is_valid_reason(geom)})")
    return geom


def _group(features: list[dict[str, Any]], key: str, path: Path,
           wanted: Iterable[str]) -> dict[str, Geometry]:
    """Geometry per value of ``key`` (rows with the same value dissolved) for ``wanted``."""
    parts: dict[str, list[Geometry]] = defaultdict(list)
    wanted = set(wanted)
    for feat in features:
        value = feat["properties"].get(key)
        if value in wanted:
            parts[value].append(_polygonal(feat, path, f"{key}={value}"))
    missing = sorted(wanted - parts.keys())
    if missing:
        raise BuildError(path, f"expected feature(s) missing: {key} = {', '.join(missing)}")
    return {
        k: v[0] if len(v) == 1 else shapely.union_all(v, grid_size=NODING_GRID)
        for k, v in parts.items()
    }


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 text that was decoded as Latin-1 (``'Ð\\xa0Ð¾Ñ\\x81Ñ\\x81Ð¸Ñ\\x8f'`` →
    ``'Россия'``), as found in the NAME_* fields of the admin-0 source. Text that does not
    round-trip exactly is returned unchanged."""
    try:
        repaired = text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text
    return repaired


@dataclasses.dataclass
class Country:
    id: str
    iso3: str | None
    name_en: str
    name_ru: str
    label: tuple[float, float]
    geometry: Geometry


@dataclasses.dataclass
class Sources:
    paths: dict[str, Path]
    states: dict[str, Country]
    context: dict[str, Country]
    contested: dict[str, Geometry]
    checksums: dict[str, str]
    names_checksum: str = ""


def _is_cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def read_names(path: Path = NAMES_FILE) -> dict[str, tuple[str, str]]:
    """{iso3: (name_en, name_ru)} for exactly the 15 states, each name with a recorded source."""
    path = Path(path)
    df = read_csv(path, NAMES_COLUMNS, dtype=str).fillna("")
    if sorted(df["iso3"]) != sorted(ISO3):
        raise BuildError(path, "expected one row for each of the 15 states")
    for rec in df.itertuples(index=False):
        if not (rec.name_en and rec.name_en_source and rec.name_ru and rec.name_ru_source):
            raise BuildError(path, f"{rec.iso3}: each name needs a value and a source")
        if not _is_cyrillic(rec.name_ru):
            raise BuildError(path, f"{rec.iso3}: name_ru is not Cyrillic text")
    return {rec.iso3: (rec.name_en, rec.name_ru) for rec in df.itertuples(index=False)}


def read_sources(src_dir: Path, names_path: Path = NAMES_FILE) -> Sources:
    from dashboard.pipeline.snapshots import verify

    paths = {name: src_dir / name for name in SOURCE_FILES}
    for path in paths.values():
        verify(path, src_dir)  # the sha256 in <file>.meta.yml, before anything is read
    admin0 = _read_features(paths[ADMIN0_FILE])
    breakaway = _read_features(paths[BREAKAWAY_FILE])
    admin1 = _read_features(paths[ADMIN1_FILE])

    states: dict[str, Country] = {}
    context: dict[str, Country] = {}
    for feat in admin0:
        props = feat["properties"]
        code = props.get("ADM0_A3")
        if not isinstance(code, str) or len(code) != 3:
            raise BuildError(paths[ADMIN0_FILE], f"feature without a valid ADM0_A3: {code!r}")
        if code in states or code in context:
            raise BuildError(paths[ADMIN0_FILE], f"duplicate ADM0_A3 {code}")
        iso = props.get("ISO_A3_EH")
        try:
            label = (round(float(props["LABEL_X"]), 3), round(float(props["LABEL_Y"]), 3))
        except (KeyError, TypeError, ValueError) as exc:
            raise BuildError(paths[ADMIN0_FILE], f"{code}: bad LABEL_X/LABEL_Y") from exc
        country = Country(
            id=code,
            iso3=iso if isinstance(iso, str) and iso.isalpha() and len(iso) == 3 else None,
            name_en=fix_mojibake(str(props.get("NAME_EN") or props.get("NAME") or code)),
            name_ru=fix_mojibake(str(props.get("NAME_RU") or "")),
            label=label,
            geometry=_polygonal(feat, paths[ADMIN0_FILE], f"ADM0_A3={code}"),
        )
        (states if code in ISO3 else context)[code] = country
    missing = sorted(set(ISO3) - states.keys())
    if missing:
        raise BuildError(paths[ADMIN0_FILE],
                         f"expected feature(s) missing: ADM0_A3 = {', '.join(missing)}")
    names = read_names(names_path)
    for code, country in states.items():
        country.name_en, country.name_ru = names[code]

    brk = _group(breakaway, "BRK_A3", paths[BREAKAWAY_FILE],
                 {c for area in CONTESTED for c in area.breakaway})
    adm1 = _group(admin1, "iso_3166_2", paths[ADMIN1_FILE],
                  {c for area in CONTESTED for c in area.admin1})
    contested: dict[str, Geometry] = {}
    for area in CONTESTED:
        geom = _contested_geometry(area, states[area.state].geometry, adm1, brk)
        if geom.is_empty:
            where = paths[BREAKAWAY_FILE] if area.breakaway else paths[ADMIN1_FILE]
            raise BuildError(where, f"{area.id}: does not overlap {area.state}")
        contested[area.id] = geom

    checksums = {name: _sha256(paths[name]) for name in SOURCE_FILES}
    return Sources(paths=paths, states=states, context=context, contested=contested,
                   checksums=checksums, names_checksum=_sha256(Path(names_path)))


def _contested_geometry(area: ContestedArea, state: Geometry, adm1: dict[str, Geometry],
                        brk: dict[str, Geometry]) -> Geometry:
    """The area's geometry, clipped to its recognised state.

    The 1:50m breakaway polygons do not follow the 1:10m borders and coasts exactly; where
    such a polygon comes within ``BORDER_SNAP_DEG`` of its state's outline, it is extended
    to that outline, so no thin strip of "rest of the state" is left along a border.
    """
    pieces = []
    if area.admin1:
        pieces.append(shapely.union_all([adm1[c] for c in area.admin1], grid_size=NODING_GRID))
    if area.breakaway:
        pieces.append(shapely.union_all([brk[c] for c in area.breakaway],
                                        grid_size=NODING_GRID))
    geom = pieces[0]
    for piece in pieces[1:]:
        geom = shapely.intersection(geom, piece, grid_size=NODING_GRID)
    if area.breakaway:
        near_outline = shapely.intersection(shapely.buffer(geom, BORDER_SNAP_DEG),
                                            shapely.buffer(state.boundary, BORDER_SNAP_DEG))
        geom = shapely.union(geom, near_outline, grid_size=NODING_GRID)
    return _polygons_only(shapely.intersection(geom, state, grid_size=NODING_GRID))


# --- geometry helpers -------------------------------------------------------------------


def _polygons_only(geom: Geometry) -> Geometry:
    polys = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    return shapely.multipolygons(polys) if polys else shapely.MultiPolygon()


def _forward(xy: np.ndarray) -> np.ndarray:
    """lon/lat degrees → km in Lambert's cylindrical equal-area projection (standard
    parallel ``STANDARD_LAT``). x is linear in longitude, so the ±180° seam stays a seam
    and straight edges barely bend."""
    k = math.cos(math.radians(STANDARD_LAT))
    x = EARTH_RADIUS_KM * k * np.radians(xy[:, 0])
    y = EARTH_RADIUS_KM / k * np.sin(np.radians(xy[:, 1]))
    return np.column_stack([x, y])


def _inverse(xy: np.ndarray) -> np.ndarray:
    k = math.cos(math.radians(STANDARD_LAT))
    lon = np.degrees(xy[:, 0] / (EARTH_RADIUS_KM * k))
    lat = np.degrees(np.arcsin(np.clip(xy[:, 1] * k / EARTH_RADIUS_KM, -1.0, 1.0)))
    return np.column_stack([np.clip(lon, -180.0, 180.0), lat])


def to_km(geom: Any) -> Any:
    return shapely.transform(geom, _forward)


def from_km(geom: Any) -> Any:
    return shapely.transform(geom, _inverse)


def _without_small_islands(countries: dict[str, Country],
                           min_km2: dict[str, float]) -> dict[str, Country]:
    """Copies without the polygon parts smaller than the country's threshold that touch no
    other country (islands). Enclaves and exclaves bordering a neighbour are kept."""
    ids = sorted(countries)
    tree = shapely.STRtree([countries[c].geometry for c in ids])
    out: dict[str, Country] = {}
    for cid in ids:
        country = countries[cid]
        parts = list(shapely.get_parts(country.geometry))
        areas = shapely.area(to_km(np.array(parts, dtype=object)))
        keep = []
        for part, area in zip(parts, areas, strict=True):
            if area >= min_km2[cid]:
                keep.append(part)
                continue
            hits = tree.query(part, predicate="intersects")
            if any(ids[h] != cid for h in hits):
                keep.append(part)
        if not keep:  # never drop a whole country: keep its largest part
            keep = [parts[int(np.argmax(areas))]]
        out[cid] = dataclasses.replace(country, geometry=shapely.multipolygons(keep))
    return out


def _faces(geoms: Sequence[Geometry]) -> np.ndarray:
    """Polygonize the noded union of all boundaries: one face per elementary area."""
    lines = shapely.union_all(shapely.boundary(np.array(geoms, dtype=object)),
                              grid_size=NODING_GRID)
    return shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))


def _label_faces(faces: np.ndarray, countries: dict[str, Country],
                 contested: dict[str, Geometry]) -> dict[AtomKey, list[Geometry]]:
    """Assign every face to the country covering most of it (sea faces are dropped) and to
    the contested areas of that country containing it."""
    ids = sorted(countries)
    geoms = [countries[c].geometry for c in ids]
    tree = shapely.STRtree(geoms)
    by_state: dict[str, list[str]] = defaultdict(list)
    for area in CONTESTED:
        by_state[area.state].append(area.id)
    groups: dict[AtomKey, list[Geometry]] = defaultdict(list)
    for face in faces:
        area = face.area
        if area == 0.0:
            continue
        best, best_share = None, 0.0
        for h in tree.query(face, predicate="intersects"):
            share = shapely.intersection(face, geoms[h]).area / area
            if share > best_share:
                best, best_share = ids[h], share
        if best is None or best_share < 0.5:
            continue  # sea or lake between countries
        point = face.point_on_surface()
        labels = tuple(sorted(a for a in by_state.get(best, ())
                              if contested[a].intersects(point)))
        groups[(best, labels)].append(face)
    return groups


def _merge_slivers(atoms: dict[AtomKey, Geometry]) -> dict[AtomKey, Geometry]:
    """Hand thin or tiny parts of an atom to the neighbouring atom of the same country that
    shares most boundary with them (e.g. the strip between a 1:50m contested line and the
    1:10m border it is meant to follow)."""
    atoms = dict(atoms)
    for _ in range(5):
        moved = False
        pieces: list[tuple[AtomKey, Geometry]] = [
            (key, part) for key in sorted(atoms) for part in shapely.get_parts(atoms[key])
        ]
        new: dict[AtomKey, list[Geometry]] = defaultdict(list)
        for key, part in pieces:
            target = key
            if sum(1 for k in atoms if k[0] == key[0]) > 1:
                km = to_km(part)
                area, perimeter = km.area, km.length
                if area < SLIVER_AREA_KM2 or 2.0 * area / perimeter < SLIVER_WIDTH_KM:
                    best_len = 0.0
                    for other in sorted(atoms):
                        if other[0] != key[0] or other == key:
                            continue
                        shared = shapely.intersection(part.boundary, atoms[other].boundary,
                                                      grid_size=NODING_GRID).length
                        if shared > best_len:
                            target, best_len = other, shared
            if target != key:
                moved = True
            new[target].append(part)
        atoms = {k: shapely.coverage_union_all(v) for k, v in new.items()}
        if not moved:
            break
    return atoms


def _densify_ring(coords: np.ndarray, max_len: float) -> np.ndarray:
    """Insert points into segments longer than ``max_len`` degrees. Points of a segment are
    computed from its lexicographically smaller end, so a border shared by two polygons
    (traversed in opposite directions) gets identical points."""
    out = [coords[:1]]
    for a, b in itertools.pairwise(coords):
        n = math.ceil(float(np.hypot(*(b - a))) / max_len)
        if n > 1:
            lo, hi = (a, b) if tuple(a) <= tuple(b) else (b, a)
            t = np.arange(1, n)[:, None] / n
            pts = lo + t * (hi - lo)
            out.append(pts if lo is a else pts[::-1])
        out.append(b[None, :])
    return np.concatenate(out)


def _clean_ring(coords: np.ndarray) -> np.ndarray | None:
    """Round, drop repeated points and spikes; None if the ring degenerates."""
    pts = np.round(coords, DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0
    ring = [tuple(p) for p in pts[:-1]]
    changed = True
    while changed and len(ring) >= 3:
        changed = False
        out: list[tuple[float, float]] = []
        for p in ring:
            if out and out[-1] == p:
                changed = True
                continue
            if len(out) >= 2 and out[-2] == p:  # spike a → b → a
                out.pop()
                changed = True
                continue
            out.append(p)
        while len(out) >= 2 and out[0] == out[-1]:
            out.pop()
            changed = True
        while len(out) >= 3 and out[1] == out[-1]:  # spike across the closing point
            out = out[1:-1]
            changed = True
        ring = out
    if len(ring) < 3:
        return None
    arr = np.array([*ring, ring[0]])
    if signed_area(arr) == 0.0:
        return None
    return arr


def signed_area(ring: Sequence[Sequence[float]] | np.ndarray) -> float:
    """Shoelace area in the lon/lat plane: positive = counter-clockwise."""
    a = np.asarray(ring, dtype=float)
    x, y = a[:, 0], a[:, 1]
    return 0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


def to_d3_coordinates(geom: Geometry) -> tuple[str, list[Any]]:
    """GeoJSON (type, coordinates) with rounded, cleaned rings; exterior rings clockwise and
    holes counter-clockwise (d3-geo's spherical convention)."""
    polygons: list[list[np.ndarray]] = []
    for poly in shapely.get_parts(geom):
        rings: list[np.ndarray] = []
        for i, ring in enumerate([poly.exterior, *poly.interiors]):
            coords = _densify_ring(np.asarray(ring.coords), MAX_SEGMENT_DEG)
            cleaned = _clean_ring(coords)
            if cleaned is None:
                if i == 0:
                    break
                continue
            clockwise = signed_area(cleaned) < 0
            if clockwise != (i == 0):
                cleaned = cleaned[::-1]
            rings.append(cleaned)
        if rings:
            polygons.append(rings)
    if not polygons:
        raise ValueError("geometry vanished after rounding")
    polygons.sort(key=lambda rings: -abs(signed_area(rings[0])))
    coords = [[r.tolist() for r in rings] for rings in polygons]
    if len(coords) == 1:
        return "Polygon", coords[0]
    return "MultiPolygon", coords


def _simplify(atoms: list[Geometry], is_context: list[bool]) -> np.ndarray:
    """Coverage-simplify ``atoms`` (lon/lat) in the equal-area plane; returns km geometries.

    Pass 1 simplifies everything with ``SIMPLIFY_TOLERANCE_KM``. Pass 2 simplifies the
    neighbours harder: it treats them plus the sea around all land (a frame minus the
    land) as a coverage and simplifies only its inner edges, so coasts and borders between
    neighbours move while every edge touching a successor state stays as in pass 1.
    """
    first = shapely.coverage_simplify(to_km(np.array(atoms, dtype=object)),
                                      SIMPLIFY_TOLERANCE_KM)
    mask = np.array(is_context, dtype=bool)
    if not mask.any():
        return first
    land = shapely.coverage_union_all(first)
    xmin, ymin, xmax, ymax = land.bounds
    pad = 1000.0
    sea = shapely.difference(shapely.box(xmin - pad, ymin - pad, xmax + pad, ymax + pad), land)
    second = shapely.coverage_simplify(np.array([*first[mask], sea], dtype=object),
                                       CONTEXT_TOLERANCE_KM, simplify_boundary=False)
    out = first.copy()
    out[mask] = second[:-1]
    return out


# --- serialisation ----------------------------------------------------------------------


def _num(value: float) -> str:
    text = f"{value:.{DECIMALS}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _coords_text(obj: Any) -> str:
    if isinstance(obj, (int, float)):
        return _num(float(obj))
    return "[" + ",".join(_coords_text(v) for v in obj) + "]"


def _feature_text(fid: str, props: dict[str, Any], gtype: str, coords: list[Any]) -> str:
    return (
        '{"type":"Feature","id":' + json.dumps(fid, ensure_ascii=False)
        + ',"properties":' + json.dumps(props, ensure_ascii=False, separators=(",", ":"))
        + ',"geometry":{"type":"' + gtype + '","coordinates":' + _coords_text(coords) + "}}"
    )


def _collection_text(features: list[str]) -> str:
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(features) + "\n]}\n"


def _bounds(coord_lists: Iterable[list[Any]]) -> list[float]:
    pts = np.array([p for coords in coord_lists for p in _flatten_points(coords)])
    return [float(v) for v in (pts[:, 0].min(), pts[:, 1].min(), pts[:, 0].max(),
                               pts[:, 1].max())]


def _flatten_points(obj: Any) -> Iterable[list[float]]:
    if obj and isinstance(obj[0], (int, float)):
        yield obj
        return
    for item in obj:
        yield from _flatten_points(item)


def _check_output(name: str, coord_lists: list[list[Any]]) -> None:
    """Refuse to write a layer whose geometry a d3-geo consumer would draw wrongly."""
    for coords in coord_lists:
        polygons = coords if isinstance(coords[0][0][0], list) else [coords]
        for polygon in polygons:
            for i, ring in enumerate(polygon):
                arr = np.asarray(ring)
                if len(arr) < 4 or not np.array_equal(arr[0], arr[-1]):
                    raise BuildError(name, "degenerate or unclosed ring")
                if (signed_area(arr) < 0) != (i == 0):
                    raise BuildError(name, "ring with the wrong winding for d3-geo")
                if np.any(np.abs(np.diff(arr[:, 0])) > 180.0):
                    raise BuildError(name, "ring crosses the antimeridian")
            geom = shapely.Polygon(polygon[0], polygon[1:])
            if not geom.is_valid:
                raise BuildError(name, f"invalid polygon ({shapely.is_valid_reason(geom)})")


# --- the build --------------------------------------------------------------------------


@dataclasses.dataclass
class Layers:
    texts: dict[str, str]
    meta: dict[str, Any]


def make_layers(src: Sources) -> Layers:
    window = shapely.union_all([shapely.box(*b) for b in WINDOW_BOXES])
    context: dict[str, Country] = {}
    for cid in sorted(src.context):
        country = src.context[cid]
        clipped = _polygons_only(shapely.intersection(country.geometry, window))
        if not clipped.is_empty:
            context[cid] = dataclasses.replace(country, geometry=clipped)
    countries = _without_small_islands({**src.states, **context}, {
        cid: MIN_ISLAND_KM2_STATES if cid in src.states else MIN_ISLAND_KM2_CONTEXT
        for cid in (*src.states, *context)
    })

    order = sorted(countries)
    faces = _faces([countries[c].geometry for c in order]
                   + [src.contested[a.id] for a in CONTESTED])
    groups = _label_faces(faces, countries, src.contested)
    atoms = {key: shapely.coverage_union_all(groups[key]) for key in sorted(groups)}
    atoms = _merge_slivers(atoms)
    keys = sorted(atoms)

    simplified = dict(zip(keys, from_km(_simplify([atoms[k] for k in keys],
                                                   [k[0] in context for k in keys])),
                          strict=True))

    def union(selected: list[AtomKey]) -> Geometry:
        return shapely.coverage_union_all([simplified[k] for k in selected])

    states_out: list[str] = []
    state_coords: list[list[Any]] = []
    for iso in sorted(src.states):
        c = src.states[iso]
        gtype, coords = to_d3_coordinates(union([k for k in keys if k[0] == iso]))
        props = {"iso3": iso, "name_en": c.name_en, "name_ru": c.name_ru,
                 "label_lon": c.label[0], "label_lat": c.label[1]}
        states_out.append(_feature_text(iso, props, gtype, coords))
        state_coords.append(coords)

    context_out: list[str] = []
    context_coords: list[list[Any]] = []
    for cid in sorted(context):
        selected = [k for k in keys if k[0] == cid]
        if not selected:
            continue
        c = context[cid]
        gtype, coords = to_d3_coordinates(union(selected))
        context_out.append(_feature_text(cid, {"iso3": c.iso3, "name_en": c.name_en},
                                         gtype, coords))
        context_coords.append(coords)

    contested_out: list[str] = []
    contested_coords: list[list[Any]] = []
    for area in sorted(CONTESTED, key=lambda a: a.id):
        selected = [k for k in keys if area.id in k[1]]
        if not selected:
            raise BuildError(src.paths[BREAKAWAY_FILE if area.breakaway else ADMIN1_FILE],
                             f"{area.id}: nothing left after assembling the layers")
        gtype, coords = to_d3_coordinates(union(selected))
        props = {
            "name_en": area.name_en, "name_ru": area.name_ru, "state": area.state,
            "year_from": area.year_from, "year_to": area.year_to,
            "approximate": area.approximate, "status_note": area.status_note,
            "source": area.source,
        }
        contested_out.append(_feature_text(area.id, props, gtype, coords))
        contested_coords.append(coords)

    for name, coord_lists in ((STATES_FILE, state_coords), (CONTEXT_FILE, context_coords),
                              (CONTESTED_FILE, contested_coords)):
        _check_output(name, coord_lists)
    texts = {
        STATES_FILE: _collection_text(states_out),
        CONTEXT_FILE: _collection_text(context_out),
        CONTESTED_FILE: _collection_text(contested_out),
    }
    common = {
        "simplification": {
            "method": "shapely.coverage_simplify (Visvalingam-Whyatt) on the shared coverage "
                      "of states, neighbours and contested areas, in Lambert's cylindrical "
                      f"equal-area projection (true at {STANDARD_LAT:g}°N); neighbours "
                      "simplified again, harder, except along the states' borders",
            "tolerance_km": SIMPLIFY_TOLERANCE_KM,
            "context_tolerance_km": CONTEXT_TOLERANCE_KM,
            "coordinate_decimals": DECIMALS,
            "max_segment_deg": MAX_SEGMENT_DEG,
        },
        "winding": "exterior rings clockwise, holes counter-clockwise (d3-geo)",
    }
    sources_all = [{"file": n, "sha256": src.checksums[n]} for n in SOURCE_FILES]
    layer_sources = {
        STATES_FILE: [ADMIN0_FILE],
        CONTEXT_FILE: [ADMIN0_FILE],
        CONTESTED_FILE: list(SOURCE_FILES),
    }
    coords_by_file = {STATES_FILE: state_coords, CONTEXT_FILE: context_coords,
                      CONTESTED_FILE: contested_coords}
    islands = {STATES_FILE: MIN_ISLAND_KM2_STATES, CONTEXT_FILE: MIN_ISLAND_KM2_CONTEXT,
               CONTESTED_FILE: MIN_ISLAND_KM2_STATES}
    layers: dict[str, Any] = {}
    for name, text in texts.items():
        layers[name.removesuffix(".geojson")] = {
            "file": name,
            "features": len(coords_by_file[name]),
            "bytes": len(text.encode("utf-8")),
            "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "bounds": _bounds(coords_by_file[name]),
            "min_island_km2": islands[name],
            "sources": [s for s in sources_all if s["file"] in layer_sources[name]],
        }
    meta = {
        "credit": NE_CREDIT,
        "state_names": {"file": "data/sources/curated/" + NAMES_FILE.name,
                        "sha256": src.names_checksum},
        **common,
        "context_window": [list(b) for b in WINDOW_BOXES],
        "layers": layers,
        "total_bytes": sum(v["bytes"] for v in layers.values()),
    }
    return Layers(texts=texts, meta=meta)


def build_geodata(src_dir: Path = GEO_SOURCES_DIR, out_dir: Path = GEODATA_DIR) -> dict[str, Path]:
    """Build the three boundary layers and their metadata from ``src_dir`` into ``out_dir``.

    Sources are read and checked, and all layers are computed, before anything is written;
    each file is replaced atomically. Returns the written paths by layer name.
    """
    src_dir, out_dir = Path(src_dir), Path(out_dir)
    layers = make_layers(read_sources(src_dir))
    written: dict[str, Path] = {}
    for name, text in layers.texts.items():
        path = out_dir / name
        write_text(path, text)
        written[name.removesuffix(".geojson")] = path
    meta_path = out_dir / META_FILE
    write_json(meta_path, layers.meta)
    written["layers_meta"] = meta_path
    return written


if __name__ == "__main__":
    for layer, path in build_geodata().items():
        print(f"{layer}: {path} ({path.stat().st_size} bytes)")
