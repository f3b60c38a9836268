"""Guided stories: a sequence of map views (layer + year + highlighted states) with a caption.

Stories are YAML files in ``data/stories/`` (the format is documented in
``data/stories/README.md``). This module reads and validates them; it is pure (no Dash), so
the app, the tests and a teacher checking a new file all use the same code:

    python -m dashboard.core.stories              # validate every story and list its steps
    python -m dashboard.core.stories my_folder/   # ... or the stories in another folder

Validation collects every problem in a file and raises one ``ValueError`` whose message names
the file, the step id and the problem, one problem per line.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dashboard.core.config import FIRST_YEAR, GEODATA_DIR, ISO3, LAST_YEAR, PROCESSED_DIR, ROOT

STORIES_DIR = ROOT / "data" / "stories"
INDICATORS_JSON = PROCESSED_DIR / "indicators.json"
EVENTS_CSV = PROCESSED_DIR / "events.csv"
CONTESTED_GEOJSON = GEODATA_DIR / "contested.geojson"

MAX_CAPTION_CHARS = 600
MAX_TITLE_CHARS = 80
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")
URL_PATTERN = re.compile(r"https?://\S+")

STORY_KEYS_REQUIRED = ("id", "title", "summary", "steps")
STORY_KEYS_OPTIONAL = ("author",)
STEP_KEYS_REQUIRED = ("id", "title", "layer", "year", "countries", "caption", "sources")
STEP_KEYS_OPTIONAL = ("contested", "events", "region", "view")
REGIONS = ("all", "west", "caucasus", "central_asia")  # dashboard/core/viewstate.py REGION_IDS
# the views a step may open (dashboard/core/viewstate.py VIEWS that show the step's layer and
# year: the data and sources tabs do not); a step without one shows the map
STEP_VIEWS = ("map", "chart", "rank", "compare", "overlap", "flows")


@dataclass(frozen=True)
class Source:
    citation: str
    url: str = ""


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    layer: str
    year: int
    countries: tuple[str, ...]
    caption: str
    sources: tuple[Source, ...]
    contested: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    region: str = ""
    view: str = ""


@dataclass(frozen=True)
class Story:
    id: str
    title: str
    summary: str
    author: str
    steps: tuple[Step, ...]

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(step.year for step in self.steps)

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)


# --------------------------------------------------------------------------- reference data

@dataclass(frozen=True)
class _Reference:
    """What a story is checked against: map layers (id -> [first, last] year or None),
    contested areas (id -> [first, last] year drawn) and event ids."""

    map_layers: dict[str, tuple[int, int] | None]
    other_layers: frozenset[str]
    contested: dict[str, tuple[int, int]]
    events: frozenset[str]


def _load_reference(indicators_path: Path, events_path: Path | None,
                    contested_path: Path | None) -> _Reference:
    catalogue = json.loads(Path(indicators_path).read_text(encoding="utf-8"))
    map_layers: dict[str, tuple[int, int] | None] = {}
    other: set[str] = set()
    for ind in catalogue["indicators"]:
        if ind.get("map"):
            years = ind.get("years")
            map_layers[ind["id"]] = (int(years[0]), int(years[1])) if years else None
        else:
            other.add(ind["id"])
    contested: dict[str, tuple[int, int]] = {}
    if contested_path is not None and Path(contested_path).is_file():
        geo = json.loads(Path(contested_path).read_text(encoding="utf-8"))
        for feat in geo["features"]:
            props = feat["properties"]
            contested[feat["id"]] = (int(props.get("year_from") or FIRST_YEAR),
                                     int(props.get("year_to") or LAST_YEAR))
    events: set[str] = set()
    if events_path is not None and Path(events_path).is_file():
        with Path(events_path).open(encoding="utf-8", newline="") as fh:
            events = {row["id"] for row in csv.DictReader(fh)}
    return _Reference(map_layers, frozenset(other), contested, frozenset(events))


# --------------------------------------------------------------------------- validation

def _is_text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _clean(text: str) -> str:
    """Collapse runs of whitespace (YAML block scalars keep line breaks otherwise)."""
    return " ".join(text.split())


def _id_list(value: Any, what: str, problems: list[str]) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"{what} must be a list of ids, e.g. [a, b], not {value!r}")
        return []
    dupes = sorted({v for v in value if value.count(v) > 1})
    if dupes:
        problems.append(f"{what} lists {', '.join(dupes)} more than once")
    return list(value)


def _check_step(raw: Any, index: int, ref: _Reference) -> tuple[str, list[str], Step | None]:
    """Return (label for messages, problems, the Step if there were none)."""
    if not isinstance(raw, dict):
        return f"#{index + 1}", [f"a step must be a mapping of keys, not {type(raw).__name__}"], None
    sid = raw.get("id")
    label = f"'{sid}'" if isinstance(sid, str) and sid else f"#{index + 1}"
    problems: list[str] = []

    unknown = sorted(set(raw) - set(STEP_KEYS_REQUIRED) - set(STEP_KEYS_OPTIONAL))
    if unknown:
        problems.append(f"unknown key(s) {', '.join(map(str, unknown))}; allowed: "
                        f"{', '.join(STEP_KEYS_REQUIRED + STEP_KEYS_OPTIONAL)}")
    missing = [k for k in STEP_KEYS_REQUIRED if k not in raw or raw[k] is None]
    # An empty caption or an empty source list is reported by the checks below.
    problems += [f"missing '{k}'" for k in missing if k not in ("caption", "sources")]

    if "id" not in missing and not (isinstance(sid, str) and ID_PATTERN.fullmatch(sid)):
        problems.append(f"id {sid!r} must be lower-case letters, digits, '_' or '-'")

    title = raw.get("title")
    if "title" not in missing:
        if not _is_text(title):
            problems.append("title is empty")
        elif len(_clean(title)) > MAX_TITLE_CHARS:
            problems.append(f"title has {len(_clean(title))} characters (at most {MAX_TITLE_CHARS})")

    year = raw.get("year")
    year_ok = False
    if "year" not in missing:
        if isinstance(year, bool) or not isinstance(year, int):
            problems.append(f"year {year!r} is not a whole number")
        elif not FIRST_YEAR <= year <= LAST_YEAR:
            problems.append(f"year {year} is outside {FIRST_YEAR}..{LAST_YEAR}")
        else:
            year_ok = True

    layer = raw.get("layer")
    if "layer" not in missing:
        if not isinstance(layer, str) or layer not in ref.map_layers:
            if isinstance(layer, str) and layer in ref.other_layers:
                problems.append(f"layer '{layer}' exists but is not offered on the map (map: false)")
            else:
                problems.append(f"layer {layer!r} is not a map layer in indicators.json")
        elif year_ok and (span := ref.map_layers[layer]) is not None:
            first, last = span
            if not first <= year <= last:
                problems.append(f"layer '{layer}' has data for {first}..{last} only, not {year}")

    countries = raw.get("countries")
    if "countries" not in missing:
        codes = _id_list(countries, "countries", problems)
        bad = [c for c in codes if c not in ISO3]
        if bad:
            problems.append(f"unknown country code(s) {', '.join(bad)}; use ISO3 of the 15 states "
                            f"({', '.join(ISO3)})")

    caption = raw.get("caption")
    if not _is_text(caption):
        problems.append("caption is missing or empty")
    elif len(_clean(caption)) > MAX_CAPTION_CHARS:
        problems.append(f"caption has {len(_clean(caption))} characters (at most {MAX_CAPTION_CHARS})")

    sources = raw.get("sources")
    parsed_sources: list[Source] = []
    if not isinstance(sources, list) or not sources:
        problems.append("needs at least one source (sources: - citation: ...)")
    else:
        for j, src in enumerate(sources, start=1):
            if not isinstance(src, dict) or not _is_text(src.get("citation")):
                problems.append(f"source {j} needs a non-empty 'citation'")
                continue
            extra = sorted(set(src) - {"citation", "url"})
            if extra:
                problems.append(f"source {j} has unknown key(s) {', '.join(map(str, extra))}")
            url = src.get("url") or ""
            if not isinstance(url, str) or (url and not URL_PATTERN.fullmatch(url)):
                problems.append(f"source {j} url {url!r} must be empty or start with http(s)://")
                continue
            parsed_sources.append(Source(_clean(src["citation"]), url))

    contested = _id_list(raw.get("contested"), "contested", problems)
    region = raw.get("region") or ""
    if region and region not in REGIONS:
        problems.append(f"region {region!r} is not one of {', '.join(REGIONS)}")
    view = raw.get("view") or ""
    if view and view not in STEP_VIEWS:
        problems.append(f"view {view!r} is not one of {', '.join(STEP_VIEWS)}")
    for cid in contested:
        if cid not in ref.contested:
            problems.append(f"contested area '{cid}' is not in contested.geojson "
                            f"({', '.join(sorted(ref.contested)) or 'none loaded'})")
        elif year_ok:
            first, last = ref.contested[cid]
            if not first <= year <= last:
                problems.append(f"contested area '{cid}' is drawn in {first}..{last} only, not {year}")

    events = _id_list(raw.get("events"), "events", problems)
    problems += [f"event '{e}' is not in events.csv" for e in events if e not in ref.events]

    view = raw.get("view") or ""
    if view and view not in STEP_VIEWS:
        problems.append(f"view {view!r} is not one of {', '.join(STEP_VIEWS)}")

    if problems:
        return label, problems, None
    return label, [], Step(
        id=sid, title=_clean(title), layer=layer, year=year, countries=tuple(countries),
        caption=_clean(caption), sources=tuple(parsed_sources),
        contested=tuple(contested), events=tuple(events), region=str(region),
        view="" if view == "map" else str(view))


def _parse_story(path: Path, ref: _Reference) -> Story:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: the file must hold a mapping (id:, title:, summary:, steps:)")

    problems: list[str] = []
    unknown = sorted(set(raw) - set(STORY_KEYS_REQUIRED) - set(STORY_KEYS_OPTIONAL))
    if unknown:
        problems.append(f"{path}: unknown key(s) {', '.join(map(str, unknown))}; allowed: "
                        f"{', '.join(STORY_KEYS_REQUIRED + STORY_KEYS_OPTIONAL)}")
    story_id = raw.get("id")
    if not (isinstance(story_id, str) and ID_PATTERN.fullmatch(story_id)):
        problems.append(f"{path}: story id {story_id!r} must be lower-case letters, digits, '_' or '-'")
    for key in ("title", "summary"):
        if not _is_text(raw.get(key)):
            problems.append(f"{path}: story '{key}' is missing or empty")
    author = raw.get("author", "")
    if author is not None and not isinstance(author, str):
        problems.append(f"{path}: author must be text")

    raw_steps = raw.get("steps")
    steps: list[Step] = []
    if not isinstance(raw_steps, list) or not raw_steps:
        problems.append(f"{path}: a story needs a non-empty list of steps")
        raw_steps = []
    seen: dict[str, int] = {}
    for i, raw_step in enumerate(raw_steps):
        label, step_problems, step = _check_step(raw_step, i, ref)
        problems += [f"{path}: step {label}: {p}" for p in step_problems]
        sid = raw_step.get("id") if isinstance(raw_step, dict) else None
        if isinstance(sid, str):
            if sid in seen:
                problems.append(f"{path}: step {label}: id is used by step #{seen[sid] + 1} as well")
            else:
                seen[sid] = i
        if step is not None:
            steps.append(step)

    if problems:
        raise ValueError("\n".join(problems))
    return Story(id=story_id, title=_clean(raw["title"]), summary=_clean(raw["summary"]),
                 author=_clean(author or ""), steps=tuple(steps))


# --------------------------------------------------------------------------- public API

def load_stories(folder: Path = STORIES_DIR, *, indicators_path: Path = INDICATORS_JSON,
                 events_path: Path | None = EVENTS_CSV,
                 contested_path: Path | None = CONTESTED_GEOJSON) -> dict[str, Story]:
    """Read and validate every ``*.yaml`` / ``*.yml`` story in ``folder``, keyed by story id.

    Raises ``ValueError`` naming the file, the step and the problem if anything is wrong
    (all problems of the first bad file at once), or if two files share a story id.
    ``events_path`` / ``contested_path`` may be None to skip those optional cross-checks.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"{folder}: stories folder not found")
    ref = _load_reference(Path(indicators_path), events_path, contested_path)
    paths = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    stories: dict[str, Story] = {}
    origin: dict[str, Path] = {}
    for path in paths:
        story = _parse_story(path, ref)
        if story.id in stories:
            raise ValueError(f"{path}: story id '{story.id}' is already used by {origin[story.id]}")
        stories[story.id] = story
        origin[story.id] = path
    return stories


def story_as_dict(story: Story) -> dict[str, Any]:
    """A plain, JSON-serialisable dict (lists, str, int) for a ``dcc.Store``."""
    return {
        "id": story.id,
        "title": story.title,
        "summary": story.summary,
        "author": story.author,
        "steps": [
            {
                "id": s.id,
                "title": s.title,
                "layer": s.layer,
                "year": s.year,
                "countries": list(s.countries),
                "caption": s.caption,
                "sources": [{"citation": src.citation, "url": src.url} for src in s.sources],
                "contested": list(s.contested),
                "events": list(s.events),
                **({"region": s.region} if s.region else {}),
                **({"view": s.view} if s.view else {}),
            }
            for s in story.steps
        ],
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else STORIES_DIR
    try:
        stories = load_stories(folder)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    for story in stories.values():
        print(f"{story.id}: {story.title} ({len(story.steps)} steps)")
        for s in story.steps:
            print(f"  {s.year}  {s.layer:<24} {s.id:<28} {' '.join(s.countries)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
