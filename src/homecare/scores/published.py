"""The national benchmark and the comparison tables as published: Japanese headers with units,
fiscal years as 令和N年度, rates as percentages, 区分 with its meaning.
Terms: docs/glossary.md."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from homecare.scores import indicators as ind

YearLabel = Callable[[int], str]
COMPARISON_NOTE = (
    "全国順位・県内順位は推進・支援合計等の得点の高い順（同点は同順位、1＋上位の保険者数）。全国平均は統計行の平均点、"
    "規模区分（第1号被保険者数による区分）の全国平均はファイルの各行から計算。推進・支援合計の前年度の値は当該年度"
    "ファイルの前年度欄（R7評価指標合計得点等）、その他は前年度のファイル。著しく低い水準＝（平均得点率－2×標準偏差÷配点）×配点。"
)


def _pct(s: pd.Series, digits: int = 1) -> pd.Series:
    return (100 * s.astype(float)).round(digits)


def _size_class(s: pd.Series) -> pd.Series:
    labels = ind.size_class_labels()
    return s.map(lambda v: f"{v}（{labels[v]}）" if v in labels else v)


def national_benchmark(benchmark: pd.DataFrame, year: YearLabel) -> pd.DataFrame:
    """Per item and subtotal: 配点, 平均点, 中央値, 標準偏差, 該当率 as the file states them."""
    b = benchmark
    return pd.DataFrame(
        {
            "年度": b["fiscal_year"].map(year),
            "区別": b["column_kind"].map({"item": "項目", "subtotal": "小計・合計"}),
            "交付金": b["fund"],
            "目標": b["goal"],
            "指標群": b["indicator_group"],
            "指標": b["indicator"],
            "枝番": b["item"],
            "小計・合計の名称": b["label"],
            "列": b["src_column"],
            "配点（点）": b["max_points"],
            "平均点（点）": b["mean"].round(3),
            "平均得点率（％）": _pct(b["mean_rate"]),
            "中央値（点）": b["median"],
            "標準偏差（点）": b["sd"].round(3),
            "該当市町村数": b["n_scoring"],
            "該当率（％）": _pct(b["scoring_rate"]),
            "集計対象の保険者数": b["n_rows"],
        }
    )


def comparison(comp: pd.DataFrame, year: YearLabel) -> pd.DataFrame:
    """The prefecture's insurers against the nation, per measure."""
    c = comp
    return pd.DataFrame(
        {
            "年度": c["fiscal_year"].map(year),
            "市町村コード": c["municipality_code"],
            "保険者名": c["municipality_name"],
            "区分": c["measure_label"],
            "得点（点）": c["points"],
            "配点（点）": c["max_points"],
            "全国平均（点）": c["national_mean"].round(1),
            "県平均（点）": c["prefecture_mean"].round(1),
            "規模区分": _size_class(c["size_class"]),
            "同じ規模区分の全国平均（点）": c["size_class_mean"].round(1),
            "同じ規模区分の保険者数": c["size_class_n"],
            "全国順位（位）": c["national_rank"],
            "全国の保険者数": c["national_n"],
            "県内順位（位）": c["prefecture_rank"],
            "県内の保険者数": c["prefecture_n"],
            "前年度の得点（点）": c["previous_points"],
            "前年度差（点）": c["change_from_previous"],
            "前年度の全国順位（位）": c["previous_rank"],
            "前年度の値の出所": c["previous_source"].map(
                {
                    "file's previous-year column": "当該年度ファイルの前年度欄",
                    "previous year's file": "前年度のファイル",
                    "": "",
                }
            ),
            "著しく低い水準（点）": c["low_threshold"].round(1),
            "著しく低い水準を下回る": np.where(c["below_low_threshold"], "該当", ""),
        }
    )


def low_score_thresholds(t: pd.DataFrame, year: YearLabel) -> pd.DataFrame:
    """The 「著しく得点の低い」 threshold per measure and who falls below it."""
    return pd.DataFrame(
        {
            "年度": t["fiscal_year"].map(year),
            "区分": t["measure_label"],
            "配点（点）": t["max_points"],
            "全国平均（点）": t["national_mean"].round(1),
            "平均得点率（％）": _pct(t["mean_rate"], 2),
            "標準偏差（点）": t["sd"].round(2),
            "著しく低い水準（点）": t["low_threshold"].round(1),
            "算出元": t["source"].map({"file": "ファイルの統計行", "rows": "ファイルの各行から計算"}),
            "全国の保険者数": t["national_n"],
            "水準を下回る保険者数（全国）": t["national_below"],
            "県内の保険者数": t["prefecture_n"],
            "水準を下回る保険者数（県内）": t["prefecture_below"],
            "水準を下回る県内の保険者": t["prefecture_below_names"],
        }
    )


def missed_items(m: pd.DataFrame, year: YearLabel) -> pd.DataFrame:
    """目標III items an insurer misses although most insurers nationally score them."""
    return pd.DataFrame(
        {
            "年度": m["fiscal_year"].map(year),
            "市町村コード": m["municipality_code"],
            "保険者名": m["municipality_name"],
            "指標群": m["indicator_group"],
            "指標": m["indicator"],
            "枝番": m["item"],
            "種別": m["kind"].map({"binary": "取組（該当すれば配点）", "band": "活動（全国順位の帯）"}),
            "配点（点）": m["max_points"],
            "全国の該当率（％）": _pct(m["scoring_rate"]),
        }
    )
