"""Reading source files: every failure becomes a BuildError that names the file and the problem."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from dashboard.pipeline import BuildError


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_csv(path: Path, columns: list[str], *, dtype: dict[str, Any] | None = None) -> pd.DataFrame:
    """Read a CSV that must have at least ``columns`` and at least one row."""
    path = Path(path)
    if not path.is_file():
        raise BuildError(path, "source file is missing")
    try:
        df = pd.read_csv(path, dtype=dtype, keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
        raise BuildError(path, f"cannot be parsed as CSV ({exc.__class__.__name__}: {exc})") from exc
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise BuildError(path, f"missing column(s) {missing}; found {list(df.columns)}")
    if df.empty:
        raise BuildError(path, "has no data rows")
    return df


def read_yaml(path: Path) -> Any:
    path = Path(path)
    if not path.is_file():
        raise BuildError(path, "source file is missing")
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise BuildError(path, f"cannot be parsed as YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise BuildError(path, "expected a mapping at the top level")
    return data


def numeric(df: pd.DataFrame, column: str, path: Path) -> pd.Series:
    """The column as floats; any non-numeric cell is an error naming the first bad row."""
    out = pd.to_numeric(df[column], errors="coerce")
    bad = out.isna() & df[column].notna()
    if bad.any():
        i = int(bad.idxmax())
        raise BuildError(path, f"non-numeric {column!r} in row {i + 2}: {df[column].iloc[i]!r}")
    return out
