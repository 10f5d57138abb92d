"""Deterministic synthetic samples of the two home-care sources (サンプルデータ), in their real layouts.

``python -m homecare_dev.samples`` (re)writes ``data/raw/sample/home_medical/``:

- ``14_todokede_ika_kanagawa_sample.xlsx``: a 関東信越厚生局 「届出受理医療機関名簿（医科）」 for a
  Kanagawa-like prefecture in the layout measured on the real 山梨 file (one sheet, the date in A2,
  header in row 4, every cell text, one row per institution and notification). The institutions
  are the hospitals and clinics of the committed 医療情報ネット samples (so that stage 07 can link
  them), written as the list writes them (no prefecture, full-width digits, sometimes with the
  legal-person prefix or another name), plus institutions the facility samples do not have. It
  carries what real files of several bureaus carry: rows of other prefectures, 備考 detail rows,
  exact duplicate rows, a repeated notification row, an institution without notifications,
  令和8年 symbols 支援診２ア／２イ, look-alike symbols (在医総管１, 在宅ＤＸ, 歯援診), unknown
  home-care-like symbols (支援診４, 在褥管) and a row with a broken 医療機関番号.
- ``zaitaku_chiiki_data_sample.xlsx``: a 「在宅医療にかかる地域別データ集」 with the sheets 「R５年」 and
  「R6年」 and a notes sheet, 項目番号 in row 1, データ時点 in row 2, labels in rows 3-6 (merged group
  headings), 全国計 in row 7, identifier labels in row 8 and municipalities below: Kanagawa's 33
  (横浜市, 川崎市, 相模原市 at city level) among municipalities of other prefectures, with suppressed
  (「*」「-」) and blank cells. Its 在支診 counts follow the list sample at 2024-03-31 plus a few
  withdrawn clinics, so the cross-check of stage 07 has a difference to explain.

**Not real numbers**: every output computed from them is marked サンプルデータ.
"""

from __future__ import annotations

import io
import random
import unicodedata
from datetime import date
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from homecare.core import files, paths, provenance
from homecare.facilities.gazetteer import load_town_points
from homecare.reference import municipalities

SAMPLE_DIR = Path("data/raw/sample/home_medical")
FACILITY_SAMPLES = Path("data/raw/sample/facilities")
LIST_NAME = "14_todokede_ika_kanagawa_sample.xlsx"
DATABOOK_NAME = "zaitaku_chiiki_data_sample.xlsx"
SEED = 20250901
AS_OF_TEXT = "[令和７年９月１日 現在 ]令和７年１０月２日作成 全医療機関出力"
DATABOOK_DATE = date(2024, 3, 31)  # データ時点 of the 届出数 items of the R6 sheet
_FW = str.maketrans("0123456789-", "０１２３４５６７８９－")

HEADER = [
    "項番",
    "都道府県コード",
    "都道府県名",
    "区分",
    "医療機関番号",
    "併設医療機関番号",
    "医療機関記号番号",
    "医療機関名称",
    "医療機関所在地（郵便番号）",
    "医療機関所在地（住所）",
    "電話番号",
    "FAX番号",
    "病床数",
    "受理届出名称",
    "受理記号",
    "受理番号",
    "算定開始年月日",
    "個別有効開始年月日",
    "備考（見出し）",
    "備考（データ）",
    "市町村コード",
    "市町村名",
    "種別コード",
    "種別",
]
# (受理記号, 受理届出名称) as the real list writes them
SUPPORT_CLINIC = {
    "１": "別添１の「第９」の１の(１)に規定する在宅療養支援診療所",
    "２": "別添１の「第９」の１の(２)に規定する在宅療養支援診療所",
    "３": "別添１の「第９」の１の(３)に規定する在宅療養支援診療所",
}
SUPPORT_HOSPITAL = {
    "１": "別添１の「第14の２」の１の(１)に規定する在宅療養支援病院",
    "２": "別添１の「第14の２」の１の(２)に規定する在宅療養支援病院",
    "３": "別添１の「第14の２」の１の(３)に規定する在宅療養支援病院",
}
COMMON = [
    ("医療ＤＸ", "医療ＤＸ推進体制整備加算"),
    ("外在ベⅠ", "外来・在宅ベースアップ評価料（Ⅰ）"),
    ("外来感染", "外来感染対策向上加算"),
    ("時間外３", "時間外対応加算３"),
    ("ニコ", "ニコチン依存症管理料"),
    ("情報通信", "情報通信機器を用いた診療に係る基準"),
    ("酸単", "酸素の購入単価"),
    ("がん疼", "がん性疼痛緩和指導管理料"),
]
HOME_CARE_EXTRAS = [
    ("在医総管１", "在宅時医学総合管理料及び施設入居時等医学総合管理料"),
    ("在総", "在宅がん医療総合診療料"),
    ("在宅ＤＸ", "在宅医療ＤＸ情報活用加算"),
]
HOSPITAL_ONLY = [
    ("一般入院", "一般病棟入院基本料"),
    ("データ提", "データ提出加算"),
    ("Ｃ・Ｍ", "ＣＴ撮影及びＭＲＩ撮影"),
    ("入退支", "入退院支援加算"),
]


