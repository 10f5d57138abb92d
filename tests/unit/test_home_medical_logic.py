"""Home-care logic: exact area groups for city-level values, supply counts and rates, activity
against the national value, the 在支診 cross-check and the 医療情報ネット link rules."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from homecare.home_medical import activity, crosscheck, geography, link, supply
from homecare.reference import areas


def test_municipality_scheme_has_the_33_municipalities_with_cities_whole():
    scheme = geography.municipality_scheme()
    assert len(scheme.areas) == 33
    yokohama = next(a for a in scheme.areas if a.name == "横浜市")
    assert len(yokohama.members) == 18
    assert sorted(scheme.assignment()["municipality_code"]) == sorted(geography.source_code_of_units().index)


def test_city_level_values_are_never_split_between_areas():
    groups = geography.exact_groups(areas.load_scheme("secondary_medical_area"))
    assert groups.group_names[:3] == ["横浜", "川崎北部＋川崎南部", "相模原"]
    assert groups.group_of_source_code()["14130"] == "川崎北部＋川崎南部"
    assert groups.notes and "川崎市" in groups.notes[0] and "合算" in groups.notes[0]
    assert geography.exact_groups(areas.load_scheme("elderly_care_area")).notes == ()  # 川崎 is one area
    split = geography.exact_groups(areas.load_scheme("scenario_yokohama3_kawasaki1"))
    assert split.group_names[0] == "横浜北部＋横浜西部＋横浜南部"


def _institutions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "municipality_code": ["14101", "14101", "14133", "14137", pd.NA, "14201"],
            "support_clinic_type": ["enhanced_single", "conventional", "enhanced_linked", "", "conventional", ""],
            "support_hospital_type": ["", "", "", "conventional", "", ""],
            "backup_hospital": [False, False, False, False, False, True],
        }
    )


def test_supply_counts_rates_and_target_year_need():
    scheme = areas.load_scheme()
    counts = supply.supply_counts(_institutions(), scheme)
    by = counts.set_index("area")
    assert list(counts["area"])[-2:] == [supply.UNKNOWN_AREA, supply.TOTAL]
    assert by.at["横浜", "clinics"] == 2 and by.at["横浜", "clinic_enhanced_single"] == 1
    assert by.at["川崎南部", "clinics"] == 1 and by.at["川崎北部", "hospitals"] == 1
    assert by.at["横須賀・三浦", "backup_hospitals"] == 1 and by.at["横須賀・三浦", "supply"] == 0
    assert by.at[supply.UNKNOWN_AREA, "clinics"] == 1
    assert by.at[supply.TOTAL, "clinics"] == 4 and by.at[supply.TOTAL, "supply"] == 5
    now = pd.Series(1000.0, index=scheme.area_names)
    target = pd.Series(1500.0, index=scheme.area_names)
    r = supply.supply_rates(counts, now, target, per=100_000).set_index("area")
    assert r.at["横浜", "clinics_rate_now"] == pytest.approx(200.0)
    assert r.at["横浜", "clinics_rate_target"] == pytest.approx(2 / 1500 * 100_000)
    assert r.at["横浜", "clinics_needed"] == 3 and r.at["横浜", "clinics_gap"] == 1
    assert r.at["横浜", "clinic_enhanced_share"] == pytest.approx(50.0)
    assert math.isnan(r.at[supply.UNKNOWN_AREA, "clinics_rate_now"])
    assert r.at[supply.TOTAL, "aged75_now"] == 9000.0
    assert r.at[supply.TOTAL, "clinics_rate_now"] == pytest.approx(4 / 9000 * 100_000)
    assert r.at[supply.TOTAL, "clinics_needed"] == 6  # 4 x 1.5
    assert math.isnan(r.at["県西", "clinic_enhanced_share"])  # no 在支診: no share, not 0 %


def _wide() -> pd.DataFrame:
    items = [i for m in activity.MEASURES for i in m.items]
    rows = []
    for code, level, base in (
        ("14100", "designated_city", 10.0),
        ("14130", "designated_city", 20.0),
        ("14201", "municipality", 5.0),
    ):
        rows.append(
            {"municipality_code": code, "municipality_name": code, "level": level, **dict.fromkeys(items, base)}
        )
    wide = pd.DataFrame(rows)
    wide.loc[wide["municipality_code"] == "14201", "end_of_life_hospital_cases"] = float("nan")  # withheld
    return wide


def test_activity_sums_only_given_values_and_compares_with_national():
    group_of = pd.Series({"14100": "A", "14130": "A", "14201": "B"})
    now = pd.Series({"A": 1000.0, "B": 500.0})
    target = pd.Series({"A": 2000.0, "B": 500.0})
    national = {i: 100.0 for m in activity.MEASURES for i in m.items}
    out = activity.activity_by_group(_wide(), group_of, ["A", "B"], now, target, national, 10_000.0, per=1000)
    eol = out[out["measure"] == "end_of_life"].set_index("group")
    assert eol.at["A", "value"] == 60.0 and eol.at["A", "missing"] == 0
    assert eol.at["B", "value"] == 5.0 and eol.at["B", "missing"] == 1  # the withheld part is not read as 0
    assert eol.at["県計", "value"] == 65.0 and eol.at["県計", "missing"] == 1
    assert eol.at["全国", "rate"] == pytest.approx(200 / 10_000 * 1000)
    assert eol.at["A", "rate"] == pytest.approx(60.0)
    assert eol.at["A", "ratio_to_national"] == pytest.approx(100 * 60 / 20)
    assert eol.at["A", "needed_target"] == pytest.approx(120.0)
    assert list(out["group"].unique()) == ["A", "B", "県計", "全国"]


def test_wards_given_alone_add_up_to_their_city():
    items = [i for m in activity.MEASURES for i in m.items]
    wide = pd.DataFrame(
        [
            {"municipality_code": "14131", "municipality_name": "川崎区", "level": "ward", **dict.fromkeys(items, 2.0)},
            {"municipality_code": "14132", "municipality_name": "幸区", "level": "ward", **dict.fromkeys(items, 3.0)},
        ]
    )
    assert activity.by_source_code(wide).loc["14130", "home_visit_clinic_cases"] == 5.0


def test_national_population_reference_file():
    nat = activity.load_national_population(2023)
    assert nat.aged75 == 20_078_000 and "人口推計" in nat.source
    with pytest.raises(Exception, match="no single row for 1999"):
        activity.load_national_population(1999)


def test_crosscheck_splits_the_difference_into_new_clinics_and_the_rest():
    inst = pd.DataFrame(
        {
            "source_code": ["14100", "14100", "14100", "14201", pd.NA],
            "support_clinic_type": ["conventional", "enhanced_linked", "conventional", "conventional", "conventional"],
            "support_start_date": ["2020-04-01", "2024-06-01", "2012-04-01", "2019-01-01", "2025-01-01"],
        }
    )
    book = pd.DataFrame(
        {
            "support_clinics": [4.0, float("nan")],
            "support_clinics_enhanced_single": [0.0, 0.0],
            "support_clinics_enhanced_linked": [1.0, 0.0],
        },
        index=["14100", "14201"],
    )
    names = pd.Series({"14100": "横浜市", "14201": "横須賀市"})
    cc = crosscheck.crosscheck_support_clinics(inst, book, names, list_date="2025-09-01", databook_date="2024-03-31")
    by = cc.set_index("area")
    assert by.at["横浜市", "list_count"] == 3 and by.at["横浜市", "new_since"] == 1
    assert by.at["横浜市", "difference"] == -1 and by.at["横浜市", "residual"] == -2
    assert "2件は2025-09-01の名簿にない" in by.at["横浜市", "explanation"]
    assert "比較できない" in by.at["横須賀市", "explanation"]
    assert by.at[crosscheck.UNKNOWN, "list_count"] == 1
    assert by.at[crosscheck.TOTAL, "list_count"] == 5 and "区市町村不明" in by.at[crosscheck.TOTAL, "explanation"]
    undated = crosscheck.crosscheck_support_clinics(inst, book, names, list_date="2025-09-01", databook_date="")
    assert "内訳は示せない" in undated.set_index("area").at["横浜市", "explanation"]


def test_link_rules_in_order_and_ambiguity():
    inst = pd.DataFrame(
        {
            "institution_number": ["1", "2", "3", "4", "5", "6"],
            "institution_code": ["1410000001", "", "", "", "", ""],
            "name_key": ["x", "あおば", "さくら", "別名", "ひかり", "ない"],
            "address_key": ["", "横浜市1", "横浜市9", "横浜市3", "横浜市4", "横浜市8"],
            "kind": ["", "clinic", "clinic", "clinic", "clinic", "clinic"],
        }
    )
    fac = pd.DataFrame(
        {
            "facility_id": ["F0", "F1", "F2", "F3", "F4", "F5"],
            "institution_code": ["1410000001", "", "", "", "", ""],
            "name_key": ["x病院", "あおば", "さくら", "元の名", "ひかり", "ひかり"],
            "address_key": ["", "横浜市1", "横浜市2", "横浜市3", "横浜市4", "横浜市5"],
            "facility_type": ["hospital", "clinic", "clinic", "clinic", "clinic", "clinic"],
        }
    )
    out = link.link_institutions(inst, fac).set_index("institution_number")
    assert out.at["1", "facility_id"] == "F0" and out.at["1", "link_rule"] == "code"
    assert out.at["2", "link_rule"] == "name_address"
    assert (out.at["3", "facility_id"], out.at["3", "link_rule"]) == ("F2", "name")  # moved
    assert (out.at["4", "facility_id"], out.at["4", "link_rule"]) == ("F3", "address")  # renamed
    assert out.at["5", "facility_id"] == "F4" and out.at["5", "link_rule"] == "name_address"
    assert out.at["6", "facility_id"] == "" and out.at["6", "link_note"] == "候補なし"
    twins = pd.DataFrame({**{k: [v] for k, v in inst.iloc[4].items()}, "address_key": ["横浜市7"]})
    again = link.link_institutions(twins, fac).iloc[0]
    assert again["facility_id"] == "" and again["link_note"] == "候補が複数"  # two facilities called ひかり
