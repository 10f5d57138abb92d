"""Score figures: 目標III map/rank/change and indicator profile on small synthetic frames; the
comparison, distribution and missed-items figures on the stage-01 tables of the committed
samples. Every score figure shows 全国平均 and 県平均; 川崎市 is one insurer."""

from __future__ import annotations

import numpy as np
import pytest
from figure_fixtures import (  # noqa: F401  fixtures
    _isolated_processed,
    figure_texts,
    goal3_by_indicator,
    goal3_summary,
    scheme_fixture,
    units_fixture,
)
from scores_fixtures import stage_tables

from homecare.core.errors import ParameterError
from homecare.core.labels import SAMPLE_LABEL
from homecare.figures import common, indicators, scores, style
from homecare.reference import geo


def test_insurers_and_their_areas(scheme, units):
    ia = common.insurer_areas(scheme).set_index("insurer_code")
    assert len(ia) == 33
    assert ia.at["14130", "n_areas"] == 2 and ia.at["14130", "areas"] == "川崎北部、川崎南部"
    assert ia.at["14201", "n_areas"] == 1  # 横須賀・三浦 contains ・ but is one area
    assert len(common.insurer_polygons(units)) == 33


def test_score_table(scheme):
    summary = goal3_summary()
    table = scores.goal3_score_table(summary, scheme, [2024, 2025])
    assert len(table) == 66
    assert list(table.columns)[:4] == ["年度", "二次保健医療圏", "保険者（区市町村）コード", "保険者名"]
    assert set(table["年度"]) == {"令和6年度", "令和7年度"}
    kawasaki = table[(table["保険者名"] == "川崎市") & (table["年度"] == "令和7年度")].iloc[0]
    assert kawasaki["二次保健医療圏"] == "川崎北部、川崎南部"
    with pytest.raises(ParameterError, match="available"):
        scores.goal3_score_table(summary, scheme, [2030])


@pytest.mark.parametrize("sample", [True, False])
def test_score_map_marks_sample_and_credits_n03(scheme, units, sample, tmp_path):
    fig = scores.plot_goal3_score_map(goal3_summary(), units, scheme, 2025, geo.load_prefectures(), sample=sample)
    texts = figure_texts(fig)
    assert any(SAMPLE_LABEL in t for t in texts) is sample
    assert any("国土数値情報" in t for t in texts)
    assert any(t.startswith("横浜市\n") for t in texts)  # the city is labelled once with its value
    assert any("令和7年度" in t for t in texts)
    style.save_figure(fig, tmp_path, "map")  # draws: a missing glyph fails the test


def test_rank_chart_has_every_insurer_previous_year_and_mean(scheme, tmp_path):
    summary = goal3_summary()
    fig = scores.plot_goal3_score_rank(summary, scheme, 2025, sample=True)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 33 and "川崎市※" in labels
    one = summary[summary["fiscal_year"] == 2025].iloc[0]
    texts = figure_texts(fig)
    assert f"県平均 {one['prefecture_mean']:.1f}点" in texts and f"全国平均 {one['national_mean']:.1f}点" in texts
    # current year dots and previous year rings: two scatter collections of 33 points
    sizes = sorted(len(c.get_offsets()) for c in ax.collections if hasattr(c, "get_offsets") and len(c.get_offsets()))
    assert sizes.count(33) >= 2
    style.save_figure(fig, tmp_path, "rank")


def test_change_chart_values_and_first_year_error(scheme, tmp_path):
    summary = goal3_summary()
    fig = scores.plot_goal3_score_change(summary, scheme, 2025, sample=False)
    widths = sorted(p.get_width() for p in fig.axes[0].containers[0])  # the BarContainer of barh
    expected = sorted(summary.loc[summary["fiscal_year"] == 2025, "change_from_previous"])
    assert np.allclose(widths, expected)
    style.save_figure(fig, tmp_path, "change")
    with pytest.raises(ParameterError, match="first year"):
        scores.plot_goal3_score_change(summary, scheme, 2024, sample=False)


def test_indicator_shares_by_area(scheme):
    bi = goal3_by_indicator()
    shares = indicators.indicator_shares(bi, scheme, 2025, "area")
    one = bi[(bi["fiscal_year"] == 2025)]
    ind = "入退院支援の実施状況"
    kawasaki = one[(one["municipality_code"] == "14130") & (one["indicator"] == ind)].iloc[0]
    # 川崎北部 and 川崎南部 are both 川崎市: one row, one measurement, not two
    assert "川崎北部" not in set(shares["row"]) and "川崎南部" not in set(shares["row"])
    row = shares[(shares["row"] == "川崎北部、川崎南部") & (shares["indicator"] == ind)]
    assert len(row) == 1 and row["n_insurers"].iloc[0] == 1 and not row["shared"].iloc[0]
    assert row["share"].iloc[0] == pytest.approx(kawasaki["points"] / kawasaki["max_points"] * 100)
    kensei = scheme.assignment().query("area == '県西'")["municipality_code"]
    sub = one[one["municipality_code"].isin(kensei) & (one["indicator"] == ind)]
    row = shares[(shares["area"] == "県西") & (shares["indicator"] == ind)].iloc[0]
    assert row["share"] == pytest.approx(sub["points"].sum() / sub["max_points"].sum() * 100)


