"""Adapter for the 地方厚生局 「施設基準の届出受理医療機関名簿（医科）」 (届出受理医療機関名簿).

The real layout (関東信越厚生局, measured on the 山梨 file of 令和7年9月1日; DOMAIN.md "Facility
data"): the date as 「[令和７年９月１日 現在 ]…作成」 above the header; the header found by its
text (row 4 there); every cell text; one row per institution and notification, the
institution's columns and 項番 repeated; an institution without notifications has one row with
the four notification columns empty. Other bureaus add 備考 detail rows that repeat a
notification's columns with one 備考（見出し）/備考（データ） pair each; some files hold exact
duplicate rows. 受理番号 is numbered per notification type, so it is not a key on its own.

:func:`read_notification_list` returns the institutions of one prefecture (``prefecture``,
by 都道府県コード) with their notifications, 在支診・在支病 marked with their type from the symbol
map (:mod:`homecare.home_medical.symbols`), the QA entries and the reconciliation
``rows in = notification rows kept + institution-only rows + 備考 detail rows + exact duplicates
+ repeated rows + other prefectures + other 区分 + blank rows + quarantined``.
Terms: docs/glossary.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd

from homecare.core.dates import parse_as_of_date, parse_era_date
from homecare.core.errors import InputError
from homecare.core.qa import QAEntry, Reconciliation
from homecare.home_medical import symbols as symbol_map
from homecare.home_medical.sheets import open_workbook, text

STAGE = "07_home_care_supply"
# column id -> header text (NFKC, no spaces): found by text, never by position
HEADERS = {
    "serial": "項番",
    "prefecture_code": "都道府県コード",
    "prefecture_name": "都道府県名",
    "division": "区分",
    "institution_number": "医療機関番号",
    "symbol_number": "医療機関記号番号",
    "name": "医療機関名称",
    "postal_code": "医療機関所在地(郵便番号)",
    "address": "医療機関所在地(住所)",
    "beds": "病床数",
    "notification_name": "受理届出名称",
    "symbol": "受理記号",
    "acceptance_number": "受理番号",
    "start_date": "算定開始年月日",
    "remark_heading": "備考(見出し)",
    "remark_data": "備考(データ)",
}
REQUIRED = (
    "prefecture_code",
    "institution_number",
    "name",
    "address",
    "notification_name",
    "symbol",
    "acceptance_number",
    "start_date",
)
NOTIFICATION_COLUMNS = ("notification_name", "symbol", "acceptance_number", "start_date")
HEADER_SCAN_ROWS = 30
MEDICAL_DIVISION = "医科"
_DIGITS = re.compile(r"^\d+$")

INSTITUTION_COLUMNS = [
    "prefecture_code",
    "prefecture_name",
    "institution_number",
    "institution_code",
    "name",
    "postal_code",
    "address",
    "beds",
    "n_notifications",
    "support_clinic_type",
    "support_hospital_type",
    "backup_hospital",
    "supply_symbols",
    "support_start_date",
    "source_file",
    "sheet",
    "source_row",
]
NOTIFICATION_TABLE_COLUMNS = [
    "institution_number",
    "symbol",
    "notification_name",
    "acceptance_number",
    "start_date",
    "kind",
    "category",
    "support_type",
    "details",
    "n_detail_rows",
    "sheet",
    "source_row",
]


@dataclass
class NotificationList:
    """One 届出受理医療機関名簿 read for one prefecture."""

    file: str
    prefecture_code: str
    as_of: date | None
    institutions: pd.DataFrame
    notifications: pd.DataFrame
    qa: list[QAEntry] = field(default_factory=list)
    counts: Reconciliation = field(default_factory=lambda: Reconciliation(0, 0))

    @property
    def as_of_text(self) -> str:
        """The list's date as ISO text ('' when the file states none)."""
        return self.as_of.isoformat() if self.as_of else ""


def _find_header(grid: list[list[object]]) -> tuple[int, dict[str, int]] | None:
    """(0-based header row, {column id: 0-based column}) of the first row holding the key labels."""
    wanted = {v: k for k, v in HEADERS.items()}
    for i, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        found: dict[str, int] = {}
        for j, v in enumerate(row):
            label = symbol_map.norm(v)
            if label in wanted and wanted[label] not in found:
                found[wanted[label]] = j
        if {"institution_number", "name", "symbol"} <= set(found):
            return i, found
    return None


