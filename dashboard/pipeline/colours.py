"""Legend colours, chosen at build time from ``data/sources/curated/palettes.yaml``.

The schemes are metadata (written once, in YAML); this module only applies the rules for taking
n colours from a scheme. The result is written into the published catalogue, where the app, the
API and the downloads read it. The app's own drawing constants (the no-data grey, borders, the
ocean) stay in ``dashboard/core/palettes.py``, which the pipeline never imports.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from dashboard.core.config import CURATED_DIR
from dashboard.pipeline import BuildError
from dashboard.pipeline.readers import read_yaml

PALETTES_FILE = "palettes.yaml"


@cache
def _load(path: Path) -> dict[str, Any]:
    spec = read_yaml(path)
    for key in ("sequential", "diverging", "categorical", "membership"):
        if not isinstance(spec.get(key), dict):
            raise BuildError(path, f"needs a mapping {key!r}")
    return spec


class Palettes:
    """The schemes of one palettes.yaml."""

    def __init__(self, curated_dir: Path = CURATED_DIR) -> None:
        self.path = Path(curated_dir) / PALETTES_FILE
        self.spec = _load(self.path)

    @property
    def names(self) -> tuple[str, ...]:
        s = self.spec
        return tuple(sorted({*s["sequential"], *s["diverging"], *s["categorical"]}))

    def colours(self, name: str, n: int) -> list[str]:
        """n colours of the named palette, first class first."""
        s = self.spec
        if name in s["categorical"]:
            base = list(s["categorical"][name])
            if n > len(base):
                raise BuildError(self.path, f"palette {name!r} has only {len(base)} colours, {n} asked")
            return base[:n]
        if name in s["sequential"]:
            # skip the near-white first colour so that the lowest class stays visible on the map
            return self._spread(list(s["sequential"][name])[1:], n)
        if name in s["diverging"]:
            scheme = list(s["diverging"][name])
            if n % 2 == 0:  # drop the neutral middle for an even number of classes
                mid = len(scheme) // 2
                scheme = scheme[:mid] + scheme[mid + 1:]
            return self._spread(scheme, n)
        raise BuildError(self.path, f"unknown palette {name!r}")

    def membership_colours(self, statuses: list[dict[str, Any]]) -> list[str]:
        """Colours for an organisation's statuses, in their order (see palettes.yaml)."""
        m = self.spec["membership"]
        exits = set(m["exit_statuses"])
        inside = [s for s in statuses if not s.get("default") and s["id"] not in exits]
        blues = [m["inside"][2]] if len(inside) == 1 else self._spread(list(m["inside"][:7]), len(inside))
        out: list[str] = []
        bi = wi = 0
        for s in statuses:
            if s.get("default"):
                out.append(m["not_member"])
            elif s["id"] in exits:
                out.append(m["outside"][wi % len(m["outside"])])
                wi += 1
            else:
                out.append(blues[bi])
                bi += 1
        return out

    def _spread(self, colours: list[str], n: int) -> list[str]:
        """n colours spread evenly over a longer ordered scheme."""
        if n <= 0:
            return []
        if n > len(colours):
            raise BuildError(self.path, f"{n} classes asked of a {len(colours)}-colour scheme")
        if n == len(colours):
            return list(colours)
        if n == 1:
            return [colours[len(colours) // 2]]
        step = (len(colours) - 1) / (n - 1)
        return [colours[round(i * step)] for i in range(n)]
