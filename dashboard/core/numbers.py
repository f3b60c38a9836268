"""Number text shared by the pipeline (legend class labels) and the app (tooltips, tables).

Not presentation code: no Dash, no plotly; the pipeline may import it.
"""

from __future__ import annotations


def fmt_number(v: float) -> str:
    """Compact, readable numbers: 1,000 / 0.5 / −10 (typographic minus)."""
    if float(v).is_integer():
        s = f"{int(v):,}"
    else:
        s = f"{v:,.3f}".rstrip("0").rstrip(".")
    return s.replace("-", "−")
