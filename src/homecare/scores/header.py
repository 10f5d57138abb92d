"""Open the national results workbook and read its merged 8-row header (見出し).

The header block is found by its labels (the cell 通し番号), never by position: rows above
it (titles) and below it (statistics rows such as 配点) move from year to year. Merged cells
are forward-filled from their top-left cell; blank cells that sit under the same parent as
their left neighbour are filled from the left (files saved without merges). Each column is
then classified by what its header texts say (交付金, 目標, 指標群, 指標番号, 指標名, 枝番),
not by which header row they are in.
Terms: docs/glossary.md.
"""

from __future__ import annotations

import difflib
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from homecare.core import paths, provenance
from homecare.core.dates import fiscal_years_in
from homecare.core.errors import InputError
from homecare.scores import indicators as ind

SCAN_ROWS = 60  # the header starts within the first rows of the sheet
MAX_HEADER_ROWS = 12

# identifier columns (識別列): canonical name -> accepted header labels (normalised)
ID_LABELS: dict[str, tuple[str, ...]] = {
    "serial": ("通し番号", "通番"),
    "prefecture_code": ("都道府県番号", "都道府県コード"),
    "insurer_number": ("保険者番号",),
    "prefecture_name": ("都道府県名", "都道府県"),
    "municipality_name": ("市町村名", "市区町村名", "保険者名", "市町村", "市区町村"),
    "population": ("人口",),
    "first_insured": ("第1号被保険者数",),
    "category": ("区分",),
    "rank": ("順位",),
    "previous_total": ("前年度得点", "前年度合計点"),
}
REQUIRED_IDS = ("serial", "insurer_number", "prefecture_name", "municipality_name")
# statistics rows (統計行) between header and data; others are tolerated as statistics too
STAT_LABELS = (
    "配点",
    "全国合計",
    "平均点",
    "項目平均",
    "平均得点率",
    "中央値",
    "標準偏差",
    "該当市町村数",
    "該当率",
    "最大値",
    "最小値",
)
_TOTAL_RE = re.compile(r"(合計|小計|総計|計)(点)?$")
_SKIP_TEXTS = {"得点", "点数", "点", "配点"}


@dataclass
class Column:
    """One classified column of the header."""

    index: int  # 0-based position in the sheet (only for reading the row values)
    kind: str  # id | score | total | other
    texts: list[str] = field(default_factory=list)  # forward-filled header texts, top to bottom
    id_name: str = ""
    fund: str | None = None  # 推進 | 支援 (None: shared/unknown)
    goal: str | None = None  # I..IV
    indicator_group: str = ""  # 指標群
    indicator_no: int | None = None  # 指標番号
    indicator: str = ""  # 指標名
    item: str = ""  # 枝番 (ア, イ②), canonical
    detail: str = ""  # further header text below the 指標名 (設問), tells items of coarse goals apart

    @property
    def letter(self) -> str:
        return get_column_letter(self.index + 1)

    def label(self) -> str:
        """``AB (支援/目標III/…/イ②)`` for messages."""
        return f"{self.letter} ({'/'.join(self.texts) or 'no header'})"


@dataclass
class Sheet:
    """The cell values of the chosen sheet and its header block."""

    file: str
    name: str
    grid: list[list[object]]  # raw values, rows 1.. as grid[0]..
    header_start: int  # 1-based, inclusive
    header_end: int
    columns: list[Column]
    notes: list[tuple[Column, str]] = field(default_factory=list)  # header findings for the QA table

    def fiscal_years_named(self) -> list[tuple[int, str, int]]:
        """(row, column letter, fiscal year) of every 令和N年度 in the title rows above the header."""
        found = []
        for i in range(self.header_start - 1):
            for j, v in enumerate(self.grid[i]):
                found += [(i + 1, get_column_letter(j + 1), fy) for fy in fiscal_years_in(ind.normalise(v))]
        return found

    def ids(self) -> dict[str, Column]:
        return {c.id_name: c for c in self.columns if c.kind == "id"}


def open_workbook(path: str | Path):
    """Load an .xlsx, turning unreadable files into a located InputError."""
    p = paths.resolve(path)
    where = paths.relative(p)
    if not p.is_file():
        raise InputError("input file does not exist", file=where)
    if p.stat().st_size == 0:
        raise InputError("the file is empty (0 bytes)", file=where)
    provenance.note_input(p)
    try:
        return load_workbook(p, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, EOFError, OSError, ValueError) as exc:
        raise InputError(
            f"cannot be read as an Excel .xlsx workbook (truncated or damaged file?): {type(exc).__name__}: {exc}",
            file=where,
        ) from None


