"""Read the rows of the national results sheet (全国集計（市町村）/評価結果) in bulk.

Every row below the header is one of: a statistics row (配点, 全国合計, 平均点 …: excluded from
the rows, kept as the national benchmark), a scored insurer row of the chosen prefecture
(kept), a scored insurer row of another prefecture (excluded from the prefecture's tidy
scores, kept in the national benchmark), a row without any score (a 広域連合 or an insurer
not evaluated: excluded) or anything else (quarantined: notes, scores without a 通し番号).
Each is counted and recorded in the QA table so that
``rows_read = kept + statistics + other_prefectures + unscored + quarantined``. Scored rows
without a 保険者番号 (members of a 広域連合) are counted and reported, never an error.

Score and subtotal cells are converted as one matrix (pandas, not a loop over cells); only
the few cells that are not plain numbers or blanks (full-width digits, '－', text) are looked
at one by one. Terms: docs/glossary.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

import numpy as np
import pandas as pd

from homecare.core.errors import InputError
from homecare.core.qa import QAEntry
from homecare.reference import municipalities
from homecare.scores import cells
from homecare.scores import indicators as ind
from homecare.scores.header import Column, Sheet, read_sheet

STAGE = "01_insurer_scores"
COUNT_KEYS = ("rows_read", "kept", "statistics", "other_prefectures", "unscored", "quarantined")
INSURER_COLUMNS = [
    "src_row",
    "serial",
    "prefecture_code",
    "prefecture_name",
    "insurer_number",
    "municipality_name",
    "population",
    "first_insured",
    "size_class",
    "depopulated",
    "previous_total",
    "previous_rank",
    "stated_rank",
    "in_prefecture",
]


@dataclass
class ParsedFile:
    """Every scored row of one file (national) and the prefecture's item scores, with counts and QA."""

    file: str
    sheet: str
    title_years: list[tuple[int, str, int]]  # (row, column, fiscal year) of 令和N年度 in the title rows
    name_column: str  # header label of 市町村名 as written, for messages
    sheet_info: Sheet
    items: list[Column]  # score item columns, sheet order
    totals: list[Column]  # subtotal and total columns, sheet order
    insurers: pd.DataFrame  # one row per scored row (INSURER_COLUMNS), file order
    item_values: np.ndarray  # scored rows x items; blank read as 0 (reported)
    total_values: np.ndarray  # scored rows x totals; NaN where blank
    scores: pd.DataFrame  # the prefecture's rows: one row per insurer row x item (+ src_* for messages)
    qa: list[QAEntry] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    without_insurer_number: int = 0  # scored rows without a 保険者番号 (members of a 広域連合)


def insurer_number(value: object) -> str:
    """保険者番号 as 6-digit text: full-width digits normalised; a number that Excel stored as
    a number (141002 or 141002.0, 11002 for 011002) gets its text form and leading zero back;
    a blank cell gives ""."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return f"{int(value):06d}"
    return ind.normalise(value)


NOT_DEPOPULATED = {"", "×", "－", "-", "ー", "無", "なし", "非該当", "0"}


def depopulated(value: object) -> bool:
    """過疎地域該当有無: ○ (or any other mark) is True; blank, ×, －, 無, なし, 0 are False."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value == value and value != 0
    return ind.normalise(value) not in NOT_DEPOPULATED


def same_prefecture(name: object, prefecture: str) -> bool:
    """神奈川県 / 神奈川 / full-width variants name the same prefecture."""
    strip = lambda s: ind.normalise(s).rstrip("都道府県")  # noqa: E731
    return not cells.is_blank(name) and strip(name) == strip(prefecture)


