"""The population table (人口表): one row per unit x year x 5-year age band.

Two things live here: the canonical in-memory table every other module uses
(``municipality_code, year, age_band, population``; 58 units; see :data:`POPULATION_SCHEMA`)
and the simple CSV format analysts type from 国勢調査 or 住民基本台帳 tables:

    municipality_code,municipality_name,year,age_band,population
    14101,横浜市鶴見区,2020,0-4,12345

Either ``municipality_code`` (5 digits, or 6 with check digit) or ``municipality_name``
(any accepted spelling: 茅ケ崎市, 足柄上郡松田町, 横浜市保土ヶ谷区 ...) may be left out; when
both are given they must agree. ``age_band`` is ``0-4`` ... ``85-89``, ``90+`` (``0～4歳`` and
``90歳以上`` are accepted). Encoding is detected (UTF-8 with/without BOM, CP932).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from homecare.core import paths, processed
from homecare.core import files
from homecare.reference import municipalities
from homecare.core.errors import InputError
from homecare.core.encoding import read_csv_text
from homecare.population.bands import AGE_BANDS, parse_band

COLUMNS = ["municipality_code", "year", "age_band", "population"]
PROCESSED_NAME = "population_by_unit"

POPULATION_SCHEMA = pa.DataFrameSchema(
    {
        "municipality_code": pa.Column(str, pa.Check.str_matches(r"^14\d{3}$")),
        "year": pa.Column(int, pa.Check.between(1900, 2100)),
        "age_band": pa.Column(str, pa.Check.isin(list(AGE_BANDS))),
        "population": pa.Column(float, pa.Check.ge(0)),
    },
    strict=True,
    unique=["municipality_code", "year", "age_band"],
)


def sort_population(df: pd.DataFrame) -> pd.DataFrame:
    """Rows in code, year, band order (bands young to old), index reset: outputs are deterministic."""
    order = {b: i for i, b in enumerate(AGE_BANDS)}
    out = df.assign(_band=df["age_band"].map(order)).sort_values(["municipality_code", "year", "_band"])
    return out.drop(columns="_band").reset_index(drop=True)


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
                raise InputError(str(exc), file=where, row=row, column="municipality_code", value=rec["municipality_code"]) from exc
        if has_name and rec["municipality_name"].strip():
            by_name = municipalities.lookup_code(rec["municipality_name"])
            if by_name is None:
                raise InputError(
                    "unknown or ambiguous municipality name (write the city too, e.g. 横浜市緑区)",
                    file=where, row=row, column="municipality_name", value=rec["municipality_name"],
                )
            if code is not None and code != by_name:
                raise InputError(
                    f"code {code} and name disagree (the name is {by_name})",
                    file=where, row=row, column="municipality_name", value=rec["municipality_name"],
                )
            code = by_name
        if code is None:
            raise InputError("no municipality code or name", file=where, row=row, column="municipality_code")
        if code not in units:
            raise InputError(
                "not one of the 58 municipality/ward units (a designated-city total? give ward rows, "
                "or apportion with homecare.population.apportion)",
                file=where, row=row, column="municipality_code", value=code,
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
            raise InputError("must be a non-negative " + ("whole number" if integer else "number"), file=where, row=i + 2, column=column, value=text)
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
            raise InputError(f"unknown age band (use {', '.join(AGE_BANDS[:2])} ... {AGE_BANDS[-1]})", file=where, row=i + 2, column="age_band", value=text)
        bands.append(band)
    df = pd.DataFrame({"municipality_code": codes, "year": years, "age_band": bands, "population": populations})
    dup = df.duplicated(["municipality_code", "year", "age_band"], keep="first")
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        r = df.iloc[i]
        raise InputError(f"duplicate row for {r['municipality_code']} {r['year']} {r['age_band']}", file=where, row=i + 2)
    df = sort_population(df)
    check_complete(df, file=where)
    return POPULATION_SCHEMA.validate(df)


def write_population_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """Write the canonical table in the CSV format (UTF-8 with BOM, names added for people)."""
    names = municipalities.units().set_index("municipality_code")["full_name"]
    out = df[COLUMNS].copy()
    out.insert(1, "municipality_name", out["municipality_code"].map(names))
    if (out["population"] % 1 == 0).all():  # whole persons read better without ".0"
        out["population"] = out["population"].astype("int64")
    p = paths.resolve(path)
    files.atomic_write_bytes(p, files.csv_bytes(out))
    return p


def write_population_by_unit(df: pd.DataFrame) -> Path:
    """Write the processed table ``population_by_unit`` (the four canonical columns)."""
    return processed.write_processed(sort_population(df[COLUMNS]), PROCESSED_NAME, schema=POPULATION_SCHEMA)


def read_population_by_unit() -> pd.DataFrame:
    """Read the processed table ``population_by_unit`` (written by notebook 05)."""
    return processed.read_processed(PROCESSED_NAME, schema=POPULATION_SCHEMA)
