"""Adapter for the IPSS workbook 日本の地域別将来推計人口（令和5（2023）年推計）of one prefecture
(``.../shicyoson23/3kekka/Municipalities/14.xlsx`` for 神奈川県).

Layout (DOMAIN.md, "Population projections"):

- one sheet per area, named ``{code}_{name}`` (5-digit code without check digit): the
  prefecture (``14000``), each municipality, each ward, and the whole-city sheets of the
  designated cities (``14100`` 横浜市, ``14130`` 川崎市, ``14150`` 相模原市) beside their wards;
- A2 = the area code, B2 = its name; a header row (row 4) ``男女計 | 2020年 … 2050年 | | 男 |
  years | | 女 | years``: three blocks side by side, each a label column and one column per year
  (2020 is the census result, 国勢調査による実績値);
- under it ``総数``, the 20 bands ``0～4歳`` … ``90～94歳``, ``95歳～``, then （再掲） rows (0～14歳,
  65歳以上 …) and 割合 rows (shares in %) and notes.

Everything is found by its text and then checked, never taken by position: the header row by
``男女計``, the blocks by ``男女計``/``男``/``女``, the years by ``2020年``. What is kept: the 20
band rows of the 58 unit sheets (wards straight from their own sheets), by sex. What is only
checked, never added: 総数 (= the bands), 男女計 (= 男 + 女), the （再掲） rows that name an age group
(= their bands), the whole-city sheets (= their wards) and the prefecture sheet (= the 58 units).
割合 rows and notes are never read as persons. A sheet or workbook in another layout (the
平成30年推計 ``.xls`` with the blocks stacked and a ``90歳以上`` top band, missing blocks …) stops
with an InputError naming the file, the sheet and what was expected. Terms: docs/glossary.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook

from homecare.core import paths
from homecare.core.errors import InputError
from homecare.core.inputs import checked_input
from homecare.core.qa import QAEntry, Reconciliation
from homecare.population.aggregate import PREFECTURE_TOTAL_CODE, check_complete
from homecare.population.bands import (
    AGE_BANDS,
    SEX_FEMALE,
    SEX_LABELS,
    SEX_MALE,
    SEX_TOTAL,
    age_group,
    bands_of_measure,
    normalise_label,
    parse_band,
)
from homecare.population.schemas import POPULATION_SCHEMA, implausible_count, sort_population
from homecare.reference import municipalities

STAGE = "04_population"
LAYOUT = (
    "the IPSS 令和5（2023）年推計 workbook: one sheet per area named {code}_{name}, a header row "
    "男女計 | 2020年 … | 男 | 2020年 … | 女 | 2020年 …, then 総数 and the 20 bands 0～4歳 … 90～94歳, 95歳～"
)
HEADER_SCAN_ROWS = 10  # the header row (row 4 in the published files) is searched for in the first rows
BLOCK_SEXES = {"男女計": SEX_TOTAL, "男": SEX_MALE, "女": SEX_FEMALE}
TOTAL_LABEL = "総数"
BAND_LABELS = tuple(f"{b[:-1]}歳～" if b.endswith("+") else f"{b.replace('-', '～')}歳" for b in AGE_BANDS)
ROUNDING = 0.5  # persons per published value added: the tolerance of every sum check
_SHEET = re.compile(r"^\s*(\d{4,6})\s*_\s*(.+?)\s*$")
_YEAR = re.compile(r"^(\d{4})年?$")
_RESTATED = re.compile(r"^\(?再掲\)?")
_NOTE_START = ("注", "※", "資料", "出典", "(注")


@dataclass(frozen=True)
class Block:
    """One sex block of a sheet: its label column and its year columns (0-based)."""

    sex: str
    label_col: int
    year_cols: dict[int, int]


@dataclass
class SheetTable:
    """What one area sheet holds: every count cell (``row, column, sex, year, measure, role,
    value``; role ``band``, ``total`` (総数) or ``restated`` (（再掲）)) and its rows by kind."""

    code: str
    name: str
    sheet: str
    years: tuple[int, ...]
    cells: pd.DataFrame
    rows: dict[str, int]


@dataclass
class IpssResult:
    """What :func:`load_ipss` read: the canonical unit table, QA entries (sums that agree only
    within rounding, sheets left out), where every row went, and what was checked."""

    population: pd.DataFrame
    qa: list[QAEntry]
    counts: Reconciliation
    file: str
    sheets: dict[str, list[str]] = field(default_factory=dict)
    checks: dict[str, int] = field(default_factory=dict)


def _text(value: object) -> str:
    """A cell as compared text; a whole number read as a float (calamine: 2020.0) as ``2020``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalise_label(value)


