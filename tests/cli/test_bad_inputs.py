"""Bad-input corpus through the CLI (tests/cli/bad_inputs/corpus.yml).

Each entry's bad file is built from a committed sample by make_corpus.py, then the entry's
``homecare`` command runs (in-process, as the console script would) with temporary outputs/
and data/processed. Checks:
the expected exit code, a clear message (no traceback) or a QA entry, and that
``outputs/latest`` did not move (neither the temporary one nor the repository's).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from cli_run import CliResult, run_cli

from homecare.core import paths

sys.path.insert(0, str(Path(__file__).parent / "bad_inputs"))
import make_corpus  # noqa: E402

ROOT = paths.project_root()
ENTRIES = make_corpus.load_corpus()


def _marks(entry: dict[str, Any]) -> list[pytest.MarkDecorator]:
    marks = [pytest.mark.slow] if entry.get("slow") else []
    if entry.get("known_gap"):
        marks.append(pytest.mark.xfail(reason=entry["known_gap"], strict=True))
    return marks


def _tree(folder: Path) -> dict[str, str]:
    """Relative path -> SHA-256 (symlinks -> their target) of everything below ``folder``."""
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_symlink():
            out[rel] = "-> " + os.readlink(p)
        elif p.is_file():
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _seed_outputs(outputs: Path) -> None:
    """A previous successful run behind outputs/latest, which no bad input may replace."""
    run = outputs / "runs" / "20260101T000000Z"
    (run / "tables").mkdir(parents=True)
    (run / "tables" / "t.csv").write_bytes("区分,件数（件）\na,1\n".encode("utf-8-sig"))
    (run / "manifest.json").write_text('{"status": "succeeded", "stages": [], "inputs": {}}\n', encoding="utf-8")
    (outputs / "latest").symlink_to(os.path.relpath(run, outputs))


def _scratch_root(tmp: Path) -> Path:
    """A project root with a copy of the reference tables (for files placed under root/)."""
    root = tmp / "root"
    shutil.copytree(ROOT / "data" / "raw" / "reference", root / "data" / "raw" / "reference")
    return root


def run_entry(entry: dict[str, Any], tmp: Path) -> tuple[CliResult, dict[str, str]]:
    """Build the entry's file, run its command; returns the process and the substitutions."""
    outputs, processed, scratch = tmp / "outputs", tmp / "processed", tmp / "scratch"
    for d in (outputs, processed, scratch):
        d.mkdir()
    _seed_outputs(outputs)
    bad = make_corpus.build(entry, ROOT, tmp / "corpus")
    env = {
        **os.environ,
        "HOMECARE_OUTPUTS_DIR": str(outputs),
        "HOMECARE_PROCESSED_DIR": str(processed),
        "HOMECARE_OFFLINE": "1",
    }
    place = entry.get("place")
    if place:
        kind, rel = place.split("/", 1)
        if kind == "root":
            root = _scratch_root(tmp)
            env["HOMECARE_ROOT"] = str(root)
            target = root / rel
        elif kind == "mirror":
            env["HOMECARE_DATA_MIRROR"] = str(tmp / "mirror")
            env["HOMECARE_EXTERNAL_DIR"] = str(tmp / "external")
            target = tmp / "mirror" / rel
        else:
            raise ValueError(f"{entry['id']}: place must start with root/ or mirror/")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(bad, target)
    subs = {"{file}": str(bad), "{tmp}": str(scratch), "{params}": str(scratch / "params.yaml")}
    if entry.get("params"):  # a parameter file naming the bad file, for stages run by homecare run
        (scratch / "params.yaml").write_text(entry["params"].replace("{file}", str(bad)), encoding="utf-8")
    args = [subs.get(a, a) for a in entry["command"]]
    args = [a.replace("{tmp}", str(scratch)) for a in args]
    return run_cli(*args, env=env, cwd=ROOT), subs


@pytest.mark.parametrize("entry", [pytest.param(e, id=e["id"], marks=_marks(e)) for e in ENTRIES])
def test_bad_input(entry: dict[str, Any], tmp_path: Path) -> None:
    real_latest = (ROOT / "outputs" / "latest").resolve() if (ROOT / "outputs" / "latest").exists() else None
    outputs = tmp_path / "outputs"
    proc, subs = run_entry(entry, tmp_path)
    expect = entry["expect"]
    said = proc.stderr + proc.stdout
    assert proc.returncode == expect["exit"], (
        f"exit {proc.returncode}\nstderr: {proc.stderr[-2000:]}\nstdout: {proc.stdout[-500:]}"
    )
    assert "Traceback" not in said, said[-2000:]
    if expect.get("message"):
        assert expect["message"] in said, said[-2000:]
    if expect.get("qa"):
        qa_file = Path(expect["qa_file"].replace("{tmp}", subs["{tmp}"]))
        assert expect["qa"] in qa_file.read_text(encoding="utf-8-sig")
    if proc.returncode != 0:
        assert os.readlink(outputs / "latest") == "runs/20260101T000000Z", "a failed command moved outputs/latest"
        assert _tree(outputs / "runs" / "20260101T000000Z") == _tree_seeded(tmp_path)
    after = (ROOT / "outputs" / "latest").resolve() if (ROOT / "outputs" / "latest").exists() else None
    assert after == real_latest, "the repository's outputs/latest must never change in tests"


def _tree_seeded(tmp_path: Path) -> dict[str, str]:
    seed = tmp_path / "expected"
    _seed_outputs(seed)
    return _tree(seed / "runs" / "20260101T000000Z")


def test_corpus_covers_every_kind() -> None:
    kinds = {e["kind"] for e in ENTRIES}
    required = {
        "wrong encoding",
        "truncated file",
        "wrong sheet",
        "missing columns",
        "duplicated keys",
        "values out of range",
        "empty file",
        "file of a different year",
    }
    assert required <= kinds, sorted(required - kinds)


def test_bad_files_are_deterministic(tmp_path: Path) -> None:
    for entry in ENTRIES:
        if entry["mutation"].startswith("xlsx_"):
            continue  # openpyxl stamps the save time into docProps; the cells are what matter
        a = make_corpus.build(entry, ROOT, tmp_path / "a")
        b = make_corpus.build(entry, ROOT, tmp_path / "b")
        assert a.read_bytes() == b.read_bytes(), entry["id"]
