"""``make bench`` figures for the national results file: a full-size 「全国集計（市町村）」.

Builds one workbook in the real layout with the sample generator (1,779 data rows x 1,563
columns, 令和8年度, every 該当状況 answer column) in a temporary folder, then measures in
fresh processes, so that each peak memory is that of the step alone:

- ``clean``: :func:`homecare.scores.clean.clean_file` (what notebook 01 and ``homecare scores
  clean`` run): seconds and the peak resident memory of the process, interpreter and imports
  included (target: 10 s, 1 GB);
- ``calamine`` / ``openpyxl``: reading every cell value of the sheet, python-calamine
  (``to_python``) against openpyxl read-only (``iter_rows(values_only=True)``).

Figures are printed, never asserted.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from homecare_dev.bench.scratch import scratch_folder

TARGET_SECONDS = 10.0
TARGET_MB = 1024.0
FISCAL_YEAR = 2026


def _peak_mb() -> float:
    """Peak resident memory of this process since it started (VmHWM, which execve resets;
    ``ru_maxrss`` would also count the parent's pages from before the exec)."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def child(mode: str, path: str) -> dict[str, float | str]:
    """One measurement in this process (run by :func:`main` in a fresh interpreter)."""
    if mode == "clean":
        from homecare.scores import clean

        t0 = time.perf_counter()
        result = clean.clean_file(path, FISCAL_YEAR)
        seconds = time.perf_counter() - t0
        note = (
            f"{clean.reconciliation(result.counts).line()}; {len(result.scores):,} item scores of "
            f"{result.scores['municipality_code'].nunique()} insurers; national benchmark of "
            f"{len(result.benchmark)} columns and {len(result.insurers):,} insurers; "
            f"{result.without_insurer_number[FISCAL_YEAR]} rows without 保険者番号"
        )
    elif mode == "calamine":
        import python_calamine

        t0 = time.perf_counter()
        wb = python_calamine.CalamineWorkbook.from_path(path)
        rows = wb.get_sheet_by_name(wb.sheet_names[0]).to_python(skip_empty_area=False)
        seconds = time.perf_counter() - t0
        note = f"{len(rows):,} rows x {len(rows[0]):,} columns"
    elif mode == "openpyxl":
        from openpyxl import load_workbook

        t0 = time.perf_counter()
        wb = load_workbook(path, read_only=True, data_only=True)
        rows = list(wb.worksheets[0].iter_rows(values_only=True))
        seconds = time.perf_counter() - t0
        note = f"{len(rows):,} rows x {max(len(r) for r in rows):,} columns"
    else:
        raise ValueError(f"unknown mode {mode!r}")
    return {"mode": mode, "seconds": seconds, "peak_mb": _peak_mb(), "note": note}


def _measure(mode: str, path: Path) -> dict[str, float | str]:
    proc = subprocess.run(
        [sys.executable, "-m", "homecare_dev.bench.scores", "--child", mode, str(path)],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{mode} failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> dict[str, dict]:
    """Build the full-size file, then print clean and read figures."""
    from homecare_dev.samples import national_scores

    with scratch_folder("homecare-bench-scores-") as tmp:
        path = tmp / "zenkoku_shukei_full_size.xlsx"
        t0 = time.perf_counter()
        sheet = national_scores.build_national(FISCAL_YEAR, full=True)
        national_scores.write_national(sheet, path, deterministic=False)
        built = time.perf_counter() - t0
        n_rows, n_cols = len(sheet.body), len(sheet.header[1])
        print(
            f"generated a full-size 全国集計（市町村） ({n_rows:,} data rows x {n_cols:,} columns, "
            f"{path.stat().st_size / 2**20:.1f} MB) in {built:.1f} s (not timed below)"
        )
        figures = {mode: _measure(mode, path) for mode in ("clean", "calamine", "openpyxl")}
    c = figures["clean"]
    ok = c["seconds"] <= TARGET_SECONDS and c["peak_mb"] <= TARGET_MB
    print(
        f"clean_file: {c['seconds']:.2f} s, peak memory (max RSS of the process) {c['peak_mb']:.0f} MB "
        f"[targets <= {TARGET_SECONDS:.0f} s, <= {TARGET_MB:.0f} MB: {'ok' if ok else 'ABOVE TARGET'}]"
    )
    print(f"  {c['note']}")
    for mode in ("calamine", "openpyxl"):
        r = figures[mode]
        print(f"read every cell, {mode:8s}: {r['seconds']:6.2f} s, peak {r['peak_mb']:5.0f} MB ({r['note']})")
    ratio = figures["openpyxl"]["seconds"] / figures["calamine"]["seconds"]
    print(f"python-calamine reads {ratio:.1f}x faster than openpyxl read-only: the reader uses python-calamine")
    return figures


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], sys.argv[3]), ensure_ascii=False))
    else:
        main()
