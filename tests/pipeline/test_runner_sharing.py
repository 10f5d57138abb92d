"""Run folders are safe to share, and a failed run leaves a located failure summary.

Sharing: no project root, $HOME, user name or token-like string in executed notebooks,
stage records, reports or the manifest. Failure: non-zero exit, FAILED.md names the stage,
cell, error and the input file of an InputError, outputs/latest unchanged; fixing the
input and rerunning recovers.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import runner_project

from homecare.ops import failure, runner, sharing


@pytest.fixture
def two_stage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return runner_project.use_project(tmp_path, monkeypatch)


FAKE_TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"


def test_sanitize_text_removes_paths_and_tokens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOMECARE_ROOT", str(tmp_path))
    text = (
        f"open {tmp_path}/data/raw/x.csv in {tmp_path}; home {Path.home()}/notes; "
        f"/home/alice/secret.txt C:\\Users\\bob\\file {FAKE_TOKEN} password=hunter2hunter2 Bearer abcdefghijklmnopqrstuvwx"
    )
    clean = sharing.sanitize_text(text)
    assert "open data/raw/x.csv in ." in clean
    assert str(tmp_path) not in clean and str(Path.home()) + "/" not in clean
    assert "~alice/secret.txt" in clean and "~bob" in clean
    assert FAKE_TOKEN not in clean and "hunter2hunter2" not in clean and "abcdefghijklmnopqrstuvwx" not in clean
    assert sharing.scan_text(clean) == []
    kinds = {f.kind for f in sharing.scan_text(text)}
    assert {"project root", "home folder"} <= kinds and any(k.startswith("secret") for k in kinds)


def test_scan_flags_user_name_in_paths_not_in_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sharing, "user_name", lambda: "hanako")
    monkeypatch.setenv("HOMECARE_ROOT", str(tmp_path))
    assert [f.kind for f in sharing.scan_text("/srv/hanako/work")] == ["user name", "absolute path"]
    assert [f.kind for f in sharing.scan_text("mail hanako@example.jp")] == ["user name"]
    assert sharing.scan_text("hanako is also a common word") == []
    assert sharing.scan_text("sha256 " + "ab" * 32) == [], "hashes are not tokens"


def test_scan_run_finds_planted_leaks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOMECARE_ROOT", str(tmp_path / "proj"))
    run = tmp_path / "run"
    (run / "notebooks").mkdir(parents=True)
    (run / "notebooks" / "00.ipynb").write_text(f'{{"x": "{tmp_path}/proj/data"}}', encoding="utf-8")
    (run / "manifest.json").write_text(f'{{"token": "{FAKE_TOKEN}"}}', encoding="utf-8")
    found = sharing.scan_run(run)
    assert {(f.file, f.kind) for f in found} == {
        ("notebooks/00.ipynb", "project root"),
        ("manifest.json", "secret (GitHub Token)"),
    }
    (run / "tables").mkdir()
    (run / "tables" / "t.csv").write_text(f"path\n{tmp_path}/proj/x\n", encoding="utf-8")
    assert sharing.scan_run(run) == found, "tables are read only when asked (they are not rewritten)"
    assert ("tables/t.csv", "project root") in {(f.file, f.kind) for f in sharing.scan_run(run, everything=True)}
    assert sharing.sanitize_run(run) == ["manifest.json", "notebooks/00.ipynb"]
    assert sharing.scan_run(run) == []


def test_run_folder_is_safe_to_share(two_stage: Path) -> None:
    run = runner.run_pipeline(runner_project.params(two_stage), log=lambda s: None)
    executed = (run / "notebooks" / "00_a.ipynb").read_text(encoding="utf-8")
    assert "cwd . home ~" in executed, "the notebook printed its cwd and home; both are rewritten"
    assert "api_key=abcd1234efgh5678ijkl" not in executed and f"{sharing.REDACTED}" in executed
    assert sharing.scan_run(run, everything=True) == []
    assert str(two_stage) not in (run / "manifest.json").read_text(encoding="utf-8")


def test_failed_run_reports_stage_cell_error_and_input_file(two_stage: Path) -> None:
    root = two_stage
    good = runner.run_pipeline(runner_project.params(root), log=lambda s: None)
    bad = runner_project.params(root, "notebooks:\n  00_a:\n    raise_input_error: true\n")
    proc = subprocess.run(
        [sys.executable, "-m", "homecare.cli", "run", "--params", bad, "--force"],
        capture_output=True,
        text=True,
        env={**os.environ, "HOMECARE_ROOT": str(root)},
    )
    assert proc.returncode == 2, proc.stderr  # bad input inside a notebook: exit 2, like the CLI
    assert "notebook 00_a failed in cell" in proc.stderr and "Traceback" not in proc.stderr
    assert (root / "outputs" / "latest").resolve() == good, "outputs/latest must not move"
    failed = next(d for d in (root / "outputs" / "runs").iterdir() if (d / "FAILED.md").exists())
    report = (failed / "FAILED.md").read_text(encoding="utf-8")
    assert "- stage: 00_a" in report
    assert "- cell: index 2" in report and "- cell starts with: `import os`" in report
    assert "- error: InputError: file data/raw/in.csv, sheet 'S', row 12, column '市町村名'" in report
    assert "- input file: data/raw/in.csv" in report
    assert (failed / "notebooks" / "00_a.ipynb").is_file()
    assert sharing.scan_run(failed) == []

    # recovery: the next run (without the bad parameter) reuses what was good and switches latest
    again = runner.run_pipeline(runner_project.params(root), log=lambda s: None)
    assert runner_project.statuses(again) == {"00_a": "unchanged", "01_b": "unchanged"}
    assert (root / "outputs" / "latest").resolve() == again


@pytest.mark.parametrize(
    "message, files",
    [
        ("file data/raw/x.xlsx, sheet 'S', row 12, column '市町村名': unknown", ["data/raw/x.xlsx"]),
        ("processed table data/processed/a.parquet does not exist", ["data/processed/a.parquet"]),
        ("no file named here", []),
    ],
)
def test_failure_report_names_input_files(tmp_path: Path, message: str, files: list[str]) -> None:
    text = failure.report("01_x", ValueError(message))
    line = next(li for li in text.splitlines() if li.startswith("- input file:"))
    assert line == (f"- input file: {', '.join(files)}" if files else "- input file: (not named by the error)")


def test_check_share_command(tmp_path: Path) -> None:
    run = tmp_path / "run"
    (run / "notebooks").mkdir(parents=True)
    (run / "manifest.json").write_text('{"inputs": {}}', encoding="utf-8")
    cmd = [sys.executable, "-m", "homecare.cli", "check-share", str(run)]
    env = {**os.environ, "HOMECARE_ROOT": str(tmp_path / "proj")}
    ok = subprocess.run(cmd, capture_output=True, text=True, env=env)
    assert ok.returncode == 0 and "0 finding(s)" in ok.stdout and "safe to share" in ok.stdout
    (run / "notebooks" / "00.ipynb").write_text(f'{{"x": "{FAKE_TOKEN}"}}', encoding="utf-8")
    bad = subprocess.run(cmd, capture_output=True, text=True, env=env)
    assert bad.returncode == 1 and "notebooks/00.ipynb: secret (GitHub Token)" in bad.stdout
