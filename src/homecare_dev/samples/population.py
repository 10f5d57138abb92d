"""Deterministic synthetic sample inputs (サンプルデータ) for the population stage.

Writes ``data/raw/sample/population/``: ``ipss/14.xlsx`` (the real layout of the IPSS
日本の地域別将来推計人口（令和5（2023）年推計）workbook of 神奈川県: one sheet per area, 男女計 / 男 / 女
side by side, 2020-2050, 総数 and 20 bands, （再掲） and 割合 rows, whole-city sheets beside the
wards) and ``population_sample.csv`` (the same 男女計 numbers in the population CSV format).
Magnitudes are Kanagawa-like (2020 unit totals rounded from the census, aged share per unit set
by hand), projected by a simple cohort shift with fixed survival and birth ratios so that the
ageing trend looks plausible; the open band 90+ is split into 90-94 and 95+ and every band into
男 and 女 by fixed shares. **Not real projections**: every output computed from them is marked
サンプルデータ.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

from homecare.core import files, paths, provenance
from homecare.population.aggregate import PREFECTURE_TOTAL_CODE
from homecare.population.bands import (
    AGE_BANDS,
    PROJECTION_YEARS,
    SEX_FEMALE,
    SEX_MALE,
    SEX_TOTAL,
    bands_of_measure,
)
from homecare.population.ipss import BAND_LABELS
from homecare.population.schemas import COLUMNS, sort_population
from homecare.reference import municipalities

SAMPLE_FOLDER = "data/raw/sample/population"
CSV_NAME = "population_sample.csv"
WORKBOOK = "ipss/14.xlsx"
SEED = 20231  # fixed: reruns write byte-identical files

# 2020 population (thousands, rounded) and share aged 65+ (%) per unit: plausible, not official
UNIT_BASE: dict[str, tuple[float, float]] = {
    "14101": (295, 21),
    "14102": (247, 21),
    "14103": (105, 20),
    "14104": (151, 23),
    "14105": (198, 26),
    "14106": (206, 26),
    "14107": (164, 29),
    "14108": (196, 32),
    "14109": (358, 19),
    "14110": (282, 26),
    "14111": (214, 31),
    "14112": (243, 31),
    "14113": (183, 25),
    "14114": (122, 30),
    "14115": (121, 34),
    "14116": (152, 30),
    "14117": (310, 24),
    "14118": (215, 19),
    "14131": (231, 22),
    "14132": (170, 21),
    "14133": (264, 16),
    "14134": (235, 18),
    "14135": (222, 20),
    "14136": (233, 21),
    "14137": (180, 25),
    "14151": (168, 32),
    "14152": (272, 26),
    "14153": (279, 24),
    "14201": (388, 32),
    "14203": (258, 29),
    "14204": (172, 31),
    "14205": (436, 25),
    "14206": (189, 31),
    "14207": (242, 28),
    "14208": (57, 31),
    "14210": (42, 40),
    "14211": (161, 31),
    "14212": (223, 26),
    "14213": (240, 25),
    "14214": (100, 28),
    "14215": (136, 26),
    "14216": (132, 27),
    "14217": (41, 34),
    "14218": (84, 29),
    "14301": (32, 32),
    "14321": (48, 29),
    "14341": (31, 35),
    "14342": (27, 38),
    "14361": (9, 36),
    "14362": (17, 31),
    "14363": (11, 36),
    "14364": (10, 41),
    "14366": (18, 25),
    "14382": (11, 42),
    "14383": (7, 45),
    "14384": (23, 43),
    "14401": (40, 33),
    "14402": (3, 40),
}

# The synthetic numbers are made on 19 bands (0-4 ... 85-89, 90+), then 90+ is split
SYNTH_STARTS = np.arange(0, 95, 5)
# Kanagawa-like 2020 age profile (% by band, 0-4 ... 90+)
BASE_PROFILE = np.array([3.8, 4.1, 4.3, 4.5, 5.3, 5.4, 5.7, 6.3, 7.0, 8.4, 7.8, 6.3, 5.6, 5.9, 7.1, 5.3, 3.8, 2.3, 1.2])
# 5-year survival from band i to band i+1 (last: the open band's own survival)
SURVIVAL = np.array(
    [
        0.999,
        0.999,
        0.999,
        0.998,
        0.998,
        0.997,
        0.996,
        0.995,
        0.992,
        0.988,
        0.982,
        0.972,
        0.958,
        0.935,
        0.895,
        0.83,
        0.72,
        0.55,
        0.40,
    ]
)
BIRTHS_PER_25_39 = 0.19  # 0-4 population per person aged 25-39, five years earlier
SHARE_90_94 = 0.73  # of the persons aged 90+, those aged 90-94 (95+ the rest)
# share of men in each of the 20 bands (women the rest): about 51% at birth, 20% at 95+
MALE_SHARE = np.array(
    [0.512, 0.512, 0.512, 0.513, 0.52, 0.525, 0.52, 0.515, 0.51, 0.51]
    + [0.51, 0.505, 0.5, 0.49, 0.475, 0.455, 0.42, 0.37, 0.3, 0.2]
)


def _profile(share65: float) -> np.ndarray:
    """The base profile tilted towards old or young ages until 65+ is ``share65`` percent."""
    mid = SYNTH_STARTS + 2.5
    old = mid >= 65
    lo, hi = -3.0, 3.0
    for _ in range(60):  # bisection on the tilt: monotone in the 65+ share
        k = (lo + hi) / 2
        p = BASE_PROFILE * np.exp(k * (mid - 45) / 40)
        p = p / p.sum()
        lo, hi = (k, hi) if p[old].sum() * 100 < share65 else (lo, k)
    return p


def _project(base: np.ndarray, migration: float) -> list[np.ndarray]:
    """Cohort shift from 2020 over the projection years; ``migration`` scales ages 15-34."""
    young = (SYNTH_STARTS >= 15) & (SYNTH_STARTS < 35)
    series = [base]
    for _ in PROJECTION_YEARS[1:]:
        prev = series[-1]
        nxt = np.empty_like(prev)
        nxt[1:] = prev[:-1] * SURVIVAL[:-1]
        nxt[-1] += prev[-1] * SURVIVAL[-1]  # the open band keeps its own survivors
        nxt[0] = prev[5:8].sum() * BIRTHS_PER_25_39
        nxt[young] *= 1 + migration
        series.append(nxt)
    return series


def _twenty_bands(values: np.ndarray) -> np.ndarray:
    """19 synthetic whole-person counts (… 85-89, 90+) as the 20 IPSS bands (… 90-94, 95+)."""
    top = values[-1]
    aged_90_94 = np.round(top * SHARE_90_94)
    return np.concatenate([values[:-1], [aged_90_94, top - aged_90_94]])


def sample_population() -> pd.DataFrame:
    """The synthetic canonical table (58 units x 7 years x 男女計/男/女 x 20 bands), whole persons:
    男女計 from the synthetic cohort model, 男 by :data:`MALE_SHARE`, 女 = 男女計 - 男."""
    rng = np.random.default_rng(SEED)
    rows = []
    for code in municipalities.units()["municipality_code"]:
        total, share65 = UNIT_BASE[code]
        migration = float(
            np.clip(0.04 + (27 - share65) / 250 + rng.normal(0, 0.004), -0.03, 0.09)
        )  # Kanagawa gains young adults
        noise = rng.normal(1.0, 0.03, len(SYNTH_STARTS))
        base = _profile(share65) * noise
        base = base / base.sum() * total * 1000
        for year, values in zip(PROJECTION_YEARS, _project(base, migration), strict=True):
            persons = _twenty_bands(np.round(values))
            male = np.round(persons * MALE_SHARE)
            for sex, numbers in ((SEX_TOTAL, persons), (SEX_MALE, male), (SEX_FEMALE, persons - male)):
                rows += [(code, year, sex, band, float(v)) for band, v in zip(AGE_BANDS, numbers, strict=True)]
    return sort_population(pd.DataFrame(rows, columns=COLUMNS))


# （再掲） and 割合 rows of the sample sheets, as the real workbook has them after 95歳～
RESTATED = (("0～14歳", "0-14"), ("15～64歳", "15-64"), ("65歳以上", "65+"), ("75歳以上", "75+"))
SEX_BLOCKS = (("男女計", SEX_TOTAL), ("男", SEX_MALE), ("女", SEX_FEMALE))
TITLE = (
    "【サンプルデータ・架空の数値】男女・年齢（5歳）階級別の推計人口"
    "（各年10月1日時点の推計人口：2020年は国勢調査による実績値）"
)


def _area_values(pop: pd.DataFrame) -> dict[str, dict[str, np.ndarray]]:
    """Per sheet code (prefecture, designated cities, units) and sex: a 20 bands x years array.
    Cities and the prefecture are the sums of their units."""
    years = list(PROJECTION_YEARS)
    out: dict[str, dict[str, np.ndarray]] = {}
    for (code, sex), grp in pop.groupby(["municipality_code", "sex"]):
        wide = grp.pivot(index="age_band", columns="year", values="population").reindex(index=list(AGE_BANDS))
        out.setdefault(str(code), {})[str(sex)] = wide[years].to_numpy()
    parents = municipalities.units().set_index("municipality_code")["parent_code"]
    wholes = {**{c: list(m.index) for c, m in parents[parents != ""].groupby(parents[parents != ""])}}
    wholes[PREFECTURE_TOTAL_CODE] = list(municipalities.units()["municipality_code"])
    for whole, members in wholes.items():
        out[str(whole)] = {sex: sum(out[m][sex] for m in members) for _, sex in SEX_BLOCKS}
    return out


def _sheet_rows(values: dict[str, np.ndarray]) -> list[list[object]]:
    """Rows 4 on of one sheet: header, 総数, 20 bands, （再掲）, blank rows, 割合, a note."""
    years = list(PROJECTION_YEARS)
    index = {b: i for i, b in enumerate(AGE_BANDS)}

    def line(label: str, numbers: dict[str, list[object]]) -> list[object]:
        row: list[object] = []
        for heading, sex in SEX_BLOCKS:
            row += [label or heading, *numbers[sex], None]
        return row[:-1]

    def counts(bands: list[str]) -> dict[str, list[object]]:
        rows = [index[b] for b in bands]
        return {sex: [int(v) for v in values[sex][rows].sum(axis=0)] for _, sex in SEX_BLOCKS}

    rows = [line("", {sex: [f"{y}年" for y in years] for _, sex in SEX_BLOCKS})]
    rows.append(line("総数", counts(list(AGE_BANDS))))
    rows += [line(label, counts([band])) for label, band in zip(BAND_LABELS, AGE_BANDS, strict=True)]
    rows += [line(f"（再掲）{label}", counts(bands_of_measure(m))) for label, m in RESTATED]
    rows += [[None], [None]]
    total = counts(list(AGE_BANDS))
    for label, measure in RESTATED:
        part = counts(bands_of_measure(measure))
        share = {sex: [round(100 * a / b, 1) for a, b in zip(part[sex], total[sex], strict=True)] for sex in part}
        rows.append(line(f"年齢別割合（{label}）（％）", share))
    rows += [
        [None],
        ["注：【サンプルデータ】架空の数値。2020年は国勢調査による実績値、2025年以降は推計値（様式の例）。"],
    ]
    return rows


def _sheet_name(code: str) -> str:
    if code == PREFECTURE_TOTAL_CODE:
        return municipalities.PREFECTURE
    row = municipalities.load_municipalities().set_index("municipality_code").loc[code]
    return str(row["full_name"] if row["unit_type"] == "ward" else row["name"])


def _workbook_bytes(pop: pd.DataFrame) -> bytes:
    """The sample in the real IPSS 令和5年推計 workbook layout: the prefecture sheet first, then
    every area in code order (whole-city sheets just before their wards)."""
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "homecare sample"
    wb.properties.created = files.FIXED_TIME
    wb.properties.modified = files.FIXED_TIME
    for code, values in sorted(_area_values(pop).items()):
        name = _sheet_name(code)
        ws = wb.create_sheet(f"{code}_{name}")
        ws.cell(row=1, column=1, value=TITLE)
        ws.cell(row=2, column=1, value=int(code))
        ws.cell(row=2, column=2, value=name)
        ws.cell(row=3, column=1, value="（単位：人、割合は％）")
        for i, row in enumerate(_sheet_rows(values), start=4):
            for j, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=i, column=j, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    return files.normalise_zip(buf.getvalue())  # fixed zip/document times: byte-identical reruns


def write_samples(folder: str | Path = SAMPLE_FOLDER) -> list[Path]:
    """(Re)write every sample file and the folder's SAMPLES.sha256 registry; returns the files."""
    root = paths.resolve(folder)
    pop = sample_population()
    written = [write_population_csv(pop[pop["sex"] == SEX_TOTAL], root / CSV_NAME)]
    path = root / WORKBOOK
    files.atomic_write_bytes(path, _workbook_bytes(pop))
    written.append(path)
    provenance.write_sample_registry(root)
    return written


def write_population_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """Write the canonical table in the CSV format (UTF-8 with BOM, names added for people); the
    ``sex`` column only when the rows are not all 男女計."""
    names = municipalities.units().set_index("municipality_code")["full_name"]
    columns = COLUMNS if (df["sex"] != SEX_TOTAL).any() else [c for c in COLUMNS if c != "sex"]
    out = df[columns].copy()
    out.insert(1, "municipality_name", out["municipality_code"].map(names))
    if (out["population"] % 1 == 0).all():  # whole persons read better without ".0"
        out["population"] = out["population"].astype("int64")
    p = paths.resolve(path)
    files.atomic_write_bytes(p, files.csv_bytes(out))
    return p
