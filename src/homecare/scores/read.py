"""Read the rows of the national results sheet (評価結果) into tidy item scores.

Rows below the header are sorted into: data rows of the chosen prefecture (kept),
statistics rows (配点, 全国合計, 平均点 …: excluded; 配点 gives each item's maximum),
data rows of other prefectures (excluded) and anything else (quarantined: notes, rows of
the prefecture without any score such as a 広域連合). Every one is counted and recorded in
the QA table so that ``rows_read = kept + statistics + other_prefectures + quarantined``.
Terms: docs/glossary.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from homecare.core.errors import InputError
from homecare.core.qa import QAEntry
from homecare.reference import municipalities
from homecare.scores import indicators as ind
from homecare.scores.header import Column, Sheet, read_sheet, stat_label

STAGE = "01_insurer_scores"


@dataclass
class ParsedFile:
    """Long item scores of the prefecture's rows plus counts and QA of one file."""

    file: str
    sheet: str
    title_years: list[tuple[int, str, int]]  # (row, column, fiscal year) of 令和N年度 in the title rows
    name_column: str  # header label of 市町村名 as written, for messages

    scores: pd.DataFrame  # one row per insurer row x item (+ _row, _column for messages)
    totals: pd.DataFrame  # the file's own subtotal/total cells per insurer row
    insurers: pd.DataFrame  # _row, insurer_number, municipality_name as written
    qa: list[QAEntry] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def insurer_number(value: object) -> str:
    """保険者番号 as 6-digit text: full-width digits normalised; a number that Excel stored as
    a number (141002 or 141002.0, 11002 for 011002) gets its text form and leading zero back."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return f"{int(value):06d}"
    return ind.normalise(value)


def same_prefecture(name: object, prefecture: str) -> bool:
    """神奈川県 / 神奈川 / full-width variants name the same prefecture."""
    strip = lambda s: ind.normalise(s).rstrip("都道府県")  # noqa: E731
    return bool(name) and strip(name) == strip(prefecture)


def parse_file(path: str | Path, *, prefecture: str, sheet: str | None = None) -> ParsedFile:
    """Parse one national (or per-prefecture) results file."""
    sh = read_sheet(path, sheet)
    ids = sh.ids()
    score_cols = [c for c in sh.columns if c.kind == "score"]
    total_cols = [c for c in sh.columns if c.kind == "total"]
    _check_header_funds(sh, score_cols)
    qa: list[QAEntry] = []
    counts = {"rows_read": 0, "kept": 0, "statistics": 0, "other_prefectures": 0, "quarantined": 0}
    max_points: dict[int, float] = {}
    other: dict[str, list[int]] = {}
    records, totals, insurers = [], [], []

    def entry(row: int, reason: str, action: str, column: str = "", value: object = "") -> None:
        qa.append(
            QAEntry(
                STAGE,
                sh.file,
                reason,
                action,
                sheet=sh.name,
                row=row,
                column=column,
                value="" if value is None else str(value),
            )
        )

    for c, note in sh.notes:
        entry(sh.header_start, note, "reported", c.label())
    serial_col = ids["serial"]
    seen_data = False
    for i in range(sh.header_end, len(sh.grid)):
        row, excel_row = sh.grid[i], i + 1
        if all(v is None or not str(v).strip() for v in row):
            continue  # empty rows are not content (trailing formatting)
        counts["rows_read"] += 1
        serial = row[serial_col.index]
        if not ind.is_serial(serial):
            # before the first data row every row is a statistics row, named or not
            first_score = min(c.index for c in score_cols + total_cols)
            stat = stat_label(row, first_score) or (None if seen_data else _row_text(row[:first_score]) or "unnamed")
            if stat:
                counts["statistics"] += 1
                entry(excel_row, f"statistics row ({stat})", "excluded", serial_col.texts[-1], serial)
                if stat == "配点":
                    max_points = _max_points(sh, row, excel_row, score_cols)
            else:
                counts["quarantined"] += 1
                entry(
                    excel_row,
                    "row without a numeric 通し番号 (note or stray row)",
                    "quarantined",
                    serial_col.texts[-1],
                    _row_text(row),
                )
            continue
        seen_data = True
        pref = row[ids["prefecture_name"].index]
        code = row[ids["prefecture_code"].index] if "prefecture_code" in ids else None
        if (
            pref is None
            and code is not None
            and ind.normalise(code).zfill(2) == municipalities.PREFECTURE_CODE
            and same_prefecture(municipalities.PREFECTURE, prefecture)
        ):
            pref = municipalities.PREFECTURE  # 都道府県名 left blank: the 都道府県番号 says 14
        if not same_prefecture(pref, prefecture):
            counts["other_prefectures"] += 1
            other.setdefault(ind.normalise(pref) or "(blank)", []).append(excel_row)
            continue
        values = {c.index: _score(sh, c, row, excel_row) for c in score_cols + total_cols}
        name = row[ids["municipality_name"].index]
        if all(values[c.index] is None for c in score_cols):
            counts["quarantined"] += 1
            entry(
                excel_row,
                "insurer row without any score (広域連合 or not evaluated)",
                "quarantined",
                ids["municipality_name"].texts[-1],
                name,
            )
            continue
        counts["kept"] += 1
        insurers.append(
            {
                "src_row": excel_row,
                "insurer_number": insurer_number(row[ids["insurer_number"].index]),
                "municipality_name": "" if name is None else str(name).strip(),
            }
        )
        for c in score_cols:
            points = values[c.index]
            if points is None:
                entry(
                    excel_row,
                    "blank or '－' score read as 0 points (not achieved)",
                    "replaced",
                    c.label(),
                    row[c.index],
                )
                points = 0.0
            for fund in (c.fund,) if c.fund else ind.FUNDS:  # 目標IV may be shared by both funds
                records.append(
                    {
                        "src_row": excel_row,
                        "src_column": c.label(),
                        "src_index": c.index,
                        "fund": fund,
                        "goal": c.goal,
                        "indicator_group": c.indicator_group,
                        "indicator": c.indicator,
                        "item": c.item,
                        "points": points,
                    }
                )
        for c in total_cols:
            totals.append(
                {
                    "src_row": excel_row,
                    "src_column": c.label(),
                    "fund": c.fund,
                    "goal": c.goal,
                    "indicator_group": c.indicator_group,
                    "value": values[c.index],
                }
            )
    for pref, rows in sorted(other.items()):
        entry(
            rows[0],
            f"other prefecture {pref}: {len(rows)} row(s) from row {rows[0]} to {rows[-1]}",
            "excluded",
            ids["prefecture_name"].texts[-1],
            pref,
        )
    scores = pd.DataFrame(
        records,
        columns=[
            "src_row",
            "src_column",
            "src_index",
            "fund",
            "goal",
            "indicator_group",
            "indicator",
            "item",
            "points",
        ],
    )
    scores["max_points"] = _item_maxima(sh, scores, max_points, qa)
    return ParsedFile(
        sh.file,
        sh.name,
        sh.fiscal_years_named(),
        ids["municipality_name"].label(),
        scores,
        totals=pd.DataFrame(totals, columns=["src_row", "src_column", "fund", "goal", "indicator_group", "value"]),
        insurers=pd.DataFrame(insurers, columns=["src_row", "insurer_number", "municipality_name"]),
        qa=qa,
        counts=counts,
    )


def _row_text(row: list[object]) -> str:
    return " ".join(str(v) for v in row if v is not None and str(v).strip())[:80]


def _score(sh: Sheet, c: Column, row: list[object], excel_row: int) -> float | None:
    try:
        return ind.parse_number(row[c.index])
    except ValueError:
        raise InputError(
            "text in a numeric score cell",
            file=sh.file,
            sheet=sh.name,
            row=excel_row,
            column=c.label(),
            value=row[c.index],
        ) from None


def _max_points(sh: Sheet, row: list[object], excel_row: int, cols: list[Column]) -> dict[int, float]:
    """The 配点 row: each item's maximum (a cell may read "5点")."""
    out = {}
    for c in cols:
        cell = row[c.index]
        text = ind.normalise(cell) if isinstance(cell, str) else ""
        try:
            v = ind.parse_number(text[:-1] if text.endswith("点") else cell)
        except ValueError:
            raise InputError(
                "text in the 配点 row", file=sh.file, sheet=sh.name, row=excel_row, column=c.label(), value=cell
            ) from None
        if v is not None:
            out[c.index] = v
    return out


