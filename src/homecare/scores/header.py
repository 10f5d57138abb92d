"""Find and read the header of the national results sheet (全国集計（市町村）/評価結果): the merged
header levels (見出し), the statistics rows (配点, 平均点 …) and what each column is.

Everything is found by text, never by position, so that both layouts read the same way:
the real MHLW workbook (title in row 1, identifier labels in row 2, header levels in rows
2-8, statistics rows 9-17 inside the header block, data from row 19) and older files with
an 8-row header and the statistics below it. The header block starts at the 通し番号 label;
merged cells are forward-filled from their top-left cell; blank cells that sit under the
same parent as their left neighbour are filled from the left (files saved without merges).
Each column is classified by what its header texts say (交付金, 目標, 指標群, 指標番号, 指標名,
枝番; 計/合計 for subtotals). A column is a score item only when the 配点 row gives it a
number: the 該当状況 answer columns repeat their item's header but have no 配点.
Terms: docs/glossary.md.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter

from homecare.core.dates import fiscal_years_in
from homecare.core.errors import InputError
from homecare.scores import cells
from homecare.scores import indicators as ind

SCAN_ROWS = 60  # the header starts within the first rows of the sheet
MAX_HEADER_ROWS = 12
ID_AREA = 14  # columns right of the 通し番号 label searched for statistics labels (A-N in the real file)

# identifier columns (識別列): canonical name -> accepted labels (normalised), best first
ID_LABELS: dict[str, tuple[str, ...]] = {
    "serial": ("通し番号", "通番"),
    "prefecture_code": ("都道府県番号", "都道府県コード"),
    "insurer_number": ("保険者番号",),
    "prefecture_name": ("都道府県名", "都道府県"),
    "municipality_name": ("市町村名", "市区町村名", "保険者名", "市町村", "市区町村"),
    "population": ("人口",),
    "first_insured": ("第1号被保険者数",),
    "size_class": ("区分",),
    "depopulated": ("過疎地域該当有無", "過疎地域該当", "過疎"),
    "rank": ("今年度順位", "順位"),
    "previous_total": ("前年度得点", "前年度合計点"),
    "previous_rank": ("前年度順位",),
}
# labels that may carry a suffix in the cell (第１号被保険者数（令和7年3月31日現在）, 人口（…）, 区分（…）)
PREFIX_IDS = ("population", "first_insured", "size_class", "depopulated")
# the previous year's result in the real file: R7評価指標合計得点 / R7評価指標合計得点順位
PREVIOUS_RE = {
    "previous_rank": re.compile(r"^R\d+評価指標合計得点順位"),
    "previous_total": re.compile(r"^R\d+評価指標合計得点"),
}
REQUIRED_IDS = ("serial", "insurer_number", "prefecture_name", "municipality_name")
# statistics rows (統計行), in the real file's order; other labels are tolerated as statistics
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
# a subtotal label of the real file: III(i)計, III合計, IV合計 (after normalisation)
_SUBTOTAL_RE = re.compile(r"^(?:目標)?(IV|III|II|I)(?:\((i{1,3})\))?(?:合計|小計|計)")
_GROUP_RE = re.compile(r"^(?:目標[IVX]+[ー\-‐])?[(（]?([ivx]+)[)）.]?")
GROUP_BY_ROMAN = {"i": "体制・取組指標群", "ii": "活動指標群"}  # (ⅰ)計 / (ⅱ)計 of a goal
_SKIP_TEXTS = {"得点", "点数", "点", "配点"}


@dataclass
class Column:
    """One classified column of the header."""

    index: int  # 0-based position in the sheet (only for reading the row values)
    kind: str  # id | score | total | answer | other
    texts: list[str] = field(default_factory=list)  # forward-filled header texts, top to bottom
    id_name: str = ""
    fund: str | None = None  # 推進 | 支援 (None: shared/unknown, or both for the overall total)
    goal: str | None = None  # I..IV
    indicator_group: str = ""  # 指標群
    indicator_no: int | None = None  # 指標番号
    indicator: str = ""  # 指標名
    item: str = ""  # 枝番 (ア, イ②), canonical
    detail: str = ""  # further header text below the 指標名 (設問), tells items of coarse goals apart
    max_points: float | None = None  # 配点 (score and total columns)
    under_item: bool = False  # a 計/合計 label below an item's 指標番号/枝番 (an answer column, unless it has a 配点)

    @property
    def letter(self) -> str:
        return get_column_letter(self.index + 1)

    @property
    def level(self) -> str:
        """Of a total: group (指標群計), goal (目標合計), fund (推進合計/支援合計) or overall."""
        if self.indicator_group:
            return "group"
        if self.goal:
            return "goal"
        return "fund" if self.fund else "overall"

    def label(self) -> str:
        """``AB (支援/目標III/…/イ②)`` for messages."""
        return f"{self.letter} ({'/'.join(self.texts) or 'no header'})"


@dataclass
class Sheet:
    """The cell values of the chosen sheet, its header block and its statistics rows."""

    file: str
    name: str
    grid: list[list[object]]  # raw values, rows 1.. as grid[0]..
    header_start: int  # 1-based, inclusive
    header_end: int
    columns: list[Column]
    stat_rows: list[tuple[int, str]]  # (0-based grid index, label) of every statistics row
    data_start: int  # 0-based grid index of the first row after the statistics rows
    notes: list[tuple[Column, str]] = field(default_factory=list)  # header findings for the QA table

    def fiscal_years_named(self) -> list[tuple[int, str, int]]:
        """(row, column letter, fiscal year) of every 令和N年度 in the title rows above the header."""
        found = []
        for i in range(self.header_start - 1):
            for j, v in enumerate(self.grid[i]):
                if isinstance(v, str) and v:
                    found += [(i + 1, get_column_letter(j + 1), fy) for fy in fiscal_years_in(ind.normalise(v))]
        return found

    def ids(self) -> dict[str, Column]:
        return {c.id_name: c for c in self.columns if c.kind == "id"}

    def stat_row(self, label: str) -> int | None:
        """0-based grid index of the statistics row ``label`` (the first one), if any."""
        return next((i for i, s in self.stat_rows if s == label), None)


def _find_anchor(head: list[list[object]]) -> tuple[int, int] | None:
    """(row, column) 1-based of the 通し番号 label within the first rows."""
    for i, row in enumerate(head):
        for j, v in enumerate(row):
            if isinstance(v, str) and v and ind.normalise(v) in ID_LABELS["serial"]:
                return i + 1, j + 1
    return None


def read_sheet(path: str | Path, sheet: str | None = None) -> Sheet:
    """The sheet holding the results (``sheet``, else the first with a 通し番号 header), with
    its header block located, filled and classified and its statistics rows found."""
    book = cells.Book(path)
    if sheet is not None and sheet not in book.sheet_names:
        raise InputError(
            f"sheet not found; the workbook has: {', '.join(book.sheet_names)}", file=book.file, sheet=sheet
        )
    candidates = [sheet] if sheet is not None else book.sheet_names
    for name in candidates:
        anchor = _find_anchor(book.head(name, SCAN_ROWS))
        if anchor:
            break
    else:
        raise InputError(
            f"no sheet has a header with {ID_LABELS['serial'][0]} in its first {SCAN_ROWS} rows "
            f"(sheets: {', '.join(book.sheet_names)}); is this the national results file?",
            file=book.file,
            sheet=sheet,
            column=ID_LABELS["serial"][0],
        )
    raw = book.sheet(name)
    start, end = _header_block(raw, anchor)
    filled = _fill_header(raw, start, end)
    width = len(raw.rows[0]) if raw.rows else 0
    columns = [_classify(j, [filled[i][j] for i in range(len(filled))]) for j in range(width)]
    sheet_fund = [f for f in ind.FUNDS if f in ind.normalise(name)]
    for c in columns:
        if c.kind == "score" and c.fund is None and len(sheet_fund) == 1 and c.goal != "IV":
            c.fund = sheet_fund[0]  # a sheet per 交付金: the sheet name says which
    id_width = min((c.index for c in columns if c.kind in ("score", "total")), default=anchor[1] + ID_AREA)
    stat_rows, data_start = _statistics_rows(raw.rows, end, anchor[1] - 1, id_width)
    sh = Sheet(raw.file, name, raw.rows, start, end, columns, stat_rows, data_start)
    _check_ids(sh)
    _apply_max_points(sh)
    _fill_merged_ids(raw, sh)
    _canonical_items(sh)
    return sh


def stat_label(row: list[object], id_width: int) -> str | None:
    """The statistics label (配点, 平均点 …) written in one of the identifier cells of a row:
    a cell that is the label, or starts with it (``配点（点）``)."""
    for v in row[: max(id_width, 1)]:
        if isinstance(v, str) and v:
            text = ind.normalise(v)
            hit = next((s for s in STAT_LABELS if text == s), None) or next(
                (s for s in STAT_LABELS if text.startswith(s)), None
            )
            if hit:
                return hit
    return None


def _header_block(raw: cells.RawSheet, anchor: tuple[int, int]) -> tuple[int, int]:
    """1-based first and last header row around the 通し番号 label: down to the row before
    the first statistics or data row; up from the top of the label's merge over the rows
    above that hold labels (a one-text title row is not part of the header)."""
    grid = raw.rows
    arow, acol = anchor
    top = arow
    for r0, c0, r1, c1 in raw.merges:
        if r0 + 1 <= arow <= r1 + 1 and c0 + 1 <= acol <= c1 + 1:
            top = r0 + 1
    end = arow
    for i in range(arow, min(len(grid), arow + MAX_HEADER_ROWS)):  # i is the 0-based index of row i+1
        row = grid[i]
        if ind.is_serial(row[acol - 1]) or stat_label(row, acol + ID_AREA):
            break
        end = i + 1
    # rows above belong to the header while they hold labels of their own (two or more
    # texts); blank rows are bridged only when a label row lies above them; a row with
    # a single text is a title and ends the header
    k = top - 1
    while k >= 1 and end - k + 1 <= MAX_HEADER_ROWS:
        texts = {v for v in grid[k - 1] if not cells.is_blank(v)}
        if len(texts) == 1:
            break
        if texts:
            top = k
        k -= 1
    return top, end


def _statistics_rows(grid: list[list[object]], end: int, serial_col: int, id_width: int) -> tuple[list, int]:
    """The rows between the header and the first data row (a numeric 通し番号): each is a
    statistics row, named by its label (配点 …) or, without a known label, by its text."""
    found: list[tuple[int, str]] = []
    i = end
    while i < len(grid):
        row = grid[i]
        if ind.is_serial(row[serial_col]):
            break
        if row.count("") + row.count(None) < len(row):
            label = stat_label(row, id_width) or _row_text(row[:id_width]) or "unnamed"
            found.append((i, label))
        i += 1
    return found, i


def _row_text(row: list[object]) -> str:
    return " ".join(str(v) for v in row if not cells.is_blank(v))[:80]


def header_text(value: object) -> str:
    """A header cell as normalised text; a whole number stored as a number (指標番号 1.0) as "1"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return ind.normalise(value)


