"""Facility figures and the counts table on a small synthetic facility list."""

from __future__ import annotations

import pandas as pd
import pytest
from figure_fixtures import _isolated_processed, facilities, figure_texts, population, scheme_fixture, units_fixture  # noqa: F401  fixtures

from homecare.core.errors import InputError, ParameterError
from homecare.core.labels import SAMPLE_LABEL, round_significant
from homecare.figures import facilities as fac_fig
from homecare.figures import style
from homecare.population.bands import bands_of_measure
from homecare.population.rates import aged75_by_area


@pytest.fixture(scope="module")
def fac(units, scheme):
    return facilities(units, scheme, n_per_unit=4)


def test_counts_table_totals_and_groups(fac, scheme):
    table = fac_fig.facility_counts_table(fac, scheme)
    assert table["二次保健医療圏"].tolist() == [*scheme.area_names, "県計"]
    total = table.iloc[-1]
    # 特養 = 510 + 540, 特定施設 = 331 + 332
    assert total["特養（施設）"] == fac["facility_type"].isin(["510", "540"]).sum()
    assert total["特定施設（施設）"] == fac["facility_type"].isin(["331", "332"]).sum()
    grouped = sum(total[f"{g}（施設）"] for g in fac_fig.FACILITY_GROUPS)
    assert grouped == len(fac)  # every synthetic type belongs to a group


@pytest.mark.parametrize("area_known", [False, True])
def test_facility_without_unit_is_on_its_own_line_never_in_the_total(fac, scheme, units, area_known):
    df = fac.copy()
    df.loc[0, "municipality_code"] = None  # stage 03 found no unit ...
    if not area_known:
        df.loc[0, "area"] = None  # ... nor an area (with one, it still is not a unit: not in an area row)
    table = fac_fig.facility_counts_table(df, scheme)
    assert table["二次保健医療圏"].tolist() == [*scheme.area_names, "県計", "区市町村不明"]
    table = table.set_index("二次保健医療圏")
    counts = table.filter(like="（施設）")
    # 県計 is the sum of the areas (= of the Kanagawa units), the unknown facility is not in it
    assert (counts.loc["県計"] == counts.loc[scheme.area_names].sum()).all()
    assert counts.loc["県計"].sum() == len(fac) - 1 and counts.loc["区市町村不明"].sum() == 1
    fig = fac_fig.plot_facility_counts(df, scheme, sample=False)
    assert any("区市町村不明の1施設は県計に含めない" in t for t in figure_texts(fig))
    fig = fac_fig.plot_facility_map(df, units, scheme, sample=False)
    assert any("区市町村不明の1施設は含めない" in t for t in figure_texts(fig))


def test_per_aged75_rate(fac, scheme, units):
    pop = population(units, year=2025)
    table = fac_fig.facility_counts_table(fac, scheme, aged75_by_area(pop, scheme, 2025)).set_index("二次保健医療圏")
    members = scheme.assignment().query("area == '県西'")["municipality_code"]
    aged = pop[pop["municipality_code"].isin(members) & pop["age_band"].isin(bands_of_measure("75+"))][
        "population"
    ].sum()
    assert table.at["県西", "75歳以上人口（人、2025年）"] == aged
    rate = table.at["県西", "病院（75歳以上人口10万人当たり、人口は2025年）"]
    assert rate == round_significant(table.at["県西", "病院（施設）"] / aged * 100_000)  # three significant figures
    assert len(f"{rate:.6g}".replace(".", "").lstrip("0")) <= 3
    with pytest.raises(InputError, match="no population rows"):  # a unit missing would understate its area
        aged75_by_area(pop[pop["municipality_code"] != "14101"], scheme, 2025)
    with pytest.raises(ParameterError, match="no rows for 1999"):
        aged75_by_area(pop, scheme, 1999)


def test_facility_map(fac, scheme, units, tmp_path):
    df = fac.copy()
    df.loc[0, ["lat", "lon"]] = [float("nan"), float("nan")]
    fig = fac_fig.plot_facility_map(df, units, scheme, sample=True)
    texts = figure_texts(fig)
    assert sum(t.startswith(tuple(fac_fig.MAP_GROUPS)) and "施設）" in t for t in texts) == len(fac_fig.MAP_GROUPS)
    assert any("位置座標のない1施設" in t for t in texts)
    assert any(SAMPLE_LABEL in t for t in texts) and any("国土数値情報" in t for t in texts)
    style.save_figure(fig, tmp_path, "facility_map")
    with pytest.raises(ParameterError):
        fac_fig.plot_facility_map(df, units, scheme, groups=["歯科"], sample=True)


@pytest.mark.parametrize("with_population", [False, True])
def test_facility_counts_figure(fac, scheme, units, with_population, tmp_path):
    pop = aged75_by_area(population(units), scheme) if with_population else None
    fig = fac_fig.plot_facility_counts(fac, scheme, pop, population_source="テスト人口", sample=False)
    texts = figure_texts(fig)
    assert not any(SAMPLE_LABEL in t for t in texts)
    assert any("75歳以上人口10万人当たり" in t for t in texts) is with_population
    assert any("テスト人口" in t for t in texts) is with_population
    bars = [p.get_width() for p in fig.axes[0].containers[0]]
    table = fac_fig.facility_counts_table(fac, scheme, pop)
    col = "病院（75歳以上人口10万人当たり、人口は2025年）" if with_population else "病院（施設）"
    assert bars == pytest.approx(table[col].iloc[: len(scheme.areas)].astype(float).tolist())
    style.save_figure(fig, tmp_path, "facility_counts")


def test_table_is_deterministic(fac, scheme):
    a = fac_fig.facility_counts_table(fac, scheme)
    b = fac_fig.facility_counts_table(fac.sample(frac=1, random_state=1), scheme)
    pd.testing.assert_frame_equal(a, b)


def test_duplicate_records_count_once(fac, scheme, units, tmp_path):
    df = pd.concat([fac, fac.iloc[[0]]], ignore_index=True)
    df["is_primary"] = True
    df.loc[len(df) - 1, "is_primary"] = False  # the same facility from a second source
    table = fac_fig.facility_counts_table(df, scheme)
    assert table.iloc[-1, 1:].sum() == len(fac)
    fig = fac_fig.plot_facility_map(df, units, scheme, sample=False)
    assert any("重複登録1件は除外" in t for t in figure_texts(fig))
    style.save_figure(fig, tmp_path, "dup")
