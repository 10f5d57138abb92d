"""Deterministic synthetic national results files (サンプルデータ): the committed samples.

``make samples`` (:func:`generate`) writes ``data/raw/sample/scores/``:

- the default inputs, in the real MHLW layout 「全国集計（市町村）」 of 令和7年度 and 令和8年度
  (:mod:`homecare_dev.samples.national_scores`, a third of the nation's rows to stay small);
- one file in the OLDER layout, kept as a test fixture (one parser reads both): an 8-row
  merged header (交付金 / 目標 / 指標群 / 指標番号 / 指標名 / 枝番 / 設問 / 得点) with the
  statistics rows below it (rates in percent), identifier and totals columns, several
  prefectures (all 33 insurers of 神奈川県), a 広域連合 row without scores, and noise
  (full-width digits, '－' and blanks). :func:`build_sheet` also builds, in memory for the
  tests, a 令和7年度 variant with columns in another order, a title row and a note row.

In the older layout only 支援交付金 目標III has the real item structure (goal3_items.csv); the
other goals are coarse placeholders with invented indicator names. The scores are random.
"""

from __future__ import annotations

import io
import random
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

from homecare.core import paths, provenance
from homecare.core.dates import reiwa_fiscal_year, reiwa_number
from homecare.core.files import FIXED_TIME, atomic_write_bytes, normalise_zip
from homecare.reference import municipalities
from homecare.scores import crosswalk
from homecare.scores import indicators as ind
from homecare_dev.samples import national_scores

SAMPLE_FOLDER = "data/raw/sample/scores"
SEED = 20240401
FUND_LABELS = national_scores.FUND_LABELS
# the older layout writes 目標Ⅲ's title without 「在宅」 before 介護連携
GOAL_TITLES = {**national_scores.GOAL_TITLES, ("支援", "III"): "在宅医療・介護連携の体制を構築する"}
ROMAN_DISPLAY = national_scores.ROMAN
GROUP_DISPLAY = {
    "体制・取組指標群": "（ⅰ）体制・取組指標群",
    "活動指標群": "（ⅱ）活動指標群",
    "アウトカム指標群": "（ⅲ）アウトカム指標群",
}
# coarse placeholder structure of the other goals: (group, 指標番号, name suffix, [(枝番, 配点)], band?)
COARSE = [
    ("体制・取組指標群", 1, "に関する現状把握", [("ア", 10), ("イ", 10), ("ウ", 10)], False),
    ("体制・取組指標群", 2, "の取組状況", [("ア", 10), ("イ①", 5), ("イ②", 5), ("ウ", 10)], False),
    ("体制・取組指標群", 3, "の評価・見直し", [("ア", 10)], False),
    ("活動指標群", 4, "の活動実績", [("ア①", 10), ("ア②", 10), ("ア③", 10)], True),
]
OUTCOME = [
    ("アウトカム指標群", 1, "要介護認定等の変化", [("ア", 25), ("イ", 25)], True),
    ("アウトカム指標群", 2, "健康寿命の延伸", [("ア", 25), ("イ", 25)], True),
]
# insurers of other prefectures: (都道府県番号, 都道府県名, 市町村名, 区分, scored?)
OTHERS_BEFORE = [
    ("01", "北海道", "札幌市", "指定都市", True),
    ("01", "北海道", "函館市", "市", True),
    ("13", "東京都", "千代田区", "特別区", True),
    ("13", "東京都", "八王子市", "市", True),
]
OTHERS_AFTER = [
    ("22", "静岡県", "静岡市", "指定都市", True),
    ("40", "福岡県", "福岡県介護保険広域連合", "広域連合", False),
]
STAT_ROWS = ["配点", "全国合計", "平均点", "項目平均", "平均得点率", "中央値", "標準偏差", "該当市町村数", "該当率"]
HEADER_ROWS = 8


@dataclass
class Item:
    """One score column of the sample."""

    fund: str
    goal: str
    group: str
    number: int
    indicator: str
    item: str  # canonical 枝番 (イ②)
    max_points: float
    allowed: tuple[float, ...]


@dataclass
class SampleSheet:
    """A sample sheet before writing: header rows, merges (1-based, relative to the header's
    first row) and body rows. Tests alter it to make broken files."""

    header: list[list[object]]
    merges: list[tuple[int, int, int, int]]
    body: list[list[object]]
    title: str = ""
    sheet_name: str = "評価結果"
    extra_sheets: list[str] = field(default_factory=list)
    layout: list[tuple[str, object]] = field(default_factory=list)  # (id|total, label) or (score, item index)


