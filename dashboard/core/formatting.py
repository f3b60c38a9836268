"""Number formatting, shared by legends, tooltips, tables and downloads."""

from __future__ import annotations

import math

from dashboard.core.numbers import fmt_number


def fmt_value(value: float | None, unit: str) -> str:
    """A value with its unit, for tooltips: '12,345 persons', '3.2 per 1,000 population'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "no data"
    if abs(value) >= 100 or float(value).is_integer():
        num = fmt_number(round(value))
    elif abs(value) >= 1:
        num = fmt_number(round(value, 2))
    else:
        num = f"{value:.3g}".replace("-", "−")
    if unit in ("persons",):
        return f"{num} people" if value != 1 else "1 person"
    if not unit_in_label(unit):
        return num
    return f"{num} {unit}"


def unit_in_label(unit: str) -> bool:
    """Whether fmt_value writes the unit after the number ('12 people', '3.2 per 1,000 population');
    a score, an index or a rating is a bare number (its scale is said beside it, e.g. in a tooltip)."""
    return not unit.startswith(("index", "score", "rating"))