def _fw(s: object) -> str:
    return str(s).translate(_FW)


def _era(d: date) -> str:
    """A date as the list writes it: era, then year, month and day right-aligned in 2 characters."""
    if d >= date(2019, 5, 1):
        era, n = "令和", d.year - 2018
    elif d >= date(1989, 1, 8):
        era, n = "平成", d.year - 1988
    else:
        era, n = "昭和", d.year - 1925
    year = "元" if n == 1 else f"{n:>2}"
    return f"{era}{year}年{d.month:>2}月{d.day:>2}日"


def _list_address(address: str) -> str:
    """A facility-sample address as the 厚生局 list writes it: no postal code, no prefecture,
    full-width digits; a building name after an ideographic space."""
    s = unicodedata.normalize("NFKC", address).strip()
    if s.startswith("〒"):
        s = s.split(" ", 1)[1] if " " in s else s
    s = s.removeprefix("神奈川県")
    body, _, building = s.partition(" ")
    return _fw(body) + (f"　{building}" if building else "")


class _Gen:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.serial = 0
        self.units = municipalities.units().set_index("municipality_code")
        towns = load_town_points().dropna(subset=["lat", "lon"])
        self.towns = towns[towns["koaza"] == ""].reset_index(drop=True)

    def number(self, area: int) -> str:
        """A 7-digit 医療機関番号: area (2) + serial (4) + a check digit."""
        self.serial += 1
        return f"{area:02d}{self.serial:04d}{self.rng.randint(0, 9)}"

    def start(self, lo: date, hi: date) -> date:
        span = (hi - lo).days
        d = lo.toordinal() + self.rng.randint(0, span)
        return date.fromordinal(d).replace(day=1)


def _facility_rows() -> list[dict]:
    """Hospitals and clinics of the committed facility samples usable as list institutions."""
    out = []
    for stem, kind in (("01-1_hospital_facility_info", "hospital"), ("02-1_clinic_facility_info", "clinic")):
        df = pd.read_csv(
            paths.resolve(FACILITY_SAMPLES / f"{stem}.csv"), dtype=str, keep_default_na=False, encoding="utf-8-sig"
        )
        for r in df.to_dict("records"):
            addr = unicodedata.normalize("NFKC", r["所在地"])
            if r["都道府県コード"] != "14" or not r["市区町村コード"] or not r["正式名称"].strip():
                continue
            if any(p in addr for p in ("東京都", "山梨県", "静岡県", "津久井郡")):
                continue
            if kind == "hospital" and r["ID"].startswith("2"):
                continue  # a clinic repeated in the hospital file
            out.append({**r, "kind": kind, "unit": "14" + r["市区町村コード"]})
    return out


def _postal(f: dict) -> str:
    """A synthetic 郵便番号 for a list row: 医療情報ネット files carry none, the list always does."""
    digits = int(f["ID"][-5:]) if f["ID"][-5:].isdigit() else 0
    return f"2{digits % 100:02d}-{digits % 10000:04d}"


def _phone(f: dict) -> str:
    """A synthetic 電話番号 (the '-00-' the list's FAX number replaces)."""
    digits = int(f["ID"][-4:]) if f["ID"][-4:].isdigit() else 0
    return f"045-00-{digits:04d}"


