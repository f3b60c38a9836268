"""The data pipeline: exact values, reproducibility, the membership rule, clean failures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from dashboard.core.config import ISO3, PROCESSED_DIR, SOURCES_DIR, YEARS
from dashboard.pipeline import BuildError
from dashboard.pipeline.run import OUTPUT_FILES, build_all, build_tables


@pytest.fixture(scope="module")
def built() -> dict[str, str]:
    return build_tables()


@pytest.fixture(scope="module")
def obs() -> pd.DataFrame:
    return pd.read_csv(PROCESSED_DIR / "observations.csv", keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def status() -> pd.DataFrame:
    return pd.read_csv(PROCESSED_DIR / "membership_status.csv", keep_default_na=False)


def test_rebuild_reproduces_committed_files(built: dict[str, str]) -> None:
    assert set(built) == set(OUTPUT_FILES)
    for name, text in built.items():
        committed = (PROCESSED_DIR / name).read_text(encoding="utf-8")
        assert committed == text, f"{name} differs from a fresh build: run python -m dashboard.pipeline"


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
    assert len(zero) and (zero["note"].str.contains("published as 0")).all()


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
    with pytest.raises(BuildError) as err:
        build_all(only="tables", sources_dir=src, out_dir=out)
    message = str(err.value)
    assert expect in message
    assert _snapshot(out) == before, "processed files changed although the build failed"
    assert not any(p.name.endswith(".tmp") for p in out.iterdir())


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
