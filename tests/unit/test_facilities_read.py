"""Facility source adapters and encoding detection (データ源の読み込み)."""

from __future__ import annotations

from pathlib import Path

import pytest

from homecare.core.encoding import detect_encoding, read_csv_text
from homecare.core.errors import InputError
from homecare.facilities import read as adapters
from homecare.reference import municipalities

SAMPLE = Path("data/raw/sample/facilities")


@pytest.mark.parametrize(
    ("data", "enc"),
    [
        ("住所\n横浜市\n".encode("utf-8-sig"), "utf-8-sig"),
        ("住所\n横浜市\n".encode(), "utf-8"),
        ("住所\n横浜市\n".encode("cp932"), "cp932"),
    ],
)
def test_encoding_detected(data: bytes, enc: str) -> None:
    assert detect_encoding(data) == enc


def test_read_csv_keeps_codes_as_text(tmp_path: Path) -> None:
    p = tmp_path / "a.csv"
    p.write_bytes("ID,市区町村コード\n0000000000001,101\n".encode("cp932"))
    df, enc = read_csv_text(p)
    assert enc == "cp932" and df.loc[0, "ID"] == "0000000000001" and df.loc[0, "市区町村コード"] == "101"


def test_medical_hospital_sample() -> None:
    res = adapters.read_medical(SAMPLE / "01-1_hospital_facility_info.csv", "hospital")
    df, qa = res.table, res.qa
    assert list(df.columns) == adapters.RECORD_COLUMNS
    assert (df["facility_type"] == "hospital").all() and df["encoding"].iloc[0] == "utf-8-sig"
    assert df["source_id"].str.fullmatch(r"\d{13}").all()
    # capacity = 合計病床数; a hospital's 0 or blank is unknown (capacity_rules.csv), never 0
    assert df["capacity"].notna().sum() >= 40 and (df["capacity"].dropna() > 0).all()
    assert df.loc[df["address"].str.contains("曾我岸"), "capacity"].isna().all()  # 合計病床数 0
    # 3-digit 市区町村コード prefixed with the prefecture code; rows of other prefectures out of scope
    assert df["code_hint"].str.fullmatch(r"14\d{3}").all()
    out = dict(res.counts.excluded)["out of scope"]
    assert out > 0 and res.counts.rows_in == len(df) + out + res.counts.quarantined
    assert [e.reason for e in qa if e.action == "excluded"] == [
        f"対象外の都道府県（14 以外）: {out}行（照合・地図・集計に含めない）"
    ]


def test_medical_clinic_quarantines_row_without_name() -> None:
    res = adapters.read_medical(SAMPLE / "02-1_clinic_facility_info.csv", "clinic")
    quarantined = [e for e in res.qa if e.action == "quarantined"]
    assert len(quarantined) == 1 and quarantined[0].column == "正式名称" and quarantined[0].row >= 2
    assert (res.table["name"] != "").all() and res.counts.quarantined == 1
    # a clinic's 0 beds is a real value (無床診療所); more than 19 beds is flagged, kept
    assert (res.table["capacity"] == 0).any()
    assert any("上限 19" in e.reason and e.value == "25" for e in res.qa)


@pytest.mark.parametrize("code", adapters.CARE_SERVICE_CODES)
def test_care_every_service_file(code: str) -> None:
    res = adapters.read_care(SAMPLE / f"jigyosho_{code}.csv")
    df = res.table
    assert len(df) > 0 and (df["facility_type"] == code).all()
    assert df["code_hint"].str.fullmatch(r"14\d{3}").all()  # every kept row has its unit from the file
    assert df["source_id"].str.fullmatch(r"14B?\d{7,8}").all()
    assert dict(res.counts.excluded)["out of scope"] > 0 and res.counts.ok
    assert (df["capacity"].dropna() > 0).all()  # 定員 0 is unknown, never a capacity of 0