def _institution_rows(g: _Gen, inst: dict, notifications: list[tuple[str, str, date, str, str]]) -> list[list[str]]:
    """The list rows of one institution: one per notification (or one empty row)."""
    base = [
        "",  # 項番, set later
        inst["pref_code"],
        inst["pref_name"],
        "医科",
        inst["number"],
        "",
        inst["symbol_number"],
        inst["name"],
        inst["postal"],
        inst["address"],
        inst["phone"],
        inst["phone"].replace("-00-", "-01-"),
        inst["beds"],
    ]
    rows = []
    if not notifications:
        return [[*base, "", "", "", "", "", "", "", "", "", "", ""]]
    counters: dict[str, int] = {}
    for symbol, name, started, heading, data in notifications:
        if not heading:  # a 備考 detail row repeats its notification's 受理番号
            counters[symbol] = counters.get(symbol, 0) + 1
        number = f"第{inst['accept_base'] + counters.get(symbol, 1)}号"
        rows.append([*base, name, symbol, number, _era(started), "", heading, data, "", "", "", ""])
    return rows


def build_list(g: _Gen) -> tuple[list[list[str]], list[dict]]:
    """The list rows (without 項番) and, per in-prefecture institution, what it holds (for the データ集)."""
    facilities = _facility_rows()
    rng = g.rng
    rows: list[list[str]] = []
    truth: list[dict] = []
    for k, f in enumerate(facilities):
        hospital = f["kind"] == "hospital"
        unit = f["unit"]
        name = f["正式名称"]
        if k % 9 == 4:
            name = f"医療法人社団{rng.choice(['青葉', '緑風', '湘南'])}会　{name}"  # the legal person written first
        elif k % 23 == 7:
            name = name.replace("クリニック", "内科医院").replace("病院", "記念病院")  # another name, same address
        elif k % 31 == 11:
            name = f"{name}分院"  # another name, and below another address: not linked
        address = _list_address(f["所在地"])
        if k % 31 == 11:
            address = address.replace("１", "２", 1)
        inst = {
            "pref_code": "14",
            "pref_name": "神奈川県",
            "number": g.number(1 + k % 20),
            "symbol_number": "",
            "name": name,
            "postal": _postal(f),
            "address": address,
            "phone": _phone(f),
            "beds": f"一般　　{f['一般病床']}" if f["一般病床"].strip() else "",
            "accept_base": rng.randint(0, 300),
        }
        notes: list[tuple[str, str, date, str, str]] = []
        if k % 17 != 3:  # a few institutions hold no notification at all
            for symbol, nname in rng.sample(COMMON, rng.randint(1, 5)):
                notes.append((symbol, nname, g.start(date(1985, 1, 1), date(2025, 6, 1)), "", ""))
        held = {"unit": unit, "clinic": "", "hospital": "", "start": None}
        roll = rng.random()
        if not hospital and k % 17 != 3 and roll < 0.42:
            level = rng.choices(["１", "２", "３"], weights=[1, 3, 6])[0]
            symbol = "支援診" + level
            if level == "２" and rng.random() < 0.4:
                symbol += rng.choice(["ア", "イ"])  # 令和8年改定後の記号
            started = g.start(date(2012, 4, 1), date(2025, 8, 1))
            notes.append((symbol, SUPPORT_CLINIC[level], started, "", ""))
            notes += [(s, n, started, "", "") for s, n in HOME_CARE_EXTRAS[: rng.randint(1, 3)]]
            held.update(clinic=level, start=started)
        elif not hospital and roll < 0.6:
            notes.append((*HOME_CARE_EXTRAS[0], g.start(date(2008, 4, 1), date(2025, 6, 1)), "", ""))  # 在医総管 only
        if hospital:
            notes += [(s, n, g.start(date(1990, 1, 1), date(2024, 1, 1)), "", "") for s, n in HOSPITAL_ONLY]
            if roll < 0.4:
                level = rng.choices(["１", "２", "３"], weights=[1, 2, 4])[0]
                started = g.start(date(2010, 4, 1), date(2025, 8, 1))
                notes.append(("支援病" + level, SUPPORT_HOSPITAL[level], started, "", ""))
                held.update(hospital=level, start=started)
            elif roll > 0.85:
                notes.append(("在後病", "在宅療養後方支援病院", g.start(date(2015, 4, 1), date(2025, 1, 1)), "", ""))
                held["backup"] = True
        if f["kind"] == "hospital" and notes:
            # 備考 detail rows (東北・九州 style): the ward notification repeated with one pair each
            first = next(n for n in notes if n[0] == "一般入院")
            notes.insert(notes.index(first) + 1, (*first[:3], "病棟数", "2"))
            notes.insert(notes.index(first) + 2, (*first[:3], "病床数", str(rng.randint(40, 300))))
        truth.append(held)
        rows += _institution_rows(g, inst, notes)
    return rows, truth


