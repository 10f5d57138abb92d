"""National-scale benchmark of stages 02-03 (全国規模の施設データ): ``make bench`` /
``python -m homecare_dev.bench national``.

Writes 10,000 / 100,000 / 400,000 synthetic facilities (400,000 is about the number of care
offices in the whole country, all placed in the prefecture so that every one reaches the
geocoder) as 介護サービス情報公表 files in the real 24-column layout, spread over the ten service
files of the default parameters, with addresses built from the gazetteer as the geocoder
benchmark writes them (half clean, half messy), distinct house numbers, and source coordinates
that are valid (70 %), 0.0 (15 %), blank (10 %) or swapped (5 %). Each size then runs stages
02-03 through the API as the notebooks call it (read, merge, write ``facilities_raw_merged``;
geocode, write ``facilities`` with its GeoPackage, the QA table, area counts, capacity) in a
fresh child process, which reports its CPU time, wall time and peak memory
(``ru_maxrss``: the imports and reference data are included, the file generation is not;
stage 02's tables are released before stage 03 starts, as in a run, where each notebook has
its own kernel).
Floor: 400,000 facilities in at most 60 s and 1.5 GB. Printed, never asserted.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = (10_000, 100_000, 400_000)
SERVICES = ("130", "510", "520", "550", "320", "331", "332", "540", "430", "770")
SERVICE_NAMES = {
    "130": "訪問看護",
    "510": "介護老人福祉施設",
    "520": "介護老人保健施設",
    "550": "介護医療院",
    "320": "認知症対応型共同生活介護",
    "331": "特定施設入居者生活介護（有料老人ホーム）",
    "332": "特定施設入居者生活介護（軽費老人ホーム）",
    "540": "地域密着型介護老人福祉施設入所者生活介護",
    "430": "居宅介護支援",
    "770": "看護小規模多機能型居宅介護",
}
FLOOR_S, FLOOR_MB = 60.0, 1536.0


def write_files(folder: Path, n: int, seed: int = 16) -> list[Path]:
    """``n`` facilities in Kanagawa as jigyosho_<service>.csv files; returns their paths."""
    from homecare.facilities.gazetteer import load_town_points
    from homecare.reference import municipalities
    from homecare_dev.bench import geocoder
    from homecare_dev.bench.ingestion import _HEADER

    rng = random.Random(seed)
    towns = load_town_points().to_dict("records")
    units = {u["municipality_code"]: u for u in municipalities.units().to_dict("records")}
    buffers = {s: io.StringIO() for s in SERVICES}
    writers = {s: csv.writer(b, lineterminator="\r\n") for s, b in buffers.items()}
    for w in writers.values():
        w.writerow(_HEADER)
    for i in range(n):
        t = towns[(i * 7919) % len(towns)]  # every town in turn, in a scrambled order
        unit = units[t["municipality_code"]]
        address = (geocoder._clean if i % 2 == 0 else geocoder._messy)(unit, t, rng)
        r = rng.random()
        if r < 0.70:
            lat, lon = f"{t['lat'] + rng.uniform(-0.002, 0.002):.6f}", f"{t['lon'] + rng.uniform(-0.002, 0.002):.6f}"
        elif r < 0.85:
            lat, lon = "0.0", "0.0"
        elif r < 0.95:
            lat, lon = "", ""
        else:
            lat, lon = f"{t['lon']:.6f}", f"{t['lat']:.6f}"
        service = SERVICES[i % len(SERVICES)]
        office = f"14{i:08d}"
        muni = unit["full_name"]
        writers[service].writerow(
            [unit["code6"], office, "神奈川県", muni, f"事業所{i}", "", SERVICE_NAMES[service], address, ""]
            + [lat, lon, "045-000-0000", "", f"{1000000000000 + i}", "株式会社テスト", office]
            + ["", "", rng.choice(["0", "", "29", "80"]), "", "", "", "", ""]
        )
    out = []
    for s, b in buffers.items():
        path = folder / f"jigyosho_{s}.csv"
        path.write_bytes(b.getvalue().encode("utf-8-sig"))
        out.append(path)
    return out


def run_stages(folder: Path) -> dict[str, float]:
    """Stages 02-03 through the API on the files in ``folder`` (run in the child process)."""
    import gc
    import resource

    t0, c0 = time.perf_counter(), time.process_time()
    from homecare.stages import facilities, geocode
    from homecare.stages.base import Stage

    imported = time.process_time() - c0
    out = folder / "outputs"
    care = sorted(str(p) for p in folder.glob("jigyosho_*.csv"))
    stage = Stage("02_facilities", out)
    merged = facilities.read_and_merge(stage, {}, care, list(SERVICES), "14")
    facilities.write_merged(stage, merged)
    merged.qa_table()
    stage.finish()
    del merged, stage  # as the next notebook's fresh kernel: stage 02's tables are gone
    gc.collect()
    t02 = time.process_time() - c0
    stage = Stage("03_geocode_facilities", out)
    result = geocode.geocode_facilities(stage, "secondary_medical_area", 1500.0)
    geocode.write_facilities(stage, result)
    geocode.publish_qa(stage, result)
    geocode.area_counts(result.table)
    geocode.publish_capacity(stage)
    stage.finish()
    return {
        "rows": float(len(result.table)),
        "qa": float(len(result.qa)),
        "wall_s": time.perf_counter() - t0,
        "cpu_s": time.process_time() - c0,
        "import_s": imported,
        "stage02_cpu_s": t02 - imported,
        "stage03_cpu_s": time.process_time() - c0 - t02,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _child(folder: Path) -> dict[str, float]:
    env = {
        **os.environ,
        "HOMECARE_PROCESSED_DIR": str(folder / "processed"),
        "HOMECARE_OUTPUTS_DIR": str(folder / "outputs_root"),
        "HOMECARE_DATA_ROOTS": str(folder),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "homecare_dev.bench.national", "--child", str(folder)],
        capture_output=True,
        text=True,
        env=env,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"stages 02-03 failed on {folder}:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(sizes: tuple[int, ...] = SIZES) -> list[dict[str, float]]:
    """Print time and peak memory of stages 02-03 per size."""
    load = f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    print(f"stages 02-03 through the API, synthetic facilities all in Kanagawa, one child process per size ({load}):")
    results = []
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix=f"homecare-bench-national-{n}-") as name:
            folder = Path(name)
            (folder / "processed").mkdir()
            t0 = time.perf_counter()
            write_files(folder, n)
            gen = time.perf_counter() - t0
            r = _child(folder)
        results.append(r)
        met = r["wall_s"] <= FLOOR_S and r["peak_mb"] <= FLOOR_MB
        floor = (
            f"  [floor {FLOOR_S:.0f} s and {FLOOR_MB / 1024:.1f} GB: {'met' if met else 'NOT MET'}]"
            if n == max(sizes)
            else ""
        )
        print(
            f"  {n:>7,} facilities: {r['wall_s']:6.1f} s wall, {r['cpu_s']:6.1f} s CPU "
            f"(02 {r['stage02_cpu_s']:.1f} s, 03 {r['stage03_cpu_s']:.1f} s, imports {r['import_s']:.1f} s), "
            f"{r['cpu_s'] / n * 1e6:5.1f} µs CPU per facility, peak {r['peak_mb']:,.0f} MB; "
            f"{r['qa']:,.0f} QA rows (files written in {gen:.1f} s, not timed){floor}"
        )
    return results


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(run_stages(Path(sys.argv[2]))))
    else:
        main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
