"""Adapter for the IPSS municipal projection workbooks (日本の地域別将来推計人口（令和5（2023）年推計）).

Layout: one workbook per measure (総人口, 65歳以上, 75歳以上, or one 5-year age band such
as 0～4歳 ... 90歳以上), title rows at the top, a header row (row 4 in the published files)
and data from the next row: 5-digit code, a type flag (都道府県 / 政令指定都市 / 区 / 市 /
町村), prefecture, municipality, then one column per projection year 2020, 2025, ... 2050.
The header row, the columns and the measure are all found by their text, never by position,
so a re-laid-out release fails with a located message rather than silently shifting.

Rows of other prefectures are skipped (the national files list every municipality). Wards
(区) are the units; designated-city (政令指定都市) and prefecture rows become totals that the
unit rows are checked against, or are apportioned to wards when a city has no ward rows.
Terms: docs/glossary.md.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from homecare.core import paths, provenance
from homecare.core.errors import InputError
from homecare.population import apportion
from homecare.population.aggregate import PREFECTURE_TOTAL_CODE, check_complete, check_totals
from homecare.population.bands import AGE_BANDS, MEASURE_65, MEASURE_75, MEASURE_TOTAL, parse_band
from homecare.population.schemas import POPULATION_SCHEMA, sort_population
from homecare.reference import municipalities

# Type flags (区分). The published files' exact coding must be checked against the real
# workbook: words are accepted as well as the numeric codes the sample uses.
TYPE_FLAGS: dict[str, str] = {
    "0": "prefecture",
    "都道府県": "prefecture",
    "県": "prefecture",
    "1": "designated_city",
    "政令指定都市": "designated_city",
    "指定都市": "designated_city",
    "政令市": "designated_city",
    "2": "ward",
    "区": "ward",
    "政令市の区": "ward",
    "行政区": "ward",
    "3": "city",
    "市": "city",
    "4": "town_village",
    "町村": "town_village",
    "町": "town_village",
    "村": "town_village",
}
TYPE_FLAG_NOTE = "区分：0 都道府県　1 政令指定都市　2 政令指定都市の区　3 市　4 町村"
UNIT_TYPE_KIND = {
    "designated_city": "designated_city",
    "ward": "ward",
    "city": "city",
    "town": "town_village",
    "village": "town_village",
}
HEADER_SCAN_ROWS = 15  # the header row is searched for in the first rows
_YEAR = re.compile(r"(20\d\d)")
_NOTE_PREFIXES = ("注", "※", "資料", "出典", "(注", "（注")


@dataclass
class IpssResult:
    """What :func:`load_ipss` read: the canonical unit table, the totals it was checked
    against, the files, and the designated cities whose wards were apportioned."""

    population: pd.DataFrame
    totals: pd.DataFrame
    files: list[str]
    apportioned: list[str] = field(default_factory=list)
    totals_checked: int = 0


def _text(value: object) -> str:
    return unicodedata.normalize("NFKC", "" if value is None else str(value)).strip()


def detect_measure(texts: list[str], *, file: str, sheet: str) -> str:
    """The measure a sheet holds, from its title/header text: ``total`` (総人口・総数), ``65+``,
    ``75+`` or a band (``0～4歳`` -> ``0-4``, ``90歳以上`` -> ``90+``)."""
    found: set[str] = set()
    for text in texts:
        t = _text(text)
        for m in re.finditer(r"(\d{1,2})\s*[-~〜～－]\s*(\d{1,2})\s*歳", t):
            band = parse_band(f"{m.group(1)}-{m.group(2)}")
            if band is None:
                raise InputError(f"age group {m.group(0)!r} is not a 5-year band", file=file, sheet=sheet, value=t)
            found.add(band)
        for m in re.finditer(r"(\d{1,2})\s*歳以上", t):
            found.add(f"{int(m.group(1))}+")
        if re.search(r"総人口|総数", t):
            found.add(MEASURE_TOTAL)
    known = {MEASURE_TOTAL, MEASURE_65, MEASURE_75, *AGE_BANDS}
    if len(found) != 1 or not found <= known:
        raise InputError(
            "cannot tell which measure this sheet holds from its title/header text "
            f"(expected one of 総人口, 65歳以上, 75歳以上 or a 5-year band; found {sorted(found) or 'none'})",
            file=file,
            sheet=sheet,
        )
    return found.pop()


def _find_header(rows: list[tuple], *, file: str, sheet: str) -> tuple[int, dict[str, int], dict[int, int]]:
    """(0-based header row, role -> column index, year -> column index), found by header text."""
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        cells = [_text(v) for v in row]
        if not any("コード" in c for c in cells):
            continue
        roles: dict[str, int] = {}
        years: dict[int, int] = {}
        for j, c in enumerate(cells):
            if "コード" in c and "code" not in roles:
                roles["code"] = j
            elif ("区分" in c or "種別" in c) and "type" not in roles:
                roles["type"] = j
            elif "都道府県" in c and "prefecture" not in roles:
                roles["prefecture"] = j
            elif ("市区町村" in c or "市町村" in c) and "municipality" not in roles:
                roles["municipality"] = j
            elif (m := _YEAR.search(c)) and len(c) <= 14:
                years[int(m.group(1))] = j
        missing = [r for r in ("code", "type", "prefecture", "municipality") if r not in roles]
        if missing:
            raise InputError(
                f"header row lacks columns {missing} (looked for コード, 区分, 都道府県, 市区町村)",
                file=file,
                sheet=sheet,
                row=i + 1,
            )
        if not years:
            raise InputError("header row has no year columns (2020年, 2025年 ...)", file=file, sheet=sheet, row=i + 1)
        return i, roles, dict(sorted(years.items()))
    raise InputError(f"no header row with コード in the first {HEADER_SCAN_ROWS} rows", file=file, sheet=sheet)


def read_ipss_sheet(rows: list[tuple], *, file: str, sheet: str) -> pd.DataFrame:
    """Kanagawa rows of one sheet as ``municipality_code, kind, measure, year, population, row``."""
    h, roles, years = _find_header(rows, file=file, sheet=sheet)
    measure = detect_measure(
        [_text(v) for r in rows[: h + 1] for v in r if v is not None] + [sheet], file=file, sheet=sheet
    )
    table = municipalities.load_municipalities().set_index("municipality_code")
    records = []
    for i in range(h + 1, len(rows)):
        row, excel_row = rows[i], i + 1
        code_text = _text(row[roles["code"]] if roles["code"] < len(row) else None)
        if not code_text or code_text.startswith(_NOTE_PREFIXES):
            continue  # blank separator or a footnote under the table
        try:
            code = municipalities.code5_from_any(code_text)
        except ValueError as exc:
            raise InputError(str(exc), file=file, sheet=sheet, row=excel_row, column="コード", value=code_text) from exc
        if not code.startswith(municipalities.PREFECTURE_CODE):
            continue  # another prefecture in a national file
        flag = _text(row[roles["type"]])
        kind = TYPE_FLAGS.get(flag)
        if kind is None:
            raise InputError(
                f"unknown type flag (known: {TYPE_FLAG_NOTE})",
                file=file,
                sheet=sheet,
                row=excel_row,
                column="区分",
                value=flag,
            )
        expected = (
            "prefecture"
            if code == PREFECTURE_TOTAL_CODE
            else UNIT_TYPE_KIND.get(table.at[code, "unit_type"])
            if code in table.index
            else None
        )
        if expected is None:
            raise InputError(
                "code is not a Kanagawa municipality, ward or the prefecture",
                file=file,
                sheet=sheet,
                row=excel_row,
                column="コード",
                value=code,
            )
        if kind != expected:
            raise InputError(
                f"type flag says {kind} but {code} is a {expected}",
                file=file,
                sheet=sheet,
                row=excel_row,
                column="区分",
                value=flag,
            )
        for year, j in years.items():
            value = row[j] if j < len(row) else None
            try:
                number = float(_text(value).replace(",", ""))
            except ValueError:
                raise InputError(
                    "not a number", file=file, sheet=sheet, row=excel_row, column=f"{year}年", value=value
                ) from None
            if number < 0:
                raise InputError(
                    "negative population", file=file, sheet=sheet, row=excel_row, column=f"{year}年", value=value
                )
            records.append((code, kind, measure, year, number, excel_row))
    if not records:
        raise InputError("no 神奈川県 rows under the header", file=file, sheet=sheet)
    return pd.DataFrame(records, columns=["municipality_code", "kind", "measure", "year", "population", "row"])


def read_ipss_workbook(path: str | Path) -> pd.DataFrame:
    """Every sheet of one IPSS workbook (see :func:`read_ipss_sheet`), with ``file`` and ``sheet``."""
    p = paths.resolve(path)
    where = paths.relative(p)
    if not p.is_file():
        raise InputError("input file not found", file=where)
    provenance.note_input(p)
    wb = load_workbook(p, read_only=True, data_only=True)
    frames, skipped = [], []
    try:
        for ws in wb.worksheets:
            rows = list(ws.iter_rows(values_only=True))
            if not any("コード" in _text(v) for r in rows[:HEADER_SCAN_ROWS] for v in r):
                skipped.append(ws.title)  # a notes/explanation sheet (注記, 利用上の注意): no table
                continue
            frames.append(read_ipss_sheet(rows, file=where, sheet=ws.title).assign(file=where, sheet=ws.title))
    finally:
        wb.close()
    if not frames:
        raise InputError(
            f"no sheet has a header row with コード in its first {HEADER_SCAN_ROWS} rows (sheets: {skipped})",
            file=where,
        )
    if skipped:
        print(f"{where}: sheets without a table skipped: {', '.join(skipped)}")
    return pd.concat(frames, ignore_index=True)


def ipss_files(source: str | Path) -> list[Path]:
    """The workbooks of a source: a folder (every ``*.xlsx``, name order) or one file."""
    p = paths.resolve(source)
    files = sorted(p.glob("*.xlsx")) if p.is_dir() else [p]
    files = [f for f in files if not f.name.startswith("~$")]  # Excel lock files
    if not files:
        raise InputError("no IPSS workbooks (*.xlsx) found", file=paths.relative(p))
    return files


def load_ipss(
    source: str | Path,
    *,
    ward_base: pd.DataFrame | None = None,
    apportion_rule: str = apportion.DEFAULT_RULE,
    base_year: int = 2020,
) -> IpssResult:
    """Read IPSS workbooks into the canonical unit table (区市町村別5歳階級別人口), checked.

    Needs the 19 age-band measures. Unit rows are wards, cities and towns/villages; a
    designated city with a city row but no ward rows is apportioned to its wards from
    ``ward_base`` (a canonical table holding ``base_year``) by ``apportion_rule``. Every
    total, 65+ and 75+ row and every city/prefecture row is checked against the unit sums.
    """
    files = ipss_files(source)
    raw = pd.concat([read_ipss_workbook(f) for f in files], ignore_index=True)
    where = paths.relative(paths.resolve(source))
    dup = raw.duplicated(["municipality_code", "measure", "year"], keep=False)
    if dup.any():
        r = raw[dup].iloc[1]
        raise InputError(
            f"{r['municipality_code']} {r['measure']} {r['year']} appears twice",
            file=r["file"],
            sheet=r["sheet"],
            row=int(r["row"]),
        )
    bands = raw[raw["measure"].isin(AGE_BANDS)]
    missing_bands = [b for b in AGE_BANDS if b not in set(bands["measure"])]
    if missing_bands:
        raise InputError(
            f"the 5-year age-band tables are needed for demand indices; missing bands {missing_bands} "
            f"(found measures: {sorted(set(raw['measure']))})",
            file=where,
        )
    unit_kinds = {"ward", "city", "town_village"}
    units = bands[bands["kind"].isin(unit_kinds)]
    pop = units.rename(columns={"measure": "age_band"})[["municipality_code", "year", "age_band", "population"]]
    apportioned = []
    parents = municipalities.units().groupby("parent_code")["municipality_code"].apply(list)
    for city in sorted(set(bands.loc[bands["kind"] == "designated_city", "municipality_code"])):
        if set(parents.get(city, [])) & set(units["municipality_code"]):
            continue  # the city has ward rows: its row is a total to check
        if ward_base is None:
            raise InputError(
                f"designated city {city} has only a city total: give ward base data (ward_base) to apportion it",
                file=where,
            )
        city_rows = bands[(bands["municipality_code"] == city)].rename(columns={"measure": "age_band"})
        pop = pd.concat(
            [pop, apportion.apportion_to_wards(city_rows, ward_base, base_year=base_year, rule=apportion_rule)],
            ignore_index=True,
        )
        apportioned.append(city)
    pop = sort_population(pop.astype({"year": int, "population": float}))
    check_complete(pop, file=where)
    totals = raw[~raw["kind"].isin(unit_kinds) | ~raw["measure"].isin(AGE_BANDS)]
    totals = totals[["municipality_code", "year", "measure", "population"]].reset_index(drop=True)
    checked = check_totals(pop, totals, file=where)
    return IpssResult(
        population=POPULATION_SCHEMA.validate(pop),
        totals=totals,
        files=[paths.relative(f) for f in files],
        apportioned=apportioned,
        totals_checked=checked,
    )
