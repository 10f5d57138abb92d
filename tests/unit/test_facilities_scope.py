"""Scope by the file's own codes (対象都道府県の判定), address building, capacity rules."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest

from homecare.core.errors import ParameterError
from homecare.facilities import capacity, scope
from homecare.facilities import read as adapters
from homecare.facilities.address import complete_address
from homecare.facilities.gazetteer import municipality_forms
from homecare.reference import municipalities

CARE_HEADER = (
    "都道府県コード又は市町村コード,No,都道府県名,市区町村名,事業所名,事業所名カナ,サービスの種類,住所,"
    "方書（ビル名等）,緯度,経度,電話番号,FAX番号,法人番号,法人の名称,事業所番号,利用可能曜日,"
    "利用可能曜日特記事項,定員,URL,高齢者の方と障害者の方が同時一体的に利用できるサービス,"
    "介護保険の通常の指定基準を満たしている,障害福祉の通常の指定基準を満たしている,備考"
)


def _care_file(tmp_path: Path, rows: list[tuple[str, str, str, str, str, str]], code: str = "510") -> Path:
    """A jigyosho file in the real 24-column layout: rows of (code6, 都道府県名, 市区町村名,
    事業所名, 住所, 定員)."""
    lines = [CARE_HEADER]
    for k, (code6, pref, muni, name, address, cap) in enumerate(rows):
        office = f"{code6[:2]}{k:08d}"
        lines.append(
            f"{code6},{office},{pref},{muni},{name},,介護老人福祉施設,{address},,35.4,139.6,,,,,{office},,,{cap},,,,,"
        )
    path = tmp_path / f"jigyosho_{code}.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    return path


def test_check_digits_vectorised_agree_with_the_rule() -> None:
    rng = random.Random(3)
    codes5 = [f"{rng.randint(1, 47):02d}{rng.randint(0, 999):03d}" for _ in range(2000)]
    good = [municipalities.to_code6(c) for c in codes5]
    bad = [c[:5] + str((int(c[5]) + 1) % 10) for c in good]
    ok, expected = scope.check_digits(pd.Series(good + bad + ["14100", "", "１４１００３"]))
    assert ok.tolist() == [True] * 2000 + [False] * 2000 + [False, False, False]
    assert expected[:2000].tolist() == [c[5] for c in good]


def test_national_file_rows_of_other_prefectures_are_out_of_scope(tmp_path: Path) -> None:
    path = _care_file(
        tmp_path,
        [
            ("141046", "神奈川県", "横浜市中区", "A", "神奈川県横浜市中区山下町1", "80"),
            # 釧路市 and 名古屋市 offices whose 住所 has neither prefecture nor city; 新川町 exists in 横浜市南区
            ("012068", "北海道", "釧路市", "B", "新川町13番5号", "0"),
            ("231061", "愛知県", "名古屋市中区", "C", "千代田二丁目11番6号", "50"),
            ("131016", "東京都", "千代田区", "D", "東京都千代田区丸の内1-1", "50"),
        ],
    )
    res = adapters.read_care(path)
    assert res.table["name"].tolist() == ["A"] and res.table["code_hint"].tolist() == ["14104"]
    assert res.counts.line() == "rows in 4 = kept 1 + out of scope 3 + quarantined 0"
    excluded = [e for e in res.qa if e.action == "excluded"]
    assert len(excluded) == 1 and "3行" in excluded[0].reason  # one QA line per file, with the count


def test_scope_quarantines_contradictions_and_uses_names_for_bad_codes(tmp_path: Path) -> None:
    path = _care_file(
        tmp_path,
        [
            ("141047", "神奈川県", "横浜市中区", "bad check digit", "神奈川県横浜市中区山下町1", "80"),
            ("141046", "東京都", "横浜市中区", "code 14 name Tokyo", "神奈川県横浜市中区山下町1", "80"),
            ("131016", "神奈川県", "千代田区", "code 13 name Kanagawa", "東京都千代田区丸の内1-1", "80"),
            ("012068", "東京都", "釧路市", "both elsewhere", "新川町13番5号", "0"),
            ("141003", "神奈川県", "横浜市中区", "city-level code", "神奈川県横浜市中区山下町1", "0"),
            ("141046", "神奈川県", "横浜市西区", "name differs", "神奈川県横浜市中区山下町1", "0"),
        ],
    )
    res = adapters.read_care(path)
    kept = res.table.set_index("name")["code_hint"].to_dict()
    assert kept == {"bad check digit": "14104", "city-level code": "14104", "name differs": "14104"}
    assert res.counts.line() == "rows in 6 = kept 3 + out of scope 1 + quarantined 2"
    reasons = [e.reason for e in res.qa]
    assert any("チェックディジットが不正（正しくは 6）" in r for r in reasons)
    assert any("市区町村名（横浜市西区）と市町村コード（141046）が一致しない: コードを採用" in r for r in reasons)
    assert sum("都道府県が一致しない" in r for r in reasons) == 2


def test_medical_scope_by_prefecture_and_city_codes(tmp_path: Path) -> None:
    path = tmp_path / "01-1_hospital_facility_info_20251201.csv"
    path.write_text(
        '"ID","正式名称","都道府県コード","市区町村コード","所在地","所在地座標（緯度）","所在地座標（経度）","合計病床数"\n'
        '"1141100000001","A","14","203","神奈川県平塚市袖ケ浜１－１２",35.3,139.3,"120"\n'
        '"1131100000001","B","13","101","東京都千代田区丸の内1-1",35.6,139.7,"200"\n'
        '"1141100000002","C","","","神奈川県鎌倉市小町",0.0,0.0,"0"\n'
        '"1141100000003","D","","","小町1-1",0.0,0.0,"50"\n',
        encoding="utf-8",
    )
    res = adapters.read_medical(path, "hospital")
    t = res.table.set_index("name")
    assert t["code_hint"].to_dict() == {"A": "14203", "C": ""}
    assert t["capacity"].isna().tolist() == [False, True]  # a hospital with 0 beds: unknown
    assert res.counts.line() == "rows in 4 = kept 2 + out of scope 1 + quarantined 1"
    assert any(e.action == "quarantined" and "都道府県を判定できない" in e.reason for e in res.qa)


def test_only_the_reference_prefecture_can_be_in_scope(tmp_path: Path) -> None:
    path = _care_file(tmp_path, [("141046", "神奈川県", "横浜市中区", "A", "神奈川県横浜市中区山下町1", "80")])
    with pytest.raises(ParameterError, match="cover 神奈川県"):
        adapters.read_care(path, prefecture_code="13")
    assert adapters.read_care(path, prefecture_code="14").counts.kept == 1


@pytest.mark.parametrize(
    ("written", "pref", "muni", "built"),
    [
        ("神奈川県横浜市中区山下町1", "神奈川県", "横浜市中区", "神奈川県横浜市中区山下町1"),  # complete: unchanged
        ("横浜市中区山下町1", "神奈川県", "横浜市中区", "神奈川県横浜市中区山下町1"),
        ("新川町13番5号", "北海道", "釧路市", "北海道釧路市新川町13番5号"),
        ("千代田二丁目11番6号", "愛知県", "名古屋市中区", "愛知県名古屋市中区千代田二丁目11番6号"),
        ("中郡二宮町二宮100", "神奈川県", "二宮町", "神奈川県中郡二宮町二宮100"),  # county + municipality
        ("鶴見区仲通1-1", "神奈川県", "横浜市鶴見区", "神奈川県横浜市鶴見区仲通1-1"),  # the ward alone
        ("相模原市橋本3-1", "神奈川県", "相模原市緑区", "神奈川県相模原市緑区橋本3-1"),  # the city without ward
        ("長野県市川岸上４－３－７", "長野県", "岡谷市", "長野県岡谷市市川岸上4-3-7"),  # the city left out
        ("〒231-0023 横浜市中区山下町1", "神奈川県", "横浜市中区", "神奈川県横浜市中区山下町1"),
        ("神奈川県茅ケ崎市円蔵1", "神奈川県", "茅ヶ崎市", "神奈川県茅ケ崎市円蔵1"),
    ],
)
def test_complete_address(written: str, pref: str, muni: str, built: str) -> None:
    assert complete_address(written, pref, muni) == built


def test_complete_address_leaves_another_named_municipality_to_the_geocoder() -> None:
    forms = municipality_forms()
    assert complete_address("神奈川県茅ヶ崎市円蔵1-2-3", "神奈川県", "藤沢市", forms) == "神奈川県茅ヶ崎市円蔵1-2-3"
    assert complete_address("津久井町中野1", "神奈川県", "相模原市緑区", forms) == "神奈川県津久井町中野1"
    assert complete_address("円蔵1-2-3", "神奈川県", "藤沢市", forms) == "神奈川県藤沢市円蔵1-2-3"


def test_capacity_rules(tmp_path: Path) -> None:
    raw = pd.DataFrame({"定員": ["0", "", "50", "40", "abc"], "source_row": [2, 3, 4, 5, 6]})
    cap, qa = capacity.read_capacity(raw, "540", "f.csv")
    assert cap.isna().tolist() == [True, True, False, False, True] and cap[2] == 50 and cap[3] == 40
    assert any("不明として扱う（合計に含めない）3行" in e.reason for e in qa)
    assert any("上限 29" in e.reason and e.value == "40" for e in qa)  # 地域密着型: flagged, kept
    assert any("数値でない" in e.reason and e.value == "abc" for e in qa)
    beds = pd.DataFrame({"合計病床数": ["0", "19"], "source_row": [2, 3]})
    assert capacity.read_capacity(beds, "clinic", "f.csv")[0].tolist() == [0.0, 19.0]  # 無床: a real 0
    assert capacity.read_capacity(raw, "130", "f.csv")[0].isna().all()  # 訪問看護: no capacity
    parts = pd.DataFrame({"一般病床": ["100", ""], "療養病床": ["20", ""], "source_row": [2, 3]})
    assert capacity.read_capacity(parts, "hospital", "f.csv")[0].fillna(-1).tolist() == [120.0, -1]
    assert set(adapters.load_facility_types()["facility_type"]) <= set(capacity.load_rules().index)


def test_capacity_summary_says_how_many_are_unknown() -> None:
    fac = pd.DataFrame(
        {
            "facility_type": ["510", "510", "510", "130", "510"],
            "capacity": [50.0, None, 30.0, None, 99.0],
            "municipality_code": ["14101", "14101", "14102", "14101", None],
            "is_primary": [True, True, True, True, True],
        }
    )
    table = capacity.capacity_summary(fac, {"510": "介護老人福祉施設", "130": "訪問看護"})
    assert table.to_dict("records")[0] == {
        "施設種別": "介護老人福祉施設",
        "施設数": 3,
        "定員・病床数が分かる施設": 2,
        "定員・病床数が不明の施設": 1,
        "定員・病床数の合計": 80.0,
        "定員・病床数の対象": "対象",
    }
    assert table.iloc[1]["定員・病床数の対象"] == "対象外（定員なし）"
