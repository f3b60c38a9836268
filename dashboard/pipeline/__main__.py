"""``python -m dashboard.pipeline [command]`` — build, inspect and update the published data.

  (none) | build     rebuild the tables (and publish them as a new set) and the boundary layers
  tables | geo       only the tables / only the boundary layers
  steps              the stages: snapshots (verified), tidy steps with row counts, the publish step
  tidy DIR           write every tidy step's table to DIR (CSV), for inspection
  verify             check every snapshot's sha256 and the published set against its manifest
  update SNAPSHOT FILE [--publish] [--version TEXT] [--date-obtained YYYY-MM-DD]
                     validate a publisher's new edition, print the diff, publish only with --publish

``--data-root DIR`` works on DIR/sources, DIR/processed and DIR/published instead of data/.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.core.config import PROCESSED_DIR, SOURCES_DIR
from dashboard.pipeline import BuildError
from dashboard.pipeline.run import build_all


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m dashboard.pipeline", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("command", nargs="?", default="build",
                   choices=["build", "tables", "geo", "steps", "tidy", "verify", "update"])
    p.add_argument("args", nargs="*")
    p.add_argument("--publish", action="store_true")
    p.add_argument("--version", dest="edition")
    p.add_argument("--date-obtained")
    p.add_argument("--data-root", type=Path)
    return p


def _steps(sources_dir: Path) -> None:
    from dashboard.pipeline.run import build

    result = build(sources_dir)
    import json

    man = json.loads(result.files["manifest.json"])
    print("1. snapshots (sha256 verified)")
    for rel, s in man["stages"]["snapshots"].items():
        print(f"   {rel}  [{s['step']}]  {s['version'][:70]}")
    print("2. tidy steps")
    for sid, s in man["stages"]["steps"].items():
        print(f"   {sid}: {s['rows']} rows of {', '.join(s['indicators'])}  ← {', '.join(s['inputs'])}")
    print("   memberships ← curated/memberships/*.yaml|csv ; events ← curated/events.csv")
    print("3. publish → " + ", ".join(man["stages"]["publish"]["outputs"]) + f"  (data version {man['data_version']})")


def main(argv: list[str] | None = None) -> int:
    ns = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    sources_dir = ns.data_root / "sources" if ns.data_root else SOURCES_DIR
    link = ns.data_root / "processed" if ns.data_root else PROCESSED_DIR
    try:
        if ns.command in ("build", "tables", "geo"):
            only = None if ns.command == "build" else ns.command
            if ns.data_root:
                written = build_all(only=only, sources_dir=sources_dir, out_dir=link)
            else:
                written = build_all(only=only)
            for path in written:
                print(f"wrote {path}")
        elif ns.command == "steps":
            _steps(sources_dir)
        elif ns.command == "tidy":
            if len(ns.args) != 1:
                print("usage: python -m dashboard.pipeline tidy DIR", file=sys.stderr)
                return 2
            from dashboard.pipeline.run import build

            out = Path(ns.args[0])
            out.mkdir(parents=True, exist_ok=True)
            for sid, table in build(sources_dir).tidy.items():
                t = table.copy()
                t["notes"] = [" | ".join(n) for n in t["notes"]]
                t.to_csv(out / f"{sid}.csv", index=False, lineterminator="\n")
                print(f"wrote {out / f'{sid}.csv'} ({len(t)} rows)")
        elif ns.command == "verify":
            from dashboard.core.data import DataIntegrityError, verify_published
            from dashboard.pipeline.snapshots import all_snapshots, verify

            for snap in all_snapshots(sources_dir):
                verify(snap.path, sources_dir)
                print(f"ok  {snap.rel}")
            try:
                man = verify_published(link.resolve())
            except DataIntegrityError as exc:
                print(f"published set: {exc}", file=sys.stderr)
                return 1
            print(f"ok  {link} -> {link.resolve().name} (data version {man['data_version']})")
        elif ns.command == "update":
            if len(ns.args) != 2:
                print("usage: python -m dashboard.pipeline update SNAPSHOT FILE [--publish]", file=sys.stderr)
                return 2
            from dashboard.pipeline.update import update

            return update(ns.args[0], Path(ns.args[1]), sources_dir=sources_dir, link=link,
                          publish=ns.publish, version=ns.edition, date_obtained=ns.date_obtained)
    except BuildError as exc:
        print(f"build failed — {exc}\nThe published data were not changed.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
