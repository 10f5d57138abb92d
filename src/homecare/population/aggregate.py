"""Population by area (圏域別人口) for any area scheme, aged shares, and the checks that make
the numbers trustworthy: complete years, sexes and bands, every unit in exactly one area, and
unit populations adding up to the area, city and prefecture totals. Sums are over one sex
(:func:`select_sex`, 男女計 by default): the table's sexes overlap. Terms: docs/glossary.md.
"""

from __future__ import annotations

import pandas as pd

from homecare.core.errors import InputError
from homecare.population.bands import (
    AGE_BANDS,
    MEASURE_65,
    MEASURE_75,
    SEX_FEMALE,
    SEX_LABELS,
    SEX_MALE,
    SEX_TOTAL,
    bands_of_measure,
)
from homecare.reference import municipalities
from homecare.reference.areas import AreaScheme

PREFECTURE_AREA = "神奈川県"  # the all-units row added to area tables
PREFECTURE_TOTAL_CODE = "14000"  # code of the prefecture row in IPSS files
_SHOW = 5  # how many missing combinations an error message lists


def select_sex(pop: pd.DataFrame, sex: str = SEX_TOTAL) -> pd.DataFrame:
    """The rows of one sex (``total`` 男女計 by default). A frame without a ``sex`` column is
    taken as 男女計 only; asking it, or a table without the split, for 男 or 女 is an error."""
    if "sex" not in pop.columns:
        if sex == SEX_TOTAL:
            return pop
        raise InputError(f"the population table has no sex column: no {SEX_LABELS.get(sex, sex)} rows")
    rows = pop[pop["sex"] == sex]
    if rows.empty:
        raise InputError(
            f"the population table has no {SEX_LABELS.get(sex, sex)} ({sex}) rows "
            f"(sexes present: {sorted(set(pop['sex']))})"
        )
    return rows


def check_complete(
    pop: pd.DataFrame,
    *,
    file: str | None = None,
    years: list[int] | None = None,
) -> None:
    """Every one of the 58 units has every age band for every year (``years``, default: the
    years present) exactly once for 男女計 and, when the table splits the sexes, for 男 and 女
    too; raises InputError listing what is missing."""
    unit_codes = list(municipalities.units()["municipality_code"])
    years = sorted(set(pop["year"].astype(int))) if years is None else sorted(years)
    if not years:
        raise InputError("population table has no rows", file=file)
    if "sex" not in pop.columns:
        pop = pop.assign(sex=SEX_TOTAL)
    split = bool(pop["sex"].isin([SEX_MALE, SEX_FEMALE]).any())
    sexes = [SEX_TOTAL, SEX_MALE, SEX_FEMALE] if split else [SEX_TOTAL]
    names = ["municipality_code", "year", "sex", "age_band"]
    full = pd.MultiIndex.from_product([unit_codes, years, sexes, list(AGE_BANDS)], names=names)
    have = pd.MultiIndex.from_frame(pop[names].astype({"year": int}))
    dup = have[have.duplicated()]
    if len(dup):
        raise InputError(f"{len(dup)} duplicate unit x year x sex x band rows, e.g. {list(dup[:_SHOW])}", file=file)
    missing = full.difference(have)
    if len(missing):
        units_missing = sorted({m[0] for m in missing})
        years_missing = sorted({m[1] for m in missing})
        sexes_missing = sorted({m[2] for m in missing}, key=sexes.index)
        bands_missing = sorted({m[3] for m in missing}, key=AGE_BANDS.index)
        raise InputError(
            f"incomplete population table: {len(missing)} unit x year x sex x band rows missing "
            f"(units {units_missing[:_SHOW]}{'...' if len(units_missing) > _SHOW else ''}, years {years_missing}, "
            f"sexes {sexes_missing}, bands {bands_missing}); e.g. {[tuple(m) for m in missing[:_SHOW]]}",
            file=file,
        )
    extra = have.difference(full)
    if len(extra):
        raise InputError(
            f"rows outside the 58 units / years {years} / bands: e.g. {[tuple(m) for m in extra[:_SHOW]]}", file=file
        )


def check_scheme_covers(pop: pd.DataFrame, scheme: AreaScheme) -> pd.DataFrame:
    """The scheme's unit -> area assignment, after checking that it places every unit of
    ``pop`` in exactly one area. A scheme that leaves a unit out is an error, never a gap."""
    assign = scheme.assignment()
    twice = assign.loc[assign["municipality_code"].duplicated(), "municipality_code"]
    if len(twice):
        raise InputError(f"area scheme {scheme.id!r} puts units in two areas: {sorted(twice)}")
    left_out = sorted(set(pop["municipality_code"]) - set(assign["municipality_code"]))
    if left_out:
        raise InputError(f"area scheme {scheme.id!r} leaves units out of every area: {left_out}")
    unknown = sorted(set(assign["municipality_code"]) - set(pop["municipality_code"]))
    if unknown:
        raise InputError(f"area scheme {scheme.id!r} lists units with no population rows: {unknown}")
    return assign


def area_population(pop: pd.DataFrame, scheme: AreaScheme, *, sex: str = SEX_TOTAL) -> pd.DataFrame:
    """Population of one sex (男女計 by default) by area, year and age band (``area, area_order,
    year, age_band, population``), areas in the scheme's display order; checked to add up to
    the unit total per year."""
    pop = select_sex(pop, sex)
    assign = check_scheme_covers(pop, scheme)
    joined = pop.merge(assign, on="municipality_code", how="left", validate="m:1")
    out = (
        joined.groupby(["area_order", "area", "year", "age_band"], as_index=False, sort=False)["population"]
        .sum()
        .assign(_band=lambda d: d["age_band"].map(AGE_BANDS.index))
        .sort_values(["area_order", "year", "_band"])
        .drop(columns="_band")
        .reset_index(drop=True)
    )
    check_area_sums(pop, out)
    return out[["area", "area_order", "year", "age_band", "population"]]


