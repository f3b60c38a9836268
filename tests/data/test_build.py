"""The data pipeline: exact values, reproducibility, notes, the membership rule, clean failures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from dashboard.core.config import CURATED_DIR, ISO3, PROCESSED_DIR, SOURCES_DIR, YEARS
from dashboard.pipeline import BuildError
from dashboard.pipeline.run import OUTPUT_FILES, build_all, build_tables
from dashboard.pipeline.snapshots import meta_path, sha256_file

ORGS = ("cis", "csto", "eurasian", "union_state", "central_asian", "guam", "sco", "eu", "nato", "eap")


@pytest.fixture(scope="module")
def built() -> dict[str, str]:
    return build_tables()


@pytest.fixture(scope="module")
def values() -> pd.DataFrame:
    """The published table of values, notes as lists."""
    table = pd.read_csv(PROCESSED_DIR / "observations.csv", keep_default_na=False, na_values=[""],
                        dtype={"category": str, "class": str})
    table["notes"] = [n.split(" | ") if isinstance(n, str) and n else [] for n in table["notes"]]
    table["note"] = ["; ".join(n) for n in table["notes"]]
    return table


@pytest.fixture(scope="module")
def obs(values: pd.DataFrame) -> pd.DataFrame:
    return values[~values["indicator"].isin(ORGS)]


@pytest.fixture(scope="module")
def status(values: pd.DataFrame) -> pd.DataFrame:
    st = values[values["indicator"].isin(ORGS)]
    return st.rename(columns={"indicator": "org", "category": "status"})


def test_rebuild_reproduces_committed_files(built: dict[str, str]) -> None:
    assert set(built) == set(OUTPUT_FILES)
    assert set(built) == {p.name for p in PROCESSED_DIR.iterdir()}
    for name, text in built.items():
        committed = (PROCESSED_DIR / name).read_text(encoding="utf-8")
        assert committed == text, f"{name} differs from a fresh build: run python -m dashboard.pipeline"


def test_every_value_equals_its_snapshot(obs: pd.DataFrame) -> None:
    """Each layer taken straight from a snapshot equals it row for row (from 1991 on)."""
    specs = yaml.safe_load((CURATED_DIR / "indicators.yaml").read_text(encoding="utf-8"))["indicators"]
    checked = 0
    for spec in specs:
        frm = spec.get("from") or {}
        if "file" not in frm:
            continue
        src = pd.read_csv(SOURCES_DIR / frm["file"], keep_default_na=False, dtype={"value": str})
        src = src[(src["indicator"] == frm["indicator"]) & (src["year"] >= 1991)]
        mine = obs[obs["indicator"] == spec["id"]]
        merged = src.merge(mine, on=["iso3", "year"], how="outer", suffixes=("_src", ""), indicator=True)
        assert (merged["_merge"] == "both").all(), f"{spec['id']}: rows added or lost"
        assert (merged["source_id_src"] == merged["source_id"]).all(), spec["id"]
        if spec["kind"] == "categorical":
            codes = [str(int(float(v))) if v.replace(".", "", 1).lstrip("-").isdigit() else v
                     for v in merged["value_src"]]
            assert codes == list(merged["category"]), spec["id"]
        else:
            assert (merged["value_src"].astype(float) == merged["value"].astype(float)).all(), spec["id"]
        checked += len(merged)
    assert checked > 9000


def test_one_table_has_every_layer(values: pd.DataFrame, obs: pd.DataFrame, status: pd.DataFrame) -> None:
    import json

    catalogue = json.loads((PROCESSED_DIR / "indicators.json").read_text(encoding="utf-8"))
    layers = {i["id"]: i for i in catalogue["indicators"]}
    assert set(values["indicator"]) == set(layers)
    assert list(values.columns) == ["iso3", "year", "indicator", "value", "category", "class", "label", "unit",
                                    "source_id", "source", "licence", "notes", "note"]
    assert not values.duplicated(["iso3", "year", "indicator"]).any()
    for ind, rows in values.groupby("indicator"):
        classes = {str(c["id"]): c["label"] for c in layers[ind]["classes"]}
        assert all(classes[c] == lab for c, lab in zip(rows["class"], rows["label"], strict=True)), ind
        assert set(rows["unit"]) == {layers[ind]["unit"]}, ind
    assert (values["source"] != "").all() and (values["licence"] != "").all()
    # numeric classes follow the breaks: class i holds breaks[i-1] <= v < breaks[i]
    row = obs[(obs["indicator"] == "refugees_hosted") & (obs["iso3"] == "ARM") & (obs["year"] == 1995)].iloc[0]
    breaks = layers["refugees_hosted"]["breaks"]
    assert int(row["class"]) == sum(b <= row["value"] for b in breaks)
    # membership statuses are rows of their layer, with the legal basis as note
    assert len(status) == len(ISO3) * len(YEARS) * len(ORGS)
    geo = status[(status["org"] == "cis") & (status["iso3"] == "GEO") & (status["year"] == 2009)].iloc[0]
    assert geo["status"] == "withdrawn" and geo["class"] == "withdrawn" and geo["notes"]


# ------------------------------------------------------------------ notes: a list per row


def _notes(obs: pd.DataFrame, ind: str, iso3: str, year: int) -> list[str]:
    rows = obs[(obs["indicator"] == ind) & (obs["iso3"] == iso3) & (obs["year"] == year)]
    assert len(rows) == 1, (ind, iso3, year)
    return list(rows["notes"].iloc[0])


def test_projection_note_is_kept_beside_other_notes(obs: pd.DataFrame) -> None:
    per_1000 = obs[obs["indicator"].str.endswith("_per_1000") & (obs["year"] >= 2024)
                   & ~obs["indicator"].str.startswith("net_migration")]
    assert len(per_1000) >= 36
    assert all(any(n.startswith("denominator: UN WPP 2024 medium-variant projection") for n in notes)
               for notes in per_1000["notes"])
    idps = per_1000[per_1000["indicator"] == "idps_per_1000"]
    assert len(idps) == 30   # each with the projection note, beside the IDMC or zero note where due
    assert sum(len(n) >= 2 for n in idps["notes"]) >= 20
    zeros = per_1000[per_1000["value"] == 0]
    assert len(zeros) and all(any(n.startswith("published as 0") for n in notes) for notes in zeros["notes"])


@pytest.mark.parametrize("ind", ["refugees_hosted", "refugees_hosted_per_1000"])
def test_series_breaks_on_count_and_rate(obs: pd.DataFrame, ind: str) -> None:
    def has_break(iso3: str, year: int) -> bool:
        return any(n.startswith("series break") for n in _notes(obs, ind, iso3, year))

    assert has_break("AZE", 2000) and not has_break("AZE", 1999)
    assert has_break("RUS", 2024)
    assert all(has_break("ARM", y) for y in range(2006, 2011)) and not has_break("ARM", 2005)


def test_vdem_v16_rows_are_provisional(obs: pd.DataFrame) -> None:
    v16 = obs[obs["source_id"] == "vdem_v16_ert"]
    assert len(v16) == 4 * 15 * 35  # Regimes of the World, polyarchy and the bounds of its 68% interval
    assert all(any(n.startswith("provisional: V-Dem v16") for n in notes) for notes in v16["notes"])
    v15 = obs[obs["source_id"].str.startswith("vdem_v15")]
    assert not any(any(n.startswith("provisional") for n in notes) for notes in v15["notes"])
    fh = obs[obs["source_id"] == "fh_fiw2026_wde"]
    assert len(fh) == 45 and all(any(n.startswith("provisional: FIW 2026") for n in ns) for ns in fh["notes"])


def test_idp_source_switch_is_noted(obs: pd.DataFrame) -> None:
    for ind in ("idps", "idps_per_1000"):
        rus = obs[(obs["indicator"] == ind) & (obs["iso3"] == "RUS")].set_index("year")
        assert rus.loc[2011, "source_id"].startswith(("unhcr", "derived_unhcr"))
        assert rus.loc[2012, "source_id"].startswith(("idmc", "derived_idmc"))
        switch = [n for n in rus.loc[2012, "notes"] if "changes source" in n]
        assert len(switch) == 1 and "IDMC" in switch[0], rus.loc[2012, "notes"]
        assert not any("changes source" in n for n in rus.loc[2013, "notes"])
    # every change of source within a series is noted, and only there
    for (_ind, _iso3), rows in obs.groupby(["indicator", "iso3"]):
        rows = rows.sort_values("year")
        changed = list(rows["source_id"] != rows["source_id"].shift())[1:]
        noted = [any("changes source" in n for n in ns) for ns in rows["notes"]][1:]
        assert changed == noted


@pytest.mark.parametrize(("indicator", "file", "src_indicator"), [
    ("refugees_hosted", "migration/unhcr_population_post_soviet.csv", "refugees_by_asylum"),
    ("refugees_origin", "migration/unhcr_population_post_soviet.csv", "refugees_by_origin"),
    ("stateless", "migration/unhcr_population_post_soviet.csv", "stateless"),
    ("refugees_hosted_per_1000", "migration/derived_per_capita_post_soviet.csv", "refugees_by_asylum_per_1000"),
    ("net_migration", "migration/wpp2024_net_migration_population_post_soviet.csv", "net_migration"),
    ("net_migration_rate", "migration/wpp2024_net_migration_population_post_soviet.csv", "net_migration_rate"),
    ("population", "migration/wpp2024_net_migration_population_post_soviet.csv", "population_jul1"),
    ("net_migration_projection", "migration/wpp2024_projection_2024_2025_post_soviet.csv", "net_migration"),
    ("vdem_polyarchy", "regimes/vdem_v16_ert.csv", "vdem_v2x_polyarchy"),
    ("vdem_libdem", "regimes/vdem_v15.csv", "vdem_v2x_libdem"),
    ("fh_pr", "regimes/freedom_house.csv", "fh_pr_rating"),
    ("fh_total", "regimes/freedom_house.csv", "fh_total_score"),
    ("polity2", "regimes/polity5.csv", "polity5_polity2"),
])
def test_observations_equal_snapshot(obs: pd.DataFrame, indicator: str, file: str, src_indicator: str) -> None:
    src = pd.read_csv(SOURCES_DIR / file)
    src = src[(src["indicator"] == src_indicator) & (src["year"] >= 1991)]
    mine = obs[obs["indicator"] == indicator]
    merged = src.merge(mine, on=["iso3", "year"], how="outer", suffixes=("_src", ""), indicator=True)
    assert (merged["_merge"] == "both").all(), "rows added or lost"
    assert (merged["value_src"].astype(float) == merged["value"].astype(float)).all()
    assert (merged["source_id_src"] == merged["source_id"]).all()


def test_categorical_codes_equal_snapshot(obs: pd.DataFrame) -> None:
    fh = pd.read_csv(SOURCES_DIR / "regimes/freedom_house.csv", keep_default_na=False)
    fh = fh[fh["indicator"] == "fh_status"].set_index(["iso3", "year"])["value"]
    mine = obs[obs["indicator"] == "fh_status"].set_index(["iso3", "year"])["category"]
    assert len(mine) == len(fh) and (mine.sort_index() == fh.sort_index()).all()
    # Belarus: Partly Free in 1995, Not Free from 1996 (year = year assessed)
    assert mine[("BLR", 1995)] == "PF" and mine[("BLR", 1997)] == "NF"
    row = pd.read_csv(SOURCES_DIR / "regimes/vdem_v16_ert.csv")
    row = row[row["indicator"] == "vdem_v2x_regime"].set_index(["iso3", "year"])["value"]
    mine = obs[obs["indicator"] == "vdem_row"].set_index(["iso3", "year"])["category"]
    assert (mine.sort_index() == row.sort_index().astype(int).astype(str)).all()


def test_missing_stays_missing_and_zero_is_flagged(obs: pd.DataFrame) -> None:
    hosted = obs[obs["indicator"] == "refugees_hosted"]
    # UNHCR has no asylum-side rows for 1991: no data, not zero
    assert hosted[hosted["year"] == 1991].empty
    assert hosted[(hosted["iso3"] == "EST") & (hosted["year"] < 2000)].empty
    zero = hosted[hosted["value"] == 0]
    assert len(zero) and all(any(n.startswith("published as 0") for n in ns) for ns in zero["notes"])


def test_idps_take_unhcr_then_idmc(obs: pd.DataFrame) -> None:
    idps = obs[obs["indicator"] == "idps"].set_index(["iso3", "year"])
    assert idps.loc[("AZE", 1993), "source_id"] == "unhcr_rdf_2025_12_1"
    assert idps.loc[("UKR", 2022), "value"] > 5_000_000
    idmc = pd.read_csv(SOURCES_DIR / "migration/idmc_conflict_idps_post_soviet.csv").set_index(["iso3", "year"])
    arm = idps.loc[("ARM", 2010)]
    assert arm["source_id"] == "idmc_via_unhcr_rdf_2025_12_1"
    assert arm["value"] == idmc.loc[("ARM", 2010), "value"]


def test_projections_are_separate(obs: pd.DataFrame) -> None:
    est = obs[obs["indicator"] == "net_migration"]
    assert est["year"].max() == 2023
    assert set(est["source_id"]) == {"un_wpp2024"}


def test_every_state_org_year_has_a_status(status: pd.DataFrame) -> None:
    orgs = sorted(status["org"].unique())
    assert len(orgs) == 10
    assert len(status) == len(ISO3) * len(YEARS) * len(orgs)
    keys = status.set_index(["iso3", "org", "year"]).index
    assert keys.is_unique
    assert set(status["unit"]) == {"status"} and status["value"].isna().all()


def _st(status: pd.DataFrame, iso3: str, org: str, year: int) -> str:
    row = status[(status["iso3"] == iso3) & (status["org"] == org) & (status["year"] == year)]
    assert len(row) == 1
    return str(row["status"].iloc[0])


def test_status_rule_cis(status: pd.DataFrame) -> None:
    # Georgia joined in Dec 1993; its exit took effect on 18 Aug 2009 → withdrawn in the 2009 column
    assert _st(status, "GEO", "cis", 1992) == "not_member"
    assert _st(status, "GEO", "cis", 2008) == "charter_member"
    assert _st(status, "GEO", "cis", 2009) == "withdrawn"
    assert _st(status, "GEO", "cis", 2026) == "withdrawn"
    # Ukraine and Turkmenistan never ratified the Charter
    assert all(_st(status, "UKR", "cis", y) != "charter_member" for y in YEARS)
    assert all(_st(status, "TKM", "cis", y) != "charter_member" for y in YEARS)
    assert _st(status, "UKR", "cis", 1995) == "participant_no_charter"
    # Turkmenistan: associate from August 2005
    assert _st(status, "TKM", "cis", 2004) == "participant_no_charter"
    assert _st(status, "TKM", "cis", 2005) == "associate"
    # Azerbaijan: out in 1992 (parliament refused ratification), back in September 1993
    assert _st(status, "AZE", "cis", 1991) == "founding_participant"
    assert _st(status, "AZE", "cis", 1992) == "not_participating"
    assert _st(status, "AZE", "cis", 1993) in ("founding_participant", "charter_member")
    # the Baltic states never joined
    assert {_st(status, c, "cis", 2000) for c in ("EST", "LVA", "LTU")} == {"never_joined"}


def test_status_rule_csto(status: pd.DataFrame) -> None:
    assert _st(status, "UZB", "csto", 1998) == "cst_party"
    assert _st(status, "UZB", "csto", 1999) == "withdrawn"
    assert _st(status, "UZB", "csto", 2006) == "csto_member"
    assert _st(status, "UZB", "csto", 2012) == "suspended"
    assert _st(status, "ARM", "csto", 2023) == "csto_member"
    assert _st(status, "ARM", "csto", 2024) == "frozen"
    assert _st(status, "GEO", "csto", 1999) == "withdrawn"


# ------------------------------------------------------------------ failures are clean
@pytest.fixture()
def sandbox(tmp_path: Path) -> tuple[Path, Path]:
    src = tmp_path / "sources"
    shutil.copytree(SOURCES_DIR, src)
    out = tmp_path / "processed"
    shutil.copytree(PROCESSED_DIR, out)
    return src, out


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _reseal(path: Path) -> None:
    """Record a damaged snapshot's new sha256 in its metadata, as if it had been obtained so,
    so that the checks after the checksum are what fails."""
    mpath = meta_path(path)
    if path.is_file() and mpath.is_file():
        meta = yaml.safe_load(mpath.read_text(encoding="utf-8"))
        meta["outs"][0]["sha256"] = sha256_file(path)
        mpath.write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(("rel", "damage", "expect"), [
    ("migration/unhcr_population_post_soviet.csv", "delete", "missing"),
    ("migration/unhcr_population_post_soviet.csv", "truncate", "unhcr_population_post_soviet.csv"),
    ("regimes/vdem_v16_ert.csv", "garble", "vdem_v16_ert.csv"),
    ("regimes/vdem_v15.csv", "out_of_range", "vdem_libdem"),
    ("regimes/freedom_house.csv", "bad_code", "fh_status"),
    ("curated/memberships/cis.csv", "overlap", "overlapping"),
    ("curated/memberships/csto.csv", "bad_date", "not a YYYY-MM-DD date"),
    ("curated/events.csv", "bad_country", "unknown country code"),
    ("curated/indicators.yaml", "garble", "indicators.yaml"),
])
def test_corrupt_source_fails_cleanly(sandbox: tuple[Path, Path], rel: str, damage: str, expect: str) -> None:
    src, out = sandbox
    before = _snapshot(out)
    path = src / rel
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if damage == "delete":
        path.unlink()
    elif damage == "truncate":
        path.write_text(lines[0].split(",")[0] + "\n", encoding="utf-8")
    elif damage == "garble":
        path.write_text(text.replace(",", ";", 40) if rel.endswith(".csv") else "indicators: [\n  - {id: x",
                        encoding="utf-8")
    elif damage == "out_of_range":
        i = next(i for i, ln in enumerate(lines) if ",vdem_v2x_libdem," in ln)
        parts = lines[i].split(",")
        parts[3] = "1.5"
        lines[i] = ",".join(parts)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif damage == "bad_code":
        i = next(i for i, ln in enumerate(lines) if ",fh_status,PF," in ln)
        lines[i] = lines[i].replace(",fh_status,PF,", ",fh_status,XX,")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif damage == "overlap":
        path.write_text(text + lines[1] + "\n", encoding="utf-8")  # the first spell twice
    elif damage == "bad_date":
        df = pd.read_csv(path, dtype=str)
        df.loc[0, "start_date"] = "1992-13-45"
        df.to_csv(path, index=False)
    elif damage == "bad_country":
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        df.loc[0, "countries"] = "XXX"
        df.to_csv(path, index=False)
    _reseal(path)
    with pytest.raises(BuildError) as err:
        build_all(only="tables", sources_dir=src, out_dir=out)
    message = str(err.value)
    assert expect in message
    assert _snapshot(out) == before, "processed files changed although the build failed"
    assert not any(p.name.endswith(".tmp") for p in out.iterdir())


@pytest.mark.parametrize("rel", ["migration/unhcr_population_post_soviet.csv", "regimes/vdem_v16_ert.csv"])
def test_changed_snapshot_stops_the_build(sandbox: tuple[Path, Path], rel: str) -> None:
    src, out = sandbox
    before = _snapshot(out)
    path = src / rel
    path.write_text(path.read_text(encoding="utf-8").replace(",0,", ",1,", 1), encoding="utf-8")
    with pytest.raises(BuildError) as err:
        build_all(only="tables", sources_dir=src, out_dir=out)
    message = str(err.value)
    assert path.name in message and "sha256" in message and "meta.yml" in message
    assert _snapshot(out) == before


def test_snapshot_without_metadata_stops_the_build(sandbox: tuple[Path, Path]) -> None:
    src, out = sandbox
    meta_path(src / "regimes/polity5.csv").unlink()
    with pytest.raises(BuildError, match=r"polity5\.csv.*no metadata file polity5\.csv\.meta\.yml"):
        build_all(only="tables", sources_dir=src, out_dir=out)


def test_every_snapshot_has_metadata() -> None:
    files = [p for folder in ("migration", "regimes") for p in sorted((SOURCES_DIR / folder).glob("*.csv"))
             if p.name != "sources.csv"]
    assert len(files) >= 11
    for path in files:
        meta = yaml.safe_load(meta_path(path).read_text(encoding="utf-8"))
        origin = meta["meta"]["origin"]
        for key in ("producer", "title", "version_producer", "url_main", "date_accessed", "license"):
            assert origin.get(key), (path.name, key)
        assert origin["license"].get("name")
        assert meta["outs"][0]["path"] == path.name
        assert meta["outs"][0]["sha256"] == sha256_file(path), path.name


def test_build_command_reports_failure(sandbox: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    src, out = sandbox
    (src / "regimes/polity5.csv").unlink()
    from dashboard.pipeline import __main__ as cli
    from dashboard.pipeline import run as pipeline

    monkeypatch.setattr(cli, "build_all", lambda only=None: pipeline.build_all(only=only, sources_dir=src,
                                                                              out_dir=out))
    assert cli.main(["tables"]) == 1
    err = capsys.readouterr().err
    assert "polity5.csv" in err and "missing" in err and "Traceback" not in err
