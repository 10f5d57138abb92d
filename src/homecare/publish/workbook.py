"""The run workbook (tables.xlsx): every published table of a run, one sheet each.

Title row, Japanese header (frozen), readable widths, and the 出典 / 注 / サンプルデータ
lines under the table. Output is byte-identical for identical tables (fixed document dates
and zip timestamps).
Terms: docs/glossary.md.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from homecare.core import paths
from homecare.core.files import FIXED_TIME, atomic_write_bytes, is_formula_like, normalise_zip
from homecare.core.labels import SAMPLE_LABEL, scenario_label, source_line
from homecare.publish.tables import read_table, sheet_name


def _display_width(value: object) -> int:
    s = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _put(ws, row: int, column: int, value: object):
    """Write one cell; text that Excel would run as a formula (``=HYPERLINK(...)`` from an input
    file) stays text, shown as written (string type with Excel's quote prefix)."""
    cell = ws.cell(row=row, column=column, value=value)
    if is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


MAX_COLUMN_CHARS = 28  # wider text wraps: a sheet must print one page wide
HEADER_CHARS = 12  # headers of text columns wrap at about this width ...
NUMBER_HEADER_CHARS = 8  # ... those of number columns earlier (a long unit over short numbers)
CHAR_PX = 8  # a character of column width in print, with LibreOffice's and Excel's fonts
MIN_PRINT_SCALE = 73  # % : 11 pt cells printed at 8 pt, the smallest text a council page may use
PAGE_PX = {9: 1027, 8: 1492}  # A4, A3 landscape: printable width in pixels (96 dpi, 0.5 in margins)
_UNIT = re.compile(r"（([^（）]*)）\s*$")


def number_format(header: str, values: pd.Series) -> str | None:
    """Excel number format of a column from its header's unit and its values: counts
    ``#,##0``, percentages ``0.0``, shares (0-1) ``0.0%``, rates with enough decimals for three
    significant figures, codes and years as written (None)."""
    nums = pd.to_numeric(values, errors="coerce")
    if nums.notna().sum() == 0 or any(w in header for w in ("コード", "番号", "年度")):
        return None
    unit = (m.group(1) if (m := _UNIT.search(header)) else "").split("、")[0]
    whole = bool((nums.dropna() % 1 == 0).all())
    if "割合" in header and nums.abs().max() <= 1 and unit not in ("%", "％"):
        return "0.0%"
    if unit in ("%", "％", "指数"):
        return "0.0"
    if "当たり" in header or "あたり" in header:
        top = float(nums.abs().max()) or 1.0
        decimals = min(3, max(1, 2 - int(np.floor(np.log10(top)))))
        return "#,##0." + "0" * decimals
    if whole:
        return "#,##0"
    return "#,##0.0"


def _write_sheet(wb: Workbook, df: pd.DataFrame, meta: dict) -> None:
    ws = wb.create_sheet(meta["sheet"])
    _put(ws, 1, 1, meta["title"]).font = Font(bold=True, size=12)
    if meta.get("sample"):
        c = ws.cell(row=1, column=max(2, min(len(df.columns), 6)), value=f"【{SAMPLE_LABEL}】架空の入力から作成")
        c.font = Font(bold=True, color="C00000")
    if meta.get("scenario"):
        c = ws.cell(row=1, column=max(3, min(len(df.columns), 6) + 1), value=f"【{scenario_label(meta['scenario'])}】")
        c.font = Font(bold=True, color="C00000")
    header_fill = PatternFill("solid", fgColor="DDE5F0")
    for j, col in enumerate(df.columns, start=1):
        cell = _put(ws, 2, j, str(col))
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    formats = [number_format(str(c), df[c]) for c in df.columns]
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    widths = _column_widths(df)
    for i, row in enumerate(df.itertuples(index=False), start=3):
        lines_in_row = 1
        for j, value in enumerate(row, start=1):
            if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
                value = None
            elif hasattr(value, "item"):
                value = value.item()  # numpy scalar -> python
            cell = _put(ws, i, j, value)
            if formats[j - 1] and isinstance(value, int | float):
                cell.number_format = formats[j - 1]
            elif isinstance(value, str) and _display_width(value) > widths[j - 1]:
                cell.alignment = wrap
                lines_in_row = max(lines_in_row, _lines(value, widths[j - 1]))
        if lines_in_row > 1:  # a wrapped cell: the row grows to show it (spreadsheets do not on open)
            ws.row_dimensions[i].height = 15 * lines_in_row + 2
            for cell in ws[i]:
                if not cell.alignment.wrap_text:
                    cell.alignment = top  # the row's values on its first line, beside the wrapped text
    foot = len(df) + 4
    lines = ([f"注：{meta['note']}"] if meta.get("note") else []) + [source_line(s) for s in meta.get("sources", [])]
    if meta.get("sample"):
        lines.append(f"{SAMPLE_LABEL}：この表は架空のサンプル入力から作成したもので、実数ではありません。")
    for k, line in enumerate(lines):
        _put(ws, foot + k, 1, line).font = Font(size=9, color="555555")
    ws.freeze_panes = "A3"
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    # wrapped headers: the header row grows to show every line (spreadsheets do not do it on open)
    header_lines = max((_lines(str(c), w) for c, w in zip(df.columns, widths, strict=True)), default=1)
    ws.row_dimensions[2].height = 15 * max(1, header_lines) + 2
    _print_setup(ws, widths, last_row=foot + len(lines) - 1)


def _lines(text: str, width: int) -> int:
    """Lines ``text`` takes when wrapped in a column ``width`` characters wide."""
    return -(-_display_width(text) // max(width - 1, 1))


def _column_widths(df: pd.DataFrame) -> list[int]:
    """Column widths in characters: the longest value (headers wrap at about
    :data:`HEADER_CHARS`), at most :data:`MAX_COLUMN_CHARS` (longer text wraps)."""
    out = []
    for j, col in enumerate(df.columns):
        values = [_display_width(v) for v in df.iloc[:200, j]]
        numeric = pd.to_numeric(df.iloc[:, j], errors="coerce").notna().any()
        header = min(_display_width(col), NUMBER_HEADER_CHARS if numeric else HEADER_CHARS)
        out.append(min(max([header, *values]) + 2, MAX_COLUMN_CHARS))
    return out


def _print_setup(ws, widths: list[int], last_row: int) -> None:
    """Landscape, exactly one page wide (the table shrinks to fit), on A4 when that keeps text at
    :data:`MIN_PRINT_SCALE` % or more, else on A3; header row repeated on every page; print
    area = the table and its notes (no blank page)."""
    content_px = sum(w * CHAR_PX + 5 for w in widths)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9 if PAGE_PX[9] * 100 / content_px >= MIN_PRINT_SCALE else 8
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_title_rows = "2:2"
    ws.print_area = f"A1:{get_column_letter(len(widths))}{last_row}"


def write_workbook(tables: list[tuple[pd.DataFrame, dict]], path: str | Path) -> Path:
    """Write tables (DataFrame, meta) as one deterministic workbook, one sheet each."""
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "homecare"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    used: set[str] = set()
    for df, meta in tables:
        name, k = meta["sheet"], 2
        while name in used:
            name = sheet_name(f"{meta['sheet'][:28]}_{k}")
            k += 1
        used.add(name)
        _write_sheet(wb, df, {**meta, "sheet": name})
    buf = io.BytesIO()
    wb.save(buf)
    out = paths.resolve(path)
    atomic_write_bytes(out, normalise_zip(buf.getvalue()))
    return out


def build_workbook(output_dir: str | Path, filename: str = "tables.xlsx") -> Path | None:
    """Gather every table under ``<output_dir>/tables/`` (name order) into one workbook."""
    folder = paths.resolve(output_dir) / "tables"
    csvs = sorted(folder.glob("*.csv"))
    if not csvs:
        return None
    return write_workbook([read_table(p) for p in csvs], paths.resolve(output_dir) / filename)
