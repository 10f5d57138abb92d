"""Shared fixtures. Tests never write into the real data/processed or outputs/."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Point data/processed and outputs/ at temporary folders for one test."""
    dirs = {"processed": tmp_path / "processed", "outputs": tmp_path / "outputs"}
    for d in dirs.values():
        d.mkdir()
    monkeypatch.setenv("HOMECARE_PROCESSED_DIR", str(dirs["processed"]))
    monkeypatch.setenv("HOMECARE_OUTPUTS_DIR", str(dirs["outputs"]))
    return dirs