def _item_maxima(sh: Sheet, scores: pd.DataFrame, from_file: dict[int, float], qa: list[QAEntry]) -> pd.Series:
    """配点 of each item: the file's 配点 row; for 目標III it is compared with the data file
    (a difference is reported, the file's own value is used). Without a 配点 row, 目標III
    uses the data file and other items stay unknown (NaN, reported)."""
    items = ind.goal3_items()
    maxima: dict[int, float] = {}
    for c in (c for c in sh.columns if c.kind == "score"):
        known = items.get((c.indicator, c.item)) if c.fund == ind.FOCUS_FUND and c.goal == "III" else None
        file_value = from_file.get(c.index)
        if known and file_value is not None and file_value != known.max_points:
            qa.append(
                QAEntry(
                    STAGE,
                    sh.file,
                    f"配点 {file_value:g} differs from {known.max_points:g} in goal3_items.csv (verify the data file)",
                    "reported",
                    sheet=sh.name,
                    column=c.label(),
                    value=f"{file_value:g}",
                )
            )
        if file_value is not None:
            maxima[c.index] = file_value
        elif known:
            maxima[c.index] = known.max_points
        else:
            qa.append(
                QAEntry(
                    STAGE,
                    sh.file,
                    "no 配点 for this item: maximum unknown, only points >= 0 checked",
                    "reported",
                    sheet=sh.name,
                    column=c.label(),
                )
            )
            maxima[c.index] = float("nan")
    return scores["src_index"].map(maxima).astype(float)


def _check_header_funds(sh: Sheet, cols: list[Column]) -> None:
    """A score column must belong to a 交付金 unless it is the shared 目標IV."""
    for c in cols:
        if c.fund is None and c.goal != "IV":
            raise InputError(
                "cannot tell which 交付金 (推進/支援) column belongs to",
                file=sh.file,
                sheet=sh.name,
                row=sh.header_start,
                column=c.label(),
            )