def _number(value: object) -> float | None:
    """A count cell as a number (``1,234`` accepted), ``None`` when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if value == value else None
    text = _text(value).replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None


def _cell(rows: list[tuple], i: int, j: int) -> object:
    return rows[i][j] if i < len(rows) and j < len(rows[i]) else None


def _find_header(rows: list[tuple], *, file: str, sheet: str) -> int:
    """0-based index of the header row: the first row with a cell reading 男女計."""
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if any(_text(v) == "男女計" for v in row):
            return i
    raise InputError(
        f"no header row with 男女計 in the first {HEADER_SCAN_ROWS} rows; expected {LAYOUT}", file=file, sheet=sheet
    )


def _blocks(rows: list[tuple], h: int, *, file: str, sheet: str) -> list[Block]:
    """The 男女計, 男 and 女 blocks of header row ``h``: label column and consecutive year columns."""
    header = rows[h]
    found: dict[str, list[int]] = {}
    for j, value in enumerate(header):
        if _text(value) in BLOCK_SEXES:
            found.setdefault(_text(value), []).append(j)
    for heading, cols in found.items():
        if len(cols) > 1:
            raise InputError(
                f"{heading} appears {len(cols)} times in the header row", file=file, sheet=sheet, row=h + 1
            )
    missing = [heading for heading in BLOCK_SEXES if heading not in found]
    if missing:
        total_col = found["男女計"][0]
        below = [i + 1 for i in range(h + 1, len(rows)) if _text(_cell(rows, i, total_col)) in [m for m in missing]]
        hint = (
            f"; {'/'.join(missing)} found below the 男女計 table in column {get_column_letter(total_col + 1)} "
            f"(row {below[0]}): blocks stacked one under another are the older 平成30年推計 layout, not supported"
            if below
            else ""
        )
        raise InputError(
            f"the header row has no {' and no '.join(missing)} block (expected 男女計, 男 and 女 side by side){hint}",
            file=file,
            sheet=sheet,
            row=h + 1,
        )
    blocks = []
    for heading, sex in BLOCK_SEXES.items():
        col = found[heading][0]
        years: dict[int, int] = {}
        j = col + 1
        while j < len(header) and (m := _YEAR.match(_text(header[j]))):
            years[int(m.group(1))] = j
            j += 1
        if not years:
            raise InputError(
                f"no year columns (2020年 …) right of {heading}",
                file=file,
                sheet=sheet,
                row=h + 1,
                column=get_column_letter(col + 2),
                value=_cell(rows, h, col + 1),
            )
        blocks.append(Block(sex, col, years))
    first = list(blocks[0].year_cols)
    for block in blocks[1:]:
        if list(block.year_cols) != first:
            raise InputError(
                f"the {SEX_LABELS[block.sex]} block has years {list(block.year_cols)} but 男女計 has {first}",
                file=file,
                sheet=sheet,
                row=h + 1,
            )
    return blocks


def _area(rows: list[tuple], h: int, sheet_code: str, *, file: str, sheet: str) -> tuple[str, str]:
    """(code, name) from the rows above the header: the code in column A (A2), the name beside it."""
    for i in range(h):
        value = _cell(rows, i, 0)
        if isinstance(value, bool) or value is None:
            continue
        text = _text(value)
        if re.fullmatch(r"\d{4,6}", text):
            try:
                code = municipalities.code5_from_any(text)
            except ValueError as exc:
                raise InputError(str(exc), file=file, sheet=sheet, row=i + 1, column="A", value=value) from None
            if code != sheet_code:
                raise InputError(
                    f"the area code {code} disagrees with the sheet name ({sheet_code})",
                    file=file,
                    sheet=sheet,
                    row=i + 1,
                    column="A",
                    value=value,
                )
            return code, str(_cell(rows, i, 1) or "").strip()
    raise InputError(
        "no area code in column A above the header row (expected A2 = code, B2 = name)", file=file, sheet=sheet
    )


def _count_row(rows: list[tuple], i: int, blocks: list[Block], *, file: str, sheet: str, expected: str) -> dict:
    """The label check and the numbers of one 総数/band row: ``{(sex, year): (value, column)}``."""
    label = _text(_cell(rows, i, blocks[0].label_col))
    out = {}
    for block in blocks:
        got = _cell(rows, i, block.label_col)
        if _text(got) != label:
            raise InputError(
                f"the {SEX_LABELS[block.sex]} block's label differs from 男女計's ({_cell(rows, i, blocks[0].label_col)!r})",
                file=file,
                sheet=sheet,
                row=i + 1,
                column=get_column_letter(block.label_col + 1),
                value=got,
            )
        for year, j in block.year_cols.items():
            value = _cell(rows, i, j)
            number = _number(value)
            column = get_column_letter(j + 1)
            why = (
                "empty cell (a formula without a saved value? save the workbook in Excel, or paste values)"
                if value is None
                else "not a number"
                if number is None
                else implausible_count(number)
            )
            if why:
                raise InputError(
                    f"{why}: {expected}, {SEX_LABELS[block.sex]} {year}年",
                    file=file,
                    sheet=sheet,
                    row=i + 1,
                    column=column,
                    value=value,
                )
            out[(block.sex, year)] = (number, column)
    return out


def _expect_label(label: object, k: int, *, file: str, sheet: str, row: int, column: str) -> str:
    """The measure of table row ``k`` (0 = 総数, then the bands), after checking its label."""
    text = _text(label)
    if k == 0:
        if text == TOTAL_LABEL:
            return "total"
        raise InputError(
            f"expected {TOTAL_LABEL} in the row under the header; expected {LAYOUT}",
            file=file,
            sheet=sheet,
            row=row,
            column=column,
            value=label,
        )
    band = AGE_BANDS[k - 1]
    if parse_band(label) == band:
        return band
    hint = ""
    if age_group(label) == (90, None):
        hint = " (90歳以上 is the top band of the older 平成30年推計 layout, not supported)"
    raise InputError(
        f"expected the band {BAND_LABELS[k - 1]} here (総数, then 0～4歳 … 90～94歳, 95歳～){hint}",
        file=file,
        sheet=sheet,
        row=row,
        column=column,
        value=label,
    )


def _restated_measure(label: str) -> str | None:
    """The measure a （再掲） row restates (``（再掲）65歳以上`` -> ``65+``), ``None`` when it names no
    age group on band boundaries."""
    group = age_group(_RESTATED.sub("", label))
    if group is None:
        return None
    lo, hi = group
    measure = f"{lo}+" if hi is None else f"{lo}-{hi}"
    try:
        bands_of_measure(measure)
    except ValueError:
        return None
    return measure


def read_sheet(rows: list[tuple], *, file: str, sheet: str) -> SheetTable:
    """One area sheet (its rows as tuples, row 1 first): every count cell, located, and the
    number of rows of each kind (``band``, ``total``, ``restated``, ``share``, ``other``)."""
    m = _SHEET.match(sheet)
    if not m:
        raise InputError("the sheet name does not start with an area code ({code}_{name})", file=file, sheet=sheet)
    try:
        sheet_code = municipalities.code5_from_any(m.group(1))
    except ValueError as exc:
        raise InputError(str(exc), file=file, sheet=sheet) from None
    h = _find_header(rows, file=file, sheet=sheet)
    blocks = _blocks(rows, h, file=file, sheet=sheet)
    code, name = _area(rows, h, sheet_code, file=file, sheet=sheet)
    label_col = get_column_letter(blocks[0].label_col + 1)
    records = []
    for k in range(len(AGE_BANDS) + 1):
        i = h + 1 + k
        if i >= len(rows):
            raise InputError(
                f"the table ends before {BAND_LABELS[-1]} (expected {TOTAL_LABEL} and {len(AGE_BANDS)} bands)",
                file=file,
                sheet=sheet,
                row=i + 1,
            )
        measure = _expect_label(
            _cell(rows, i, blocks[0].label_col), k, file=file, sheet=sheet, row=i + 1, column=label_col
        )
        expected = TOTAL_LABEL if k == 0 else BAND_LABELS[k - 1]
        for (sex, year), (value, column) in _count_row(
            rows, i, blocks, file=file, sheet=sheet, expected=expected
        ).items():
            records.append((i + 1, column, sex, year, measure, "total" if k == 0 else "band", value))
    counts = {"band": len(AGE_BANDS), "total": 1, "restated": 0, "share": 0, "other": 0}
    restated_section = False
    for i in range(h + 1 + len(AGE_BANDS) + 1, len(rows)):
        label = _text(_cell(rows, i, blocks[0].label_col))
        if not label and all(v is None or _text(v) == "" for v in rows[i]):
            continue  # a blank row is no row
        if "割合" in label or "%" in label:
            counts["share"] += 1
            restated_section = False
            continue
        if "再掲" in label or (restated_section and age_group(label) is not None):
            restated_section = True
            counts["restated"] += 1
            measure = _restated_measure(label)
            values = {
                (b.sex, year): (_number(_cell(rows, i, j)), get_column_letter(j + 1))
                for b in blocks
                for year, j in b.year_cols.items()
            }
            if measure is not None and all(v is not None for v, _ in values.values()):
                records += [
                    (i + 1, column, sex, year, measure, "restated", value)
                    for (sex, year), (value, column) in values.items()
                ]
            continue
        counts["other"] += 1  # notes (注, 資料 …) and anything else under the table: never read
    cells = pd.DataFrame(records, columns=["row", "column", "sex", "year", "measure", "role", "value"])
    return SheetTable(code, name, sheet, tuple(blocks[0].year_cols), cells, counts)


def _check_name(table: SheetTable, reference: pd.DataFrame, *, file: str) -> None:
    """The name in B2 must denote the sheet's code (any usual spelling: 横浜市鶴見区 or 鶴見区);
    ``reference`` is the municipality table indexed by code."""
    key = municipalities.name_key(table.name)
    if table.code == PREFECTURE_TOTAL_CODE:
        names = {municipalities.PREFECTURE}
    else:
        r = reference.loc[table.code]
        names = {r["name"], r["full_name"], r["city"] + r["name"], r["county"] + r["name"], *r["variants"].split("|")}
    if key and key not in {municipalities.name_key(n) for n in names if n}:
        raise InputError(
            f"the area name does not match the code {table.code}",
            file=file,
            sheet=table.sheet,
            row=2,
            column="B",
            value=table.name,
        )


def _compare(
    published: pd.DataFrame, expected: pd.Series, parts: pd.Series, what: str, *, file: str
) -> tuple[int, list[QAEntry]]:
    """Check published cells (``sheet, row, column, sex, year, value``) against the sums of their
    parts: exact or within rounding (0.5 person per part: a QA entry, kept), else InputError at
    the first cell. Returns (cells checked, QA entries)."""
    diff = published["value"].to_numpy() - expected.to_numpy()
    allowed = ROUNDING * parts.to_numpy()
    bad = abs(diff) > allowed + 1e-9
    if bad.any():
        k = int(bad.nonzero()[0][0])
        r = published.iloc[k]
        raise InputError(
            f"{what} do not add up: {SEX_LABELS[r['sex']]} {r['year']}年 is {r['value']:,.0f} but its parts add up to "
            f"{expected.iloc[k]:,.0f}",
            file=file,
            sheet=r["sheet"],
            row=int(r["row"]),
            column=r["column"],
            value=r["value"],
        )
    qa = [
        QAEntry(
            stage=STAGE,
            file=file,
            sheet=str(published.iloc[k]["sheet"]),
            row=int(published.iloc[k]["row"]),
            column=str(published.iloc[k]["column"]),
            value=f"{published.iloc[k]['value']:g}",
            reason=f"{what}: parts add up to {expected.iloc[k]:g} (within rounding)",
            action="kept",
        )
        for k in (abs(diff) > 1e-9).nonzero()[0]
    ]
    return len(published), qa


def all_cells(tables: list[SheetTable]) -> pd.DataFrame:
    """The count cells of every sheet in one frame, with ``code`` and ``sheet``."""
    cells = pd.concat([t.cells for t in tables], ignore_index=True)
    cells["code"] = [t.code for t in tables for _ in range(len(t.cells))]
    cells["sheet"] = [t.sheet for t in tables for _ in range(len(t.cells))]
    return cells


def check_sheets(cells: pd.DataFrame, *, file: str) -> tuple[dict[str, int], list[QAEntry]]:
    """Every sum check of the workbook's count cells (:func:`all_cells`; see the module
    docstring); returns cells checked per check and the QA entries of sums that agree only
    within rounding."""
    checks: dict[str, int] = {}
    qa: list[QAEntry] = []

    def run(name: str, published: pd.DataFrame, expected: pd.Series, parts: pd.Series, what: str) -> None:
        n, entries = _compare(published.reset_index(drop=True), expected, parts, what, file=file)
        checks[name] = n
        qa.extend(entries)

    # 男女計 = 男 + 女, in every count row of every sheet
    key = ["code", "sheet", "row", "year"]
    wide = cells.pivot_table(index=key, columns="sex", values="value", aggfunc="first")
    total = cells[cells["sex"] == SEX_TOTAL].set_index(key).loc[wide.index].reset_index()
    run(
        "男女計 = 男 + 女",
        total,
        (wide[SEX_MALE] + wide[SEX_FEMALE]).reset_index(drop=True),
        pd.Series(2, index=total.index),
        "男 and 女",
    )
    # 総数 and （再掲） rows = their bands, per sex
    bands = cells.loc[cells["role"] == "band", ["code", "sex", "year", "measure", "value"]]
    bands = bands.rename(columns={"measure": "band", "value": "part"})
    for role, label in (("total", "総数 and the 20 bands"), ("restated", "（再掲） rows and their bands")):
        sums = cells[cells["role"] == role].reset_index(drop=True)
        members = {m: bands_of_measure(m) for m in set(sums["measure"])}
        exploded = sums.assign(band=sums["measure"].map(members)).explode("band").reset_index(names="cell")
        added = exploded.merge(bands, on=["code", "sex", "year", "band"], how="left", validate="m:1")
        agg = added.groupby("cell").agg(expected=("part", "sum"), parts=("part", "size")).reindex(sums.index)
        run(label, sums, agg["expected"], agg["parts"], label)
    # whole-city sheets = their wards; prefecture sheet = the 58 units (総数 and band rows)
    counted = cells[cells["role"].isin(["band", "total"])]
    unit_codes = set(municipalities.units()["municipality_code"])
    parents = municipalities.units().set_index("municipality_code")["parent_code"]
    unit_cells = counted[counted["code"].isin(unit_codes)]
    groups = {
        "whole-city sheets = their wards": unit_cells.assign(whole=unit_cells["code"].map(parents)).query(
            "whole != ''"
        ),
        "prefecture sheet = the 58 units": unit_cells.assign(whole=PREFECTURE_TOTAL_CODE),
    }
    for name, parts_cells in groups.items():
        summed = parts_cells.groupby(["whole", "sex", "year", "measure"]).agg(
            expected=("value", "sum"), parts=("value", "size")
        )
        published = counted[counted["code"].isin(set(parts_cells["whole"]))]
        joined = published.merge(
            summed, left_on=["code", "sex", "year", "measure"], right_index=True, how="left", validate="1:1"
        )
        run(name, joined, joined["expected"], joined["parts"], name.split(" = ")[0])
    return checks, qa


def workbook_path(source: str | Path) -> Path:
    """The workbook of ``source``: a file, or a folder holding exactly one ``*.xlsx``."""
    p = paths.resolve_input(source)
    if p.is_dir():
        found = sorted(f for f in p.glob("*.xlsx") if not f.name.startswith("~$"))  # ~$: Excel lock files
        if len(found) != 1:
            raise InputError(
                f"expected one IPSS workbook (*.xlsx) in the folder, found {len(found)}: {[f.name for f in found]}",
                file=paths.relative(p),
            )
        p = found[0]
    where = paths.relative(p)
    if not p.is_file():
        raise InputError("input file not found", file=where)
    if p.suffix.lower() == ".xls":
        raise InputError(
            f"an .xls workbook: the older 平成30年推計 files are .xls in another layout, not supported; expected {LAYOUT}",
            file=where,
        )
    return p


def read_workbook(source: str | Path) -> tuple[str, list[SheetTable], list[str]]:
    """The file as cited, every area sheet read (:func:`read_sheet`) and the names of sheets
    without a population table (an explanation sheet). Cells are read with calamine, empty
    cells as ``None``, rows from row 1 (Excel numbering is kept)."""
    p, where = checked_input(workbook_path(source))
    try:
        wb = CalamineWorkbook.from_path(str(p))
        sheets = {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in wb.sheet_names}
    except (CalamineError, OSError, ValueError) as exc:
        raise InputError(
            f"cannot be read as an .xlsx workbook (truncated or damaged?): {type(exc).__name__}: {exc}", file=where
        ) from None
    tables: list[SheetTable] = []
    skipped: list[str] = []
    for name, cells in sheets.items():
        rows = [tuple(None if v == "" else v for v in row) for row in cells]
        if not _SHEET.match(name):
            if any(_text(v) == "男女計" for r in rows[:HEADER_SCAN_ROWS] for v in r):
                raise InputError(
                    "this sheet has a population table but its name does not start with an area code "
                    "({code}_{name}, e.g. 14101_横浜市鶴見区)",
                    file=where,
                    sheet=name,
                )
            skipped.append(name)  # an explanation sheet (利用上の注意 …): no table
            continue
        tables.append(read_sheet(rows, file=where, sheet=name))
    if not tables:
        raise InputError(f"no sheet named {{code}}_{{name}} (sheets: {skipped}); expected {LAYOUT}", file=where)
    return where, tables, skipped


def _sheet_kind(code: str, table: pd.DataFrame, *, file: str, sheet: str) -> str:
    if code == PREFECTURE_TOTAL_CODE:
        return "prefecture"
    if code not in table.index:
        hint = (
            " (a workbook of another prefecture? 神奈川県 is Municipalities/14.xlsx)"
            if not code.startswith(municipalities.PREFECTURE_CODE)
            else ""
        )
        raise InputError(f"{code} is not a 神奈川県 municipality, ward or the prefecture{hint}", file=file, sheet=sheet)
    return "designated_city" if table.at[code, "unit_type"] == "designated_city" else "unit"


def load_ipss(source: str | Path) -> IpssResult:
    """Read the IPSS 令和5年推計 workbook of 神奈川県 into the canonical unit table (58 units x
    years x sex x 20 bands), after every check (see the module docstring)."""
    return assemble(*read_workbook(source))


def assemble(where: str, tables: list[SheetTable], skipped: list[str]) -> IpssResult:
    """The unit table from the area sheets of one workbook: each area once, 神奈川県 only, every
    unit and the prefecture present, names matching codes, the same years everywhere, every
    sum check passed (:func:`check_sheets`); where every row went."""
    reference = municipalities.load_municipalities().set_index("municipality_code")
    kinds: dict[str, list[str]] = {"prefecture": [], "designated_city": [], "unit": []}
    seen: dict[str, str] = {}
    for t in tables:
        if t.code in seen:
            raise InputError(f"area {t.code} has two sheets: {seen[t.code]!r} and {t.sheet!r}", file=where)
        seen[t.code] = t.sheet
        kinds[_sheet_kind(t.code, reference, file=where, sheet=t.sheet)].append(t.code)
        _check_name(t, reference, file=where)
        if t.years != tables[0].years:
            raise InputError(
                f"years {list(t.years)} differ from those of sheet {tables[0].sheet!r} ({list(tables[0].years)})",
                file=where,
                sheet=t.sheet,
            )
    units = municipalities.units()
    missing = units[~units["municipality_code"].isin(kinds["unit"])]
    if len(missing):
        cities = sorted(set(missing["parent_code"]) & set(kinds["designated_city"]))
        hint = (
            f"; {', '.join(cities)} have only a whole-city sheet: the wards are needed (the 令和5年推計 workbook "
            f"has a sheet per ward; for city totals only, use a population CSV with ward_base_csv)"
            if cities
            else ""
        )
        shown = [f"{r.municipality_code} {r.full_name}" for r in missing.head(8).itertuples()]
        raise InputError(f"no sheet for {len(missing)} of the 58 units: {shown}{hint}", file=where)
    cells = all_cells(tables)
    checks, qa = check_sheets(cells, file=where)
    wholes = {
        PREFECTURE_TOTAL_CODE: "the 58 units",
        **{c: "its wards" for c in sorted(set(units["parent_code"]) - {""})},
    }
    qa += [  # the published layout has these sheets; without one, a check is missing (reported), no number is
        QAEntry(
            stage=STAGE,
            file=where,
            reason=f"no sheet for {code}: {what} were not checked against it",
            action="not checked",
            value=code,
        )
        for code, what in wholes.items()
        if code not in kinds["prefecture"] + kinds["designated_city"]
    ]
    qa += [
        QAEntry(
            stage=STAGE,
            file=where,
            sheet=s,
            reason="no population table (not a {code}_{name} sheet)",
            action="excluded",
        )
        for s in skipped
    ]
    population = cells[(cells["role"] == "band") & cells["code"].isin(kinds["unit"])].rename(
        columns={"code": "municipality_code", "measure": "age_band", "value": "population"}
    )
    population = sort_population(population[["municipality_code", "year", "sex", "age_band", "population"]])
    population = population.astype({"year": int, "population": float})
    check_complete(population, file=where)
    by_kind = {k: [t for t in tables if t.code in set(v)] for k, v in kinds.items()}
    units_rows = {k: sum(t.rows[k] for t in by_kind["unit"]) for k in ("band", "total", "restated", "share", "other")}
    counts = Reconciliation(
        rows_in=sum(sum(t.rows.values()) for t in tables),
        kept=units_rows["band"],
        excluded=(
            ("総数 rows (checked against the bands)", units_rows["total"]),
            ("（再掲） rows", units_rows["restated"]),
            ("割合 rows", units_rows["share"]),
            ("notes and other rows", units_rows["other"]),
            (
                "whole-city sheets (checked against their wards)",
                sum(sum(t.rows.values()) for t in by_kind["designated_city"]),
            ),
            ("prefecture sheet (checked against the units)", sum(sum(t.rows.values()) for t in by_kind["prefecture"])),
        ),
    ).check()
    return IpssResult(
        population=POPULATION_SCHEMA.validate(population),
        qa=qa,
        counts=counts,
        file=where,
        sheets={**kinds, "skipped": skipped},
        checks=checks,
    )
