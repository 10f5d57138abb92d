"""Reading population sources (人口データの読込) into the canonical unit table.

:func:`load_population` is the one entry point for the source named in the parameters: the
IPSS 令和5年推計 workbook of the prefecture (:mod:`homecare.population.ipss`) or the simple
population CSV that analysts type from 国勢調査 or 住民基本台帳 tables::

    municipality_code,municipality_name,year,sex,age_band,population
    14101,横浜市鶴見区,2020,男女計,0-4,12345

Either ``municipality_code`` (5 digits, or 6 with check digit) or ``municipality_name`` (any
accepted spelling: 茅ケ崎市, 足柄上郡松田町, 横浜市保土ヶ谷区 ...) may be left out; when both are
given they must agree. ``sex`` is optional (男女計 when left out; 男 and 女 rows add up to 男女計,
which is derived when only they are given). ``age_band`` is ``0-4`` ... ``90-94``, ``95+``
(``0～4歳`` and ``95歳～`` are accepted). A designated city's own rows (14100, 14130, 14150) are
checked against its wards when the file has them, and apportioned to its wards otherwise
(:mod:`homecare.population.apportion`, from ``ward_base_csv``). Encoding is detected (UTF-8
with/without BOM, CP932). Later stages read the processed table with
:func:`read_population_by_unit`. Terms: docs/glossary.md.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from homecare.core import paths, processed, provenance
from homecare.core.encoding import read_csv_text
from homecare.core.errors import InputError, ParameterError
from homecare.core.qa import Cleaned, Reconciliation
from homecare.population import apportion, ipss
from homecare.population.aggregate import check_complete, check_totals
from homecare.population.bands import (
    AGE_BANDS,
    SEX_FEMALE,
    SEX_MALE,
    SEX_TOTAL,
    age_group,
    parse_band,
    parse_sex,
)
from homecare.population.schemas import KEY, POPULATION_SCHEMA, PROCESSED_NAME, implausible_count, sort_population
from homecare.reference import municipalities

FORMATS = ("ipss", "csv")
IPSS_CITATION = "国立社会保障・人口問題研究所「日本の地域別将来推計人口（令和5（2023）年推計）」"


def load_population(
    source: str,
    fmt: str,
    *,
    ward_base_csv: str = "",
    apportion_rule: str = apportion.DEFAULT_RULE,
    base_year: int = 2020,
) -> Cleaned:
    """The canonical table (``municipality_code, year, sex, age_band, population``, 58 units),
    its QA entries and where every source row went, from ``source`` in format ``ipss`` (the
    workbook, or a folder holding it) or ``csv``; prints what was read and checked.
    ``ward_base_csv`` (a population CSV) is needed only to apportion designated-city rows of a CSV."""
    if fmt not in FORMATS:
        raise ParameterError(f"population_format must be one of {FORMATS}, got {fmt!r}")
    if fmt == "csv":
        base = load_population_csv(ward_base_csv).table if ward_base_csv else None
        return load_population_csv(source, ward_base=base, apportion_rule=apportion_rule, base_year=base_year)
    if ward_base_csv:
        raise ParameterError(
            "ward_base_csv is for a population CSV with designated-city rows; the IPSS workbook has a sheet "
            "per ward: leave ward_base_csv empty"
        )
    result = ipss.load_ipss(source)
    print(
        f"IPSS workbook {result.file}: {sum(len(v) for k, v in result.sheets.items() if k != 'skipped')} area sheets "
        f"({len(result.sheets['unit'])} units read; prefecture and whole-city sheets "
        f"{', '.join(result.sheets['prefecture'] + result.sheets['designated_city'])} used as checks only)"
        + (
            f"; sheets without a table left out: {', '.join(result.sheets['skipped'])}"
            if result.sheets["skipped"]
            else ""
        )
    )
    within = sum(1 for e in result.qa if e.action == "kept")
    absent = [e.value for e in result.qa if e.action == "not checked"]
    print(
        "checks: "
        + "; ".join(f"{name} ({n:,} cells)" for name, n in result.checks.items())
        + (f"; {within} sums agree only within rounding (QA table)" if within else "; every sum exact")
        + (f"; not checked, no sheet for {', '.join(absent)} (QA table)" if absent else "")
    )
    return Cleaned(result.population, result.qa, result.counts)


def source_label(fmt: str) -> str:
    """The 出典 line for the population data; sample inputs say so instead of citing IPSS."""
    if provenance.uses_sample_data():
        return "サンプル人口データ（架空の数値、" + ("IPSS推計の様式" if fmt == "ipss" else "人口CSVの様式") + "）"
    return IPSS_CITATION if fmt == "ipss" else "人口CSV（国勢調査・住民基本台帳等から作成）"


def _codes(raw: pd.DataFrame, where: str) -> list[str]:
    """Resolve each CSV row to a 5-digit code (a unit or a designated city) from its code and/or name."""
    has_code, has_name = "municipality_code" in raw.columns, "municipality_name" in raw.columns
    if not (has_code or has_name):
        raise InputError("needs a municipality_code or a municipality_name column", file=where, row=1)
    table = municipalities.load_municipalities().set_index("municipality_code")
    codes = []
    for i, rec in enumerate(raw.to_dict("records")):
        row = i + 2  # line 1 is the header
        code = None
        if has_code and rec["municipality_code"].strip():
            try:
                code = municipalities.code5_from_any(rec["municipality_code"])
            except ValueError as exc:
                raise InputError(
                    str(exc), file=where, row=row, column="municipality_code", value=rec["municipality_code"]
                ) from exc
        if has_name and rec["municipality_name"].strip():
            by_name = municipalities.lookup_code(rec["municipality_name"])
            if by_name is None:
                raise InputError(
                    "unknown or ambiguous municipality name (write the city too, e.g. 横浜市緑区)",
                    file=where,
                    row=row,
                    column="municipality_name",
                    value=rec["municipality_name"],
                )
            if code is not None and code != by_name:
                raise InputError(
                    f"code {code} and name disagree (the name is {by_name})",
                    file=where,
                    row=row,
                    column="municipality_name",
                    value=rec["municipality_name"],
                )
            code = by_name
        if code is None:
            raise InputError("no municipality code or name", file=where, row=row, column="municipality_code")
        if code not in table.index:
            raise InputError(
                "not one of the 58 municipality/ward units of 神奈川県 or a designated city",
                file=where,
                row=row,
                column="municipality_code",
                value=code,
            )
        codes.append(code)
    return codes


def _numbers(raw: pd.DataFrame, column: str, where: str, *, persons: bool) -> list[float]:
    """The whole numbers of ``column``; counts of ``persons`` also checked for plausibility."""
    if column not in raw.columns:
        raise InputError(f"missing column {column!r}", file=where, row=1)
    out = []
    for i, text in enumerate(raw[column]):
        s = str(text).replace(",", "").strip()
        try:
            value = float(s)
        except ValueError:
            raise InputError("not a number", file=where, row=i + 2, column=column, value=text) from None
        why = implausible_count(value) if persons else ""
        if why or not math.isfinite(value) or value < 0 or value != int(value):
            raise InputError(
                why or "must be a non-negative whole number",
                file=where,
                row=i + 2,
                column=column,
                value=text,
            )
        out.append(value)
    return out


def _labels(raw: pd.DataFrame, column: str, parse, where: str, *, hint) -> list[str]:
    """``column`` parsed by ``parse`` row by row; an unknown value is a located error."""
    out = []
    for i, text in enumerate(raw[column]):
        value = parse(text)
        if value is None:
            raise InputError(hint(text), file=where, row=i + 2, column=column, value=text)
        out.append(value)
    return out


def _band_hint(text: object) -> str:
    if age_group(text) == (90, None):
        return "90+ (90歳以上) is two bands here: give 90-94 and 95+ (the IPSS 令和5年推計 bands)"
    return f"unknown age band (use {', '.join(AGE_BANDS[:2])} ... {AGE_BANDS[-2]}, {AGE_BANDS[-1]})"


def _with_totals(df: pd.DataFrame, where: str) -> pd.DataFrame:
    """男女計 rows derived from 男 + 女 where the file gives only the sexes; where it gives all three,
    男 + 女 must equal 男女計 within rounding (one person)."""
    key = ["municipality_code", "year", "age_band"]
    sexes = df[df["sex"].isin([SEX_MALE, SEX_FEMALE])]
    if sexes.empty:
        return df
    summed = sexes.groupby(key, as_index=False)["population"].sum()
    given = df[df["sex"] == SEX_TOTAL].set_index(key)["population"]
    both = summed.set_index(key)["population"].reindex(given.index).dropna()
    off = (both - given.reindex(both.index)).abs() > 1.0
    if off.any():
        code, year, band = off[off].index[0]
        raise InputError(
            f"男 + 女 = {both[(code, year, band)]:,.0f} but 男女計 is {given[(code, year, band)]:,.0f} "
            f"for {code} {year} {band}",
            file=where,
            column="sex",
        )
    derived = summed[~summed.set_index(key).index.isin(given.index)].assign(sex=SEX_TOTAL)
    return pd.concat([df, derived[df.columns]], ignore_index=True)


def load_population_csv(
    path: str | Path,
    *,
    ward_base: pd.DataFrame | None = None,
    apportion_rule: str = apportion.DEFAULT_RULE,
    base_year: int = 2020,
) -> Cleaned:
    """Read a population CSV (人口CSV) into the canonical table, validated, with where every row
    went (kept, designated-city rows checked against their wards or apportioned to them).

    The table: ``municipality_code`` (5-digit unit code), ``year`` (int), ``sex`` (``total``,
    and ``male``/``female`` when given), ``age_band`` (``0-4`` ... ``95+``), ``population``
    (float), sorted. Raises InputError naming the file, the 1-based line and the column for a
    bad code/name, sex, band, year or number, a duplicate row, or a table that does not cover
    every unit, band and year it uses.
    """
    p = paths.resolve(path)
    where = paths.relative(p)
    raw, _ = read_csv_text(p)
    codes = _codes(raw, where)
    years = [int(v) for v in _numbers(raw, "year", where, persons=False)]
    populations = _numbers(raw, "population", where, persons=True)
    if "age_band" not in raw.columns:
        raise InputError("missing column 'age_band'", file=where, row=1)
    bands = _labels(raw, "age_band", parse_band, where, hint=_band_hint)
    sexes = (
        _labels(raw, "sex", parse_sex, where, hint=lambda _: "unknown sex (use 男女計, 男 or 女)")
        if "sex" in raw.columns
        else [SEX_TOTAL] * len(raw)
    )
    df = pd.DataFrame(
        {"municipality_code": codes, "year": years, "sex": sexes, "age_band": bands, "population": populations}
    )
    dup = df.duplicated(KEY, keep="first")
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        r = df.iloc[i]
        sex = "" if "sex" not in raw.columns else f" {r['sex']}"
        raise InputError(
            f"duplicate row for {r['municipality_code']} {r['year']}{sex} {r['age_band']}", file=where, row=i + 2
        )
    units = set(municipalities.units()["municipality_code"])
    raw_per_code = df["municipality_code"].value_counts()  # input rows, before any derived 男女計 row
    full = _with_totals(df, where)
    if len(full) > len(df):
        print(f"{where}: {len(full) - len(df):,} 男女計 rows derived from 男 + 女")
    is_unit = full["municipality_code"].isin(units)
    pop, cities = full[is_unit], full[~is_unit]
    parents = municipalities.units().set_index("municipality_code")["parent_code"]
    excluded = {"designated-city rows (checked against their wards)": 0, "designated-city rows apportioned to wards": 0}
    for city, rows in cities.groupby("municipality_code", sort=True):
        if (pop["municipality_code"].map(parents) == city).any():
            totals = rows.rename(columns={"age_band": "measure"})
            check_totals(pop, totals[["municipality_code", "year", "sex", "measure", "population"]], file=where)
            excluded["designated-city rows (checked against their wards)"] += int(raw_per_code[city])
            continue  # a city given with its wards is a check, never added
        if ward_base is None:
            raise InputError(
                f"designated city {city} has only city rows: give ward base data (ward_base_csv) to apportion them "
                f"to its wards (rules: {', '.join(apportion.RULES)})",
                file=where,
            )
        pop = pd.concat(
            [pop, apportion.apportion_to_wards(rows, ward_base, base_year=base_year, rule=apportion_rule)],
            ignore_index=True,
        )
        excluded["designated-city rows apportioned to wards"] += int(raw_per_code[city])
        print(f"{where}: {city} apportioned to its wards ({apportion_rule}, base year {base_year})")
    pop = sort_population(pop.astype({"year": int, "population": float}))
    check_complete(pop, file=where)
    counts = Reconciliation(
        rows_in=len(raw),
        kept=int(raw_per_code[raw_per_code.index.isin(units)].sum()),
        excluded=tuple((label, n) for label, n in excluded.items() if n),
    ).check()
    print(f"population CSV {where}: {len(pop):,} unit x year x sex x band rows")
    return Cleaned(POPULATION_SCHEMA.validate(pop), [], counts)


def read_population_by_unit() -> pd.DataFrame:
    """Read the processed table ``population_by_unit`` (written by stage 04_population)."""
    return processed.read_processed(PROCESSED_NAME, schema=POPULATION_SCHEMA)


def processed_source_label() -> str:
    """The 出典 line stage 04 recorded for ``population_by_unit`` (its source and format)."""
    return str(processed.read_attrs(PROCESSED_NAME).get("source_label", "人口表（population_by_unit）"))
