"""Checks on the state names, data/sources/curated/names.csv, and their use in the map layer.

Russian names follow the United Nations' Russian short names of the member states (as listed
in the UN Terminology Database, UNTERM, and on the UN's Russian-language member-states pages);
English names are Natural Earth's short names, as before. Every name form records its source.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from dashboard.core.config import GEODATA_DIR, ISO3
from dashboard.pipeline import BuildError
from dashboard.pipeline.geo import NAMES_COLUMNS, NAMES_FILE, STATES_FILE, read_names

# The UN's Russian short names (UNTERM). Kept here so that a silent edit of names.csv fails.
UN_RUSSIAN_SHORT_NAMES = {
    "ARM": "Армения",
    "AZE": "Азербайджан",
    "BLR": "Беларусь",
    "EST": "Эстония",
    "GEO": "Грузия",
    "KAZ": "Казахстан",
    "KGZ": "Кыргызстан",
    "LTU": "Литва",
    "LVA": "Латвия",
    "MDA": "Республика Молдова",
    "RUS": "Российская Федерация",
    "TJK": "Таджикистан",
    "TKM": "Туркменистан",
    "UKR": "Украина",
    "UZB": "Узбекистан",
}
# Older or informal forms that the UN does not use for these states.
OUTDATED_FORMS = {"Белоруссия", "Молдавия", "Молдова", "Туркмения", "Киргизия", "Россия",
                  "Республика Беларусь", "Киргизская Республика"}


@pytest.fixture(scope="module")
def names() -> pd.DataFrame:
    return pd.read_csv(NAMES_FILE, dtype=str, keep_default_na=False)


def test_columns_and_one_row_per_state(names):
    assert list(names.columns) == NAMES_COLUMNS
    assert sorted(names["iso3"]) == sorted(ISO3)
    assert names["iso3"].is_unique


def test_russian_names_are_the_un_short_names(names):
    assert dict(zip(names["iso3"], names["name_ru"], strict=True)) == UN_RUSSIAN_SHORT_NAMES
    assert not set(names["name_ru"]) & OUTDATED_FORMS


def test_every_name_form_has_a_source(names):
    for rec in names.itertuples():
        assert rec.name_en.strip() and rec.name_en.isascii(), rec.iso3
        assert "Natural Earth" in rec.name_en_source, rec.iso3
        assert "United Nations" in rec.name_ru_source and "UNTERM" in rec.name_ru_source, rec.iso3
        assert re.fullmatch(r"https://www\.un\.org/\S+", rec.name_ru_source_url), rec.iso3
        assert rec.name_ru_replaced != rec.name_ru, rec.iso3


def test_replaced_forms_are_recorded(names):
    replaced = dict(zip(names["iso3"], names["name_ru_replaced"], strict=True))
    assert replaced["BLR"] == "Белоруссия"
    assert replaced["MDA"] == "Молдавия"
    assert replaced["TKM"] == "Туркмения"
    assert replaced["KGZ"] == "Киргизия"


def test_map_layer_uses_the_names_file(names):
    layer = json.loads((GEODATA_DIR / STATES_FILE).read_text(encoding="utf-8"))
    props = {f["id"]: f["properties"] for f in layer["features"]}
    for rec in names.itertuples():
        assert props[rec.iso3]["name_ru"] == rec.name_ru, rec.iso3
        assert props[rec.iso3]["name_en"] == rec.name_en, rec.iso3


def test_read_names_rejects_bad_files(tmp_path: Path, names):
    path = tmp_path / "names.csv"
    names.iloc[:-1].to_csv(path, index=False)
    with pytest.raises(BuildError, match="15 states"):
        read_names(path)
    bad = names.copy()
    bad.loc[bad["iso3"] == "RUS", "name_ru"] = "Russian Federation"
    bad.to_csv(path, index=False)
    with pytest.raises(BuildError, match="RUS: name_ru is not Cyrillic"):
        read_names(path)
    bad = names.copy()
    bad.loc[bad["iso3"] == "MDA", "name_ru_source"] = ""
    bad.to_csv(path, index=False)
    with pytest.raises(BuildError, match="MDA: each name needs a value and a source"):
        read_names(path)
