"""Publication tables: UTF-8-BOM CSV per table and one Excel workbook per run.

Tables are written by stages with :func:`write_table` (CSV + a small ``.json`` with title,
出典, units note and sample flag). :func:`build_workbook` gathers every table of a run into
one workbook, one sheet each: title row, Japanese header (frozen), readable widths, and
the 出典 / 注 / サンプルデータ lines under the table. Output is byte-identical for identical
tables (fixed document dates and zip timestamps).
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
import unicodedata
import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from homecare import paths
from homecare.provenance import SAMPLE_LABEL

FIXED_TIME = datetime(2000, 1, 1, 0, 0, 0)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_SHEET_BAD = re.compile(r"[\[\]\:\*\?\/\\]")


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


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with BOM (Excel opens it without mojibake), LF line ends."""
    return df.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def write_table(
    df: pd.DataFrame,
    output_dir: str | Path,
    name: str,
    *,
    title: str,
    sources: list[str],
    sample: bool,
    note: str | None = None,
    sheet: str | None = None,
) -> Path:
    """Publish a table of a run: ``<output_dir>/tables/<name>.csv`` (UTF-8-BOM) and its
    ``<name>.json`` (title, 出典, note, sheet name, sample). Headers should be Japanese
    with units, e.g. ``目標III得点（点）``."""
    out = paths.resolve(output_dir) / "tables"
    path = out / f"{name}.csv"
    atomic_write_bytes(path, csv_bytes(df))
    meta = {
        "name": name,
        "title": title,
        "sheet": sheet_name(sheet or title),
        "sources": list(dict.fromkeys(sources)),
        "note": note,
        "sample": sample,
        "rows": int(len(df)),
        "columns": [str(c) for c in df.columns],
    }
    atomic_write_bytes(out / f"{name}.json", (json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode())
    return path


def sheet_name(text: str) -> str:
    """A valid Excel sheet name (max 31 characters, no []:*?/\\)."""
    return _SHEET_BAD.sub("・", text)[:31]


def _display_width(value: object) -> int:
    s = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _write_sheet(wb: Workbook, df: pd.DataFrame, meta: dict) -> None:
    ws = wb.create_sheet(meta["sheet"])
    ws.cell(row=1, column=1, value=meta["title"]).font = Font(bold=True, size=12)
    if meta.get("sample"):
        c = ws.cell(row=1, column=max(2, min(len(df.columns), 6)), value=f"【{SAMPLE_LABEL}】架空の入力から作成")
        c.font = Font(bold=True, color="C00000")
    header_fill = PatternFill("solid", fgColor="DDE5F0")
    for j, col in enumerate(df.columns, start=1):
        cell = ws.cell(row=2, column=j, value=str(col))
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for i, row in enumerate(df.itertuples(index=False), start=3):
        for j, value in enumerate(row, start=1):
            if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
                value = None
            elif hasattr(value, "item"):
                value = value.item()  # numpy scalar -> python
            ws.cell(row=i, column=j, value=value)
    foot = len(df) + 4
    lines = ([f"注：{meta['note']}"] if meta.get("note") else []) + [
        s if s.startswith("出典") else f"出典：{s}" for s in meta.get("sources", [])
    ]
    if meta.get("sample"):
        lines.append(f"{SAMPLE_LABEL}：この表は架空のサンプル入力から作成したもので、実数ではありません。")
    for k, line in enumerate(lines):
        ws.cell(row=foot + k, column=1, value=line).font = Font(size=9, color="555555")
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


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite an xlsx with fixed timestamps (zip entries and document properties)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
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
    atomic_write_bytes(out, _normalise_zip(buf.getvalue()))
    return out


def read_table(csv_path: Path) -> tuple[pd.DataFrame, dict]:
    """Read a published table and its meta (codes stay text)."""
    meta = json.loads(csv_path.with_suffix(".json").read_text(encoding="utf-8"))
    df = pd.read_csv(csv_path, encoding="utf-8-sig", dtype={c: str for c in meta["columns"] if "コード" in c or "番号" in c})
    return df, meta


def build_workbook(output_dir: str | Path, filename: str = "tables.xlsx") -> Path | None:
    """Gather every table under ``<output_dir>/tables/`` (name order) into one workbook."""
    folder = paths.resolve(output_dir) / "tables"
    csvs = sorted(folder.glob("*.csv"))
    if not csvs:
        return None
    return write_workbook([read_table(p) for p in csvs], paths.resolve(output_dir) / filename)
