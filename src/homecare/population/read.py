"""Reading population sources (人口データの読込) into the canonical unit table.

:func:`load_population` is the one entry point for the source named in the parameters: an
IPSS workbook folder (:mod:`homecare.population.ipss`) or the simple population CSV that
analysts type from 国勢調査 or 住民基本台帳 tables::

    municipality_code,municipality_name,year,age_band,population
    14101,横浜市鶴見区,2020,0-4,12345

Either ``municipality_code`` (5 digits, or 6 with check digit) or ``municipality_name`` (any
accepted spelling: 茅ケ崎市, 足柄上郡松田町, 横浜市保土ヶ谷区 ...) may be left out; when both are
given they must agree. ``age_band`` is ``0-4`` ... ``85-89``, ``90+`` (``0～4歳`` and ``90歳以上``
are accepted). Encoding is detected (UTF-8 with/without BOM, CP932). Later stages read the
processed table with :func:`read_population_by_unit`. Terms: docs/glossary.md.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from homecare.core import paths, processed, provenance
from homecare.core.encoding import read_csv_text
from homecare.core.errors import InputError, ParameterError
from homecare.population import apportion, ipss
from homecare.population.bands import AGE_BANDS, parse_band
from homecare.population.schemas import POPULATION_SCHEMA, PROCESSED_NAME, sort_population
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
) -> pd.DataFrame:
    """The canonical table (``municipality_code, year, age_band, population``, 58 units) from
    ``source`` in format ``ipss`` (folder or workbook) or ``csv``; prints what was read.
    ``ward_base_csv`` (a population CSV) is needed only to apportion designated-city totals."""
    if fmt not in FORMATS:
        raise ParameterError(f"population_format must be one of {FORMATS}, got {fmt!r}")
    if fmt == "csv":
        pop = load_population_csv(source)
        print(f"population CSV {source}: {len(pop):,} rows")
        return pop
    base = load_population_csv(ward_base_csv) if ward_base_csv else None
    result = ipss.load_ipss(source, ward_base=base, apportion_rule=apportion_rule, base_year=base_year)
    print(
        f"IPSS workbooks: {len(result.files)} files, {len(result.population):,} unit x year x band rows, "
        f"{result.totals_checked:,} published totals checked against unit sums"
        + (f"; apportioned to wards ({apportion_rule}): {', '.join(result.apportioned)}" if result.apportioned else "")
    )
    return result.population


def source_label(fmt: str) -> str:
    """The 出典 line for the population data; sample inputs say so instead of citing IPSS."""
    if provenance.uses_sample_data():
        return "サンプル人口データ（架空の数値、" + ("IPSS推計の様式" if fmt == "ipss" else "人口CSVの様式") + "）"
    return IPSS_CITATION if fmt == "ipss" else "人口CSV（国勢調査・住民基本台帳等から作成）"


def _unit_codes(raw: pd.DataFrame, where: str) -> list[str]:
    """Resolve each CSV row to a 5-digit unit code from its code and/or name column."""
    has_code, has_name = "municipality_code" in raw.columns, "municipality_name" in raw.columns
    if not (has_code or has_name):
        raise InputError("needs a municipality_code or a municipality_name column", file=where, row=1)
    units = set(municipalities.units()["municipality_code"])
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
        if code not in units:
            raise InputError(
                "not one of the 58 municipality/ward units (a designated-city total? give ward rows, "
                "or apportion with homecare.population.apportion)",
                file=where,
                row=row,
                column="municipality_code",
                value=code,
            )
        codes.append(code)
    return codes


def _numbers(raw: pd.DataFrame, column: str, where: str, *, integer: bool) -> list[float]:
    if column not in raw.columns:
        raise InputError(f"missing column {column!r}", file=where, row=1)
    out = []
    for i, text in enumerate(raw[column]):
        s = str(text).replace(",", "").strip()
        try:
            value = float(s)
        except ValueError:
            raise InputError("not a number", file=where, row=i + 2, column=column, value=text) from None
        if value < 0 or value != value or (integer and value != int(value)):
            raise InputError(
                "must be a non-negative " + ("whole number" if integer else "number"),
                file=where,
                row=i + 2,
                column=column,
                value=text,
            )
        out.append(value)
    return out


def load_population_csv(path: str | Path) -> pd.DataFrame:
    """Read a population CSV (人口CSV) into the canonical table, validated.

    Returns ``municipality_code`` (5-digit unit code), ``year`` (int), ``age_band`` (str,
    ``0-4`` ... ``90+``), ``population`` (float), sorted. Raises InputError naming the file,
    the 1-based line and the column for a bad code/name, band, year or number, a duplicate
    unit x year x band, or a table that does not cover every unit, band and year it uses.
    """
    from homecare.population.aggregate import check_complete

    p = paths.resolve(path)
    where = paths.relative(p)
    raw, _ = read_csv_text(p)
    codes = _unit_codes(raw, where)
    years = [int(v) for v in _numbers(raw, "year", where, integer=True)]
    populations = _numbers(raw, "population", where, integer=False)
    if "age_band" not in raw.columns:
        raise InputError("missing column 'age_band'", file=where, row=1)
    bands = []
    for i, text in enumerate(raw["age_band"]):
        band = parse_band(text)
        if band is None:
            raise InputError(
                f"unknown age band (use {', '.join(AGE_BANDS[:2])} ... {AGE_BANDS[-1]})",
                file=where,
                row=i + 2,
                column="age_band",
                value=text,
            )
        bands.append(band)
    df = pd.DataFrame({"municipality_code": codes, "year": years, "age_band": bands, "population": populations})
    dup = df.duplicated(["municipality_code", "year", "age_band"], keep="first")
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        r = df.iloc[i]
        raise InputError(
            f"duplicate row for {r['municipality_code']} {r['year']} {r['age_band']}", file=where, row=i + 2
        )
    df = sort_population(df)
    check_complete(df, file=where)
    return POPULATION_SCHEMA.validate(df)


def read_population_by_unit() -> pd.DataFrame:
    """Read the processed table ``population_by_unit`` (written by stage 04_population)."""
    return processed.read_processed(PROCESSED_NAME, schema=POPULATION_SCHEMA)


def processed_source_label() -> str:
    """The 出典 line stage 04 recorded for ``population_by_unit`` (its source and format)."""
    return str(processed.read_meta(PROCESSED_NAME).get("attrs", {}).get("source_label", "人口表（population_by_unit）"))
