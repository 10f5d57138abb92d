"""The IPSS municipal projection workbook adapter (日本の地域別将来推計人口): layout, header
found by text, type flags, wards, designated-city totals, apportioning."""

from __future__ import annotations

import pytest
from population_fixtures import write_sheet

from homecare.core.errors import InputError
from homecare.population import ipss
from homecare.population import read as table
from homecare.population.aggregate import measure_by_code
from homecare_dev.samples import population as population_samples

YEARS = [2020, 2025, 2030, 2035, 2040, 2045, 2050]
HEADER = ["コード", "区分", "都道府県", "市区町村", *[f"{y}年" for y in YEARS]]


def _row(code, flag, name, base=100):
    return [code, flag, "神奈川県", name, *[base + i for i in range(len(YEARS))]]


def test_reads_layout_type_flags_and_wards(tmp_path) -> None:
    rows = [
        ["日本の地域別将来推計人口（令和5（2023）年推計）", None],
        ["75歳以上人口（単位：人）"],
        [None],
        HEADER,
        _row("14000", "0", "", 900),
        _row("14100", "1", "横浜市", 300),
        _row("141011", "2", "横浜市鶴見区", 20),  # 6-digit code with check digit
        _row("13101", "3", "千代田区", 5),  # another prefecture in a national file: skipped
        _row("14201", "市", "横須賀市", 50),  # flags may be words
        _row("14402", "4", "清川村", 1),
        ["注：四捨五入のため合計が一致しない場合がある"],
    ]
    df = ipss.read_ipss_workbook(write_sheet(tmp_path / "age75.xlsx", rows))
    assert set(df["measure"]) == {"75+"}
    kinds = df.drop_duplicates("municipality_code").set_index("municipality_code")["kind"].to_dict()
    assert kinds == {
        "14000": "prefecture",
        "14100": "designated_city",
        "14101": "ward",
        "14201": "city",
        "14402": "town_village",
    }
    assert df.loc[(df["municipality_code"] == "14101") & (df["year"] == 2040), "population"].item() == 24
    assert df.loc[df["municipality_code"] == "14101", "row"].iloc[0] == 7  # Excel row


def test_header_and_columns_found_by_text_not_position(tmp_path) -> None:
    """Extra title rows, a leading empty column and shuffled columns still read the same."""
    header = [None, "市区町村名", "団体コード", "都道府県名", "区分", *[f"{y}年" for y in YEARS]]
    rows = [
        ["表1"],
        ["0～4歳人口"],
        [None],
        [None],
        [None],
        header,
        [None, "横浜市鶴見区", 14101, "神奈川県", 2, *range(10, 17)],
    ]
    df = ipss.read_ipss_workbook(write_sheet(tmp_path / "a.xlsx", rows))
    assert set(df["measure"]) == {"0-4"} and set(df["municipality_code"]) == {"14101"}
    assert df.loc[df["year"] == 2050, "population"].item() == 16


@pytest.mark.parametrize(
    ("title", "measure"),
    [("総人口", "total"), ("65歳以上人口", "65+"), ("75歳以上", "75+"), ("85～89歳", "85-89"), ("90歳以上人口", "90+")],
)
def test_measure_detected_from_title(title, measure) -> None:
    assert (
        ipss.detect_measure(["日本の地域別将来推計人口（令和5（2023）年推計）", title], file="f", sheet="s") == measure
    )


def test_measure_ambiguous_or_missing_is_an_error() -> None:
    with pytest.raises(InputError, match="which measure"):
        ipss.detect_measure(["推計人口"], file="f", sheet="s")
    with pytest.raises(InputError, match="which measure"):
        ipss.detect_measure(["65歳以上", "75歳以上"], file="f", sheet="s")


def test_wrong_type_flag_is_located(tmp_path) -> None:
    rows = [["総人口"], [None], [None], HEADER, _row("14101", "3", "横浜市鶴見区")]
    with pytest.raises(InputError, match="type flag says city") as exc:
        ipss.read_ipss_workbook(write_sheet(tmp_path / "t.xlsx", rows))
    assert exc.value.row == 5 and exc.value.column == "区分"
    rows[-1] = _row("14101", "9", "横浜市鶴見区")
    with pytest.raises(InputError, match="unknown type flag"):
        ipss.read_ipss_workbook(write_sheet(tmp_path / "t2.xlsx", rows))


