"""Publishing, integrity and the yearly update.

- a published file that differs from the manifest stops loading (and the app's start) with a
  message naming the file;
- a publish killed at any point leaves the old set current and loadable;
- ``update`` on a made "next edition" (the current UNHCR snapshot with a few edits) prints the
  expected diff, changes nothing without ``--publish``, and publishes a consistent set with it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.core.config import PROCESSED_DIR, ROOT, SOURCES_DIR
from dashboard.core.data import DataIntegrityError, data_version_of, get_data, load, verify_published
from dashboard.pipeline.run import build_tables
from dashboard.pipeline.snapshots import meta_path, sha256_file
from dashboard.pipeline.update import update

SNAPSHOT = "unhcr_population_post_soviet"
SNAPSHOT_FILE = SOURCES_DIR / "migration" / f"{SNAPSHOT}.csv"


def _data_root(tmp_path: Path) -> Path:
    """A copy of data/: the sources, the current published set and the link to it."""
    root = tmp_path / "data"
    shutil.copytree(SOURCES_DIR, root / "sources")
    current = PROCESSED_DIR.resolve()
    shutil.copytree(current, root / "published" / current.name)
    os.symlink(f"published/{current.name}", root / "processed")
    return root


def _next_edition(path: Path) -> Path:
    """The current UNHCR snapshot with a few edits, as a publisher's next edition might bring."""
    out = []
    for line in SNAPSHOT_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("GEO,2025,refugees_by_asylum,"):
            line = "GEO,2025,refugees_by_asylum,27000,persons,unhcr_rdf_2025_12_1"    # revised
        elif line.startswith("TJK,2024,refugees_by_asylum,"):
            line = "TJK,2024,refugees_by_asylum,95000,persons,unhcr_rdf_2025_12_1"    # a jump
        elif line.startswith("RUS,2012,idps_unhcr,"):
            line = "RUS,2012,idps_unhcr,31000,persons,unhcr_rdf_2025_12_1"           # UNHCR now reports
        elif line.startswith("EST,2025,stateless,"):
            continue                                                                  # withdrawn
        out.append(line)
    out.append("GEO,2026,refugees_by_asylum,28000,persons,unhcr_rdf_2025_12_1")        # a new year
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def _set_files(link: Path) -> dict[str, bytes]:
    folder = link.resolve()
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# --------------------------------------------------------------------------- integrity


def test_manifest_records_inputs_outputs_and_version() -> None:
    manifest = json.loads((PROCESSED_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["outputs"]) == {p.name for p in PROCESSED_DIR.iterdir()} - {"manifest.json"}
    assert manifest["inputs"]["data/sources/migration/unhcr_population_post_soviet.csv"] == sha256_file(SNAPSHOT_FILE)
    assert "data/sources/curated/rules.yaml" in manifest["inputs"]
    assert manifest["inputs"]["data/sources/migration/unhcr_population_post_soviet.csv.meta.yml"] == sha256_file(
        meta_path(SNAPSHOT_FILE))
    assert manifest["outputs"]["observations.csv"]["rows"] > 16000
    assert PROCESSED_DIR.is_symlink() and PROCESSED_DIR.resolve().name.startswith(manifest["data_version"] + "-")
    assert data_version_of() == manifest["data_version"] == get_data().data_version
    assert set(manifest["stages"]) == {"snapshots", "steps", "publish"}
    assert manifest["stages"]["steps"]["idps"]["inputs"][1] == "migration/idmc_conflict_idps_post_soviet.csv"
    verify_published(PROCESSED_DIR.resolve())


@pytest.mark.parametrize(("name", "damage"), [
    ("observations.csv", "edit"), ("indicators.json", "truncate"), ("events.csv", "delete"),
    ("manifest.json", "version"),
])
def test_corrupted_published_file_stops_loading(tmp_path: Path, name: str, damage: str) -> None:
    folder = tmp_path / "set"
    shutil.copytree(PROCESSED_DIR.resolve(), folder)
    path = folder / name
    if damage == "edit":
        path.write_text(path.read_text(encoding="utf-8").replace(",107910.0,", ",107911.0,", 1), encoding="utf-8")
    elif damage == "truncate":
        path.write_bytes(path.read_bytes()[:1000])
    elif damage == "delete":
        path.unlink()
    else:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        manifest["data_version"] = "000000000000"
        path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(DataIntegrityError) as err:
        load(folder)
    assert str(folder / name) in str(err.value)


def test_app_refuses_to_start_on_a_corrupted_set(tmp_path: Path) -> None:
    folder = tmp_path / "set"
    shutil.copytree(PROCESSED_DIR.resolve(), folder)
    obs = folder / "observations.csv"
    obs.write_text(obs.read_text(encoding="utf-8") + "ARM,2030,x,1,,,,,,,,\n", encoding="utf-8")
    code = ("import sys; from pathlib import Path; import dashboard.core.data as d; "
            f"d.load.__defaults__ = (Path({str(folder)!r}), d.GEODATA_DIR); "
            "from dashboard.web.app import create_app; create_app()")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode != 0
    last = proc.stderr.strip().splitlines()[-1]
    assert "DataIntegrityError" in last and str(obs) in last and "does not match manifest.json" in last


@pytest.mark.parametrize("hook", ["writing", "before_rename", "before_switch"])
def test_killed_publish_leaves_the_old_set(tmp_path: Path, hook: str) -> None:
    root = _data_root(tmp_path)
    link = root / "processed"
    old_version = load(link).data_version
    old_files = _set_files(link)
    new_file = _next_edition(tmp_path / "next.csv")
    cmd = [sys.executable, "-m", "dashboard.pipeline", "update", SNAPSHOT, str(new_file), "--publish",
           "--data-root", str(root)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "ATLAS_PUBLISH_HOOK": hook})
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith(f"publish paused at {hook}"):
                break
        else:
            pytest.fail(f"the publish never reached {hook}: {proc.stderr.read() if proc.stderr else ''}")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    # the old set is still the one served, complete and verified
    assert load(link).data_version == old_version
    assert _set_files(link) == old_files
    # publishing again (the snapshot was already replaced) completes and cleans up
    from dashboard.pipeline.publish import publish_set

    version, changed = publish_set(build_tables(root / "sources"), link)
    assert changed and version != old_version and load(link).data_version == version
    assert [p.name for p in (root / "published").iterdir()] == [link.resolve().name]
    assert link.resolve().name.startswith(version + "-")


