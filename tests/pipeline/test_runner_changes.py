"""changes.md / changes.csv: inputs added, removed and changed; rows added and removed;
numbers changed beyond the tolerance (and not those within it); end to end through a run."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import runner_project

from homecare.ops import changes, runner


@pytest.fixture
def two_stage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return runner_project.use_project(tmp_path, monkeypatch)


def _table(folder: Path, name: str, text: str) -> Path:
    path = folder / "tables" / f"{name}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8-sig"))
    return path


def _run(folder: Path, inputs: dict[str, str], tables: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps({"inputs": inputs}), encoding="utf-8")
    for name, text in tables.items():
        _table(folder, name, text)
    return folder


OLD = (
    "市区町村コード,市区町村,人数（人）,得点（点）\n14100,横浜市,120,3.25\n14130,川崎市,80,2.5\n14150,相模原市,40,1.0\n"
)
NEW = "市区町村コード,市区町村,人数（人）,得点（点）\n14100,横浜市,121,3.2500000001\n14130,川崎市,<10,2.5\n14201,横須賀市,30,1.5\n"


def test_compare_table_rows_and_numbers(tmp_path: Path) -> None:
    diff = changes.compare_table("t", _table(tmp_path / "a", "t", OLD), _table(tmp_path / "b", "t", NEW), 1e-6)
    assert diff.keys == ["市区町村コード", "市区町村"], "codes are keys although numeric; names are keys"
    assert diff.rows_added == ["14201 / 横須賀市"] and diff.rows_removed == ["14150 / 相模原市"]
    assert ("14100 / 横浜市", "人数（人）", 120.0, 121.0) in diff.cells
    assert ("14130 / 川崎市", "人数（人）", 80.0, "<10") in diff.cells, "a newly suppressed cell is a change"
    assert not any(c[1] == "得点（点）" for c in diff.cells), "1e-10 is rounding noise, not a change"
    loose = changes.compare_table("t", tmp_path / "a/tables/t.csv", tmp_path / "b/tables/t.csv", 5.0)
    assert [c[1] for c in loose.cells] == ["人数（人）"], "within tolerance 5 only the suppression remains"


def test_compare_table_with_duplicate_keys_falls_back_to_position(tmp_path: Path) -> None:
    a = _table(tmp_path / "a", "t", "地域,人数（人）\n北,1\n北,2\n")
    b = _table(tmp_path / "b", "t", "地域,人数（人）\n北,1\n北,3\n")
    diff = changes.compare_table("t", a, b, 0.0)
    assert "not unique" in diff.note
    assert diff.cells == [("row 3", "人数（人）", 2.0, 3.0)]


def test_compare_runs_and_write(tmp_path: Path) -> None:
    old = _run(
        tmp_path / "r1", {"data/raw/a.csv": "1" * 64, "data/raw/gone.csv": "2" * 64}, {"t": OLD, "dropped": "a\nx\n"}
    )
    new = _run(
        tmp_path / "r2", {"data/raw/a.csv": "3" * 64, "data/raw/new.csv": "4" * 64}, {"t": NEW, "fresh": "a\nx\n"}
    )
    found = changes.write_changes(
        old, new, "r2", stages=[{"name": "00_x", "status": "ran", "why": "input data/raw/a.csv changed"}]
    )
    assert [(p, c) for p, c, _, _ in found.inputs] == [
        ("data/raw/a.csv", "changed"),
        ("data/raw/gone.csv", "removed"),
        ("data/raw/new.csv", "added"),
    ]
    md = (new / "changes.md").read_text(encoding="utf-8")
    assert "Compared with the previous successful run `r1`" in md
    assert "- changed: `data/raw/a.csv` (SHA-256 111111111111 → 333333333333)" in md
    assert "| dropped | removed |" in md and "| fresh | added |" in md
    assert "| t | changed | 1 | 1 | 2 |" in md
    assert "| 14100 / 横浜市 | 人数（人） | 120 | 121 | +1 |" in md
    csv = pd.read_csv(new / "changes.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(csv.columns) == changes.CHANGE_COLUMNS
    assert len(csv[(csv.kind == "cell") & (csv.item == "t")]) == 2
    assert set(csv[csv.kind == "row"].change) == {"added", "removed"}


def test_first_run_says_everything_is_new(tmp_path: Path) -> None:
    new = _run(tmp_path / "r1", {"data/raw/a.csv": "1" * 64}, {"t": OLD})
    changes.write_changes(None, new, "r1")
    md = (new / "changes.md").read_text(encoding="utf-8")
    assert "No previous successful run" in md and "| t | added |" in md


def test_run_writes_changes_against_previous_run(two_stage: Path) -> None:
    root = two_stage
    runner.run_pipeline(runner_project.params(root), log=lambda s: None)
    (root / "data" / "raw" / "in.csv").write_text(
        "地域,区分,件数（件）\n北,x,10\n北,y,20\n南,x,7\n東,x,1\n", encoding="utf-8"
    )
    run = runner.run_pipeline(runner_project.params(root), log=lambda s: None)
    latest = root / "outputs" / "latest"
    assert latest.resolve() == run
    md = (latest / "changes.md").read_text(encoding="utf-8")
    assert "- changed: `data/raw/in.csv`" in md
    assert "| 00_a | ran | input data/raw/in.csv changed |" in md
    assert "| 南 | 件数（件） | 5 | 7 | +2 |" in md
    assert "Rows added (1): 東" in md
    assert (latest / "changes.csv").is_file()
    assert "changes.md" in json.loads((latest / "manifest.json").read_text(encoding="utf-8"))["outputs"]


@pytest.mark.parametrize("text, expected", [("1.5", 1.5), ("", None), ("<10", "<10"), ("x", "x")])
def test_values(text: str, expected: object) -> None:
    assert changes._value(text) == expected
