"""Build the bad-input corpus (不正入力コーパス) from the committed sample files.

Every bad file is derived deterministically from a committed good file by one named
mutation, so nothing binary is hand-written or committed: ``corpus.yml`` lists each entry
(source file, mutation, arguments, the CLI command to run and the expected outcome) and
``tests/test_bad_inputs.py`` builds the files into a temporary folder and runs them.

By hand: ``.venv/bin/python tests/bad_inputs/make_corpus.py OUTDIR`` writes every file.
"""

from __future__ import annotations

import io
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus.yml"


def _read_text(src: Path) -> tuple[str, str]:
    """(text, encoding) of a committed sample CSV (they are UTF-8, UTF-8-BOM or CP932)."""
    raw = src.read_bytes()
    for enc in ("utf-8-sig", "cp932"):
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise ValueError(f"{src}: not UTF-8 or CP932")


def _lines(src: Path) -> tuple[list[str], str]:
    text, enc = _read_text(src)
    return text.splitlines(keepends=True), enc


def _write_lines(dst: Path, lines: list[str], encoding: str) -> None:
    dst.write_bytes("".join(lines).encode("utf-8-sig" if encoding == "utf-8-sig" else encoding))


# --- text files ------------------------------------------------------------------------------


def reencode(src: Path, dst: Path, encoding: str) -> None:
    """Same text in another encoding (e.g. UTF-16, which no reader here expects)."""
    text, _ = _read_text(src)
    dst.write_bytes(text.encode(encoding))


def mixed_encoding(src: Path, dst: Path) -> None:
    """First half of the lines in UTF-8, the rest in CP932 (two files pasted together)."""
    lines, _ = _lines(src)
    half = len(lines) // 2
    dst.write_bytes("".join(lines[:half]).encode("utf-8") + "".join(lines[half:]).encode("cp932"))


def truncate(src: Path, dst: Path, fraction: float = 0.5) -> None:
    """The first ``fraction`` of the bytes (an interrupted download or copy)."""
    raw = src.read_bytes()
    dst.write_bytes(raw[: int(len(raw) * fraction)])


def head_lines(src: Path, dst: Path, keep: int) -> None:
    """The first ``keep`` lines (a copy cut at a line boundary: still valid text)."""
    lines, enc = _lines(src)
    _write_lines(dst, lines[:keep], enc)


def empty(src: Path, dst: Path) -> None:
    """A 0-byte file."""
    dst.write_bytes(b"")


def header_only(src: Path, dst: Path) -> None:
    """The header line without any data rows."""
    lines, enc = _lines(src)
    _write_lines(dst, lines[:1], enc)


def drop_column(src: Path, dst: Path, column: str) -> None:
    """The CSV without ``column`` (found by header text)."""
    import pandas as pd

    text, enc = _read_text(src)
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    df.drop(columns=[column]).to_csv(dst, index=False, encoding=enc)


def duplicate_rows(src: Path, dst: Path, count: int = 1) -> None:
    """The first ``count`` data rows appended again at the end (a key present twice)."""
    lines, enc = _lines(src)
    tail = lines[-1] if lines[-1].endswith("\n") else lines[-1] + "\n"
    _write_lines(dst, lines[:-1] + [tail] + lines[1 : 1 + count], enc)


def set_cell(src: Path, dst: Path, column: str, value: str, row: int = 1, repeat: int = 1) -> None:
    """One cell (data row ``row``, 1-based, by header text) replaced by ``value`` (written
    ``repeat`` times: a huge field)."""
    import pandas as pd

    text, enc = _read_text(src)
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    df.loc[row - 1, column] = value * repeat
    df.to_csv(dst, index=False, encoding=enc)


def set_column_value(src: Path, dst: Path, column: str, old: str, new: str) -> None:
    """Every ``old`` in ``column`` replaced by ``new`` (e.g. the years of another edition)."""
    import pandas as pd

    text, enc = _read_text(src)
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    if not (df[column] == old).any():
        raise ValueError(f"{src}: no {old!r} in column {column}")
    df.loc[df[column] == old, column] = new
    df.to_csv(dst, index=False, encoding=enc)


def replace_text(src: Path, dst: Path, old: str, new: str, encoding: str = "utf-8") -> None:
    """A text file with ``old`` replaced by ``new`` (must occur), written in ``encoding``."""
    text, _ = _read_text(src)
    if old not in text:
        raise ValueError(f"{src}: {old!r} not found")
    dst.write_bytes(text.replace(old, new, 1).encode(encoding))


def write_text(src: Path, dst: Path, text: str, encoding: str = "utf-8") -> None:
    """A small text file (parameter files) written in ``encoding``; ``src`` is not used."""
    dst.write_bytes(text.encode(encoding))


def cr_line_ends(src: Path, dst: Path) -> None:
    """Line ends as a lone CR (old Mac exports): still a valid table."""
    text, enc = _read_text(src)
    _write_lines(dst, [text.replace("\r\n", "\n").replace("\n", "\r")], enc)


def flip_byte(src: Path, dst: Path, offset: int = 100) -> None:
    """A copy with one byte changed (a corrupted transfer: same size, other hash)."""
    raw = bytearray(src.read_bytes())
    raw[offset] ^= 0x01
    dst.write_bytes(bytes(raw))


# --- workbooks -------------------------------------------------------------------------------


def _xlsx(src: Path, dst: Path, edit: Callable[[Any], None]) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(src)
    edit(wb)
    wb.save(dst)


