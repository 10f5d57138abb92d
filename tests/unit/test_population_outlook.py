"""Aggregation by area scheme, validation, apportioning rules, demand-index arithmetic and
facilities per 10万人 aged 75+."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from population_fixtures import flat_population

from homecare.core.errors import InputError
from homecare.population import aggregate, apportion, demand, supply
from homecare.population.bands import AGE_BANDS
from homecare.reference import areas

N_BANDS = len(AGE_BANDS)


def test_area_population_for_the_official_scheme() -> None:
    pop = flat_population()
    ap = aggregate.area_population(pop, areas.load_scheme("secondary_medical_area"))
    totals = ap[ap["year"] == 2020].groupby("area", sort=False)["population"].sum()
    assert list(totals.index) == [
        "横浜",
        "川崎北部",
        "川崎南部",
        "相模原",
        "横須賀・三浦",
        "湘南東部",
        "湘南西部",
        "県央",
        "県西",
    ]
    # 10 persons per unit and band: 横浜 has 18 wards, 川崎北部 4, 川崎南部 3
    assert totals["横浜"] == 18 * N_BANDS * 10
    assert totals["川崎北部"] == 4 * N_BANDS * 10 and totals["川崎南部"] == 3 * N_BANDS * 10
    assert totals.sum() == 58 * N_BANDS * 10


def test_area_population_for_the_scenario_scheme() -> None:
    pop = flat_population()
    scheme = areas.load_scheme("scenario_yokohama3_kawasaki1")
    ap = aggregate.area_population(pop, scheme)
    totals = ap[ap["year"] == 2040].groupby("area", sort=False)["population"].sum()
    assert list(totals.index) == scheme.area_names
    assert totals["川崎"] == 7 * N_BANDS * 10
    assert totals[["横浜北部", "横浜西部", "横浜南部"]].sum() == 18 * N_BANDS * 10


def test_scheme_leaving_a_unit_out_is_an_error() -> None:
    scheme = areas.load_scheme()
    first = scheme.areas[0]
    cut = dataclasses.replace(scheme, areas=(dataclasses.replace(first, members=first.members[1:]), *scheme.areas[1:]))
    with pytest.raises(InputError, match=f"leaves units out of every area: \\['{first.members[0]}'\\]"):
        aggregate.area_population(flat_population(), cut)


def test_incomplete_years_and_bands_are_errors() -> None:
    pop = flat_population()
    aggregate.check_complete(pop)
    with pytest.raises(InputError, match="missing") as exc:
        aggregate.check_complete(pop[~((pop["municipality_code"] == "14402") & (pop["age_band"] == "95+"))])
    assert "14402" in str(exc.value) and "95+" in str(exc.value)
    with pytest.raises(InputError, match="years \\[2040\\]"):
        aggregate.check_complete(pop[~((pop["municipality_code"] == "14101") & (pop["year"] == 2040))])
    with pytest.raises(InputError, match="missing"):
        aggregate.check_complete(pop, years=[2020, 2030, 2040])


def test_area_sums_must_match_prefecture() -> None:
    pop = flat_population()
    ap = aggregate.area_population(pop, areas.load_scheme())
    broken = ap.copy()
    broken.loc[0, "population"] += 3
    with pytest.raises(InputError, match="do not add up to the prefecture total"):
        aggregate.check_area_sums(pop, broken)


def test_totals_check_with_rounding_tolerance() -> None:
    pop = flat_population((2020,))
    ok = pd.DataFrame(
        {
            "municipality_code": ["14000", "14130", "14101"],
            "year": 2020,
            "measure": ["total", "75+", "0-4"],
            "population": [58 * N_BANDS * 10, 7 * 5 * 10 + 5, 10],
        }
    )
    assert aggregate.check_totals(pop, ok) == 3  # 14130 75+: 35 cells, so up to 17.5 persons of rounding
    bad = ok.assign(population=[58 * N_BANDS * 10, 7 * 5 * 10 + 18, 10])
    with pytest.raises(InputError, match="75\\+ \\(男女計\\) total for 14130"):
        aggregate.check_totals(pop, bad)


def test_aged_shares() -> None:
    sh = aggregate.aged_shares(aggregate.area_population(flat_population(), areas.load_scheme()))
    pref = sh[(sh["area"] == "神奈川県") & (sh["year"] == 2020)].iloc[0]
    # 65+ = 7 of the 20 bands (65-69 ... 90-94, 95+), 75+ = 5
    assert pref["share65"] == pytest.approx(7 / 20) and pref["share75"] == pytest.approx(5 / 20)
    assert pref["total"] == 58 * N_BANDS * 10


def _city_rows(values: dict[str, float], year: int = 2040) -> pd.DataFrame:
    return pd.DataFrame(
        {"municipality_code": "14150", "year": year, "age_band": list(values), "population": list(values.values())}
    )


def test_apportion_rules_by_hand() -> None:
    # 相模原市: 緑区 14151, 中央区 14152, 南区 14153; base year shares differ by band
    base = pd.DataFrame(
        [
            ("14151", 2020, "0-4", 10.0),
            ("14152", 2020, "0-4", 30.0),
            ("14153", 2020, "0-4", 60.0),
            ("14151", 2020, "95+", 50.0),
            ("14152", 2020, "95+", 25.0),
            ("14153", 2020, "95+", 25.0),
        ],
        columns=["municipality_code", "year", "age_band", "population"],
    )
    city = _city_rows({"0-4": 200.0, "95+": 400.0})
    band = apportion.apportion_to_wards(city, base, rule="base_year_band_share").set_index(
        ["municipality_code", "age_band"]
    )["population"]
    assert band[("14151", "0-4")] == pytest.approx(20) and band[("14153", "0-4")] == pytest.approx(120)
    assert band[("14151", "95+")] == pytest.approx(200) and band[("14152", "95+")] == pytest.approx(100)
    total = apportion.apportion_to_wards(city, base, rule="base_year_total_share").set_index(
        ["municipality_code", "age_band"]
    )["population"]
    # total shares: 緑 60/200, 中央 55/200, 南 85/200
    assert total[("14151", "0-4")] == pytest.approx(60) and total[("14153", "95+")] == pytest.approx(170)
    assert total.sum() == pytest.approx(600) and band.sum() == pytest.approx(600)


def test_apportion_errors() -> None:
    base = pd.DataFrame([("14151", 2020, "0-4", 1.0)], columns=["municipality_code", "year", "age_band", "population"])
    with pytest.raises(InputError, match="lacks wards"):
        apportion.apportion_to_wards(_city_rows({"0-4": 1.0}), base)
    with pytest.raises(InputError, match="unknown apportioning rule"):
        apportion.apportion_to_wards(_city_rows({"0-4": 1.0}), base, rule="equal")


JMAP_WEIGHTS = """indices:
  medical:
    label: 医療需要指数
    weights: {"0-14": 0.6, "15-39": 0.4, "40-64": 1.0, "65-74": 2.3, "75+": 3.9}
  care:
    label: 介護需要指数
    weights: {"40-64": 1.0, "65-74": 9.7, "75+": 87.3}
