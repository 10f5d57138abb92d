"""Five-year age bands (5歳階級) and sexes (男女) used by every population table.

Bands are those of the IPSS 令和5（2023）年推計: ``0-4`` ... ``85-89``, ``90-94`` and the open band
``95+`` (20 bands). Sexes are ``total`` (男女計), ``male`` (男) and ``female`` (女). Labels are
plain ASCII so that they survive CSV round trips and Excel; Japanese spellings found in source
files (``0～4歳``, ``95歳～``, ``95歳以上``, ``男女計``) are parsed to them here.
Terms: docs/glossary.md.
"""

from __future__ import annotations

import re

from homecare.core.labels import compact_label as normalise_label  # a label as compared

OPEN_BAND_START = 95  # IPSS 令和5年推計 ends with 90～94歳 and 95歳～
AGE_BANDS: tuple[str, ...] = tuple(f"{a}-{a + 4}" for a in range(0, OPEN_BAND_START, 5)) + (f"{OPEN_BAND_START}+",)
PROJECTION_YEARS: tuple[int, ...] = tuple(range(2020, 2051, 5))  # IPSS 令和5年推計: 2020 (census) to 2050

SEX_TOTAL, SEX_MALE, SEX_FEMALE = "total", "male", "female"
SEXES: tuple[str, ...] = (SEX_TOTAL, SEX_MALE, SEX_FEMALE)
SEX_LABELS = {SEX_TOTAL: "男女計", SEX_MALE: "男", SEX_FEMALE: "女"}
_SEX_SPELLINGS = {
    **{s: s for s in SEXES},
    "男女計": SEX_TOTAL,
    "総数": SEX_TOTAL,
    "計": SEX_TOTAL,
    "男": SEX_MALE,
    "女": SEX_FEMALE,
}

_RANGE = re.compile(r"^(\d{1,3})\s*[-~〜～－ー‐]\s*(\d{1,3})\s*歳?$")
_OPEN = re.compile(r"^(\d{1,3})\s*(?:歳以上|\+|歳\+|以上|歳[~〜～])$")


def band_start(band: str) -> int:
    """Lower age of a band label (``'65-69'`` -> 65, ``'95+'`` -> 95)."""
    return int(re.match(r"\d+", band).group())


def band_end(band: str) -> int | None:
    """Upper age of a band label (``'65-69'`` -> 69), ``None`` for the open band."""
    return None if band.endswith("+") else int(band.split("-")[1])


def age_group(text: object) -> tuple[int, int | None] | None:
    """(lowest, highest or ``None`` for open) age of any written age group (``'0～4歳'``,
    ``'65歳以上'``, ``'95歳～'``, ``'90+'``), ``None`` when the text is not an age group."""
    s = normalise_label(text)
    m = _RANGE.match(s)
    if m:
        return int(m.group(1)), int(m.group(2))
    m = _OPEN.match(s)
    return (int(m.group(1)), None) if m else None


def parse_band(text: object) -> str | None:
    """Band label for any accepted spelling (``'0～4歳'``, ``'０－４'``, ``'95歳～'``, ``'95歳以上'``,
    ``'95+'``), ``None`` when ``text`` is not one of the 20 bands (``90歳以上`` is not: it is two)."""
    group = age_group(text)
    if group is None:
        return None
    lo, hi = group
    label = f"{lo}+" if hi is None else f"{lo}-{hi}"
    return label if label in AGE_BANDS else None


def parse_sex(text: object) -> str | None:
    """``total``, ``male`` or ``female`` for any accepted spelling (男女計, 総数, 計, 男, 女, or the
    English words), ``None`` otherwise."""
    return _SEX_SPELLINGS.get(normalise_label(text).lower())


def bands_between(lo: int, hi: int | None) -> list[str]:
    """The bands covering ages ``lo`` to ``hi`` (``None`` = no upper limit). Raises ValueError
    when the range does not start and end on band boundaries (e.g. 15-39 is fine, 15-37 not)."""
    if lo % 5:
        raise ValueError(f"age {lo} is not the start of a 5-year band")
    if hi is not None and (hi + 1) % 5:
        raise ValueError(f"age {hi} is not the end of a 5-year band")
    if hi is not None and hi >= OPEN_BAND_START:
        raise ValueError(f"ages above {OPEN_BAND_START - 1} are one open band ({OPEN_BAND_START}+): use '{lo}+'")
    if lo > OPEN_BAND_START:
        raise ValueError(f"age {lo} is inside the open band {OPEN_BAND_START}+")
    return [
        b for b in AGE_BANDS if band_start(b) >= lo and (hi is None or (band_end(b) is not None and band_end(b) <= hi))
    ]


MEASURE_TOTAL = "total"  # 総人口
MEASURE_65 = "65+"  # 65歳以上人口（老年人口）
MEASURE_75 = "75+"  # 75歳以上人口（後期高齢者）


def bands_of_measure(measure: str) -> list[str]:
    """The bands a measure adds up: ``total`` -> all 20, ``65+`` -> 65-69 ... 95+, ``15-64`` ->
    15-19 ... 60-64, a band -> itself."""
    if measure == MEASURE_TOTAL:
        return list(AGE_BANDS)
    if measure in AGE_BANDS:
        return [measure]
    if measure.endswith("+") and measure[:-1].isdigit():
        return bands_between(int(measure[:-1]), None)
    m = re.fullmatch(r"(\d+)-(\d+)", measure)
    if m:
        return bands_between(int(m.group(1)), int(m.group(2)))
    raise ValueError(f"unknown population measure {measure!r}")