def items() -> list[Item]:
    """Score columns in national order: 推進 I-IV then 支援 I-IV (目標III from the data file)."""
    out: list[Item] = []
    for fund in ind.FUNDS:
        for goal in ind.GOALS:
            if (fund, goal) == (ind.FOCUS_FUND, "III"):
                for r in ind.load_goal3_items().itertuples():
                    out.append(
                        Item(
                            fund,
                            goal,
                            r.indicator_group,
                            int(r.indicator_no),
                            r.indicator,
                            r.item,
                            float(r.max_points),
                            tuple(float(v) for v in r.allowed_points.split("|")),
                        )
                    )
                continue
            short = GOAL_TITLES[(fund, goal)].split("を")[0]
            for group, no, suffix, parts, band in OUTCOME if goal == "IV" else COARSE:
                name = suffix if goal == "IV" else f"{short}{suffix}"
                for label, pts in parts:
                    allowed = (0.0, pts / 2, float(pts)) if band else (0.0, float(pts))
                    out.append(Item(fund, goal, group, no, name, label, float(pts), allowed))
    return out


def _item_display(items_: list[Item], k: int) -> str:
    """枝番 as printed: "イ　①" for the first sub-item, only "②" for the following ones."""
    it = items_[k]
    if len(it.item) == 1:
        return it.item
    prev = items_[k - 1] if k else None
    same = (
        prev
        and (prev.fund, prev.goal, prev.indicator) == (it.fund, it.goal, it.indicator)
        and prev.item[0] == it.item[0]
    )
    return it.item[1] if same else f"{it.item[0]}\u3000{it.item[1]}"


def _fullwidth(s: str) -> str:
    return s.translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def insurer_number(seq: int) -> str:
    """A made-up 6-digit 保険者番号 (not the municipality code, on purpose)."""
    five = f"14{seq:03d}"
    return f"{five}{municipalities.check_digit(five)}"


def _scores(rng: random.Random, its: list[Item], propensity: float) -> list[float]:
    out = []
    for it in its:
        if len(it.allowed) == 2:
            out.append(it.max_points if rng.random() < propensity else 0.0)
        else:
            out.append(rng.choices(it.allowed, weights=[1 - propensity, 0.5, propensity])[0])
    return out


def build_sheet(fiscal_year: int) -> SampleSheet:
    """The sample sheet of one fiscal year (2024: 令和6年度 layout; 2025: another column order)."""
    its = items()
    later = fiscal_year >= 2025
    ids = ["通し番号", "都道府県番号", "保険者番号", "都道府県名", "市町村名", "人口", "第１号被保険者数", "区分"]
    totals = ["推進合計", "支援合計", "順位", "前年度得点"]
    order = list(range(len(its)))
    if later:  # the second year moves columns: identifiers reordered, totals first, 支援 before 推進
        ids = ["通し番号", "保険者番号", "都道府県番号", "市町村名", "都道府県名", "区分", "人口", "第１号被保険者数"]
        order = [k for k in order if its[k].fund == "支援"] + [k for k in order if its[k].fund == "推進"]
    layout: list[tuple[str, object]] = [("id", n) for n in ids]
    score_layout = [("score", k) for k in order]
    layout += (
        ([("total", n) for n in totals] + score_layout) if later else (score_layout + [("total", n) for n in totals])
    )

    header, merges = _header(its, layout, later)
    rows = _insurer_rows(fiscal_year, its)
    body = _stat_rows(its, rows, layout, later) + ([[None] * len(layout)] if not later else [])
    for serial, row in enumerate(rows, start=1):
        body.append([_cell(row, kind, key, serial, later) for kind, key in layout])
    if later:
        body.append(["※ 得点は暫定値（サンプル）"] + [None] * (len(layout) - 1))
    title = (
        f"{reiwa_fiscal_year(fiscal_year)} 保険者機能強化推進交付金・介護保険保険者努力支援交付金 評価結果（サンプル）"
    )
    return SampleSheet(
        header,
        merges,
        body,
        title=title if later else "",
        sheet_name="市町村別得点" if later else "評価結果",
        extra_sheets=["注記"] if later else [],
        layout=layout,
    )


