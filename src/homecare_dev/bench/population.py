"""Reading the IPSS 令和5年推計 workbook (one prefecture, the real layout): seconds to read the
62 sheets and to check and assemble the population table, on the committed sample (the same
size as the real 神奈川県 file). Printed, never asserted."""

from __future__ import annotations

import time

from homecare.population import ipss

WORKBOOK = "data/raw/sample/population/ipss/14.xlsx"


def ipss_workbook(repeat: int = 3) -> None:
    """Best of ``repeat`` runs of :func:`ipss.read_workbook` and :func:`ipss.assemble`."""
    read_s, check_s = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        where, tables, skipped = ipss.read_workbook(WORKBOOK)
        t1 = time.perf_counter()
        result = ipss.assemble(where, tables, skipped)
        t2 = time.perf_counter()
        read_s.append(t1 - t0)
        check_s.append(t2 - t1)
    cells = sum(result.checks.values())
    print(
        f"IPSS workbook {WORKBOOK}: {len(tables)} sheets read in {min(read_s):.2f} s; "
        f"{cells:,} cells checked and {len(result.population):,} rows assembled in {min(check_s):.2f} s"
    )
