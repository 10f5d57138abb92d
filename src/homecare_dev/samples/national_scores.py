"""Synthetic 「全国集計（市町村）」 workbooks in the real MHLW layout (サンプルデータ), deterministic.

No real national file is available offline. This generator follows what public code that
parses the real 令和8年度 file (``001732614.xlsx``) depends on (research note summarised in
docs/insurer_scores.md, "The real layout"):

- sheet ``全国集計（市町村）``; row 1 a title over both funds; rows 2-8 the header levels as
  merged cells (fund, goal with its title, indicator group, indicator number restarting in
  each group, indicator name, branch ア/イ, sub-item ①②; a branch without sub-items is
  merged down over row 8);
- identifier labels in row 2 (通し番号, 都道府県番号, 保険者番号, 都道府県名, 市町村名, 人口,
  第１号被保険者数, 区分 1-5, 過疎地域該当有無 ○, the previous year's total and rank);
- statistics rows 9-17 labelled 配点 全国合計 平均点 項目平均 平均得点率 中央値 標準偏差
  該当市町村数 該当率, rates as fractions, SD the population SD; items leave 中央値 empty,
  subtotals leave 項目平均, 該当市町村数 and 該当率 empty; row 18 blank; data from row 19;
- per fund the items and subtotals of goals Ⅰ-Ⅲ (``Ⅰ（ⅰ）計``, ``Ⅰ（ⅱ）計``, ``Ⅰ合計``), goal
  Ⅳ (成果指標群, items worth 160 points capped at 100; the 支援 block repeats the 推進 one),
  ``推進合計`` / ``支援合計``, then ``推進・支援合計`` and ``今年度順位``; then the 該当状況
  answer columns, whose headers repeat their item's but which have no 配点;
- 1,741 scored municipalities (通し番号 1-1,741, prefectures in code order), of which 205
  are members of a 広域連合 and have no 保険者番号; then the 38 広域連合 rows without
  通し番号 or scores: 1,779 data rows; 1,563 columns in 令和8年度 (2 items fewer in 令和7年度).

Invented (not in the public material, marked in docs): the labels of columns C, E, F, the
title text, the names and item split of every goal except 支援 目標Ⅲ, the 該当状況 headers
and values, the municipalities outside 神奈川県 and all scores. 支援 目標Ⅲ has the item
structure of ``goal3_items.csv``; activity items are awarded by national rank band
(①-④ = top 70/50/30/10 %), as the research reads the real 該当率.

``make samples`` writes the small committed samples (a quarter of the nation outside 神奈川県,
answer columns of 支援 目標Ⅲ only); ``make bench`` writes the full-size file.
"""

from __future__ import annotations

import hashlib
import io
import statistics
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import xlsxwriter

from homecare.core import paths
from homecare.core.dates import reiwa_fiscal_year, reiwa_number
from homecare.core.files import FIXED_TIME, atomic_write_bytes, normalise_zip
from homecare.reference import municipalities
from homecare.scores import crosswalk, totals
from homecare.scores import indicators as ind