def test_care_cp932_file_bad_check_digit_and_conflict() -> None:
    res = adapters.read_care(SAMPLE / "jigyosho_130.csv")
    assert res.table["encoding"].iloc[0] == "cp932"
    bad = [e for e in res.qa if "チェックディジット" in e.reason]
    assert len(bad) == 1 and bad[0].action == "kept"
    raw, _ = read_csv_text(SAMPLE / "jigyosho_130.csv")
    written = raw.iloc[bad[0].row - 2]["市区町村名"]
    kept = res.table[res.table["source_row"] == bad[0].row].iloc[0]
    assert kept["code_hint"] == municipalities.lookup_code(written)  # the unit from 市区町村名
    reasons = {e.reason for e in res.qa if e.action == "quarantined"}
    assert "市町村コードと都道府県名の都道府県が一致しない（どちらが正しいか判定できない）" in reasons
    assert res.counts.quarantined == 2  # that row and the row without a name


def test_care_headers_found_by_text_in_any_order(tmp_path: Path) -> None:
    p = tmp_path / "jigyosho_510.csv"
    p.write_text(
        "備考,事業所番号,住所,事業所名,経度,緯度,都道府県コード又は市町村コード,定員\n"
        ",1471000001,横浜市中区山下町1,テストホーム,139.65,35.44,141046,80\n"
        ",1371000001,東京都千代田区丸の内1,東京ホーム,139.76,35.68,131016,0\n",
        encoding="utf-8-sig",
    )
    res = adapters.read_care(p)
    row = res.table.iloc[0]
    assert (row["name"], row["code_hint"], row["capacity"], row["src_lat"]) == ("テストホーム", "14104", 80.0, 35.44)
    assert len(res.table) == 1 and res.counts.line() == "rows in 2 = kept 1 + out of scope 1 + quarantined 0"


def test_care_missing_column_is_located_error(tmp_path: Path) -> None:
    p = tmp_path / "jigyosho_510.csv"
    p.write_text("都道府県コード又は市町村コード,事業所名,緯度\n141046,A,35\n", encoding="utf-8")
    with pytest.raises(InputError, match="no column") as err:
        adapters.read_care(p)
    assert "source_row" not in str(err.value) and "jigyosho_510.csv" in str(err.value)


def test_care_unknown_service_code(tmp_path: Path) -> None:
    p = tmp_path / "jigyosho_999.csv"
    p.write_text("事業所名\nA\n", encoding="utf-8")
    with pytest.raises(InputError, match="service code"):
        adapters.read_care(p)


def test_cooperation_template() -> None:
    df, qa = adapters.read_cooperation(SAMPLE / "cooperation_notifications.csv")
    seed_categories = {
        "介護老人福祉施設",
        "介護老人保健施設",
        "介護医療院",
        "養護老人ホーム",
        "軽費老人ホーム",
        "特定施設入居者生活介護",
    }
    assert set(df["category"]) <= seed_categories
    assert set(df["requirement_status"]) <= {"全要件", "一部要件", "その他"}
    full = df[df["requirement_status"] == "全要件"]
    assert (full[["requirement_1", "requirement_2", "requirement_3"]].all(axis=1)).all()
    assert (df.loc[df["category"] == "介護老人福祉施設", "obligation"] == "義務").all()
    assert any(e.value == "要確認" for e in qa)  # an unreadable ○/× is reported


def test_ict_participants() -> None:
    df, qa = adapters.read_ict_participants(SAMPLE / "ict_participants.csv")
    assert set(df["network"]) == {"サルビアねっと", "さくらネット", "medical B.I.G net"}
    known = {"病院", "医科診療所", "歯科診療所", "薬局", "訪問看護ST", "介護施設（入所）", "介護施設（非入所）", ""}
    assert set(df["participant_type"]) <= known
    assert [e.value for e in qa] == ["接骨院"]


def test_facility_types_reference() -> None:
    ft = adapters.load_facility_types()
    assert set(ft["facility_type"]) == {"hospital", "clinic", *adapters.CARE_SERVICE_CODES}
    assert set(ft["category"]) == {"medical", "care"}
