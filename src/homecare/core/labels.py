"""Label wording every published artefact shares: the 出典 line and the サンプルデータ mark.

Figures, tables, the workbook, the index page and the slides all word these the same way;
change them here only. Terms: docs/glossary.md.
"""

from __future__ import annotations

SAMPLE_LABEL = "サンプルデータ"
SOURCE_PREFIX = "出典"


def source_line(source: str) -> str:
    """A source as printed under a figure or table: ``出典：<source>`` unless it already starts
    with 出典 (credit lines such as the N03 one are given in full)."""
    return source if source.startswith(SOURCE_PREFIX) else f"{SOURCE_PREFIX}：{source}"


def source_lines(sources: list[str]) -> list[str]:
    """:func:`source_line` of every source, duplicates dropped, order kept."""
    return [source_line(s) for s in dict.fromkeys(sources)]