def test_indicator_table_headers_use_per_insurer_maximum(scheme):
    table = indicators.indicator_profile_table(goal3_by_indicator(), scheme, 2025, "area")
    assert "在宅医療・介護連携に関する課題・対応策の検討（満点26点）得点率（%）" in table.columns
    assert len(table) == 8 + 2 and table["目標III 計 得点率（%）"].between(0, 100).all()  # 8 rows + 県平均, 全国平均
    assert list(table["二次保健医療圏"].tail(2)) == ["県平均", "全国平均"]
    with pytest.raises(ParameterError):
        indicators.indicator_shares(goal3_by_indicator(), scheme, 2025, "ward")


def test_area_rows_of_a_scheme_that_splits_a_city_into_three():
    """横浜 split into three areas (scenario): one row 横浜北部、横浜西部、横浜南部 (横浜市)."""
    from homecare.reference import areas

    rows = indicators.area_rows(areas.load_scheme("scenario_yokohama3_kawasaki1"))
    yokohama = rows[rows["insurer_code"] == "14100"]
    assert len(yokohama) == 1 and yokohama["row"].iloc[0].count("、") == 2 and not rows["shared"].any()


def test_insurers_are_cut_into_slides_between_areas(scheme):
    parts = indicators.insurer_parts(scheme)
    assert parts == [scheme.area_names[:7], ["県央", "県西"]]  # 16 and 17 insurers
    assert [a for part in parts for a in part] == scheme.area_names
    assert len(indicators.insurer_parts(scheme, max_rows=40)) == 1
    with pytest.raises(ParameterError, match="do not read on one slide"):
        indicators.plot_indicator_profile(goal3_by_indicator(), scheme, 2025, level="municipality")


@pytest.mark.parametrize("level,areas_,rows", [("area", None, 8 + 2), ("municipality", ["県央", "県西"], 17 + 2)])
def test_indicator_profile_heatmap(scheme, level, areas_, rows, tmp_path):
    fig = indicators.plot_indicator_profile(goal3_by_indicator(), scheme, 2025, level=level, areas=areas_, sample=True)
    image = fig.axes[0].images[0].get_array()
    assert image.shape == (rows, 5)
    assert float(np.nanmax(image)) <= 100 and float(np.nanmin(image)) >= 0
    texts = figure_texts(fig)
    assert "体制・取組指標群" in texts and "活動指標群" in texts and any(SAMPLE_LABEL in t for t in texts)
    assert "全国平均" in texts and any(t.startswith("県平均") for t in texts)
    style.save_figure(fig, tmp_path, f"profile_{level}")


def _has_means(fig) -> bool:
    texts = " ".join(figure_texts(fig))
    return "全国平均" in texts and "県平均" in texts


def test_every_goal3_figure_shows_national_and_prefecture_means(scheme, units):
    summary = goal3_summary()
    assert _has_means(scores.plot_goal3_score_map(summary, units, scheme, 2025, sample=True))
    assert _has_means(scores.plot_goal3_score_rank(summary, scheme, 2025, sample=True))
    assert _has_means(scores.plot_goal3_score_change(summary, scheme, 2025, sample=True))


def test_comparison_figure(scheme, tmp_path):
    t = stage_tables()
    fig = scores.plot_score_comparison(t["score_comparison"], scheme, 2026, sample=True)
    assert _has_means(fig) and len(fig.axes) == 2
    labels = [tk.get_text() for tk in fig.axes[0].get_yticklabels()]
    assert len(labels) == 33 and labels.count("川崎市※") == 1  # one insurer, shown once
    ranks = t["score_comparison"].query("fiscal_year == 2026 and measure == '合計'")["national_rank"]
    texts = figure_texts(fig)
    assert all(f"{r}位" in texts for r in ranks)
    style.save_figure(fig, tmp_path, "comparison")
    with pytest.raises(ParameterError, match="available"):
        scores.plot_score_comparison(t["score_comparison"], scheme, 2030)


def test_distribution_figure_names_who_falls_below_the_threshold(tmp_path):
    t = stage_tables()
    fig = scores.plot_score_distribution(t["national_measures"], t["score_comparison"], 2026, sample=True)
    assert _has_means(fig)
    below = t["score_comparison"].query("fiscal_year == 2026 and measure == '合計' and below_low_threshold")
    texts = figure_texts(fig)
    assert any(t_.startswith("著しく低い水準") for t_ in texts)
    assert all(common.short_name(n) in texts for n in below["municipality_name"])
    bars = sum(p.get_height() for p in fig.axes[0].patches)
    assert bars == len(t["national_measures"].query("fiscal_year == 2026 and measure == '合計'"))
    style.save_figure(fig, tmp_path, "distribution")


def test_missed_items_figure_and_table(scheme, tmp_path):
    t = stage_tables()
    args = (t["insurer_scores"], t["national_benchmark"], t["goal3_missed_items"], scheme, 2026)
    figs = [
        indicators.plot_goal3_missed_items(*args, threshold=0.5, sample=True, areas=part)
        for part in indicators.insurer_parts(scheme)
    ]
    images = [np.asarray(f.axes[0].images[0].get_array()) for f in figs]
    assert [i.shape for i in images] == [(16, 31), (17, 31)]
    missed = t["goal3_missed_items"].query("fiscal_year == 2026")
    assert sum(int((i == 1).sum()) for i in images) == len(missed)  # highlighted cells = missed common items
    fig = figs[0]
    texts = figure_texts(fig)
    assert "全国平均の該当率（％）" in texts and "県平均の該当率（％）" in texts and _has_means(fig)
    table = indicators.missed_items_table(*args)
    assert len(table) == 33 + 2 and table["基準以上なのに0点の項目数"].sum() == len(missed)
    style.save_figure(fig, tmp_path, "missed")