def parse_file(path: str | Path, *, prefecture: str, sheet: str | None = None) -> ParsedFile:
    """Parse one national (or per-prefecture) results file."""
    sh = read_sheet(path, sheet)
    ids = sh.ids()
    items = [c for c in sh.columns if c.kind == "score"]
    totals = [c for c in sh.columns if c.kind == "total"]
    _check_header_funds(sh, items)
    qa: list[QAEntry] = []
    counts = dict.fromkeys(COUNT_KEYS, 0)

    def entry(row: int | None, reason: str, action: str, column: str = "", value: object = "") -> None:
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
    for i, label in sh.stat_rows:
        counts["rows_read"] += 1
        counts["statistics"] += 1
        entry(i + 1, f"statistics row ({label}): kept as the national benchmark", "excluded", serial_col.texts[-1])

    # every non-empty row after the statistics rows, as a matrix of its score and subtotal cells
    grid_rows = [
        i for i in range(sh.data_start, len(sh.grid)) if sh.grid[i].count("") + sh.grid[i].count(None) < len(sh.grid[i])
    ]
    counts["rows_read"] += len(grid_rows)
    value_cols = items + totals
    values, blank = _numeric_matrix(sh, grid_rows, value_cols)
    has_value = ~blank[:, : len(items)].all(axis=1)  # a row is scored when an item has a value (totals alone: no)
    get_ids = {name: [sh.grid[i][c.index] for i in grid_rows] for name, c in ids.items()}
    serial_ok = np.array([ind.is_serial(v) for v in get_ids["serial"]], dtype=bool)
    named = np.array([not cells.is_blank(v) for v in get_ids["municipality_name"]], dtype=bool)
    scored = serial_ok & has_value
    unscored = ~has_value & (serial_ok | named)
    quarantined = ~scored & ~unscored

    for k in np.flatnonzero(unscored):
        counts["unscored"] += 1
        entry(
            grid_rows[k] + 1,
            "row without any score (広域連合 or not evaluated): not in the national population",
            "excluded",
            ids["municipality_name"].texts[-1],
            get_ids["municipality_name"][k],
        )
    for k in np.flatnonzero(quarantined):
        counts["quarantined"] += 1
        reason = (
            "scores without a numeric 通し番号"
            if has_value[k]
            else "row without a numeric 通し番号 or a name (note or stray row)"
        )
        entry(grid_rows[k] + 1, reason, "quarantined", serial_col.texts[-1], _row_text(sh.grid[grid_rows[k]]))

    rows = np.flatnonzero(scored)
    insurers = _insurers(sh, ids, get_ids, rows, [grid_rows[k] + 1 for k in rows], prefecture)
    in_pref = insurers["in_prefecture"].to_numpy(bool)
    counts["kept"] = int(in_pref.sum())
    counts["other_prefectures"] = int((~in_pref).sum())
    _report_other_prefectures(insurers, ids, entry)
    without = insurers["insurer_number"] == ""
    _report_without_number(insurers, without, ids, entry)

    item_values = values[rows][:, : len(items)].copy()
    item_blank = blank[rows][:, : len(items)]
    _report_blank_scores(sh, items, insurers, item_blank, in_pref, entry)
    item_values[item_blank] = 0.0
    total_values = values[rows][:, len(items) :]
    scores = _prefecture_scores(items, insurers, item_values, in_pref)
    qa += _check_goal3_max_points(sh, items)
    return ParsedFile(
        sh.file,
        sh.name,
        sh.fiscal_years_named(),
        ids["municipality_name"].label(),
        sh,
        items,
        totals,
        insurers,
        item_values,
        total_values,
        scores,
        qa=qa,
        counts=counts,
        without_insurer_number=int(without.sum()),
    )


def _row_text(row: list[object]) -> str:
    return " ".join(str(v) for v in row if not cells.is_blank(v))[:80]