def _as_of(grid: list[list[object]], header_row: int) -> date | None:
    """The 「…現在」 date written above the header (the date the list describes)."""
    for row in grid[:header_row]:
        for v in row:
            try:
                found = parse_as_of_date(v)
            except ValueError:
                found = None
            if found is not None:
                return found
    return None


def _sheet_rows(grid: list[list[object]], header_row: int, cols: dict[str, int], sheet: str) -> list[dict]:
    """The data rows under the header as text (raw, as written) with ``sheet`` and Excel ``row``;
    columns the sheet lacks are ''."""
    records = []
    width = max(cols.values()) + 1
    absent = {k: "" for k in HEADERS if k not in cols}
    for i in range(header_row + 1, len(grid)):
        cells = list(grid[i]) + [None] * max(0, width - len(grid[i]))
        rec = {k: "" if cells[j] is None else str(cells[j]) for k, j in cols.items()}
        rec.update(absent)
        rec["_raw"] = tuple("" if v is None else str(v) for v in grid[i])
        rec["sheet"] = sheet
        rec["row"] = i + 1
        records.append(rec)
    return records


def _qa(where: str, reason: str, action: str, r: dict, column: str = "", value: object = "") -> QAEntry:
    return QAEntry(STAGE, where, reason, action, sheet=r["sheet"], row=int(r["row"]), column=column, value=str(value))


def read_notification_list(path: str | Path, prefecture: str | int = "14") -> NotificationList:
    """Institutions of ``prefecture`` (都道府県コード, e.g. 14 神奈川, 19 山梨) with their
    notifications; raises InputError for a file without the list's header or columns."""
    wb = open_workbook(path)
    where = wb.file
    pref = str(prefecture).strip().zfill(2)
    if not _DIGITS.match(pref) or len(pref) != 2:
        raise InputError(f"prefecture must be a 2-digit 都道府県コード, got {prefecture!r}", file=where)
    table = symbol_map.load_symbols()
    qa: list[QAEntry] = []
    frames: list[dict] = []
    dates: dict[str, date | None] = {}
    for sheet, grid in wb.sheets.items():
        found = _find_header(grid)
        if found is None:
            if any(text(v) for row in grid for v in row):
                qa.append(QAEntry(STAGE, where, "名簿の見出し行がないシート: 読まない", "excluded", sheet=sheet))
            continue
        header_row, cols = found
        missing = [HEADERS[c] for c in REQUIRED if c not in cols]
        if missing:
            raise InputError(
                f"the header in row {header_row + 1} lacks column(s) {missing}; is this a 届出受理医療機関名簿（医科）?",
                file=where,
                sheet=sheet,
                row=header_row + 1,
                column=missing[0],
            )
        dates[sheet] = _as_of(grid, header_row)
        frames += _sheet_rows(grid, header_row, cols, sheet)
    if not frames:
        raise InputError(
            f"no sheet has the list's header (医療機関番号, 医療機関名称, 受理記号) in its first {HEADER_SCAN_ROWS} rows "
            f"(sheets: {', '.join(wb.sheets)}); is this a 届出受理医療機関名簿（医科）?",
            file=where,
        )
    as_of = next((d for d in dates.values() if d is not None), None)
    if as_of is None:
        qa.append(QAEntry(STAGE, where, "「…現在」の日付が見出しの上にない: 名簿の時点が不明", "kept"))
    elif len({d for d in dates.values() if d is not None}) > 1:
        qa.append(QAEntry(STAGE, where, f"シートごとに時点が違う: {dates}", "kept", value=as_of.isoformat()))
    return _build(frames, where, pref, as_of, table, qa)


