"""outputs/latest can be trusted: scenarios run apart, notebook copies never run, reused files
are checked, the lock covers the processed folder, failures report clearly, small person
counts never reach a published artefact, and old runs are pruned (two-stage project)."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import runner_project

from homecare.ops import rundirs, runner
from homecare.ops.lock import EXIT_LOCKED, RunLocked

quiet = lambda s: None  # noqa: E731


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return runner_project.use_project(tmp_path, monkeypatch)


def test_a_scenario_never_touches_the_official_outputs(root: Path) -> None:
    official = runner.run_pipeline(runner_project.params(root), log=quiet)
    before = {p.relative_to(official): p.read_bytes() for p in official.rglob("*") if p.is_file()}
    processed_before = (root / "data" / "processed" / "a_table.parquet").read_bytes()
    scenario = runner_project.params(root, "run:\n  scenario: scale3\nnotebooks:\n  00_a:\n    scale: 3\n", "copy.yaml")
    run = runner.run_pipeline(scenario, log=quiet)
    assert run.parent == root / "outputs" / "scenarios" / "scale3" / "runs"
    assert (root / "outputs" / "scenarios" / "scale3" / "latest").resolve() == run
    assert (root / "outputs" / "latest").resolve() == official, "latest is only ever the official run"
    assert {p.relative_to(official): p.read_bytes() for p in official.rglob("*") if p.is_file()} == before
    assert (root / "data" / "processed" / "a_table.parquet").read_bytes() == processed_before
    assert (root / "data" / "processed" / "scenarios" / "scale3" / "a_table.parquet").is_file()
    meta = json.loads((run / "tables" / "a.json").read_text(encoding="utf-8"))
    assert meta["scenario"] == "scale3", "every sheet of a scenario names it"
    assert "scale3" in (run / "index.html").read_text(encoding="utf-8")
    assert json.loads((run / "manifest.json").read_text(encoding="utf-8"))["scenario"] == "scale3"


def test_a_notebook_copy_never_runs_as_a_stage(root: Path) -> None:
    shutil.copyfile(root / "notebooks" / "00_a.ipynb", root / "notebooks" / "00_a_edit.ipynb")
    run = runner.run_pipeline(runner_project.params(root), log=quiet)
    assert list(runner_project.statuses(run)) == ["00_a", "01_b"]
    assert not (run / "notebooks" / "00_a_edit.ipynb").exists()


def test_reuse_is_checked_and_keeps_every_file_a_stage_wrote(root: Path) -> None:
    nb = nbformat.read(root / "notebooks" / "00_a.ipynb", as_version=4)
    nb.cells[1].source += '\nfrom pathlib import Path\n(Path(output_dir) / "00_a_summary.xlsx").write_bytes(b"x")'
    nbformat.write(nb, root / "notebooks" / "00_a.ipynb")
    first = runner.run_pipeline(runner_project.params(root), log=quiet)
    second = runner.run_pipeline(runner_project.params(root), log=quiet)
    assert runner_project.statuses(second) == {"00_a": "unchanged", "01_b": "unchanged"}
    assert (second / "00_a_summary.xlsx").read_bytes() == b"x", "a reused stage keeps all its files"
    (second / "tables" / "a.csv").write_text("edited by hand\n", encoding="utf-8")
    messages: list[str] = []
    third = runner.run_pipeline(runner_project.params(root), log=messages.append)
    assert runner_project.statuses(third)["00_a"] == "ran"
    assert any("published output tables/a.csv changed" in m for m in messages)
    assert first != third


def test_a_stage_not_chosen_reruns_when_its_parameters_changed(root: Path) -> None:
    runner.run_pipeline(runner_project.params(root), log=quiet)
    changed = runner_project.params(root, "notebooks:\n  00_a:\n    scale: 2\n")
    messages: list[str] = []
    run = runner.run_pipeline(changed, only=["01"], force=True, log=messages.append)
    assert runner_project.statuses(run) == {"00_a": "ran", "01_b": "ran"}
    assert any("not chosen, but parameters changed: scale" in m for m in messages)


def test_the_lock_covers_the_processed_folder(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(root / "data" / "processed" / ".run.lock")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setenv("HOMECARE_OUTPUTS_DIR", str(tmp_path / "other_outputs"))  # another outputs folder
        with pytest.raises(RunLocked) as err:
            runner.run_pipeline(runner_project.params(root), log=quiet)
        assert err.value.exit_code == EXIT_LOCKED
    finally:
        holder.kill()
        holder.wait()


_HOLD = """
import sys, time
from pathlib import Path
from homecare.ops.lock import RunLock
lock = RunLock(Path(sys.argv[1]), command="holder").acquire()
print("held", flush=True)
time.sleep(120)
"""


def test_a_full_disk_while_copying_reused_outputs_is_a_clear_failure(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = runner.run_pipeline(runner_project.params(root), log=quiet)

    def no_space(src, dst, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    monkeypatch.setattr(shutil, "copy2", no_space)
    with pytest.raises(
        runner.RunFailed, match="could not copy the reused outputs of 00_a: No space left on device"
    ) as err:
        runner.run_pipeline(runner_project.params(root), log=quiet)
    assert err.value.exit_code == 1
    assert (root / "outputs" / "latest").resolve() == good
    failed = [d for d in (root / "outputs" / "runs").iterdir() if (d / "FAILED.md").is_file()]
    assert len(failed) == 1 and "No space left on device" in (failed[0] / "FAILED.md").read_text(encoding="utf-8")


def test_an_unwritable_outputs_folder_is_a_clear_failure(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def read_only(base: Path):
        raise PermissionError(errno.EACCES, "Permission denied", str(base / "runs"))

    monkeypatch.setattr(rundirs, "new_run_dir", read_only)
    with pytest.raises(runner.RunFailed, match="cannot create a run folder in outputs: Permission denied"):
        runner.run_pipeline(runner_project.params(root), log=quiet)


def test_an_input_outside_the_project_is_refused_before_anything_runs(root: Path) -> None:
    params = runner_project.params(root, "notebooks:\n  00_a:\n    src: /etc/shadow\n")
    with pytest.raises(runner.ParameterError, match=r"notebooks.00_a.src = '/etc/shadow' lies outside the project"):
        runner.run_pipeline(params, log=quiet)
    assert not (root / "outputs" / "runs").exists() or not any((root / "outputs" / "runs").iterdir())


def test_a_small_person_count_in_any_artefact_stops_the_run(root: Path) -> None:
    good = runner.run_pipeline(runner_project.params(root), log=quiet)
    nb = nbformat.read(root / "notebooks" / "01_b.ipynb", as_version=4)
    nb.cells[1].source += '\nprint("南の参加住民5人")'
    nbformat.write(nb, root / "notebooks" / "01_b.ipynb")
    with pytest.raises(runner.RunFailed, match="small count.*notebooks/01_b.ipynb.*参加住民5人"):
        runner.run_pipeline(runner_project.params(root), log=quiet)
    assert (root / "outputs" / "latest").resolve() == good


def test_old_runs_are_pruned_but_never_what_latest_points_to(root: Path) -> None:
    params = runner_project.params(root, "run:\n  keep_runs: 2\nnotebooks: {}\n")
    runs = []
    for _ in range(3):
        runs.append(runner.run_pipeline(params, log=quiet, force=True))
        time.sleep(1.1)  # run folders are named by the second
    kept = sorted(p.name for p in (root / "outputs" / "runs").iterdir())
    assert kept == [runs[1].name, runs[2].name]
    assert (root / "outputs" / "latest").resolve() == runs[2]


def test_scenario_names_are_checked(root: Path) -> None:
    bad = runner_project.params(root, "run:\n  scenario: Yokohama 3!\n", "s.yaml")
    with pytest.raises(runner.ParameterError, match="must be lower-case letters"):
        runner.run_pipeline(bad, log=quiet)
    official_with_name = runner_project.params(root, "run:\n  scenario: x\n")
    with pytest.raises(runner.ParameterError, match="is the official parameter file: remove run.scenario"):
        runner.run_pipeline(official_with_name, log=quiet)


def test_cli_prints_no_traceback_for_a_locked_or_bad_run(root: Path) -> None:
    bad = runner_project.params(root, "notebooks:\n  00_a:\n    src: /etc/passwd\n")
    proc = subprocess.run(
        [sys.executable, "-m", "homecare.cli", "run", "--params", bad],
        capture_output=True,
        text=True,
        env={**os.environ, "HOMECARE_ROOT": str(root)},
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "/etc/passwd" in proc.stderr