def _numeric_matrix(sh: Sheet, grid_rows: list[int], cols: list[Column]) -> tuple[np.ndarray, np.ndarray]:
    """Float matrix (rows x columns, NaN where blank) and the blank mask of the given cells.
    Plain numbers and blanks are converted in bulk; any other cell is parsed on its own
    (full-width digits, '－' read as blank); text in a score cell is an InputError."""
    if not cols or not grid_rows:
        return np.zeros((len(grid_rows), len(cols))), np.ones((len(grid_rows), len(cols)), bool)
    pick = itemgetter(*[c.index for c in cols])
    cells_ = [pick(sh.grid[i]) for i in grid_rows]
    obj = np.array(cells_, dtype=object).reshape(len(grid_rows), len(cols))
    flat = pd.Series(obj.ravel())
    blank = flat.isna().to_numpy() | (flat == "").to_numpy()
    numbers = pd.to_numeric(flat.where(~blank), errors="coerce").to_numpy(dtype=float, copy=True)
    odd = np.flatnonzero(np.isnan(numbers) & ~blank)
    for k in odd:  # the few cells that are text: full-width digits, blank marks, or an error
        r, c = divmod(int(k), len(cols))
        try:
            v = ind.parse_number(obj[r, c])
        except ValueError:
            raise InputError(
                "text in a numeric score cell",
                file=sh.file,
                sheet=sh.name,
                row=grid_rows[r] + 1,
                column=cols[c].label(),
                value=obj[r, c],
            ) from None
        if v is None:
            blank[k] = True
        else:
            numbers[k] = v
    return numbers.reshape(obj.shape), blank.reshape(obj.shape)


def _number_or_nan(value: object) -> float:
    try:
        v = ind.parse_number(value)
    except ValueError:
        return float("nan")
    return float("nan") if v is None else v


def _class_text(value: object) -> str:
    """区分 as text: 3.0 -> "3"; a text class (指定都市, 市) as written; blank -> ""."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return ind.normalise(value)


def _insurers(
    sh: Sheet, ids: dict[str, Column], get: dict[str, list], rows: np.ndarray, src_rows: list[int], prefecture: str
) -> pd.DataFrame:
    """The identifier cells of the scored rows as a frame (one Python step per row, not per cell)."""

    def col(name: str) -> list:
        return [get[name][k] for k in rows] if name in get else [None] * len(rows)

    pref_names = col("prefecture_name")
    codes = col("prefecture_code")
    code_text = [("" if cells.is_blank(v) else _class_text(v).zfill(2)) for v in codes]
    in_pref = [
        same_prefecture(n, prefecture)
        or (
            cells.is_blank(n)
            and code == municipalities.PREFECTURE_CODE
            and same_prefecture(municipalities.PREFECTURE, prefecture)
        )  # 都道府県名 left blank: the 都道府県番号 says 14
        for n, code in zip(pref_names, code_text, strict=True)
    ]
    depop = col("depopulated")
    out = pd.DataFrame(
        {
            "src_row": np.array(src_rows, dtype=int),
            "serial": [int(ind.parse_number(v)) for v in col("serial")],
            "prefecture_code": code_text,
            "prefecture_name": ["" if cells.is_blank(n) else ind.normalise(n) for n in pref_names],
            "insurer_number": [insurer_number(v) for v in col("insurer_number")],
            "municipality_name": ["" if cells.is_blank(v) else str(v).strip() for v in col("municipality_name")],
            "population": [_number_or_nan(v) for v in col("population")],
            "first_insured": [_number_or_nan(v) for v in col("first_insured")],
            "size_class": [_class_text(v) for v in col("size_class")],
            "depopulated": pd.array(
                [None if "depopulated" not in ids else depopulated(v) for v in depop], dtype="boolean"
            ),
            "previous_total": [_number_or_nan(v) for v in col("previous_total")],
            "previous_rank": [_number_or_nan(v) for v in col("previous_rank")],
            "stated_rank": [_number_or_nan(v) for v in col("rank")],
            "in_prefecture": in_pref,
        }
    )
    out.loc[out["prefecture_name"] == "", "prefecture_name"] = np.where(
        out.loc[out["prefecture_name"] == "", "in_prefecture"], municipalities.PREFECTURE, ""
    )
    return out[INSURER_COLUMNS]


def _report_other_prefectures(insurers: pd.DataFrame, ids: dict[str, Column], entry) -> None:
    other = insurers[~insurers["in_prefecture"]]
    for pref, g in sorted(other.groupby(other["prefecture_name"].replace("", "(blank)")), key=lambda t: t[0]):
        rows = g["src_row"].tolist()
        entry(
            rows[0],
            f"other prefecture {pref}: {len(rows)} row(s) from row {rows[0]} to {rows[-1]} (national benchmark only)",
            "excluded",
            ids["prefecture_name"].texts[-1],
            pref,
        )


def _report_without_number(insurers: pd.DataFrame, without: pd.Series, ids: dict[str, Column], entry) -> None:
    """Scored rows without a 保険者番号: each of the prefecture's rows, and one line for the others."""
    column = ids["insurer_number"].texts[-1]
    for r in insurers[without & insurers["in_prefecture"]].itertuples():
        entry(r.src_row, "保険者番号 blank (member of a 広域連合?): kept, mapped by name", "kept", column)
    other = insurers[without & ~insurers["in_prefecture"]]
    if len(other):
        rows = other["src_row"].tolist()
        first = ", ".join(map(str, rows[:5])) + (" …" if len(rows) > 5 else "")
        entry(
            rows[0],
            f"{len(rows)} scored row(s) of other prefectures without 保険者番号 (members of a 広域連合): "
            f"kept in the national benchmark; rows {first}",
            "reported",
            column,
        )