def _fill_header(raw: cells.RawSheet, start: int, end: int) -> list[list[str]]:
    """Header rows start..end as normalised text: merged cells forward-filled from their
    top-left cell, then blanks filled from the left neighbour when every row above agrees
    (same parent) and the column has a header of its own below."""
    grid = raw.rows
    rows = [[header_text(v) for v in grid[i]] for i in range(start - 1, end)]
    for r0, c0, r1, c1 in raw.merges:
        if r1 + 1 < start or r0 + 1 > end:
            continue
        value = header_text(grid[r0][c0])
        for r in range(max(r0 + 1, start), min(r1 + 1, end) + 1):
            for c in range(c0, c1 + 1):
                rows[r - start][c] = value
    for j in range(1, len(rows[0]) if rows else 0):
        for i in range(len(rows)):
            if rows[i][j] or not rows[i][j - 1]:
                continue
            same_parent = all(rows[k][j] == rows[k][j - 1] for k in range(i))
            has_own = any(rows[k][j] for k in range(i + 1, len(rows)))
            if same_parent and has_own:
                rows[i][j] = rows[i][j - 1]
    return rows


def _fill_merged_ids(raw: cells.RawSheet, sh: Sheet) -> None:
    """Identifier cells merged down over several data rows (a 都道府県名 written once per
    prefecture) are given to every row they cover."""
    id_cols = {c.index for c in sh.columns if c.kind == "id"}
    for r0, c0, r1, c1 in raw.merges:
        if r0 + 1 > sh.header_end and c0 == c1 and c0 in id_cols:
            value = sh.grid[r0][c0]
            for r in range(r0, r1 + 1):
                sh.grid[r][c0] = value


