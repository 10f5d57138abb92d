"""Safe opening of Excel workbooks (.xlsx): size limits checked before anything is loaded.

An .xlsx is a zip of XML parts. A 26 KB file can declare one cell at XFD1048576 (a reader
that builds the grid then needs gigabytes) and a 0.8 MB zip can unpack to gigabytes of XML (a
zip bomb). :func:`check_workbook` reads only the zip directory and the first bytes of each
sheet: every member's unpacked size and compression ratio, the total, and each sheet's
declared ``<dimension>``; a sheet of up to :data:`SCAN_BYTES` unpacked is also scanned for
the cell references it really holds (a dimension can be missing or lie, and readers build
the grid from the cells). Anything over the limits is an :class:`InputError` naming the
file and the part. The limits sit well above the largest real files (the national score
workbook: 1,797 rows x 1,563 columns, about 2.8 million cells). Terms: docs/glossary.md.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from homecare.core import paths
from homecare.core.errors import InputError

MAX_FILE_BYTES = 300_000_000
MAX_UNZIPPED_BYTES = 1_000_000_000
MAX_RATIO = 200  # XML compresses 5-20x; hundreds or thousands means a bomb
MAX_CELLS = 20_000_000
ZIP_SUFFIXES = (".xlsx", ".xlsm")  # .xls is an OLE file, not a zip: only its size is checked
SCAN_BYTES = 32_000_000  # every real sheet but the national score table; about 1 s at the limit
_CELL_REF = re.compile(rb"<c r=\"([A-Z]{1,3})(\d{1,7})\"")
_DIMENSION = re.compile(rb"<dimension ref=\"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\"")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.decode():
        n = n * 26 + ord(ch) - 64
    return n


def check_workbook(path: str | Path) -> Path:
    """The resolved path of a workbook that is safe to load; raises InputError for a missing,
    empty, non-zip, oversized, bomb-like or absurdly dimensioned file."""
    p = paths.resolve_input(path)
    where = paths.relative(p)
    if not p.is_file():
        raise InputError("input file does not exist", file=where)
    size = p.stat().st_size
    if size == 0:
        raise InputError("the file is empty (0 bytes)", file=where)
    if size > MAX_FILE_BYTES:
        raise InputError(
            f"{size:,} bytes is larger than any workbook this reads (limit {MAX_FILE_BYTES:,})", file=where
        )
    try:
        with zipfile.ZipFile(p) as z:
            members = z.infolist()
            total = 0
            for m in members:
                total += m.file_size
                ratio = m.file_size / max(m.compress_size, 1)
                if ratio > MAX_RATIO and m.file_size > 10_000_000:
                    raise InputError(
                        f"part {m.filename} unpacks {ratio:,.0f}-fold to {m.file_size:,} bytes: a zip bomb, not a workbook",
                        file=where,
                    )
            if total > MAX_UNZIPPED_BYTES:
                raise InputError(f"unpacks to {total:,} bytes (limit {MAX_UNZIPPED_BYTES:,})", file=where)
            for m in members:
                if m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml"):
                    with z.open(m) as fh:
                        head = fh.read(4096)
                    _check_dimension(head, where, m.filename)
                    if m.file_size <= SCAN_BYTES:
                        _check_cells(z, m, where)
    except zipfile.BadZipFile:
        raise InputError(
            "not an Excel .xlsx workbook (not a zip file: truncated or damaged download, or an old .xls?)", file=where
        ) from None
    return p


def _check_dimension(head: bytes, where: str, part: str) -> None:
    m = _DIMENSION.search(head)
    if m is None or m.group(3) is None:
        return
    _check_extent(
        (int(m.group(2)), _column_number(m.group(1))),
        (int(m.group(4)), _column_number(m.group(3))),
        f"sheet {part} declares",
        where,
    )


def _check_cells(z: zipfile.ZipFile, member: zipfile.ZipInfo, where: str) -> None:
    """The extent of the cells a sheet really holds, read in chunks (a reference cut at a chunk
    boundary is found in the next one: the last 32 bytes are carried over)."""
    low = (1 << 30, 1 << 30)
    high = (0, 0)
    carry = b""
    with z.open(member) as fh:
        while chunk := fh.read(4_000_000):
            data = carry + chunk
            for letters, digits in _CELL_REF.findall(data):
                row, col = int(digits), _column_number(letters)
                low = (min(low[0], row), min(low[1], col))
                high = (max(high[0], row), max(high[1], col))
            carry = data[-32:]
    if high[0]:
        _check_extent(low, high, f"sheet {member.filename} holds cells spanning", where)


def _column_letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _check_extent(first: tuple[int, int], last: tuple[int, int], what: str, where: str) -> None:
    rows = last[0] - first[0] + 1
    cols = last[1] - first[1] + 1
    if rows * cols > MAX_CELLS:
        span = f"{_column_letters(first[1])}{first[0]}:{_column_letters(last[1])}{last[0]}"
        raise InputError(
            f"{what} {rows:,} rows x {cols:,} columns ({span}); a cell far outside the table? "
            f"(limit {MAX_CELLS:,} cells)",
            file=where,
        )
