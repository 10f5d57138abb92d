"""The versioned facts of the home-care topic (``data/raw/reference/home_medical/*.csv``): each file
read the same way (``#`` header comments, every cell text), its columns checked, and recorded as a
stage input. Terms: docs/glossary.md.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from homecare.core import paths, provenance
from homecare.core.errors import ReferenceDataError

FOLDER = "home_medical"


def reference_path(name: str) -> Path:
    """``data/raw/reference/home_medical/<name>``."""
    return paths.reference_dir() / FOLDER / name


def read_reference_table(name: str, columns: list[str], *, note: bool = True) -> tuple[pd.DataFrame, str]:
    """(table, path for messages) of a reference CSV whose columns must be exactly ``columns``."""
    path = reference_path(name)
    where = paths.relative(path)
    if note:
        provenance.note_input(path)
    df = pd.read_csv(path, dtype=str, keep_default_na=False, comment="#", encoding="utf-8")
    if list(df.columns) != columns:
        raise ReferenceDataError(f"{where}: columns must be {columns}, found {list(df.columns)}")
    return df, where