def test_a_hand_edited_current_set_is_replaced_without_a_gap(tmp_path: Path) -> None:
    root = _data_root(tmp_path)
    link = root / "processed"
    good = load(link).data_version
    damaged = link.resolve()
    (damaged / "events.csv").write_text("id\n", encoding="utf-8")
    with pytest.raises(DataIntegrityError, match=r"events\.csv"):
        load(link)
    from dashboard.pipeline.publish import publish_set

    version, changed = publish_set(build_tables(root / "sources"), link)
    assert version == good and changed and link.resolve() != damaged and not damaged.exists()
    assert load(link).data_version == good


# --------------------------------------------------------------------------- the yearly update


def test_update_prints_the_diff_and_changes_nothing(tmp_path: Path) -> None:
    root = _data_root(tmp_path)
    link = root / "processed"
    before = _set_files(link)
    snapshot_before = (root / "sources/migration" / f"{SNAPSHOT}.csv").read_bytes()
    lines: list[str] = []
    code = update(SNAPSHOT, _next_edition(tmp_path / "next.csv"), sources_dir=root / "sources", link=link,
                  echo=lines.append)
    out = "\n".join(lines)
    assert code == 0, out
    expected = [
        "Validation: passed",
        "Rows: 1 added, 1 removed, 4 changed",
        "  refugees_hosted: 1 added, 0 removed, 2 changed",
        "  stateless: 0 added, 1 removed, 0 changed",
        "  idps: 0 added, 0 removed, 1 changed",
        "Added:\n  refugees_hosted GEO 2026: 28,000",
        "Removed:\n  stateless EST 2025: 62,043",
        "Largest changes:\n  refugees_hosted TJK 2024: 12,157 → 95,000 (+681.4%)",
        "  idps RUS 2012: 29,000 → 31,000 (+6.9%)",
        "  refugees_hosted GEO 2025: 26,522 → 27,000 (+1.8%)",
        "Series that change source:\n  idps RUS 2012: IDMC via UNHCR → UNHCR Refugee Data Finder (end-2025)",
        "  refugees_hosted TJK 2023→2024: 10,092 → 95,000",
        "  refugees_hosted TJK 2024→2025: 95,000 → 8,620",
        "Note: migration/derived_per_capita_post_soviet.csv is computed from this snapshot",
        "Dry run: nothing was changed.",
    ]
    for text in expected:
        assert text in out, f"{text!r} not in:\n{out}"
    assert _set_files(link) == before
    assert (root / "sources/migration" / f"{SNAPSHOT}.csv").read_bytes() == snapshot_before


