"""Japanese era dates (和暦) and fiscal years (年度), in one place.

Fiscal years run April-March and are named by their starting calendar year (2025 =
令和7年度). Eras: 令和 from 2019-05-01 (令和元年 = 2019), 平成 from 1989-01-08 (平成元年 =
1989), 昭和 from 1926-12-25. Every conversion between calendar years and era years in the
package goes through this module. Terms: docs/glossary.md.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

ERA_START_YEAR = {"令和": 2019, "平成": 1989, "昭和": 1926}  # calendar year of 元年
REIWA_START = ERA_START_YEAR["令和"]
_ERA_DATE = re.compile(r"(令和|平成|昭和)\s*(元|\d+)\s*年\s*(\d+)\s*月\s*(\d+)\s*日")
_FISCAL = re.compile(r"令和\s*(元|\d+)\s*年度")
_AS_OF = re.compile(_ERA_DATE.pattern + r"\s*現在")


def era_year(era: str, number: str | int) -> int:
    """Calendar year of an era year: ("令和", "元") -> 2019, ("平成", 24) -> 2012."""
    if era not in ERA_START_YEAR:
        raise ValueError(f"unknown era {era!r}; known: {', '.join(ERA_START_YEAR)}")
    n = 1 if str(number) == "元" else int(unicodedata.normalize("NFKC", str(number)))
    if n < 1:
        raise ValueError(f"era year must be 元 or a positive number, got {number!r}")
    return ERA_START_YEAR[era] + n - 1


def reiwa_number(year: int) -> int:
    """The 令和 year number of a calendar (or fiscal) year: 2025 -> 7, 2019 -> 1."""
    n = year - REIWA_START + 1
    if n < 1:
        raise ValueError(f"year {year} is before 令和")
    return n


def reiwa_fiscal_year(fiscal_year: int) -> str:
    """Fiscal year (April-March, starting year) as 令和N年度: 2025 -> 令和7年度, 2019 -> 令和元年度."""
    try:
        n = reiwa_number(fiscal_year)
    except ValueError:
        raise ValueError(f"fiscal year {fiscal_year} is before 令和") from None
    return "令和元年度" if n == 1 else f"令和{n}年度"


def reiwa_year_month(year: int, month: int) -> str:
    """A month as 令和N年M月 (2025, 12 -> 令和7年12月)."""
    n = reiwa_number(year)
    return f"令和{'元' if n == 1 else n}年{month}月"


def fiscal_years_in(text: object) -> list[int]:
    """Every 令和N年度 written in ``text`` as fiscal years (令和7年度 -> 2025; full-width digits ok)."""
    s = unicodedata.normalize("NFKC", "" if text is None else str(text))
    return [era_year("令和", m.group(1)) for m in _FISCAL.finditer(s)]


def parse_era_date(text: object) -> date | None:
    """A 和暦 date as written (「平成24年 4月 1日」, 「令和７年９月１日」, 「令和元年5月1日」) -> date;
    ``None`` when ``text`` holds no era date. Raises ValueError for an impossible date."""
    s = unicodedata.normalize("NFKC", "" if text is None else str(text))
    m = _ERA_DATE.search(s)
    if m is None:
        return None
    return date(era_year(m.group(1), m.group(2)), int(m.group(3)), int(m.group(4)))


def parse_as_of_date(text: object) -> date | None:
    """The 和暦 date written before 現在 (「[令和７年９月１日 現在 ]令和７年１０月２日作成」 -> 2025-09-01,
    not the date the file was made); ``None`` when ``text`` holds no such date. Raises ValueError
    for an impossible date."""
    s = unicodedata.normalize("NFKC", "" if text is None else str(text))
    m = _AS_OF.search(s)
    if m is None:
        return None
    return date(era_year(m.group(1), m.group(2)), int(m.group(3)), int(m.group(4)))
