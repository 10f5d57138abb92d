"""Deterministic generator of the synthetic facility sample files (サンプルデータ).

``python -m homecare_dev.samples.facilities`` (re)writes ``data/raw/sample/facilities/`` in
the real layouts: 医療情報ネット hospital/clinic files under the real 65-column header (every
field quoted except the coordinates, UTF-8 with BOM, CRLF), 介護サービス情報公表 national files
``jigyosho_<code>.csv`` under the real 24-column header with offices of every prefecture
(about a third of the rows), the 協力医療機関 list, the ICT participant list and a CP932
address list for ``homecare geocode``. Facility names are invented; Kanagawa addresses use
real town names from the mirrored gazetteer (read through the catalog; not copied).

The files carry the dirt the real files have: offices of other prefectures whose 住所 has
neither prefecture nor city (釧路市 新川町13番5号, 名古屋市中区 千代田二丁目…) and whose town
also exists in Kanagawa; 定員 0 where it is not a capacity; 事業所番号 like 14B…; full-width
digits, 丁目 in kanji and digits, hyphen variants, missing prefecture or county, postal codes
and building names, 茅ケ崎/茅ヶ崎, old municipality names, a doubled city (藤沢市藤沢市高倉),
small ッ and 曾, a town created in 2024 (ゆめが丘), duplicates across sources, 0.0 and swapped
coordinates, a placeholder point shared by many rows, points outside Kanagawa, a bad check
digit, a code contradicting 都道府県名, an address naming another municipality than the code,
a 定員 above the legal limit and rows without a name.
"""

from __future__ import annotations

import csv
import io
import random
import re
from pathlib import Path

import pandas as pd

from homecare.core import paths, provenance
from homecare.facilities.gazetteer import load_town_points
from homecare.reference import municipalities

SAMPLE_DIR = Path("data/raw/sample/facilities")
SEED = 20260203
PLACEHOLDER = (35.447753, 139.642514)  # 神奈川県庁: a typical shared placeholder point
_FW = str.maketrans("0123456789-", "０１２３４５６７８９－")
_CHOME = re.compile(r"^(.+?)([一二三四五六七八九十]+)丁目$")
_KANJI = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NAME_HEADS = [
    "あおば",
    "さくら",
    "ひかり",
    "みどり",
    "やまゆり",
    "かもめ",
    "わかば",
    "すみれ",
    "なぎさ",
    "こもれび",
    "つばさ",
    "ひまわり",
]
_OLD_TSUKUI = {"中野": "津久井町", "与瀬": "相模湖町", "吉野": "藤野町", "久保沢": "城山町", "小渕": "藤野町"}