def _dedupe(texts: list[str]) -> list[str]:
    out: list[str] = []
    for t in texts:
        if t and (not out or out[-1] != t):
            out.append(t)
    return out


def _id_match(text: str) -> tuple[str, int] | None:
    """(identifier name, priority: 0 best) of a header text, if it is an identifier label."""
    for name, pattern in PREVIOUS_RE.items():
        if pattern.match(text):
            return name, 0
    for name, labels in ID_LABELS.items():
        for k, label in enumerate(labels):
            if text == label or (name in PREFIX_IDS and text.startswith(label)):
                return name, k
    return None


def _id_name(texts: list[str]) -> str | None:
    hit = _id_hit(texts)
    return hit[0] if hit else None


def _id_hit(texts: list[str]) -> tuple[str, int] | None:
    return next((h for h in map(_id_match, texts) if h), None)


def _clean_group(text: str) -> str:
    """(i)体制・取組指標群 / 目標IIIー(i)体制・取組指標群 -> 体制・取組指標群."""
    return _GROUP_RE.sub("", text, count=1)


def _classify(index: int, raw: list[str]) -> Column:
    texts = _dedupe(raw)
    col = Column(index=index, kind="other", texts=texts)
    hit = _id_hit(texts)
    if hit:
        col.kind, col.id_name = "id", hit[0]
        col.detail = str(hit[1])  # priority of the label, for choosing among duplicates
        return col
    goal = next((g for g in map(ind.goal_of, texts) if g), None)
    if texts and _is_total(texts[-1]):
        _classify_total(col, texts, goal)
        col.under_item = any(ind.item_label(t) or ind.indicator_number(t) is not None for t in texts[:-1])
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
        elif "指標群" in t and not col.indicator_group:
            col.indicator_group = _clean_group(t)  # before 目標: 「目標Ⅲｰ（ⅰ）体制・取組指標群」
        elif ind.goal_of(t):
            continue
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
        col.indicator_group = col.indicator_group if col.indicator_group else ""
    return col


