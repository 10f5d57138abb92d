"""Paths are compared as paths, never as text (issue 16): a processed folder whose path starts
with the repository's path as text (``/x/homecare`` and ``/x/homecare-data``) is not inside
the repository, and a rerun with nothing changed re-executes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import runner_project

from homecare.core import paths
from homecare.ops import incremental, manifest, runner, sharing


def quiet(_: str) -> None:
    """Swallow runner progress lines."""


@pytest.fixture
def sibling_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The two-stage project at ``<tmp>/x/homecare``, its processed folder at ``<tmp>/x/homecare-data``."""
    real = incremental.code_fingerprint
    monkeypatch.setattr(incremental, "code_fingerprint", lambda kernel: {**real(kernel), "package": "pinned"})
    root = runner_project.make_project(tmp_path / "x" / "homecare")
    data = tmp_path / "x" / "homecare-data"
    data.mkdir()
    monkeypatch.setenv("HOMECARE_ROOT", str(root))
    monkeypatch.setenv("HOMECARE_PROCESSED_DIR", str(data))
    monkeypatch.delenv("HOMECARE_OUTPUTS_DIR", raising=False)
    return root, data


def test_no_change_rerun_executes_nothing(sibling_folders: tuple[Path, Path]) -> None:
    root, data = sibling_folders
    assert str(data).startswith(str(root)), "the case of the issue: one path is a text prefix of the other"
    p = runner_project.params(root)
    first = runner.run_pipeline(p, log=quiet)
    assert runner_project.statuses(first) == {"00_a": "ran", "01_b": "ran"}
    recorded = json.loads((first / "manifest.json").read_text(encoding="utf-8"))["stages"]
    written = {rel for s in recorded for rel in s["processed"]}
    assert (data / "a_table.parquet").as_posix() in written, "the processed path is recorded whole"
    assert all(Path(rel).parent == data for rel in written), written
    read_by_b = recorded[1]["record"]["inputs"]
    assert (data / "a_table.parquet").as_posix() in read_by_b

    second = runner.run_pipeline(p, log=quiet)
    assert runner_project.statuses(second) == {"00_a": "unchanged", "01_b": "unchanged"}, (
        second / "changes.md"
    ).read_text(encoding="utf-8")


def test_path_helpers_respect_the_folder_boundary(sibling_folders: tuple[Path, Path]) -> None:
    root, data = sibling_folders
    table = data / "a_table.parquet"
    table.write_bytes(b"PAR1")
    assert paths.relative(table) == table.as_posix()  # outside the project: kept absolute, whole
    assert paths.relative(root / "data" / "raw" / "in.csv") == "data/raw/in.csv"
    text = f'"{table.as_posix()}" and "{(root / "notebooks").as_posix()}" and "{root.as_posix()}"'
    assert sharing.sanitize_text(text) == f'"{table.as_posix()}" and "notebooks" and "."'
    run = root / "outputs" / "runs" / "r1"
    (run / "tables").mkdir(parents=True)
    (run / "tables" / "t.csv").write_text("a\n", encoding="utf-8")
    assert list(manifest.output_hashes(run)) == ["tables/t.csv"]
    hashes = incremental.HashCache()
    assert incremental._changed_files({table.as_posix(): hashes.sha256(table)}, hashes, "input") == []


def test_share_scan_sees_a_sibling_folder_as_outside(sibling_folders: tuple[Path, Path]) -> None:
    root, data = sibling_folders
    findings = sharing.scan_text(f"read {(data / 'a_table.parquet').as_posix()}\n")
    assert [f.kind for f in findings] == ["absolute path"], findings  # not "project root", and reported
    assert [f.kind for f in sharing.scan_text(f"at {(root / 'notebooks').as_posix()}\n")] == ["project root"]
