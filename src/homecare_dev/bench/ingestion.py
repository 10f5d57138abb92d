"""National-file ingestion benchmark (全国ファイルの読み込み性能): ``make bench`` /
``python -m homecare_dev.bench ingestion``.

1. Builds a synthetic national 介護サービス情報公表 file in the real layout (the 24-column header,
   UTF-8 with BOM, CRLF, every prefecture, about 5 % of the rows in Kanagawa, 6-digit codes with
   check digits, 事業所番号, 定員 0, some 住所 without prefecture or city) of tens of thousands of
   rows, and times :func:`homecare.facilities.read.read_care` on it: read (encoding detection,
   CSV parse), scope by the file's own codes, code checks, capacity, address building. The
   process is pinned to one CPU while timing. Floor: 50,000 rows/s.
2. Runs stages 02-03 (the notebooks, through ``homecare run --only``) on the shared real files
   (jigyosho_332/540/550 and the 医療情報ネット hospital file, from the catalog) in temporary
   output folders and prints the wall time of each stage and of both. Floor: 20 s.

Figures are printed, never asserted (tests must not depend on machine speed).
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

from homecare.core import paths
from homecare.facilities import read
from homecare.facilities.address import PREFECTURES
from homecare.reference import catalog, municipalities
from homecare_dev.bench.scratch import scratch_folder

ROWS = 60_000
RUNS = 5
FLOOR_ROWS_PER_S = 50_000
FLOOR_STAGES_S = 20.0
REAL_CARE = ("real_jigyosho_332", "real_jigyosho_540", "real_jigyosho_550")
REAL_HOSPITAL = "real_hospital_20251201_kanagawa"
_HEADER = (
    "都道府県コード又は市町村コード,No,都道府県名,市区町村名,事業所名,事業所名カナ,サービスの種類,住所,方書（ビル名等）,"
    "緯度,経度,電話番号,FAX番号,法人番号,法人の名称,事業所番号,利用可能曜日,利用可能曜日特記事項,定員,URL,"
    "高齢者の方と障害者の方が同時一体的に利用できるサービス,介護保険の通常の指定基準を満たしている,"
    "障害福祉の通常の指定基準を満たしている,備考"
).split(",")


def national_file(path: Path, rows: int = ROWS, seed: int = 11) -> Path:
    """Write a synthetic national jigyosho_430.csv (居宅介護支援, one of the largest national
    files) in the real layout; returns ``path``."""
    rng = random.Random(seed)
    units = municipalities.units()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(_HEADER)
    for i in range(rows):
        if rng.random() < 0.05:
            unit = units.iloc[rng.randrange(len(units))]
            code5, pref = unit["municipality_code"], "神奈川県"
            muni = (unit["city"] + unit["name"]) if unit["city"] else unit["name"]
        else:
            p = rng.choice([k for k in range(1, 48) if k != 14])
            code5, pref, muni = f"{p:02d}{rng.randint(201, 230):03d}", PREFECTURES[p - 1], f"市{rng.randint(1, 30)}市"
        town = f"町{rng.randint(1, 400)}"
        written = rng.choice(
            [f"{pref}{muni}{town}1-2-3", f"{muni}{town}{rng.randint(1, 999)}番地", f"{town}4丁目5番6号"]
        )
        office = f"{code5[:2]}{i:08d}"
        w.writerow(
            [
                municipalities.to_code6(code5),
                office,
                pref,
                muni,
                f"ケアプランセンター{i}",
                "",
                "居宅介護支援",
                written,
                "",
                f"{35 + rng.random():.15f}",
                f"{139 + rng.random():.15f}",
                "045-000-0000",
                "",
                f"{rng.randint(10**12, 10**13 - 1)}",
                "株式会社テスト",
                office,
                "",
                "",
                rng.choice(["0", "0", ""]),
                "",
                "",
                "",
                "",
                "",
            ]
        )
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))
    return path


def _one_cpu() -> str:
    """Pin this process to one CPU while timing (Linux); says what was done."""
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity)"


def ingestion(rows: int = ROWS, runs: int = RUNS) -> dict[str, float]:
    """Time read + scope + code check of a synthetic national file; print rows/s."""
    with scratch_folder("homecare-bench-national-") as tmp:
        path = national_file(tmp / "jigyosho_430.csv", rows)
        size_mb = path.stat().st_size / 2**20
        before = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
        pinned = _one_cpu()
        try:
            read.read_care(path)  # warm: imports, reference tables, the gazetteer's name index
            times, cpu = [], []
            for _ in range(runs):
                t0, c0 = time.perf_counter(), time.process_time()
                res = read.read_care(path)
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
        finally:
            if before is not None:
                os.sched_setaffinity(0, before)
    median, best, cpu_median = statistics.median(times), min(times), statistics.median(cpu)
    load = f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs" if hasattr(os, "getloadavg") else ""
    print(f"national file (synthetic, real 24-column layout): {rows:,} rows, {size_mb:.1f} MB; {res.counts.line()}")
    print(
        f"read + scope + code check (read_care), one core ({pinned}; {load}), {runs} runs: "
        f"median {median:.2f} s = {rows / median:,.0f} rows/s, best {rows / best:,.0f} rows/s, "
        f"CPU time {cpu_median:.2f} s = {rows / cpu_median:,.0f} rows/s  "
        f"[floor {FLOOR_ROWS_PER_S:,} rows/s (median wall): {'met' if rows / median >= FLOOR_ROWS_PER_S else 'NOT MET'}]"
    )
    return {"rows": float(rows), "median_s": median, "rows_per_s": rows / median, "cpu_rows_per_s": rows / cpu_median}


def _real_params(tmp: Path) -> Path:
    """The default parameter file with stage 02 reading the real files (from the catalog)."""
    params = yaml.safe_load((paths.project_root() / "params/default.yaml").read_text(encoding="utf-8"))
    section = params["notebooks"]["02_facilities"]
    section["hospital_file"] = paths.relative(catalog.path_of(REAL_HOSPITAL))
    section["clinic_file"] = ""
    section["care_files"] = [paths.relative(catalog.path_of(f)) for f in REAL_CARE]
    out = tmp / "params_real.yaml"
    out.write_text(yaml.safe_dump(params, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def stages_on_real_files() -> dict[str, float]:
    """Wall time of stages 02-03 (``homecare run --only 02 --only 03 --force``) on the real files."""
    with scratch_folder("homecare-bench-real-") as tmp:
        env = {
            **os.environ,
            "HOMECARE_OUTPUTS_DIR": str(tmp / "outputs"),
            "HOMECARE_PROCESSED_DIR": str(tmp / "processed"),
        }
        (tmp / "processed").mkdir()
        cmd = [str(Path(sys.executable).with_name("homecare")), "run", "--params", str(_real_params(tmp))]
        cmd += ["--only", "02", "--only", "03", "--force"]
        t0, c0 = time.perf_counter(), _children_cpu()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=paths.project_root())
        wall, cpu = time.perf_counter() - t0, _children_cpu() - c0
        if proc.returncode != 0:
            raise RuntimeError(f"homecare run failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
        # a parameter file other than params/default.yaml is a scenario: its own outputs folder,
        # where a first run also runs the stages not chosen (a run never mixes stages)
        latest = tmp / "outputs" / "scenarios" / "params_real" / "latest"
        manifest = json.loads((latest / "manifest.json").read_text(encoding="utf-8"))
        stages = {s["name"]: s for s in manifest["stages"] if s["name"].startswith(("02_", "03_"))}
        record = json.loads(next((latest / "stages").glob("02_facilities*.json")).read_text(encoding="utf-8"))
    durations = {n: float(s.get("duration_s", 0.0)) for n, s in stages.items()}
    total = sum(durations.values())
    print("stages 02-03 on the real files (jigyosho_332/540/550 + 医療情報ネット hospitals 2025-12-01):")
    for line in record.get("notes", {}).get("reconciliation", {}).items():
        print(f"  {line[0]}: {line[1]}")
    for n, d in durations.items():
        print(f"  {n}: {d:.1f} s (notebook run, kernel start included)")
    load = f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs" if hasattr(os, "getloadavg") else ""
    print(
        f"  02 + 03: {total:.1f} s; the whole command (every stage of a first scenario run) {wall:.1f} s wall, {cpu:.1f} s CPU (all processes; {load})  "
        f"[floor < {FLOOR_STAGES_S:.0f} s (02 + 03 wall): {'met' if total < FLOOR_STAGES_S else 'NOT MET'}]"
    )
    return {"stages_s": total, "command_s": wall, "command_cpu_s": cpu}


def _children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes and their descendants."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    """Entry registered in :data:`homecare_dev.bench.BENCHMARKS`."""
    ingestion()
    stages_on_real_files()


if __name__ == "__main__":
    main()
