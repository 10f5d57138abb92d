"""The population CSV format (人口CSV): loading, name/code handling, sexes, designated-city rows
(checked or apportioned), located errors; the processed table and the committed samples."""

from __future__ import annotations

import pandas as pd
import pytest
from population_fixtures import flat_population, write_csv

from homecare.core import processed
from homecare.core.errors import InputError
from homecare.population import read as table
from homecare.population.bands import AGE_BANDS, parse_band
from homecare.population.schemas import sort_population
from homecare.stages import population as population_stage
from homecare_dev.samples import population as population_samples

SAMPLE_CSV = "data/raw/sample/population/population_sample.csv"


def test_sample_csv_loads_as_canonical_table() -> None:
    result = table.load_population_csv(SAMPLE_CSV)
    df = result.table
    assert list(df.columns) == ["municipality_code", "year", "sex", "age_band", "population"]
    assert df["municipality_code"].nunique() == 58 and set(df["sex"]) == {"total"}
    assert sorted(df["year"].unique()) == [2020, 2025, 2030, 2035, 2040, 2045, 2050]
    assert list(df["age_band"].unique()) == list(AGE_BANDS) and AGE_BANDS[-2:] == ("90-94", "95+")
    assert df["year"].dtype == "int64" and df["population"].dtype == "float64"
    assert len(df) == 58 * 7 * 20
    assert result.counts.rows_in == result.counts.kept == 58 * 7 * 20


def test_sample_csv_matches_generator() -> None:
    """The committed sample is the generator's 男女計 rows (rerun `make samples`)."""
    df = table.load_population_csv(SAMPLE_CSV).table
    expected = population_samples.sample_population()
    pd.testing.assert_frame_equal(df, expected[expected["sex"] == "total"].reset_index(drop=True), check_dtype=False)


def _lines(pop: pd.DataFrame, with_name: bool = False) -> list[str]:
    head = "municipality_code,year,age_band,population"
    return [head] + [f"{r.municipality_code},{r.year},{r.age_band},{r.population:g}" for r in pop.itertuples()]


def test_six_digit_codes_names_and_cp932(tmp_path) -> None:
    pop = flat_population((2020,))
    lines = ["municipality_name,year,age_band,population"]
    names = {"14207": "茅ケ崎市", "14363": "足柄上郡松田町", "14106": "神奈川県横浜市保土ヶ谷区"}
    from homecare.reference import municipalities

    full = municipalities.units().set_index("municipality_code")["full_name"]
    for r in pop.itertuples():
        band = r.age_band.replace("-", "～") + "歳" if "-" in r.age_band else "95歳～"
        lines.append(f"{names.get(r.municipality_code, full[r.municipality_code])},{r.year},{band},{r.population:g}")
    df = table.load_population_csv(write_csv(tmp_path / "names.csv", lines, encoding="cp932")).table
    assert len(df) == 58 * 20
    assert df.loc[df["municipality_code"] == "14207", "population"].sum() == 200


@pytest.mark.parametrize(
    ("edit", "row", "column", "fragment"),
    [
        (lambda ls: ls.__setitem__(5, "14999,2020,0-4,1"), 6, "municipality_code", "not one of the 58"),
        (lambda ls: ls.__setitem__(5, "141012,2020,0-4,1"), 6, "municipality_code", "check digit"),
        (lambda ls: ls.__setitem__(7, "14101,2020,0-5,1"), 8, "age_band", "unknown age band"),
        (lambda ls: ls.__setitem__(9, "14101,2020,40-44,abc"), 10, "population", "not a number"),
        (lambda ls: ls.__setitem__(9, "14101,2020,40-44,-3"), 10, "population", "negative population"),
        (lambda ls: ls.__setitem__(9, "14101,2020,40-44,0.3"), 10, "population", "not a whole number of persons"),
        (lambda ls: ls.__setitem__(9, "14101,2020,40-44,1e15"), 10, "population", "more persons than the whole"),
        (lambda ls: ls.__setitem__(9, "14101,2020,40-44,inf"), 10, "population", "more persons than the whole"),
        (lambda ls: ls.__setitem__(9, "14101,2020.5,40-44,3"), 10, "year", "whole number"),
        (lambda ls: ls.__setitem__(19, "14101,2020,90+,1"), 20, "age_band", "two bands here: give 90-94 and 95+"),
        (lambda ls: ls.__setitem__(4, "14000,2020,0-4,1"), 5, "municipality_code", "designated city"),
    ],
)
def test_errors_name_file_row_and_column(tmp_path, edit, row, column, fragment) -> None:
    """Rows are 1-based CSV lines (line 1 = header), so list index i is line i + 1."""
    lines = _lines(flat_population((2020,)))
    edit(lines)
    path = write_csv(tmp_path / "bad.csv", lines)
    with pytest.raises(InputError) as exc:
        table.load_population_csv(path)
    err = exc.value
    assert err.row == row and err.column == column and "bad.csv" in err.file
    assert fragment in str(err)


def test_ambiguous_name_is_an_error(tmp_path) -> None:
    path = write_csv(tmp_path / "a.csv", ["municipality_name,year,age_band,population", "緑区,2020,0-4,1"])
    with pytest.raises(InputError, match="ambiguous") as exc:
        table.load_population_csv(path)
    assert exc.value.row == 2


def test_code_and_name_must_agree(tmp_path) -> None:
    path = write_csv(
        tmp_path / "a.csv",
        ["municipality_code,municipality_name,year,age_band,population", "14101,横浜市西区,2020,0-4,1"],
    )
    with pytest.raises(InputError, match="disagree"):
        table.load_population_csv(path)


