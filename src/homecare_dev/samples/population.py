"""Deterministic synthetic sample inputs (サンプルデータ) for the population stage.

Writes ``data/raw/sample/population/``: ``population_sample.csv`` (the CSV format, all 58
units, 2020-2050, 19 bands) and ``ipss/*.xlsx`` (the same numbers in the IPSS municipal
workbook layout, one workbook per measure). Magnitudes are Kanagawa-like (2020 unit totals
rounded from the census, aged share per unit set by hand), projected by a simple cohort
shift with fixed survival and birth ratios so that the ageing trend looks plausible.
**Not real projections**: every output computed from them is marked サンプルデータ.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

from homecare.core import files, paths, provenance
from homecare.population import ipss
from homecare.population.aggregate import PREFECTURE_TOTAL_CODE, measure_by_code
from homecare.population.bands import AGE_BANDS, MEASURE_65, MEASURE_75, MEASURE_TOTAL, PROJECTION_YEARS, band_start
from homecare.population.schemas import COLUMNS, sort_population
from homecare.reference import municipalities

SAMPLE_FOLDER = "data/raw/sample/population"
CSV_NAME = "population_sample.csv"
IPSS_FOLDER = "ipss"
SAMPLE_FLAGS = {"0": "prefecture", "1": "designated_city", "2": "ward", "3": "city", "4": "town_village"}
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


def _profile(share65: float) -> np.ndarray:
    """The base profile tilted towards old or young ages until 65+ is ``share65`` percent."""
    mid = np.array([band_start(b) + 2.5 for b in AGE_BANDS])
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
    young = np.array([15 <= band_start(b) < 35 for b in AGE_BANDS])
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


def sample_population() -> pd.DataFrame:
    """The synthetic canonical table (58 units x 7 years x 19 bands), rounded to whole persons."""
    rng = np.random.default_rng(SEED)
    rows = []
    for code in municipalities.units()["municipality_code"]:
        total, share65 = UNIT_BASE[code]
        migration = float(
            np.clip(0.04 + (27 - share65) / 250 + rng.normal(0, 0.004), -0.03, 0.09)
        )  # Kanagawa gains young adults
        noise = rng.normal(1.0, 0.03, len(AGE_BANDS))
        base = _profile(share65) * noise
        base = base / base.sum() * total * 1000
        for year, values in zip(PROJECTION_YEARS, _project(base, migration), strict=True):
            for band, value in zip(AGE_BANDS, values, strict=True):
                rows.append((code, year, band, float(round(value))))
    return sort_population(pd.DataFrame(rows, columns=["municipality_code", "year", "age_band", "population"]))


def _workbook_bytes(title: str, table: pd.DataFrame) -> bytes:
    """One IPSS-layout workbook: title rows 1-3, header row 4, data from row 5."""
    wb = Workbook()
    ws = wb.active
    ws.title = "推計結果"
    wb.properties.creator = "homecare sample"
    wb.properties.created = files.FIXED_TIME
    wb.properties.modified = files.FIXED_TIME
    ws.cell(row=1, column=1, value=f"【サンプルデータ・架空】日本の地域別将来推計人口（令和5（2023）年推計） {title}")
    ws.cell(row=2, column=1, value="神奈川県　市区町村別（単位：人）")
    ws.cell(row=3, column=1, value=ipss.TYPE_FLAG_NOTE)
    header = ["コード", "区分", "都道府県", "市区町村", *[f"{y}年" for y in PROJECTION_YEARS]]
    for j, text in enumerate(header, start=1):
        ws.cell(row=4, column=j, value=text)
    for i, rec in enumerate(table.itertuples(index=False), start=5):
        for j, value in enumerate(rec, start=1):
            ws.cell(row=i, column=j, value=value.item() if hasattr(value, "item") else value)
    buf = io.BytesIO()
    wb.save(buf)
    return files.normalise_zip(buf.getvalue())  # fixed zip/document times: byte-identical reruns


def _ipss_rows(pop: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Prefecture, designated-city, ward and municipality rows (code order) for one measure."""
    table = municipalities.load_municipalities().set_index("municipality_code")
    wide = (
        measure_by_code(pop, measure).pivot(index="municipality_code", columns="year", values="population").sort_index()
    )
    flag_of = {v: k for k, v in SAMPLE_FLAGS.items()}
    rows = []
    for code, values in wide.iterrows():
        kind = "prefecture" if code == PREFECTURE_TOTAL_CODE else ipss.UNIT_TYPE_KIND[table.at[code, "unit_type"]]
        name = "" if code == PREFECTURE_TOTAL_CODE else table.at[code, "full_name"]
        rows.append([code, flag_of[kind], municipalities.PREFECTURE, name, *[int(values[y]) for y in PROJECTION_YEARS]])
    return pd.DataFrame(rows)


def write_samples(folder: str | Path = SAMPLE_FOLDER) -> list[Path]:
    """(Re)write every sample file and the folder's SAMPLES.sha256 registry; returns the files."""
    root = paths.resolve(folder)
    pop = sample_population()
    written = [write_population_csv(pop, root / CSV_NAME)]
    for stem, title, measure in sample_measures():
        path = root / IPSS_FOLDER / f"{stem}.xlsx"
        files.atomic_write_bytes(path, _workbook_bytes(title, _ipss_rows(pop, measure)))
        written.append(path)
    provenance.write_sample_registry(root)
    return written


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


def sample_measures() -> list[tuple[str, str, str]]:
    """(file stem, title, measure) of the sample workbooks: 総人口, 65+, 75+ and the 19 bands."""
    out = [
        ("total", "総人口", MEASURE_TOTAL),
        ("age65plus", "65歳以上人口", MEASURE_65),
        ("age75plus", "75歳以上人口", MEASURE_75),
    ]
    for band in AGE_BANDS:
        title = f"{band[:-1]}歳以上人口" if band.endswith("+") else f"{band.replace('-', '～')}歳人口"
        start = band.rstrip("+").split("-")[0]
        stem = (
            f"age_{int(start):02d}plus" if band.endswith("+") else f"age_{int(start):02d}_{int(band.split('-')[1]):02d}"
        )
        out.append((stem, title, band))
    return out