SHEET = "全国集計（市町村）"
SEED = 20260401
FUND_LABELS = {"推進": "保険者機能強化推進交付金", "支援": "介護保険保険者努力支援交付金"}
GOAL_TITLES = {
    ("推進", "I"): "持続可能な地域のあるべき姿をかたちにする",
    ("推進", "II"): "公正・公平な給付を行う体制を構築する",
    ("推進", "III"): "介護人材の確保その他のサービス提供基盤の整備を推進する",
    ("推進", "IV"): "高齢者がその状況に応じて可能な限り自立した日常生活を営む",
    ("支援", "I"): "介護予防/日常生活支援を推進する",
    ("支援", "II"): "認知症総合支援を推進する",
    ("支援", "III"): "在宅医療・在宅介護連携の体制を構築する",
    ("支援", "IV"): "高齢者がその状況に応じて可能な限り自立した日常生活を営む",
}
ROMAN = totals.ROMAN_DISPLAY
GROUPS = {"i": "（ⅰ）体制・取組指標群", "ii": "（ⅱ）活動指標群", "outcome": "成果指標群"}
GROUP_OF_GOAL3 = {"体制・取組指標群": "i", "活動指標群": "ii"}
# subtotal 配点 per (fund, goal): (ⅰ), (ⅱ) [research: the same in 令和6-8年度]
GROUP_POINTS = {
    ("推進", "I"): (64, 36),
    ("推進", "II"): (68, 32),
    ("推進", "III"): (64, 36),
    ("支援", "I"): (52, 48),
    ("支援", "II"): (64, 36),
}
# item columns per goal in 令和8年度 (research: column positions); the split between the two
# groups is invented. 令和7年度 has one item fewer in 支援Ⅰ (6カ) and in 支援Ⅱ (1カ).
ITEM_COUNTS = {
    ("推進", "I"): (28, 12),
    ("推進", "II"): (11, 8),
    ("推進", "III"): (14, 12),
    ("支援", "I"): (49, 44),
    ("支援", "II"): (14, 12),
}
OUTCOME_ITEMS, OUTCOME_ITEM_POINTS, GOAL_POINTS = 32, 5, 100  # Ⅳ: 32 items, 160 points, capped at 100
ANSWER_COLUMNS_R8 = 1226  # 1,563 columns - 337 identifier, score and subtotal columns
BRANCHES = "アイウエオカキクケコ"
SUBS = "①②③④"
ID_LABELS = [
    "通し番号",
    "都道府県番号",
    "市町村コード",  # invented label (column C is not documented)
    "保険者番号",
    "広域連合名",  # invented (column E)
    "備考",  # invented (column F)
    "都道府県名",
    "市町村名",
    "人口",
    "第１号被保険者数\n（令和7年3月31日現在）",
    "区分\n（第１号被保険者数）",
    "過疎地域該当有無",
    "{prev}評価指標\n合計得点",
    "{prev}評価指標\n合計得点順位",
]
STAT_LABELS = ["配点", "全国合計", "平均点", "項目平均", "平均得点率", "中央値", "標準偏差", "該当市町村数", "該当率"]
HEADER_ROWS = 8  # rows 1-8: title + header levels
FIRST_DATA_ROW = 19  # 1-based
STAT_LABEL_COLUMN = 7  # 0-based; the labels sit under 市町村名 (the exact column is not documented)
# prefectures: (code, name, municipalities) - the counts sum to 1,741 (national municipality list)
PREFECTURES = [
    (1, "北海道", 179),
    (2, "青森県", 40),
    (3, "岩手県", 33),
    (4, "宮城県", 35),
    (5, "秋田県", 25),
    (6, "山形県", 35),
    (7, "福島県", 59),
    (8, "茨城県", 44),
    (9, "栃木県", 25),
    (10, "群馬県", 35),
    (11, "埼玉県", 63),
    (12, "千葉県", 54),
    (13, "東京都", 62),
    (14, "神奈川県", 33),
    (15, "新潟県", 30),
    (16, "富山県", 15),
    (17, "石川県", 19),
    (18, "福井県", 17),
    (19, "山梨県", 27),
    (20, "長野県", 77),
    (21, "岐阜県", 42),
    (22, "静岡県", 35),
    (23, "愛知県", 54),
    (24, "三重県", 29),
    (25, "滋賀県", 19),
    (26, "京都府", 26),
    (27, "大阪府", 43),
    (28, "兵庫県", 41),
    (29, "奈良県", 39),
    (30, "和歌山県", 30),
    (31, "鳥取県", 19),
    (32, "島根県", 19),
    (33, "岡山県", 27),
    (34, "広島県", 23),
    (35, "山口県", 19),
    (36, "徳島県", 24),
    (37, "香川県", 17),
    (38, "愛媛県", 20),
    (39, "高知県", 34),
    (40, "福岡県", 60),
    (41, "佐賀県", 20),
    (42, "長崎県", 21),
    (43, "熊本県", 45),
    (44, "大分県", 18),
    (45, "宮崎県", 26),
    (46, "鹿児島県", 43),
    (47, "沖縄県", 41),
]
# 38 広域連合 with 205 member municipalities (invented distribution; none in 神奈川県)
UNIONS = [
    (1, 8),
    (1, 3),
    (1, 5),
    (1, 6),
    (1, 4),
    (1, 3),
    (2, 4),
    (3, 3),
    (5, 3),
    (7, 6),
    (7, 4),
    (10, 4),
    (15, 4),
    (19, 3),
    (20, 13),
    (20, 6),
    (20, 5),
    (20, 5),
    (20, 4),
    (20, 4),
    (21, 3),
    (24, 5),
    (29, 4),
    (30, 3),
    (32, 5),
    (35, 3),
    (38, 3),
    (39, 6),
    (39, 4),
    (40, 33),
    (42, 3),
    (43, 4),
    (43, 3),
    (45, 3),
    (46, 5),
    (46, 3),
    (47, 15),
    (47, 3),
]
# score model, tuned so that a full-size file looks like 令和8年度: mean 推進・支援合計 about 455,
# SD about 88, 体制・取組 items about 73 % achieved, 目標Ⅳ about 48 of 100 (research figures)
SLOPE = 0.35
DIFFICULTY = {"binary": (-1.1, 1.0), "outcome": (1.0, 0.6)}  # mean, SD of item difficulty
BAND_NOISE = 2.5
SAMPLE_SHARE = 1 / 4  # committed samples: a quarter of the municipalities outside 神奈川県
SIZE_CLASS_LIMITS = (3_000, 10_000, 50_000, 100_000)  # 第1号被保険者数 -> 区分 1..5
KANAGAWA_FIRST_INSURED = {"横浜市": 930_000, "川崎市": 320_000, "相模原市": 190_000, "横須賀市": 120_000}


