"""File primitives every layer uses: atomic writes, CSV bytes, SHA-256, deterministic zips.

Writers go through a temporary file and a rename so that readers never see half a file;
zip containers (xlsx, pptx) are rewritten with fixed timestamps so that identical content
gives identical bytes.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd

FIXED_TIME = datetime(2000, 1, 1, 0, 0, 0)  # document properties of every generated xlsx/pptx
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write through a temporary file and rename, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; outputs are meant to be shared
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # OWASP CSV injection: what a spreadsheet may evaluate
FORMULA_GUARD = "'"


def is_formula_like(value: object) -> bool:
    """Text a spreadsheet would read as a formula: it starts with = + - @ tab or CR and is not
    a plain number (``-12.5`` stays a number) or a lone dash (a "no data" mark)."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START) or value == "-":
        return False
    try:
        float(value)
    except ValueError:
        return True
    return False


def _formula_mask(column: pd.Series) -> pd.Series:
    """:func:`is_formula_like` of every cell. Text columns are narrowed to the cells that start
    with a formula character in one vectorised pass (a national table has millions of cells)."""
    if isinstance(column.dtype, pd.StringDtype):
        mask = pd.Series(False, index=column.index)
        maybe = column.str.startswith(FORMULA_START, na=False).to_numpy(bool)
        if maybe.any():
            mask[maybe] = column[maybe].map(is_formula_like).to_numpy(bool)
        return mask
    return column.map(is_formula_like).astype(bool)


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every formula-like text cell prefixed by ``'`` (OWASP's advice for CSV), so
    that an address such as ``=HYPERLINK(...)`` is shown as text, never run. Number columns
    are left alone."""
    out = df
    for col in df.columns:
        if df[col].dtype.kind in "biufcmM":
            continue
        mask = _formula_mask(df[col])
        if mask.any():
            if out is df:
                out = df.copy()
            out[col] = df[col].where(~mask, FORMULA_GUARD + df[col].astype(str))
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with BOM (Excel opens it without mojibake), LF line ends, formula-like
    text neutralised (:func:`neutralise_formulas`)."""
    buf = io.BytesIO()  # encoded as pandas writes it, in chunks: no whole-table text string in memory
    neutralise_formulas(df).to_csv(buf, index=False, lineterminator="\n", encoding="utf-8-sig")
    return buf.getvalue()


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes (hex), read in 1 MiB blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def normalise_zip(data: bytes) -> bytes:
    """Rewrite an xlsx/pptx with fixed timestamps (zip entries and document properties, also
    of workbooks embedded in it, such as a chart's data)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename.endswith(".xlsx"):  # a chart's embedded workbook has its own dates
                content = normalise_zip(content)
            if item.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>2000-01-01T00:00:00Z\g<3>",
                    content,
                )
            info = zipfile.ZipInfo(item.filename, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, content)
    return buf.getvalue()
