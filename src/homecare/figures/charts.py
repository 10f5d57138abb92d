"""Native chart specifications for the slide deck (スライドのグラフ), built from a published
table's own columns.

A bar or line figure is redrawn on its slide as editable PowerPoint charts, one per panel
(:class:`homecare.figures.style.ChartSpec`). The specs name columns of the table the figure
is published with, so they are made from that table here and checked against it: a renamed
column is an error when the stage runs, not an empty chart in the deck.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from homecare.figures.style import ChartSpec

COUNT_FORMAT = "#,##0"
RATE_FORMAT = "#,##0.0"
TOTAL_COLOR = "#555555"  # 県計, 全国 and the prefecture line: grey, never an area's colour


def _check(table: pd.DataFrame, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"chart columns not in the published table: {missing}; columns: {list(table.columns)}")


def _pairs(colors: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((colors or {}).items()))


def panel_title(column: str) -> str:
    """A column's subject as a panel title: ``病院（施設）`` -> ``病院``."""
    return column.split("（")[0].strip()


def per_column(
    table: pd.DataFrame,
    category: str,
    columns: Sequence[str],
    *,
    kind: str = "barh",
    titles: Sequence[str] | None = None,
    exclude: Sequence[tuple[str, str]] = (),
    unit: str = "",
    number_format: str = RATE_FORMAT,
    colors: Mapping[str, str] | None = None,
    measure: str = "",
) -> list[ChartSpec]:
    """One panel per value column (small multiples: one facility type per panel), the
    ``category`` column (areas) on the category axis."""
    _check(table, [category, *columns])
    names = list(titles) if titles is not None else [panel_title(c) for c in columns]
    return [
        ChartSpec(
            kind,
            category,
            (c,),
            exclude=tuple(exclude),
            unit=unit,
            title=t,
            number_format=number_format,
            colors=_pairs(colors),
            measure=measure,
        )
        for c, t in zip(columns, names, strict=True)
    ]


def one_panel(
    table: pd.DataFrame,
    category: str,
    series: Sequence[str],
    *,
    kind: str = "barh",
    exclude: Sequence[tuple[str, str]] = (),
    where: Sequence[tuple[str, str]] = (),
    unit: str = "",
    title: str = "",
    number_format: str = RATE_FORMAT,
    colors: Mapping[str, str] | None = None,
    measure: str = "",
) -> ChartSpec:
    """One chart with a series per column of ``series`` (2025 and 2040 side by side)."""
    _check(table, [category, *series, *(c for c, _ in (*exclude, *where))])
    return ChartSpec(
        kind,
        category,
        tuple(series),
        where=tuple(where),
        exclude=tuple(exclude),
        unit=unit,
        title=title,
        number_format=number_format,
        colors=_pairs(colors) if len(series) == 1 else (),  # by category only for one series
        measure=measure,
    )


def per_group(
    table: pd.DataFrame,
    group: str,
    category: str,
    columns: Sequence[str],
    *,
    kind: str = "line",
    by_row: bool = True,
    unit: str = "",
    number_format: str = RATE_FORMAT,
    colors: Mapping[str, str] | None = None,
    measure: str = "",
) -> list[ChartSpec]:
    """One panel per value of ``group`` in table order (医療需要指数, 介護需要指数; one network
    per panel). With ``by_row`` each row is a series and ``columns`` the categories (years)."""
    _check(table, [group, category, *columns])
    return [
        ChartSpec(
            kind,
            category,
            tuple(columns),
            where=((group, str(value)),),
            by_row=by_row,
            unit=unit,
            title=str(value),
            number_format=number_format,
            colors=_pairs(colors),
            measure=measure,
        )
        for value in dict.fromkeys(table[group].astype(str))
    ]
