"""The data pipeline: immutable sources in the repo → validated processed tables and layers.

Run ``python -m dashboard.pipeline`` to rebuild everything in ``data/processed`` and ``geodata``.
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
