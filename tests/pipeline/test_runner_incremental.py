"""Incremental runs: unchanged stages are skipped and reused; a changed input, parameter,
notebook, or a missing processed output reruns exactly what depends on it; --force reruns all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import runner_project

from homecare.ops import incremental, runner


@pytest.fixture
def two_stage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return runner_project.use_project(tmp_path, monkeypatch)


def quiet(_: str) -> None:
    """Swallow runner progress lines."""


def test_skip_rerun_and_force(two_stage: Path) -> None:
    root = two_stage
    p = runner_project.params(root)
    first = runner.run_pipeline(p, log=quiet)
    assert runner_project.statuses(first) == {"00_a": "ran", "01_b": "ran"}

    second = runner.run_pipeline(p, log=quiet)
    assert runner_project.statuses(second) == {"00_a": "unchanged", "01_b": "unchanged"}
    latest = root / "outputs" / "latest"
    assert latest.resolve() == second
    for rel in (
        "tables/a.csv",
        "tables/b.csv",
        "stages/01_b.json",
        "notebooks/01_b.ipynb",
        "tables.xlsx",
        "index.html",
    ):
        assert (second / rel).read_bytes() == (first / rel).read_bytes(), rel
    assert "No input changed." in (second / "changes.md").read_text(encoding="utf-8")

    # an input changes: 00_a reruns, rewrites data/processed/a_table, so 01_b must rerun too
    (root / "data" / "raw" / "in.csv").write_text("地域,区分,件数（件）\n北,x,10\n北,y,25\n南,x,5\n", encoding="utf-8")
    third = runner.run_pipeline(p, log=quiet)
    assert runner_project.statuses(third) == {"00_a": "ran", "01_b": "ran"}
    why = {s["name"]: s["why"] for s in json.loads((third / "manifest.json").read_text(encoding="utf-8"))["stages"]}
    assert "input data/raw/in.csv changed" in why["00_a"]
    assert "input data/processed/a_table.parquet changed" in why["01_b"]
    assert "北,35" in (third / "tables" / "b.csv").read_text(encoding="utf-8-sig")

    # a parameter of 00_a changes: both rerun (the processed table changes)
    fourth = runner.run_pipeline(runner_project.params(root, "notebooks:\n  00_a:\n    scale: 2\n"), log=quiet)
    assert runner_project.statuses(fourth) == {"00_a": "ran", "01_b": "ran"}

    # --force reruns everything although nothing changed
    fifth = runner.run_pipeline(
        runner_project.params(root, "notebooks:\n  00_a:\n    scale: 2\n"), log=quiet, force=True
    )
    assert runner_project.statuses(fifth) == {"00_a": "ran", "01_b": "ran"}


@pytest.mark.slow
def test_missing_processed_output_and_edited_notebook_rerun(two_stage: Path) -> None:
    root = two_stage
    p = runner_project.params(root)
    runner.run_pipeline(p, log=quiet)
    # a deleted processed table: 00_a reruns and writes the same bytes, so 01_b stays reused
    (root / "data" / "processed" / "a_table.parquet").unlink()
    second = runner.run_pipeline(p, log=quiet)
    assert runner_project.statuses(second) == {"00_a": "ran", "01_b": "unchanged"}
    assert (root / "data" / "processed" / "a_table.parquet").is_file()

    # an edited notebook reruns that stage only
    nb = root / "notebooks" / "01_b.ipynb"
    nb.write_text(nb.read_text(encoding="utf-8").replace("表B", "表B（改）"), encoding="utf-8")
    third = runner.run_pipeline(p, log=quiet)
    assert runner_project.statuses(third) == {"00_a": "unchanged", "01_b": "ran"}
    assert "notebook changed" in (third / "changes.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_only_runs_selected_and_carries_the_rest(two_stage: Path) -> None:
    root = two_stage
    runner.run_pipeline(runner_project.params(root), log=quiet)
    run = runner.run_pipeline(runner_project.params(root), only=["01"], log=quiet, force=True)
    assert runner_project.statuses(run) == {"00_a": "carried_over", "01_b": "ran"}
    # a carried-over stage keeps the fingerprint it was produced with, so it can be reused next time
    again = runner.run_pipeline(runner_project.params(root), log=quiet)
    assert runner_project.statuses(again) == {"00_a": "unchanged", "01_b": "unchanged"}, (
        again / "changes.md"
    ).read_text(encoding="utf-8")


# --- decide() without notebooks -------------------------------------------------------------


@pytest.fixture
def previous(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict]:
    """A fake previous run with one stage that read ``in.csv`` and wrote ``processed/x.parquet``."""
    monkeypatch.setenv("HOMECARE_ROOT", str(tmp_path))
    monkeypatch.delenv("HOMECARE_PROCESSED_DIR", raising=False)
    (tmp_path / "in.csv").write_text("a\n1\n", encoding="utf-8")
    (tmp_path / "data" / "processed").mkdir(parents=True)
    (tmp_path / "data" / "processed" / "x.parquet").write_bytes(b"PAR1")
    run = tmp_path / "outputs" / "runs" / "r1"
    (run / "tables").mkdir(parents=True)
    (run / "tables" / "t.csv").write_text("a\n", encoding="utf-8")
    hashes = incremental.HashCache()
    stage = {
        "name": "00_x",
        "parameters": {"k": 1, "output_dir": "outputs/runs/r1"},
        "outputs": ["tables/t.csv"],
        "record": {"inputs": {"in.csv": hashes.sha256(tmp_path / "in.csv")}},
        "fingerprint": {"package": "p", "lock": "l", "reference": "r", "kernel": "homecare", "notebook": "n"},
        "processed": {"data/processed/x.parquet": hashes.sha256(tmp_path / "data" / "processed" / "x.parquet")},
    }
    stage["published"] = {"tables/t.csv": hashes.sha256(run / "tables" / "t.csv")}  # as the manifest recorded them
    return run, stage


FP = {"package": "p", "lock": "l", "reference": "r", "kernel": "homecare", "notebook": "n"}


def test_decide_unchanged_skips(previous: tuple[Path, dict]) -> None:
    run, stage = previous
    d = incremental.decide(
        stage, run, {"k": 1, "output_dir": "outputs/runs/r2"}, FP, incremental.HashCache(), published=stage["published"]
    )
    assert d.skip and d.reasons == []


def _change(what: str, root: Path, stage: dict) -> dict:
    """Make one change to the fake previous run; returns overrides for decide()'s arguments."""
    if what == "parameter":
        return {"params": {"k": 2}}
    if what in ("package", "lock", "notebook"):
        return {"fp": {**FP, what: "other"}}
    if what == "input edited":
        (root / "in.csv").write_text("a\n2\n", encoding="utf-8")
    elif what == "input deleted":
        (root / "in.csv").unlink()
    elif what == "processed deleted":
        (root / "data/processed/x.parquet").unlink()
    elif what == "previous output deleted":
        (root / "outputs/runs/r1/tables/t.csv").unlink()
    elif what == "previous output edited":
        (root / "outputs/runs/r1/tables/t.csv").write_text("a\nedited by hand\n", encoding="utf-8")
    elif what == "old manifest":
        stage.pop("fingerprint")
    elif what == "force":
        return {"force": True}
    return {}


