"""One rate convention for every published per-capita figure and table (homecare.population.rates):
the stage functions of notebooks 05 and 06 run on a processed population table, and every
published rate column is traced back to it: its denominator (75歳以上人口, 男女計, of the year its
header states) equals the population aged 75+ computed here from ``population_by_unit`` alone,
and the rate is count / denominator x 10万 to three significant figures."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from figure_fixtures import facilities

from homecare.core import processed
from homecare.core.errors import ParameterError
from homecare.core.labels import format_significant, round_significant
from homecare.population import rates
from homecare.population.schemas import PROCESSED_NAME
from homecare.reference import areas, geo
from homecare.stages import demand_outlook, vision_figures
from homecare.stages import population as population_stage
from homecare.stages.base import Stage
from homecare_dev.samples import population as population_samples

YEARS = (2020, 2025, 2040)
AGED75 = ["75-79", "80-84", "85-89", "90-94", "95+"]
SUPPLY = ["診療所", "訪問看護", "特養", "老健", "介護医療院"]


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> dict:
    """Stages 05 (facility rates) and 06 (population, denominators, facility rates) on the sample
    population (男女計, 男 and 女 rows: a consumer summing every row would be three times off)."""
    tmp = tmp_path_factory.mktemp("rates")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOMECARE_PROCESSED_DIR", str(tmp / "processed"))
        scheme = areas.load_scheme()
        pop = population_samples.sample_population()
        population_stage.write(pop[pop["year"].isin(YEARS)], source_label="テスト人口", population_format="ipss")
        processed.write_processed(facilities(geo.load_units(), scheme, n_per_unit=3), "facilities", sample=True)
        out = tmp / "out"
        stage5 = Stage("05_regional_vision_figures", out, formats=["png"])
        vision_figures.facility_rates(stage5, vision_figures.map_base(scheme.id), 2025)
        stage6 = Stage("06_demand_outlook", out, formats=["png"])
        outlook, _ = demand_outlook.population_by_area(stage6, scheme.id)
        demand_outlook.aged75_denominators(stage6, outlook, list(YEARS))
        demand_outlook.facilities_per_aged75(stage6, outlook, SUPPLY, population_year=2025, target_year=2040)
        table = pd.read_parquet(tmp / "processed" / f"{PROCESSED_NAME}.parquet")
    return {"out": out, "scheme": scheme, "population_by_unit": table}


def _expected_aged75(table: pd.DataFrame, scheme: areas.AreaScheme) -> dict[int, dict[str, float]]:
    """75+ (男女計) per area and for the prefecture, straight from the processed table."""
    rows = table[(table["sex"] == "total") & table["age_band"].isin(AGED75)]
    rows = rows.merge(scheme.assignment(), on="municipality_code", validate="m:1")
    out = {}
    for year in YEARS:
        by_area = rows[rows["year"] == year].groupby("area")["population"].sum()
        out[year] = {**by_area.to_dict(), "神奈川県": by_area.sum(), "県計": by_area.sum()}
    return out


def _tables(out: Path) -> dict[str, pd.DataFrame]:
    return {p.stem: pd.read_csv(p, encoding="utf-8-sig") for p in sorted((out / "tables").glob("*.csv"))}


def test_every_published_rate_derives_from_the_one_population_table(published) -> None:
    expected = _expected_aged75(published["population_by_unit"], published["scheme"])
    tables = _tables(published["out"])
    checked = set()
    for name, table in tables.items():
        rate_columns = [c for c in table.columns if rates.RATE_LABEL in c]
        if not rate_columns:
            continue
        area_col = next(c for c in table.columns if c in ("圏域", published["scheme"].label))
        for col in rate_columns:
            year = int(re.search(r"人口は(\d{4})年", col).group(1))  # every rate states its population year
            denominator = table[rates.population_header(year)]
            subject = col.split("（")[0]
            count = table[f"{subject}（施設）"] if f"{subject}（施設）" in table.columns else table["施設数（施設）"]
            for area, denom, n, rate in zip(table[area_col], denominator, count, table[col], strict=True):
                if area == "区市町村不明":
                    continue
                assert denom == round(expected[year][area]), (name, col, area)
                assert rate == pytest.approx(round_significant(n / expected[year][area] * rates.PER)), (name, col, area)
            checked.add(name)
    assert checked == {"05_facilities", "06_facilities_per_75_secondary_medical_area"}
    denominators = tables["06_aged75_secondary_medical_area"].set_index("二次保健医療圏")
    for year in YEARS:  # the published denominators, whole persons (2020 and 2040 among them)
        column = denominators[rates.population_header(year)]
        assert column.dtype == "int64"
        assert column.to_dict() == {a: round(v) for a, v in expected[year].items() if a != "県計"}


def test_every_per_capita_figure_shows_a_checked_table(published) -> None:
    figures = [json.loads(p.read_text(encoding="utf-8")) for p in (published["out"] / "figures").glob("*.json")]
    per_capita = {f["name"]: f.get("table") for f in figures if rates.RATE_LABEL in f["title"]}
    assert per_capita == {
        "05_facilities_per_aged75": "05_facilities",
        "06_facilities_per_75_secondary_medical_area": "06_facilities_per_75_secondary_medical_area",
    }
    for figure in figures:
        if figure["name"] in per_capita:
            assert any("テスト人口" in s or "サンプル人口" in s for s in figure["sources"]), figure["sources"]


def test_one_facility_type_definition(published) -> None:
    """特養 is 510 + 540 (地域密着型) in both stages: the same count in 05 and 06."""
    tables = _tables(published["out"])
    in05 = tables["05_facilities"].set_index("二次保健医療圏")["特養（施設）"]
    in06 = tables["06_facilities_per_75_secondary_medical_area"].query("施設種別 == '特養'").set_index("圏域")
    assert set(in06["施設種別コード"]) == {"510+540"}
    for area, n in in06["施設数（施設）"].items():
        assert n == in05["県計" if area == "神奈川県" else area]


def test_labels_have_three_significant_figures() -> None:
    assert [format_significant(v) for v in (0.0987654, 9.87654, 98.7654, 987.654, 9876.54)] == [
        "0.0988",
        "9.88",
        "98.8",
        "988",
        "9,880",
    ]
    assert format_significant(float("nan")) == "–" and round_significant(12345.0) == 12300.0


def test_supply_types_without_facilities_or_unknown(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("HOMECARE_PROCESSED_DIR", str(tmp_path / "processed"))
    scheme = areas.load_scheme()
    pop = population_samples.sample_population()
    population_stage.write(pop[pop["year"].isin(YEARS)], source_label="テスト人口", population_format="ipss")
    fac = facilities(geo.load_units(), scheme, n_per_unit=1)
    processed.write_processed(fac[fac["facility_type"] != "550"], "facilities", sample=True)
    stage = Stage("06_demand_outlook", tmp_path / "out", formats=["png"])
    outlook, _ = demand_outlook.population_by_area(stage, scheme.id)
    demand_outlook.facilities_per_aged75(stage, outlook, ["介護医療院", "130"], population_year=2025, target_year=2040)
    said = capsys.readouterr().out
    assert "supply_types 介護医療院 (550): no facility of these types in the facilities table" in said
    assert "jigyosho_550.csv" in said and "'130': shown as its group 訪問看護" in said
    table = pd.read_csv(
        tmp_path / "out" / "tables" / "06_facilities_per_75_secondary_medical_area.csv", encoding="utf-8-sig"
    )
    assert set(table["施設種別"]) == {"訪問看護"}
    meta = json.loads(
        (tmp_path / "out" / "tables" / "06_facilities_per_75_secondary_medical_area.json").read_text("utf-8")
    )
    assert "介護医療院は施設データに該当施設がないため表示しない" in json.dumps(meta, ensure_ascii=False)
    assert demand_outlook.facilities_per_aged75(
        stage, outlook, ["介護医療院"], population_year=2025, target_year=2040
    ).empty
    with pytest.raises(ParameterError, match="'歯科' is neither a facility group"):
        demand_outlook.supply_groups(["歯科"])
