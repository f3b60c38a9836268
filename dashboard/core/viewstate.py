"""The view state and its address: ``?layer=&year=&country=&view=&year2=&layer2=&scale=&flow=&indicators=
&countries=&from=&to=&present=&embed=&story=&step=``.

What the user sees is a function of one :class:`ViewState`; the address serialises it. This is the
Python half; ``assets/atlas/address.js`` is the browser's, and both run the shared cases in
``tests/cases/address.json``. Parsing never fails: a bad value falls back to its default with a
notice, and the canonical address (``ViewState.query``) leaves it out.

The context (``address_context``) says what is valid: layers (with their per-1,000 twins),
indicators, years, states, views, stories (each step's layer and year).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, quote

from dashboard.core.config import DEFAULT_YEAR, ISO3, YEARS

DEFAULT_LAYER = "cis"
DEFAULT_INDICATORS: tuple[str, ...] = ("cis",)
VIEWS: tuple[str, ...] = ("map", "chart", "rank", "compare", "overlap", "flows", "data", "sources")
SCALES: tuple[str, ...] = ("linear", "log")
FLOWS: tuple[str, ...] = ("out", "in")    # flows view: people from the state (out) or hosted by it (in)
REGION_IDS: tuple[str, ...] = ("all", "west", "caucasus", "central_asia")
MAX_PARAM_LEN = 64
_TRUE = ("1", "true", "yes")


@dataclass
class DataSelection:
    """The data tab's selection: indicators, states and a year range."""

    indicators: list[str] = field(default_factory=lambda: list(DEFAULT_INDICATORS))
    countries: list[str] = field(default_factory=lambda: list(ISO3))
    year_from: int = YEARS[0]
    year_to: int = YEARS[-1]

    def as_dict(self) -> dict[str, Any]:
        return {"indicators": list(self.indicators), "countries": list(self.countries),
                "from": self.year_from, "to": self.year_to}


@dataclass
class ViewState:
    view: str = "map"
    layer: str = DEFAULT_LAYER
    year: int = DEFAULT_YEAR
    country: str | None = None
    present: bool = False
    story: str | None = None
    step: int = 0                     # from 0; the address counts from 1
    region: str = "all"
    year2: int | None = None          # compare view: the right map's year (None: the same year)
    layer2: str | None = None         # compare view: the right map's layer (None: the same layer)
    scale: str = "linear"             # chart view: the y axis of a count layer
    embed: bool = False               # the view without the page's chrome (may be framed)
    flow: str = "out"                 # flows view: refugees from the state (out) or hosted by it (in)
    data: DataSelection = field(default_factory=DataSelection)
    notices: list[str] = field(default_factory=list)
    notice_params: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The state as the browser's state object has it (tests/cases/address.json)."""
        return {"view": self.view, "region": self.region, "layer": self.layer, "year": self.year,
                "country": self.country, "present": self.present, "story": self.story, "step": self.step,
                "year2": self.year2, "layer2": self.layer2, "scale": self.scale, "embed": self.embed,
                "flow": self.flow, "data": self.data.as_dict()}

    def query(self) -> str:
        """The canonical address of this state."""
        parts: list[tuple[str, str]] = [("layer", self.layer), ("year", str(self.year))]
        if self.country:
            parts.append(("country", self.country))
        if self.view != "map":
            parts.append(("view", self.view))
        if self.region != "all":
            parts.append(("region", self.region))
        if self.year2 is not None:
            parts.append(("year2", str(self.year2)))
        if self.layer2:
            parts.append(("layer2", self.layer2))
        if self.scale != "linear":
            parts.append(("scale", self.scale))
        if self.flow == "in":
            parts.append(("flow", "in"))
        d, dd = self.data, DataSelection()
        if d.indicators != dd.indicators:
            parts.append(("indicators", ",".join(d.indicators)))
        if d.countries != dd.countries:
            parts.append(("countries", ",".join(d.countries)))
        if d.year_from != dd.year_from:
            parts.append(("from", str(d.year_from)))
        if d.year_to != dd.year_to:
            parts.append(("to", str(d.year_to)))
        if self.present:
            parts.append(("present", "1"))
        if self.embed:
            parts.append(("embed", "1"))
        if self.story:
            parts += [("story", self.story), ("step", str(self.step + 1))]
        return "?" + "&".join(f"{k}={quote(v, safe=',')}" for k, v in parts)


