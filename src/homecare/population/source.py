"""One entry point for the population source (人口データの読込) named in the notebook parameters:
an IPSS workbook folder or a population CSV, returned as the canonical unit table."""

from __future__ import annotations

import pandas as pd

from homecare.core import provenance
from homecare.core.errors import ParameterError
from homecare.population import apportion, ipss, table

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
        pop = table.load_population_csv(source)
        print(f"population CSV {source}: {len(pop):,} rows")
        return pop
    base = table.load_population_csv(ward_base_csv) if ward_base_csv else None
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
