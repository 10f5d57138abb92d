"""Adapter for the MHLW 「在宅医療にかかる地域別データ集」 (在宅医療の地域別データ集).

Layout (DOMAIN.md "Home-care activity by municipality", from public code that parses the real
file): one sheet per data year (「R５年」, 「R6年」; sheets whose name has a bracket are notes);
項目番号 in row 1, データ時点 in row 2, item labels in rows 3-6, 全国計 in row 7, the identifier
labels (都道府県コード, 二次医療圏コード, 市区町村コード, 都道府県名, 市区町村名, 区分) and units in
row 8, one row per municipality below. Rows and columns are found by their text, items by
項目番号 through the item map ``data/raw/reference/home_medical/databook_items.csv``, whose
label words are checked against the labels found (a mismatch stops with the label found).
Designated cities (横浜市, 川崎市, 相模原市) are at city level in the source: they are kept at
that level (``level = designated_city``), never split into wards.

:func:`read_databook` returns the values of the items for one prefecture (tidy), the 全国計 of
each item (the national benchmark), what was found per item, the QA entries (suppressed,
blank or unreadable cells; sheets and rows not read) and the reconciliation
``rows in = kept + other prefectures + subtotal rows + prefecture rows + ward rows of a city given
as a whole + blank rows + quarantined``. Group headings are read from merged cells, or carried
right from the cell where they are written when the file does not merge them.
Terms: docs/glossary.md.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd

from homecare.core import paths, provenance
from homecare.core.dates import era_year, parse_era_date, reiwa_number
from homecare.core.errors import InputError, ReferenceDataError
from homecare.core.qa import QAEntry, Reconciliation
from homecare.home_medical.reference_files import read_reference_table, reference_path
from homecare.home_medical.sheets import cell, open_workbook, text
from homecare.reference import municipalities

STAGE = "07_home_care_supply"
ITEMS_NAME = "databook_items.csv"
KINDS = ("facilities", "cases", "population")
ID_LABELS = {  # identifier column -> accepted labels (NFKC, no spaces)
    "municipality_code": ("市区町村コード", "市町村コード"),
    "prefecture_code": ("都道府県コード",),
    "medical_area_code": ("二次医療圏コード",),
    "prefecture_name": ("都道府県名", "都道府県", "県", "県名"),
    "municipality_name": ("市区町村名", "市区町村", "市町村名"),
    "division": ("区分",),
}
SCAN_ROWS = 20
LABEL_ROWS = 4  # item labels sit in the rows between データ時点 and 全国計 (rows 3-6)
SUPPRESSED = {"-", "ー", "‐", "―", "*", "＊", "x", "X", "×", "…", "秘匿", "#"}
_SHEET = re.compile(r"^(?:R|令和)(\d+|元)年")  # 「R５年」, 「R6年」, 「R6年度」; a bracket marks a notes sheet
NATIONAL_LABELS = ("全国", "全国計", "全国合計")
_ISO = re.compile(r"(\d{4})[年/.-](\d{1,2})[月/.-](\d{1,2})")
VALUE_COLUMNS = [
    "sheet",
    "item_id",
    "item_no",
    "municipality_code",
    "municipality_name",
    "level",
    "value",
    "status",
    "row",
]


@dataclass(frozen=True)
class Item:
    """One row of the item map."""

    item_id: str
    sheet: str  # R5, R6 ...
    item_no: int
    label_all: tuple[str, ...]
    label_none: tuple[str, ...]
    kind: str
    label_ja: str
    status: str


@dataclass
class Databook:
    """The データ集 items for one prefecture."""

    file: str
    prefecture_code: str
    values: pd.DataFrame  # VALUE_COLUMNS
    national: pd.DataFrame  # item_id, value, status
    items: pd.DataFrame  # what was found per item: sheet name, column, label, データ時点, data year
    qa: list[QAEntry] = field(default_factory=list)
    counts: Reconciliation = field(default_factory=lambda: Reconciliation(0, 0))

    def wide(self) -> pd.DataFrame:
        """One row per municipality (``municipality_code, municipality_name, level``), one column
        per item_id (NaN where the source withheld or left the value blank)."""
        names = self.values.drop_duplicates("municipality_code").set_index("municipality_code")
        table = self.values.pivot(index="municipality_code", columns="item_id", values="value")
        out = names[["municipality_name", "level"]].join(table).reset_index().rename_axis(columns=None)
        return out.sort_values("municipality_code").reset_index(drop=True)


def items_path():
    return reference_path(ITEMS_NAME)


@lru_cache(maxsize=1)
def _load_items() -> tuple[Item, ...]:
    df, where = read_reference_table(
        ITEMS_NAME, ["item_id", "sheet", "item_no", "label_all", "label_none", "kind", "label_ja", "status"], note=False
    )
    out: list[Item] = []
    for i, r in enumerate(df.to_dict("records"), start=1):
        sheet = unicodedata.normalize("NFKC", r["sheet"]).strip()
        if not re.fullmatch(r"R\d+", sheet) or not r["item_no"].isdigit() or r["kind"] not in KINDS:
            raise ReferenceDataError(f"{where}: entry {i} ({r['item_id']}): sheet like R6, item_no, kind {KINDS}: {r}")
        if r["item_id"] in {x.item_id for x in out}:
            raise ReferenceDataError(f"{where}: item_id {r['item_id']!r} listed twice")
        if (sheet, int(r["item_no"])) in {(x.sheet, x.item_no) for x in out}:
            raise ReferenceDataError(f"{where}: item {sheet} {r['item_no']} listed twice")
        words = [
            tuple(w for w in (unicodedata.normalize("NFKC", x).strip() for x in r[c].split(";")) if w)
            for c in ("label_all", "label_none")
        ]
        out.append(
            Item(r["item_id"], sheet, int(r["item_no"]), words[0], words[1], r["kind"], r["label_ja"], r["status"])
        )
    return tuple(out)


def load_items() -> tuple[Item, ...]:
    """The item map, validated; the read is recorded as a stage input."""
    provenance.note_input(items_path())
    return _load_items()


def sheet_year(name: str) -> int | None:
    """Calendar year of a data-year sheet name (「R５年」 -> 2023, 「R6年」 -> 2024); None for others
    (notes sheets such as 「R6年（注記）」 have a bracket)."""
    s = unicodedata.normalize("NFKC", name).replace(" ", "")
    m = _SHEET.match(s)
    return era_year("令和", m.group(1)) if m and "(" not in s else None


def parse_data_date(value: object) -> date | None:
    """A データ時点 as written (和暦 or 西暦, e.g. 「令和6年3月31日」, 「2023年9月」 -> 2023-09-01)."""
    s = text(value)
    try:
        found = parse_era_date(s)
    except ValueError:
        found = None
    if found is not None:
        return found
    m = _ISO.search(s)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    m = re.search(r"(令和|平成)\s*(元|\d+)\s*年\s*(\d+)\s*月", s) or re.search(r"(\d{4})\s*年\s*(\d+)\s*月", s)
    if m and len(m.groups()) == 3:
        return date(era_year(m.group(1), m.group(2)), int(m.group(3)), 1)
    if m:
        return date(int(m.group(1)), int(m.group(2)), 1)
    return None


def _filled(grid: list[list[object]], merges: list, row: int, col: int) -> str:
    """Text of a cell, or of the top-left cell of the merged range it lies in."""
    for (r0, c0), (r1, c1) in merges:
        if r0 <= row <= r1 and c0 <= col <= c1:
            return text(_at(grid, r0, c0))
    return text(_at(grid, row, col))


def _carried(grid: list[list[object]], merges: list, row: int, col: int, first: int, bottom: bool) -> str:
    """A heading cell's text, or (not in the bottom label row) the nearest heading to its left."""
    own = _filled(grid, merges, row, col)
    if own or bottom:
        return own
    return next((t for j in range(col - 1, first - 1, -1) if (t := _filled(grid, merges, row, j))), "")