def _find_anchor(ws) -> tuple[int, int] | None:
    """(row, column) 1-based of the 通し番号 label within the first rows."""
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, SCAN_ROWS)):
        for cell in row:
            if cell.value is not None and ind.normalise(cell.value) in ID_LABELS["serial"]:
                return cell.row, cell.column
    return None


def read_sheet(path: str | Path, sheet: str | None = None) -> Sheet:
    """The sheet holding the results (``sheet``, else the first with a 通し番号 header),
    with its header block located, filled and classified."""
    wb = open_workbook(path)
    where = paths.relative(paths.resolve(path))
    if sheet is not None and sheet not in wb.sheetnames:
        raise InputError(f"sheet not found; the workbook has: {', '.join(wb.sheetnames)}", file=where, sheet=sheet)
    candidates = [sheet] if sheet is not None else wb.sheetnames
    for name in candidates:
        ws = wb[name]
        anchor = _find_anchor(ws)
        if anchor:
            break
    else:
        raise InputError(
            f"no sheet has a header with {ID_LABELS['serial'][0]} in its first {SCAN_ROWS} rows "
            f"(sheets: {', '.join(wb.sheetnames)}); is this the national results file?",
            file=where,
            sheet=sheet,
            column=ID_LABELS["serial"][0],
        )
    grid = [list(r) for r in ws.iter_rows(values_only=True)]
    width = max((len(r) for r in grid), default=0)
    for r in grid:
        r.extend([None] * (width - len(r)))
    start, end = _header_block(ws, grid, anchor)
    filled = _fill_header(ws, grid, start, end)
    columns = [_classify(j, [filled[i][j] for i in range(len(filled))]) for j in range(width)]
    sheet_fund = [f for f in ind.FUNDS if f in ind.normalise(ws.title)]
    for c in columns:
        if c.kind == "score" and c.fund is None and len(sheet_fund) == 1 and c.goal != "IV":
            c.fund = sheet_fund[0]  # a sheet per 交付金: the sheet name says which
    sh = Sheet(where, ws.title, grid, start, end, columns)
    _check_ids(sh)
    _fill_merged_ids(ws, sh)
    _canonical_items(sh)
    return sh


def stat_label(row: list[object], id_cols: int) -> str | None:
    """The statistics label (配点, 平均点 …) written in the identifier cells of a row, if any."""
    text = "".join(ind.normalise(v) for v in row[: max(id_cols, 1)] if v is not None)
    return next((s for s in STAT_LABELS if s in text), None)


def _header_block(ws, grid: list[list[object]], anchor: tuple[int, int]) -> tuple[int, int]:
    """1-based first and last header row around the 通し番号 label: down to the row before
    the first statistics or data row; up from the top of the label's merge over the rows
    above that hold labels (a one-text title row is not part of the header)."""
    arow, acol = anchor
    top = arow
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= arow <= rng.max_row and rng.min_col <= acol <= rng.max_col:
            top = rng.min_row
    end = arow
    for i in range(arow, min(len(grid), arow + MAX_HEADER_ROWS)):  # i is the 0-based index of row i+1
        row = grid[i]
        if ind.is_serial(row[acol - 1]) or stat_label(row, acol + 8):
            break
        end = i + 1
    # rows above belong to the header while they hold labels of their own (two or more
    # texts); blank rows are bridged only when a label row lies above them; a row with
    # a single text is a title and ends the header
    k = top - 1
    while k >= 1 and end - k + 1 <= MAX_HEADER_ROWS:
        texts = {v for v in grid[k - 1] if v is not None and str(v).strip()}
        if len(texts) == 1:
            break
        if texts:
            top = k
        k -= 1
    return top, end


