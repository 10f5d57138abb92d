"""Deterministic generator of the synthetic facility sample files (サンプルデータ).

``python -m homecare_dev.samples.facilities`` (re)writes ``data/raw/sample/facilities/`` in
the real layouts (医療情報ネット hospital/clinic, 介護サービス情報公表 per service code,
協力医療機関 list, ICT participant list, a CP932 address list for ``homecare geocode``).
Facility names are invented; addresses use real Kanagawa town names from the mirrored
gazetteer (read through the catalog; the gazetteer itself is not copied). The files carry
the dirt real files have: full-width digits, 丁目 in kanji and digits, hyphen variants,
missing prefecture or county, postal codes and building names, 茅ケ崎/茅ヶ崎, old
municipality names, duplicates across sources, 0.0 and swapped coordinates, a placeholder
point shared by many rows, addresses and points outside Kanagawa, a bad check digit and
rows without a name.
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
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator=newline)
    w.writeheader()
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


_MED_COLUMNS = [
    "ID",
    "正式名称",
    "正式名称（フリガナ）",
    "機関区分",
    "都道府県コード",
    "市区町村コード",
    "郵便番号",
    "所在地",
    "所在地座標（緯度）",
    "所在地座標（経度）",
    "電話番号",
    "一般病床数",
    "療養病床数",
    "精神病床数",
]
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
    "定員",
    "URL",
    "備考",
]
_SERVICES = {
    "130": ("訪問看護", 40, "訪問看護ステーション", "cp932"),
    "510": ("介護老人福祉施設", 25, "ホーム", "utf-8-sig"),
    "520": ("介護老人保健施設", 12, "老健", "utf-8-sig"),
    "550": ("介護医療院", 5, "介護医療院", "utf-8-sig"),
    "320": ("認知症対応型共同生活介護", 25, "グループホーム", "utf-8"),
    "331": ("特定施設入居者生活介護（有料老人ホーム）", 20, "ケアレジデンス", "utf-8-sig"),
    "332": ("特定施設入居者生活介護（軽費老人ホーム）", 6, "ケアハウス", "utf-8-sig"),
    "540": ("地域密着型介護老人福祉施設入所者生活介護", 8, "小規模特養", "utf-8-sig"),
    "430": ("居宅介護支援", 40, "ケアプランセンター", "cp932"),
    "770": ("看護小規模多機能型居宅介護", 6, "看多機", "utf-8-sig"),
}


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


def _medical(g: _Gen, kind: str, n: int) -> list[dict[str, object]]:
    rows = []
    for i in range(n):
        t = g.town()
        lat, lon = g.point(t)
        code = t["municipality_code"]
        beds = (
            [g.rng.randint(40, 400), g.rng.choice([0, 0, 50, 120]), g.rng.choice([0, 0, 0, 60])]
            if kind == "病院"
            else [g.rng.choice([0, 0, 0, 19]), 0, 0]
        )
        rows.append(
            {
                "ID": f"{1 if kind == '病院' else 2}14{i + 1:010d}",
                "正式名称": g.name(kind if kind == "病院" else "クリニック"),
                "正式名称（フリガナ）": "",
                "機関区分": "1" if kind == "病院" else "2",
                "都道府県コード": "14",
                "市区町村コード": code[2:],
                "郵便番号": f"{g.rng.randint(210, 259)}-{g.rng.randint(0, 9999):04d}",
                "所在地": g.address(t, i),
                "所在地座標（緯度）": f"{lat}",
                "所在地座標（経度）": f"{lon}",
                "電話番号": f"0{g.rng.randint(44, 467)}-00-{i:04d}",
                "一般病床数": beds[0] or "",
                "療養病床数": beds[1] or "",
                "精神病床数": beds[2] or "",
            }
        )
    return rows


def _care(g: _Gen, code: str, label: str, n: int, suffix: str) -> list[dict[str, object]]:
    rows = []
    for i in range(n):
        t = g.town()
        lat, lon = g.point(t)
        unit = g.units.loc[t["municipality_code"]]
        form = i + int(code)
        rows.append(
            {
                "都道府県コード又は市町村コード": municipalities.to_code6(t["municipality_code"]),
                "No": i + 1,
                "都道府県名": "神奈川県",
                "市区町村名": unit["full_name"],
                "事業所名": g.name(suffix),
                "事業所名カナ": "",
                "サービスの種類": label,
                "住所": g.address(t, form),
                "方書（ビル名等）": g.rng.choice(["", "", "", "2階", "メディカルビル3F"]),
                "緯度": f"{lat}",
                "経度": f"{lon}",
                "電話番号": f"0{g.rng.randint(44, 467)}-11-{i:04d}",
                "FAX番号": "",
                "法人番号": "",
                "法人の名称": f"社会福祉法人{g.rng.choice(_NAME_HEADS)}会",
                "事業所番号": f"14{int(code) * 10000 + i:08d}",
                "定員": "" if code in ("130", "430") else g.rng.choice([9, 18, 29, 50, 80, 100]),
                "URL": "",
                "備考": "",
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
    # outside Kanagawa (address and point), missing county, old municipality names
    h.append(
        {
            **h[0],
            "ID": "1149999999998",
            "正式名称": g.name("病院"),
            "所在地": "東京都町田市原町田六丁目1番1号",
            "市区町村コード": "",
            "都道府県コード": "13",
            "所在地座標（緯度）": "35.5423",
            "所在地座標（経度）": "139.4466",
        }
    )
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
                    "所在地": f"{'神奈川県津久井郡' if k % 2 else ''}{old}{town}{100 + k}番地",
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
            "所在地": g.address(t, 2),
            "所在地座標（緯度）": "35.5860",
            "所在地座標（経度）": "139.5740",
        }
    )
    # bare 相模原市 without ward, bare ambiguous 緑区, no municipality, written name unknown
    t = g.towns[(g.towns["municipality_code"] == "14151") & g.towns["town"].str.startswith("橋本")].iloc[0]
    c.append(
        {
            **c[1],
            "ID": "2149999999991",
            "正式名称": g.name("クリニック"),
            "市区町村コード": "",
            "所在地": "相模原市橋本3-1-1",
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
    # rows without a name (quarantined)
    c.append({**c[3], "ID": "2149999999993", "正式名称": "", "所在地": c[3]["所在地"]})
    vn = care["130"]
    vn.append(dict(vn[4]))  # the same station posted twice (same 事業所番号)
    vn.append({**vn[5], "事業所名": "", "事業所番号": "1499999999"})  # no name: quarantined
    vn[6]["都道府県コード又は市町村コード"] = vn[6]["都道府県コード又は市町村コード"][:5] + str(
        (int(vn[6]["都道府県コード又は市町村コード"][5]) + 1) % 10
    )
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
        for i, r in enumerate(care[code][:12]):
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
    rows = [{"名称": g.name("事業所"), "住所": g.address(g.town(), i)} for i in range(12)]
    rows += [
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
    care = {code: _care(g, code, label, n, suffix) for code, (label, n, suffix, _) in _SERVICES.items()}
    for k, rows in enumerate([*med.values(), *care.values()]):
        lat, lon = ("所在地座標（緯度）", "所在地座標（経度）") if "ID" in rows[0] else ("緯度", "経度")
        _dirty_points(g, rows, lat, lon, k)
    _special_rows(g, med, care)
    written = []
    for rows, stem in ((med["hospital"], "01-1_hospital_facility_info"), (med["clinic"], "02-1_clinic_facility_info")):
        p = out / f"{stem}.csv"
        _write(p, rows, _MED_COLUMNS, "utf-8-sig")
        written.append(p)
    for code, rows in care.items():
        p = out / f"jigyosho_{code}.csv"
        _write(p, rows, _CARE_COLUMNS, _SERVICES[code][3], "\r\n" if _SERVICES[code][3] != "utf-8" else "\n")
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
