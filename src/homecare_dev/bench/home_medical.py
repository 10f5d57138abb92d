"""Home-care list benchmark: ``make bench`` / ``python -m homecare_dev.bench home_medical``.

Times the 届出受理医療機関名簿 adapter on the real 山梨 file (read through the catalog) and on the
same rows repeated to the size of a large prefecture's list (about 60,000 rows, as 神奈川県's
is expected to be), and the データ集 adapter on the committed sample. Figures are printed, never
asserted (tests must not depend on machine speed).
"""

from __future__ import annotations

import time
from pathlib import Path

from openpyxl import Workbook

from homecare.home_medical.read_databook import read_databook
from homecare.home_medical.read_notifications import read_notification_list
from homecare.home_medical.sheets import open_workbook
from homecare.reference import catalog
from homecare_dev.bench.scratch import scratch_folder

REAL_LIST = "real_todokede_ika_yamanashi_r0710"
DATABOOK_SAMPLE = "data/raw/sample/home_medical/zaitaku_chiiki_data_sample.xlsx"
TARGET_ROWS = 60_000


def _timed(label: str, rows: int, func) -> None:
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    print(f"{label}: {rows:,} rows in {seconds:.2f} s ({rows / seconds:,.0f} rows/s); {result.counts.line()}")


def _scaled_copy(path: Path, folder: Path) -> tuple[Path, int]:
    """The real list's rows repeated (institution numbers made unique) to about TARGET_ROWS."""
    grid = next(iter(open_workbook(path).sheets.values()))
    head, body = grid[:4], grid[4:]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    for row in head:
        ws.append(row)
    copies = max(1, TARGET_ROWS // len(body))
    for k in range(copies):
        for row in body:
            out = list(row)
            out[4] = f"{k:02d}{out[4][2:]}"  # 医療機関番号: the copy in place of the area digits
            ws.append(out)
    target = folder / "scaled_list.xlsx"
    wb.save(target)
    return target, copies * len(body)


def main() -> None:
    """Print rows/s of both adapters."""
    real = catalog.path_of(REAL_LIST)
    _timed("届出受理医療機関名簿 (real 山梨)", 4857, lambda: read_notification_list(real, prefecture="19"))
    with scratch_folder("homecare-bench-list-") as tmp:
        scaled, n = _scaled_copy(real, tmp)
        _timed("届出受理医療機関名簿 (山梨 rows x copies)", n, lambda: read_notification_list(scaled, prefecture="19"))
    _timed("地域別データ集 (sample)", 80, lambda: read_databook(DATABOOK_SAMPLE))


if __name__ == "__main__":
    main()
