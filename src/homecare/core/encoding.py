"""Text encoding detection (文字コード判定) for facility CSVs.

Open-data CSVs come as UTF-8 with BOM (医療情報ネット), plain UTF-8, or CP932/Shift_JIS
(older 介護サービス情報公表 files, Excel exports). The encoding is detected from the
bytes, never assumed: BOM first, then a strict UTF-8 decode, then a strict CP932 decode,
and only then charset-normalizer for anything else.
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pandas as pd
from charset_normalizer import from_bytes

from homecare.core import paths, provenance
from homecare.core.errors import InputError

UTF8_BOM = b"\xef\xbb\xbf"
MAX_CSV_BYTES = 2_000_000_000  # the largest national open-data files are tens of MB


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
    p = paths.resolve_input(path)
    if not p.is_file():
        raise InputError("input file not found", file=paths.relative(p))
    if p.stat().st_size > MAX_CSV_BYTES:
        raise InputError(
            f"{p.stat().st_size:,} bytes is larger than any source file this reads (limit {MAX_CSV_BYTES:,})",
            file=paths.relative(p),
        )
    data = p.read_bytes()
    enc = detect_encoding(data, file=paths.relative(p))
    provenance.note_input(p, sha256=hashlib.sha256(data).hexdigest())  # the bytes just read, not a second read
    header, records = _records(data.decode(enc), file=paths.relative(p))
    df = pd.DataFrame(records, columns=[str(c).strip() for c in header], dtype=str)
    return df, enc


def _records(text: str, *, file: str) -> tuple[list[str], list[list[str]]]:
    """Header and records of a CSV text. Every record must have the header's number of
    fields: a short last record means the file was cut off, so it is an error, never a
    silently padded row. Blank lines are skipped. Line ends may be CRLF, LF or CR alone; a field
    longer than the csv module's limit (131,072 characters) is an error naming the line."""
    reader = csv.reader(io.StringIO(text, newline=""))  # newline="": CR-only files split into lines too
    header: list[str] | None = None
    records: list[list[str]] = []
    try:
        for record in reader:
            if not record or all(not field.strip() for field in record):
                continue
            if header is None:
                header = record
                continue
            if len(record) != len(header):
                cut = reader.line_num == len(text.splitlines())
                hint = " (last line: the file looks truncated)" if cut and len(record) < len(header) else ""
                raise InputError(
                    f"{len(record)} fields where the header has {len(header)}{hint}", file=file, row=reader.line_num
                )
            records.append(record)
    except csv.Error as exc:  # e.g. a field larger than the limit: a broken or hostile file
        raise InputError(f"not a readable CSV record: {exc}", file=file, row=reader.line_num) from None
    if header is None:
        raise InputError("the file is empty (no header row)", file=file)
    if records and not text.endswith(("\n", "\r")):
        # exports (Excel, open-data systems) end every row with a line break; a file that stops
        # mid-row is the usual sign of a cut-off download or copy
        raise InputError(
            "the file does not end with a line break, so its last row may be cut off; "
            "check the row against the source and, if it is complete, add a line break at the end",
            file=file,
            row=reader.line_num,
        )
    return header, records
