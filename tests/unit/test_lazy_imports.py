"""Stages that draw nothing do not import matplotlib or seaborn (each notebook runs in a fresh
kernel, where those imports cost about 0.4 s of CPU), and the house style still applies to
every figure drawn after a figure module is imported."""

from __future__ import annotations

import subprocess
import sys

import pytest

CHECK = """
import sys
import {module}
from homecare.stages.base import Stage
Stage("x", {out!r})
print(sorted(m for m in ("matplotlib", "seaborn") if m in sys.modules))
"""


@pytest.mark.parametrize(
    "module", ["homecare.stages.facilities", "homecare.stages.geocode", "homecare.stages.population"]
)
def test_table_stages_do_not_import_matplotlib(module: str, tmp_path) -> None:
    code = CHECK.format(module=module, out=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_house_style_applies_from_the_figure_modules(tmp_path) -> None:
    code = (
        "import matplotlib\nfrom homecare.figures import facilities\nfrom homecare.stages.base import Stage\n"
        "print(matplotlib.rcParams['font.family'], matplotlib.rcParams['savefig.dpi'])\n"
        "matplotlib.rcParams['font.family'] = ['serif']\nStage('x', " + repr(str(tmp_path)) + ")\n"
        "print(matplotlib.rcParams['font.family'])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["['IPAexGothic'] 300.0", "['IPAexGothic']"], out.stdout


def test_the_command_line_starts_without_the_data_stack() -> None:
    code = "import sys\nimport homecare.cli\nprint(sorted(m for m in ('pandas', 'geopandas', 'pandera') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_command_line_defaults_are_the_package_constants() -> None:
    from homecare import cli
    from homecare.facilities.assign import DEFAULT_TOLERANCE_M
    from homecare.reference import municipalities

    assert cli.DEFAULT_TOLERANCE_M == DEFAULT_TOLERANCE_M
    assert cli.PREFECTURE == municipalities.PREFECTURE
