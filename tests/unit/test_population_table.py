"""The population CSV format (人口CSV): loading, name/code handling, located errors."""

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
    df = table.load_population_csv(SAMPLE_CSV)
    assert list(df.columns) == ["municipality_code", "year", "age_band", "population"]
    assert df["municipality_code"].nunique() == 58
    assert sorted(df["year"].unique()) == [2020, 2025, 2030, 2035, 2040, 2045, 2050]
    assert list(df["age_band"].unique()) == list(AGE_BANDS)
    assert df["year"].dtype == "int64" and df["population"].dtype == "float64"
    assert len(df) == 58 * 7 * 19


def test_sample_csv_matches_generator() -> None:
    """The committed sample is what the generator writes (rerun `homecare population sample`)."""
    df = table.load_population_csv(SAMPLE_CSV)
    pd.testing.assert_frame_equal(df, population_samples.sample_population(), check_dtype=False)


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
        band = r.age_band.replace("-", "～") + "歳" if "-" in r.age_band else "90歳以上"
        lines.append(f"{names.get(r.municipality_code, full[r.municipality_code])},{r.year},{band},{r.population:g}")
    df = table.load_population_csv(write_csv(tmp_path / "names.csv", lines, encoding="cp932"))
    assert len(df) == 58 * 19
    assert df.loc[df["municipality_code"] == "14207", "population"].sum() == 190


@pytest.mark.parametrize(
    ("edit", "row", "column", "fragment"),
    [
        (lambda ls: ls.__setitem__(5, "14999,2020,0-4,1"), 6, "municipality_code", "not one of the 58"),
        (lambda ls: ls.__setitem__(5, "141012,2020,0-4,1"), 6, "municipality_code", "check digit"),
        (lambda ls: ls.__setitem__(7, "14101,2020,0-5,1"), 8, "age_band", "unknown age band"),
        (lambda ls: ls.__setitem__(9, "14101,2020,40-44,abc"), 10, "population", "not a number"),
        (lambda ls: ls.__setitem__(9, "14101,2020,40-44,-3"), 10, "population", "non-negative"),
        (lambda ls: ls.__setitem__(4, "14100,2020,0-4,1"), 5, "municipality_code", "designated-city"),
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
    assert parse_band("90歳以上") == "90+"
    assert parse_band("85-89") == "85-89"
    assert parse_band("85-90") is None
    assert parse_band("100歳以上") is None


def test_processed_round_trip(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HOMECARE_PROCESSED_DIR", str(tmp_path))
    pop = flat_population()
    population_stage.write(pop.sample(frac=1.0, random_state=1), source_label="テスト", population_format="csv")
    back = table.read_population_by_unit()
    assert list(back.columns) == ["municipality_code", "year", "age_band", "population"]
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
    assert len(written) == 1 + 22
    for path in written:
        rel = Path(path).relative_to(tmp_path)
        assert (
            hashlib.sha256(Path(path).read_bytes()).digest() == hashlib.sha256((committed / rel).read_bytes()).digest()
        ), rel
