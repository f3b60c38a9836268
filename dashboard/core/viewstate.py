"""The view state in the URL: ``?layer=<indicator id>&year=<yyyy>&country=<iso3>``.

Parsing never fails: an unknown or malformed value falls back to the default and produces a
notice that the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

from dashboard.core.config import DEFAULT_YEAR, ISO3, YEARS

DEFAULT_LAYER = "cis"
MAX_PARAM_LEN = 64


@dataclass
class ViewState:
    layer: str = DEFAULT_LAYER
    year: int = DEFAULT_YEAR
    country: str | None = None
    present: bool = False
    story: str | None = None
    step: int = 0
    notices: list[str] = field(default_factory=list)

    def query(self) -> str:
        params: dict[str, str] = {"layer": self.layer, "year": str(self.year)}
        if self.country:
            params["country"] = self.country
        if self.present:
            params["present"] = "1"
        if self.story:
            params["story"] = self.story
            params["step"] = str(self.step + 1)
        return "?" + urlencode(params)


def _clean(text: str) -> str:
    """A user-supplied value, safe to echo back in a notice."""
    short = text[:MAX_PARAM_LEN]
    return "".join(ch if ch.isprintable() else "?" for ch in short) + ("…" if len(text) > MAX_PARAM_LEN else "")


def parse_query(query: str | dict[str, list[str]] | None, layers: set[str],
                stories: dict[str, int] | None = None) -> ViewState:
    """Parse a query string (with or without '?') or a parsed mapping against the known layers
    and stories (story id → number of steps; ``step`` in the URL counts from 1)."""
    if isinstance(query, dict):
        params = query
    else:
        params = parse_qs((query or "").lstrip("?"), keep_blank_values=True)
    state = ViewState()

    def first(name: str) -> str | None:
        vals = params.get(name)
        return vals[0] if vals else None

    layer = first("layer")
    if layer is not None:
        if layer in layers:
            state.layer = layer
        else:
            state.notices.append(f"Unknown layer “{_clean(layer)}”: showing the default layer instead.")
    year = first("year")
    if year is not None:
        y = year.strip()
        if y.isascii() and y.isdigit() and len(y) == 4 and int(y) in YEARS:
            state.year = int(y)
        else:
            state.notices.append(
                f"Year “{_clean(year)}” is not between {YEARS[0]} and {YEARS[-1]}: showing {DEFAULT_YEAR}.")
    country = first("country")
    if country is not None and country != "":
        c = country.strip().upper()
        if c in ISO3:
            state.country = c
        else:
            state.notices.append(f"Unknown country “{_clean(country)}”: no country selected.")
    present = first("present")
    state.present = present in ("1", "true", "yes")
    story = first("story")
    if story:
        n_steps = (stories or {}).get(story)
        if n_steps is None:
            state.notices.append(f"Unknown story “{_clean(story)}”: no story opened.")
        else:
            state.story = story
            step = (first("step") or "1").strip()
            if step.isascii() and step.isdigit() and 1 <= int(step) <= n_steps:
                state.step = int(step) - 1
            else:
                state.notices.append(f"Step “{_clean(step)}” is not between 1 and {n_steps}: "
                                     "starting the story at step 1.")
    return state
