"""Label wording every published artefact shares: the 出典 line, the サンプルデータ mark and
the scenario mark.

Figures, tables, the workbook, the index page and the slides all word these the same way;
change them here only. Terms: docs/glossary.md.
"""

from __future__ import annotations

import os

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
