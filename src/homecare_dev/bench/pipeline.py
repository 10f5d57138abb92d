"""``make bench`` figures for scheduled runs: cold run, no-change rerun, one-input-changed rerun.

Runs the whole default pipeline three times through the ``homecare`` command (as cron would),
in temporary ``outputs/`` and ``data/processed`` folders so the repository's outputs are never
touched: (1) cold, ``--force``; (2) again with nothing changed (every stage should be reused);
(3) with one input changed: one number altered in a copy of the first CSV input. All three runs
use a temporary copy of the parameter file naming that copy (committed files are never
modified), which makes them a scenario run in its own folder. Prints the times,
what ran, and the no-change/cold ratio (target: at most 10%).
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import yaml

from homecare.core import paths
from homecare_dev.bench.scratch import scratch_folder

PARAMS = Path("params/default.yaml")
TARGET_RATIO = 0.10
SCENARIO = "params_bench"  # the parameter copy's name: its outputs go to outputs/scenarios/<this>


def _homecare() -> str:
    return str(Path(sys.executable).with_name("homecare"))


def _run(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Wall time of one ``homecare run`` and the run folder it reports; raises on failure."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        [_homecare(), "run", *args], capture_output=True, text=True, env=env, cwd=paths.project_root()
    )
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"homecare run {' '.join(args)} failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    return elapsed, proc.stdout


def _statuses(outputs: Path) -> str:
    data = json.loads((outputs / "latest" / "manifest.json").read_text(encoding="utf-8"))
    counts: dict[str, int] = {}
    for s in data["stages"]:
        counts[s["status"]] = counts.get(s["status"], 0) + 1
    return ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))


def bench_params(tmp: Path, params_file: Path = PARAMS) -> tuple[Path, Path, str]:
    """A copy of the parameter file whose first ``*.csv`` parameter points at a copy of that
    file in ``tmp`` (committed files are never modified). Another parameter file than
    ``params/default.yaml`` is a scenario with its own outputs folder, so all three runs use
    this one. Returns (parameter file, the input copy, the notebook it feeds)."""
    params = yaml.safe_load(paths.resolve(params_file).read_text(encoding="utf-8"))
    for notebook, section in (params.get("notebooks") or {}).items():
        for key, value in section.items():
            if isinstance(value, str) and value.endswith(".csv") and paths.resolve(value).is_file():
                copy = tmp / Path(value).name
                copy.write_bytes(paths.resolve(value).read_bytes())
                section[key] = str(copy)
                out = tmp / f"{SCENARIO}.yaml"
                out.write_text(yaml.safe_dump(params, allow_unicode=True, sort_keys=False), encoding="utf-8")
                return out, copy, notebook
    raise RuntimeError(f"{params_file}: no CSV input parameter to change")


def alter_first_number(path: Path) -> None:
    """Increase the first number of the first data row of the CSV file ``path`` by one, parsed
    as CSV (fields may be quoted and hold commas)."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    k = next(i for i, cell in enumerate(rows[1]) if cell.isdigit())
    rows[1][k] = str(int(rows[1][k]) + 1)
    out_text = io.StringIO()
    csv.writer(out_text, lineterminator="\r\n").writerows(rows)
    path.write_text(out_text.getvalue(), encoding="utf-8-sig")


def pipeline_runs() -> None:
    """Print cold, no-change and one-input-changed run times of the default pipeline."""
    with scratch_folder("homecare-bench-") as tmp:
        outputs, processed = tmp / "outputs", tmp / "processed"
        processed.mkdir()
        env = {**os.environ, "HOMECARE_OUTPUTS_DIR": str(outputs), "HOMECARE_PROCESSED_DIR": str(processed)}
        params, copy, notebook = bench_params(tmp)
        latest = outputs / "scenarios" / SCENARIO
        cold, _ = _run(["--params", str(params), "--force"], env)
        print(f"cold run (--force):        {cold:7.1f} s  ({_statuses(latest)})")
        again, _ = _run(["--params", str(params)], env)
        print(f"no-change rerun:           {again:7.1f} s  ({_statuses(latest)})")
        alter_first_number(copy)
        one, _ = _run(["--params", str(params)], env)
        print(f"one input changed rerun:   {one:7.1f} s  ({_statuses(latest)}; input of {notebook} altered)")
        ratio = again / cold
        verdict = "ok" if ratio <= TARGET_RATIO else "ABOVE TARGET"
        print(f"no-change / cold ratio:    {ratio:7.1%}  (target <= {TARGET_RATIO:.0%}: {verdict})")


if __name__ == "__main__":
    pipeline_runs()