def test_notes_sheet_is_skipped_but_a_tableless_workbook_is_an_error(tmp_path) -> None:
    from openpyxl import load_workbook

    rows = [["総人口"], [None], [None], HEADER, _row("14101", "2", "横浜市鶴見区")]
    path = write_sheet(tmp_path / "n.xlsx", rows)
    wb = load_workbook(path)
    wb.create_sheet("利用上の注意").cell(row=1, column=1, value="推計の前提は報告書を参照")
    wb.save(path)
    assert set(ipss.read_ipss_workbook(path)["sheet"]) == {"推計結果"}


def test_missing_header_and_bad_number(tmp_path) -> None:
    with pytest.raises(InputError, match="no sheet has a header row"):
        ipss.read_ipss_workbook(write_sheet(tmp_path / "h.xlsx", [["総人口"], ["x", "y"]]))
    rows = [["総人口"], [None], [None], HEADER, [*_row("14101", "2", "横浜市鶴見区")[:6], "-", 1, 1, 1, 1, 1]]
    with pytest.raises(InputError, match="not a number") as exc:
        ipss.read_ipss_workbook(write_sheet(tmp_path / "n.xlsx", rows))
    assert exc.value.column == "2030年" and exc.value.row == 5


def test_full_sample_folder_equals_csv_and_checks_totals() -> None:
    result = ipss.load_ipss("data/raw/sample/population/ipss")
    assert result.population.equals(table.load_population_csv("data/raw/sample/population/population_sample.csv"))
    # 22 measures x (58 units + 3 cities + prefecture) x 7 years, minus the 19 x 58 x 7 unit band rows
    assert result.totals_checked == 22 * 62 * 7 - 19 * 58 * 7
    assert result.apportioned == []


def _write_folder(tmp_path, pop, drop_wards_of: str | None = None, total_offset: float = 0.0):
    """Sample-layout workbooks for ``pop``; optionally without the wards of one city."""
    folder = tmp_path / "ipss"
    folder.mkdir()
    for stem, title, measure in population_samples.sample_measures():
        frame = population_samples._ipss_rows(pop, measure)
        if drop_wards_of:
            frame = frame[~frame[0].str.startswith(drop_wards_of[:4]) | (frame[0] == drop_wards_of)]
        if measure == "total" and total_offset:
            frame.loc[frame[0] == "14000", 4] += total_offset
        header = [["総人口" if measure == "total" else title], [None], [None], HEADER]
        write_sheet(folder / f"{stem}.xlsx", header + frame.to_numpy().tolist())
    return folder


def test_city_total_only_is_apportioned_to_wards(tmp_path) -> None:
    pop = population_samples.sample_population()
    folder = _write_folder(tmp_path, pop, drop_wards_of="14130")
    with pytest.raises(InputError, match="only a city total"):
        ipss.load_ipss(folder)
    result = ipss.load_ipss(folder, ward_base=pop[pop["year"] == 2020])
    assert result.apportioned == ["14130"]
    got = result.population
    # ward numbers add up to the city's, and equal the truth in the base year
    city = measure_by_code(got, "total").set_index(["municipality_code", "year"])["population"]
    truth = measure_by_code(pop, "total").set_index(["municipality_code", "year"])["population"]
    assert city[("14130", 2040)] == pytest.approx(truth[("14130", 2040)])
    base = got[(got["municipality_code"] == "14133") & (got["year"] == 2020)]["population"].sum()
    assert base == pytest.approx(truth[("14133", 2020)])


def test_totals_that_do_not_add_up_are_an_error(tmp_path) -> None:
    pop = population_samples.sample_population()
    folder = _write_folder(tmp_path, pop, total_offset=5000)
    with pytest.raises(InputError, match="total for 14000 in 2020"):
        ipss.load_ipss(folder)


def test_age_bands_required(tmp_path) -> None:
    folder = tmp_path / "only_totals"
    folder.mkdir()
    write_sheet(folder / "total.xlsx", [["総人口"], [None], [None], HEADER, _row("14000", "0", "")])
    with pytest.raises(InputError, match="5-year age-band tables are needed"):
        ipss.load_ipss(folder)