@pytest.mark.parametrize(
    "what, reason",
    [
        ("parameter", "parameters changed: k"),
        ("package", "package code"),
        ("lock", "requirements/lock.txt"),
        ("notebook", "notebook changed"),
        ("input edited", "input in.csv changed"),
        ("input deleted", "input in.csv is missing"),
        ("processed deleted", "processed output data/processed/x.parquet is missing"),
        ("previous output deleted", "published output tables/t.csv is missing"),
        ("previous output edited", "published output tables/t.csv changed"),
        ("old manifest", "did not record"),
        ("force", "--force"),
    ],
)
def test_decide_reruns_when_something_changed(previous: tuple[Path, dict], what: str, reason: str) -> None:
    run, stage = previous
    given = _change(what, run.parents[2], stage)
    d = incremental.decide(
        stage,
        run,
        {"k": 1, **given.get("params", {}), "output_dir": "outputs/runs/r2"},
        given.get("fp", FP),
        incremental.HashCache(),
        force=given.get("force", False),
        published=stage.get("published"),
    )
    assert not d.skip
    assert reason in d.why


def test_decide_without_previous_run_reruns() -> None:
    d = incremental.decide(None, None, {}, FP, incremental.HashCache())
    assert not d.skip and "not in the previous successful run" in d.why


def test_code_fingerprint_follows_package_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = tmp_path / "pkg"
    (pkg / "__pycache__").mkdir(parents=True)
    (pkg / "mod.py").write_text("x = 1\n", encoding="utf-8")
    before = incremental._tree_hash(pkg)
    (pkg / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"compiled")
    assert incremental._tree_hash(pkg) == before, "bytecode caches are not code changes"
    (pkg / "mod.py").write_text("x = 2\n", encoding="utf-8")
    assert incremental._tree_hash(pkg) != before
    monkeypatch.setenv("HOMECARE_ROOT", str(tmp_path))
    fp = incremental.code_fingerprint("homecare")
    assert fp["lock"] == "missing" and fp["kernel"] == "homecare"
    assert fp["package"] == incremental._tree_hash(Path(incremental.__file__).parents[1])
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements" / "lock.txt").write_text("pandas==3.1\n", encoding="utf-8")
    assert incremental.code_fingerprint("homecare")["lock"] != "missing"


def test_parameters_compare_as_recorded_in_the_manifest() -> None:
    # YAML gives int keys; the manifest (JSON) has text keys: the same parameter, not a change
    assert incremental.comparable({"input_files": {2024: "a.xlsx"}, "output_dir": "x"}) == {
        "input_files": {"2024": "a.xlsx"}
    }
    assert incremental.comparable({"years": (2024, 2025)}) == incremental.comparable({"years": [2024, 2025]})
