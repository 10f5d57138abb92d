"""Five-year age bands (5歳階級) used by every population table: ``0-4`` ... ``85-89``, ``90+``.

Band labels are plain ASCII so that they survive CSV round trips and Excel; Japanese
spellings found in source files (``0～4歳``, ``90歳以上``) are parsed to them here.
"""

from __future__ import annotations

import re
import unicodedata

OPEN_BAND_START = 90  # IPSS 令和5年推計 and 国勢調査 tables end with 90歳以上
AGE_BANDS: tuple[str, ...] = tuple(f"{a}-{a + 4}" for a in range(0, OPEN_BAND_START, 5)) + (f"{OPEN_BAND_START}+",)
PROJECTION_YEARS: tuple[int, ...] = tuple(range(2020, 2051, 5))  # IPSS 令和5年推計: 2020 (census) to 2050

_RANGE = re.compile(r"^(\d{1,3})\s*[-~〜～－ー‐]\s*(\d{1,3})\s*歳?$")
_OPEN = re.compile(r"^(\d{1,3})\s*(?:歳以上|\+|歳\+|以上)$")


def band_start(band: str) -> int:
    """Lower age of a band label (``'65-69'`` -> 65, ``'90+'`` -> 90)."""
    return int(re.match(r"\d+", band).group())


def band_end(band: str) -> int | None:
    """Upper age of a band label (``'65-69'`` -> 69), ``None`` for the open band."""
    return None if band.endswith("+") else int(band.split("-")[1])


def parse_band(text: object) -> str | None:
    """Band label for any accepted spelling (``'0～4歳'``, ``'０－４'``, ``'90歳以上'``, ``'90+'``),
    ``None`` when ``text`` is not one of the 19 bands."""
    s = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "")
    m = _RANGE.match(s)
    if m:
        label = f"{int(m.group(1))}-{int(m.group(2))}"
    else:
        m = _OPEN.match(s)
        if not m:
            return None
        label = f"{int(m.group(1))}+"
    return label if label in AGE_BANDS else None


def bands_between(lo: int, hi: int | None) -> list[str]:
    """The bands covering ages ``lo`` to ``hi`` (``None`` = no upper limit). Raises ValueError
    when the range does not start and end on band boundaries (e.g. 15-39 is fine, 15-37 not)."""
    if lo % 5:
        raise ValueError(f"age {lo} is not the start of a 5-year band")
    if hi is not None and (hi + 1) % 5:
        raise ValueError(f"age {hi} is not the end of a 5-year band")
    if hi is not None and hi >= OPEN_BAND_START:
        raise ValueError(f"ages above {OPEN_BAND_START - 1} are one open band ({OPEN_BAND_START}+): use '{lo}+'")
    return [
        b for b in AGE_BANDS if band_start(b) >= lo and (hi is None or (band_end(b) is not None and band_end(b) <= hi))
    ]


MEASURE_TOTAL = "total"  # 総人口
MEASURE_65 = "65+"  # 65歳以上人口（老年人口）
MEASURE_75 = "75+"  # 75歳以上人口（後期高齢者）


def bands_of_measure(measure: str) -> list[str]:
    """The bands a measure adds up: ``total`` -> all 19, ``65+`` -> 65-69 ... 90+, a band -> itself."""
    if measure == MEASURE_TOTAL:
        return list(AGE_BANDS)
    if measure in AGE_BANDS:
        return [measure]
    if measure.endswith("+") and measure[:-1].isdigit():
        return bands_between(int(measure[:-1]), None)
    raise ValueError(f"unknown population measure {measure!r}")
