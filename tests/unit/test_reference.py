"""Reference tables: codes and check digits, name variants, every unit once."""

from __future__ import annotations

import pytest

from homecare.reference import geo, municipalities


@pytest.mark.parametrize(
    "code5, code6",
    [
        ("14100", "141003"),
        ("14150", "141500"),
        ("14130", "141305"),
        ("14131", "141313"),
        ("14207", "142077"),
        ("14402", "144029"),
    ],
)
def test_check_digit(code5: str, code6: str) -> None:
    assert municipalities.to_code6(code5) == code6
    assert municipalities.code5_from_any(code6) == code5
    assert municipalities.code5_from_any(code5) == code5


def test_wrong_check_digit_is_rejected() -> None:
    with pytest.raises(ValueError, match="check digit"):
        municipalities.code5_from_any("141004")


def test_table_has_58_units_and_3_parents_with_valid_codes() -> None:
    df = municipalities.load_municipalities()
    assert len(municipalities.units()) == 58
    parents = df[df["unit_type"] == "designated_city"]
    assert sorted(parents["municipality_code"]) == ["14100", "14130", "14150"]
    assert (df["code6"] == df["municipality_code"].map(municipalities.to_code6)).all()
    wards = df[df["unit_type"] == "ward"]
    assert wards.groupby("parent_code").size().to_dict() == {"14100": 18, "14130": 7, "14150": 3}


@pytest.mark.parametrize(
    "name, code",
    [
        ("茅ヶ崎市", "14207"),
        ("茅ケ崎市", "14207"),
        ("神奈川県茅ケ崎市", "14207"),
        ("横浜市保土ケ谷区", "14106"),
        ("横浜市保土ヶ谷区", "14106"),
        ("保土ヶ谷区", "14106"),
        ("足柄上郡松田町", "14363"),
        ("松田町", "14363"),
        ("神奈川県　足柄上郡　松田町", "14363"),
        ("津久井町", "14151"),
        ("津久井郡藤野町", "14151"),
        ("相模原市緑区", "14151"),
        ("横浜市緑区", "14113"),
        ("川崎市中原区", "14133"),
        ("清川村", "14402"),
    ],
)
def test_name_variants(name: str, code: str) -> None:
    assert municipalities.lookup_code(name) == code


def test_ambiguous_and_unknown_names_are_not_guessed() -> None:
    assert municipalities.lookup_code("緑区") is None
    assert municipalities.lookup_code("南区") is None
    assert municipalities.lookup_code("東京都新宿区") is None


def test_every_boundary_code_joins_the_table_exactly_once() -> None:
    units = geo.load_units()
    assert len(units) == 58
    assert units["municipality_code"].is_unique
    assert set(units["municipality_code"]) == set(municipalities.units()["municipality_code"])
    assert units.geometry.is_valid.all()


def test_full_name_as_written_in_addresses() -> None:
    assert municipalities.full_name_of("14117") == "横浜市青葉区"
    assert municipalities.full_name_of("14363") == "足柄上郡松田町"
    assert municipalities.full_name_of("14201") == "横須賀市"
