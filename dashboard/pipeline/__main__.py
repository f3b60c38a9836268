"""``python -m dashboard.pipeline [tables|geo]`` — rebuild the processed data from the repo's sources."""

from __future__ import annotations

import sys

from dashboard.pipeline import BuildError
from dashboard.pipeline.run import build_all


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    only = args[0] if args else None
    if only not in (None, "tables", "geo"):
        print("usage: python -m dashboard.pipeline [tables|geo]", file=sys.stderr)
        return 2
    try:
        written = build_all(only=only)
    except BuildError as exc:
        print(f"build failed — {exc}\nNo processed file was changed.", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
