"""Label wording every published artefact shares: the 出典 line, the サンプルデータ mark, the
scenario mark and how rates are rounded and printed (three significant figures).

Figures, tables, the workbook, the index page and the slides all word these the same way;
change them here only. Terms: docs/glossary.md.
"""

from __future__ import annotations

import math
import os
import re
import unicodedata


def compact_label(text: object) -> str:
    """A label in the form labels are compared in (never written out): NFKC (``～`` becomes
    ``~``, full-width digits ASCII) and no spaces (U+3000 included); None is ""."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", "" if text is None else str(text)))


SAMPLE_LABEL = "サンプルデータ"
SCENARIO_ENV = "HOMECARE_SCENARIO"  # set by the runner while a scenario (not the official run) runs
SOURCE_PREFIX = "出典"


def source_line(source: str) -> str:
    """A source as printed under a figure or table: ``出典：<source>`` unless it already starts
    with 出典 (credit lines such as the N03 one are given in full)."""
    return source if source.startswith(SOURCE_PREFIX) else f"{SOURCE_PREFIX}：{source}"


def source_lines(sources: list[str]) -> list[str]:
    """:func:`source_line` of every source, duplicates dropped, order kept."""
    return [source_line(s) for s in dict.fromkeys(sources)]


def current_scenario() -> str | None:
    """The scenario being run (``run.scenario`` of a parameter file other than the official
    one), or None for the official pipeline and for work outside the runner."""
    return os.environ.get(SCENARIO_ENV) or None


def scenario_label(name: str) -> str:
    """What every figure and sheet of a scenario run says, so it is never taken for the official one."""
    return f"シナリオ「{name}」（検討用・公式の数値ではありません）"


SIGNIFICANT_DIGITS = 3  # every published rate is rounded to, and labelled with, three significant figures
MISSING_NUMBER = "–"


def _finite(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def round_significant(value: float, digits: int = SIGNIFICANT_DIGITS) -> float:
    """``value`` rounded to ``digits`` significant figures (``0.012345`` -> ``0.0123``,
    ``54321`` -> ``54300.0``); zero, NaN and infinities unchanged."""
    number = _finite(value)
    if number is None or number == 0:
        return value
    return round(number, digits - 1 - math.floor(math.log10(abs(number))))


def format_significant(value: object, digits: int = SIGNIFICANT_DIGITS) -> str:
    """A number as printed on a figure: ``digits`` significant figures, thousands separated,
    trailing zeros kept (``0.0980``, ``12.3``, ``540``, ``1,230``); ``–`` for a missing value."""
    number = _finite(value)
    if number is None:
        return MISSING_NUMBER
    if number == 0:
        return "0"
    rounded = round_significant(number, digits)
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(rounded))))
    return f"{rounded:,.{decimals}f}"
