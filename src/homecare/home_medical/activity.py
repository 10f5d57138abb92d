"""Home-care activity against the national value (在宅医療の実績と全国値の比較): 訪問診療, 往診 and
看取り from the 地域別データ集, per population aged 75+ by area group and by municipality, the
national rate from 全国計, and the activity the target year needs to keep today's rate.

Values are at the source's level (municipalities; designated cities as a whole) and are summed
only to groups where that is exact (:mod:`homecare.home_medical.geography`). A value the source
withheld or left blank is never read as 0: the sum covers the values given, and ``missing`` says
how many were not (the sum is then a lower bound). Terms: docs/glossary.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from homecare.core.errors import ParameterError, ReferenceDataError
from homecare.home_medical.geography import source_code_of_units
from homecare.home_medical.reference_files import read_reference_table

NATIONAL_POPULATION_NAME = "national_population.csv"
TOTAL = "県計"
NATIONAL = "全国"


@dataclass(frozen=True)
class Measure:
    """One activity measure: its label, unit and the データ集 items it adds up."""

    id: str
    label: str
    unit: str
    items: tuple[str, ...]
    cases: bool  # counts of cases (件): small values are withheld when published


MEASURES = (
    Measure("home_visit", "訪問診療", "件", ("home_visit_hospital_cases", "home_visit_clinic_cases"), True),
    Measure("house_call", "往診", "件", ("house_call_hospital_cases", "house_call_clinic_cases"), True),
    Measure("end_of_life", "看取り", "件", ("end_of_life_hospital_cases", "end_of_life_clinic_cases"), True),
    Measure(
        "home_visit_facilities",
        "訪問診療を実施する医療機関",
        "施設",
        ("home_visit_hospitals", "home_visit_clinics"),
        False,
    ),
)


@dataclass(frozen=True)
class NationalPopulation:
    """全国の75歳以上人口 of one year, with its source line."""

    year: int
    date: str
    aged75: float
    source: str
    status: str


def load_national_population(year: int) -> NationalPopulation:
    """The national population aged 75+ of ``year`` from the reference file (recorded as an input)."""
    df, where = read_reference_table(NATIONAL_POPULATION_NAME, ["year", "date", "aged75", "source", "status"])
    rows = df[df["year"] == str(year)]
    if len(rows) != 1:
        raise ParameterError(
            f"{where} has no single row for {year} (years: {', '.join(df['year'])}); add it or change national_population_year"
        )
    r = rows.iloc[0]
    try:
        aged75 = float(r["aged75"])
    except ValueError:
        raise ReferenceDataError(f"{where}: aged75 of {year} is not a number: {r['aged75']!r}") from None
    return NationalPopulation(int(r["year"]), r["date"], aged75, r["source"], r["status"])


def by_source_code(wide: pd.DataFrame) -> pd.DataFrame:
    """データ集 rows summed to the municipality level (wards given alone add up to their city;
    a NaN stays NaN only when every part is NaN): index = municipality code."""
    code = wide["municipality_code"].map(source_code_of_units()).fillna(wide["municipality_code"])
    values = wide.drop(columns=["municipality_code", "municipality_name", "level"])
    return values.groupby(code.to_numpy()).sum(min_count=1)


def activity_by_group(
    wide: pd.DataFrame,
    group_of_code: pd.Series,
    groups: list[str],
    aged75_now: pd.Series,
    aged75_target: pd.Series,
    national: dict[str, float],
    national_aged75: float,
    *,
    per: int,
) -> pd.DataFrame:
    """One row per group (in ``groups`` order, then 県計 and 全国) and measure: ``group, measure,
    label, unit, value, missing, aged75_now, rate, national_rate, ratio_to_national, needed_target``.
    ``group_of_code`` maps municipality codes (source level) to groups; ``aged75_*`` are per group;
    ``national`` holds the 全国計 of each item."""
    source = by_source_code(wide)
    group = source.index.to_series().map(group_of_code)
    if group.isna().any():
        raise ReferenceDataError(f"municipality codes without a group: {sorted(source.index[group.isna()])}")
    rows = []
    now = aged75_now.reindex(groups).astype(float)
    target = aged75_target.reindex(groups).astype(float)
    for m in MEASURES:
        parts = source[list(m.items)]
        value = parts.sum(axis=1, min_count=1).fillna(0).groupby(group.to_numpy()).sum().reindex(groups, fill_value=0)
        missing = parts.isna().sum(axis=1).groupby(group.to_numpy()).sum().reindex(groups, fill_value=0)
        nat_parts = [national.get(i) for i in m.items]
        nat_value = (
            sum(v for v in nat_parts if v is not None and pd.notna(v))
            if all(v is not None and pd.notna(v) for v in nat_parts)
            else float("nan")
        )
        nat_rate = nat_value / national_aged75 * per if national_aged75 > 0 else float("nan")
        frame = pd.DataFrame(
            {
                "group": [*groups, TOTAL, NATIONAL],
                "value": [*value.to_numpy(), value.sum(), nat_value],
                "missing": [*missing.to_numpy(), missing.sum(), 0],
                "aged75_now": [*now.to_numpy(), now.sum(), national_aged75],
                "aged75_target": [*target.to_numpy(), target.sum(), float("nan")],
            }
        )
        frame["rate"] = frame["value"] / frame["aged75_now"].where(frame["aged75_now"] > 0) * per
        frame["national_rate"] = nat_rate
        frame["ratio_to_national"] = 100 * frame["rate"] / nat_rate if nat_rate and pd.notna(nat_rate) else float("nan")
        frame["needed_target"] = (
            frame["value"] * frame["aged75_target"] / frame["aged75_now"].where(frame["aged75_now"] > 0)
        )
        rows.append(frame.assign(measure=m.id, label=m.label, unit=m.unit))
    out = pd.concat(rows, ignore_index=True)
    return out[
        [
            "group",
            "measure",
            "label",
            "unit",
            "value",
            "missing",
            "aged75_now",
            "aged75_target",
            "rate",
            "national_rate",
            "ratio_to_national",
            "needed_target",
        ]
    ]