@dataclass(frozen=True)
class Column:
    """One score, subtotal, rank or answer column of the layout."""

    kind: str  # item | subtotal | total | rank | answer
    fund: str | None = None
    goal: str | None = None
    group: str = ""  # i | ii | outcome
    number: int | None = None  # 指標番号 as written (restarts in each group)
    indicator: str = ""
    branch: str = ""
    sub: str = ""
    max_points: float | None = None
    label: str = ""  # subtotal label as written; answer question
    label_row: int = 0  # 1-based header row of a subtotal label (merged down to row 8)
    mode: str = ""  # item scoring: binary | band | outcome
    item: int = -1  # answer columns: index of their item among the items

    @property
    def key(self) -> str:
        """Stable identity across years (difficulty seeds, answer values)."""
        return f"{self.fund}/{self.goal}/{self.group}/{self.number}/{self.indicator}/{self.branch}{self.sub}"


@dataclass
class Municipality:
    """One row of the file (a scored municipality or a 広域連合)."""

    pref_code: int
    pref: str
    name: str
    number: str  # 保険者番号 ('' for members of a 広域連合)
    code6: str
    union: str = ""  # name of its 広域連合
    is_union: bool = False
    first_insured: int = 0
    population: int = 0
    depopulated: bool = False
    ability: float = 0.0
    kanagawa_code: str = ""


@dataclass
class NationalSheet:
    """The workbook content before writing: header rows 1-8, merges (0-based, inclusive),
    statistics rows, data rows. Tests alter it to make variants."""

    fiscal_year: int
    title: str
    header: list[list[object]]
    merges: list[tuple[int, int, int, int]]
    stats: list[list[object]]
    body: list[list[object]]
    columns: list[Column]  # after the identifier columns
    sheet_name: str = SHEET
    n_ids: int = len(ID_LABELS)
    extra: dict[str, object] = field(default_factory=dict)

    def column_of(self, predicate) -> int:
        """0-based sheet column of the first layout column matching ``predicate``."""
        return self.n_ids + next(k for k, c in enumerate(self.columns) if predicate(c))


def _points(total: int, n: int) -> list[int]:
    base, extra = divmod(total, n)
    return [base + 1] * extra + [base] * (n - extra)


def _invented_goal(fund: str, goal: str, fiscal_year: int) -> list[Column]:
    """Items of a goal whose structure is not documented: (ⅰ) indicators of up to five
    branches, (ⅱ) activity indicators of branches ア/イ with rank bands ①-④."""
    n_i, n_ii = ITEM_COUNTS[(fund, goal)]
    if fiscal_year < 2026 and (fund, goal) in (("支援", "I"), ("支援", "II")):
        n_i -= 1  # 支援Ⅰ 6カ and 支援Ⅱ 1カ are new in 令和8年度
    p_i, p_ii = GROUP_POINTS[(fund, goal)]
    short = GOAL_TITLES[(fund, goal)].split("を")[0]
    cols: list[Column] = []
    for k, pts in enumerate(_points(p_i, n_i)):
        number, branch = divmod(k, 5)
        cols.append(
            Column(
                "item",
                fund,
                goal,
                "i",
                number + 1,
                f"{short}の取組{number + 1}",
                BRANCHES[branch],
                max_points=float(pts),
                mode="binary",
            )
        )
    for k, pts in enumerate(_points(p_ii, n_ii)):
        number, rest = divmod(k, 8)
        branch, sub = divmod(rest, 4)
        cols.append(
            Column(
                "item",
                fund,
                goal,
                "ii",
                number + 1,
                f"{short}の活動実績{number + 1}",
                BRANCHES[branch],
                SUBS[sub],
                max_points=float(pts),
                mode="band",
            )
        )
    return cols