def _new_institutions(g: _Gen, truth: list[dict]) -> list[list[str]]:
    """Clinics not in the facility samples (opened since, or never in 医療情報ネット): not linkable."""
    rows: list[list[str]] = []
    for k in range(14):
        t = g.towns.iloc[g.rng.randrange(len(g.towns))]
        unit = t["municipality_code"]
        full = g.units.at[unit, "full_name"]
        level = ["１", "２", "３", "３"][k % 4]
        started = g.start(date(2023, 1, 1), date(2025, 8, 1))
        inst = {
            "pref_code": "14",
            "pref_name": "神奈川県",
            "number": g.number(21 + k % 5),
            "symbol_number": "",
            "name": f"在宅{['そよかぜ', 'ひだまり', 'おひさま', 'ゆりかご'][k % 4]}診療所{k + 1:02d}",
            "postal": f"2{g.rng.randint(10, 59)}-{g.rng.randint(0, 9999):04d}",
            "address": _fw(f"{full}{t['town']}{g.rng.randint(1, 30)}-{g.rng.randint(1, 20)}"),
            "phone": f"045-00-{9000 + k}",
            "beds": "",
            "accept_base": 400 + k,
        }
        notes = [
            ("支援診" + level, SUPPORT_CLINIC[level], started, "", ""),
            (*HOME_CARE_EXTRAS[0], started, "", ""),
            (*COMMON[0], g.start(date(2023, 1, 1), date(2025, 6, 1)), "", ""),
        ]
        truth.append({"unit": unit, "clinic": level, "hospital": "", "start": started})
        rows += _institution_rows(g, inst, notes)
    return rows


def _special_rows(g: _Gen, rows: list[list[str]], truth: list[dict]) -> list[list[str]]:
    """Rows for the cases the tests look for (appended after the institutions)."""
    extra: list[list[str]] = []
    # an unknown home-care-like symbol (support clinic type ４) and an unknown 在… symbol: QA, not counted
    t = g.towns.iloc[g.rng.randrange(len(g.towns))]
    inst = {
        "pref_code": "14",
        "pref_name": "神奈川県",
        "number": g.number(30),
        "symbol_number": "",
        "name": "みらい在宅クリニック",
        "postal": "231-0001",
        "address": _fw(f"{g.units.at[t['municipality_code'], 'full_name']}{t['town']}5-5"),
        "phone": "045-00-9990",
        "beds": "",
        "accept_base": 0,
    }
    extra += _institution_rows(
        g,
        inst,
        [
            ("支援診４", "別添１の「第９」の１の(４)に規定する在宅療養支援診療所", date(2025, 6, 1), "", ""),
            ("在褥管", "在宅患者訪問褥瘡管理指導料", date(2024, 6, 1), "", ""),
            ("歯援診", "在宅療養支援歯科診療所", date(2022, 4, 1), "", ""),
            (*HOME_CARE_EXTRAS[1], date(2019, 5, 1), "", ""),
        ],
    )
    truth.append({"unit": t["municipality_code"], "clinic": "", "hospital": "", "start": None})
    # other prefectures' rows (東京都, 山梨県), with a support clinic that must not be counted
    for code, pref, addr in (("13", "東京都", "町田市原町田６－１－１"), ("19", "山梨県", "甲府市丸の内１－１－１")):
        other = {
            "pref_code": code,
            "pref_name": pref,
            "number": g.number(40),
            "symbol_number": "",
            "name": f"{pref[:2]}在宅クリニック",
            "postal": "194-0013" if code == "13" else "400-0031",
            "address": addr,
            "phone": "042-00-0001",
            "beds": "",
            "accept_base": 10,
        }
        extra += _institution_rows(
            g,
            other,
            [
                ("支援診２", SUPPORT_CLINIC["２"], date(2020, 4, 1), "", ""),
                (*HOME_CARE_EXTRAS[0], date(2020, 4, 1), "", ""),
                (*COMMON[1], date(2024, 6, 1), "", ""),
            ],
        )
    # exact duplicate rows: a support clinic row and an ordinary row repeated verbatim
    clinic_row = next(r for r in rows if r[14].startswith("支援診"))
    extra.append(list(clinic_row))
    extra.append(list(rows[5]))
    # the same notification twice with a different 電話番号 (not an exact duplicate): merged
    repeated = list(next(r for r in rows if r[14] == "医療ＤＸ"))
    repeated[10] = "045-99-9999"
    extra.append(repeated)
    # a broken 医療機関番号: quarantined
    broken = list(rows[7])
    broken[4] = "12345"
    extra.append(broken)
    # a notification given only as 備考 detail rows (no main row): its first row is the notification
    hospital_row = next(r for r in rows if r[14] == "データ提")
    ward = [
        "地域包括ケア病棟入院料２及び地域包括ケア入院医療管理料２",
        "地包ケア２",
        "第7号",
        _era(date(2022, 10, 1)),
        "",
    ]
    extra.append([*hospital_row[:13], *ward, "病棟数", "1", *hospital_row[20:]])
    extra.append([*hospital_row[:13], *ward, "病床数", "45", *hospital_row[20:]])
    return extra