def _find(ws: Any, header: str) -> tuple[int, int]:
    """(row, column) of the first cell whose text is ``header``."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.strip() == header:
                return cell.row, cell.column
    raise ValueError(f"{ws.title}: no header {header!r}")


def _data_sheet(wb: Any, header: str) -> Any:
    return next(ws for ws in wb.worksheets if any(c.value == header for row in ws.iter_rows(max_row=30) for c in row))


def xlsx_rename_sheets(src: Path, dst: Path, prefix: str = "Sheet") -> None:
    """Every sheet renamed (a file saved from another template)."""

    def edit(wb: Any) -> None:
        for i, ws in enumerate(wb.worksheets, start=1):
            ws.title = f"{prefix}{i}"

    _xlsx(src, dst, edit)


def xlsx_blank_header(src: Path, dst: Path, header: str) -> None:
    """The header cell ``header`` emptied (the column cannot be found by its text)."""

    def edit(wb: Any) -> None:
        ws = _data_sheet(wb, header)
        r, c = _find(ws, header)
        ws.cell(row=r, column=c).value = None

    _xlsx(src, dst, edit)


def xlsx_duplicate_row(src: Path, dst: Path, header: str, offset: int = 1) -> None:
    """The data row ``offset`` rows below the first non-empty cell under ``header``, copied
    over the row after it (one key twice)."""

    def edit(wb: Any) -> None:
        ws = _data_sheet(wb, header)
        r, c = _find(ws, header)
        first = next(i for i in range(r + 1, ws.max_row + 1) if ws.cell(row=i, column=c).value not in (None, ""))
        src_row, dst_row = first + offset - 1, first + offset
        for col in range(1, ws.max_column + 1):
            ws.cell(row=dst_row, column=col).value = ws.cell(row=src_row, column=col).value

    _xlsx(src, dst, edit)


def xlsx_set_under(src: Path, dst: Path, header: str, value: Any, offset: int = 1) -> None:
    """The ``offset``-th non-empty numeric cell under ``header`` set to ``value``."""

    def edit(wb: Any) -> None:
        ws = _data_sheet(wb, header)
        r, c = _find(ws, header)
        cells = [ws.cell(row=i, column=c) for i in range(r + 1, ws.max_row + 1)]
        numeric = [cell for cell in cells if isinstance(cell.value, (int, float))]
        numeric[offset - 1].value = value

    _xlsx(src, dst, edit)


def xlsx_set_cell(src: Path, dst: Path, sheet: str, cell: str, value: Any) -> None:
    """One cell (``sheet``, ``cell`` like ``AK24``) set to ``value``."""

    def edit(wb: Any) -> None:
        wb[sheet][cell].value = value

    _xlsx(src, dst, edit)


def zip_bomb(src: Path, dst: Path, megabytes: int = 60) -> None:
    """A copy of a workbook with one extra part of zeros: a few hundred KB that unpack to
    ``megabytes`` MB (the shape of a zip bomb)."""
    import zipfile

    shutil.copyfile(src, dst)
    with zipfile.ZipFile(dst, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/padding.bin", b"\0" * (megabytes * 1_000_000))


def xlsx_as_csv_cp932(src: Path, dst: Path) -> None:
    """The first data sheet saved as CP932 text under the .xlsx name (wrong format/encoding)."""
    from openpyxl import load_workbook

    ws = load_workbook(src).worksheets[-1]
    rows = [",".join("" if v is None else str(v) for v in row) for row in ws.iter_rows(values_only=True)]
    dst.write_bytes("\n".join(rows).encode("cp932", errors="replace"))


MUTATIONS: dict[str, Callable[..., None]] = {
    f.__name__: f
    for f in (
        reencode,
        mixed_encoding,
        truncate,
        head_lines,
        empty,
        header_only,
        drop_column,
        duplicate_rows,
        set_cell,
        set_column_value,
        replace_text,
        write_text,
        flip_byte,
        cr_line_ends,
        zip_bomb,
        xlsx_rename_sheets,
        xlsx_blank_header,
        xlsx_duplicate_row,
        xlsx_set_under,
        xlsx_set_cell,
        xlsx_as_csv_cp932,
    )
}


def load_corpus(path: Path = CORPUS) -> list[dict[str, Any]]:
    """The entries of ``corpus.yml`` (each: id, kind, source, mutation, args, file, command, expect)."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["entries"]
    ids = [e["id"] for e in entries]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ValueError(f"{path}: duplicate ids {dupes}")
    for e in entries:
        if e["mutation"] not in MUTATIONS:
            raise ValueError(f"{path}: entry {e['id']}: unknown mutation {e['mutation']!r}")
    return entries


def build(entry: dict[str, Any], root: Path, outdir: Path) -> Path:
    """Write the bad file of one entry into ``outdir``; returns its path."""
    outdir.mkdir(parents=True, exist_ok=True)
    dst = outdir / entry["file"]
    src = root / entry["source"] if entry.get("source") else dst
    MUTATIONS[entry["mutation"]](src, dst, **(entry.get("args") or {}))
    return dst


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: make_corpus.py OUTDIR", file=sys.stderr)
        return 2
    root = HERE.parents[2]  # tests/cli/bad_inputs -> the project root
    outdir = Path(argv[0])
    if outdir.exists():
        shutil.rmtree(outdir)
    for entry in load_corpus():
        print(f"{entry['id']:40s} {build(entry, root, outdir).name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
