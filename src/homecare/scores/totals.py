"""Subtotals and totals (計・合計) of the results file: the check of the file's own subtotal
columns against their items, and the score per goal, fund and overall (the *measures*) of
every scored insurer.

Every subtotal is compared with what its items give, so that one wrong cell is reported
once, where it is: a 指標群 subtotal (``Ⅲ（ⅰ）計``) and a goal total (``Ⅲ合計``) add up their
items, a goal total capped at its own 配点 when its items are worth more (目標Ⅳ: 32 items
worth 160 points, at most 100; the research reading of 「より上位となった方で得点」, to
verify on the real file); a fund total (``支援合計``) adds up its goals and ``推進・支援合計``
both funds (目標Ⅳ counted in each, as the 800-point maximum does). Terms: docs/glossary.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from homecare.core.qa import QAEntry
from homecare.scores import indicators as ind
from homecare.scores.header import Column

TOLERANCE = 1e-6
ROMAN_DISPLAY = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "IV": "Ⅳ"}


@dataclass(frozen=True)
class Measure:
    """A score every insurer has: one goal of one fund, one fund, or the overall total."""

    key: str  # 支援III, 推進計, 合計
    fund: str  # "" for the overall total
    goal: str  # "" for fund and overall totals
    label: str  # 支援 目標Ⅲ, 推進交付金 計, 推進・支援合計

    @property
    def level(self) -> str:
        return "goal" if self.goal else ("fund" if self.fund else "overall")


MEASURES: tuple[Measure, ...] = (
    *(Measure(f"{f}{g}", f, g, f"{f} 目標{ROMAN_DISPLAY[g]}") for f in ind.FUNDS for g in ind.GOALS),
    *(Measure(f"{f}計", f, "", f"{f}交付金 計") for f in ind.FUNDS),
    Measure("合計", "", "", "推進・支援合計"),
)
MEASURE_KEYS = tuple(m.key for m in MEASURES)
FOCUS_MEASURES = (f"{ind.FOCUS_FUND}III", "合計")  # 在宅医療・介護連携 and the total


def _in_scope(c: Column, fund: str | None, goal: str | None, group: str) -> bool:
    """Whether item or total ``c`` lies under the scope (a shared 目標IV item without a fund
    lies under both funds)."""
    return (
        (fund is None or c.fund in (fund, None))
        and (goal is None or c.goal == goal)
        and (not group or c.indicator_group == group)
    )


def _scope_of(t: Column) -> tuple[str | None, str | None, str]:
    return (t.fund, t.goal, t.indicator_group)


def _goal_cap(totals: list[Column], fund: str, goal: str) -> float | None:
    """配点 of the file's own total of one goal (目標Ⅳ: 100 although its items add up to 160)."""
    return next((t.max_points for t in totals if t.level == "goal" and t.fund == fund and t.goal == goal), None)


def expected_values(
    scope: tuple[str | None, str | None, str],
    level: str,
    items: list[Column],
    totals: list[Column],
    item_values: np.ndarray,
    total_values: np.ndarray,
) -> tuple[np.ndarray, float | None, str]:
    """What a subtotal should hold, from the items (rows), its maximum and the rule: a 指標群
    or goal sums its items, a goal capped at its own 配点 when its items are worth more; a
    fund sums its goals; the overall total sums the funds (目標Ⅳ counted in each). A goal
    that the file gives as a total without any item columns counts with the file's value."""
    fund, goal, group = scope
    n = item_values.shape[0]
    if level in ("group", "goal"):
        idx = [k for k, c in enumerate(items) if _in_scope(c, fund, goal, group)]
        values = item_values[:, idx].sum(axis=1) if idx else np.zeros(n)
        maxima = [items[k].max_points for k in idx]
        top = None if any(m is None for m in maxima) else float(sum(maxima))
        cap = _goal_cap(totals, fund, goal) if level == "goal" and fund and goal else None
        if cap is not None and top is not None and top > cap + TOLERANCE:
            return np.minimum(values, cap), cap, f"items capped at 配点 {cap:g}"
        return values, top, "items"
    parts = [(fund, g) for g in ind.GOALS] if level == "fund" else [(f, g) for f in ind.FUNDS for g in ind.GOALS]
    values, top, capped = np.zeros(n), 0.0, False
    for f, g in parts:
        if not any(_in_scope(c, f, g, "") for c in items):
            k = next((k for k, t in enumerate(totals) if t.level == "goal" and (t.fund, t.goal) == (f, g)), None)
            if k is not None:  # a goal total without item columns: the file's own value
                values = values + np.nan_to_num(total_values[:, k])
                m = totals[k].max_points
                top = None if top is None or m is None else top + m
            continue
        v, m, rule = expected_values((f, g, ""), "goal", items, totals, item_values, total_values)
        values = values + v
        top = None if top is None or m is None else top + m
        capped = capped or "capped" in rule
    return values, top, "items (goals capped at their 配点)" if capped else "items"


