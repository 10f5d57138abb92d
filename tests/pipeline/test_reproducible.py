"""Same inputs and parameters give byte-identical figures and tables (notebook 00 end to end)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from homecare.core import paths

COMPARED = ("*.png", "*.svg", "*.csv", "*.xlsx", "*.pptx", "index.html")


def _run(outputs: Path) -> Path:
    env = {**os.environ, "HOMECARE_OUTPUTS_DIR": str(outputs)}
    proc = subprocess.run(
        [sys.executable, "-m", "homecare.cli", "run", "--only", "00"],
        capture_output=True,
        text=True,
        env=env,
        cwd=paths.project_root(),
    )
    assert proc.returncode == 0, proc.stderr
    return (outputs / "latest").resolve()


@pytest.mark.slow
def test_two_cold_runs_are_byte_identical(tmp_path: Path) -> None:
    a, b = _run(tmp_path / "a"), _run(tmp_path / "b")
    files = sorted({p.relative_to(a) for pattern in COMPARED for p in a.rglob(pattern)})
    assert any(f.suffix == ".png" for f in files) and any(f.suffix == ".xlsx" for f in files)
    different = [str(f) for f in files if (a / f).read_bytes() != (b / f).read_bytes()]
    assert different == []