def check_area_sums(pop: pd.DataFrame, area_pop: pd.DataFrame, *, tolerance: float = 0.5) -> None:
    """Areas add up to the prefecture (all units of ``pop``, one sex) per year and band, within
    ``tolerance`` persons."""
    units = pop.groupby(["year", "age_band"])["population"].sum()
    areas = area_pop.groupby(["year", "age_band"])["population"].sum()
    diff = (units - areas.reindex(units.index)).abs()
    bad = diff[~(diff <= tolerance)]
    if len(bad):
        (year, band), d = next(iter(bad.items()))
        raise InputError(f"area populations do not add up to the prefecture total: {year} {band} differs by {d:,.1f}")


def measure_by_code(pop: pd.DataFrame, measure: str, *, sex: str = SEX_TOTAL) -> pd.DataFrame:
    """``measure`` (total, 65+, 75+ or a band) of one sex summed per unit, per designated city
    (its wards) and for the prefecture (``14000``): ``municipality_code, year, population,
    cells`` where ``cells`` is the number of unit x band values added (bounds the rounding error)."""
    pop = select_sex(pop, sex)
    sel = pop[pop["age_band"].isin(bands_of_measure(measure))]
    per_unit = sel.groupby(["municipality_code", "year"], as_index=False).agg(
        population=("population", "sum"), cells=("population", "size")
    )
    parents = municipalities.units().set_index("municipality_code")["parent_code"]
    wards = per_unit.assign(parent=per_unit["municipality_code"].map(parents))
    per_city = (
        wards[wards["parent"].fillna("") != ""]
        .groupby(["parent", "year"], as_index=False)[["population", "cells"]]
        .sum()
        .rename(columns={"parent": "municipality_code"})
    )
    per_pref = (
        per_unit.groupby("year", as_index=False)[["population", "cells"]]
        .sum()
        .assign(municipality_code=PREFECTURE_TOTAL_CODE)
    )
    return pd.concat([per_unit, per_city, per_pref], ignore_index=True)[
        ["municipality_code", "year", "population", "cells"]
    ]


def check_totals(
    pop: pd.DataFrame, totals: pd.DataFrame, *, per_cell_tolerance: float = 0.5, file: str | None = None
) -> int:
    """Compare unit data with published totals (``municipality_code, year, measure, population``
    and optionally ``sex``, for units, designated cities and the prefecture ``14000``): e.g.
    city rows of a population CSV. Published figures are rounded to whole persons, so a total
    may differ from the sum of its ``n`` rounded parts by up to ``n * per_cell_tolerance``.
    Raises InputError at the first larger difference; returns the number of totals checked."""
    checked = 0
    if "sex" not in totals.columns:
        totals = totals.assign(sex=SEX_TOTAL)
    for (sex, measure), grp in totals.groupby(["sex", "measure"], sort=True):
        computed = measure_by_code(pop, str(measure), sex=str(sex)).set_index(["municipality_code", "year"])
        for rec in grp.to_dict("records"):
            key = (rec["municipality_code"], int(rec["year"]))
            if key not in computed.index:
                raise InputError(
                    f"total given for {key[0]} {key[1]} ({measure}) but no unit rows add up to it", file=file
                )
            got, cells = float(computed.at[key, "population"]), int(computed.at[key, "cells"])
            if abs(got - float(rec["population"])) > cells * per_cell_tolerance:
                raise InputError(
                    f"units add up to {got:,.0f} but the {measure} ({SEX_LABELS[str(sex)]}) total for {key[0]} in {key[1]} is "
                    f"{float(rec['population']):,.0f}",
                    file=file,
                    value=rec["population"],
                )
            checked += 1
    return checked


def with_prefecture(area_pop: pd.DataFrame) -> pd.DataFrame:
    """``area_pop`` plus a 神奈川県 row per year and band (area_order = number of areas)."""
    pref = area_pop.groupby(["year", "age_band"], as_index=False, sort=False)["population"].sum()
    pref = pref.assign(area=PREFECTURE_AREA, area_order=int(area_pop["area_order"].max()) + 1)
    return pd.concat([area_pop, pref[area_pop.columns]], ignore_index=True)


def aged_shares(area_pop: pd.DataFrame) -> pd.DataFrame:
    """Total, aged 65+ and 75+ population and their shares (高齢化率・後期高齢者割合) per area and year,
    including 神奈川県: ``area, area_order, year, total, aged65, aged75, share65, share75``."""
    df = with_prefecture(area_pop)
    keys = ["area_order", "area", "year"]
    out = df.groupby(keys, as_index=False, sort=True)["population"].sum().rename(columns={"population": "total"})
    for col, measure in (("aged65", MEASURE_65), ("aged75", MEASURE_75)):
        part = df[df["age_band"].isin(bands_of_measure(measure))].groupby(keys, as_index=False)["population"].sum()
        out = out.merge(part.rename(columns={"population": col}), on=keys, how="left", validate="1:1")
    out["share65"] = out["aged65"] / out["total"]
    out["share75"] = out["aged75"] / out["total"]
    return out[["area", "area_order", "year", "total", "aged65", "aged75", "share65", "share75"]]
