"""Facility stages 02-03 end to end: reconciliation, processed tables, ids, duplicates, CLI."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from cli_run import run_cli

from homecare.core import processed
from homecare.core.encoding import read_csv_text
from homecare.core.qa import Cleaned
from homecare.facilities import geocode, merge, schemas
from homecare.facilities import read as adapters
from homecare.stages import facilities as facilities_stage
from homecare.stages import geocode as geocode_stage
from homecare.stages.base import Stage

SAMPLE = Path("data/raw/sample/facilities")
MEDICAL = {
    "hospital": str(SAMPLE / "01-1_hospital_facility_info.csv"),
    "clinic": str(SAMPLE / "02-1_clinic_facility_info.csv"),
}
CARE = [str(SAMPLE / f"jigyosho_{c}.csv") for c in adapters.CARE_SERVICE_CODES]


@pytest.fixture()
def proc_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOMECARE_PROCESSED_DIR", str(tmp_path / "processed"))
    return tmp_path / "processed"


@pytest.fixture(scope="module")
def merged() -> Cleaned:
    return merge.build_merged(merge.read_sources(MEDICAL, CARE))


def _lines(path: str) -> int:
    """Data rows of a CSV file (its own count, independent of the adapters)."""
    df, _ = read_csv_text(path)
    return len(df)


def _other_prefectures(path: str) -> int:
    """Rows whose own prefecture code is not 14 (counted on the raw file, not by the adapters)."""
    df, _ = read_csv_text(path)
    code = df["都道府県コード"] if "都道府県コード" in df else df["都道府県コード又は市町村コード"].str[:2]
    return int((code.str.zfill(2) != "14").sum())


def test_reconciliation_02(merged: Cleaned, proc_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = [*MEDICAL.values(), *CARE]
    rows_in = sum(_lines(p) for p in files)
    out = sum(_other_prefectures(p) for p in files)
    assert merged.counts.rows_in == rows_in and dict(merged.counts.excluded)["out of scope"] == out > 0
    quarantined = [e for e in merged.qa if e.action == "quarantined"]
    assert merged.counts.quarantined == len({(e.file, e.row) for e in quarantined}) == 3
    assert merged.counts.ok and merged.counts.kept == len(merged.table) == rows_in - out - 3
    facilities_stage.write_merged(Stage("02_facilities", proc_dir / "out"), merged, "2025-12-01")
    line = f"rows in {rows_in} = kept {len(merged.table)} + out of scope {out} + types not selected 0 + quarantined 3"
    assert line in capsys.readouterr().out
    assert len(processed.read_processed("facilities_raw_merged")) == len(merged.table)


def test_each_file_reconciles_and_is_printed(proc_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stage = Stage("02_facilities", proc_dir / "out")
    facilities_stage.read_and_merge(stage, MEDICAL, CARE, list(adapters.load_facility_types()["facility_type"]))
    printed = capsys.readouterr().out
    for path in [*MEDICAL.values(), *CARE]:
        n, out = _lines(path), _other_prefectures(path)
        assert (
            f"{Path(path).as_posix()} (" in printed
            and f"rows in {n} = " in printed
            and f"out of scope {out} " in printed
        )
    assert len(stage.notes["reconciliation"]) == len(MEDICAL) + len(CARE)


def test_facility_type_filter_reconciles() -> None:
    r = merge.read_sources(MEDICAL, CARE, facility_types=["hospital", "130"])
    assert set(r.table["facility_type"]) == {"hospital", "130"}
    assert r.counts.ok and dict(r.counts.excluded)["types not selected"] > 0
    assert any(e.action == "excluded" for e in r.qa)


def test_ids_stable_and_duplicates_linked(merged: Cleaned) -> None:
    t = merged.table
    assert t["facility_id"].is_unique
    again = merge.build_merged(merge.read_sources(MEDICAL, list(reversed(CARE)))).table
    assert set(again["facility_id"]) == set(t["facility_id"])  # file order does not change ids
    groups = t[t["n_in_group"] > 1].groupby("duplicate_group")
    kinds = {frozenset(g["facility_type"]) for _, g in groups}
    assert frozenset({"clinic", "hospital"}) in kinds  # a clinic also listed in the hospital file
    assert frozenset({"130"}) in kinds  # one station posted twice
    assert frozenset({"130", "770"}) in kinds  # one facility, two services
    assert (t.groupby("duplicate_group")["is_primary"].sum() == 1).all()


def test_name_key_ignores_spacing_and_corporation() -> None:
    assert merge.facility_name_key("医療法人社団 さくら クリニック") == merge.facility_name_key("さくらクリニック")


def test_geocode_stage_writes_facilities(merged: Cleaned, proc_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    res = geocode.geocode_facilities(merged.table, "secondary_medical_area", 1500.0)
    out = geocode_stage.write_facilities(Stage("03_geocode_facilities", proc_dir / "out"), res)
    n = len(merged.table)
    assert f"rows in {n} = kept {n} + quarantined 0" in capsys.readouterr().out
    fac = processed.read_processed("facilities", schema=schemas.facilities_schema())
    required = [
        "facility_id",
        "source",
        "facility_type",
        "facility_type_label",
        "name",
        "address",
        "municipality_code",
        "municipality_name",
        "town",
        "lat",
        "lon",
        "match_level",
        "area",
        "area_scheme",
        "geocode_note",
        "duplicate_group",
        "capacity",
    ]
    assert set(required) <= set(fac.columns) and len(fac) == len(merged.table)
    inside = fac["municipality_code"].notna()
    assert fac.loc[inside, "area"].notna().all()
    # offices of other prefectures never reach the table (新川町13番5号 of 釧路市, 千代田 of 名古屋市)
    assert not fac["address"].str.contains("新川町13番5号|千代田二丁目|荻野４丁目|高砂町3番5号").any()
    assert fac["source_id"].str[:2].isin(["14", "11", "21"]).all()  # ids of Kanagawa rows only
    # the file's code is authoritative: every row with a code keeps it
    coded = fac["source_municipality_code"].notna()
    assert (fac.loc[coded, "municipality_code"] == fac.loc[coded, "source_municipality_code"]).all()
    # a Kanagawa office whose 住所 has neither prefecture nor city: built from the file's columns
    row = fac[fac["address"] == "新川町2丁目3番4号"].iloc[0]
    assert (row["municipality_code"], row["town"]) == ("14105", "新川町二丁目") and "補って照合" in row["geocode_note"]
    # the address names another municipality than the code: the code is kept and it is reported
    row = fac[fac["address"] == "神奈川県茅ヶ崎市円蔵1-2-3"].iloc[0]
    assert row["municipality_code"] == "14205" and row["disagreement"] and "コードを採用" in row["geocode_note"]
    for status in ("zero", "swapped", "placeholder"):
        rows = fac[fac["coord_status"] == status]
        assert len(rows) > 0 and (rows["coord_source"] == "geocoded").all()
    gdf = gpd.read_file(out["gpkg"])
    assert gdf.crs.to_epsg() == 4326 and len(gdf) == len(fac)
    qa = processed.read_processed("facilities_qa")
    assert {"replaced", "kept"} <= set(qa["action"])
    assert qa["reason"].str.contains("不一致").any() and qa["reason"].str.contains("一致しない: コードを採用").any()


def test_lists_written(proc_dir: Path) -> None:
    stage = Stage("03_geocode_facilities", proc_dir / "out")
    geocode_stage.geocode_list(
        stage,
        "cooperation_notifications",
        str(SAMPLE / "cooperation_notifications.csv"),
        "secondary_medical_area",
        1500.0,
    )
    ict = geocode_stage.geocode_list(
        stage, "ict_participants", str(SAMPLE / "ict_participants.csv"), "secondary_medical_area", 1500.0
    )
    c = processed.read_processed("cooperation_notifications")
    assert c["municipality_code"].notna().all() and c["area"].notna().all()
    assert len(processed.read_processed("ict_participants")) == len(ict.table) and ict.counts.ok


def test_cli_geocode_cp932(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    rows = [
        "名称,所在地",
        "A,茅ケ崎市東海岸北1-2-3 ○○ビル2F",
        "B,東京都町田市原町田6-1-1",
        "C,足柄上郡松田町松田惣領1234",
        "D,川崎市中原区小杉町１丁目４０３番地",
        "E,南区1-1",
    ]
    src.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp932"))
    dest = tmp_path / "out.csv"
    res = run_cli("geocode", str(src), "-o", str(dest), "--address-column", "所在地")
    assert res.returncode == 0, res.stderr
    assert dest.read_bytes().startswith(b"\xef\xbb\xbf")
    out = pd.read_csv(dest, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(out.columns) == [
        "名称",
        "所在地",
        "municipality_code",
        "municipality_name",
        "town",
        "lat",
        "lon",
        "match_level",
        "area",
        "geocode_note",
    ]
    assert out["municipality_code"].tolist() == ["14207", "", "14363", "14133", ""]
    assert out["municipality_name"].tolist()[:4] == ["茅ヶ崎市", "", "足柄上郡松田町", "川崎市中原区"]
    assert out["area"].tolist() == ["湘南東部", "", "県西", "川崎南部", ""]
    assert out.loc[3, "town"] == "小杉町一丁目" and out.loc[3, "match_level"] == "town"
    assert "神奈川県外" in out.loc[1, "geocode_note"] and "区が特定できない" in out.loc[4, "geocode_note"]


def test_cli_missing_column_is_clear_error(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("名称,所在地\nA,横浜市中区山下町1\n", encoding="utf-8")
    res = run_cli("geocode", str(src), "-o", str(tmp_path / "o.csv"))
    assert res.returncode == 2 and "--address-column" in res.stderr and "Traceback" not in res.stderr


def test_cli_geocode_never_overwrites_an_input_column(tmp_path: Path) -> None:
    # issue 16: an input column named like an output (here town and area) was silently replaced
    src = tmp_path / "in.csv"
    src.write_text(
        "名称,所在地,town,area\nA,川崎市中原区小杉町１丁目４０３番地,自分の町名,自分の圏域\n", encoding="utf-8"
    )
    dest = tmp_path / "out.csv"
    res = run_cli("geocode", str(src), "-o", str(dest), "--address-column", "所在地")
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "town, area" in res.stderr and "column 'town'" in res.stderr and "--prefix" in res.stderr
    assert not dest.exists()

    res = run_cli("geocode", str(src), "-o", str(dest), "--address-column", "所在地", "--prefix", "geo_")
    assert res.returncode == 0, res.stderr
    out = pd.read_csv(dest, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(out.columns[:4]) == ["名称", "所在地", "town", "area"]
    assert out.loc[0, "town"] == "自分の町名" and out.loc[0, "area"] == "自分の圏域"
    assert out.loc[0, "geo_town"] == "小杉町一丁目" and out.loc[0, "geo_area"] == "川崎南部"
    assert "town 1" in res.stdout

    # a prefix that still collides is refused the same way
    src.write_text("所在地,geo_lat\n横浜市中区山下町1,35\n", encoding="utf-8")
    res = run_cli("geocode", str(src), "-o", str(dest), "--address-column", "所在地", "--prefix", "geo_")
    assert res.returncode == 2 and "geo_lat" in res.stderr


def test_geocode_qa_lists_each_row_s_findings_in_order() -> None:
    geo = pd.DataFrame(
        {
            "match_level": ["town", "none", "municipality", "town", "none", "town"],
            "outside": [False, False, False, False, True, False],
            "coord_status": ["ok", "zero", "missing", "swapped", "ok", "ok"],
            "disagreement": [False, True, False, True, False, False],
            "geocode_note": ["", "n1", "n2", "n3", "東京都", ""],
        },
        index=[10, 11, 12, 13, 14, 15],  # the merged table's index, not positions
    )
    file = pd.Series(["f.csv"] * 6, index=geo.index)
    row = pd.Series([2, 3, 4, 5, 6, 7], index=geo.index)
    addresses = pd.Series([f"住所{i}" for i in range(6)], index=geo.index)
    qa = geocode.geocode_qa(file, row, "住所", geo, addresses)
    assert [(e.row, e.reason, e.action, e.value) for e in qa] == [
        (3, "住所を照合できない（unmatched）: n1", "kept", "住所1"),
        (3, "座標を置換: 元データの座標が0.0", "replaced", "住所1"),
        (3, "住所と座標・コードの不一致: n1", "kept", "住所1"),
        (4, "区市町村レベルのみ: n2", "kept", "住所2"),
        (5, "座標を置換: 元データの緯度・経度が入れ替わっている", "replaced", "住所3"),
        (5, "住所と座標・コードの不一致: n3", "kept", "住所3"),
        (6, "神奈川県外: 東京都", "kept", "住所4"),
    ]
    assert {e.stage for e in qa} == {geocode.GEOCODE_STAGE} and {e.column for e in qa} == {"住所"}
    assert geocode.geocode_qa(file, row, "住所", geo.drop(columns="outside"), addresses)[-1].reason.startswith(
        "住所を照合できない"
    )
