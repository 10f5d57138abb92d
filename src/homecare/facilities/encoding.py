"""Text encoding detection (文字コード判定) for facility CSVs.

Open-data CSVs come as UTF-8 with BOM (医療情報ネット), plain UTF-8, or CP932/Shift_JIS
(older 介護サービス情報公表 files, Excel exports). The encoding is detected from the
bytes, never assumed: BOM first, then a strict UTF-8 decode, then a strict CP932 decode,
and only then charset-normalizer for anything else.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from charset_normalizer import from_bytes

from homecare import paths, provenance
from homecare.errors import InputError

UTF8_BOM = b"\xef\xbb\xbf"


def _decodes(data: bytes, encoding: str) -> bool:
    """Whether ``data`` decodes strictly in ``encoding``."""
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(data: bytes, *, file: str | Path | None = None) -> str:
    """Python codec name for ``data``: ``utf-8-sig``, ``utf-8``, ``cp932`` or what
    charset-normalizer finds. Raises InputError when nothing decodes the bytes."""
    if data.startswith(UTF8_BOM):
        return "utf-8-sig"
    # strict decodes in order: UTF-8 first (CP932 would also accept many UTF-8 byte runs)
    for enc in ("utf-8", "cp932"):
        if _decodes(data, enc):
            return enc
    best = from_bytes(data).best()
    if best is None:
        raise InputError("cannot detect the text encoding (not UTF-8, not CP932)", file=file)
    return best.encoding


def read_csv_text(path: str | Path) -> tuple[pd.DataFrame, str]:
    """Read a CSV as all-text columns with the detected encoding; records the input.

    Returns (frame, encoding). Values stay strings (codes keep leading zeros); empty
    cells become "" so that nothing is silently turned into NaN.
    """
    p = paths.resolve(path)
    if not p.is_file():
        raise InputError("input file not found", file=paths.relative(p))
    data = p.read_bytes()
    enc = detect_encoding(data, file=paths.relative(p))
    provenance.note_input(p)
    text = data.decode(enc)
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    df.columns = [str(c).strip() for c in df.columns]
    return df, enc