def _header(
    its: list[Item], layout: list[tuple[str, object]], later: bool
) -> tuple[list[list[object]], list[tuple[int, int, int, int]]]:
    header: list[list[object]] = [[None] * len(layout) for _ in range(HEADER_ROWS)]
    merges = []
    for j, (kind, key) in enumerate(layout, start=1):
        if kind != "score":
            header[0][j - 1] = key
            merges.append((1, j, HEADER_ROWS, j))
            continue
        k = int(key)
        it = its[k]
        roman = "ＩＩＩ" if later and it.goal == "III" else ROMAN_DISPLAY[it.goal]  # full-width Latin in one year
        header[0][j - 1] = FUND_LABELS[it.fund]
        header[1][j - 1] = f"目標{roman}\u3000{GOAL_TITLES[(it.fund, it.goal)]}"
        header[2][j - 1] = GROUP_DISPLAY[it.group]
        header[3][j - 1] = _fullwidth(str(it.number))
        header[4][j - 1] = it.indicator
        header[5][j - 1] = _item_display(its, k)
        header[7][j - 1] = "得点"
    # merge runs of equal parents (rows 1-5) as the national file does
    for r in range(5):
        j = 0
        while j < len(layout):
            end = j
            while (
                end + 1 < len(layout)
                and layout[end + 1][0] == "score" == layout[j][0]
                and all(header[q][end + 1] == header[q][j] for q in range(r + 1))
            ):
                end += 1
            if end > j:
                merges.append((r + 1, j + 1, r + 1, end + 1))
                for c in range(j + 1, end + 1):
                    header[r][c] = None  # merged cells keep only the top-left value
            j = end + 1
    return header, merges


def _insurer_rows(fiscal_year: int, its: list[Item]) -> list[dict]:
    """Insurers in file order with their scores (same propensities every year, a little higher later)."""
    units = crosswalk.insurer_units()
    kinds = dict(
        zip(
            municipalities.load_municipalities()["municipality_code"],
            municipalities.load_municipalities()["unit_type"],
            strict=False,
        )
    )
    entries = [
        dict(pref_code=p, pref=n, name=m, category=c, scored=s, number=f"{p}{i:03d}0")
        for i, (p, n, m, c, s) in enumerate(OTHERS_BEFORE, 1)
    ]
    for seq, (code, name) in enumerate(zip(units["municipality_code"], units["name"], strict=False), start=1):
        if fiscal_year >= 2025 and name == "茅ヶ崎市":
            name = "茅ケ崎市"  # the variant used by some years' files
        if fiscal_year >= 2025 and name == "松田町":
            name = "足柄上郡松田町"
        category = {"designated_city": "指定都市", "city": "市"}.get(kinds[code], "町村")
        entries.append(
            dict(
                pref_code="14",
                pref="神奈川県",
                name=name,
                category=category,
                scored=True,
                number=insurer_number(seq),
                code=code,
            )
        )
    entries += [
        dict(pref_code=p, pref=n, name=m, category=c, scored=s, number=f"{p}{i:03d}0")
        for i, (p, n, m, c, s) in enumerate(OTHERS_AFTER, 1)
    ]
    previous: dict[str, float] = {}
    for fy in range(2024, fiscal_year + 1):
        rng = random.Random(SEED + fy)
        for e in entries:
            propensity = base_propensity(e["name"]) + 0.05 * (fy - 2024)
            e["population"] = int(random.Random(e["name"]).uniform(3_000, 400_000))
            e["first_insured"] = int(e["population"] * 0.26)
            e["scores"] = _scores(rng, its, min(propensity, 0.95)) if e["scored"] else None
            e["totals"] = (
                {f: sum(s for s, it in zip(e["scores"], its, strict=False) if it.fund == f) for f in ind.FUNDS}
                if e["scored"]
                else None
            )
            e["previous"] = previous.get(e["name"])
            if e["scored"]:
                previous[e["name"]] = sum(e["totals"].values())
    ranked = sorted((e for e in entries if e["scored"]), key=lambda e: -sum(e["totals"].values()))
    for e in entries:
        e["rank"] = (
            1 + sum(sum(o["totals"].values()) > sum(e["totals"].values()) for o in ranked) if e["scored"] else None
        )
    return entries


def base_propensity(name: str) -> float:
    """Stable per-insurer achievement rate (independent of the order insurers are drawn in)."""
    return (
        0.45
        + 0.4 * random.Random(f"{SEED}:{ind.normalise(name).replace('ケ', 'ヶ').removeprefix('足柄上郡')}").random()
    )


def _cell(row: dict, kind: str, key: object, serial: int, later: bool) -> object:
    """One body cell with the noise of the real files."""
    kanagawa = row["pref"] == "神奈川県"
    if kind == "id":
        value = {
            "通し番号": serial,
            "都道府県番号": row["pref_code"],
            "保険者番号": row["number"],
            "都道府県名": row["pref"],
            "市町村名": row["name"],
            "人口": row["population"],
            "第１号被保険者数": row["first_insured"],
            "区分": row["category"],
        }[str(key)]
        if kanagawa and key in ("通し番号", "保険者番号") and serial % 4 == 0:
            return _fullwidth(str(value))  # full-width digits in some rows
        return value
    if kind == "total":
        if not row["scored"]:
            return "－"
        if key == "順位":
            return row["rank"]
        if key == "前年度得点":
            return row["previous"] if row["previous"] is not None else "－"
        return row["totals"]["推進" if key == "推進合計" else "支援"]
    if not row["scored"]:
        return "－"
    k = int(key)
    value = row["scores"][k]
    if value == 0 and kanagawa and (serial + k) % 97 == 0:
        return "－" if later else None  # 0 written as '－' or left blank
    if kanagawa and value and (serial + k) % 53 == 0:
        return _fullwidth(f"{value:g}")
    return value


