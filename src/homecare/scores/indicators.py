"""Indicator structure (評価指標) as data, and the normalisation of header labels and cells.

The item structure and points of 支援交付金 目標III (在宅医療・介護連携) live in
``data/raw/reference/indicators/goal3_items.csv`` (to be verified against the official
indicator PDF each year); other goals are read from the file's own header and 配点 row.
Terms: docs/glossary.md.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from homecare.core import paths, provenance
from homecare.core.errors import ReferenceDataError

FUNDS = ("推進", "支援")  # 保険者機能強化推進交付金 / 介護保険保険者努力支援交付金
GOALS = ("I", "II", "III", "IV")
FOCUS_FUND = "支援"  # 在宅医療・介護連携 is 目標III of the 支援交付金
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_KATAKANA_LABEL = "アイウエオカキクケコサシスセソタチツテトナニヌネノ"
_CIRCLED_RE = re.compile(f"[{CIRCLED}]")
_ROMAN = {"I": "I", "II": "II", "III": "III", "IV": "IV", "1": "I", "2": "II", "3": "III", "4": "IV"}

ITEMS_SCHEMA = pa.DataFrameSchema(
    {
        "indicator_group": pa.Column(str),
        "indicator_no": pa.Column(int, pa.Check.ge(1)),
        "indicator": pa.Column(str),
        "item": pa.Column(str, pa.Check.str_matches(rf"^[{_KATAKANA_LABEL}][{CIRCLED}]?$")),
        "max_points": pa.Column(float, pa.Check.gt(0)),
        "kind": pa.Column(str, pa.Check.isin(["binary", "band"])),
        "allowed_points": pa.Column(str, pa.Check.str_matches(r"^\d+(\.\d+)?(\|\d+(\.\d+)?)*$")),
    },
    unique=["indicator", "item"],
    strict=True,
    coerce=True,
)


def normalise(text: object) -> str:
    """Header/cell text for comparison: NFKC (full-width digits, Ⅲ -> III, full-width
    spaces) but circled numbers kept (NFKC would turn ② into 2 and lose the sub-item mark),
    whitespace removed."""
    if text is None:
        return ""
    s = str(text)
    if not _CIRCLED_RE.search(s):
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))
    kept = {ch: f"\x00{i}\x00" for i, ch in enumerate(CIRCLED) if ch in s}
    for ch, tag in kept.items():
        s = s.replace(ch, tag)
    s = unicodedata.normalize("NFKC", s)
    for ch, tag in kept.items():
        s = s.replace(tag, ch)
    return re.sub(r"\s+", "", s)


BLANK_MARKS = {"", "-", "－", "―", "ー", "—", "‐", "−"}  # 未回答/該当なし marks seen in the file


def parse_number(value: object) -> float | None:
    """A cell as a number: numbers, full-width digits, '－'/blank (None). Raises ValueError on
    text (never coerced: "あり" or "5点" in a score cell is an input error)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        return None if value != value else float(value)  # NaN from a formula cell -> blank
    s = normalise(value).replace(",", "")
    if s in BLANK_MARKS:
        return None
    return float(s)


def is_serial(value: object) -> bool:
    """A numeric 通し番号 (whole number, possibly full-width)."""
    try:
        v = parse_number(value)
    except ValueError:
        return False
    return v is not None and v.is_integer()


def goal_of(text: str) -> str | None:
    """Roman numeral of a 目標 label (目標Ⅲ, 目標III, 目標３ -> "III"), else None."""
    m = re.match(r"^目標(IV|III|II|I|[1-4])(?![IV])", normalise(text))
    return _ROMAN[m.group(1)] if m else None


def fund_of(text: str) -> str | None:
    """推進 or 支援 for a 交付金 label; None when the text names neither or both (a title)."""
    s = normalise(text)
    hits = [f for f in FUNDS if f in s]
    if len(hits) == 1 and ("交付金" in s or s in FUNDS):
        return hits[0]
    return None


_ITEM_RE = re.compile(rf"^[(（]?([{_KATAKANA_LABEL}])?[)）]?[-・]?([{CIRCLED}])?$")


def item_label(text: str) -> tuple[str | None, str | None] | None:
    """Split a 枝番 label into (letter, circled number): "イ①" / "イ ①" / "(イ)" / "②" / "ア".
    None when the text is not a 枝番 label."""
    s = normalise(text)
    m = _ITEM_RE.match(s)
    if not s or not m or not (m.group(1) or m.group(2)):
        return None
    return m.group(1), m.group(2)


