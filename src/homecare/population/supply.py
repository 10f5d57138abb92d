"""Facilities per 100,000 aged 75+ (75歳以上人口10万人当たり施設数), now and at today's supply in a
target year, by facility group.

Counts come from the facility stage's processed ``facilities`` table (one row per facility,
``municipality_code`` = the unit) and are grouped by the facility groups the caller passes
(group name -> ``facility_type`` codes; the project's groups, e.g. 特養 = 510 + 540, are
:data:`homecare.figures.facilities.FACILITY_GROUPS`). Rates follow :mod:`homecare.population.rates`.
The target-year rate keeps today's facility count and divides by the projected 75+ population:
how thin today's supply would be spread in 2040. Terms: docs/glossary.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from homecare.core.errors import InputError
from homecare.core.qa import Reconciliation
from homecare.population.aggregate import PREFECTURE_AREA, check_scheme_covers
from homecare.population.rates import aged75_by_area, per_aged75
from homecare.reference import municipalities
from homecare.reference.areas import AreaScheme

REQUIRED = ("municipality_code", "facility_type")
COLUMNS = [
    "area",
    "area_order",
    "facility_group",
    "facility_types",
    "facilities",
    "aged75_now",
    "aged75_target",
    "rate_now",
    "rate_target",
    "change_pct",
]


def facilities_per_75(
    facilities: pd.DataFrame,
    pop: pd.DataFrame,
    scheme: AreaScheme,
    groups: Mapping[str, Sequence[str]],
    *,
    population_year: int = 2025,
    target_year: int = 2040,
) -> pd.DataFrame:
    """Per area (and 神奈川県) and facility group: ``area, area_order, facility_group,
    facility_types, facilities, aged75_now, aged75_target, rate_now, rate_target, change_pct``
    (rates per :data:`~homecare.population.rates.PER` aged 75+ of ``population_year`` and of
    ``target_year``, unrounded). Only ``is_primary`` records count when the table marks
    cross-source duplicates. ``attrs``: ``counts`` (a Reconciliation of the facility rows:
    counted, duplicates, types outside the groups, without a unit code) and ``empty_groups``
    (groups with no facility at all in the table: left out of the result)."""
    missing = [c for c in REQUIRED if c not in facilities.columns]
    if missing:
        raise InputError(f"facilities table lacks columns {missing}")
    for year in (population_year, target_year):
        if year not in set(pop["year"]):
            raise InputError(f"year {year} is not in the population data (years: {sorted(set(pop['year']))})")
    group_of = {str(code): group for group, codes in groups.items() for code in codes}
    rows_in = len(facilities)
    duplicates = 0
    if "is_primary" in facilities.columns:  # the facility stage keeps cross-source duplicates, marked
        primary = facilities["is_primary"].fillna(False).astype(bool)
        duplicates = int((~primary).sum())
        facilities = facilities[primary]
    fac = facilities[list(REQUIRED)].astype({"municipality_code": "string", "facility_type": "string"})
    fac = fac.assign(facility_group=fac["facility_type"].map(group_of))
    in_groups = fac["facility_group"].notna()
    assigned = fac["municipality_code"].isin(set(municipalities.units()["municipality_code"])).fillna(False)
    counted = fac[in_groups & assigned]
    assign = check_scheme_covers(pop, scheme)
    counts = (
        counted.merge(assign, on="municipality_code", how="left", validate="m:1")
        .groupby(["area", "facility_group"], as_index=False)
        .size()
        .rename(columns={"size": "facilities"})
    )
    present = [g for g in groups if g in set(fac["facility_group"])]
    reconciliation = Reconciliation(
        rows_in=rows_in,
        kept=len(counted),
        excluded=(
            ("duplicates of another record (is_primary False)", duplicates),
            ("types outside the facility groups shown", int((~in_groups).sum())),
            ("without a unit code", int((in_groups & ~assigned).sum())),
        ),
    )
    if not present:  # no facility of any group asked for: nothing to divide
        empty = pd.DataFrame(columns=COLUMNS)
        empty.attrs.update(counts=reconciliation, empty_groups=list(groups))
        return empty
    aged = {
        year: aged75_by_area(pop, scheme, year)[0].reindex(scheme.area_names) for year in (population_year, target_year)
    }
    by_area = pd.DataFrame(
        {
            "area_order": range(len(scheme.areas) + 1),
            "area": [*scheme.area_names, PREFECTURE_AREA],
            "aged75_now": [*aged[population_year], aged[population_year].sum()],
            "aged75_target": [*aged[target_year], aged[target_year].sum()],
        }
    )
    counts = pd.concat(
        [counts, counts.groupby("facility_group", as_index=False)["facilities"].sum().assign(area=PREFECTURE_AREA)]
    )
    grid = by_area.merge(pd.DataFrame({"facility_group": present}), how="cross")
    out = grid.merge(counts, on=["area", "facility_group"], how="left")
    out["facilities"] = out["facilities"].fillna(0).astype("int64")  # an area with none of a group has 0
    out["facility_types"] = out["facility_group"].map(lambda g: "+".join(groups[g]))
    index = out.set_index(["area", "facility_group"]).index
    for col, denom in (("rate_now", "aged75_now"), ("rate_target", "aged75_target")):
        out[col] = per_aged75(
            pd.Series(out["facilities"].to_numpy(), index=index), pd.Series(out[denom].to_numpy(), index=index)
        ).to_numpy()
    out["change_pct"] = 100 * (out["rate_target"] / out["rate_now"] - 1)
    order = {g: i for i, g in enumerate(groups)}
    out = out.assign(_g=out["facility_group"].map(order)).sort_values(["_g", "area_order"]).drop(columns="_g")
    out = out[COLUMNS].reset_index(drop=True)
    out.attrs["counts"] = reconciliation
    out.attrs["empty_groups"] = [g for g in groups if g not in present]
    return out
