"""Pipeline runner on a tiny throwaway project: success switches outputs/latest; a failing
notebook keeps it intact and exits non-zero; unknown or mistyped parameters are rejected."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from runner_project import REFERENCE

from homecare.core.errors import ParameterError
from homecare.ops import runner

TINY = """import pandas as pd
from homecare.core import provenance
from homecare.publish.tables import write_table
provenance.reset()
df = pd.DataFrame({"区分": ["a", "b"], "件数（件）": [n, n + 1]})
write_table(df, output_dir, "tiny", title="テスト表", sources=["テスト"], sample=False)
if fail:
    raise ValueError("boom in cell")
provenance.finish_stage(output_dir, "00_tiny", rows={"tiny": len(df)})"""


def _notebook(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell('output_dir = "outputs/dev"\nn = 3\nfail = False', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(TINY),
    ]
    nb.metadata["kernelspec"] = {"name": "homecare", "display_name": "homecare", "language": "python"}
    nbformat.write(nb, path)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "proj"
    (root / "notebooks").mkdir(parents=True)
    (root / "params").mkdir()
    (root / "data" / "raw" / "reference").mkdir(parents=True)
    shutil.copyfile(REFERENCE / "disclosure.yml", root / "data" / "raw" / "reference" / "disclosure.yml")
    _notebook(root / "notebooks" / "00_tiny.ipynb")
    monkeypatch.setenv("HOMECARE_ROOT", str(root))
    monkeypatch.delenv("HOMECARE_OUTPUTS_DIR", raising=False)
    monkeypatch.delenv("HOMECARE_PROCESSED_DIR", raising=False)
    return root


def _params(root: Path, body: str) -> str:
    path = root / "params" / "default.yaml"
    path.write_text("stages: [00_tiny]\n" + body, encoding="utf-8")
    return str(path)


def test_success_then_failure_keeps_latest(project: Path) -> None:
    ok = runner.run_pipeline(_params(project, "notebooks:\n  00_tiny:\n    n: 5\n"), log=lambda s: None)
    latest = project / "outputs" / "latest"
    assert latest.is_symlink() and latest.resolve() == ok
    table = (latest / "tables" / "tiny.csv").read_bytes()
    assert table.startswith(b"\xef\xbb\xbf") and "件数（件）".encode() in table
    manifest = json.loads((latest / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "succeeded"
    assert manifest["stages"][0]["parameters"]["n"] == 5 and manifest["stages"][0]["rows"] == {"tiny": 2}
    assert "pandas" in manifest["packages"] and "commit" in manifest["git"]
    assert (latest / "tables.xlsx").is_file() and (latest / "index.html").is_file()

    with pytest.raises(runner.RunFailed, match="00_tiny failed in cell") as err:
        runner.run_pipeline(_params(project, "notebooks:\n  00_tiny:\n    fail: true\n"), log=lambda s: None)
    assert "ValueError: boom in cell" in str(err.value)
    assert latest.resolve() == ok, "outputs/latest must not move after a failed run"
    failed = [d for d in (project / "outputs" / "runs").iterdir() if d != ok]
    assert len(failed) == 1
    assert "boom in cell" in (failed[0] / "FAILED.md").read_text(encoding="utf-8")
    executed = (failed[0] / "notebooks" / "00_tiny.ipynb").read_text(encoding="utf-8")
    assert "boom in cell" in executed
    assert str(project) not in executed, "executed notebooks must not carry local absolute paths"


def test_cli_failure_exits_non_zero(project: Path) -> None:
    params = _params(project, "notebooks:\n  00_tiny:\n    fail: true\n")
    proc = subprocess.run(
        [sys.executable, "-m", "homecare.cli", "run", "--params", params],
        capture_output=True,
        text=True,
        env={**os.environ, "HOMECARE_ROOT": str(project)},
    )
    assert proc.returncode == 1, "a notebook failing on its own code exits 1 (bad input would be 2)"
    assert "00_tiny failed" in proc.stderr and "Traceback" not in proc.stderr
    assert not (project / "outputs" / "latest").exists()


@pytest.mark.parametrize(
    "body, message",
    [
        ("notebooks:\n  00_tiny:\n    nope: 1\n", r"unknown parameter\(s\) \['nope'\]"),
        ("notebooks:\n  00_tiny:\n    n: three\n", "parameter n = 'three' is str, expected int"),
        ("notebooks:\n  00_tiny:\n    fail: 1\n", "parameter fail = 1 is int, expected bool"),
        ("notebooks:\n  99_missing:\n    n: 1\n", r"notebook section\(s\) \['99_missing'\] are not in `stages`"),
        ("notebook:\n  00_tiny: {}\n", "unknown top-level key"),
        ("notebooks:\n  00_tiny:\n    output_dir: x\n", "set by the runner"),
    ],
)
def test_bad_parameters_are_rejected_before_running(project: Path, body: str, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        runner.run_pipeline(_params(project, body), log=lambda s: None)
    assert not (project / "outputs" / "runs").exists() or not any((project / "outputs" / "runs").iterdir())


def test_select_stages() -> None:
    names = ["00_a", "01_b", "02_c"]
    assert runner.select_stages(names, None, None) == names
    assert runner.select_stages(names, ["01"], None) == ["01_b"]
    assert runner.select_stages(names, ["c"], None) == ["02_c"]
    assert runner.select_stages(names, None, "01_b") == ["01_b", "02_c"]
    with pytest.raises(ParameterError, match="unknown notebook"):
        runner.select_stages(names, ["zz"], None)