"""


def test_demand_index_against_hand_computation(tmp_path) -> None:
    """Fixed weights written here, so editing the project's weights file does not move this case."""
    path = tmp_path / "weights.yml"
    path.write_text(JMAP_WEIGHTS, encoding="utf-8")
    weights = demand.load_weights(path)
    area_pop = pd.DataFrame(
        [
            ("A", 0, 2020, "0-4", 100.0),
            ("A", 0, 2020, "75-79", 200.0),
            ("A", 0, 2020, "50-54", 0.0),
            ("A", 0, 2040, "0-4", 50.0),
            ("A", 0, 2040, "80-84", 300.0),
            ("A", 0, 2040, "50-54", 100.0),
        ],
        columns=["area", "area_order", "year", "age_band", "population"],
    )
    idx = demand.demand_index(area_pop, weights).set_index(["index_id", "year"])["index"]
    # medical: 2020 = 100*0.6 + 200*3.9 = 840; 2040 = 50*0.6 + 300*3.9 + 100*1.0 = 1300
    assert idx[("medical", 2020)] == pytest.approx(100)
    assert idx[("medical", 2040)] == pytest.approx(100 * 1300 / 840)
    # care: 2020 = 200*87.3 = 17460; 2040 = 300*87.3 + 100*1.0 = 26290 (0-4 weighs 0)
    assert idx[("care", 2040)] == pytest.approx(100 * 26290 / 17460)