def test_duplicate_and_incomplete_rows(tmp_path) -> None:
    lines = _lines(flat_population((2020,)))
    with pytest.raises(InputError, match="duplicate") as exc:
        table.load_population_csv(write_csv(tmp_path / "dup.csv", [*lines, lines[3]]))
    assert exc.value.row == len(lines) + 1
    with pytest.raises(InputError, match="incomplete"):
        table.load_population_csv(write_csv(tmp_path / "short.csv", lines[:-1]))


def test_band_spellings() -> None:
    assert parse_band("０～４歳") == "0-4"
    assert parse_band("90～94歳") == "90-94"
    assert parse_band("95歳～") == parse_band("95歳以上") == parse_band("95+") == "95+"
    assert parse_band("90歳以上") is None  # the older top band is two bands now
    assert parse_band("85-89") == "85-89"
    assert parse_band("85-90") is None
    assert parse_band("100歳以上") is None


def _with_sex(pop: pd.DataFrame) -> list[str]:
    """男 and 女 rows (4 and 6 persons per band) in the CSV format, without 男女計."""
    lines = ["municipality_code,year,sex,age_band,population"]
    for r in pop.itertuples():
        lines += [
            f"{r.municipality_code},{r.year},男,{r.age_band},4",
            f"{r.municipality_code},{r.year},女,{r.age_band},6",
        ]
    return lines


def test_sexes_and_derived_totals(tmp_path) -> None:
    result = table.load_population_csv(write_csv(tmp_path / "sex.csv", _with_sex(flat_population((2020,)))))
    df = result.table
    assert set(df["sex"]) == {"total", "male", "female"} and len(df) == 3 * 58 * 20
    assert (df.loc[df["sex"] == "total", "population"] == 10).all()  # 男 + 女
    assert result.counts.rows_in == result.counts.kept == 2 * 58 * 20  # derived rows are not input rows
    lines = _with_sex(flat_population((2020,)))
    lines.append("14101,2020,男女計,0-4,13")  # 男 4 + 女 6 is 10, not 13
    with pytest.raises(InputError, match="男 \\+ 女 = 10 but 男女計 is 13"):
        table.load_population_csv(write_csv(tmp_path / "off.csv", lines))
    with pytest.raises(InputError, match="unknown sex") as exc:
        table.load_population_csv(write_csv(tmp_path / "x.csv", [lines[0], "14101,2020,X,0-4,1"]))
    assert exc.value.row == 2 and exc.value.column == "sex"


def _city_lines(pop: pd.DataFrame, city: str, value: float) -> list[str]:
    """Rows of designated city ``city`` (every year and band) in the CSV format."""
    return [f"{city},{y},{b},{value:g}" for y in sorted(set(pop["year"])) for b in AGE_BANDS]


def test_city_rows_with_wards_are_checks_never_added(tmp_path) -> None:
    pop = flat_population((2020,))
    lines = _lines(pop) + _city_lines(pop, "14150", 30)  # 相模原市 = its 3 wards x 10
    result = table.load_population_csv(write_csv(tmp_path / "city.csv", lines))
    assert result.table.equals(sort_population(pop))  # nothing added
    assert dict(result.counts.excluded) == {"designated-city rows (checked against their wards)": 20}
    bad = _lines(pop) + _city_lines(pop, "14150", 45)
    with pytest.raises(InputError, match="total for 14150 in 2020 is 45"):
        table.load_population_csv(write_csv(tmp_path / "bad.csv", bad))


def test_city_rows_without_wards_are_apportioned(tmp_path) -> None:
    pop = flat_population((2020,))
    no_wards = pop[~pop["municipality_code"].isin(["14151", "14152", "14153"])]
    lines = _lines(no_wards) + _city_lines(pop, "14150", 60)
    path = write_csv(tmp_path / "city_only.csv", lines)
    with pytest.raises(InputError, match="only city rows: give ward base data"):
        table.load_population_csv(path)
    result = table.load_population_csv(path, ward_base=pop)  # equal ward shares in the base
    wards = result.table[result.table["municipality_code"].isin(["14151", "14152", "14153"])]
    assert len(wards) == 3 * 20 and (wards["population"] == 20).all()
    assert dict(result.counts.excluded) == {"designated-city rows apportioned to wards": 20}


def test_processed_round_trip(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HOMECARE_PROCESSED_DIR", str(tmp_path))
    pop = flat_population()
    population_stage.write(pop.sample(frac=1.0, random_state=1), source_label="テスト", population_format="csv")
    back = table.read_population_by_unit()
    assert list(back.columns) == ["municipality_code", "year", "sex", "age_band", "population"]
    assert back.equals(sort_population(pop))
    assert (tmp_path / "population_by_unit.parquet").is_file()
    with pytest.raises(processed.ProcessedDataMissing):
        processed.read_processed("no_such_table")


def test_committed_samples_are_what_the_generator_writes(tmp_path) -> None:
    """`homecare population sample` is deterministic and the committed files are its output."""
    import hashlib
    from pathlib import Path

    from homecare.core import paths

    written = population_samples.write_samples(tmp_path)
    committed = paths.resolve(population_samples.SAMPLE_FOLDER)
    assert len(written) == 2  # the population CSV and the IPSS workbook (ipss/14.xlsx)
    for path in written:
        rel = Path(path).relative_to(tmp_path)
        assert (
            hashlib.sha256(Path(path).read_bytes()).digest() == hashlib.sha256((committed / rel).read_bytes()).digest()
        ), rel