class _Gen:
    """Random choices of real towns and synthetic facilities, one seed for all files."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        towns = load_town_points().dropna(subset=["lat", "lon"])
        self.towns = towns[towns["koaza"] == ""].reset_index(drop=True)
        self.units = municipalities.units().set_index("municipality_code")
        self.serial = 0

    def town(self, code: str | None = None) -> pd.Series:
        t = self.towns if code is None else self.towns[self.towns["municipality_code"] == code]
        return t.iloc[self.rng.randrange(len(t))]

    def name(self, kind: str) -> str:
        self.serial += 1
        return f"{self.rng.choice(_NAME_HEADS)}{kind}{self.serial:03d}"

    def address(self, t: pd.Series, form: int) -> str:
        """One of several written forms of an address in town ``t``."""
        unit = self.units.loc[t["municipality_code"]]
        full, short = unit["full_name"], (unit["city"] + unit["name"]) if unit["city"] else unit["name"]
        m = _CHOME.match(t["town"])
        n1, n2 = self.rng.randint(1, 30), self.rng.randint(1, 20)
        if m:
            chome = (
                sum(_KANJI.get(c, 0) for c in m.group(2))
                if "十" not in m.group(2)
                else 10 + _KANJI.get(m.group(2)[-1], 0)
            )
            tail = [
                f"{m.group(1)}{chome}-{n1}-{n2}",
                f"{t['town']}{n1}番{n2}号",
                f"{m.group(1)}{chome}丁目{n1}番地{n2}",
                f"{m.group(1)}{chome}‐{n1}‐{n2}",
                f"{m.group(1)}{chome}ー{n1}ー{n2}",
                f"{m.group(1)}{chome}−{n1}−{n2}",
            ][form % 6]
        else:
            num = self.rng.randint(1, 2500)
            tail = [
                f"{t['town']}{num}",
                f"{t['town']}{num}番地",
                f"{t['town']}{num}-{n2}",
                f"{t['town']}{num}番地の{n2}",
                f"{t['town']}{num}‐{n2}",
                f"{t['town']}{num}",
            ][form % 6]
        muni = full if form % 3 else short  # county dropped for towns in one form of three
        if full.startswith("茅ヶ崎") and form % 2:
            muni = "茅ケ崎市"
        if full.endswith("保土ケ谷区") and form % 2:
            muni = "横浜市保土ヶ谷区"
        text = ("神奈川県" if form % 4 in (0, 1) else "") + muni + tail
        if form % 5 == 0:
            text = text.translate(_FW)
        if form % 7 == 0:
            text = f"〒{self.rng.randint(210, 259)}-{self.rng.randint(0, 9999):04d} {text} {self.rng.choice(['第一', 'グリーン', 'メディカル'])}ビル{self.rng.randint(1, 5)}F"
        return text

    def point(self, t: pd.Series) -> tuple[float, float]:
        return round(t["lat"] + self.rng.uniform(-0.001, 0.001), 6), round(
            t["lon"] + self.rng.uniform(-0.001, 0.001), 6
        )


def _write(path: Path, rows: list[dict[str, object]], columns: list[str], encoding: str, newline: str = "\r\n") -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator=newline, restval="")
    w.writeheader()
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def _write_medical(path: Path, rows: list[dict[str, object]]) -> None:
    """The 医療情報ネット form: UTF-8 with BOM, CRLF, every field quoted except the coordinates."""

    def cell(column: str, value: object) -> str:
        text = "" if value is None else str(value)
        return text if column in _MED_UNQUOTED else '"' + text.replace('"', '""') + '"'

    lines = [",".join(cell("", c) for c in _MED_COLUMNS)]
    lines += [",".join(cell(c, row.get(c, "")) for c in _MED_COLUMNS) for row in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))


# 医療情報ネット facility files (01-1 hospital, 2025-12-01): the real 65-column header. The clinic
# file (02-1) is written in the same layout (assumed; verify against a real 02-1 file).
_WEEKDAYS = "月火水木金土日"
_MED_COLUMNS = [
    "ID",
    "正式名称",
    "正式名称（フリガナ）",
    "略称",
    "略称（フリガナ）",
    "英語表記（ローマ字表記）",
    "機関区分",
    "都道府県コード",
    "市区町村コード",
    "所在地",
    "所在地座標（緯度）",
    "所在地座標（経度）",
    "案内用ホームページアドレス",
    *(f"毎週決まった曜日に休診（{d}）" for d in _WEEKDAYS),
    *(f"決まった週に休診（定期週）第{w}週（{d}）" for w in range(1, 6) for d in _WEEKDAYS),
    "祝日に休診",
    "その他の休診日（gw、お盆等）",
    "一般病床",
    "療養病床",
    "療養病床のうち医療保険適用",
    "療養病床のうち介護保険適用",
    "精神病床",
    "結核病床",
    "感染症病床",
    "合計病床数",
]
_MED_UNQUOTED = ("所在地座標（緯度）", "所在地座標（経度）")  # the real file quotes every other field
# 介護サービス情報公表システム jigyosho_<code>.csv (2026-04): the real 24-column header, every prefecture
_CARE_COLUMNS = [
    "都道府県コード又は市町村コード",
    "No",
    "都道府県名",
    "市区町村名",
    "事業所名",
    "事業所名カナ",
    "サービスの種類",
    "住所",
    "方書（ビル名等）",
    "緯度",
    "経度",
    "電話番号",
    "FAX番号",
    "法人番号",
    "法人の名称",
    "事業所番号",
    "利用可能曜日",
    "利用可能曜日特記事項",
    "定員",
    "URL",
    "高齢者の方と障害者の方が同時一体的に利用できるサービス",
    "介護保険の通常の指定基準を満たしている",
    "障害福祉の通常の指定基準を満たしている",
    "備考",
]
# service code -> (サービスの種類 as written, Kanagawa rows, name suffix, encoding, 定員 choices)
_SERVICES = {
    "130": ("訪問看護", 40, "訪問看護ステーション", "cp932", ["0", ""]),  # an older CP932 file
    "510": ("介護老人福祉施設", 25, "ホーム", "utf-8-sig", ["0", "50", "80", "100", "120"]),
    "520": ("介護老人保健施設", 12, "老健", "utf-8-sig", ["0", "0", "100", "150"]),
    "550": ("介護医療院", 5, "介護医療院", "utf-8-sig", ["0", "", "60", "48"]),
    "320": ("認知症対応型共同生活介護", 25, "グループホーム", "utf-8-sig", ["0", "9", "18"]),
    "331": ("特定施設入居者生活介護（有料老人ホーム）", 20, "ケアレジデンス", "utf-8-sig", ["0", "50", "80"]),
    "332": ("特定施設入居者生活介護（軽費老人ホーム）", 6, "ケアハウス", "utf-8-sig", ["0", "30", "50"]),
    "540": ("地域密着型介護老人福祉施設入所者生活介護", 8, "小規模特養", "utf-8-sig", ["0", "29", "20", ""]),
    "430": ("居宅介護支援", 40, "ケアプランセンター", "utf-8-sig", ["0", ""]),
    "770": ("看護小規模多機能型居宅介護", 6, "看多機", "utf-8-sig", ["0", "29", "25"]),
}
# Offices of other prefectures (code5, 都道府県名, 市区町村名, 住所 as the national files write it,
# lat, lon). Several have a 住所 without prefecture or city whose town also exists in Kanagawa
# (新川町: 横浜市南区; 千代田: none; 荻野: 厚木市; 高砂町: 横浜市南区 ...): read as written, they
# would be placed in Kanagawa. Codes: 全国地方公共団体コード (check digit computed).
_OTHER = [
    ("01206", "北海道", "釧路市", "新川町13番5号", 42.99, 144.38),
    ("01102", "北海道", "札幌市北区", "北25条西16丁目2番1号", 43.09, 141.33),
    ("23106", "愛知県", "名古屋市中区", "千代田二丁目11番6号", 35.16, 136.91),
    ("13209", "東京都", "町田市", "東京都町田市原町田六丁目1番1号", 35.54, 139.45),
    ("28207", "兵庫県", "伊丹市", "荻野４丁目７５番地", 34.78, 135.40),
    ("11203", "埼玉県", "川口市", "東本郷2026", 35.84, 139.75),
    ("09213", "栃木県", "那須塩原市", "高砂町3番5号", 36.96, 140.04),
    ("35204", "山口県", "萩市", "山田4147番地1", 34.40, 131.40),
    ("22205", "静岡県", "熱海市", "静岡県熱海市泉107", 35.13, 139.10),
    ("13201", "東京都", "八王子市", "八王子市東浅川町550", 35.65, 139.29),
    ("40106", "福岡県", "北九州市小倉北区", "小倉北区片野1丁目1-1", 33.87, 130.89),
    ("01206", "北海道", "釧路市", "北海道釧路市昭和中央4丁目18番1号", 42.99, 144.37),
]


def _coord(value: float) -> str:
    return f"{value:.15f}"


def _care_record(
    g: _Gen, where: tuple[str, str, str, str], office: str, label: str, suffix: str, **cells: object
) -> dict:
    """One office in the real jigyosho layout: ``where`` = (5-digit code, 都道府県名, 市区町村名,
    住所); ``cells`` are the 方書, 緯度, 経度, 電話番号 and 定員 cells; the rest is made up."""
    code5, pref, muni, written = where
    return {
        "都道府県コード又は市町村コード": municipalities.to_code6(code5),
        "No": office,  # the national files repeat 事業所番号 here
        "都道府県名": pref,
        "市区町村名": muni,
        "事業所名": g.name(suffix),
        "事業所名カナ": "",
        "サービスの種類": label,
        "住所": written,
        "FAX番号": "",
        "法人番号": f"{g.rng.randint(10**12, 10**13 - 1)}",
        "法人の名称": f"社会福祉法人{g.rng.choice(_NAME_HEADS)}会",
        "事業所番号": office,
        "URL": "",
        **cells,
    }


def _office(prefecture: str, code: str, k: int) -> str:
    """事業所番号: the prefecture, then digits (介護医療院: ``99B9999999`` as in the real files)."""
    return f"{prefecture}B{int(code) * 1000 + k:07d}" if code == "550" else f"{prefecture}{int(code) * 1000 + k:08d}"


def _care_row(g: _Gen, code: str, label: str, i: int, suffix: str, capacities: list[str]) -> dict[str, object]:
    """One Kanagawa office of service ``code`` in a random town, in the real layout."""
    t = g.town()
    lat, lon = g.point(t)
    unit = g.units.loc[t["municipality_code"]]
    muni = (unit["city"] + unit["name"]) if unit["city"] else unit["name"]  # 二宮町: written without county
    where = (t["municipality_code"], "神奈川県", muni, g.address(t, i + int(code)))
    return _care_record(
        g,
        where,
        _office("14", code, i),
        label,
        suffix,
        **{
            "方書（ビル名等）": g.rng.choice(["", "", "", "2階", "メディカルビル3F"]),
            "緯度": _coord(lat),
            "経度": _coord(lon),
            "電話番号": f"0{g.rng.randint(44, 467)}-11-{i:04d}",
            "定員": g.rng.choice(capacities),
        },
    )


def _other_row(g: _Gen, code: str, label: str, k: int, suffix: str, capacities: list[str]) -> dict[str, object]:
    """An office of another prefecture (national file), from :data:`_OTHER` in turn."""
    code5, pref, muni, written, lat, lon = _OTHER[k % len(_OTHER)]
    return _care_record(
        g,
        (code5, pref, muni, written),
        _office(code5[:2], code, k),
        label,
        suffix,
        **{
            "方書（ビル名等）": "",
            "緯度": _coord(lat + g.rng.uniform(-0.01, 0.01)),
            "経度": _coord(lon + g.rng.uniform(-0.01, 0.01)),
            "電話番号": f"0{g.rng.randint(11, 99)}-22-{k:04d}",
            "定員": g.rng.choice(capacities),
        },
    )


def _care(g: _Gen, code: str, label: str, n: int, suffix: str, capacities: list[str]) -> list[dict[str, object]]:
    """``n`` Kanagawa offices of one service."""
    return [_care_row(g, code, label, i, suffix, capacities) for i in range(n)]


def _care_national(g: _Gen, code: str, label: str, n: int, suffix: str, capacities: list[str]) -> list[dict]:
    """About half as many offices of other prefectures as Kanagawa ones (a national file)."""
    return [_other_row(g, code, label, k + int(code), suffix, capacities) for k in range(max(3, n // 2))]


def _dirty_points(g: _Gen, rows: list[dict], lat_col: str, lon_col: str, file_no: int) -> None:
    """Put the known coordinate problems into some rows of a file (deterministically)."""
    n = len(rows)
    rows[1 % n][lat_col], rows[1 % n][lon_col] = "0.0", "0.0"
    rows[3 % n][lat_col], rows[3 % n][lon_col] = rows[3 % n][lon_col], rows[3 % n][lat_col]  # swapped
    if file_no % 2 == 0:
        rows[5 % n][lat_col], rows[5 % n][lon_col] = "35.6812", "139.7671"  # 東京駅: outside Kanagawa
    for k in (7, 9, 11):
        rows[k % n][lat_col], rows[k % n][lon_col] = str(PLACEHOLDER[0]), str(PLACEHOLDER[1])
    rows[13 % n][lat_col], rows[13 % n][lon_col] = "", ""


def _medical_address(g: _Gen, t: pd.Series, form: int) -> str:
    """An address as 医療情報ネット writes it: always with 神奈川県, no postal code or building
    (the other dirt of :meth:`_Gen.address` stays: full-width digits, 丁目 forms, hyphens)."""
    while form % 7 == 0:  # the form with postal code and building
        form += 1
    return "神奈川県" + g.address(t, form).removeprefix("神奈川県")


def _medical(g: _Gen, kind: str, n: int) -> list[dict[str, object]]:
    """``n`` Kanagawa hospitals or clinics."""
    rows = []
    hospital = kind == "病院"
    for i in range(n):
        t = g.town()
        lat, lon = g.point(t)
        code = t["municipality_code"]
        beds = (
            {
                "一般病床": g.rng.randint(40, 400),
                "療養病床": g.rng.choice([0, 0, 50, 120]),
                "精神病床": g.rng.choice([0, 0, 0, 60]),
            }
            if hospital
            else {"一般病床": g.rng.choice([0, 0, 0, 19]), "療養病床": 0, "精神病床": 0}
        )
        rows.append(
            {
                "ID": f"{1 if hospital else 2}14{i + 1:010d}",
                "正式名称": g.name("病院" if hospital else "クリニック"),
                "機関区分": "1" if hospital else "2",
                "都道府県コード": "14",
                "市区町村コード": code[2:],
                "所在地": _medical_address(g, t, i),
                "所在地座標（緯度）": f"{lat}",
                "所在地座標（経度）": f"{lon}",
                **{k: v or "" for k, v in beds.items()},
                "合計病床数": sum(beds.values()),
            }
        )
    return rows


def _medical_national(g: _Gen, kind: str, n: int) -> list[dict[str, object]]:
    """Hospitals or clinics of other prefectures (the national file)."""
    rows = []
    hospital = kind == "病院"
    for k, (code5, pref, _, written, lat, lon) in enumerate(_OTHER[: max(3, n // 10)]):
        rows.append(
            {
                "ID": f"{1 if hospital else 2}{code5[:2]}{90000000 + k:010d}",
                "正式名称": g.name("病院" if hospital else "クリニック"),
                "機関区分": "1" if hospital else "2",
                "都道府県コード": code5[:2],
                "市区町村コード": code5[2:],
                "所在地": written if written.startswith(pref) else pref + written,
                "所在地座標（緯度）": f"{lat}",
                "所在地座標（経度）": f"{lon}",
                "一般病床": 100 if hospital else "",
                "合計病床数": 100 if hospital else 0,
            }
        )
    return rows


def _special_rows(g: _Gen, med: dict[str, list[dict]], care: dict[str, list[dict]]) -> None:
    """Hand-made rows for the cases the tests and reviewers look for."""
    h, c = med["hospital"], med["clinic"]
    # a clinic listed in the hospital file too (name spacing differs): a duplicate across files
    dup = dict(c[2])
    dup["ID"] = "1149999999999"
    dup["正式名称"] = dup["正式名称"][:2] + "　" + dup["正式名称"][2:]
    h.append(dup)
    # real address forms of the 医療情報ネット hospital file (2025-12): a doubled city, a town created
    # in 2024 (gazetteer supplement) with 0.0 coordinates, variant spellings (六ッ川, 曾我岸), a kanji
    # house number, an address without house number, a hospital with 合計病床数 0 (unknown)
    for k, (unit, written, beds) in enumerate(
        [
            ("205", "神奈川県藤沢市藤沢市高倉２３４５", "199"),
            ("116", "神奈川県横浜市泉区ゆめが丘３０－１", "120"),
            ("105", "神奈川県横浜市南区六ッ川１－８１", "60"),
            ("206", "神奈川県小田原市曾我岸１４８", "0"),
            ("103", "神奈川県横浜市西区御所山町七十七番地", ""),
            ("204", "神奈川県鎌倉市小町", "150"),
        ]
    ):
        h.append(
            {
                "ID": f"11499999999{k + 10:02d}",
                "正式名称": g.name("病院"),
                "機関区分": "1",
                "都道府県コード": "14",
                "市区町村コード": unit,
                "所在地": written,
                "所在地座標（緯度）": "0.0" if "ゆめが丘" in written else "",
                "所在地座標（経度）": "0.0" if "ゆめが丘" in written else "",
                "一般病床": beds,
                "合計病床数": beds,
            }
        )
    # old municipality names written in 所在地 (the code says 相模原市緑区)
    for k, (town, old) in enumerate(sorted(_OLD_TSUKUI.items())):
        t = g.towns[(g.towns["municipality_code"] == "14151") & (g.towns["town"] == town)]
        if len(t):
            lat, lon = g.point(t.iloc[0])
            c.append(
                {
                    **c[0],
                    "ID": f"21499999999{k:02d}",
                    "正式名称": g.name("クリニック"),
                    "市区町村コード": "151",
                    "所在地": f"神奈川県{'津久井郡' if k % 2 else ''}{old}{town}{100 + k}番地",
                    "所在地座標（緯度）": f"{lat}",
                    "所在地座標（経度）": f"{lon}",
                }
            )
    # point in the wrong unit (disagreement): an 青葉区 address with a 宮前区 point
    t = g.town("14117")
    c.append(
        {
            **c[1],
            "ID": "2149999999990",
            "正式名称": g.name("クリニック"),
            "市区町村コード": "117",
            "所在地": _medical_address(g, t, 2),
            "所在地座標（緯度）": "35.5860",
            "所在地座標（経度）": "139.5740",
        }
    )
    # no 市区町村コード: the address decides (bare 相模原市 without ward: the town decides; bare 緑区)
    t = g.towns[(g.towns["municipality_code"] == "14151") & g.towns["town"].str.startswith("橋本")].iloc[0]
    c.append(
        {
            **c[1],
            "ID": "2149999999991",
            "正式名称": g.name("クリニック"),
            "市区町村コード": "",
            "所在地": "神奈川県相模原市橋本3-1-1",
            "所在地座標（緯度）": "0",
            "所在地座標（経度）": "0",
        }
    )
    c.append(
        {
            **c[1],
            "ID": "2149999999992",
            "正式名称": g.name("クリニック"),
            "市区町村コード": "",
            "所在地": "緑区中央1-1",
            "所在地座標（緯度）": str(t["lat"]),
            "所在地座標（経度）": str(t["lon"]),
        }
    )
    # a row without a name (quarantined); a clinic with more beds than a clinic may have (flagged)
    c.append({**c[3], "ID": "2149999999993", "正式名称": "", "所在地": c[3]["所在地"]})
    c.append({**c[4], "ID": "2149999999994", "正式名称": g.name("クリニック"), "一般病床": "25", "合計病床数": "25"})
    vn = care["130"]
    vn.append(dict(vn[4]))  # the same station posted twice (same 事業所番号)
    vn.append({**vn[5], "事業所名": "", "事業所番号": "1499999999", "No": "1499999999"})  # no name: quarantined
    code6 = vn[6]["都道府県コード又は市町村コード"]
    vn[6]["都道府県コード又は市町村コード"] = code6[:5] + str((int(code6[5]) + 1) % 10)  # wrong check digit
    # the code says Kanagawa, 都道府県名 says Tokyo: which one is right cannot be told (quarantined)
    vn.append({**vn[7], "都道府県名": "東京都", "事業所番号": "1499999998", "No": "1499999998"})
    # a Kanagawa office whose 住所 has neither prefecture nor city (the file's columns are used)
    t = g.towns[(g.towns["municipality_code"] == "14105") & g.towns["town"].str.startswith("新川町")].iloc[0]
    lat, lon = g.point(t)
    vn.append(
        {
            **vn[9],
            "都道府県コード又は市町村コード": municipalities.to_code6("14105"),
            "市区町村名": "横浜市南区",
            "事業所名": g.name("訪問看護ステーション"),
            "住所": "新川町2丁目3番4号",
            "緯度": _coord(lat),
            "経度": _coord(lon),
            "事業所番号": "1499999997",
            "No": "1499999997",
        }
    )
    # the 住所 names another municipality than the code (茅ヶ崎市 written, 藤沢市 coded): code kept, QA
    fj = care["331"][2]
    fj.update({"都道府県コード又は市町村コード": municipalities.to_code6("14205"), "市区町村名": "藤沢市"})
    fj["住所"] = "神奈川県茅ヶ崎市円蔵1-2-3"
    # a 地域密着型 特養 above the legal 定員 29 (flagged, kept)
    care["540"][1]["定員"] = "40"
    # the same real facility providing 看多機 and 訪問看護: same name and address
    care["770"][0].update(
        {k: vn[8][k] for k in ("事業所名", "住所", "緯度", "経度", "都道府県コード又は市町村コード", "市区町村名")}
    )


def _cooperation(g: _Gen, care: dict[str, list[dict]]) -> list[dict[str, object]]:
    written = {
        "510": ["介護老人福祉施設", "特別養護老人ホーム"],
        "540": ["地域密着型介護老人福祉施設"],
        "520": ["介護老人保健施設", "老健"],
        "550": ["介護医療院"],
        "332": ["軽費老人ホーム", "ケアハウス"],
        "331": ["特定施設入居者生活介護", "有料老人ホーム（特定施設）"],
    }
    rows = []
    for code, forms in written.items():
        kanagawa = [r for r in care[code] if r["都道府県名"] == "神奈川県"]  # the prefecture's own list
        for i, r in enumerate(kanagawa[:12]):
            if not r["事業所名"]:
                continue
            marks = g.rng.choice(
                [("○", "○", "○"), ("○", "○", "○"), ("○", "×", "○"), ("×", "×", "×"), ("○", "", "×"), ("済", "済", "済")]
            )
            rows.append(
                {
                    "施設名": r["事業所名"],
                    "施設種別": forms[i % len(forms)],
                    "事業所番号": r["事業所番号"],
                    "所在地": r["住所"],
                    "要件①": marks[0],
                    "要件②": marks[1],
                    "要件③": marks[2],
                    "協力医療機関1": g.name("病院"),
                    "協力医療機関2": g.name("クリニック") if i % 2 else "",
                    "協力医療機関3": "",
                    "届出日": f"2025-0{g.rng.randint(4, 7)}-{g.rng.randint(10, 28)}",
                }
            )
    for k in range(3):
        t = g.town()
        rows.append(
            {
                "施設名": g.name("養護老人ホーム"),
                "施設種別": "養護老人ホーム",
                "事業所番号": "",
                "所在地": g.address(t, k),
                "要件①": "○",
                "要件②": "○" if k else "要確認",
                "要件③": "○",
                "協力医療機関1": g.name("病院"),
                "協力医療機関2": "",
                "協力医療機関3": "",
                "届出日": "2025-07-31",
            }
        )
    return rows


_NETWORKS = {
    "サルビアねっと": ["14101", "14102", "14109", "14103"],
    "さくらネット": ["14201", "14204", "14208", "14210", "14301", "14110", "14115", "14205", "14207"],
    "medical B.I.G net": ["14203", "14211", "14214", "14206", "14212", "14213", "14207"],
}
_ICT_TYPES = [
    "病院",
    "診療所",
    "医科診療所",
    "歯科診療所",
    "薬局",
    "保険薬局",
    "訪問看護ステーション",
    "介護施設（入所）",
    "介護施設(非入所)",
    "居宅介護支援事業所",
]


def _ict(g: _Gen) -> list[dict[str, object]]:
    rows = []
    for net, codes in _NETWORKS.items():
        for i in range(20):
            t = g.town(codes[i % len(codes)])
            rows.append(
                {
                    "ネットワーク名": net,
                    "施設名": g.name(g.rng.choice(["病院", "クリニック", "薬局", "訪問看護ステーション", "ホーム"])),
                    "施設種別": _ICT_TYPES[(i * 3 + len(net)) % len(_ICT_TYPES)],
                    "所在地": g.address(t, i),
                    "参加日": "2025-12-01",
                }
            )
    rows.append(
        {
            "ネットワーク名": "さくらネット",
            "施設名": g.name("接骨院"),
            "施設種別": "接骨院",
            "所在地": g.address(g.town("14201"), 1),
            "参加日": "",
        }
    )
    return rows


def _addresses(g: _Gen) -> list[dict[str, object]]:
    """A small mixed address list in CP932 for the ``homecare geocode`` example."""
    rows = [{"名称": g.name("事業所"), "住所": g.address(g.town(), i)} for i in range(11)]
    rows += [
        {"名称": g.name("事業所"), "住所": "横浜市西区みなとみらい二丁目3番1号"},
        {"名称": g.name("事業所"), "住所": "東京都町田市原町田6-1-1"},
        {"名称": g.name("事業所"), "住所": "相模原市橋本3-1-1"},
    ]
    return rows


def generate(folder: str | Path = SAMPLE_DIR) -> list[Path]:
    """(Re)write every sample file and the sample registry; returns the written files."""
    out = paths.resolve(folder)
    out.mkdir(parents=True, exist_ok=True)
    g = _Gen()
    med = {"hospital": _medical(g, "病院", 40), "clinic": _medical(g, "診療所", 150)}
    care = {code: _care(g, code, label, n, suffix, cap) for code, (label, n, suffix, _, cap) in _SERVICES.items()}
    for k, rows in enumerate([*med.values(), *care.values()]):
        lat, lon = ("所在地座標（緯度）", "所在地座標（経度）") if "ID" in rows[0] else ("緯度", "経度")
        _dirty_points(g, rows, lat, lon, k)
    _special_rows(g, med, care)
    for ftype, kind in (("hospital", "病院"), ("clinic", "診療所")):
        med[ftype] += _medical_national(g, kind, len(med[ftype]))
    for code, (label, n, suffix, _, cap) in _SERVICES.items():
        care[code] += _care_national(g, code, label, n, suffix, cap)
    written = []
    for rows, stem in ((med["hospital"], "01-1_hospital_facility_info"), (med["clinic"], "02-1_clinic_facility_info")):
        p = out / f"{stem}.csv"
        _write_medical(p, rows)
        written.append(p)
    for code, rows in care.items():
        p = out / f"jigyosho_{code}.csv"
        _write(p, rows, _CARE_COLUMNS, _SERVICES[code][3])
        written.append(p)
    coop = _cooperation(g, care)
    p = out / "cooperation_notifications.csv"
    _write(p, coop, list(coop[0]), "utf-8-sig")
    written.append(p)
    ict = _ict(g)
    p = out / "ict_participants.csv"
    _write(p, ict, list(ict[0]), "cp932")
    written.append(p)
    p = out / "addresses_cp932.csv"
    _write(p, _addresses(g), ["名称", "住所"], "cp932")
    written.append(p)
    provenance.write_sample_registry(folder)
    return written


if __name__ == "__main__":
    for path in generate():
        print(paths.relative(path))