def indicator_number(text: str) -> int | None:
    """A 指標番号 cell: "1", "（１）", "1.", "III-1" -> 1; else None."""
    m = re.fullmatch(r"(?:(?:[IVX]+|\d+)[-‐・])?[(（]?(\d{1,2})[)）.]?", normalise(text))
    return int(m.group(1)) if m else None


def items_path() -> Path:
    return paths.reference_dir() / "indicators" / "goal3_items.csv"


def load_goal3_items() -> pd.DataFrame:
    """The 目標III items (指標群, 指標, 枝番, 配点, allowed values), validated; recorded as input."""
    provenance.note_input(items_path())
    return _load_items().copy()


@lru_cache(maxsize=1)
def _load_items() -> pd.DataFrame:
    path = items_path()
    if not path.is_file():
        raise ReferenceDataError(f"{paths.relative(path)} is missing (目標III item structure)")
    df = pd.read_csv(path, comment="#", dtype=str, keep_default_na=False, encoding="utf-8")
    try:
        df = ITEMS_SCHEMA.validate(df)
    except (pa.errors.SchemaError, pa.errors.SchemaErrors) as exc:
        raise ReferenceDataError(f"{paths.relative(path)}: {exc}") from exc
    for row in df.itertuples():
        allowed = [float(v) for v in row.allowed_points.split("|")]
        if max(allowed) != row.max_points or min(allowed) != 0:
            raise ReferenceDataError(
                f"{paths.relative(path)}: {row.indicator} {row.item}: allowed_points {row.allowed_points} "
                f"must run from 0 to max_points {row.max_points:g}"
            )
    return df


@dataclass(frozen=True)
class Goal3Item:
    """One scored item of 目標III as listed in the data file."""

    indicator_group: str  # 指標群
    indicator_no: int  # 指標番号
    indicator: str  # 指標名
    item: str  # 枝番 (ア, イ①)
    max_points: float  # 配点
    kind: str  # binary (0 or 配点) | band (活動指標: points by national rank band)
    allowed: frozenset[float]


def goal3_items() -> dict[tuple[str, str], Goal3Item]:
    """{(indicator, item): Goal3Item} from the data file."""
    return {
        (r.indicator, r.item): Goal3Item(
            r.indicator_group,
            int(r.indicator_no),
            r.indicator,
            r.item,
            float(r.max_points),
            r.kind,
            frozenset(float(v) for v in r.allowed_points.split("|")),
        )
        for r in load_goal3_items().itertuples()
    }


def size_classes_path() -> Path:
    return paths.reference_dir() / "indicators" / "size_classes.csv"


def size_class_labels() -> dict[str, str]:
    """{区分: label} from the data file (recorded as an input)."""
    provenance.note_input(size_classes_path())
    return dict(_size_classes())


@lru_cache(maxsize=1)
def _size_classes() -> dict[str, str]:
    path = size_classes_path()
    if not path.is_file():
        raise ReferenceDataError(f"{paths.relative(path)} is missing (区分 labels)")
    df = pd.read_csv(path, comment="#", dtype=str, keep_default_na=False, encoding="utf-8")
    return dict(zip(df["size_class"], df["label"], strict=True))


def match_goal3_indicator(texts: list[str], number: int | None, group: str = "") -> str | None:
    """The data file's 指標名 that a header denotes: by name (a header text and the name
    containing one another, normalised; the 指標名 text first, then the other texts), else by
    指標番号 within 目標III, else by the number counted within its 指標群 (files that restart
    numbering in each group)."""
    items = _load_items()
    names = list(dict.fromkeys(items["indicator"]))
    for key in map(normalise, texts):
        hits = [n for n in names if key and (normalise(n) in key or key in normalise(n))]
        if len(hits) == 1:
            return hits[0]
    if number is None:
        return None
    in_group = items[items["indicator_group"].map(normalise) == normalise(group)] if group else items
    by_no = in_group.loc[in_group["indicator_no"] == number, "indicator"].unique()
    if len(by_no) == 1:
        return str(by_no[0])
    ordered = list(dict.fromkeys(in_group["indicator"]))
    return ordered[number - 1] if group and 1 <= number <= len(ordered) else None
