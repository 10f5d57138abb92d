"""Shared fixtures. Tests never write into the real data/processed or outputs/.

Layout: ``unit/`` (modules in-process), ``cli/`` (commands as the analyst types them, and the
bad-input corpus), ``pipeline/`` (the runner and notebooks end to end), ``backtests/`` (numbers
checked against published figures and real files). Helpers live in ``helpers/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from homecare.core import provenance


@pytest.fixture(autouse=True)
def _fresh_provenance():
    """Each test starts with no inputs noted: sample marks never leak from an earlier test."""
    provenance.reset()
    yield
    provenance.reset()


@pytest.fixture
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Point data/processed and outputs/ at temporary folders for one test."""
    dirs = {"processed": tmp_path / "processed", "outputs": tmp_path / "outputs"}
    for d in dirs.values():
        d.mkdir()
    monkeypatch.setenv("HOMECARE_PROCESSED_DIR", str(dirs["processed"]))
    monkeypatch.setenv("HOMECARE_OUTPUTS_DIR", str(dirs["outputs"]))
    return dirs