def _stat_rows(its: list[Item], rows: list[dict], layout: list[tuple[str, object]], later: bool) -> list[list[object]]:
    """配点 and the national statistics over the scored rows (some rows differ by year)."""
    scored = [r for r in rows if r["scored"]]
    labels = [s for s in STAT_ROWS if not (later and s == "項目平均")] + (["上位10%平均"] if later else [])
    label_col = 3 if later else 0  # 2025 writes the label under 市町村名
    out = []
    for label in labels:
        line: list[object] = [None] * len(layout)
        line[label_col] = label
        for j, (kind, key) in enumerate(layout):
            if kind == "score":
                k = int(key)
                vals = [r["scores"][k] for r in scored]
                line[j] = _stat(label, vals, its[k].max_points)
            elif kind == "total" and key in ("推進合計", "支援合計"):
                vals = [r["totals"]["推進" if key == "推進合計" else "支援"] for r in scored]
                line[j] = _stat(label, vals, 400.0)
        out.append(line)
    return out


def _stat(label: str, vals: list[float], max_points: float) -> float:
    mean = statistics.fmean(vals)
    hits = sum(v > 0 for v in vals)
    return round(
        {
            "配点": max_points,
            "全国合計": sum(vals),
            "平均点": mean,
            "項目平均": mean,
            "平均得点率": 100 * mean / max_points,
            "中央値": statistics.median(vals),
            "標準偏差": statistics.pstdev(vals),
            "該当市町村数": hits,
            "該当率": 100 * hits / len(vals),
            "上位10%平均": max(vals),
        }[label],
        3,
    )


def write_xlsx(sheet: SampleSheet, path: str | Path, *, top_rows: int | None = None) -> Path:
    """Write a sample sheet as a deterministic .xlsx; ``top_rows`` blank/title rows above the
    header (default: 2 when the sheet has a title)."""
    wb = Workbook()
    wb.properties.creator = "homecare sample"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    ws = wb.active
    ws.title = sheet.sheet_name
    for name in sheet.extra_sheets:  # a notes sheet before the data: the reader must find the right one
        wb.create_sheet(name, 0).cell(row=1, column=1, value="このファイルは架空のサンプルデータです。")
    offset = (2 if sheet.title else 0) if top_rows is None else top_rows
    if sheet.title and offset:
        ws.cell(row=1, column=1, value=sheet.title)
    for i, line in enumerate(sheet.header + sheet.body, start=1 + offset):
        for j, value in enumerate(line, start=1):
            if value is not None:
                ws.cell(row=i, column=j, value=value)
    for r1, c1, r2, c2 in sheet.merges:
        ws.merge_cells(start_row=r1 + offset, start_column=c1, end_row=r2 + offset, end_column=c2)
    ws.freeze_panes = ws.cell(row=offset + HEADER_ROWS + 1, column=9)
    buf = io.BytesIO()
    wb.save(buf)
    out = paths.resolve(path)
    atomic_write_bytes(out, normalise_zip(buf.getvalue()))
    return out


NATIONAL_YEARS = (2025, 2026)  # the default run: 令和7年度 and 令和8年度 in the real layout
OLDER_YEAR = 2024


def sample_path(fiscal_year: int, folder: str | Path = SAMPLE_FOLDER) -> Path:
    """The real-layout sample of a year: ``<folder>/zenkoku_shukei_FY2026_R08_sample.xlsx``
    (全国集計; 令和N年度 in the name for analysts)."""
    return paths.resolve(folder) / f"zenkoku_shukei_FY{fiscal_year}_R{reiwa_number(fiscal_year):02d}_sample.xlsx"


def older_sample_path(folder: str | Path = SAMPLE_FOLDER) -> Path:
    """The older-layout test fixture (令和6年度): ``<folder>/hyoka_kekka_FY2024_R06_older_layout_sample.xlsx``."""
    return (
        paths.resolve(folder) / f"hyoka_kekka_FY{OLDER_YEAR}_R{reiwa_number(OLDER_YEAR):02d}_older_layout_sample.xlsx"
    )


def generate(folder: str | Path = SAMPLE_FOLDER) -> list[Path]:
    """Write the real-layout samples, the older-layout fixture and the folder's SAMPLES.sha256."""
    out = [
        national_scores.write_national(national_scores.build_national(fy), sample_path(fy, folder))
        for fy in NATIONAL_YEARS
    ]
    out.append(write_xlsx(build_sheet(OLDER_YEAR), older_sample_path(folder)))
    provenance.write_sample_registry(folder)
    return out
