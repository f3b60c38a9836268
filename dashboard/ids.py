"""Every component id of the page, in one place (imports nothing from the package).

Stable ids (users and tests automate against them; keep them): MAP, SLIDER, LAYER, PLAY, PANEL,
PRESENT, STORY_SELECT, STORY_PREV, STORY_NEXT, STORY_COUNT, TAB_MAP, TAB_DATA, TAB_SOURCES, CHART,
RANKING, MAP_COMPARE, CITE_TEXT, EMBED_CODE.
The browser's modules (assets/atlas/*.js) use the same strings.
"""

from __future__ import annotations

# the page
APP = "app-root"
NOTICE = "notice"
TAB_MAP, TAB_DATA, TAB_SOURCES = "tab-map", "tab-data", "tab-sources"
TAB_CHART, TAB_RANK, TAB_COMPARE = "tab-chart", "tab-rank", "tab-compare"
TAB_OVERLAP, TAB_FLOWS = "tab-overlap", "tab-flows"
VIEW_MAP, VIEW_DATA, VIEW_SOURCES = "view-map", "view-data", "view-sources"

# the map view
MAP = "map"
MAP_PLOT = "map-plot"
MAP_POSTER = "map-poster"
SLIDER = "year-slider"
LAYER = "layer-select"
PER_CAPITA = "per-capita"
COUNTRY_PICKER = "country-picker"
REGION_SELECT = "region-select"
SLIDER_COVERAGE = "slider-coverage"
PER_CAPITA_BOX = "per-capita-box"
PLAY = "play-button"
PLAY_SPEED = "play-speed"
LEGEND = "legend"
SOURCE_LINE = "source-line"
LAYER_DESCRIPTION = "layer-description"
MAP_SUMMARY = "map-summary"
MAP_TABLE = "map-table"
EVENTS_TITLE = "events-title"
EVENTS_STRIP = "events-strip"

# the chart, ranking and compare views (inside the map view's panel: they share its controls)
MAP_BOX = "map-box"
CHART_BOX = "chart-box"
CHART = "chart"
CHART_STATES = "chart-states"
CHART_ALL = "chart-all"
CHART_SCALE = "chart-scale"
CHART_LEGEND = "chart-legend"
CHART_WIDE = "chart-wide"
RANKING = "ranking"
COMPARE_BOX = "compare-box"
MAP_COMPARE = "map-compare"
COMPARE_LEFT, COMPARE_RIGHT = "compare-left", "compare-right"
COMPARE_LEFT_CAPTION, COMPARE_RIGHT_CAPTION = "compare-left-caption", "compare-right-caption"
COMPARE_YEAR2 = "compare-year2"
COMPARE_LAYER2 = "compare-layer2"

# the overlap and flows views (inside the map view's panel too; drawn by assets/atlas/overlap.js
# and assets/atlas/flows.js)
OVERLAP_BOX = "overlap-box"
OVERLAP_GRID = "overlap-grid"        # states × organisations in the slider's year
OVERLAP_COUNTS = "overlap-counts"    # full members of each organisation by year
FLOWS_BOX = "flows-box"
FLOWS_CHART = "flows-chart"          # top partners (bars), "others" summed
FLOWS_MAP = "flows-map"              # the wider region, partners shaded
FLOWS_TITLE = "flows-title"          # what is shown: state, direction, year (and the default's note)
FLOWS_CONTROLS = "flows-controls"    # the state and the direction (plain fields, written by flows.js)
FLOWS_NOTE = "flows-note"            # totals, and why they may differ from the refugees layer
FLOWS_TABLE = "flows-table"          # the chart's text alternative (visually hidden table)
FLOWS_DOWNLOADS = "flows-downloads"  # CSV of the pairs shown, PNG/SVG of the chart and the map
FLOWS_CSV = "flows-csv"

# share, embed, cite
SHARE_BOX = "share-box"
SHARE_LINK = "share-link"
COPY_LINK = "copy-link"
EMBED_CODE = "embed-code"
COPY_EMBED = "copy-embed"
CITE_TEXT = "cite-text"
CITE_BIBTEX = "cite-bibtex"
COPY_CITE = "copy-cite"
SHARE_STATUS = "share-status"
EMBED_OPEN = "embed-open"

# presentation and stories
PRESENT = "present-button"
STORY_SELECT = "story-select"
STORY_BOX = "story-box"
STORY_HEADING = "story-heading"
STORY_STEP_TITLE = "story-step-title"
STORY_CAPTION = "story-caption"
STORY_SOURCES = "story-sources"
STORY_PREV = "story-prev"
STORY_NEXT = "story-next"
STORY_END = "story-end"
STORY_COUNT = "story-count"

# the country panel
PANEL = "country-panel"
PANEL_CLOSE = "panel-close"
PANEL_TITLE = "panel-title"
PANEL_SERIES = "panel-series"
PANEL_MEMBERSHIPS = "panel-memberships"
PANEL_REGIME = "panel-regime"
PANEL_EVENTS = "panel-events"
PANEL_BODY = "panel-body"

# the data and sources tabs
DATA_SLOT = "data-tab-slot"
SOURCES_SLOT = "sources-tab-slot"

# stores: the page's boot, and the requests the browser's renderer writes for the server (the
# layers' payloads and the page's facts are JSON files the page fetches: views/page_data.py)
META = "meta"                  # (an output for the controls' clientside callback; empty)
LAYER_DATA = "layer-data"      # {layer, year, meta, layer_url}: the layout's view and the files' addresses
DATA_REQ = "data-req"          # {indicators, countries, from, to}
SOURCES_REQ = "sources-req"    # true once the sources tab was opened

# the data tab
DATA = {
    "indicators": "data-indicators",
    "preset": "data-preset",
    "members_box": "data-members-box",
    "preset_org": "data-preset-org",
    "preset_year": "data-preset-year",
    "countries": "data-countries",
    "years": "data-years",
    "table": "data-table",
    "count": "data-row-count",
    "csv": "download-table-csv",
    "xlsx": "download-table-xlsx",
    "zip": "download-dataset-zip",
    "wide": "download-table-wide",
    "download_table": "data-download-table",
    "download_dataset": "data-download-dataset",
}

# the download menu of the map view
DOWNLOADS = {
    "menu": "download-menu",
    "csv": "download-csv",
    "xlsx": "download-xlsx",
    "geojson": "download-geojson",
    "png": "download-png",
    "svg": "download-svg",
    "slide": "download-slide",
    "image_status": "download-image-status",
}
