"""The run workbook (tables.xlsx): every published table of a run, one sheet each.

Title row, Japanese header (frozen), readable widths, and the 出典 / 注 / サンプルデータ
lines under the table. Output is byte-identical for identical tables (fixed document dates
and zip timestamps).
Terms: docs/glossary.md.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

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
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for i, row in enumerate(df.itertuples(index=False), start=3):
        for j, value in enumerate(row, start=1):
            if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
                value = None
            elif hasattr(value, "item"):
                value = value.item()  # numpy scalar -> python
            _put(ws, i, j, value)
    foot = len(df) + 4
    lines = ([f"注：{meta['note']}"] if meta.get("note") else []) + [source_line(s) for s in meta.get("sources", [])]
    if meta.get("sample"):
        lines.append(f"{SAMPLE_LABEL}：この表は架空のサンプル入力から作成したもので、実数ではありません。")
    for k, line in enumerate(lines):
        _put(ws, foot + k, 1, line).font = Font(size=9, color="555555")
    ws.freeze_panes = "A3"
    # printing / PDF export (LibreOffice): landscape, every column on one page width, header repeated
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "2:2"
    for j, col in enumerate(df.columns, start=1):
        widths = [_display_width(col)] + [_display_width(v) for v in df.iloc[:200, j - 1]]
        ws.column_dimensions[get_column_letter(j)].width = min(max(widths) + 2, 60)


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
