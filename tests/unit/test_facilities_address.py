"""Address normaliser and gazetteer geocoder (住所の正規化・ジオコーディング)."""

from __future__ import annotations

import pytest

from homecare.facilities.address import kanji_number, normalize_address, normalize_addresses, split_prefecture
from homecare.facilities.gazetteer import load_gazetteer

# Many written forms of one address: all must give the same key.
SAME_ADDRESS = [
    "神奈川県川崎市中原区小杉町1丁目403番地",
    "神奈川県川崎市中原区小杉町一丁目403番地",
    "川崎市中原区小杉町1-403",
    "川崎市中原区小杉町１－４０３",
    "川崎市中原区小杉町1‐403",
    "川崎市中原区小杉町1ー403",
    "川崎市中原区小杉町1−403",
    "川崎市中原区小杉町1―403",
    "〒211-0063 川崎市中原区小杉町1丁目403番地 ○○ビル2F",
    "〒211-0063　神奈川県　川崎市中原区　小杉町１丁目４０３",
    "川崎市中原区小杉町1丁目403（武蔵小杉タワー内）",
    "神奈川県川崎市中原区小杉町1-403-2F",
]


@pytest.mark.parametrize("written", SAME_ADDRESS)
def test_normaliser_many_forms_one_key(written: str) -> None:
    assert split_prefecture(normalize_address(written)).body == "川崎市中原区小杉町1-403"


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("横浜市西区みなとみらい二丁目3番地の1", "横浜市西区みなとみらい2-3-1"),
        ("横浜市西区みなとみらい2丁目3番1号", "横浜市西区みなとみらい2-3-1"),
        ("横浜市西区みなとみらい２の３の１", "横浜市西区みなとみらい2-3-1"),
        ("足柄上郡松田町松田惣領1234番地の5", "足柄上郡松田町松田惣領1234-5"),
        ("茅ヶ崎市東海岸北1-2-3", "茅ケ崎市東海岸北1-2-3"),
        ("茅ケ崎市東海岸北1-2-3", "茅ケ崎市東海岸北1-2-3"),
        ("横浜市保土ヶ谷区岩井町1", "横浜市保土ケ谷区岩井町1"),
    ],
)
def test_normaliser_rules(written: str, key: str) -> None:
    assert normalize_address(written) == key


def test_kanji_numbers() -> None:
    assert [kanji_number(k) for k in ("三", "十", "十二", "二十", "二十三")] == [3, 10, 12, 20, 23]


def test_prefecture_split() -> None:
    assert split_prefecture("神奈川県横浜市中区山下町1") == ("神奈川県", "横浜市中区山下町1")
    assert split_prefecture("神奈川区六角橋1") == ("", "神奈川区六角橋1")
    assert split_prefecture("東京都町田市原町田1") == ("東京都", "町田市原町田1")


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


@pytest.mark.parametrize("written", SAME_ADDRESS)
def test_geocoder_many_forms_same_town(gaz, written: str) -> None:
    r = gaz.geocode(written)
    assert (r.municipality_code, r.municipality_name, r.town, r.match_level) == (
        "14133",
        "川崎市中原区",
        "小杉町一丁目",
        "town",
    )