def _number_rows(rows: list[list[str]]) -> list[list[str]]:
    """項番: one per institution, in order of first appearance (rows of one institution share it)."""
    serial: dict[tuple[str, str], int] = {}
    out = []
    for r in rows:
        key = (r[1], r[4])
        serial.setdefault(key, len(serial) + 1)
        out.append([str(serial[key]), *r[1:]])
    return out


def _list_workbook(rows: list[list[str]]) -> bytes:
    wb = Workbook()
    wb.properties.creator = "homecare sample"
    wb.properties.created = wb.properties.modified = files.FIXED_TIME
    ws = wb.active
    ws.title = "Sheet1"
    ws.cell(row=2, column=1, value=AS_OF_TEXT)
    for j in range(2, 25):
        ws.cell(row=2, column=j, value="")
    for j in range(1, 25):
        ws.cell(row=3, column=j, value="")
    for j, h in enumerate(HEADER, start=1):
        ws.cell(row=4, column=j, value=h)
    for i, r in enumerate(rows, start=5):
        for j, v in enumerate(r, start=1):
            ws.cell(row=i, column=j, value=v)
    buf = io.BytesIO()
    wb.save(buf)
    return files.normalise_zip(buf.getvalue())


# -- データ集 ----------------------------------------------------------------------------
OTHER_MUNICIPALITIES = [  # (code, prefecture, municipality, 二次医療圏コード)
    (13101, "東京都", "千代田区", 1301),
    (13104, "東京都", "新宿区", 1304),
    (13209, "東京都", "町田市", 1311),
    (19201, "山梨県", "甲府市", 1901),
    (19202, "山梨県", "富士吉田市", 1904),
    (22100, "静岡県", "静岡市", 2206),
    (22205, "静岡県", "熱海市", 2203),
]
KANAGAWA_AGED75 = 1_300_000  # rough, for sizing the synthetic national values only
NATIONAL_AGED75 = 20_078_000


def _r6_labels() -> dict[int, tuple[str, str, str, str, str]]:
    """項目番号 -> (データ時点, row 3, row 4, row 5, unit) of the R6 sheet."""
    labels = {
        n: ("令和6年3月31日", "その他の項目", f"（サンプルでは内容未設定の項目{n}）", "", "") for n in range(1, 61)
    }
    labels[1] = ("令和6年1月1日", "人口", "総数", "", "人")
    labels[2] = ("令和6年1月1日", "人口", "65歳以上人口", "", "人")
    labels[3] = ("令和6年1月1日", "人口", "65歳以上人口割合", "", "％")
    labels[4] = ("令和6年1月1日", "人口", "人口密度", "", "人/km2")
    for base, kind in ((5, "在宅療養支援病院"), (9, "在宅療養支援診療所")):
        labels[base] = ("令和6年3月31日", kind, "届出数", "", "施設")
        labels[base + 1] = ("令和6年3月31日", kind, "うち機能強化型", "単独型", "施設")
        labels[base + 2] = ("令和6年3月31日", kind, "うち機能強化型", "連携型", "施設")
        labels[base + 3] = ("令和6年3月31日", kind, "うち従来型", "", "施設")
    labels[58] = ("令和6年10月1日", "訪問看護", "訪問看護ステーション数", "", "事業所")
    return labels


