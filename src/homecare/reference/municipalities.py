"""Municipality and ward reference table (区市町村コード表) and name matching.

The base unit of every analysis is the 58 "municipality or ward" units (区市町村): the
18 wards of 横浜市, 7 of 川崎市, 3 of 相模原市 and the 30 other municipalities.
The table also keeps the three designated-city parents (政令指定都市) so that files
reporting a city total can be joined.
Terms: docs/glossary.md.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pandas as pd
import pandera.pandas as pa

from homecare.core import paths
from homecare.core.errors import ReferenceDataError

PREFECTURE = "神奈川県"
PREFECTURE_CODE = "14"
N_UNITS = 58

MUNICIPALITY_SCHEMA = pa.DataFrameSchema(
    {
        "municipality_code": pa.Column(str, pa.Check.str_matches(r"^14\d{3}$"), unique=True),
        "code6": pa.Column(str, pa.Check.str_matches(r"^14\d{4}$"), unique=True),
        "name": pa.Column(str),
        "full_name": pa.Column(str, unique=True),
        "city": pa.Column(str),
        "county": pa.Column(str),
        "parent_code": pa.Column(str),
        "unit_type": pa.Column(str, pa.Check.isin(["designated_city", "ward", "city", "town", "village"])),
        "is_unit": pa.Column(bool),
        "variants": pa.Column(str),
    },
    strict=True,
    coerce=True,
)


def check_digit(code5: str) -> int:
    """Check digit of a 5-digit 全国地方公共団体コード (weights 6,5,4,3,2; mod 11)."""
    if not re.fullmatch(r"\d{5}", code5):
        raise ValueError(f"not a 5-digit municipality code: {code5!r}")
    r = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2), strict=True)) % 11
    return (11 - r) % 10


def to_code6(code5: str) -> str:
    """5-digit code -> 6-digit code with check digit (14100 -> 141003)."""
    return f"{code5}{check_digit(code5)}"


def code5_from_any(code: str | int) -> str:
    """Normalise a municipality code given as 5 digits, 6 digits with a valid check digit,
    or a number that lost its leading zero. Raises ValueError on a wrong check digit."""
    s = unicodedata.normalize("NFKC", str(code)).strip()
    if s.endswith(".0"):
        s = s[:-2]
    if not s.isdigit():
        raise ValueError(f"not a municipality code: {code!r}")
    if len(s) in (4, 5):
        return s.zfill(5)
    if len(s) == 6:
        if int(s[5]) != check_digit(s[:5]):
            raise ValueError(f"6-digit code {s} has a wrong check digit (expected {check_digit(s[:5])})")
        return s[:5]
    raise ValueError(f"not a municipality code: {code!r}")


def name_key(name: str) -> str:
    """Matching key for a place name: NFKC, no spaces, no prefecture, ヶ/ケ/ヵ unified.

    Used only for comparing names, never written out.
    """
    s = unicodedata.normalize("NFKC", str(name))
    s = re.sub(r"\s+", "", s)
    s = s.replace("ヶ", "ケ").replace("ヵ", "ケ").replace("ｹ", "ケ")
    if s.startswith(PREFECTURE):
        s = s[len(PREFECTURE) :]
    return s


def municipalities_path():
    return paths.reference_dir() / "municipalities.csv"


def load_municipalities() -> pd.DataFrame:
    """The 58 units plus 3 designated-city parents (``data/raw/reference/municipalities.csv``),
    validated; the read is recorded as a stage input."""
    from homecare.core import provenance

    provenance.note_input(municipalities_path())
    return _load_municipalities().copy()


@lru_cache(maxsize=1)
def _load_municipalities() -> pd.DataFrame:
    path = municipalities_path()
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    df["is_unit"] = df["is_unit"].map({"1": True, "0": False})
    try:
        df = MUNICIPALITY_SCHEMA.validate(df)
    except pa.errors.SchemaError as exc:
        raise ReferenceDataError(f"{path}: {exc}") from exc
    bad = [c for c, c6 in zip(df["municipality_code"], df["code6"], strict=True) if to_code6(c) != c6]
    if bad:
        raise ReferenceDataError(f"{path}: wrong check digit in code6 for {bad}")
    n = int(df["is_unit"].sum())
    if n != N_UNITS:
        raise ReferenceDataError(f"{path}: expected {N_UNITS} units, found {n}")
    return df


def units() -> pd.DataFrame:
    """The 58 municipality/ward units (区市町村), in code order."""
    df = load_municipalities()
    return df[df["is_unit"]].reset_index(drop=True)


@lru_cache(maxsize=1)
def _name_index() -> dict[str, set[str]]:
    """Matching key -> set of codes it may denote (more than one = ambiguous, e.g. 緑区)."""
    index: dict[str, set[str]] = {}
    for row in _load_municipalities().itertuples():
        names = {row.full_name, row.name, *(v for v in row.variants.split("|") if v)}
        if row.city:  # 横浜市青葉区 is also written 横浜青葉区 rarely; keep to real forms
            names.add(row.city + row.name)
        if row.county:
            names.add(row.county + row.name)
        for n in names:
            index.setdefault(name_key(n), set()).add(row.municipality_code)
    return index


def lookup_code(name: str) -> str | None:
    """Code for a municipality/ward name in any accepted form (茅ケ崎市, 足柄上郡松田町,
    松田町, 神奈川県横浜市保土ヶ谷区, 津久井町 ...). ``None`` when unknown or ambiguous
    (a bare 緑区 or 南区 exists in both 横浜市 and 相模原市)."""
    codes = _name_index().get(name_key(name), set())
    return next(iter(codes)) if len(codes) == 1 else None


def full_name_of(code: str) -> str:
    """The name as written in full addresses (横浜市青葉区, 足柄上郡松田町, 横須賀市)."""
    df = _load_municipalities()
    hit = df.loc[df["municipality_code"] == code, "full_name"]
    if hit.empty:
        raise KeyError(code)
    return str(hit.iloc[0])