def _goal3_items() -> list[Column]:
    """支援 目標Ⅲ from goal3_items.csv, numbered from 1 in each group as the file writes it."""
    df = ind.load_goal3_items()
    first = df.groupby("indicator_group")["indicator_no"].transform("min")
    return [
        Column(
            "item",
            "支援",
            "III",
            GROUP_OF_GOAL3[r.indicator_group],
            int(r.indicator_no) - int(f) + 1,
            r.indicator,
            r.item[0],
            r.item[1:],
            max_points=float(r.max_points),
            mode="band" if r.kind == "band" else "binary",
        )
        for r, f in zip(df.itertuples(), first, strict=True)
    ]


def _outcome_items(fund: str) -> list[Column]:
    return [
        Column(
            "item",
            fund,
            "IV",
            "outcome",
            k // 4 + 1,
            f"成果指標{k // 4 + 1}",
            BRANCHES[(k % 4) // 2],
            SUBS[k % 2],
            max_points=float(OUTCOME_ITEM_POINTS),
            mode="outcome",
        )
        for k in range(OUTCOME_ITEMS)
    ]


def score_columns(fiscal_year: int) -> list[Column]:
    """Items and subtotals of both funds in file order, then 推進・支援合計 and 今年度順位."""
    cols: list[Column] = []
    for fund in ind.FUNDS:
        for goal in ind.GOALS:
            r = ROMAN[goal]
            if goal == "IV":
                cols += _outcome_items(fund)
                row = 4 if fund == "推進" else 3  # research: 支援 Ⅳ合計 sits one row higher
                cols.append(Column("subtotal", fund, goal, max_points=GOAL_POINTS, label=f"{r}合計", label_row=row))
                continue
            items = _goal3_items() if (fund, goal) == ("支援", "III") else _invented_goal(fund, goal, fiscal_year)
            cols += items
            for g, text in (("i", "（ⅰ）"), ("ii", "（ⅱ）")):
                pts = sum(c.max_points for c in items if c.group == g)
                cols.append(Column("subtotal", fund, goal, g, max_points=pts, label=f"{r}{text}\n計", label_row=4))
            cols.append(Column("subtotal", fund, goal, max_points=GOAL_POINTS, label=f"{r}合計", label_row=4))
        cols.append(Column("total", fund, max_points=4.0 * GOAL_POINTS, label=f"{fund}合計", label_row=3))
    cols.append(Column("total", max_points=8.0 * GOAL_POINTS, label="推進・支援合計", label_row=2))
    cols.append(Column("rank", label="今年度順位", label_row=3))
    return cols


def answer_columns(items: list[Column], n: int, only: tuple[str, str] | None = None) -> list[Column]:
    """``n`` 該当状況 columns spread over the items (the first answer of each says ○/×), headers
    as the item's, no 配点. ``only=(fund, goal)`` spreads them over one goal (small samples)."""
    chosen = [k for k, c in enumerate(items) if only is None or (c.fund, c.goal) == only]
    per, extra = divmod(n, len(chosen))
    out = []
    for rank, k in enumerate(chosen):
        c = items[k]
        for q in range(per + (rank < extra)):
            label = "該当状況" if q == 0 else f"回答{q}"
            out.append(
                Column("answer", c.fund, c.goal, c.group, c.number, c.indicator, c.branch, c.sub, label=label, item=k)
            )
    return out


def municipalities_of_nation(share: float = 1.0) -> list[Municipality]:
    """1,741 municipalities by prefecture (神奈川県: the 33 insurers by code) and the 38 広域連合;
    ``share`` < 1 keeps that share of the other prefectures' municipalities and 広域連合 (a
    smaller nation for the committed samples)."""
    units = crosswalk.insurer_units()
    kinds = municipalities.load_municipalities().set_index("municipality_code")["unit_type"]
    rows: list[Municipality] = []
    for code, pref, n in PREFECTURES:
        if pref == municipalities.PREFECTURE:
            for seq, (mcode, name) in enumerate(zip(units["municipality_code"], units["name"], strict=True), 1):
                rows.append(
                    Municipality(
                        code,
                        pref,
                        name,
                        _kanagawa_number(seq),
                        municipalities.to_code6(mcode),
                        kanagawa_code=mcode,
                        first_insured=_kanagawa_first_insured(name, kinds[mcode]),
                    )
                )
            continue
        n = max(2, round(n * share))
        n_cities = max(1, round(n * 0.4))
        for k in range(1, n + 1):
            kind = "市" if k <= n_cities else ("町" if k % 5 else "村")
            code5 = f"{code:02d}{(200 if kind == '市' else 300) + k:03d}"
            rows.append(
                Municipality(
                    code,
                    pref,
                    f"サンプル{kind}{k:03d}",
                    f"{code5}{k % 10}",
                    municipalities.to_code6(code5),
                    first_insured=_first_insured(pref, k, kind),
                )
            )
    unions = _assign_unions(rows, UNIONS if share >= 1 else UNIONS[:: round(1 / share)], share)
    for m in rows:
        rng = _rng("people", m.pref, m.name)
        m.population = int(m.first_insured / rng.uniform(0.24, 0.4))
        m.depopulated = m.pref != municipalities.PREFECTURE and m.first_insured < 12_000 and rng.random() < 0.85
        m.ability = rng.normal(0.0, 1.0) + 0.9 * np.log10(max(m.first_insured, 500) / 8_000)
    return rows + unions


def _kanagawa_number(seq: int) -> str:
    """A made-up 6-digit 保険者番号 (not the municipality code, on purpose)."""
    five = f"14{seq:03d}"
    return f"{five}{municipalities.check_digit(five)}"


def _kanagawa_first_insured(name: str, unit_type: str) -> int:
    if name in KANAGAWA_FIRST_INSURED:
        return KANAGAWA_FIRST_INSURED[name]
    rng = _rng("kanagawa", name)
    low, high = {"city": (12_000, 110_000), "town": (3_500, 16_000), "village": (900, 2_000)}[unit_type]
    return int(rng.uniform(low, high))


def _first_insured(pref: str, k: int, kind: str) -> int:
    rng = _rng("size", pref, k)
    median = {"市": 26_000, "町": 4_500, "村": 1_100}[kind]
    return max(150, int(rng.lognormal(np.log(median), 0.9 if kind == "市" else 0.75)))


def _assign_unions(rows: list[Municipality], unions: list[tuple[int, int]], share: float) -> list[Municipality]:
    """Make the last towns of some prefectures members of a 広域連合 (no 保険者番号) and return
    the 広域連合 rows (保険者番号, no scores)."""
    out = []
    for j, (code, n) in enumerate(unions, start=1):
        towns = [m for m in rows if m.pref_code == code and not m.union and "市" not in m.name]
        members = towns[-max(2, round(n * min(1.0, share * 1.5))) :]
        pref = members[0].pref
        name = f"{pref.rstrip('都道府県')}サンプル広域連合{j:02d}"
        for m in members:
            m.union, m.number = name, ""
        number = f"{code:02d}9{j:02d}0"
        out.append(Municipality(code, pref, name, number, "", is_union=True))
    return out


def _rng(*key: object) -> np.random.Generator:
    digest = hashlib.sha256(":".join(map(str, (SEED, *key))).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def size_class(first_insured: int) -> int:
    """区分 1-5 by 第1号被保険者数 (<3千, 3千-1万, 1万-5万, 5万-10万, 10万以上)."""
    return 1 + sum(first_insured >= limit for limit in SIZE_CLASS_LIMITS)


def simulate(items: list[Column], people: list[Municipality], fiscal_year: int) -> np.ndarray:
    """Points of every scored municipality (rows) for every item (columns)."""
    ability = np.array([m.ability for m in people]) + 0.12 * (fiscal_year - 2024)
    ability = ability + _rng("year", fiscal_year).normal(0, 0.25, len(people))
    out = np.zeros((len(people), len(items)))
    activity: dict[tuple, np.ndarray] = {}
    for j, c in enumerate(items):
        rng = _rng("item", c.key, fiscal_year)
        if c.mode == "band":  # a national rank band of an activity measure: ① top 70% … ④ top 10%
            measure_key = (c.fund, c.goal, c.number, c.branch)
            if measure_key not in activity:
                noise = _rng("measure", *measure_key, fiscal_year).normal(0, BAND_NOISE, len(people))
                activity[measure_key] = ability + noise
            m = activity[measure_key]
            share = (0.7, 0.5, 0.3, 0.1)[SUBS.index(c.sub)] if c.sub else 0.5
            cut = np.quantile(m, 1 - share)
            out[:, j] = np.where(m > cut, c.max_points, 0.0)
            continue
        difficulty = _rng("difficulty", c.key).normal(*DIFFICULTY[c.mode])
        p = 1 / (1 + np.exp(-(SLOPE * ability - difficulty)))
        out[:, j] = np.where(rng.random(len(people)) < p, c.max_points, 0.0)
    return out


def subtotal_values(columns: list[Column], items: list[Column], points: np.ndarray) -> dict[int, np.ndarray]:
    """The file's own subtotals: group sums, goal sums capped at the goal's 配点 (目標Ⅳ: the
    items add up to 160), fund totals over the goals, the overall total."""
    out: dict[int, np.ndarray] = {}
    goal_values: dict[tuple, np.ndarray] = {}
    for k, c in enumerate(columns):
        if c.kind == "subtotal":
            sel = [
                j
                for j, it in enumerate(items)
                if (it.fund, it.goal) == (c.fund, c.goal) and (not c.group or it.group == c.group)
            ]
            v = points[:, sel].sum(axis=1)
            if not c.group:
                v = np.minimum(v, c.max_points)
                goal_values[(c.fund, c.goal)] = v
            out[k] = v
        elif c.kind == "total":
            out[k] = sum(v for (f, _), v in goal_values.items() if c.fund in (None, f))
    return out


def competition_rank(values: np.ndarray) -> np.ndarray:
    """1 + number of strictly higher values (ties share the better rank)."""
    order = np.sort(values)
    return len(values) - np.searchsorted(order, values, side="right") + 1


def build_national(fiscal_year: int, *, full: bool = False) -> NationalSheet:
    """The workbook of one fiscal year (2025: 令和7年度 layout, 2026: 令和8年度). ``full``: every
    municipality and the 1,226 該当状況 columns (1,779 x 1,563, the benchmark file); else the
    committed sample: a quarter of the other prefectures' municipalities and two 該当状況
    columns per item of 支援 目標Ⅲ only."""
    if fiscal_year < 2025:
        raise ValueError("the real layout starts with 令和7年度 (2025) here; older files use samples.scores")
    cols = score_columns(fiscal_year)
    items = [c for c in cols if c.kind == "item"]
    goal3 = ("支援", "III")
    n_goal3 = sum((c.fund, c.goal) == goal3 for c in items)
    answer_cols = answer_columns(items, ANSWER_COLUMNS_R8) if full else answer_columns(items, 2 * n_goal3, goal3)
    layout = cols + answer_cols
    share = 1.0 if full else SAMPLE_SHARE
    everyone = municipalities_of_nation(share)
    people = [m for m in everyone if not m.is_union]
    points = simulate(items, people, fiscal_year)
    # 支援 目標Ⅳ repeats 推進 目標Ⅳ (the same outcome indicators, counted in both funds)
    promo = [j for j, c in enumerate(items) if (c.fund, c.goal) == ("推進", "IV")]
    support = [j for j, c in enumerate(items) if (c.fund, c.goal) == ("支援", "IV")]
    points[:, support] = points[:, promo]
    subtotals = subtotal_values(cols, items, points)
    total = subtotals[next(k for k, c in enumerate(cols) if c.kind == "total" and c.fund is None)]
    rank = competition_rank(total)
    previous, previous_rank = _previous(fiscal_year, total, share)
    header, merges = _header(layout, fiscal_year)
    stats = _stats(layout, items, points, subtotals)
    body = []
    item_at = {id(c): j for j, c in enumerate(items)}
    for i, m in enumerate(people):
        row = _id_cells(m, i + 1, previous[i], previous_rank[i])
        for k, c in enumerate(layout):
            if c.kind == "item":
                row.append(points[i, item_at[id(c)]])
            elif c.kind in ("subtotal", "total"):
                row.append(subtotals[k][i])
            elif c.kind == "rank":
                row.append(int(rank[i]))
            else:
                row.append(_answer(c, points[i, c.item], m, i))
        body.append(row)
    for m in everyone:
        if m.is_union:
            body.append(_id_cells(m, None, None, None) + [None] * len(layout))
    title = (
        f"{reiwa_fiscal_year(fiscal_year).replace(str(reiwa_number(fiscal_year)), _fw(reiwa_number(fiscal_year)))}　"
        "保険者機能強化推進交付金・介護保険保険者努力支援交付金　評価指標該当状況調査票集計表（市町村分）"
        "【架空のサンプルデータ】"
    )
    return NationalSheet(fiscal_year, title, header, merges, stats, body, layout)


def _fw(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def _previous(fiscal_year: int, total: np.ndarray, share: float) -> tuple[list[float | None], list[int | None]]:
    """The previous year's totals and ranks (R7評価指標合計得点…): the previous file's own
    totals, or for the first sample year a simulated earlier year."""
    if fiscal_year >= 2026:
        earlier = build_totals(fiscal_year - 1, share)
    else:
        earlier = np.clip(np.round(total - _rng("previous", fiscal_year).normal(18, 35, len(total))), 0, 800)
    return [float(v) for v in earlier], [int(r) for r in competition_rank(earlier)]


def build_totals(fiscal_year: int, share: float) -> np.ndarray:
    """推進・支援合計 of every scored municipality in ``fiscal_year`` (file order)."""
    cols = score_columns(fiscal_year)
    items = [c for c in cols if c.kind == "item"]
    people = [m for m in municipalities_of_nation(share) if not m.is_union]
    points = simulate(items, people, fiscal_year)
    promo = [j for j, c in enumerate(items) if (c.fund, c.goal) == ("推進", "IV")]
    support = [j for j, c in enumerate(items) if (c.fund, c.goal) == ("支援", "IV")]
    points[:, support] = points[:, promo]
    subtotals = subtotal_values(cols, items, points)
    return subtotals[next(k for k, c in enumerate(cols) if c.kind == "total" and c.fund is None)]


def _id_cells(m: Municipality, serial: int | None, previous: float | None, previous_rank: int | None) -> list[object]:
    scored = serial is not None
    return [
        serial,
        m.pref_code,
        m.code6 or None,
        m.number or None,
        m.union or None,
        None,
        m.pref,
        m.name,
        m.population if scored else None,
        m.first_insured if scored else None,
        size_class(m.first_insured) if scored else None,
        "○" if scored and m.depopulated else None,
        previous,
        previous_rank,
    ]


def _answer(c: Column, points: float, m: Municipality, i: int) -> object:
    """該当状況: ○/× for the first answer of an item (○ when it scored), numbers otherwise."""
    if c.label == "該当状況":
        return "○" if points > 0 else "×"
    v = (i * 7 + len(c.key) * 13 + int(m.first_insured)) % 23
    return None if v == 0 else v


def _header(layout: list[Column], fiscal_year: int) -> tuple[list[list[object]], list[tuple[int, int, int, int]]]:
    """Header rows 1-8 (top-left values only) and their merges (0-based, inclusive)."""
    prev = f"R{reiwa_number(fiscal_year) - 1}"
    n = len(ID_LABELS) + len(layout)
    header: list[list[object]] = [[None] * n for _ in range(HEADER_ROWS)]
    merges: list[tuple[int, int, int, int]] = []
    for j, label in enumerate(ID_LABELS):
        header[1][j] = label.format(prev=prev)
        merges.append((1, j, HEADER_ROWS - 1, j))
    # levels per column, rows 2..8 (index 1..7); a subtotal label is written at its row and merged down
    levels: list[list[str | None]] = []
    for c in layout:
        if c.kind in ("subtotal", "total", "rank"):
            lv: list[str | None] = [None] * 7
            if c.fund:
                lv[0] = FUND_LABELS[c.fund]
            if c.goal and c.label_row > 3:
                lv[1] = f"目標{ROMAN[c.goal]}\n{GOAL_TITLES[(c.fund, c.goal)]}"
            lv[c.label_row - 2] = c.label
            levels.append(lv)
            continue
        levels.append(
            [
                FUND_LABELS[c.fund],
                f"目標{ROMAN[c.goal]}\n{GOAL_TITLES[(c.fund, c.goal)]}",
                GROUPS[c.group],
                str(c.number),
                c.indicator,
                c.branch,
                c.sub or (c.label if c.kind == "answer" else None),
            ]
        )
    base = len(ID_LABELS)
    for r in range(7):
        j = 0
        while j < len(layout):
            lv = levels[j]
            if lv[r] is None:
                j += 1
                continue
            end = j
            vertical = _is_label_cell(layout[j], r)
            while (
                not vertical
                and end + 1 < len(layout)
                and not _is_label_cell(layout[end + 1], r)
                and levels[end + 1][: r + 1] == lv[: r + 1]
            ):
                end += 1
            header[r + 1][base + j] = lv[r]
            bottom = r + 1
            if vertical:
                bottom = HEADER_ROWS - 1
            elif r == 5 and lv[6] is None:
                bottom = r + 2  # a branch without sub-items is merged over row 8
            if end > j or bottom > r + 1:
                merges.append((r + 1, base + j, bottom, base + end))
            j = end + 1
    header[0][0] = None  # the title is written by the caller
    return header, merges


def _is_label_cell(c: Column, r: int) -> bool:
    return c.kind in ("subtotal", "total", "rank") and r == c.label_row - 2


def _stats(
    layout: list[Column], items: list[Column], points: np.ndarray, subtotals: dict[int, np.ndarray]
) -> list[list[object]]:
    """Rows 9-17: one statistic per row, labelled in column H; rates as fractions."""
    n = len(ID_LABELS) + len(layout)
    rows = [[None] * n for _ in STAT_LABELS]
    for r, label in enumerate(STAT_LABELS):
        rows[r][STAT_LABEL_COLUMN] = label
    item_at = {id(c): j for j, c in enumerate(items)}
    for k, c in enumerate(layout):
        if c.kind == "item":
            values, is_item = points[:, item_at[id(c)]], True
        elif c.kind in ("subtotal", "total"):
            values, is_item = subtotals[k], False
        else:
            continue
        mean = float(np.mean(values))
        hits = int(np.count_nonzero(values > 0))
        stat = {
            "配点": c.max_points,
            "全国合計": float(np.sum(values)),
            "平均点": mean,
            "項目平均": mean if is_item else None,
            "平均得点率": mean / c.max_points,
            "中央値": None if is_item else float(statistics.median(values.tolist())),
            "標準偏差": float(np.std(values)),
            "該当市町村数": hits if is_item else None,
            "該当率": hits / len(values) if is_item else None,
        }
        for r, label in enumerate(STAT_LABELS):
            rows[r][len(ID_LABELS) + k] = stat[label]
    return rows


def write_national(sheet: NationalSheet, path: str | Path, *, deterministic: bool = True) -> Path:
    """Write the workbook with xlsxwriter, row by row (constant memory, so a full-size file
    fits in little memory). ``deterministic`` fixes document times and zip entries (samples);
    the benchmark file skips that step."""
    out = paths.resolve(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"constant_memory": True, "strings_to_numbers": False})
    wb.set_properties({"author": "homecare sample", "created": FIXED_TIME})
    ws = wb.add_worksheet(sheet.sheet_name)
    merges_at: dict[int, list[tuple[int, int, int, int]]] = {}
    for m in sheet.merges:
        merges_at.setdefault(m[0], []).append(m)
    rows = [[sheet.title] + [None] * (len(sheet.header[0]) - 1)] + sheet.header[1:] + sheet.stats + [[]] + sheet.body
    for r, line in enumerate(rows):
        merged = {m[1] for m in merges_at.get(r, [])}
        for r0, c0, r1, c1 in merges_at.get(r, []):
            ws.merge_range(r0, c0, r1, c1, line[c0])
        for c, value in enumerate(line):
            if value is None or c in merged:
                continue
            if isinstance(value, str):
                ws.write_string(r, c, value)
            else:
                ws.write_number(r, c, value)
    ws.freeze_panes(FIRST_DATA_ROW - 1, len(ID_LABELS))
    wb.close()
    data = buf.getvalue()
    atomic_write_bytes(out, normalise_zip(data) if deterministic else data)
    return out