def address_context(data: Any, stories: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """What the address may name, from the loaded data and the stories (shipped to the browser)."""
    covered = _covered_years(data)
    layers = {i["id"]: {"per_1000": i.get("per_1000"), "per_1000_of": i.get("per_1000_of"),
                        "covered": covered.get(i["id"], [YEARS[0], YEARS[-1]])}
              for i in data.indicators.values() if i["map"]}
    return {
        "layers": layers,
        "indicators": list(data.indicators),
        "years": [YEARS[0], YEARS[-1]],
        "iso3": list(ISO3),
        "views": list(VIEWS),
        "regions": list(REGION_IDS),
        "default_layer": DEFAULT_LAYER,
        "default_year": DEFAULT_YEAR,
        "default_indicators": [i for i in DEFAULT_INDICATORS if i in data.indicators],
        "stories": {sid: [{"layer": s["layer"], "year": s["year"],
                           **({"region": s["region"]} if s.get("region") else {}),
                           **({"view": s["view"]} if s.get("view") else {})} for s in st["steps"]]
                    for sid, st in (stories or {}).items()},
    }


def _covered_years(data: Any) -> dict[str, list[int]]:
    """[first, last] year with at least one value, per layer (a state's status counts)."""
    obs = data.observations
    has = obs[obs["value"].notna() | (obs["category"].astype(str) != "")]
    span = has.groupby("indicator")["year"].agg(["min", "max"])
    return {str(k): [int(r["min"]), int(r["max"])] for k, r in span.iterrows()}


def covered_year(year: int, covered: list[int] | None) -> int:
    """The year itself if the layer has data then; else the nearest year with data."""
    if not covered:
        return year
    return min(max(year, covered[0]), covered[1])


def _clean(text: str) -> str:
    """A user-supplied value, safe to echo back in a notice."""
    short = text[:MAX_PARAM_LEN]
    return "".join(ch if ch.isprintable() else "?" for ch in short) + ("…" if len(text) > MAX_PARAM_LEN else "")


def _year(text: str, years: list[int]) -> int | None:
    y = text.strip()
    if y.isascii() and y.isdigit() and len(y) == 4 and years[0] <= int(y) <= years[1]:
        return int(y)
    return None


def _items(text: str) -> list[str]:
    return [s.strip() for s in text.split(",") if s.strip()]


def parse_query(query: str | None, ctx: dict[str, Any]) -> ViewState:
    """Parse a query string (with or without '?') against a context from ``address_context``."""
    params = parse_qs((query or "").lstrip("?"), keep_blank_values=True)
    years = ctx["years"]
    state = ViewState(layer=ctx["default_layer"], year=ctx["default_year"],
                      data=DataSelection(list(ctx["default_indicators"]), list(ctx["iso3"]), years[0], years[1]))

    def note(param: str, text: str) -> None:
        state.notice_params.append(param)
        state.notices.append(text)

    def first(name: str) -> str | None:
        vals = params.get(name)
        return vals[0] if vals else None

    layer = first("layer")
    if layer is not None:
        if layer in ctx["layers"]:
            state.layer = layer
        else:
            note("layer", f"Unknown layer “{_clean(layer)}”: showing the default layer instead.")
    year = first("year")
    if year is not None:
        y = _year(year, years)
        if y is not None:
            state.year = y
        else:
            note("year", f"Year “{_clean(year)}” is not between {years[0]} and {years[1]}: "
                         f"showing {ctx['default_year']}.")
    country = first("country")
    if country:
        c = country.strip().upper()
        if c in ctx["iso3"]:
            state.country = c
        else:
            note("country", f"Unknown country “{_clean(country)}”: no country selected.")
    view = first("view")
    if view:
        if view in ctx["views"]:
            state.view = view
        else:
            note("view", f"Unknown view “{_clean(view)}”: showing the map.")
    region = first("region")
    if region:
        if region in ctx["regions"]:
            state.region = region
        else:
            note("region", f"Unknown region “{_clean(region)}”: showing the whole space.")
    year2 = first("year2")
    if year2:
        y2 = _year(year2, years)
        if y2 is not None:
            state.year2 = y2
        else:
            note("year2", f"Year “{_clean(year2)}” is not between {years[0]} and {years[1]}: "
                          "comparing layers in one year.")
    layer2 = first("layer2")
    if layer2:
        if layer2 in ctx["layers"]:
            state.layer2 = layer2
        else:
            note("layer2", f"Unknown layer “{_clean(layer2)}”: comparing with the same layer.")
    scale = first("scale")
    if scale:
        if scale in SCALES:
            state.scale = scale
        else:
            note("scale", f"Unknown scale “{_clean(scale)}”: the chart's axis is linear.")
    flow = first("flow")
    if flow:
        if flow in FLOWS:
            state.flow = flow
        else:
            note("flow", f"Unknown direction “{_clean(flow)}”: showing refugees from the state (flow=out).")
    inds = first("indicators")
    if inds is not None:
        known = list(dict.fromkeys(i for i in _items(inds) if i in ctx["indicators"]))
        bad = [i for i in _items(inds) if i not in ctx["indicators"]]
        if bad:
            note("indicators", f"Unknown indicator “{_clean(','.join(bad))}” left out of the table.")
        if known:
            state.data.indicators = known
    countries = first("countries")
    if countries is not None:
        wanted = {c.upper() for c in _items(countries) if c.upper() in ctx["iso3"]}
        bad = [c for c in _items(countries) if c.upper() not in ctx["iso3"]]
        if bad:
            note("countries", f"Unknown country “{_clean(','.join(bad))}” left out of the table.")
        if wanted:
            state.data.countries = [c for c in ctx["iso3"] if c in wanted]
    for name in ("from", "to"):
        v = first(name)
        if v is None:
            continue
        yy = _year(v, years)
        if yy is None:
            which, default = ("first", years[0]) if name == "from" else ("last", years[1])
            note(name, f"Year “{_clean(v)}” is not between {years[0]} and {years[1]}: the table's {which} year "
                       f"is {default}.")
        elif name == "from":
            state.data.year_from = yy
        else:
            state.data.year_to = yy
    if state.data.year_from > state.data.year_to:
        state.data.year_from, state.data.year_to = state.data.year_to, state.data.year_from
    covered = ctx["layers"][state.layer].get("covered")
    shown = covered_year(state.year, covered)
    if shown != state.year:
        note("year", f"No data for this layer in {state.year}: showing {shown}, the "
                     f"{'latest' if shown < state.year else 'first'} year with data.")
        state.year = shown
    state.present = first("present") in _TRUE
    state.embed = first("embed") in _TRUE
    story = first("story")
    if story:
        steps = ctx["stories"].get(story)
        if steps is None:
            note("story", f"Unknown story “{_clean(story)}”: no story opened.")
        else:
            state.story = story
            st = (first("step") or "1").strip()
            if st.isascii() and st.isdigit() and len(st) <= 3 and 1 <= int(st) <= len(steps):
                state.step = int(st) - 1
            else:
                note("step", f"Step “{_clean(st)}” is not between 1 and {len(steps)}: starting the story at step 1.")
            state.layer, state.year = steps[state.step]["layer"], steps[state.step]["year"]
            state.region = steps[state.step].get("region") or state.region
            # a step that opens a view (e.g. the overlap view) is that view
            state.view = steps[state.step].get("view") or state.view
    return state
