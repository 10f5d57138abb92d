"""Area schemes: every unit in exactly one area; broken scheme files give clear errors."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from homecare.core.errors import ReferenceDataError
from homecare.reference import areas, geo, municipalities

UNIT_CODES = set(municipalities.units()["municipality_code"])


@pytest.mark.parametrize("scheme_id", areas.list_schemes())
def test_every_unit_is_in_exactly_one_area(scheme_id: str) -> None:
    scheme = areas.load_scheme(scheme_id)
    assignment = scheme.assignment()
    assert assignment["municipality_code"].is_unique
    assert set(assignment["municipality_code"]) == UNIT_CODES
    assert len(set(scheme.colors.values())) == len(scheme.areas), "one distinct colour per area"


@pytest.mark.parametrize(
    ("a", "b"), [(a, b) for i, a in enumerate(areas.list_schemes()) for b in areas.list_schemes()[i + 1 :]]
)
def test_compared_schemes_never_give_two_areas_one_colour(a: str, b: str) -> None:
    """A scheme-comparison figure (06_scheme_comparison_*) draws two schemes side by side: an
    area that differs (other members) never takes the colour of an area of the other scheme,
    and an area that is the same keeps its colour."""
    assert areas.colour_clashes(areas.load_scheme(a), areas.load_scheme(b)) == []


def test_a_reused_colour_is_caught() -> None:
    """The check can fail: the scenario as it was (横浜北部 in 横浜's colour, 川崎 in 川崎南部's)."""
    official, scenario = areas.load_scheme("secondary_medical_area"), areas.load_scheme("scenario_yokohama3_kawasaki1")
    recoloured = {"横浜北部": official.colors["横浜"], "川崎": official.colors["川崎南部"]}
    old = dataclasses.replace(
        scenario,
        areas=tuple(dataclasses.replace(x, color=recoloured.get(x.name, x.color)) for x in scenario.areas),
    )
    clashes = areas.colour_clashes(official, old)
    assert len(clashes) == 2
    assert any("横浜北部" in c and "横浜 " in c for c in clashes) and any("川崎南部" in c for c in clashes)
    moved = dataclasses.replace(
        scenario,
        areas=tuple(dataclasses.replace(x, color="#000000") if x.name == "県西" else x for x in scenario.areas),
    )
    assert areas.colour_clashes(official, moved) == [
        "secondary_medical_area 県西 and scenario_yokohama3_kawasaki1 県西 are the same area in two colours"
    ]


def test_the_three_committed_schemes() -> None:
    assert {"secondary_medical_area", "elderly_care_area", "scenario_yokohama3_kawasaki1"} <= set(areas.list_schemes())
    assert areas.load_scheme("elderly_care_area").status == "verify"
    assert areas.load_scheme("scenario_yokohama3_kawasaki1").status == "scenario"


def test_secondary_medical_areas_match_the_plan() -> None:
    s = areas.load_scheme("secondary_medical_area")
    assert s.area_names == [
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
    members = {a.name: set(a.members) for a in s.areas}
    assert members["川崎北部"] == {"14134", "14135", "14136", "14137"}
    assert members["川崎南部"] == {"14131", "14132", "14133"}
    assert members["湘南東部"] == {"14205", "14207", "14321"}
    assert len(members["横浜"]) == 18 and len(members["県西"]) == 10 and len(members["県央"]) == 7


def test_dissolve_gives_one_polygon_per_area() -> None:
    s = areas.load_scheme()
    polys = geo.dissolve_areas(geo.load_units(), s)
    assert list(polys["area"]) == s.area_names
    assert polys.geometry.is_valid.all()


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = (areas.scheme_dir() / "secondary_medical_area.yml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken.yml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("      14101: 横浜市鶴見区\n", "      14101: 横浜市鶴見区\n      14999: 架空町\n", "unknown unit code 14999"),
        ("      14101: 横浜市鶴見区\n", "", "left out of every area: 14101"),
        (
            "      14134: 川崎市高津区\n",
            "      14134: 川崎市高津区\n      14131: 川崎市川崎区\n",
            "14131 川崎市川崎区 is in two areas",
        ),
        ("      14102: 横浜市神奈川区\n", "      14102: 横浜市西区\n", "code 14102 is 横浜市神奈川区"),
        ('color: "#332288"', 'color: "blue"', "needs a colour"),
    ],
)
def test_broken_scheme_is_a_clear_error(tmp_path: Path, old: str, new: str, message: str) -> None:
    with pytest.raises(ReferenceDataError, match=message) as err:
        areas.load_scheme(_broken(tmp_path, old, new))
    assert "broken.yml" in str(err.value)


def test_unknown_scheme_lists_known_ones() -> None:
    with pytest.raises(ReferenceDataError, match="secondary_medical_area"):
        areas.load_scheme("no_such_scheme")