def _fill_header(ws, grid: list[list[object]], start: int, end: int) -> list[list[str]]:
    """Header rows start..end as normalised text: merged cells forward-filled from their
    top-left cell, then blanks filled from the left neighbour when every row above agrees
    (same parent) and the column has a header of its own below."""
    rows = [[ind.normalise(v) for v in grid[i]] for i in range(start - 1, end)]
    for rng in ws.merged_cells.ranges:
        if rng.max_row < start or rng.min_row > end:
            continue
        value = ind.normalise(grid[rng.min_row - 1][rng.min_col - 1])
        for r in range(max(rng.min_row, start), min(rng.max_row, end) + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                rows[r - start][c - 1] = value
    for j in range(1, len(rows[0]) if rows else 0):
        for i in range(len(rows)):
            if rows[i][j] or not rows[i][j - 1]:
                continue
            same_parent = all(rows[k][j] == rows[k][j - 1] for k in range(i))
            has_own = any(rows[k][j] for k in range(i + 1, len(rows)))
            if same_parent and has_own:
                rows[i][j] = rows[i][j - 1]
    return rows


def _fill_merged_ids(ws, sh: Sheet) -> None:
    """Identifier cells merged down over several data rows (a 都道府県名 written once per
    prefecture) are given to every row they cover."""
    id_cols = {c.index + 1 for c in sh.columns if c.kind == "id"}
    for rng in ws.merged_cells.ranges:
        if rng.min_row > sh.header_end and rng.min_col == rng.max_col and rng.min_col in id_cols:
            value = sh.grid[rng.min_row - 1][rng.min_col - 1]
            for r in range(rng.min_row, rng.max_row + 1):
                sh.grid[r - 1][rng.min_col - 1] = value


def _dedupe(texts: list[str]) -> list[str]:
    out: list[str] = []
    for t in texts:
        if t and (not out or out[-1] != t):
            out.append(t)
    return out


def _id_name(texts: list[str]) -> str | None:
    for name, labels in ID_LABELS.items():
        if any(t in labels for t in texts):
            return name
    return None


def _clean_group(text: str) -> str:
    """(i)体制・取組指標群 / （ⅰ）体制・取組指標群 -> 体制・取組指標群."""
    return re.sub(r"^[(（]?[ivx]+[)）.]?", "", text)


def _classify(index: int, raw: list[str]) -> Column:
    texts = _dedupe(raw)
    col = Column(index=index, kind="other", texts=texts)
    id_name = _id_name(texts)
    if id_name:
        col.kind, col.id_name = "id", id_name
        return col
    goal = next((g for g in map(ind.goal_of, texts) if g), None)
    if texts and _is_total(texts[-1]):
        col.kind = "total"
        col.goal = goal
        col.fund = next((f for t in texts for f in ind.FUNDS if f in t), None)
        col.indicator_group = next((_clean_group(t) for t in texts if "指標群" in t), "")
        return col
    if goal is None:
        return col
    col.kind, col.goal = "score", goal
    letters, nums = "", ""
    others: list[str] = []  # texts that are none of the above: 目標 title, 指標名, 設問
    number_at = None
    for t in texts:
        if ind.fund_of(t):
            col.fund = col.fund or ind.fund_of(t)
        elif ind.goal_of(t):
            continue
        elif "指標群" in t and not col.indicator_group:
            col.indicator_group = _clean_group(t)
        elif ind.indicator_number(t) is not None and col.indicator_no is None and not letters and not nums:
            col.indicator_no, number_at = ind.indicator_number(t), len(others)
        elif ind.item_label(t):
            letter, num = ind.item_label(t)
            letters = letter or letters
            nums = num or nums
        elif t not in _SKIP_TEXTS and "交付金" not in t:
            others.append(t)
    # the 指標名 is the first text below the 指標番号 (a 目標 title may sit above it)
    first = number_at if number_at is not None and number_at < len(others) else 0
    if others:
        col.indicator = others[first]
        col.detail = " ".join(others[:first] + others[first + 1 :])
    col.item = f"{letters}{nums}"  # ア (one row), イ① / ① under a merged イ (two rows), ② (carried later)
    if not col.indicator and not col.item and col.indicator_no is None:
        col.kind = "total"  # only 交付金/目標/指標群 and e.g. 得点: a subtotal of the goal or group
    return col


def _is_total(text: str) -> bool:
    """合計/小計/…計 columns (推進合計, 目標Ⅲ小計); not 前年度 figures, not long 指標名 ending in 計."""
    return bool(_TOTAL_RE.search(text)) and "前年度" not in text and len(text) <= 12


def _check_ids(sh: Sheet) -> None:
    """Every required identifier column present exactly once; a missing one is named with
    the closest header text found (a slightly renamed column)."""
    seen: dict[str, list[Column]] = {}
    for c in sh.columns:
        if c.kind == "id":
            seen.setdefault(c.id_name, []).append(c)
    header_rows = f"header rows {sh.header_start}-{sh.header_end}"
    for name in REQUIRED_IDS:
        label = ID_LABELS[name][0]
        if name not in seen:
            texts = sorted({t for c in sh.columns for t in c.texts if c.kind in ("other", "total")})
            close = difflib.get_close_matches(label, texts, n=1, cutoff=0.4)
            hint = ""
            if close:
                where = next(c for c in sh.columns if close[0] in c.texts)
                hint = f"; closest header text is {close[0]!r} in column {where.letter} (renamed?)"
            raise InputError(
                f"required column {label} not found in {header_rows}{hint}",
                file=sh.file,
                sheet=sh.name,
                row=sh.header_start,
                column=label,
            )
        if len(seen[name]) > 1:
            letters = ", ".join(c.letter for c in seen[name])
            raise InputError(
                f"column {label} appears more than once (columns {letters})",
                file=sh.file,
                sheet=sh.name,
                row=sh.header_start,
                column=label,
            )
    if not any(c.kind == "score" for c in sh.columns):
        raise InputError(
            f"no score columns (目標Ⅰ-Ⅳ) found in {header_rows}", file=sh.file, sheet=sh.name, row=sh.header_start
        )


def _canonical_items(sh: Sheet) -> None:
    """Complete sub-items shown only as "②" with the letter of the earlier "イ ①" in the same
    indicator; map 目標III of the 支援交付金 onto the item structure in the data file; reject
    two columns claiming the same item."""
    items = ind.goal3_items()
    last_letter: dict[tuple, str] = {}
    seen: dict[tuple, Column] = {}
    for c in (c for c in sh.columns if c.kind == "score"):
        key = (c.fund, c.goal, c.indicator_group, c.indicator_no, c.indicator)
        focus = c.fund == ind.FOCUS_FUND and c.goal == "III"
        if c.item and not re.match(r"^[^①-⑳]", c.item):  # bare circled number
            if key in last_letter:
                c.item = last_letter[key] + c.item
            elif focus:
                raise InputError(
                    f"sub-item {c.item!r} has no lettered item (ア/イ…) before it in the same indicator",
                    file=sh.file,
                    sheet=sh.name,
                    row=sh.header_start,
                    column=c.label(),
                )
        elif c.item:
            last_letter[key] = c.item[0]
        if focus:
            name = ind.match_goal3_indicator([c.indicator, *c.detail.split(" ")], c.indicator_no, c.indicator_group)
            if name is None or (name, c.item) not in items:
                raise InputError(
                    f"目標III column does not match any item of {paths.relative(ind.items_path())} "
                    f"(indicator {c.indicator!r}, 指標番号 {c.indicator_no}, 枝番 {c.item!r}); renamed header, "
                    f"or update the data file after checking the official indicator PDF",
                    file=sh.file,
                    sheet=sh.name,
                    row=sh.header_start,
                    column=c.label(),
                )
            c.indicator = name
            c.indicator_group = items[(name, c.item)].indicator_group
        if not focus and c.detail and (c.fund, c.goal, c.indicator_group, c.indicator, c.item) in seen:
            c.item = f"{c.item}（{c.detail}）"  # coarse goals: items told apart by their 設問 text
        if not focus and (c.fund, c.goal, c.indicator_group, c.indicator, c.item) in seen:
            # other goals are kept coarsely and must not stop the stage: name the item by its column
            sh.notes.append(
                (
                    c,
                    f"header does not tell this item from column {seen[(c.fund, c.goal, c.indicator_group, c.indicator, c.item)].letter}; item named by its column",
                )
            )
            c.item = f"{c.item}[{c.letter}]"
        ident = (c.fund, c.goal, c.indicator_group, c.indicator, c.item)
        if ident in seen:
            raise InputError(
                f"two columns have the same header ({seen[ident].letter} and {c.letter}); cannot tell the items apart",
                file=sh.file,
                sheet=sh.name,
                row=sh.header_start,
                column=c.label(),
            )
        seen[ident] = c
    found = {
        (c.indicator, c.item) for c in sh.columns if c.kind == "score" and c.fund == ind.FOCUS_FUND and c.goal == "III"
    }
    missing = sorted(set(items) - found)
    if missing:
        listed = ", ".join(f"{i} {b}" for i, b in missing[:10])
        raise InputError(
            f"{len(missing)} 目標III item(s) of the 支援交付金 not found in the header: {listed}",
            file=sh.file,
            sheet=sh.name,
            row=sh.header_start,
        )
