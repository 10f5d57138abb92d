"""Facility figures and the counts table on a small synthetic facility list."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from figure_fixtures import _isolated_processed, facilities, figure_texts, population, scheme_fixture, units_fixture  # noqa: F401  fixtures
from matplotlib.collections import PathCollection

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
    """One facility group per panel, markers legible on a slide, area names, the position
    precision and the files' date stated; every mapped group is in one of the stage's figures."""
    assert sorted(g for groups in fac_fig.MAP_SETS.values() for g in groups) == sorted(fac_fig.MAP_GROUPS)
    df = fac.copy()
    assert df.loc[0, "facility_type"] == "hospital"
    df.loc[0, ["lat", "lon"]] = [float("nan"), float("nan")]
    # as stage 03 writes them: the source's point, or the point of the address's town / unit
    df["coord_source"], df["match_level"] = "source", "town"
    df.loc[0, "coord_source"] = "none"
    df.loc[[1, 12, 13], "coord_source"] = "geocoded"
    df.loc[13, "match_level"] = "municipality"
    assert set(df.loc[[1, 12, 13], "facility_type"]) == {"hospital", "clinic"}
    fig = fac_fig.plot_facility_map(df, units, scheme, sample=True, as_of="2025-12-01")
    texts = figure_texts(fig)
    assert [ax.get_title(loc="left").split("（")[0] for ax in fig.axes] == list(fac_fig.MAP_SETS["hospital_clinic"])
    n_shown = int(df["facility_type"].isin(["hospital", "clinic"]).sum()) - 1
    note = next(t for t in texts if t.startswith("注："))
    assert f"出典ファイルの座標{n_shown - 3}、住所の町丁目・大字の代表点2（位置参照情報）、区市町村の代表点1" in note
    assert "位置のない1件は地図に表示せず件数に含む" in note
    assert any("令和7年12月1日時点" in t for t in texts)
    assert all(area in texts for area in scheme.area_names)  # area names on the map
    markers = [c for ax in fig.axes for c in ax.collections if isinstance(c, PathCollection)]
    sizes = [float(np.sqrt(c.get_sizes()).min()) / 72 * 25.4 for c in markers if len(c.get_offsets()) > 1]
    assert sizes and min(sizes) >= 2.0, "markers at least 2 mm across on a slide"
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
