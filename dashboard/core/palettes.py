"""The app's drawing colours: the no-data grey, the neighbours, borders, the ocean.

The legend classes' colours are not here: they are metadata, chosen at build time from
``data/sources/curated/palettes.yaml`` (ColorBrewer and Okabe–Ito schemes, all
colour-blind-safe) and published in the catalogue (``indicators.json`` / ``organisations.json``),
which is what the app reads.
"""

from __future__ import annotations

NO_DATA = "#9b9b9b"        # countries without a value: mid grey, never a palette colour
CONTEXT_FILL = "#e6e3dc"   # neighbours outside the 15
CONTEXT_LINE = "#fbfaf8"
BORDER = "#ffffff"
OCEAN = "#f5f7f9"
CONTESTED_LINE = "#1f1f1f"