def _classify_total(col: Column, texts: list[str], goal: str | None) -> None:
    """A subtotal or total column: which fund, goal and 指標群 it adds up, from its own label
    (III(i)計, IV合計, 推進合計, 推進・支援合計) and the texts above it."""
    label = texts[-1]
    col.kind = "total"
    funds_named = [f for f in ind.FUNDS if f in label]
    m = _SUBTOTAL_RE.match(label)
    col.goal = goal or (m.group(1) if m else None)
    if len(funds_named) == 2:
        col.fund = None  # 推進・支援合計: both funds
        col.goal = None
        return
    col.fund = next((ind.fund_of(t) for t in texts if ind.fund_of(t)), None) or (
        funds_named[0] if funds_named else None
    )
    group_text = next((t for t in texts if "指標群" in t), "")
    if group_text:
        col.indicator_group = _clean_group(group_text)
    elif m and m.group(2):
        col.indicator_group = GROUP_BY_ROMAN.get(m.group(2), m.group(2))


def _is_total(text: str) -> bool:
    """合計/小計/…計 columns (推進合計, 目標Ⅲ小計); not 前年度 figures, not long 指標名 ending in 計."""
    return bool(_TOTAL_RE.search(text)) and "前年度" not in text and len(text) <= 12


def _check_ids(sh: Sheet) -> None:
    """Every required identifier column present; one label written over two columns is an
    error, and of two columns named by different labels of one identifier (市町村名 and
    保険者名) the better label wins and the other is kept as an ordinary column (noted)."""
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
    for name, cols in seen.items():
        if len(cols) == 1:
            continue
        best = min(int(c.detail) for c in cols)
        winners = [c for c in cols if int(c.detail) == best]
        if len(winners) > 1:
            letters = ", ".join(c.letter for c in winners)
            raise InputError(
                f"column {ID_LABELS.get(name, (name,))[0]} appears more than once (columns {letters})",
                file=sh.file,
                sheet=sh.name,
                row=sh.header_start,
                column=ID_LABELS.get(name, (name,))[0],
            )
        for c in cols:
            if c is not winners[0]:
                c.kind = "other"
                sh.notes.append((c, f"also looks like {name}; column {winners[0].letter} is used"))
    for c in sh.columns:
        c.detail = "" if c.kind == "id" else c.detail
    if not any(c.kind == "score" for c in sh.columns):
        raise InputError(
            f"no score columns (目標Ⅰ-Ⅳ) found in {header_rows}", file=sh.file, sheet=sh.name, row=sh.header_start
        )


