"""Cold-run benchmark against earlier commits (初回実行の比較): ``make bench`` /
``python -m homecare_dev.bench cold_run``.

Times ``homecare run --force`` of the default parameters, cold (empty temporary outputs and
processed folders), for this checkout and for earlier commits, in the same bench run and
interleaved (round by round, the order alternating), so that the machine's load hits every
version alike. CPU seconds are those of the whole command: the runner and every notebook
kernel (``RUSAGE_CHILDREN``); wall seconds are printed too. Medians over the rounds.

An earlier commit is exported with ``git archive`` into a temporary folder (no worktree is
registered, the repository is not touched) and run with this checkout's environment: its
``src`` first on ``PYTHONPATH``, which the papermill kernels inherit, so the runner and every
notebook run that commit's code (checked before timing: ``homecare`` must import from the
export); its reference data are read from this checkout's ``data/raw/external``
(``HOMECARE_EXTERNAL_DIR``, hash-checked by that commit's catalog). The export's bytecode is
compiled before timing, as this checkout's is.

Baselines: :data:`BASELINES` (``HOMECARE_BENCH_BASELINES=commit,commit`` overrides), rounds
:data:`ROUNDS` (``HOMECARE_BENCH_ROUNDS``). The earlier commits run the notebooks their
parameter file lists, which need not be the same set as today's: the printed stage counts
say so. Printed, never asserted.
"""

from __future__ import annotations

import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from homecare.core import paths

# commit -> what it is
BASELINES = {
    "9db4535": "issue 16's 'today' (6 notebooks)",
    "cff659e": "where issue 16 started (the same 8 notebooks as now)",
}
ROUNDS = 2
TARGET = 0.75  # issue 16: a cold run at most 0.75 of 9db4535's CPU time


@dataclass
class Version:
    """One version of the code to time."""

    label: str
    root: Path
    pythonpath: str | None  # the export's src, None for this checkout
    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)
    stages: str = ""
    durations: list[dict[str, float]] = field(default_factory=list)  # notebook (without number) -> wall s

    def stage_seconds(self, names: set[str]) -> float:
        """Median over the rounds of the summed wall time of the notebooks ``names``."""
        return statistics.median(sum(d[n] for n in names) for d in self.durations)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _env(version: Version, tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("HOMECARE_ROOT", "HOMECARE_DATA_ROOTS")}
    env["HOMECARE_OUTPUTS_DIR"] = str(tmp / "outputs")
    env["HOMECARE_PROCESSED_DIR"] = str(tmp / "processed")
    if version.pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [version.pythonpath, os.environ.get("PYTHONPATH")]))
        env["HOMECARE_EXTERNAL_DIR"] = str(paths.external_dir().resolve())
    return env


def _export(commit: str, folder: Path) -> Version:
    """``commit`` exported into ``folder`` and checked to be the code that runs."""
    root = paths.project_root()
    archive = subprocess.run(["git", "archive", "--format=tar", commit], cwd=root, capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(folder, filter="data")
    version = Version(f"{commit} ({BASELINES.get(commit, 'earlier commit')})", folder, str(folder / "src"))
    env = _env(version, folder)
    where = subprocess.run(
        [sys.executable, "-c", "import homecare; print(homecare.__file__)"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not Path(where).resolve().is_relative_to(folder.resolve()):
        raise RuntimeError(f"{commit}: homecare imports from {where}, not from the export")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(folder / "src")], check=True)
    return version


def _cold_run(version: Version, scratch: Path) -> None:
    """One cold ``homecare run --force``; appends its CPU and wall seconds."""
    with tempfile.TemporaryDirectory(prefix="run-", dir=scratch) as name:
        tmp = Path(name)
        (tmp / "processed").mkdir()
        cmd = [str(Path(sys.executable).with_name("homecare")), "run", "--params", "params/default.yaml", "--force"]
        t0, c0 = time.perf_counter(), _children_cpu()
        proc = subprocess.run(cmd, cwd=version.root, env=_env(version, tmp), capture_output=True, text=True)
        wall, cpu = time.perf_counter() - t0, _children_cpu() - c0
        if proc.returncode != 0:
            raise RuntimeError(f"{version.label}: homecare run failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
        manifest = json.loads((tmp / "outputs" / "latest" / "manifest.json").read_text(encoding="utf-8"))
        version.stages = f"{len(manifest['stages'])} notebooks"
        version.durations.append({st["name"].split("_", 1)[1]: float(st["duration_s"]) for st in manifest["stages"]})
    version.cpu.append(cpu)
    version.wall.append(wall)


def main() -> None:
    """Print cold-run CPU and wall time of this checkout and the baselines, and the ratios."""
    commits = [c for c in os.environ.get("HOMECARE_BENCH_BASELINES", ",".join(BASELINES)).split(",") if c]
    rounds = int(os.environ.get("HOMECARE_BENCH_ROUNDS", ROUNDS))
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=paths.project_root(), capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=paths.project_root(),
        capture_output=True,
        text=True,
    ).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="homecare-bench-cold-") as name:
        scratch = Path(name)
        current = Version(f"this checkout (HEAD {head}{', with changes' if dirty else ''})", paths.project_root(), None)
        versions = [current]
        for commit in commits:
            try:
                versions.append(_export(commit, scratch / commit))
            except (subprocess.CalledProcessError, RuntimeError, OSError) as exc:
                print(f"  {commit}: cannot be run here ({exc}); left out")
        loads = []
        for k in range(rounds):
            for version in versions if k % 2 == 0 else versions[::-1]:
                loads.append(os.getloadavg()[0])
                _cold_run(version, scratch)
    print(
        f"cold `homecare run --force` (default parameters), {rounds} interleaved rounds, medians; CPU = runner + "
        f"every kernel; load average {min(loads):.1f}-{max(loads):.1f} on {os.cpu_count()} CPUs:"
    )
    for v in versions:
        runs = ", ".join(f"{c:.1f}" for c in v.cpu)
        print(
            f"  {v.label}: {statistics.median(v.cpu):6.1f} s CPU ({runs}), {statistics.median(v.wall):6.1f} s wall; {v.stages}"
        )
    now = statistics.median(current.cpu)
    for v in versions[1:]:
        ratio, wall_ratio = now / statistics.median(v.cpu), statistics.median(current.wall) / statistics.median(v.wall)
        target = (
            f"  [target <= {TARGET}: {'met' if ratio <= TARGET else 'NOT MET'}]"
            if v.label.startswith("9db4535")
            else ""
        )
        print(f"  this checkout / {v.label.split()[0]}: CPU {ratio:.2f}, wall {wall_ratio:.2f}{target}")
        common = set(current.durations[0]) & set(v.durations[0])
        if common != set(current.durations[0]):
            now_s, then_s = current.stage_seconds(common), v.stage_seconds(common)
            print(
                f"    the {len(common)} notebooks both run ({', '.join(sorted(common))}): {now_s:.1f} s against "
                f"{then_s:.1f} s wall (stage times in the manifests, kernel start included): {now_s / then_s:.2f}"
            )


if __name__ == "__main__":
    main()
