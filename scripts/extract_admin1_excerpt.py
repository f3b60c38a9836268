"""Extract the few Natural Earth admin-1 units the boundary build needs into the repo.

The full admin-1 file (6.5 MB, 452 features) lives in the shared, read-only data folder and
is too large to commit. The build (``dashboard/pipeline/geo.py``) needs only:

* Crimea: UA-43 (Autonomous Republic of Crimea) and UA-40 (Sevastopol). Natural Earth codes
  them ``adm0_a3 = "RUS"`` (de-facto view); the excerpt re-assigns them to ``UKR`` by the
  ``UA-`` prefix of ``iso_3166_2`` and keeps the original code in ``adm0_a3_ne``.
* The four Ukrainian oblasts Russia claims to have annexed in 2022: UA-14 Donetsk, UA-09 Luhansk,
  UA-23 Zaporizhzhia, UA-65 Kherson (whole oblasts).
* Abkhazia: GE-AB (1:10m outline, same line as the Georgian admin-0 border).
* The Azerbaijani districts used to approximate the Nagorno-Karabakh area held after the
  November 2020 ceasefire: AZ-XA Stepanakert (Khankendi), AZ-XCI Khojali, AZ-XVD Khojavend,
  AZ-TAR Tartar.

``iso_3166_2`` is not unique in the source (multi-part units are several rows), so rows are
dissolved by it. Geometry is otherwise unchanged (6 decimals, as in the source); only a small
set of attributes is kept. Output is sorted by code and byte-for-byte reproducible.

Usage::

    python scripts/extract_admin1_excerpt.py [SOURCE] [OUTPUT]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.core.config import GEO_SOURCES_DIR  # noqa: E402
from dashboard.pipeline.io import write_text  # noqa: E402

DEFAULT_SOURCE = Path(
    "/work/shared/data-sources/geodata/ne_10m_admin_1_states_provinces_v5.1_postsoviet15.geojson"
)
DEFAULT_OUTPUT = GEO_SOURCES_DIR / "ne_10m_admin_1_excerpt.geojson"

CODES: tuple[str, ...] = (
    "AZ-TAR", "AZ-XA", "AZ-XCI", "AZ-XVD",
    "GE-AB",
    "UA-09", "UA-14", "UA-23", "UA-40", "UA-43", "UA-65",
)
KEEP: tuple[str, ...] = (
    "iso_3166_2", "adm1_code", "name", "name_en", "name_ru", "name_uk",
    "type_en", "wikidataid", "ne_id",
)
ISO2_TO_ISO3 = {"AZ": "AZE", "GE": "GEO", "UA": "UKR"}


def _round_coords(obj: Any, ndigits: int = 6) -> Any:
    if isinstance(obj, float):
        return round(obj, ndigits)
    if isinstance(obj, list):
        return [_round_coords(v, ndigits) for v in obj]
    return obj


def extract(source: Path, codes: tuple[str, ...] = CODES) -> dict[str, Any]:
    data = json.loads(source.read_text(encoding="utf-8"))
    rows: dict[str, list[dict[str, Any]]] = {code: [] for code in codes}
    for feat in data["features"]:
        code = feat["properties"].get("iso_3166_2")
        if code in rows:
            rows[code].append(feat)
    missing = [code for code, feats in rows.items() if not feats]
    if missing:
        raise SystemExit(f"{source}: no features for {', '.join(missing)}")

    features = []
    for code in sorted(codes):
        feats = rows[code]
        if len(feats) == 1:
            geometry = feats[0]["geometry"]
        else:
            merged = shapely.union_all([shape(f["geometry"]) for f in feats], grid_size=1e-6)
            geometry = json.loads(shapely.to_geojson(merged))
        first = feats[0]["properties"]
        props: dict[str, Any] = {key: first.get(key) for key in KEEP}
        props["adm0_a3"] = ISO2_TO_ISO3[code.split("-")[0]]
        props["adm0_a3_ne"] = first.get("adm0_a3")
        props["source_rows"] = len(feats)
        features.append({
            "type": "Feature",
            "properties": props,
            "geometry": {"type": geometry["type"],
                         "coordinates": _round_coords(geometry["coordinates"])},
        })
    return {
        "type": "FeatureCollection",
        "name": "ne_10m_admin_1_excerpt",
        "features": features,
    }


def main(argv: list[str]) -> None:
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    output = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUTPUT
    collection = extract(source)
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in collection["features"]]
    text = (
        '{"type":"FeatureCollection","name":"ne_10m_admin_1_excerpt","features":[\n'
        + ",\n".join(lines)
        + "\n]}\n"
    )
    write_text(output, text)
    print(f"{output}: {len(lines)} features, {output.stat().st_size} bytes")


if __name__ == "__main__":
    main(sys.argv)