def test_update_publishes_a_consistent_set(tmp_path: Path) -> None:
    root = _data_root(tmp_path)
    link = root / "processed"
    old_version = load(link).data_version
    new_file = _next_edition(tmp_path / "next.csv")
    code = update(SNAPSHOT, new_file, sources_dir=root / "sources", link=link, publish=True,
                  version="refugees 2026.6.1 (made for the test)", date_obtained="2027-07-01", echo=lambda _: None)
    assert code == 0
    data = load(link)
    assert data.data_version != old_version
    snap = root / "sources/migration" / f"{SNAPSHOT}.csv"
    assert snap.read_bytes() == new_file.read_bytes()
    meta = meta_path(snap).read_text(encoding="utf-8")
    assert sha256_file(snap) in meta and "2027-07-01" in meta and "2026.6.1" in meta
    # the published set is exactly what a rebuild from the new sources makes
    assert {n: t.encode() for n, t in build_tables(root / "sources").items()} == _set_files(link)
    hosted = data.observations[(data.observations["indicator"] == "refugees_hosted")]
    assert hosted[(hosted["iso3"] == "GEO") & (hosted["year"] == 2026)]["value"].tolist() == [28000]
    idps = data.observations[(data.observations["indicator"] == "idps") & (data.observations["iso3"] == "RUS")]
    notes = idps.set_index("year")["notes"]
    # UNHCR reports 2012 now: the series switches to IDMC one year later
    assert not any("changes source" in n for n in notes[2012]) and any("changes source" in n for n in notes[2013])


@pytest.mark.parametrize(("edit", "expect"), [
    (lambda s: s.replace("\nARM,", "\nXXX,", 1), "unknown country code"),
    (lambda s: s.replace(",refugees_by_asylum,", ",refugees_by_asylum_renamed,"), "no rows for indicator"),
    (lambda s: s.replace("ARM,2020,refugees_by_asylum,107910,", "ARM,2020,refugees_by_asylum,-5,"), "below 0"),
])
def test_update_refuses_an_invalid_file(tmp_path: Path, edit, expect: str) -> None:
    root = _data_root(tmp_path)
    link = root / "processed"
    before = _set_files(link)
    bad = tmp_path / "bad.csv"
    bad.write_text(edit(SNAPSHOT_FILE.read_text(encoding="utf-8")), encoding="utf-8")
    lines: list[str] = []
    code = update(SNAPSHOT, bad, sources_dir=root / "sources", link=link, publish=True, echo=lines.append)
    out = "\n".join(lines)
    assert code == 1 and "Validation failed" in out and expect in out and "Nothing was changed." in out
    assert _set_files(link) == before
    assert sha256_file(root / "sources/migration" / f"{SNAPSHOT}.csv") == sha256_file(SNAPSHOT_FILE)


def test_update_command_line(tmp_path: Path) -> None:
    root = _data_root(tmp_path)
    new_file = _next_edition(tmp_path / "next.csv")
    proc = subprocess.run([sys.executable, "-m", "dashboard.pipeline", "update", "unhcr_rdf_2025_12_1",
                           str(new_file), "--data-root", str(root)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr
    assert "Snapshot: migration/unhcr_population_post_soviet.csv" in proc.stdout
    assert "Rows: 1 added, 1 removed, 4 changed" in proc.stdout


def test_steps_and_tidy_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from dashboard.pipeline.__main__ import main

    assert main(["steps"]) == 0
    out = capsys.readouterr().out
    assert "1. snapshots (sha256 verified)" in out and "regimes/vdem_v16_ert.csv  [vdem]" in out
    assert "   idps: 950 rows of idps, idps_per_1000" in out
    assert f"(data version {data_version_of()})" in out
    assert main(["tidy", str(tmp_path / "tidy")]) == 0
    names = sorted(p.name for p in (tmp_path / "tidy").iterdir())
    assert names == ["freedom_house.csv", "idps.csv", "per_capita.csv", "polity.csv", "unhcr.csv", "vdem.csv",
                     "wpp.csv"]
    head = (tmp_path / "tidy" / "idps.csv").read_text(encoding="utf-8").splitlines()[0]
    assert head == "iso3,year,indicator,value,category,source_id,notes"
    assert main(["verify"]) == 0
