"""environment.yml (conda) and requirements/lock.txt (pip) describe the same environment,
and every direct dependency of the package is pinned."""

from __future__ import annotations

import re
import tomllib

import yaml

from homecare.core import paths


def _lock() -> dict[str, str]:
    pins = {}
    for line in (paths.project_root() / "requirements" / "lock.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.strip().split("==")
            pins[name.lower().replace("_", "-")] = version
    return pins


def test_environment_yml_pins_equal_the_lock() -> None:
    env = yaml.safe_load((paths.project_root() / "environment.yml").read_text(encoding="utf-8"))
    deps = env["dependencies"]
    assert "python=3.11" in deps
    pip_section = next(d["pip"] for d in deps if isinstance(d, dict))
    conda_pins = {}
    for pin in pip_section:
        name, version = pin.split("==")
        conda_pins[name.lower().replace("_", "-")] = version
    assert conda_pins == _lock()


def test_direct_dependencies_are_pinned() -> None:
    project = tomllib.loads((paths.project_root() / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["dev"]
    lock = _lock()
    missing = [d for d in wanted if re.split(r"[<>=\[ ]", d)[0].lower().replace("_", "-") not in lock]
    assert missing == []
    for core in (
        "jupyterlab",
        "pandas",
        "geopandas",
        "seaborn",
        "papermill",
        "nbval",
        "pandera",
        "pooch",
        "openpyxl",
        "matplotlib-fontja",
        "pyogrio",
    ):
        assert core in lock
