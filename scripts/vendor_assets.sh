#!/usr/bin/env bash
# Re-create the third-party browser files the app serves itself (no CDN, works offline).
# Needs npm and the npm registry; the results are committed, so running the app never needs npm.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && npm pack --silent plotly.js-geo-dist-min@4.1.1 >/dev/null
  npm pack --silent regenerator-runtime@0.14.1 >/dev/null
  for f in *.tgz; do mkdir "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}"; done )
cp "$tmp"/plotly.js-geo-dist-min-4.1.1/package/plotly-geo.min.js assets/vendor/plotly-geo.min.js
cp "$tmp"/plotly.js-geo-dist-min-4.1.1/package/LICENSE assets/vendor/LICENSE.plotly.txt
# Dash's components call a global regeneratorRuntime, which Dash gets from @babel/polyfill
# (≈100 kB of core-js that current browsers do not need; dashboard/web/app.py leaves it out)
cp "$tmp"/regenerator-runtime-0.14.1/package/runtime.js assets/vendor/regenerator-runtime.js
cp "$tmp"/regenerator-runtime-0.14.1/package/LICENSE assets/vendor/LICENSE.regenerator-runtime.txt
# plotly.js fetches <topojsonURL>/world_110m.json for its base layers even when every trace brings
# its own GeoJSON. The atlas hides all base layers (land, ocean, coastlines, countries) and draws
# its own boundaries, so it serves an empty topology with the object names plotly looks up.
python3 - <<'PY'
import json
names = ["coastlines", "land", "ocean", "lakes", "rivers", "countries", "subunits"]
stub = {"type": "Topology", "objects": {n: {"type": "GeometryCollection", "geometries": []} for n in names},
        "arcs": [], "transform": {"scale": [0.036003600360036005, 0.018001800180018002], "translate": [-180, -90]}}
with open("assets/topojson/world_110m.json", "w") as fh:
    json.dump(stub, fh, separators=(",", ":"))
PY
echo "vendored plotly.js-geo-dist-min 4.1.1 and regenerator-runtime 0.14.1; wrote the empty base topology"