def _r5_labels() -> dict[int, tuple[str, str, str, str, str]]:
    labels = {
        n: ("令和5年10月1日", "その他の項目", f"（サンプルでは内容未設定の項目{n}）", "", "") for n in range(1, 51)
    }
    labels[1] = ("令和5年1月1日", "人口", "総数", "", "人")
    labels[2] = ("令和5年1月1日", "人口", "65歳以上人口", "", "人")
    for base, kind in ((5, "在宅療養支援病院"), (9, "在宅療養支援診療所")):
        labels[base] = ("令和5年3月31日", kind, "届出数", "", "施設")
    for base, act in ((13, "訪問診療"), (25, "往診"), (37, "看取り")):
        for off, who in ((0, "病院"), (6, "一般診療所")):
            labels[base + off] = ("令和5年9月", act, who, "実施施設数", "施設")
            labels[base + off + 1] = ("令和5年9月", act, who, "実施件数", "件")
            labels[base + off + 2] = ("令和5年9月", act, who, "うち在宅療養支援施設 施設数", "施設")
            labels[base + off + 3] = ("令和5年9月", act, who, "うち在宅療養支援施設 実施件数", "件")
    return labels


def _kanagawa_values(g: _Gen, truth: list[dict]) -> dict[str, dict[int, object]]:
    """Synthetic values per Kanagawa municipality (city level for designated cities)."""
    rng = g.rng
    units = g.units
    munis = sorted({units.at[c, "parent_code"] or c for c in units.index})
    out: dict[str, dict[int, object]] = {}
    for code in munis:
        mine = [t for t in truth if (units.at[t["unit"], "parent_code"] or t["unit"]) == code]
        at = [t for t in mine if t["start"] is not None and t["start"] <= DATABOOK_DATE]
        clinics = [t for t in at if t["clinic"]]
        hospitals = [t for t in at if t["hospital"]]
        withdrawn = 1 if rng.random() < 0.35 else 0  # clinics notified then, gone by the list's date
        n_clinics = sum(1 for t in mine if t["clinic"]) + sum(1 for t in mine if t["hospital"]) + 1
        pop = {"14100": 3_770_000, "14130": 1_540_000, "14150": 720_000}.get(code) or rng.randint(12, 420) * 1000
        v: dict[int, object] = {
            1: pop,
            2: int(pop * rng.uniform(0.22, 0.36)),
            5: len(hospitals),
            6: sum(1 for t in hospitals if t["hospital"] == "１"),
            7: sum(1 for t in hospitals if t["hospital"] == "２"),
            8: sum(1 for t in hospitals if t["hospital"] == "３"),
            9: len(clinics) + withdrawn,
            10: sum(1 for t in clinics if t["clinic"] == "１"),
            11: sum(1 for t in clinics if t["clinic"] == "２"),
            12: sum(1 for t in clinics if t["clinic"] == "３") + withdrawn,
            58: rng.randint(1, 40),
        }
        for base, per in ((13, 90.0), (25, 9.0), (37, 1.6)):
            for off, share in ((0, 0.15), (6, 0.85)):
                facilities = max(0, round(n_clinics * share * rng.uniform(0.8, 1.6)))
                v[base + off] = facilities
                v[base + off + 1] = round(n_clinics * per * share * rng.uniform(0.6, 1.5))
                v[base + off + 2] = max(0, facilities - rng.randint(0, 2))
                v[base + off + 3] = round(v[base + off + 1] * rng.uniform(0.5, 0.9))
        out[code] = v
    # source-side suppression and a blank, as public tables do for small cells
    out["14402"][38] = "*"  # 真鶴町: 病院の看取り件数 suppressed
    out["14401"][26] = "-"  # 箱根町
    out["14402"][44] = None  # blank
    return out