def _label_matches(label: str, item: Item) -> bool:
    squeezed = label.replace(" ", "")
    return all(w in squeezed for w in item.label_all) and not any(w in squeezed for w in item.label_none)


def _at(grid: list[list[object]], row: int, col: int) -> object:
    return grid[row][col] if row < len(grid) and col < len(grid[row]) else None


def _find_id_row(grid: list[list[object]]) -> tuple[int, dict[str, int]] | None:
    for i, row in enumerate(grid[:SCAN_ROWS]):
        labels = {j: text(v).replace(" ", "") for j, v in enumerate(row)}
        if any(v in ID_LABELS["municipality_code"] for v in labels.values()):
            cols: dict[str, int] = {}
            for key, accepted in ID_LABELS.items():
                for j, v in labels.items():
                    if v in accepted and key not in cols and j not in cols.values():
                        cols[key] = j
            return i, cols
    return None


def _number(value: object) -> tuple[float | None, str]:
    """(value, status): ok | blank | suppressed | invalid."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, "blank"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value), "ok"
    s = text(value).replace(",", "")
    if s in SUPPRESSED or unicodedata.normalize("NFKC", str(value)).strip() in SUPPRESSED:
        return None, "suppressed"
    try:
        return float(s), "ok"
    except ValueError:
        return None, "invalid"


def read_databook(path: str | Path, prefecture: str | int = "14") -> Databook:
    """The items of the item map for the municipalities of ``prefecture`` and 全国計."""
    wb = open_workbook(path)
    where = wb.file
    pref = str(prefecture).strip().zfill(2)
    items = load_items()
    by_year: dict[int, str] = {}
    for name in wb.sheets:
        year = sheet_year(name)
        if year is not None and year in by_year:
            raise InputError(
                f"two sheets for the data year {year}: {by_year[year]!r} and {name!r}", file=where, sheet=name
            )
        if year is not None:
            by_year[year] = name
    sheets = {f"R{reiwa_number(y)}": name for y, name in by_year.items()}
    qa: list[QAEntry] = []
    values, national, found = [], [], []
    counts = Reconciliation(0, 0)
    for key in sorted({i.sheet for i in items}, key=lambda k: int(k[1:])):
        if key not in sheets:
            raise InputError(
                f"no data-year sheet {key} (named like 「{key}年」) for items {[i.item_no for i in items if i.sheet == key]} "
                f"of {paths.relative(items_path())}; sheets: {', '.join(wb.sheets)}",
                file=where,
            )
        sheet_items = [i for i in items if i.sheet == key]
        name = sheets[key]
        result = _read_sheet(wb.sheets[name], wb.merges.get(name, []), sheet_items, where, name, pref, qa)
        values += result[0]
        national += result[1]
        found += result[2]
        counts = counts + result[3]
    unread = [n for n in wb.sheets if n not in sheets.values()]
    if unread:
        qa.append(
            QAEntry(STAGE, where, f"項目表にない年のシート・注記シート: 読まない（{'、'.join(unread)}）", "excluded")
        )
    counts.check()
    return Databook(
        where,
        pref,
        pd.DataFrame(values, columns=VALUE_COLUMNS),
        pd.DataFrame(national, columns=["item_id", "value", "status"]),
        pd.DataFrame(found),
        qa,
        counts,
    )


def _cell_qa(where: str, sheet: str, row: int, col: int, reason: str, value: str, action: str = "kept") -> QAEntry:
    """A QA entry located at a 0-based (row, column) of a sheet."""
    return QAEntry(STAGE, where, reason, action, sheet=sheet, row=row + 1, column=cell(0, col)[:-1], value=value)


def _item_columns(grid: list[list[object]], where: str, sheet: str, first: int) -> dict[int, int]:
    """{項目番号: 0-based column} from row 1, right of the identifier columns (from ``first``)."""
    cols: dict[int, int] = {}
    for j, v in enumerate(grid[0] if grid else []):
        if j < first:
            continue
        num, status = _number(v)
        if status != "ok" or num is None or not float(num).is_integer():
            continue
        if int(num) in cols:
            raise InputError(
                f"項目番号 {int(num)} appears twice in row 1", file=where, sheet=sheet, row=1, column=cell(0, j)[:-1]
            )
        cols[int(num)] = j
    return cols


def _read_sheet(
    grid: list[list[object]],
    merges: list,
    items: list[Item],
    where: str,
    sheet: str,
    pref: str,
    qa: list[QAEntry],
) -> tuple[list[dict], list[dict], list[dict], Reconciliation]:
    id_found = _find_id_row(grid)
    if id_found is None:
        raise InputError(f"no row with 市区町村コード in the first {SCAN_ROWS} rows", file=where, sheet=sheet)
    id_row, id_cols = id_found
    item_cols = _item_columns(grid, where, sheet, max(id_cols.values()) + 1)
    first_item = min(item_cols.values(), default=8)
    national_row = next(  # the 全国計 row closest above the identifier row (row 7 over row 8)
        (
            i
            for i in range(id_row - 1, 0, -1)
            if any(text(_at(grid, i, j)).replace(" ", "") in NATIONAL_LABELS for j in range(first_item))
        ),
        None,
    )
    if national_row is None:
        raise InputError("no 全国計 row above the identifier row", file=where, sheet=sheet, row=id_row)
    found, columns = [], {}
    for item in items:
        if item.item_no not in item_cols:
            raise InputError(
                f"項目番号 {item.item_no} ({item.item_id}: {item.label_ja}) not in row 1; numbers found: "
                f"{min(item_cols, default='-')}-{max(item_cols, default='-')}; fix {paths.relative(items_path())}",
                file=where,
                sheet=sheet,
                row=1,
            )
        j = item_cols[item.item_no]
        label_rows = range(max(2, national_row - LABEL_ROWS), national_row)
        label = " ".join(t for t in (_filled(grid, merges, r, j) for r in label_rows) if t)
        # headings written once over several items without merging: carried right, bottom row excepted
        carried = " ".join(
            t for t in (_carried(grid, merges, r, j, first_item, r == label_rows[-1]) for r in label_rows) if t
        )
        label = next((x for x in (label, carried) if _label_matches(x, item)), label)
        if not _label_matches(label, item):
            raise InputError(
                f"項目番号 {item.item_no} is labelled 「{label}」, which does not match {item.item_id} "
                f"(must contain {list(item.label_all)}, not {list(item.label_none)}): the numbering changed; "
                f"fix {paths.relative(items_path())}",
                file=where,
                sheet=sheet,
                row=3,
                column=cell(0, j)[:-1],
                value=label,
            )
        when_text = _filled(grid, merges, 1, j)
        when = parse_data_date(when_text)
        if when is None:
            qa.append(
                QAEntry(
                    STAGE,
                    where,
                    f"データ時点を日付として読めない（{item.item_id}）",
                    "kept",
                    sheet=sheet,
                    row=2,
                    column=cell(1, j)[:-1],
                    value=when_text,
                )
            )
        found.append(
            {
                "item_id": item.item_id,
                "item_no": item.item_no,
                "sheet": sheet,
                "column": cell(0, j)[:-1],
                "label": label,
                "label_ja": item.label_ja,
                "kind": item.kind,
                "data_date_text": when_text,
                "data_date": when.isoformat() if when else "",
                "data_year": sheet_year(sheet),
                "status": item.status,
            }
        )
        columns[item.item_id] = (item, j)
    national = []
    for item_id, (_, j) in columns.items():
        v, status = _number(_at(grid, national_row, j))
        if status != "ok":
            qa.append(
                _cell_qa(
                    where, sheet, national_row, j, f"全国計が数値でない（{status}）", text(_at(grid, national_row, j))
                )
            )
        national.append({"item_id": item_id, "value": v, "status": status})
    values, counts = _municipality_rows(grid, id_row, id_cols, columns, where, sheet, pref, qa)
    return values, national, found, counts


def _municipality_rows(
    grid: list[list[object]],
    id_row: int,
    id_cols: dict[str, int],
    columns: dict[str, tuple[Item, int]],
    where: str,
    sheet: str,
    pref: str,
    qa: list[QAEntry],
) -> tuple[list[dict], Reconciliation]:
    known = municipalities.load_municipalities().set_index("municipality_code")
    code_col = id_cols["municipality_code"]
    excluded = {
        "other prefectures": 0,
        "subtotal rows without a municipality code": 0,
        "prefecture rows": 0,
        "ward rows of a city given as a whole": 0,
        "blank rows": 0,
    }
    kept = quarantined = 0
    out: list[dict] = []
    pending: list[tuple[int, str, str, str]] = []
    for i in range(id_row + 1, len(grid)):
        row = grid[i]
        ids = {k: text(_at(grid, i, j)) for k, j in id_cols.items()}
        if not any(text(v) for v in row):
            excluded["blank rows"] += 1
            continue
        raw_code = ids["municipality_code"]
        written_pref = ids.get("prefecture_code", "")
        if written_pref and written_pref.zfill(2) != pref:
            excluded["other prefectures"] += 1
            continue
        if not raw_code and any("計" in v for v in ids.values()):
            excluded["subtotal rows without a municipality code"] += 1
            continue

        try:
            code = municipalities.code5_from_any(raw_code)
        except ValueError:
            qa.append(
                _cell_qa(where, sheet, i, code_col, "市区町村コードが読めない: 行を使わない", raw_code, "quarantined")
            )
            quarantined += 1
            continue
        row_pref = ids.get("prefecture_code", "") or code[:2]
        if row_pref.zfill(2) != pref:
            excluded["other prefectures"] += 1
            continue
        if code.endswith("000"):
            excluded["prefecture rows"] += 1
            continue
        if code not in known.index:
            reason = "県内の既知の区市町村コードでない: 行を使わない"
            value = f"{raw_code} {ids.get('municipality_name', '')}"
            qa.append(_cell_qa(where, sheet, i, code_col, reason, value, "quarantined"))
            quarantined += 1
            continue
        unit_type = known.at[code, "unit_type"]
        level = {"designated_city": "designated_city", "ward": "ward"}.get(unit_type, "municipality")
        pending.append((i, code, level, ids.get("municipality_name", "") or known.at[code, "full_name"]))
    cities = {code for _, code, level, _ in pending if level == "designated_city"}
    for i, code, level, name in pending:
        if level == "ward" and known.at[code, "parent_code"] in cities:
            excluded["ward rows of a city given as a whole"] += 1  # the city row is the source's level
            continue
        kept += 1
        for item_id, (item, j) in columns.items():
            v, status = _number(_at(grid, i, j))
            if status != "ok":
                reason = f"値が数値でない（{status}）: 欠損として扱い0にしない"
                qa.append(_cell_qa(where, sheet, i, j, reason, text(_at(grid, i, j))))
            out.append(
                {
                    "sheet": sheet,
                    "item_id": item_id,
                    "item_no": item.item_no,
                    "municipality_code": code,
                    "municipality_name": name,
                    "level": level,
                    "value": v,
                    "status": status,
                    "row": i + 1,
                }
            )
    rows_in = len(grid) - id_row - 1
    return out, Reconciliation(rows_in, kept, quarantined, tuple(excluded.items()))
