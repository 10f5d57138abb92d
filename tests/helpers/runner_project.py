"""A tiny two-stage project for runner tests (fast notebooks instead of the real pipeline).

``00_a`` reads ``data/raw/in.csv`` (recorded as an input), scales it, writes the processed
table ``a_table`` and publishes table ``a``; ``01_b`` reads ``a_table`` with
``read_processed`` and publishes the per-area sums as table ``b``. ``00_a`` also prints the
working directory, the home folder and a token-like string, which must not survive into the
run folder. ``raise_input_error`` makes ``00_a`` fail like a stage that found bad input.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

STAGE_A = """import os
from pathlib import Path
import pandas as pd
from homecare.core import processed, provenance
from homecare.core.errors import InputError
from homecare.publish.tables import write_table
provenance.reset()
print("cwd", os.getcwd(), "home", Path.home(), "api_key=" + "abcd1234efgh5678ijkl")
if raise_input_error:
    raise InputError("市町村名が参照表にありません", file=src, sheet="S", row=12, column="市町村名", value="横浜巿")
provenance.note_input(src)
df = pd.read_csv(src, encoding="utf-8")
df["件数（件）"] = df["件数（件）"] * scale
processed.write_processed(df, "a_table")
write_table(df, output_dir, "a", title="表A", sources=["テスト"], sample=False)
provenance.finish_stage(output_dir, "00_a", rows={"a": len(df)})"""

STAGE_B = """from homecare.core import processed, provenance
from homecare.publish.tables import write_table
provenance.reset()
df = processed.read_processed("a_table")
out = df.groupby("地域", as_index=False)["件数（件）"].sum()
write_table(out, output_dir, "b", title="表B", sources=["テスト"], sample=False)
provenance.finish_stage(output_dir, "01_b", rows={"b": len(out)})"""

REFERENCE = Path(__file__).resolve().parents[2] / "data" / "raw" / "reference"
INPUT = "地域,区分,件数（件）\n北,x,10\n北,y,20\n南,x,5\n"


def write_notebook(path: Path, parameters: str, body: str) -> None:
    """A notebook with a ``parameters`` cell and one code cell."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(body),
    ]
    nb.metadata["kernelspec"] = {"name": "homecare", "display_name": "homecare", "language": "python"}
    nbformat.write(nb, path)


def make_project(root: Path) -> Path:
    """Create the two-stage project under ``root``; returns ``root``."""
    (root / "notebooks").mkdir(parents=True)
    (root / "params").mkdir()
    (root / "data" / "raw" / "reference").mkdir(parents=True)
    (root / "data" / "raw" / "in.csv").write_text(INPUT, encoding="utf-8")
    shutil.copyfile(REFERENCE / "disclosure.yml", root / "data" / "raw" / "reference" / "disclosure.yml")
    write_notebook(
        root / "notebooks" / "00_a.ipynb",
        'output_dir = "outputs/dev"\nsrc = "data/raw/in.csv"\nscale = 1\nraise_input_error = False',
        STAGE_A,
    )
    write_notebook(root / "notebooks" / "01_b.ipynb", 'output_dir = "outputs/dev"', STAGE_B)
    return root


def use_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The two-stage project as ``HOMECARE_ROOT``, with its own outputs and data/processed.

    The package-source hash is pinned: colleagues editing src/homecare while the tests run
    must not turn "unchanged" into "package code changed" (test_runner_incremental checks
    the hash itself)."""
    from homecare.ops import incremental

    real = incremental.code_fingerprint
    monkeypatch.setattr(incremental, "code_fingerprint", lambda kernel: {**real(kernel), "package": "pinned"})
    root = make_project(tmp_path / "proj")
    monkeypatch.setenv("HOMECARE_ROOT", str(root))
    monkeypatch.delenv("HOMECARE_OUTPUTS_DIR", raising=False)
    monkeypatch.delenv("HOMECARE_PROCESSED_DIR", raising=False)
    return root


def params(root: Path, body: str = "notebooks: {}\n", name: str = "default.yaml") -> str:
    """Write a parameter file into the project (the two stages listed first); returns its path."""
    path = root / "params" / name
    path.write_text("stages: [00_a, 01_b]\n" + body, encoding="utf-8")
    return str(path)


def statuses(run_dir: Path) -> dict[str, str]:
    """{stage: status} from a run's manifest."""
    import json

    data = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    return {s["name"]: s["status"] for s in data["stages"]}