def _report_blank_scores(sh: Sheet, items: list[Column], insurers: pd.DataFrame, blank: np.ndarray, in_pref, entry):
    """Blank/'－' item cells of scored rows are read as 0: each of the prefecture's cells, and
    one line for the other prefectures."""
    for r, c in zip(*np.nonzero(blank & in_pref[:, None]), strict=True):
        src_row = int(insurers["src_row"].iat[r])
        entry(
            src_row,
            "blank or '－' score read as 0 points (not achieved)",
            "replaced",
            items[c].label(),
            sh.grid[src_row - 1][items[c].index],
        )
    n_other = int(blank[~in_pref].sum())
    if n_other:
        entry(None, f"{n_other} blank or '－' score cell(s) of other prefectures read as 0 points", "replaced")


def _prefecture_scores(items: list[Column], insurers: pd.DataFrame, values: np.ndarray, in_pref: np.ndarray):
    """Long item scores of the prefecture's rows; a 目標IV column without a fund (shared by
    both funds) is written once per fund."""
    expand = [(k, fund) for k, c in enumerate(items) for fund in ((c.fund,) if c.fund else ind.FUNDS)]
    rows = np.flatnonzero(in_pref)
    cols = np.array([k for k, _ in expand], dtype=int)
    n_r, n_c = len(rows), len(expand)
    attr = lambda f: np.tile(np.array([f(items[k], fund) for k, fund in expand], dtype=object), n_r)  # noqa: E731
    return pd.DataFrame(
        {
            "src_row": np.repeat(insurers["src_row"].to_numpy()[rows], n_c),
            "src_column": attr(lambda c, _: c.label()),
            "src_index": np.tile(np.array([items[k].index for k, _ in expand], dtype=int), n_r),
            "fund": attr(lambda _, f: f),
            "goal": attr(lambda c, _: c.goal),
            "indicator_group": attr(lambda c, _: c.indicator_group),
            "indicator": attr(lambda c, _: c.indicator),
            "item": attr(lambda c, _: c.item),
            "points": values[np.ix_(rows, cols)].ravel() if n_r and n_c else np.zeros(0),
            "max_points": np.tile(np.array([items[k].max_points for k, _ in expand], dtype=float), n_r),
        }
    )


def _check_goal3_max_points(sh: Sheet, items: list[Column]) -> list[QAEntry]:
    """The file's 配点 of the 目標III items against goal3_items.csv: a difference is reported
    (the file's value is used)."""
    known = ind.goal3_items()
    out = []
    for c in items:
        item = known.get((c.indicator, c.item)) if c.fund == ind.FOCUS_FUND and c.goal == "III" else None
        if item and c.max_points != item.max_points:
            out.append(
                QAEntry(
                    STAGE,
                    sh.file,
                    f"配点 {c.max_points:g} differs from {item.max_points:g} in goal3_items.csv (verify the data file)",
                    "reported",
                    sheet=sh.name,
                    column=c.label(),
                    value=f"{c.max_points:g}",
                )
            )
    return out


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
