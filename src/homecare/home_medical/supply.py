"""Home-care supply by area (在宅医療の提供体制): 在支診・在支病 by type and 在後病 from the
届出受理医療機関名簿, per population aged 75+ now and in the target year, and the supply the
target year needs to keep today's rate.

Institutions come geocoded to the 58 units (``municipality_code``; NA when the address could not
be placed: counted in the prefecture total only, on their own line). Population aged 75+ per
area is given by the caller (``homecare.population.rates.aged75_by_area`` in stage 07), so this
module never chooses a denominator. Terms: docs/glossary.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from homecare.home_medical.symbols import ENHANCED, SUPPORT_TYPES
from homecare.reference.areas import AreaScheme

UNKNOWN_AREA = "区市町村不明"
TOTAL = "県計"
KINDS = ("clinic", "hospital")  # 在支診, 在支病
COUNT_COLUMNS = [
    *(f"clinic_{t}" for t in SUPPORT_TYPES),
    "clinics",
    *(f"hospital_{t}" for t in SUPPORT_TYPES),
    "hospitals",
    "backup_hospitals",
    "supply",
]


def supply_counts(institutions: pd.DataFrame, scheme: AreaScheme) -> pd.DataFrame:
    """Counts per area (scheme order), then 区市町村不明 (only when some are) and 県計: one column per
    (在支診|在支病) x type, their totals, 在後病, and ``supply`` = 在支診 + 在支病. Each institution
    counts once per kind it holds."""
    area_of = scheme.assignment().set_index("municipality_code")["area"]
    area = institutions["municipality_code"].map(area_of).fillna(UNKNOWN_AREA)
    rows = [*scheme.area_names, *([UNKNOWN_AREA] if (area == UNKNOWN_AREA).any() else [])]
    out = pd.DataFrame(index=pd.Index(rows, name="area"))
    for kind, column in (("clinic", "support_clinic_type"), ("hospital", "support_hospital_type")):
        types = institutions[column].fillna("")
        for t in SUPPORT_TYPES:
            out[f"{kind}_{t}"] = (types == t).groupby(area).sum().reindex(rows, fill_value=0)
        out[f"{kind}s"] = out[[f"{kind}_{t}" for t in SUPPORT_TYPES]].sum(axis=1)
    out["backup_hospitals"] = (
        institutions["backup_hospital"].astype(bool).groupby(area).sum().reindex(rows, fill_value=0)
    )
    out["supply"] = out["clinics"] + out["hospitals"]
    out.loc[TOTAL] = out.sum()
    return out[COUNT_COLUMNS].astype("int64").reset_index()


def supply_rates(
    counts: pd.DataFrame,
    aged75_now: pd.Series,
    aged75_target: pd.Series,
    *,
    per: int,
) -> pd.DataFrame:
    """``counts`` plus, per area: population aged 75+ now and in the target year (県計 = sum of
    the areas), 在支診, 在支病 and both per ``per`` aged 75+ now and at today's supply in the
    target year, the share of 機能強化型 (%), and the count the target year needs to keep today's
    rate (``*_needed``, whole institutions, rounded up) with the gap (``*_gap``). Rates of
    区市町村不明 are NA (no population)."""
    out = counts.copy()
    now = aged75_now.astype(float)
    target = aged75_target.astype(float)
    out["aged75_now"] = out["area"].map(now)
    out["aged75_target"] = out["area"].map(target)
    total = out["area"] == TOTAL
    out.loc[total, "aged75_now"] = float(now.sum())
    out.loc[total, "aged75_target"] = float(target.sum())
    for col in ("clinics", "hospitals", "supply"):
        out[f"{col}_rate_now"] = out[col] / out["aged75_now"].where(out["aged75_now"] > 0) * per
        out[f"{col}_rate_target"] = out[col] / out["aged75_target"].where(out["aged75_target"] > 0) * per
        needed = out[col] * out["aged75_target"] / out["aged75_now"].where(out["aged75_now"] > 0)
        out[f"{col}_needed"] = np.ceil(needed.round(9))
        out[f"{col}_gap"] = out[f"{col}_needed"] - out[col]
    for kind in KINDS:
        enhanced = out[[f"{kind}_{t}" for t in ENHANCED]].sum(axis=1)
        out[f"{kind}_enhanced_share"] = 100 * enhanced / out[f"{kind}s"].where(out[f"{kind}s"] > 0)
    return out
