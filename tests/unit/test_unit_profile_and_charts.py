"""The unit profile behind the index map's panel, and the native chart specs of the deck."""

from __future__ import annotations

import pandas as pd
import pytest
from figure_fixtures import facilities, goal3_summary, population, scheme_fixture, units_fixture  # noqa: F401

from homecare.figures import charts
from homecare.population import rates
from homecare.publish import unit_profile


@pytest.fixture(scope="module")
def profile(scheme, units):
    summary = goal3_summary((2025, 2026))
    fac = facilities(units, scheme)
    pop = pd.concat([population(units, year=y, seed=y) for y in (2020, 2025, 2040)], ignore_index=True)
    table = unit_profile.unit_profile_table(
        scheme, summary, fac, pop, fiscal_year=2026, base_year=2020, population_year=2025, target_year=2040
    )
    return {"table": table, "summary": summary, "fac": fac, "pop": pop}


def test_one_row_per_unit_with_its_area_and_insurer(profile, scheme) -> None:
    t = profile["table"].set_index(unit_profile.CODE)
    assert len(t) == 58 and t.index.is_unique
    assert t.at["14101", unit_profile.NAME] == "横浜市鶴見区" and t.at["14101", "保険者"] == "横浜市"
    assert t.at["14133", unit_profile.AREA] == "川崎南部" and t.at["14137", unit_profile.AREA] == "川崎北部"
    assert t.at["14201", "保険者"] == "横須賀市"


def test_a_ward_shows_its_citys_score_and_the_means(profile) -> None:
    t = profile["table"].set_index(unit_profile.CODE)
    s = profile["summary"]
    city = s[(s["fiscal_year"] == 2026) & (s["municipality_code"] == "14130")].iloc[0]
    score = "目標III 得点（点、令和8年度）"
    assert t.at["14131", score] == city["points"] == t.at["14137", score]
    assert t.at["14131", "目標III 県平均（点）"] == round(city["prefecture_mean"], 1)
    assert t.at["14131", "目標III 全国平均（点）"] == round(city["national_mean"], 1)
    assert t.at["14131", "目標III 県内順位（位、33保険者中）"] == city["rank"]


def test_facility_counts_rates_and_the_75_plus_change(profile) -> None:
    t = profile["table"].set_index(unit_profile.CODE)
    fac, pop = profile["fac"], profile["pop"]
    clinics = int(((fac["municipality_code"] == "14382") & (fac["facility_type"] == "clinic")).sum())
    assert t.at["14382", "診療所（施設）"] == clinics
    aged = unit_profile.aged75_by_unit(pop, [2020, 2025, 2040]).loc["14382"]
    assert t.at["14382", rates.population_header(2040)] == round(aged[2040])
    expected_rate = rates.published_rate(pd.Series([clinics / aged[2025] * rates.PER])).iloc[0]
    assert t.at["14382", rates.rate_header("診療所", 2025)] == expected_rate
    change = "75歳以上人口の増減率（%、2020→2040年）"
    assert t.at["14382", change] == round(100 * (aged[2040] / aged[2020] - 1), 1)


def test_a_missing_population_year_is_an_error(profile, scheme) -> None:
    with pytest.raises(ValueError, match=r"no rows for \[2050\]"):
        unit_profile.unit_profile_table(
            scheme,
            profile["summary"],
            profile["fac"],
            profile["pop"],
            fiscal_year=2026,
            base_year=2020,
            population_year=2025,
            target_year=2050,
        )


TABLE = pd.DataFrame(
    {
        "圏域": ["横浜", "県西", "県計"],
        "病院（施設）": [15, 2, 17],
        "診療所（施設）": [55, 8, 63],
    }
)


def test_chart_specs_name_columns_of_the_published_table() -> None:
    specs = charts.per_column(TABLE, "圏域", ["病院（施設）", "診療所（施設）"], exclude=[("圏域", "県計")])
    assert [s.title for s in specs] == ["病院", "診療所"] and all(s.exclude == (("圏域", "県計"),) for s in specs)
    with pytest.raises(ValueError, match="chart columns not in the published table: \\['老健（施設）'\\]"):
        charts.per_column(TABLE, "圏域", ["老健（施設）"])
    long = pd.DataFrame({"指数": ["医療", "医療", "介護"], "圏域": ["横浜", "県西", "横浜"], "2020年": [100, 100, 100]})
    panels = charts.per_group(long, "指数", "圏域", ["2020年"], colors={"横浜": "#332288"})
    assert [p.where for p in panels] == [(("指数", "医療"),), (("指数", "介護"),)]
    assert panels[0].by_row and panels[0].colors == (("横浜", "#332288"),)


def test_colours_by_category_only_for_a_single_series() -> None:
    one = charts.one_panel(TABLE, "圏域", ["病院（施設）"], colors={"横浜": "#332288"})
    two = charts.one_panel(TABLE, "圏域", ["病院（施設）", "診療所（施設）"], colors={"横浜": "#332288"})
    assert one.colors and not two.colors