def _build(
    rows: list[dict],
    where: str,
    pref: str,
    as_of: date | None,
    table: tuple[symbol_map.Symbol, ...],
    qa: list[QAEntry],
) -> NotificationList:
    excluded = dict.fromkeys(
        [
            "institution-only rows (no notification)",
            "備考 detail rows (merged into their notification)",
            "exact duplicate rows",
            "repeated notification rows (merged)",
            "other prefectures",
            "other 区分 (not 医科)",
            "blank rows",
        ],
        0,
    )
    quarantined = 0
    seen_raw: set[tuple[str, ...]] = set()
    notifications: dict[tuple[str, str, str, str], dict] = {}
    institutions: dict[str, dict] = {}
    for r in rows:
        if not any(v.strip() for v in r["_raw"]):
            excluded["blank rows"] += 1
            continue
        code = text(r["prefecture_code"])
        if not _DIGITS.match(code) or len(code) > 2:
            qa.append(_qa(where, "都道府県コードが不正: 行を使わない", "quarantined", r, "都道府県コード", code))
            quarantined += 1
            continue
        if code.zfill(2) != pref:
            excluded["other prefectures"] += 1
            continue
        division = text(r["division"])
        if division and division != MEDICAL_DIVISION:
            excluded["other 区分 (not 医科)"] += 1
            continue
        number = text(r["institution_number"])
        if not (_DIGITS.match(number) and len(number) == 7):
            qa.append(
                _qa(where, "医療機関番号が7桁の数字でない: 行を使わない", "quarantined", r, "医療機関番号", number)
            )
            quarantined += 1
            continue
        if not text(r["name"]):
            qa.append(_qa(where, "医療機関名称が空: 行を使わない", "quarantined", r, "医療機関名称"))
            quarantined += 1
            continue
        if r["_raw"] in seen_raw:  # every column equal to an earlier row: not a new notification
            excluded["exact duplicate rows"] += 1
            continue
        seen_raw.add(r["_raw"])
        inst = institutions.get(number)
        if inst is None:
            institutions[number] = _institution(r, pref, where)
        else:
            for col, label in (("name", "医療機関名称"), ("address", "医療機関所在地（住所）")):
                if text(r[col]) != text(inst["_first"][col]):
                    qa.append(
                        _qa(where, f"同じ医療機関番号で{label}が違う: 最初の行の値を使う", "kept", r, label, r[col])
                    )
        has_notification = any(text(r[c]) for c in NOTIFICATION_COLUMNS)
        if not has_notification:
            excluded["institution-only rows (no notification)"] += 1
            continue
        symbol = text(r["symbol"])
        if not symbol:
            qa.append(_qa(where, "受理記号が空の届出行: 届出として使わない", "quarantined", r, "受理記号"))
            quarantined += 1
            continue
        key = (number, symbol, text(r["acceptance_number"]), text(r["start_date"]))
        heading, data = text(r["remark_heading"]), text(r["remark_data"])
        note = f"{heading}：{data}" if heading or data else ""
        existing = notifications.get(key)
        if existing is None:
            # a first row that already carries a 備考 pair is the notification itself
            notifications[key] = _notification(r, number, symbol, note, table, qa, where)
            continue
        if note:
            existing["_details"].append(note)
            existing["n_detail_rows"] += 1
            excluded["備考 detail rows (merged into their notification)"] += 1
        else:
            qa.append(
                _qa(
                    where,
                    f"同じ届出（受理記号・受理番号・算定開始年月日）の行が重複: 行{existing['source_row']}に統合",
                    "merged",
                    r,
                    "受理記号",
                    symbol,
                )
            )
            excluded["repeated notification rows (merged)"] += 1
    finished = [_finish_notification(n) for n in notifications.values()]
    notes = pd.DataFrame(finished, columns=NOTIFICATION_TABLE_COLUMNS)
    inst = _institution_table(institutions, finished, qa, where)
    rows_in = len(rows)
    counts = Reconciliation(rows_in, len(notes), quarantined, tuple(excluded.items()))
    counts.check()
    return NotificationList(where, pref, as_of, inst, notes.reset_index(drop=True), qa, counts)


def _institution(r: dict, pref: str, where: str) -> dict:
    number = text(r["institution_number"])
    return {
        "prefecture_code": pref,
        "prefecture_name": text(r["prefecture_name"]),
        "institution_number": number,
        "institution_code": f"{pref}1{number}",  # 医療機関コード: 都道府県 + 点数表 1 (医科) + 番号
        "name": str(r["name"]).strip(),
        "postal_code": text(r["postal_code"]),
        "address": str(r["address"]).strip(),
        "beds": str(r["beds"]).strip(),
        "source_file": where,
        "sheet": r["sheet"],
        "source_row": int(r["row"]),
        "_first": r,
    }


