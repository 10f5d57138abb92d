"""Facilities per 1,000 aged 75+ (後期高齢者千人当たり施設数), now and at today's supply in a target year.

Counts come from the facility stage's processed ``facilities`` table (one row per facility,
``municipality_code`` = the unit). The target-year ratio keeps today's facility count and
divides by the projected 75+ population: how thin today's supply would be spread in 2040.
"""

from __future__ import annotations

import pandas as pd

from homecare.core.errors import InputError
from homecare.population.aggregate import PREFECTURE_AREA, check_scheme_covers
from homecare.population.rates import aged75_by_area
from homecare.reference import municipalities
from homecare.reference.areas import AreaScheme

REQUIRED = ("municipality_code", "facility_type", "facility_type_label")


def facilities_per_75(
    facilities: pd.DataFrame,
    pop: pd.DataFrame,
    scheme: AreaScheme,
    *,
    base_year: int = 2020,
    target_year: int = 2040,
    facility_types: list[str] | None = None,
) -> pd.DataFrame:
    """Per area (and 神奈川県) and facility type: ``area, area_order, facility_type,
    facility_type_label, facilities, aged75_base, aged75_target, per1000_base, per1000_target,
    change_pct``. Only ``is_primary`` records count when the table marks cross-source duplicates
    (``attrs['duplicates']``); facilities without a unit code are not counted
    (``attrs['unassigned']``), so the notebook can reconcile."""
    missing = [c for c in REQUIRED if c not in facilities.columns]
    if missing:
        raise InputError(f"facilities table lacks columns {missing}")
    for year in (base_year, target_year):
        if year not in set(pop["year"]):
            raise InputError(f"year {year} is not in the population data (years: {sorted(set(pop['year']))})")
    duplicates = 0
    if "is_primary" in facilities.columns:  # the facility stage keeps cross-source duplicates, marked
        primary = facilities["is_primary"].fillna(False).astype(bool)
        duplicates = int((~primary).sum())
        facilities = facilities[primary]
    fac = facilities[list(REQUIRED)].astype({"municipality_code": "string", "facility_type": "string"})
    if facility_types is not None:
        fac = fac[fac["facility_type"].isin(facility_types)]
    units = set(municipalities.units()["municipality_code"])
    assigned = fac["municipality_code"].isin(units).fillna(False).astype(bool)
    fac = fac[assigned]
    assign = check_scheme_covers(pop, scheme)
    labels = fac.drop_duplicates("facility_type").set_index("facility_type")["facility_type_label"]
    counts = (
        fac.merge(assign, on="municipality_code", how="left", validate="m:1")
        .groupby(["area", "facility_type"], as_index=False)
        .size()
        .rename(columns={"size": "facilities"})
    )
    aged = {year: aged75_by_area(pop, scheme, year)[0].reindex(scheme.area_names) for year in (base_year, target_year)}
    by_area = pd.DataFrame(
        {
            "area_order": range(len(scheme.areas)),
            "area": scheme.area_names,
            "aged75_base": aged[base_year].to_numpy(),
            "aged75_target": aged[target_year].to_numpy(),
        }
    )
    pref = pd.DataFrame(
        {
            "area_order": [len(scheme.areas)],
            "area": [PREFECTURE_AREA],
            "aged75_base": [by_area["aged75_base"].sum()],
            "aged75_target": [by_area["aged75_target"].sum()],
        }
    )
    by_area = pd.concat([by_area, pref], ignore_index=True)
    counts = pd.concat(
        [counts, counts.groupby("facility_type", as_index=False)["facilities"].sum().assign(area=PREFECTURE_AREA)]
    )
    grid = by_area.merge(pd.DataFrame({"facility_type": list(labels.index)}), how="cross")
    out = grid.merge(counts, on=["area", "facility_type"], how="left")
    out["facilities"] = out["facilities"].fillna(0).astype("int64")  # an area with none of a type has 0
    out["facility_type_label"] = out["facility_type"].map(labels)
    out["per1000_base"] = 1000 * out["facilities"] / out["aged75_base"]
    out["per1000_target"] = 1000 * out["facilities"] / out["aged75_target"]
    out["change_pct"] = 100 * (out["per1000_target"] / out["per1000_base"] - 1)
    type_order = {t: i for i, t in enumerate(labels.index)}
    out = out.assign(_t=out["facility_type"].map(type_order)).sort_values(["_t", "area_order"]).drop(columns="_t")
    out = out[
        [
            "area",
            "area_order",
            "facility_type",
            "facility_type_label",
            "facilities",
            "aged75_base",
            "aged75_target",
            "per1000_base",
            "per1000_target",
            "change_pct",
        ]
    ].reset_index(drop=True)
    out.attrs["unassigned"] = int((~assigned).sum())
    out.attrs["duplicates"] = duplicates
    return out
