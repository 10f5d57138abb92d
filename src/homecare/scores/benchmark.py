"""The national benchmark (全国の比較値) of one results file: the statistics rows as the file
states them, per item and per subtotal (配点, 全国合計, 平均点, 項目平均, 平均得点率, 中央値,
標準偏差, 該当市町村数, 該当率), and every scored insurer of the nation with its 区分, 過疎地域
該当, previous year's total and rank, and its score per goal, fund and overall.

Rates are fractions (the real file writes 0.7226, not 72.26); a statistics row written in
percent (older files) is converted and the conversion reported. Next to the stated values
the table keeps what the rows give (``n_rows``, ``mean_rows``, ``scoring_rate_rows``), and
a stated 平均点 that the rows do not reproduce is reported (only when the statistics cover
exactly the file's scored rows: a national file, not a prefecture extract).
Terms: docs/glossary.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from homecare.core.qa import QAEntry
from homecare.scores import indicators as ind
from homecare.scores import totals as tot
from homecare.scores.header import Column
from homecare.scores.read import ParsedFile
from homecare.scores.schemas import BENCHMARK_KEY

# statistics row label -> column of the benchmark table
STAT_FIELDS = {
    "配点": "max_points",
    "全国合計": "national_total",
    "平均点": "mean",
    "項目平均": "item_mean",
    "平均得点率": "mean_rate",
    "中央値": "median",
    "標準偏差": "sd",
    "該当市町村数": "n_scoring",
    "該当率": "scoring_rate",
}
RATE_FIELDS = ("mean_rate", "scoring_rate")
MEAN_TOLERANCE = 1e-3  # a stated 平均点 may be rounded to 3 decimals
BENCHMARK_COLUMNS = [
    "level",
    "measure",
    *BENCHMARK_KEY,
    *STAT_FIELDS.values(),
    "n_rows",
    "mean_rows",
    "scoring_rate_rows",
]


def statistics_table(parsed: ParsedFile, *, stage: str) -> tuple[pd.DataFrame, list[QAEntry]]:
    """One row per item and per subtotal/total column with the statistics rows as stated
    (NaN where the file leaves a cell empty) and the same figures recomputed from the rows."""
    sh = parsed.sheet_info
    qa: list[QAEntry] = []
    cols: list[tuple[Column, str, np.ndarray]] = [
        (c, "item", parsed.item_values[:, k]) for k, c in enumerate(parsed.items)
    ]
    cols += [(t, "subtotal", parsed.total_values[:, k]) for k, t in enumerate(parsed.totals)]
    stated: dict[str, np.ndarray] = {}
    for label, field_ in STAT_FIELDS.items():
        i = sh.stat_row(label)
        values = np.full(len(cols), np.nan)
        if i is not None:
            row = sh.grid[i]
            for k, (c, _, _) in enumerate(cols):
                try:
                    v = ind.parse_number(row[c.index]) if field_ != "max_points" else c.max_points
                except ValueError:
                    qa.append(
                        _entry(parsed, f"text in the {label} row: left empty", i + 1, c.label(), row[c.index], stage)
                    )
                    v = None
                values[k] = np.nan if v is None else v
        if field_ in RATE_FIELDS and np.nanmax(values, initial=0.0) > 1 + tot.TOLERANCE:
            values = values / 100
            qa.append(_entry(parsed, f"{label} written in percent: converted to fractions", i + 1, "", "", stage))
        stated[field_] = values
    n = len(parsed.insurers)
    records = []
    for k, (c, kind, v) in enumerate(cols):
        finite = v[np.isfinite(v)]
        for fund in (c.fund,) if (c.fund or kind == "subtotal") else ind.FUNDS:
            records.append(
                {
                    "column_kind": kind,
                    "level": "item" if kind == "item" else c.level,
                    "measure": _measure_key(c) if kind == "subtotal" else "",
                    "fund": fund or "",
                    "goal": c.goal or "",
                    "indicator_group": c.indicator_group,
                    "indicator": c.indicator if kind == "item" else "",
                    "item": c.item if kind == "item" else "",
                    "label": "" if kind == "item" else c.texts[-1],
                    "src_column": c.letter,
                    **{f: stated[f][k] for f in STAT_FIELDS.values()},
                    "n_rows": n,
                    "mean_rows": float(finite.mean()) if len(finite) else np.nan,
                    "scoring_rate_rows": float((finite > 0).mean()) if kind == "item" and len(finite) else np.nan,
                }
            )
    table = pd.DataFrame(records, columns=BENCHMARK_COLUMNS)
    qa += _check_population(parsed, table, stage)
    return table, qa


def _measure_key(t: Column) -> str:
    """The measure (支援III, 推進計, 合計) a goal/fund/overall total column gives; "" for 指標群 subtotals."""
    for m in tot.MEASURES:
        if t.level == m.level and (t.fund or "") == m.fund and (t.goal or "") == m.goal:
            return m.key
    return ""


def _entry(parsed: ParsedFile, reason: str, row: int | None, column: str, value: object, stage: str) -> QAEntry:
    return QAEntry(stage, parsed.file, reason, "reported", sheet=parsed.sheet, row=row, column=column, value=str(value))


def _check_population(parsed: ParsedFile, table: pd.DataFrame, stage: str) -> list[QAEntry]:
    """How many insurers the statistics describe (全国合計 ÷ 平均点 of the totals) against the
    file's scored rows; when they agree, each stated 平均点 against the mean of the rows."""
    both = table[(table["mean"] > 0) & table["national_total"].notna()]
    if both.empty:
        return []
    stated_n = int(round(float((both["national_total"] / both["mean"]).median())))
    n = len(parsed.insurers)
    if stated_n != n:
        return [
            _entry(
                parsed,
                f"the statistics rows describe {stated_n} insurers (全国合計 ÷ 平均点) but the file has {n} scored "
                "rows: a prefecture extract, or rows missing; national means are the file's, ranks count its rows",
                None,
                "",
                stated_n,
                stage,
            )
        ]
    off = table[(table["mean"] - table["mean_rows"]).abs() > MEAN_TOLERANCE].drop_duplicates("src_column")
    if off.empty:
        return []
    listed = ", ".join(f"{r.src_column} stated {r.mean:g} rows {r.mean_rows:g}" for r in off.head(5).itertuples()) + (
        " …" if len(off) > 5 else ""
    )
    return [
        _entry(
            parsed, f"{len(off)} column(s) whose stated 平均点 the rows do not reproduce: {listed}", None, "", "", stage
        )
    ]


def national_insurers(parsed: ParsedFile, codes: pd.Series) -> pd.DataFrame:
    """Every scored insurer row of the file: identifiers, 区分, 過疎地域該当, previous year's
    total and rank, the file's own rank (今年度順位), and ``municipality_code`` for the
    prefecture's rows (``codes``: src_row -> code; "" elsewhere)."""
    out = parsed.insurers.copy()
    out.insert(1, "municipality_code", out["src_row"].map(codes).fillna("").astype(str))
    return out


def national_measures(parsed: ParsedFile) -> pd.DataFrame:
    """Every scored insurer's score per measure (long), with the insurer's serial."""
    values = tot.measure_values(parsed)
    serial = parsed.insurers.set_index("src_row")["serial"]
    values.insert(0, "serial", values["src_row"].map(serial).astype(int))
    return values