def _notification(
    r: dict, number: str, symbol: str, note: str, table: tuple[symbol_map.Symbol, ...], qa: list[QAEntry], where: str
) -> dict:
    name = str(r["notification_name"]).strip()
    cls = symbol_map.classify(symbol, name, table)
    if cls.kind == "unknown":
        qa.append(
            _qa(
                where,
                "在宅医療に関係しそうな未登録の受理記号: 供給数に数えない（notification_symbols.csv で分類する）",
                "kept",
                r,
                "受理記号",
                f"{symbol}（{name}）",
            )
        )
    if cls.kind == "supply" and cls.symbol is not None and cls.symbol.name_contains not in symbol_map.norm(name):
        qa.append(
            _qa(
                where,
                f"受理届出名称に「{cls.symbol.name_contains}」がない: 記号で数えたが要確認",
                "kept",
                r,
                "受理届出名称",
                name,
            )
        )
    raw_date = text(r["start_date"])
    started = _start_date(raw_date)
    if raw_date and started is None:
        qa.append(
            _qa(where, "算定開始年月日を和暦の日付として読めない: 空欄とする", "kept", r, "算定開始年月日", raw_date)
        )
    return {
        "institution_number": number,
        "symbol": str(r["symbol"]).strip(),
        "notification_name": name,
        "acceptance_number": text(r["acceptance_number"]),
        "start_date": started.isoformat() if started else "",
        "kind": cls.kind,
        "category": cls.symbol.category if cls.symbol else "",
        "support_type": cls.symbol.support_type if cls.symbol else "",
        "_details": [note] if note else [],
        "n_detail_rows": 0,
        "sheet": r["sheet"],
        "source_row": int(r["row"]),
    }


@lru_cache(maxsize=50_000)
def _start_date(raw: str) -> date | None:
    """算定開始年月日 as a date (None when it is not a 和暦 date); the same dates repeat on many rows."""
    try:
        return parse_era_date(raw)
    except ValueError:
        return None


def _finish_notification(n: dict) -> dict:
    out = {k: v for k, v in n.items() if not k.startswith("_")}
    out["details"] = "; ".join(n["_details"])
    return out


def _pick_type(types: list[str], label: str, first: dict, qa: list[QAEntry], where: str) -> str:
    """The institution's type of ``label`` (在支診 or 在支病); several types are reported."""
    distinct = sorted(set(types), key=symbol_map.SUPPORT_TYPES.index)
    if len(distinct) > 1:
        qa.append(
            _qa(
                where,
                f"{label}の届出が複数の類型: {distinct[0]}として数える",
                "kept",
                first,
                "受理記号",
                ",".join(distinct),
            )
        )
    return distinct[0] if distinct else ""


def _institution_table(institutions: dict[str, dict], notes: list[dict], qa: list[QAEntry], where: str) -> pd.DataFrame:
    """One row per institution: its number of notifications and its supply marks (在支診 and 在支病
    type, 在後病, the symbols and the earliest 算定開始年月日 of its 在支診/在支病 notification)."""
    supply: dict[str, list[dict]] = {}
    n_notes: dict[str, int] = {}
    for n in notes:
        n_notes[n["institution_number"]] = n_notes.get(n["institution_number"], 0) + 1
        if n["kind"] == "supply":
            supply.setdefault(n["institution_number"], []).append(n)
    out = []
    for number, inst in institutions.items():
        own = supply.get(number, [])
        first = inst.pop("_first")
        rec = dict(inst)
        rec["n_notifications"] = n_notes.get(number, 0)
        clinic = [n for n in own if n["category"] == "support_clinic"]
        hospital = [n for n in own if n["category"] == "support_hospital"]
        rec["support_clinic_type"] = _pick_type([n["support_type"] for n in clinic], "在支診", first, qa, where)
        rec["support_hospital_type"] = _pick_type([n["support_type"] for n in hospital], "在支病", first, qa, where)
        if rec["support_clinic_type"] and rec["support_hospital_type"]:
            qa.append(_qa(where, "在支診と在支病の両方の届出: 両方に数える", "kept", first, "受理記号"))
        rec["backup_hospital"] = any(n["category"] == "backup_hospital" for n in own)
        rec["supply_symbols"] = " ".join(n["symbol"] for n in own)
        starts = [n["start_date"] for n in clinic + hospital if n["start_date"]]
        rec["support_start_date"] = min(starts) if starts else ""
        out.append(rec)
    df = pd.DataFrame(out, columns=INSTITUTION_COLUMNS)
    return df.sort_values(["institution_number"]).reset_index(drop=True)