def test_weights_file_is_data(tmp_path) -> None:
    w = demand.load_weights()
    assert w.index("medical").band_weights["10-14"] == 0.6 and w.index("medical").band_weights["15-19"] == 0.4
    assert w.index("care").band_weights["35-39"] == 0.0 and w.index("care").band_weights["95+"] == 87.3
    assert w.index("care").band_weights["90-94"] == 87.3
    assert "JMAP" in w.source
    custom = tmp_path / "w.yml"
    custom.write_text(
        "indices:\n  x:\n    label: X\n    weights:\n      '0-14': 1\n      '10-19': 2\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match="band 10-14 is in both"):
        demand.load_weights(custom)
    custom.write_text("indices:\n  x:\n    weights:\n      '15-37': 1\n", encoding="utf-8")
    with pytest.raises(InputError, match="not the end of a 5-year band"):
        demand.load_weights(custom)


GROUPS = {"訪問看護": ("130",), "病院": ("hospital",), "特養": ("510", "540")}


def _facilities() -> pd.DataFrame:
    rows = (
        [("14101", "130")] * 4
        + [("14131", "130")] * 2
        + [("14201", "hospital")]
        + [(None, "130")]
        + [("14101", "540"), ("14201", "510")]
        + [("14101", "320")]  # a type in none of the groups asked for
    )
    return pd.DataFrame(rows, columns=["municipality_code", "facility_type"])


def test_facilities_per_100000_aged_75() -> None:
    pop = flat_population()
    pop.loc[pop["year"] == 2040, "population"] *= 2  # 75+ doubles by 2040
    out = supply.facilities_per_75(_facilities(), pop, areas.load_scheme(), GROUPS, population_year=2020)
    by = out.set_index(["facility_group", "area"])
    yokohama = by.loc[("訪問看護", "横浜")]
    assert yokohama["facilities"] == 4
    assert yokohama["aged75_now"] == 18 * 5 * 10  # 18 wards x 5 bands (75-79 ... 90-94, 95+) x 10
    assert yokohama["rate_now"] == pytest.approx(100_000 * 4 / 900)
    assert yokohama["rate_target"] == pytest.approx(100_000 * 4 / 1800) and yokohama["change_pct"] == pytest.approx(-50)
    assert by.loc[("訪問看護", "県西"), "facilities"] == 0
    assert by.loc[("訪問看護", "神奈川県"), "facilities"] == 6
    assert by.loc[("病院", "横須賀・三浦"), "facilities"] == 1
    # 特養 is one group of 510 and 540 (地域密着型): both count
    assert by.loc[("特養", "神奈川県"), "facilities"] == 2 and by.loc[("特養", "横浜"), "facility_types"] == "510+540"
    counts = out.attrs["counts"]
    assert counts.rows_in == 11 and counts.kept == 9 and dict(counts.excluded)["without a unit code"] == 1
    assert dict(counts.excluded)["types outside the facility groups shown"] == 1
    # cross-source duplicates (is_primary False) are counted once
    marked = _facilities().assign(is_primary=[True, True, True, False] + [True] * 7)
    again = supply.facilities_per_75(marked, pop, areas.load_scheme(), GROUPS, population_year=2020)
    assert again.set_index(["facility_group", "area"]).loc[("訪問看護", "横浜"), "facilities"] == 3
    assert dict(again.attrs["counts"].excluded)["duplicates of another record (is_primary False)"] == 1


def test_group_without_facilities_is_left_out_and_named() -> None:
    groups = {**GROUPS, "介護医療院": ("550",)}
    out = supply.facilities_per_75(_facilities(), flat_population(), areas.load_scheme(), groups, population_year=2020)
    assert out.attrs["empty_groups"] == ["介護医療院"]
    assert "介護医療院" not in set(out["facility_group"])


def test_facilities_needs_its_columns_and_years() -> None:
    with pytest.raises(InputError, match="lacks columns"):
        supply.facilities_per_75(
            _facilities().drop(columns="facility_type"), flat_population(), areas.load_scheme(), GROUPS
        )
    with pytest.raises(InputError, match="year 2050"):
        supply.facilities_per_75(
            _facilities(), flat_population(), areas.load_scheme(), GROUPS, population_year=2020, target_year=2050
        )
