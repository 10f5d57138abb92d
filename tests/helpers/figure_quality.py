"""The figure-quality check of a run folder: every figure record (``figures/<name>.json``,
written by :func:`homecare.figures.style.save_figure`) read back and checked with
:func:`homecare.figures.style.quality_problems` (text at least 8 pt on a 16:9 slide, one scale
for the panels of one measure)."""

from __future__ import annotations

import json
from pathlib import Path

from homecare.figures import style


def run_figure_problems(folder: Path) -> dict[str, list[str]]:
    """Figure name -> what breaks the house style (figures without a problem left out); a
    record without a quality entry is itself a problem."""
    found = {}
    for path in sorted((folder / "figures").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        problems = style.quality_problems(record["quality"]) if "quality" in record else ["no quality record"]
        if problems:
            found[path.stem] = problems
    return found


def assert_run_figures_pass(folder: Path) -> int:
    """Fail naming every figure of ``folder`` that breaks the house style or shares its title with
    another figure (the title is the slide's title in the deck's outline); returns how many were
    checked."""
    records = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((folder / "figures").glob("*.json"))]
    assert records, f"no figure records in {folder / 'figures'}"
    assert run_figure_problems(folder) == {}
    titles: dict[str, list[str]] = {}
    for record in records:
        titles.setdefault(record["title"], []).append(record["name"])
    assert {t: names for t, names in titles.items() if len(names) > 1} == {}, "figures with the same title"
    return len(records)
