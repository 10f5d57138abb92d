"""Committed notebooks: no outputs, one `parameters` cell of plain literals with output_dir,
the project kernel, and a stage record at the end (thin notebooks over the package)."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from homecare.ops import runner

NOTEBOOKS = runner.discover_notebooks()


def test_pipeline_notebooks_exist() -> None:
    assert NOTEBOOKS and NOTEBOOKS[0].name == "00_reference_areas.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_clean_and_parameterised(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "strip outputs before committing"
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1, "exactly one cell tagged 'parameters'"
    tree = ast.parse(params[0].source)
    names = []
    for node in tree.body:
        assert isinstance(node, ast.Assign), "parameters cell holds assignments only"
        ast.literal_eval(node.value)  # raises if a value is not a plain literal
        names += [t.id for t in node.targets]
    assert "output_dir" in names
    assert nb.metadata["kernelspec"]["name"] == "homecare"
    assert "finish_stage(" in code[-1].source
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("#")