def parse_max_points(value: object) -> float | None:
    """A 配点 cell: a number, "5点", full-width digits; blank -> None; other text -> ValueError."""
    text = ind.normalise(value) if isinstance(value, str) else ""
    return ind.parse_number(text[:-1] if text.endswith("点") else value)


def _apply_max_points(sh: Sheet) -> None:
    """The 配点 row decides what is scored: a column with a goal in its header and a numeric
    配点 is a score item; without one it is a 該当状況 answer column (not read). Subtotals
    keep their 配点 when they have one. A file without a 配点 row cannot be read."""
    i = sh.stat_row("配点")
    if i is None:
        found = ", ".join(s for _, s in sh.stat_rows) or "none"
        raise InputError(
            f"no 配点 row below the header (statistics rows found: {found}); score columns are those "
            "with a numeric 配点, so the file cannot be read",
            file=sh.file,
            sheet=sh.name,
            row=sh.header_end + 1,
            column="配点",
        )
    row = sh.grid[i]
    for c in sh.columns:
        if c.kind not in ("score", "total", "other"):
            continue
        try:
            c.max_points = parse_max_points(row[c.index])
        except ValueError:
            if c.kind == "other":  # e.g. the statistics label itself, written in an unnamed column
                continue
            raise InputError(
                "text in the 配点 row", file=sh.file, sheet=sh.name, row=i + 1, column=c.label(), value=row[c.index]
            ) from None
        if c.max_points is None and (c.kind == "score" or (c.kind == "total" and c.under_item)):
            c.kind = "answer"  # a 該当状況 column: its item's header (even one ending in 計), no 配点
        elif c.kind == "other" and c.max_points is not None:
            sh.notes.append((c, f"配点 {c.max_points:g} but the header names no goal (目標): column not read"))


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
                    f"目標III column does not match any item of {ind.items_path().name} "
                    f"(indicator {c.indicator!r}, 指標番号 {c.indicator_no}, 枝番 {c.item!r}); renamed header, "
                    f"or update the data file after checking the official indicator PDF",
                    file=sh.file,
                    sheet=sh.name,
                    row=sh.header_start,
                    column=c.label(),
                )
            c.indicator = name
            c.indicator_group = items[(name, c.item)].indicator_group
        ident = (c.fund, c.goal, c.indicator_group, c.indicator, c.item)
        if not focus and c.detail and ident in seen:
            c.item = f"{c.item}（{c.detail}）"  # coarse goals: items told apart by their 設問 text
            ident = (c.fund, c.goal, c.indicator_group, c.indicator, c.item)
        if not focus and ident in seen:
            # other goals are kept coarsely and must not stop the stage: name the item by its column
            sh.notes.append(
                (c, f"header does not tell this item from column {seen[ident].letter}; item named by its column")
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
