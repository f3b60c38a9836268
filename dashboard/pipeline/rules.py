"""Rules, caveats and row notes from ``data/sources/curated/rules.yaml`` (written once there)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dashboard.core.config import AS_OF, CURATED_DIR
from dashboard.core.data import NOTE_SEPARATOR
from dashboard.pipeline import BuildError
from dashboard.pipeline.readers import read_yaml

RULES_FILE = "rules.yaml"


class _Keep(dict):
    """Placeholders other than the reference date stay for the caller to fill."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _text(value: Any) -> str:
    """A text from the YAML on one line, with {as_of_year} and {as_of} filled in."""
    fill = _Keep(as_of_year=AS_OF.year, as_of=f"{AS_OF:%d %B %Y}".lstrip("0"))
    return " ".join(str(value).split()).format_map(fill)


@dataclass(frozen=True)
class Rules:
    path: Path
    rules: dict[str, str]
    row_notes: dict[str, Any]
    series_breaks: list[dict[str, Any]]
    caveats: dict[str, str]
    membership_caveats: list[str]

    def note(self, key: str) -> str:
        return _text(self.row_notes[key]["text"])

    def provisional(self) -> dict[str, str]:
        return {k: _text(v) for k, v in (self.row_notes.get("provisional") or {}).items()}

    def resolve_caveats(self, keys: list[str], where: str) -> list[str]:
        out = []
        for key in keys or []:
            if key in self.caveats:
                out.append(self.caveats[key])
            elif key in self.rules:
                out.append(self.rules[key])
            else:
                raise BuildError(self.path, f"{where}: unknown caveat {key!r}")
        return out


def load_rules(curated_dir: Path = CURATED_DIR) -> Rules:
    path = Path(curated_dir) / RULES_FILE
    spec = read_yaml(path)
    for key in ("rules", "row_notes", "series_breaks", "caveats"):
        if key not in spec:
            raise BuildError(path, f"missing section {key!r}")
    for key in ("published_zero", "projected_denominator", "idmc_fallback", "source_switch"):
        if not (spec["row_notes"].get(key) or {}).get("text"):
            raise BuildError(path, f"row_notes.{key} needs a text")
    texts = [*(v["text"] for v in spec["row_notes"].values() if isinstance(v, dict) and "text" in v),
             *(spec["row_notes"].get("provisional") or {}).values(),
             *(b["text"] for b in spec["series_breaks"])]
    bad = [t for t in texts if NOTE_SEPARATOR.strip() in str(t)]
    if bad:
        raise BuildError(path, f"a note may not contain {NOTE_SEPARATOR.strip()!r}: {bad[0]!r}")
    for b in spec["series_breaks"]:
        if not {"iso3", "indicator", "years", "text"} <= set(b):
            raise BuildError(path, f"series break needs iso3, indicator, years, text: {b}")
    rules = Rules(
        path=path,
        rules={k: _text(v) for k, v in spec["rules"].items()},
        row_notes=spec["row_notes"],
        series_breaks=[{**b, "text": _text(b["text"])} for b in spec["series_breaks"]],
        caveats={k: _text(v) for k, v in spec["caveats"].items()},
        membership_caveats=list(spec.get("membership_caveats") or []),
    )
    rules.resolve_caveats(rules.membership_caveats, "membership_caveats")
    return rules
