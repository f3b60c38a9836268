"""Colours, defined once. Every palette here is colour-blind-safe: ColorBrewer sequential
single-hue and the diverging PuOr / RdYlBu schemes (marked CVD-safe by ColorBrewer), and the
Okabe–Ito set for unordered categories.

A palette is asked for with a number of classes and returns that many colours, ordered from the
first class to the last.
"""

from __future__ import annotations

NO_DATA = "#9b9b9b"        # countries without a value: mid grey, never a palette colour
CONTEXT_FILL = "#e6e3dc"   # neighbours outside the 15
CONTEXT_LINE = "#fbfaf8"
BORDER = "#ffffff"
OCEAN = "#f5f7f9"
CONTESTED_LINE = "#1f1f1f"

# ColorBrewer schemes (Cynthia Brewer, colorbrewer2.org; Apache-2.0), 9-class versions.
_SEQ: dict[str, list[str]] = {
    "seq_blue": ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6",
                 "#2171b5", "#08519c", "#08306b"],
    "seq_purple": ["#fcfbfd", "#efedf5", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba",
                   "#6a51a3", "#54278f", "#3f007d"],
    "seq_green": ["#f7fcf5", "#e5f5e0", "#c7e9c0", "#a1d99b", "#74c476", "#41ab5d",
                  "#238b45", "#006d2c", "#00441b"],
    "seq_orange": ["#fff5eb", "#fee6ce", "#fdd0a2", "#fdae6b", "#fd8d3c", "#f16913",
                   "#d94801", "#a63603", "#7f2704"],
    "seq_teal": ["#f7fcfd", "#e5f5f9", "#ccece6", "#99d8c9", "#66c2a4", "#41ae76",
                 "#238b45", "#006d2c", "#00441b"],
    "seq_grey_blue": ["#fff7fb", "#ece7f2", "#d0d1e6", "#a6bddb", "#74a9cf", "#3690c0",
                      "#0570b0", "#045a8d", "#023858"],
    # YlGnBu: low = yellow (less democratic), high = dark blue (more democratic)
    "seq_regime": ["#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0",
                   "#225ea8", "#253494", "#081d58"],
}
_DIV: dict[str, list[str]] = {
    # PuOr 11: purple = negative (net emigration), orange = positive (net immigration)
    "div_purple_orange": ["#2d004b", "#542788", "#8073ac", "#b2abd2", "#d8daeb", "#f7f7f7",
                          "#fee0b6", "#fdb863", "#e08214", "#b35806", "#7f3b08"],
    # RdYlBu 11: red = autocratic, blue = democratic
    "div_regime": ["#a50026", "#d73027", "#f46d43", "#fdae61", "#fee090", "#ffffbf",
                   "#e0f3f8", "#abd9e9", "#74add1", "#4575b4", "#313695"],
}
_CAT: dict[str, list[str]] = {
    # V-Dem RoW in category order: liberal democracy, electoral democracy, electoral autocracy,
    # closed autocracy (RdYlBu 4, reversed)
    "cat_regime4": ["#2c7bb6", "#abd9e9", "#fdae61", "#d7191c"],
    # Freedom House: Free, Partly Free, Not Free
    "cat_fh3": ["#4575b4", "#fee090", "#d73027"],
    # ratings 1 (most free) .. 7 (least free): RdYlBu 7 reversed
    "cat_rating7": ["#4575b4", "#91bfdb", "#e0f3f8", "#ffffbf", "#fee090", "#fc8d59", "#d73027"],
    # Okabe & Ito (2008) colour-universal-design set, without black
    "okabe_ito": ["#0072B2", "#56B4E9", "#009E73", "#E69F00", "#D55E00", "#CC79A7",
                  "#F0E442", "#999999"],
}

# Membership layers: "darker = further inside". Statuses of belonging (member, candidate,
# observer…) take YlGnBu steps from dark to light in the organisation's order; statuses of leaving
# or standing aside take Okabe–Ito warm colours; the default ("not a member") is a pale sand,
# distinct from NO_DATA.
_INSIDE = ["#081d58", "#253494", "#225ea8", "#1d91c0", "#41b6c4", "#7fcdbb", "#c7e9b4", "#edf8b1"]
_OUTSIDE_WARM = ["#D55E00", "#E69F00", "#CC79A7", "#8c6d31", "#F0E442"]
EXIT_STATUSES = {"withdrawn", "suspended", "not_participating", "participation_ended", "frozen",
                 "never_joined", "merged", "dissolved"}
NOT_MEMBER = "#f3ead7"

PALETTE_NAMES = tuple(sorted({*_SEQ, *_DIV, *_CAT}))


def _spread(colours: list[str], n: int) -> list[str]:
    """Pick n colours spread evenly over a longer ordered scheme (n ≥ 1)."""
    if n <= 0:
        return []
    if n > len(colours):
        raise ValueError(f"{n} classes asked of a {len(colours)}-colour scheme")
    if n == len(colours):
        return list(colours)
    if n == 1:
        return [colours[len(colours) // 2]]
    step = (len(colours) - 1) / (n - 1)
    return [colours[round(i * step)] for i in range(n)]


def colours(name: str, n: int) -> list[str]:
    """n colours of the named palette, first class first."""
    if name in _CAT:
        base = _CAT[name]
        if n > len(base):
            raise ValueError(f"palette {name!r} has only {len(base)} colours, {n} asked")
        return base[:n]
    if name in _SEQ:
        # skip the near-white first colour so that the lowest class stays visible on the map
        return _spread(_SEQ[name][1:], n)
    if name in _DIV:
        scheme = _DIV[name]
        if n % 2 == 0:
            # drop the neutral middle for an even number of classes
            mid = len(scheme) // 2
            scheme = scheme[:mid] + scheme[mid + 1:]
        return _spread(scheme, n)
    raise ValueError(f"unknown palette {name!r}")


def membership_colours(statuses: list[dict]) -> list[str]:
    """Colours for an organisation's statuses, in their order (see the note above)."""
    inside = [s for s in statuses if not s.get("default") and s["id"] not in EXIT_STATUSES]
    if len(inside) == 1:
        blues = [_INSIDE[2]]
    else:
        blues = _spread(_INSIDE[:7], len(inside))
    out: list[str] = []
    bi = wi = 0
    for s in statuses:
        if s.get("default"):
            out.append(NOT_MEMBER)
        elif s["id"] in EXIT_STATUSES:
            out.append(_OUTSIDE_WARM[wi % len(_OUTSIDE_WARM)])
            wi += 1
        else:
            out.append(blues[bi])
            bi += 1
    return out
