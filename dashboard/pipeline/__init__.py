"""The data pipeline: snapshots (``snapshots.py``) → tidy steps per source (``steps.py``) → one
published set (``publish.py``: the table of values, the catalogue with the rules, the manifest),
switched to atomically behind ``data/processed``; and the boundary layers (``geo.py``).

Run ``python -m dashboard.pipeline`` to rebuild everything, ``… steps`` to see the stages,
``… update <snapshot> <file>`` for a publisher's new edition (docs/updating-data.md). The pipeline
reads its metadata from YAML (``data/sources/curated``) and never imports the app's presentation
code (figures, palettes, formatting, views).
"""

from __future__ import annotations

from pathlib import Path


class BuildError(Exception):
    """A source is missing or corrupt, or a built table fails validation.

    The message always names the file and the problem; no processed file is written.
    """

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")