@pytest.mark.parametrize(
    ("written", "code", "name", "town"),
    [
        ("横浜市青葉区あざみ野2-3-1", "14117", "横浜市青葉区", "あざみ野二丁目"),
        ("茅ケ崎市東海岸北1-2-3 ○○ビル2F", "14207", "茅ヶ崎市", "東海岸北一丁目"),
        ("茅ヶ崎市東海岸北一丁目2番3号", "14207", "茅ヶ崎市", "東海岸北一丁目"),
        ("足柄上郡松田町松田惣領1234", "14363", "足柄上郡松田町", "松田惣領"),
        ("松田町松田惣領1234", "14363", "足柄上郡松田町", "松田惣領"),
        ("神奈川県足柄上郡松田町松田惣領１２３４", "14363", "足柄上郡松田町", "松田惣領"),
        ("相模原市緑区橋本3-1", "14151", "相模原市緑区", "橋本三丁目"),
        ("相模原市橋本3-1", "14151", "相模原市緑区", "橋本三丁目"),  # ward left out: town unique to 緑区
        ("横浜市保土ケ谷区岩井町1", "14106", "横浜市保土ケ谷区", "岩井町"),
        ("横浜市保土ヶ谷区岩井町1", "14106", "横浜市保土ケ谷区", "岩井町"),
        ("津久井町中野123", "14151", "相模原市緑区", "中野"),  # old municipality names
        ("神奈川県津久井郡相模湖町与瀬1", "14151", "相模原市緑区", "与瀬"),
        ("藤野町吉野1", "14151", "相模原市緑区", "吉野"),
        ("緑区長津田1-2", "14113", "横浜市緑区", "長津田一丁目"),  # bare 緑区 resolved by town
        ("伊勢原市小稲葉字田中100", "14214", "伊勢原市", "小稲葉"),
        ("横浜市港北区新横浜二丁目5番5号", "14109", "横浜市港北区", "新横浜二丁目"),
        ("神奈川県横浜市中区日本大通1", "14104", "横浜市中区", "日本大通"),
        ("鎌倉市大船1丁目1番1号", "14204", "鎌倉市", "大船一丁目"),
        ("高座郡寒川町一之宮1-1", "14321", "高座郡寒川町", "一之宮一丁目"),
        ("寒川町一ノ宮1-1", "14321", "高座郡寒川町", "一之宮一丁目"),
        ("青葉区あざみ野2-3-1", "14117", "横浜市青葉区", "あざみ野二丁目"),
        ("川崎市中原区小杉町3丁目", "14133", "川崎市中原区", "小杉町三丁目"),
        ("〒225ー0011 横浜市青葉区あざみ野2-3-1", "14117", "横浜市青葉区", "あざみ野二丁目"),
        ("横浜市都築区茅ケ崎中央1-1", "14118", "横浜市都筑区", "茅ケ崎中央"),  # common misspelling (data file)
        ("相模原市相模大野3-2-1", "14153", "相模原市南区", "相模大野三丁目"),
        ("足柄上郡松田町大字松田惣領866-1", "14363", "足柄上郡松田町", "松田惣領"),
        ("川崎市宮前区有馬9-9", "14136", "川崎市宮前区", "有馬九丁目"),
    ],
)
def test_geocoder_real_forms(gaz, written: str, code: str, name: str, town: str) -> None:
    r = gaz.geocode(written)
    assert (r.municipality_code, r.municipality_name, r.town, r.match_level) == (code, name, town, "town")
    assert 35.1 < r.lat < 35.7 and 138.9 < r.lon < 139.8


def test_old_name_is_noted(gaz) -> None:
    assert "津久井町" in gaz.geocode("津久井町中野123").geocode_note


def test_ambiguous_ward_is_reported_not_guessed(gaz) -> None:
    r = gaz.geocode("南区1-1")
    assert r.municipality_code == "" and r.match_level == "none"
    assert "区が特定できない" in r.geocode_note
    assert set(r.candidates) == {"14105", "14153"}


def test_outside_kanagawa_is_not_guessed(gaz) -> None:
    r = gaz.geocode("東京都町田市原町田6-1-1")
    assert r.municipality_code == "" and r.match_level == "none" and r.outside
    assert "神奈川県外" in r.geocode_note


@pytest.mark.parametrize("written", ["川崎市高津区溝の口1-1", "川崎市高津区溝ノ口1丁目1"])
def test_town_spelled_with_a_linking_no_matches_the_gazetteer(gaz, written: str) -> None:
    r = gaz.geocode(written)
    assert (r.municipality_code, r.town, r.match_level) == ("14134", "溝口一丁目", "town")
    assert "溝口一丁目" in r.geocode_note


def test_unknown_town_falls_back_to_municipality_point(gaz) -> None:
    r = gaz.geocode("横浜市緑区存在しない町1-1")
    assert r.match_level == "municipality" and r.municipality_code == "14113" and r.town == ""
    assert r.lat == gaz.rep_point["14113"][0]


def test_bare_ward_without_known_town_is_not_placed(gaz) -> None:
    r = gaz.geocode("中央区銀座4-1-1")  # Tokyo written without prefecture
    assert r.municipality_code == "" and r.match_level == "none" and "県外か不明" in r.geocode_note


def test_koaza_point_used(gaz) -> None:
    with_koaza = gaz.geocode("伊勢原市小稲葉字田中100")
    plain = gaz.geocode("伊勢原市小稲葉100")
    assert with_koaza.town == plain.town == "小稲葉" and with_koaza.lat != plain.lat


@pytest.mark.parametrize("written", ["町田市原町田6-1-1", "八王子市元本郷町3-24-1", "港区芝公園4-2-8"])
def test_other_prefecture_without_prefecture_name_is_not_placed(gaz, written: str) -> None:
    r = gaz.geocode(written)
    assert r.municipality_code == "" and r.match_level == "none"


def test_town_without_municipality_unique(gaz) -> None:
    r = gaz.geocode("あざみ野2-3-1")
    assert r.municipality_code == "14117" and "推定" in r.geocode_note


