"""The figure-quality check (house style at slide size): every figure function of
``homecare.figures`` draws text of at least 8 pt when the figure is placed on a 16:9 slide, and
the panels of one figure that show one measure share one value and colour scale. The check
itself is shown to fail on deliberately bad figures."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from figure_fixtures import _isolated_processed, facilities, goal3_by_indicator, goal3_summary, population  # noqa: F401
from figure_quality import run_figure_problems
from population_fixtures import flat_population
from scores_fixtures import stage_tables

import homecare.figures
from homecare.figures import classes, style
from homecare.reference import areas, geo, seed

SOURCES = ["テスト用の出典"]


def _schemes():
    return areas.load_scheme(), areas.load_scheme("scenario_yokohama3_kawasaki1")


def _outlook(scheme):
    from homecare.population import aggregate, demand

    pop = flat_population((2020, 2030, 2040))
    pop.loc[pop["municipality_code"].str.startswith("1413") & (pop["year"] == 2040), "population"] *= 1.4
    return pop, demand.demand_index(
        aggregate.with_prefecture(aggregate.area_population(pop, scheme)), demand.load_weights()
    )


def _institutions(units, scheme) -> pd.DataFrame:
    fac = facilities(units, scheme, n_per_unit=1)
    kinds = [("enhanced_single", "", False), ("conventional", "", False), ("", "conventional", False), ("", "", True)]
    rows = [kinds[k % len(kinds)] for k in range(len(fac))]
    return fac.assign(
        support_clinic_type=[r[0] for r in rows],
        support_hospital_type=[r[1] for r in rows],
        backup_hospital=[r[2] for r in rows],
        match_level="town",
    )


def _supply_rates(scheme) -> pd.DataFrame:
    names = [*scheme.area_names, "県計"]
    k = np.arange(len(names), dtype=float)
    return pd.DataFrame(
        {"area": names, "supply_rate_now": 3 + k, "supply_rate_target": 2.5 + k, "clinic_enhanced_share": 20 + 5 * k}
    )


def _activity(groups) -> pd.DataFrame:
    rows = []
    for m, label, base in (("visits", "訪問診療", 900.0), ("calls", "往診", 90.0), ("deaths", "看取り", 15.0)):
        for k, g in enumerate([*groups, "県計", "全国"]):
            rows.append({"measure": m, "group": g, "rate": base * (1 + 0.1 * k), "unit": "件", "label": label})
    return pd.DataFrame(rows)


def _build(key: str):
    """Every figure function on small data; ``key`` is module.function[variant]."""
    from homecare.figures import area_map, cooperation, demand, home_medical, ict, indicators, scores
    from homecare.figures import facilities as fac_fig
    from homecare.population import supply

    scheme, scenario = _schemes()
    units = geo.load_units()
    if key.startswith("scores.") or key.startswith("indicators."):
        summary, by_ind = goal3_summary(), goal3_by_indicator()
    if key == "area_map.plot_area_map":
        return area_map.plot_area_map(units, scheme, geo.load_prefectures())
    if key == "scores.plot_goal3_score_map":
        return scores.plot_goal3_score_map(summary, units, scheme, 2025, geo.load_prefectures(), sample=True)
    if key == "scores.plot_goal3_score_rank":
        return scores.plot_goal3_score_rank(summary, scheme, 2025, sample=True)
    if key == "scores.plot_goal3_score_change":
        return scores.plot_goal3_score_change(summary, scheme, 2025, sample=True)
    if key in ("scores.plot_score_comparison", "scores.plot_score_distribution"):
        t = stage_tables()
        if key.endswith("comparison"):
            return scores.plot_score_comparison(t["score_comparison"], scheme, 2025, sample=True)
        return scores.plot_score_distribution(t["national_measures"], t["score_comparison"], 2025, sample=True)
    if key == "indicators.plot_indicator_profile[area]":
        return indicators.plot_indicator_profile(by_ind, scheme, 2025, sample=True)
    if key.startswith("indicators.plot_indicator_profile[municipality"):
        part = indicators.insurer_parts(scheme)[int(key[-2]) - 1]
        return indicators.plot_indicator_profile(by_ind, scheme, 2025, level="municipality", areas=part, sample=True)
    if key == "indicators.plot_goal3_missed_items":
        t = stage_tables()
        part = indicators.insurer_parts(scheme)[1]
        return indicators.plot_goal3_missed_items(
            t["insurer_scores"],
            t["national_benchmark"],
            t["goal3_missed_items"],
            scheme,
            2025,
            threshold=0.5,
            areas=part,
        )
    if key.startswith("facilities."):
        fac = facilities(units, scheme, n_per_unit=2)
        if key == "facilities.plot_facility_map":
            return fac_fig.plot_facility_map(
                fac, units, scheme, geo.load_prefectures(), as_of="2025-12-01", sample=True
            )
        from homecare.population.rates import aged75_by_area

        aged = aged75_by_area(population(units), scheme, 2025) if key.endswith("[per_aged75]") else None
        return fac_fig.plot_facility_counts(fac, scheme, aged, as_of="2025-12-01", sample=True)
    if key == "cooperation.plot_cooperation_status":
        status = seed.load_cooperation_status()
        return cooperation.plot_cooperation_status(status.data, discrepancies=status.discrepancies)
    if key == "ict.plot_ict_participants":
        return ict.plot_ict_participants(seed.load_ict_networks().data, {"サルビアねっと": 25650})
    if key == "ict.plot_ict_coverage_map":
        return ict.plot_ict_coverage_map(seed.load_ict_coverage().data, units, scheme, geo.load_prefectures())
    if key.startswith("demand."):
        pop, idx = _outlook(scheme)
        if key == "demand.plot_demand_index":
            return demand.plot_demand_index(idx, scheme, sources=SOURCES, sample=True)
        if key == "demand.plot_demand_map":
            return demand.plot_demand_map(idx, units, scheme, sources=SOURCES, sample=True)
        if key == "demand.plot_population_pyramids":
            from homecare.population import aggregate

            return demand.plot_population_pyramids(aggregate.area_population(pop, scheme), scheme, sources=SOURCES)
        if key == "demand.plot_facilities_per_75":
            groups = {"訪問看護": ("130",), "診療所": ("clinic",), "特養": ("510", "540"), "老健": ("520",)}
            ratios = supply.facilities_per_75(
                facilities(units, scheme, n_per_unit=2), pop, scheme, groups, population_year=2020
            )
            return demand.plot_facilities_per_75(
                ratios, scheme, groups=list(groups), population_year=2020, sources=SOURCES
            )
        _, idx_b = _outlook(scenario)
        return demand.plot_scenario_comparison(idx, scheme, idx_b, scenario, sources=SOURCES)
    if key == "home_medical.plot_supply_map":
        inst = _institutions(units, scheme)
        return home_medical.plot_supply_map(inst, units, scheme, as_of="2025-09-01", sources=SOURCES)
    if key == "home_medical.plot_supply_rate_map":
        rates = _supply_rates(scheme).set_index("area")["supply_rate_now"]
        return home_medical.plot_supply_rate_map(
            units, scheme, rates, rate_label="75歳以上人口10万人当たり", year_label="2025年", sources=SOURCES
        )
    if key == "home_medical.plot_supply_rates":
        return home_medical.plot_supply_rates(
            _supply_rates(scheme),
            scheme,
            national_rate=7.0,
            national_enhanced_share=30.0,
            rate_label="75歳以上人口10万人当たり",
            now_label="2025年",
            target_year=2040,
            national_label="全国",
            sources=SOURCES,
        )
    if key == "home_medical.plot_activity_rates":
        groups = ["横浜", "川崎北部＋川崎南部", *scheme.area_names[3:]]
        colors = {g: scheme.colors.get(g, "#999999") for g in groups}
        return home_medical.plot_activity_rates(
            _activity(groups),
            groups,
            colors,
            measures=("visits", "calls", "deaths"),
            withheld={(groups[1], "deaths")},
            rate_label="75歳以上人口10万人当たり",
            national_label="全国",
            scheme_label=scheme.label,
            sources=SOURCES,
        )
    raise KeyError(key)


FIGURES = [
    "area_map.plot_area_map",
    "scores.plot_goal3_score_map",
    "scores.plot_goal3_score_rank",
    "scores.plot_goal3_score_change",
    "scores.plot_score_comparison",
    "scores.plot_score_distribution",
    "indicators.plot_indicator_profile[area]",
    "indicators.plot_indicator_profile[municipality_1]",
    "indicators.plot_indicator_profile[municipality_2]",
    "indicators.plot_goal3_missed_items",
    "facilities.plot_facility_map",
    "facilities.plot_facility_counts[counts]",
    "facilities.plot_facility_counts[per_aged75]",
    "cooperation.plot_cooperation_status",
    "ict.plot_ict_participants",
    "ict.plot_ict_coverage_map",
    "demand.plot_demand_index",
    "demand.plot_demand_map",
    "demand.plot_population_pyramids",
    "demand.plot_facilities_per_75",
    "demand.plot_scenario_comparison",
    "home_medical.plot_supply_map",
    "home_medical.plot_supply_rate_map",
    "home_medical.plot_supply_rates",
    "home_medical.plot_activity_rates",
]


def test_every_figure_function_is_checked() -> None:
    """A new plot_* function in homecare.figures must be added to FIGURES (and so be checked)."""
    found = set()
    for info in pkgutil.iter_modules(homecare.figures.__path__):
        module = importlib.import_module(f"homecare.figures.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("plot_") and fn.__module__ == module.__name__:
                found.add(f"{info.name}.{name}")
    assert found == {f.split("[")[0] for f in FIGURES}


@pytest.mark.parametrize("key", FIGURES)
def test_figure_reads_on_a_slide(key: str) -> None:
    fig = _build(key)
    record = style.figure_quality(fig)
    plt.close(fig)
    assert record["min_font_pt_at_slide"] >= style.MIN_SLIDE_PT
    assert style.quality_problems(record) == []


def _bad_figures() -> dict[str, plt.Figure]:
    style.apply_style()
    tiny, ax = plt.subplots(figsize=(13.33, 7.5))
    ax.bar([1, 2], [3, 4])
    ax.text(1, 1, "6 pt の注記", fontsize=6)
    large, ax = plt.subplots(figsize=(26.66, 15))  # 10 pt text on a figure twice the slide: 5 pt on the slide
    ax.bar([1, 2], [3, 4])
    ax.set_title("10 pt", fontsize=10)
    scales, (a, b) = plt.subplots(1, 2, figsize=(13.33, 7.5))
    for ax, top in ((a, 10), (b, 20)):
        ax.barh([0, 1], [3, top])
        ax.set_xlim(0, top)
        style.declare_panel(ax, "施設数", axis="x")
    colours, (a, b) = plt.subplots(1, 2, figsize=(13.33, 7.5))
    for ax, values in ((a, [85, 117]), (b, [65, 135])):  # 06_demand_map_2040 before: 85–117 vs 65–135
        ax.bar([0, 1], [1, 1])
        style.declare_panel(ax, "需要指数", classes=classes.nice_classes(values, cmap="RdBu_r", center=100))
    undeclared, (a, b) = plt.subplots(1, 2, figsize=(13.33, 7.5))
    a.bar([0], [1])
    b.bar([0], [2])
    figs = {"tiny": tiny, "large": large, "scales": scales, "colours": colours, "undeclared": undeclared}
    for fig in figs.values():
        style.finish_figure(fig, title="悪い図の例", sources=SOURCES, sample=False)
    badge, ax = plt.subplots(figsize=(13.33, 7.5))
    ax.bar([0], [1])
    style.finish_figure(
        badge, title="サンプルデータの印の下まで続く、とても長い題名の例" * 2, sources=SOURCES, sample=True
    )
    touching, ax = plt.subplots(figsize=(13.33, 7.5))  # 07's rate map once: the bracket against the box
    ax.bar([0], [1])
    style.finish_figure(
        touching,
        title="在宅療養支援診療所・病院の地図：二次保健医療圏別（75歳以上人口10万人当たり）",
        sources=SOURCES,
        sample=True,
    )
    return {**figs, "badge": badge, "touching": touching}


def test_the_check_fails_on_bad_figures(tmp_path) -> None:
    """Text under 8 pt at slide size, panels of one measure on two scales, undeclared panels, a
    title under the サンプルデータ mark (also cut off at the edge) or touching its box: each caught, both in memory and
    from the record save_figure writes."""
    expected = {
        "tiny": "text at 6.0 pt",
        "large": "text at 5.0 pt",
        "scales": "panels of '施設数' use different limits",
        "colours": "panels of '需要指数' use different classes",
        "undeclared": "panels without a declared measure",
        "badge": "title runs under the サンプルデータ mark",
        "touching": "title runs under the サンプルデータ mark (or touches it)",
    }
    for name, fig in _bad_figures().items():
        problems = style.quality_problems(style.figure_quality(fig))
        assert any(expected[name] in p for p in problems), (name, problems)
        style.save_figure(fig, tmp_path, name)
    found = run_figure_problems(tmp_path)
    assert sorted(found) == sorted(expected)
    record = json.loads((tmp_path / "figures" / "tiny.json").read_text(encoding="utf-8"))
    assert record["quality"]["min_font_pt_at_slide"] == 6.0


def test_hidden_text_is_not_measured() -> None:
    """Tick labels outside the view and texts outside the figure are never drawn, so never counted."""
    style.apply_style()
    fig, ax = plt.subplots(figsize=(13.33, 7.5))
    ax.plot([0, 1], [0, 1])
    ax.text(5, 5, "見えない 4 pt", fontsize=4, transform=ax.transAxes)  # far outside the figure
    ax.text(0.5, 0.5, "見える", fontsize=4, visible=False)
    record = style.figure_quality(fig)
    plt.close(fig)
    assert style.quality_problems(record) == []


def _greedy_wrap(line: str, indent: str, limit: float, width) -> list[str]:
    """The plain character-by-character wrap that style.wrap_text must equal."""
    out, current = [], ""
    for ch in line:
        if current.strip() and width(current + ch) > limit:
            out.append(current)
            current = indent
        current += ch
    return [*out, current]


def test_wrap_text_breaks_where_a_character_by_character_wrap_would() -> None:
    width = style._measure(style.NOTE_SIZE)
    notes = [
        "注："
        + "位置の精度：出典ファイルの座標184、住所の町丁目・大字の代表点20（位置参照情報）（代表点は所在地そのものではない）。"
        * 4,
        "出典：厚生労働省「在宅医療にかかる地域別データ集」（令和6年3月31日）、総務省統計局「人口推計」 " * 3,
        "short",
        "",
        "　 " + "空白で始まる長い行、" * 30,
    ]
    for width_in in (3.0, 12.8):
        for note in notes:
            indent = "　" if note.startswith("注：") else ""
            expected = _greedy_wrap(note, indent, width_in * 72, width) if width(note) > width_in * 72 else [note]
            assert style.wrap_text(note, width_in, style.NOTE_SIZE) == expected
