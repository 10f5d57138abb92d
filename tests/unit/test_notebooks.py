"""Committed notebooks: the stages the parameter file lists, no outputs, one `parameters` cell
of plain literals with output_dir, the project kernel, thin code cells over the package, and a
stage record at the end."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from homecare.ops import params, runner

PARAMS = params.load_params("params/default.yaml")
NOTEBOOKS = list(runner.stage_notebooks(PARAMS).values())
MAX_CELL_LINES = 6  # a cell with more logic than this belongs in homecare.stages


def test_pipeline_notebooks_exist() -> None:
    assert NOTEBOOKS and NOTEBOOKS[0].name == "00_reference_areas.ipynb"
    assert [p.stem for p in NOTEBOOKS] == list(PARAMS.stages)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_clean_and_parameterised(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "strip outputs before committing"
    params_cells = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params_cells) == 1, "exactly one cell tagged 'parameters'"
    tree = ast.parse(params_cells[0].source)
    names = []
    for node in tree.body:
        assert isinstance(node, ast.Assign), "parameters cell holds assignments only"
        ast.literal_eval(node.value)  # raises if a value is not a plain literal
        names += [t.id for t in node.targets]
    assert "output_dir" in names
    assert nb.metadata["kernelspec"]["name"] == "homecare"
    assert code[-1].source.strip() == "stage.finish()" or code[-1].source.startswith("stage.finish(")
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("#")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_thin(path: Path) -> None:
    """Notebooks hold parameters, narrative, calls into the package and displays: no helper
    definitions, no loops, no cell longer than a few lines."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
            continue
        lines = [line for line in cell.source.splitlines() if line.strip() and not line.strip().startswith("#")]
        assert len(lines) <= MAX_CELL_LINES, f"{path.stem}: cell of {len(lines)} lines:\n{cell.source}"
        for node in ast.walk(ast.parse(cell.source)):
            assert not isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.For, ast.While, ast.Lambda)), (
                f"{path.stem}: logic in a notebook cell belongs in homecare.stages:\n{cell.source}"
            )
