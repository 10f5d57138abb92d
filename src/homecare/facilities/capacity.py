"""Capacity of facilities (定員・病床数): read by a rule per facility type, summed honestly.

The rule per type lives in ``data/raw/reference/capacity_rules.csv``: which column holds the
capacity, whether a 0 in the file is a real value (無床診療所: 0 beds) or means "unknown"
(the 介護サービス情報公表 files write 定員 0 where it does not apply or was not reported), and
an upper limit above which a value is flagged (地域密着型 ≤ 29). Unknown capacity is NA, never
0, and every sum says how many facilities it leaves out. Terms: docs/glossary.md.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from homecare.core import paths, provenance
from homecare.core.errors import ReferenceDataError
from homecare.core.qa import QAEntry
from homecare.facilities.address import match_key
from homecare.facilities.coords import to_float

RULES_FILE = "capacity_rules.csv"
ZERO_MEANS = ("unknown", "value", "not_applicable")
STAGE = "02_facilities"


@lru_cache(maxsize=1)
def _load_rules() -> pd.DataFrame:
    path = paths.reference_dir() / RULES_FILE
    df = pd.read_csv(path, dtype=str, keep_default_na=False, comment="#", encoding="utf-8")
    where = paths.relative(path)
    if df["facility_type"].duplicated().any():
        raise ReferenceDataError(f"{where}: a facility_type is listed twice")
    bad = sorted(set(df["zero_means"]) - set(ZERO_MEANS))
    if bad:
        raise ReferenceDataError(f"{where}: zero_means must be one of {ZERO_MEANS}, got {bad}")
    limits = pd.to_numeric(df["upper_limit"].replace("", None), errors="coerce")
    if (limits.isna() & (df["upper_limit"] != "")).any():
        raise ReferenceDataError(f"{where}: upper_limit must be a number or empty")
    return df.set_index("facility_type")


def load_rules() -> pd.DataFrame:
    """The rules, indexed by facility_type (recorded as an input of the current stage)."""
    provenance.note_input(paths.reference_dir() / RULES_FILE)
    return _load_rules()


def rule_of(facility_type: str) -> pd.Series:
    """The capacity rule of one facility type (ReferenceDataError when it has none)."""
    rules = load_rules()
    if facility_type not in rules.index:
        raise ReferenceDataError(f"{RULES_FILE}: no capacity rule for facility type {facility_type!r}")
    return rules.loc[facility_type]


def _column(columns: list[str], name: str) -> str | None:
    key = match_key(name)
    return next((c for c in columns if match_key(c) == key), None)


def read_capacity(raw: pd.DataFrame, facility_type: str, file: str) -> tuple[pd.Series, list[QAEntry]]:
    """Capacity of each row of ``raw`` (a source file's rows, with ``source_row``) under the
    type's rule: the total column, else the sum of the part columns; a 0 that means unknown,
    an empty or unreadable cell give NA. QA: one line per file counting unknown values, one
    entry per value that is not a number or is above the upper limit."""
    rule = rule_of(facility_type)
    nan = pd.Series(float("nan"), index=raw.index)
    if rule["zero_means"] == "not_applicable":
        return nan, []
    columns = [c for c in raw.columns if c != "source_row"]
    total = _column(columns, rule["total_column"]) if rule["total_column"] else None
    parts = [c for p in rule["part_columns"].split("|") if p and (c := _column(columns, p))]
    use = [total] if total else parts
    if not use:
        return nan, [QAEntry(STAGE, file, f"定員・病床数の列（{rule['total_column']}）がない: 全行不明", "kept")]
    qa: list[QAEntry] = []
    values = []
    for c in use:
        text = raw[c].fillna("").astype(str).str.strip()
        num = to_float(raw[c])
        unreadable = (text != "") & num.isna()
        qa += [
            QAEntry(STAGE, file, "定員・病床数が数値でない: 不明として扱う", "kept", row=int(r), column=c, value=v)
            for r, v in zip(raw.loc[unreadable, "source_row"], text[unreadable], strict=True)
        ]
        values.append(num)
    capacity = pd.concat(values, axis=1).sum(axis=1, min_count=1)
    zero = capacity == 0
    if rule["zero_means"] == "unknown":
        capacity = capacity.mask(zero)
    unknown = int(capacity.isna().sum())
    if unknown:
        what = "0または空欄" if rule["zero_means"] == "unknown" else "空欄"
        qa.append(
            QAEntry(STAGE, file, f"{'・'.join(use)}が{what}: 不明として扱う（合計に含めない）{unknown}行", "kept")
        )
    if rule["upper_limit"]:
        limit = float(rule["upper_limit"])
        over = capacity > limit
        qa += [
            QAEntry(
                STAGE,
                file,
                f"定員・病床数が上限 {limit:g} を超える（{rule['note']}）: 値は残すが要確認",
                "kept",
                row=int(r),
                column=use[0],
                value=f"{v:g}",
            )
            for r, v in zip(raw.loc[over, "source_row"], capacity[over], strict=True)
        ]
    return capacity, qa


SUMMARY_COLUMNS = [
    "施設種別",
    "施設数",
    "定員・病床数が分かる施設",
    "定員・病床数が不明の施設",
    "定員・病床数の合計",
    "定員・病床数の対象",
]


def capacity_summary(facilities: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """定員・病床数の合計 per facility type (in the order of ``labels``: facility_type -> label)
    over the facilities counted once (``is_primary``) and placed in a unit: facilities, with a
    known capacity, unknown, the sum of the known ones, and whether the type has a capacity."""
    rules = load_rules()
    keep = facilities["municipality_code"].notna()
    if "is_primary" in facilities.columns:
        keep &= facilities["is_primary"].astype(bool)
    df = facilities.loc[keep, ["facility_type", "capacity"]]  # the two columns used, not a copy of the table
    present = set(df["facility_type"])
    groups = dict(tuple(df.groupby("facility_type", sort=False)))
    rows = []
    for ftype in [t for t in labels if t in present]:
        g = groups[ftype]
        applies = ftype in rules.index and rules.at[ftype, "zero_means"] != "not_applicable"
        known = g["capacity"].notna()
        rows.append(
            [
                labels[ftype],
                len(g),
                int(known.sum()) if applies else 0,
                int((~known).sum()) if applies else 0,
                float(g.loc[known, "capacity"].sum()) if applies else float("nan"),
                "対象" if applies else "対象外（定員なし）",
            ]
        )
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
