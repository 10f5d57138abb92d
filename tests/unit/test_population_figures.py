"""Each demand-outlook figure on small data: draws, carries title, 出典 and the sample mark,
and (pyproject turns missing-glyph warnings into errors) renders every Japanese character."""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from figure_fixtures import figure_texts
from population_fixtures import flat_population

from homecare.figures import demand as figures
from homecare.population import aggregate, demand, supply
from homecare.population.bands import bands_of_measure
from homecare.reference import areas, geo

SOURCES = ["テスト用人口"]
GROUPS = {"訪問看護": ("130",), "診療所": ("clinic",), "特養": ("510", "540")}


@pytest.fixture(scope="module")
def outlook() -> dict:
    pop = flat_population((2020, 2030, 2040))
    old = pop["age_band"].isin(bands_of_measure("75+"))
    pop.loc[old & (pop["year"] == 2040), "population"] = 15.0
    pop.loc[(pop["municipality_code"] == "14131") & (pop["year"] == 2040), "population"] *= 1.5
    weights = demand.load_weights()
    schemes = {s: areas.load_scheme(s) for s in ("secondary_medical_area", "scenario_yokohama3_kawasaki1")}
    ap = {s: aggregate.area_population(pop, sch) for s, sch in schemes.items()}
    idx = {s: demand.demand_index(aggregate.with_prefecture(a), weights) for s, a in ap.items()}
    fac = pd.DataFrame(
        {
            "municipality_code": ["14101", "14131", "14201", "14402"],
            "facility_type": ["130", "130", "clinic", "clinic"],
            "facility_type_label": ["訪問看護", "訪問看護", "一般診療所", "一般診療所"],
        }
    )
    return {
        "pop": pop,
        "schemes": schemes,
        "ap": ap,
        "idx": idx,
        "supply": supply.facilities_per_75(fac, pop, schemes["secondary_medical_area"], GROUPS, population_year=2020),
    }


def _render(fig) -> list[str]:
    fig.savefig(io.BytesIO(), format="png", dpi=40)  # draws every glyph: missing ones raise
    _title_clear_of_sample_mark(fig)
    texts = figure_texts(fig)
    plt.close(fig)
    return texts


def _title_clear_of_sample_mark(fig) -> None:
    """The title must not run into the サンプルデータ mark (long scenario scheme labels)."""
    fig.canvas.draw()  # measure both at the figure's own dpi
    renderer = fig.canvas.get_renderer()
    title = fig._suptitle.get_window_extent(renderer)
    marks = [t for t in fig.texts if t.get_text().startswith("サンプルデータ")]
    for mark in marks:
        box = (
            mark.get_bbox_patch().get_window_extent(renderer)
            if mark.get_bbox_patch()
            else mark.get_window_extent(renderer)
        )
        assert title.x1 < box.x0, f"title {fig._suptitle.get_text()!r} overlaps the sample mark"


def _check(texts: list[str], *must: str) -> None:
    joined = "\n".join(texts)
    assert "サンプルデータ" in joined and "出典：テスト用人口" in joined
    for m in must:
        assert m in joined, m


def test_demand_index_lines(outlook) -> None:
    sm = outlook["schemes"]["secondary_medical_area"]
    fig = figures.plot_demand_index(outlook["idx"]["secondary_medical_area"], sm, sources=SOURCES, sample=True)
    _check(_render(fig), "医療需要指数（2020年＝100）", "介護需要指数", "2040年", "川崎南部", "神奈川県")


def test_demand_map(outlook) -> None:
    sm = outlook["schemes"]["secondary_medical_area"]
    fig = figures.plot_demand_map(
        outlook["idx"]["secondary_medical_area"], geo.load_units(), sm, sources=SOURCES, sample=True
    )
    texts = _render(fig)
    _check(texts, "2040年の医療・介護需要指数", "国土数値情報")
    assert any(t.startswith("川崎南部\n") for t in texts)


def test_population_pyramids(outlook) -> None:
    sm = outlook["schemes"]["secondary_medical_area"]
    fig = figures.plot_population_pyramids(outlook["ap"]["secondary_medical_area"], sm, sources=SOURCES, sample=True)
    texts = _render(fig)
    _check(texts, "2020年→2040年", "85-89", "95+", "全圏域で同じ目盛り")
    # 75+ bands go from 10 to 15 persons per unit: +50% everywhere
    assert "横浜（75歳以上 +50%）" in texts


def test_facilities_per_75(outlook) -> None:
    sm = outlook["schemes"]["secondary_medical_area"]
    fig = figures.plot_facilities_per_75(
        outlook["supply"], sm, groups=["訪問看護", "診療所"], population_year=2020, sources=SOURCES, sample=False
    )
    texts = _render(fig)
    joined = "\n".join(texts)
    assert "サンプルデータ" not in joined and "訪問看護" in texts and "75歳以上人口10万人当たり施設数" in joined
    assert "現在（施設数÷2020年の75歳以上人口）" in texts
    # labels: three significant figures of the 2040 rate (横浜: 1 facility / (18 wards x 5 bands x 15) x 10万)
    assert "74.1（-33%）" in texts
    with pytest.raises(ValueError, match="not in the supply table"):
        figures.plot_facilities_per_75(outlook["supply"], sm, groups=["老健"], sources=SOURCES, sample=False)


@pytest.mark.parametrize("scheme_id", ["scenario_yokohama3_kawasaki1", "elderly_care_area"])
def test_long_scheme_labels_fit(outlook, scheme_id) -> None:
    """Every per-scheme figure for a scenario/verify scheme: title clear of the sample mark."""
    scheme = areas.load_scheme(scheme_id)
    ap = aggregate.area_population(outlook["pop"], scheme)
    idx = demand.demand_index(aggregate.with_prefecture(ap), demand.load_weights())
    fac = pd.DataFrame({"municipality_code": ["14101"], "facility_type": ["130"]})
    sup = supply.facilities_per_75(fac, outlook["pop"], scheme, GROUPS, population_year=2020)
    for fig in (
        figures.plot_demand_index(idx, scheme, sources=SOURCES, sample=True),
        figures.plot_demand_map(idx, geo.load_units(), scheme, sources=SOURCES, sample=True),
        figures.plot_population_pyramids(ap, scheme, sources=SOURCES, sample=True),
        figures.plot_facilities_per_75(sup, scheme, groups=["訪問看護"], sources=SOURCES, sample=True),
    ):
        texts = _render(fig)
        assert any(scheme.label in t for t in texts)


def test_scenario_comparison(outlook) -> None:
    s = outlook["schemes"]
    fig = figures.plot_scenario_comparison(
        outlook["idx"]["secondary_medical_area"],
        s["secondary_medical_area"],
        outlook["idx"]["scenario_yokohama3_kawasaki1"],
        s["scenario_yokohama3_kawasaki1"],
        sources=SOURCES,
        sample=True,
    )
    axes = fig.axes[:2]
    assert axes[0].get_ylim() == axes[1].get_ylim()  # one scale: compared by eye
    _check(_render(fig), "圏域案の比較", "検討案（横浜3圏域・川崎1圏域）", "横浜北部", "川崎北部")
