"""Shared fixtures. Tests never write into the real data/processed or outputs/.

Layout: ``unit/`` (modules in-process), ``cli/`` (commands as the analyst types them, and the
bad-input corpus), ``pipeline/`` (the runner and notebooks end to end), ``backtests/`` (numbers
checked against published figures and real files). Helpers live in ``helpers/``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from homecare.core import paths, provenance


@pytest.fixture(autouse=True, scope="session")
def _scratch_is_a_data_root(tmp_path_factory: pytest.TempPathFactory):
    """Tests read files they build under pytest's temporary folder: name it a data root, as an
    analyst names a data folder in run.data_roots (inputs elsewhere are refused)."""
    base = str(tmp_path_factory.getbasetemp().parent)
    saved = os.environ.get(paths.DATA_ROOTS_ENV)
    os.environ[paths.DATA_ROOTS_ENV] = base
    yield
    if saved is None:
        os.environ.pop(paths.DATA_ROOTS_ENV, None)
    else:
        os.environ[paths.DATA_ROOTS_ENV] = saved


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
