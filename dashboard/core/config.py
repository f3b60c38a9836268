"""Facts defined once: the 15 states, the year range, paths.

Everything else in the package imports these names instead of repeating them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
DATA_DIR = ROOT / "data"
SOURCES_DIR = DATA_DIR / "sources"
CURATED_DIR = SOURCES_DIR / "curated"
PROCESSED_DIR = DATA_DIR / "processed"
GEODATA_DIR = ROOT / "geodata"
GEO_SOURCES_DIR = GEODATA_DIR / "sources"
ASSETS_DIR = ROOT / "assets"

# ISO 3166-1 alpha-3 of the 15 successor states of the USSR, alphabetical.
ISO3: tuple[str, ...] = (
    "ARM", "AZE", "BLR", "EST", "GEO", "KAZ", "KGZ", "LVA",
    "LTU", "MDA", "RUS", "TJK", "TKM", "UKR", "UZB",
)

NAMES_EN: dict[str, str] = {
    "ARM": "Armenia", "AZE": "Azerbaijan", "BLR": "Belarus", "EST": "Estonia",
    "GEO": "Georgia", "KAZ": "Kazakhstan", "KGZ": "Kyrgyzstan", "LVA": "Latvia",
    "LTU": "Lithuania", "MDA": "Moldova", "RUS": "Russia", "TJK": "Tajikistan",
    "TKM": "Turkmenistan", "UKR": "Ukraine", "UZB": "Uzbekistan",
}

# Regional groupings used by presets in the filtered views.
REGIONS: dict[str, tuple[str, ...]] = {
    "baltic": ("EST", "LVA", "LTU"),
    "eastern_europe": ("BLR", "MDA", "RUS", "UKR"),
    "south_caucasus": ("ARM", "AZE", "GEO"),
    "central_asia": ("KAZ", "KGZ", "TJK", "TKM", "UZB"),
}

FIRST_YEAR = 1991
# The atlas runs to the current year. Memberships for the current (unfinished) year are
# the status in force on AS_OF; statistical series mostly end in 2025.
AS_OF = dt.date(2026, 11, 25)
LAST_YEAR = AS_OF.year
YEARS: tuple[int, ...] = tuple(range(FIRST_YEAR, LAST_YEAR + 1))
DEFAULT_YEAR = 2025


def status_reference_date(year: int) -> dt.date:
    """The day on which a year's membership status is read: 31 December, or AS_OF for
    the current year."""
    return min(dt.date(year, 12, 31), AS_OF)