def _databook_workbook(g: _Gen, truth: list[dict]) -> bytes:
    rng = g.rng
    kanagawa = _kanagawa_values(g, truth)
    units = g.units
    wb = Workbook()
    wb.properties.creator = "homecare sample"
    wb.properties.created = wb.properties.modified = files.FIXED_TIME
    wb.remove(wb.active)
    notes = wb.create_sheet("R6年（注記）")
    notes.cell(
        row=1, column=1, value="このファイルは架空のサンプルデータです（在宅医療にかかる地域別データ集の形式）。"
    )
    for title, labels in (("R５年", _r5_labels()), ("R6年", _r6_labels())):
        ws = wb.create_sheet(title)
        ws.cell(row=1, column=7, value="項目番号")
        ws.cell(row=2, column=7, value="データ時点")
        ws.cell(row=7, column=6, value="全国計")
        for j, h in enumerate(
            ["", "都道府県コード", "二次医療圏コード", "市区町村コード", "都道府県名", "市区町村名", "区分"], 1
        ):
            if h:
                ws.cell(row=8, column=j, value=h)
        for n, (when, l3, l4, l5, unit) in sorted(labels.items()):
            col = 7 + n
            ws.cell(row=1, column=col, value=n)
            ws.cell(row=2, column=col, value=when)
            ws.cell(row=3, column=col, value=l3)
            ws.cell(row=4, column=col, value=l4)
            if l5:
                ws.cell(row=5, column=col, value=l5)
            ws.cell(row=8, column=col, value=unit)
        _merge_headings(ws, labels)
        national = {
            n: round(
                sum(v[n] for v in kanagawa.values() if isinstance(v.get(n), (int, float)))
                * NATIONAL_AGED75
                / KANAGAWA_AGED75
                * rng.uniform(0.9, 1.25)
            )
            for n in labels
            if any(n in v for v in kanagawa.values())
        }
        national.update({1: 124_352_000, 2: 36_227_000})  # population items: national magnitudes
        for n, value in national.items():
            ws.cell(row=7, column=7 + n, value=value)
        rows = [(c, p, m, a, None) for c, p, m, a in OTHER_MUNICIPALITIES[:3]]
        for code, values in kanagawa.items():
            name = (
                units.at[code, "full_name"]
                if code in units.index
                else {"14100": "横浜市", "14130": "川崎市", "14150": "相模原市"}[code]
            )
            rows.append((int(code), "神奈川県", name.split("郡")[-1], 1400 + rng.randint(1, 9), values))
        rows += [(c, p, m, a, None) for c, p, m, a in OTHER_MUNICIPALITIES[3:]]
        for i, (code, pref, name, area, values) in enumerate(rows, start=9):
            ws.cell(row=i, column=2, value=int(str(code)[:2]))
            ws.cell(row=i, column=3, value=area)
            ws.cell(row=i, column=4, value=code)
            ws.cell(row=i, column=5, value=pref)
            ws.cell(row=i, column=6, value=name)
            ws.cell(row=i, column=7, value="政令市" if str(code).endswith("00") else "市区町村")
            for n in labels:
                v = values.get(n, rng.randint(0, 50)) if values is not None else rng.randint(0, 500)
                if v is not None:
                    ws.cell(row=i, column=7 + n, value=v)
    buf = io.BytesIO()
    wb.save(buf)
    return files.normalise_zip(buf.getvalue())


def _merge_headings(ws, labels: dict[int, tuple[str, str, str, str, str]]) -> None:
    """Merge runs of equal group headings in rows 3 and 4, as the real file shows them (only the
    first cell of a merged range keeps its text)."""
    numbers = sorted(labels)
    for row, key in ((3, lambda n: labels[n][1]), (4, lambda n: (labels[n][1], labels[n][2]))):
        run = [numbers[0]]
        for n in [*numbers[1:], None]:
            if n is not None and n == run[-1] + 1 and key(n) == key(run[0]):
                run.append(n)
                continue
            if len(run) > 1:
                ws.merge_cells(start_row=row, start_column=7 + run[0], end_row=row, end_column=7 + run[-1])
            if n is not None:
                run = [n]


def generate(folder: str | Path = SAMPLE_DIR) -> list[Path]:
    """(Re)write both sample files and the folder's SAMPLES.sha256 registry."""
    out = paths.resolve(folder)
    out.mkdir(parents=True, exist_ok=True)
    g = _Gen()
    rows, truth = build_list(g)
    rows += _new_institutions(g, truth)
    rows += _special_rows(g, rows, truth)
    written = []
    for name, data in (
        (LIST_NAME, _list_workbook(_number_rows(rows))),
        (DATABOOK_NAME, _databook_workbook(g, truth)),
    ):
        files.atomic_write_bytes(out / name, data)
        written.append(out / name)
    provenance.write_sample_registry(folder)
    return written


if __name__ == "__main__":
    for path in generate():
        print(paths.relative(path))