# -- gaps found on the real files (facilities_real.md section 4) ---------------------------------
@pytest.mark.parametrize(
    ("written", "code", "town"),
    [
        ("横浜市南区六ッ川1-2-3", "14105", "六ツ川一丁目"),  # small ッ for ツ
        ("横浜市瀬谷区三ッ境1", "14114", "三ツ境"),
        ("小田原市曾我岸148", "14206", "曽我岸"),  # 曾/曽
        ("横浜市港北区大曾根1-1-1", "14109", "大曽根一丁目"),
        ("相模原市中央区渕野辺1-1-1", "14152", "淵野辺一丁目"),  # 渕/淵
        ("相模原市緑区沢井100", "14151", "澤井"),  # the gazetteer's own old forms 澤, 龍
        ("足柄下郡箱根町塔之沢100", "14382", "塔之澤"),
        ("平塚市竜城ケ丘1-1", "14203", "龍城ケ丘"),
        ("神奈川県藤沢市藤沢市高倉２３４５", "14205", "高倉"),  # a doubled city, read once
        ("横浜市横浜市港北区新横浜2-5-5", "14109", "新横浜二丁目"),
        ("神奈川県横浜市西区御所山町七十七番地", "14103", "御所山町"),  # a kanji house number follows
        ("三浦市城山町1-1", "14210", "城山町"),  # a town spelt like an old municipality (城山町)
    ],
)
def test_real_address_gaps(gaz, written: str, code: str, town: str) -> None:
    r = gaz.geocode(written)
    assert (r.municipality_code, r.town, r.match_level) == (code, town, "town")


def test_doubled_city_is_noted(gaz) -> None:
    r = gaz.geocode("神奈川県藤沢市藤沢市高倉２３４５")
    assert "「藤沢市」の後の「藤沢市」" in r.geocode_note
    assert abs(r.lat - 35.413) < 0.01  # 高倉, not 藤沢 8.5 km away


@pytest.mark.parametrize("written", ["平塚市中原上宿100", "藤沢市辻堂元町湘南ビル"])
def test_a_town_that_is_only_the_start_of_the_written_name_is_not_taken(gaz, written: str) -> None:
    r = gaz.geocode(written)
    assert (r.match_level, r.town) == ("municipality", "") and "丁目・番地でない" in r.geocode_note
    assert gaz.geocode("平塚市中原2-1").town == "中原二丁目"  # a 丁目/番地 part after it: accepted
    assert gaz.geocode("伊勢原市小稲葉字田中100").town == "小稲葉"  # a 字 after it: accepted


def test_supplement_town_created_after_the_gazetteer(gaz) -> None:
    r = gaz.geocode("神奈川県横浜市泉区ゆめが丘３０－１")
    assert (r.municipality_code, r.town, r.match_level) == ("14116", "ゆめが丘", "town")
    assert "gazetteer_supplement.csv" in r.geocode_note and "2024-09-02" in r.geocode_note


def test_variant_unification_merges_no_two_gazetteer_towns() -> None:
    from homecare.facilities.address import load_variants, match_key
    from homecare.facilities.gazetteer import load_town_points

    towns = load_town_points()
    for _, g in towns.groupby("municipality_code"):
        keys = g["town"].map(match_key)
        assert keys.nunique() == g["town"].nunique(), g["town"][keys.duplicated(keep=False)].tolist()
    assert load_variants()["ッ"] == "ツ" and load_variants()["曾"] == "曽"


# -- the source file's code is authoritative ----------------------------------------------------
def test_unit_from_the_file_decides(gaz) -> None:
    # no municipality written: the town is looked up in the file's unit only
    r = gaz.geocode("新川町13番5号", "14105")
    assert (r.municipality_code, r.town[:3], r.code_disagrees) == ("14105", "新川町", False)
    # another municipality written: the code is kept, the disagreement reported, no town guessed
    r = gaz.geocode("神奈川県茅ヶ崎市円蔵1-2-3", "14205")
    assert (r.municipality_code, r.match_level, r.code_disagrees) == ("14205", "municipality", True)
    assert "コードを採用" in r.geocode_note
    # another prefecture written: the code is kept, reported
    r = gaz.geocode("東京都町田市原町田6-1-1", "14151")
    assert (r.municipality_code, r.code_disagrees, r.outside) == ("14151", True, False)
    # old names after the unit (built address) are read past
    r = gaz.geocode("神奈川県相模原市緑区津久井郡藤野町吉野1", "14151")
    assert (r.town, r.code_disagrees) == ("吉野", False)


def test_without_a_code_a_national_address_is_not_placed_by_town_alone(gaz) -> None:
    # the geocoder alone still infers a unique town (homecare geocode); stage 02 never sends
    # rows of other prefectures: they are out of scope by their own code (test_facilities_scope)
    assert gaz.geocode("北海道釧路市新川町13番5号").outside


def test_normalize_addresses_is_normalize_address_of_each() -> None:
    values = [
        "横浜市中区山下町１",
        "〒231-0023 横浜市中区山下町1番地",
        "横浜市中区山下町１",
        "茅ヶ崎市東海岸北1-2-3 2F",
    ]
    assert normalize_addresses(values) == [normalize_address(v) for v in values]
    assert normalize_addresses([]) == []
