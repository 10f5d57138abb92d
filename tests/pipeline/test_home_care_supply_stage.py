"""Stage 07 end to end in-process on the committed samples: both reconciliations recorded, the
institutions placed and linked, every table and figure published and marked サンプルデータ, the
city-level note, the cross-check adding up."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from figure_fixtures import population
from figure_quality import assert_run_figures_pass

from homecare.core import paths, processed
from homecare.population import rates
from homecare.reference import geo
from homecare.stages import home_care_supply as stage07
from homecare.stages import population as population_stage
from homecare.stages.base import Stage

LIST = "data/raw/sample/home_medical/14_todokede_ika_kanagawa_sample.xlsx"
BOOK = "data/raw/sample/home_medical/zaitaku_chiiki_data_sample.xlsx"


def _sample_facilities() -> pd.DataFrame:
    """The hospitals and clinics of the committed facility samples as stage 03 would keep them."""
    frames = []
    for stem, ftype, prefix in (
        ("01-1_hospital_facility_info", "hospital", "H"),
        ("02-1_clinic_facility_info", "clinic", "C"),
    ):
        df = pd.read_csv(
            paths.resolve(f"data/raw/sample/facilities/{stem}.csv"),
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
        )
        frames.append(
            pd.DataFrame(
                {
                    "facility_id": prefix + df["ID"],
                    "facility_type": ftype,
                    "name": df["正式名称"],
                    "address": df["所在地"],
                    "municipality_code": ("14" + df["市区町村コード"]).where(df["市区町村コード"] != ""),
                    "is_primary": True,
                }
            )
        )
    return pd.concat(frames, ignore_index=True).drop_duplicates("facility_id")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("stage07")
    mp = pytest.MonkeyPatch()
    mp.setenv("HOMECARE_PROCESSED_DIR", str(tmp / "processed"))
    units = geo.load_units()
    pop = pd.concat([population(units, year=y, seed=y) for y in (2020, 2025, 2040)], ignore_index=True)
    population_stage.write(pop.astype({"population": float}), source_label="テスト人口", population_format="csv")
    processed.write_processed(_sample_facilities(), "facilities", sample=True)
    out = tmp / "run"
    stage = Stage("07_home_care_supply", out)
    sources = stage07.read_sources(stage, LIST, BOOK, "14")
    located = stage07.locate_institutions(stage, sources, "secondary_medical_area", 1500.0)
    supply = stage07.supply_by_area(stage, sources, located, target_year=2040, national_population_year=2023)
    act = stage07.activity_by_area(stage, sources, located, target_year=2040, national_population_year=2023)
    cc = stage07.crosscheck_support_clinics(stage, sources, located)
    qa = stage07.publish_qa(stage, sources, located)
    stage.finish()
    record = json.loads((out / "stages" / "07_home_care_supply.json").read_text(encoding="utf-8"))
    yield {"out": out, "located": located, "supply": supply, "activity": act, "cc": cc, "qa": qa, "record": record}
    mp.undo()


def test_both_reconciliations_are_recorded(run):
    rec = run["record"]["notes"]["reconciliation"]
    assert rec["07 届出受理医療機関名簿"].startswith("rows in 1108 = kept 1000")
    assert "other prefectures 6" in rec["07 届出受理医療機関名簿"]
    assert rec["07 地域別データ集"].startswith("rows in 80 = kept 66 + other prefectures 14")
    assert run["record"]["notes"]["list_date"] == "2025-09-01"


def test_institutions_placed_and_linked(run):
    table = run["located"].table
    assert len(table) == 96 and table["municipality_code"].notna().all()
    linked = table["facility_id"] != ""
    assert linked.sum() == 80  # the facility samples' hospitals and clinics (some renamed: by address)
    assert set(table.loc[linked, "link_rule"]) == {"name_address", "address"}
    assert set(run["located"].unlinked["理由"]) == {"候補なし"}
    assert processed.read_processed("home_care_institutions").shape[0] == 96


def test_supply_table_counts_types_and_rates(run):
    t = run["supply"].set_index("二次保健医療圏")
    total = t.loc["県計"]
    assert total["在支診 計（施設）"] == 67 and total["在支病 計（施設）"] == 23
    assert total["在宅療養後方支援病院（施設）"] == 6
    parts = [f"在支診 {x}（施設）" for x in ("機能強化型（単独型）", "機能強化型（連携型）", "従来型")]
    assert (t[parts].sum(axis=1) == t["在支診 計（施設）"]).all()
    rate = t.loc["横浜", f"在支診（{rates.RATE_LABEL}、2025年）"]
    expected = t.loc["横浜", "在支診 計（施設）"] / t.loc["横浜", "75歳以上人口（人、2025年）"] * rates.PER
    assert rate == pytest.approx(expected, rel=5e-3)


def test_activity_keeps_kawasaki_whole_and_withholds_small_counts(run):
    t = run["activity"]
    groups = list(t["二次保健医療圏"])
    assert "川崎北部＋川崎南部" in groups and "川崎北部" not in groups
    assert groups[-2:] == ["県計", "全国"]
    meta = json.loads((run["out"] / "tables" / "07_home_care_activity_secondary_medical_area.json").read_text())
    assert "川崎市は地域別データ集では市全体の値" in meta["note"] and meta["sample"] is True
    muni = pd.read_csv(
        run["out"] / "tables" / "07_home_care_activity_municipality.csv", encoding="utf-8-sig", dtype=str
    )
    shown = pd.to_numeric(muni["看取り 実施件数（件）"], errors="coerce")
    assert not ((shown >= 1) & (shown < 10)).any()  # small case counts withheld
    assert (muni["看取り 実施件数（件）"] == "<10").any()


def test_crosscheck_adds_up(run):
    cc = run["cc"]
    total = cc[cc["区市町村"] == "県計"].iloc[0]
    diff, new, resid = (
        int(total[c]) for c in ("差（名簿－データ集、施設）", "うち算定開始が2024-03-31より後（施設）", "残差（施設）")
    )
    assert diff == new + resid
    assert total["在支診 名簿（施設、2025-09-01）"] == 67
    assert len(cc) == 34


def test_every_output_is_published_and_marked_sample(run):
    figures = sorted(p.stem for p in (run["out"] / "figures").glob("*.png"))
    assert figures == [
        "07_home_care_activity_secondary_medical_area",
        "07_home_care_supply_map_secondary_medical_area",
        "07_home_care_supply_rate_map_secondary_medical_area",
        "07_home_care_supply_rates_secondary_medical_area",
    ]
    assert assert_run_figures_pass(run["out"]) == len(figures)
    for meta in (run["out"] / "figures").glob("*.json"):
        assert json.loads(meta.read_text())["sample"] is True
    tables = sorted(p.stem for p in (run["out"] / "tables").glob("*.csv"))
    assert all(name.startswith("07_") for name in tables) and len(tables) == 8
    qa = run["qa"]
    assert set(qa["reason"].str.contains("未登録の受理記号")) == {True, False}
