"""Same inputs and parameters give byte-identical figures, tables, workbook, slides, index and
executed notebook (stage 00 end to end, as a one-stage scenario in scratch folders)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from figure_quality import assert_run_figures_pass
from run_files import content

from homecare.core import paths

COMPARED = ("*.png", "*.svg", "*.csv", "*.xlsx", "*.pptx", "index.html", "notebooks/*.ipynb")


def _run(tmp: Path) -> Path:
    env = {**os.environ, "HOMECARE_OUTPUTS_DIR": str(tmp / "outputs"), "HOMECARE_PROCESSED_DIR": str(tmp / "processed")}
    tmp.mkdir(parents=True, exist_ok=True)
    params = tmp / "only00.yaml"
    params.write_text("stages: [00_reference_areas]\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "homecare.cli", "run", "--params", str(params)],
        capture_output=True,
        text=True,
        env=env,
        cwd=paths.project_root(),
    )
    assert proc.returncode == 0, proc.stderr
    return (tmp / "outputs" / "scenarios" / "only00" / "latest").resolve()


@pytest.mark.slow
def test_two_cold_runs_are_byte_identical(tmp_path: Path) -> None:
    a, b = _run(tmp_path / "a"), _run(tmp_path / "b")
    files = sorted({p.relative_to(a) for pattern in COMPARED for p in a.rglob(pattern)})
    assert any(f.suffix == ".png" for f in files) and any(f.suffix == ".xlsx" for f in files)
    different = [str(f) for f in files if content(a, f) != content(b, f)]
    assert different == []
    assert assert_run_figures_pass(a) >= 1  # the area map reads on a slide
    executed = (a / "notebooks" / "00_reference_areas.ipynb").read_text(encoding="utf-8")
    assert '"id": "injected-parameters"' in executed, "papermill's injected cell has a fixed id"