def check_subtotals(parsed, *, stage: str) -> list[QAEntry]:
    """Every subtotal/total column against the sum of its parts, on every scored row: each
    difference or blank of the prefecture's rows is one QA entry; those of other prefectures
    one entry per column (count and first rows)."""
    qa: list[QAEntry] = []
    ins = parsed.insurers
    in_pref = ins["in_prefecture"].to_numpy(bool)
    for k, t in enumerate(parsed.totals):
        if t.level in ("group", "goal") and not any(_in_scope(c, *_scope_of(t)) for c in parsed.items):
            qa.append(
                QAEntry(
                    stage,
                    parsed.file,
                    "no item columns under this total: not checked",
                    "reported",
                    sheet=parsed.sheet,
                    column=t.label(),
                )
            )
            continue
        expected, _, what = expected_values(
            _scope_of(t), t.level, parsed.items, parsed.totals, parsed.item_values, parsed.total_values
        )
        given = parsed.total_values[:, k]
        diff = given - expected
        wrong = np.isfinite(given) & np.isfinite(expected) & (np.abs(diff) > TOLERANCE)
        blank = ~np.isfinite(given) & np.isfinite(expected)
        for r in np.flatnonzero((wrong | blank) & in_pref):
            reason = (
                f"total column blank; sum of {what} is {expected[r]:g}"
                if blank[r]
                else f"sum of {what} {expected[r]:g} differs from the file's total {given[r]:g} by {-diff[r]:+g}"
            )
            qa.append(
                QAEntry(
                    stage,
                    parsed.file,
                    reason,
                    "reported",
                    sheet=parsed.sheet,
                    row=int(ins["src_row"].iat[r]),
                    column=t.label(),
                    value="" if blank[r] else f"{given[r]:g}",
                )
            )
        other = np.flatnonzero((wrong | blank) & ~in_pref)
        if len(other):
            first = ", ".join(
                f"row {int(ins['src_row'].iat[r])}: {expected[r]:g} vs {given[r]:g}" for r in other[:3]
            ) + (" …" if len(other) > 3 else "")
            qa.append(
                QAEntry(
                    stage,
                    parsed.file,
                    f"{len(other)} row(s) of other prefectures: the file's total differs from the sum of {what} "
                    f"or is blank ({first})",
                    "reported",
                    sheet=parsed.sheet,
                    row=int(ins["src_row"].iat[other[0]]),
                    column=t.label(),
                )
            )
    return qa


def file_column(totals: list[Column], m: Measure) -> int | None:
    """Index in ``totals`` of the file's own column for measure ``m`` (None when absent)."""
    for k, t in enumerate(totals):
        if t.level == m.level and (t.fund or "") == m.fund and (t.goal or "") == m.goal:
            return k
    return None


def measure_values(parsed) -> pd.DataFrame:
    """The score of every scored row for every measure (goal per fund, fund totals, overall),
    long: ``src_row, measure, points, max_points, source`` (``file`` when the file has the
    column, else what it was added up from)."""
    frames = []
    src_rows = parsed.insurers["src_row"].to_numpy()
    for m in MEASURES:
        k = file_column(parsed.totals, m)
        fund = m.fund or None
        goal = m.goal or None
        if k is None and not any(_in_scope(c, fund, goal, "") for c in parsed.items):
            continue  # neither a column of its own nor items: the file does not have this measure
        computed, top, parts = expected_values(
            (fund, goal, ""), m.level, parsed.items, parsed.totals, parsed.item_values, parsed.total_values
        )
        if k is not None and parsed.totals[k].max_points is not None:
            top = parsed.totals[k].max_points
        if k is not None:  # the file's own column; a blank cell (reported) takes the sum of its parts
            given = parsed.total_values[:, k]
            values, source = np.where(np.isfinite(given), given, computed), "file"
        else:
            values, source = computed, f"sum of {parts}"
        frames.append(
            pd.DataFrame(
                {
                    "src_row": src_rows,
                    "measure": m.key,
                    "points": values.astype(float),
                    "max_points": float("nan") if top is None else float(top),
                    "source": source,
                }
            )
        )
    return (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["src_row", "measure", "points", "max_points", "source"])
    )
