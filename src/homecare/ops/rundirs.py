"""Where a run writes (実行フォルダ): the official pipeline and named scenarios kept apart.

``outputs/latest`` is only ever a complete run of the official parameters
(``params/default.yaml``). A run with any other parameter file is a scenario: its runs and its
own ``latest`` live under ``outputs/scenarios/<name>/`` and its processed tables under
``data/processed/scenarios/<name>/``, so a scenario can never replace an official figure or a
table the official stages read. The scenario name (``run.scenario`` in the file, else the
file's stem) is printed on every figure and sheet it produces. Old run folders are pruned,
keeping the newest ``run.keep_runs`` and every run a ``latest`` points to.
Terms: docs/glossary.md.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from homecare.core import paths
from homecare.core.errors import HomecareError, ParameterError

OFFICIAL_PARAMS = Path("params/default.yaml")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,63}$")
RUN_FILES = frozenset(
    {"manifest.json", "FAILED.md", "changes.md", "changes.csv", "tables.xlsx", "figures.pptx", "index.html"}
)


@dataclass(frozen=True)
class RunTarget:
    """The folders one run uses: its runs and ``latest`` (``outputs_root``) and its processed
    tables (``processed_root``); ``scenario`` is None for the official pipeline."""

    scenario: str | None
    outputs_root: Path
    processed_root: Path

    @property
    def label(self) -> str:
        return "official" if self.scenario is None else f"scenario {self.scenario}"


def is_official(params_source: Path) -> bool:
    """Whether the parameter file is the official one (``params/default.yaml`` of this project)."""
    return params_source.resolve() == paths.resolve(OFFICIAL_PARAMS).resolve()


def target_for(params_source: Path, scenario: str | None) -> RunTarget:
    """The official target for ``params/default.yaml`` (``scenario`` must then be unset), else
    the scenario named ``scenario`` or after the file."""
    if is_official(params_source):
        if scenario:
            raise ParameterError(f"{paths.relative(params_source)} is the official parameter file: remove run.scenario")
        return RunTarget(None, paths.outputs_dir(), paths.official_processed_dir())
    name = scenario or params_source.stem.lower()
    if not _NAME.match(name):
        raise ParameterError(
            f"scenario name {name!r} (run.scenario, or the parameter file's name) must be lower-case letters, "
            f"digits, _ or -, e.g. yokohama3"
        )
    return RunTarget(
        name, paths.outputs_dir() / "scenarios" / name, paths.official_processed_dir() / "scenarios" / name
    )


def latest_dir(root: Path | None = None) -> Path:
    """``<outputs root>/latest`` (the official one by default)."""
    return (root or paths.outputs_dir()) / "latest"


def latest_run(root: Path | None = None) -> Path | None:
    """The run folder ``latest`` points at, if any."""
    link = latest_dir(root)
    return link.resolve() if link.exists() else None


def new_run_dir(root: Path) -> tuple[str, Path]:
    """A new, empty ``<root>/runs/<UTC timestamp>[-k]`` folder."""
    runs = root / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    run_id, k = stamp, 1
    while (runs / run_id).exists():
        k += 1
        run_id = f"{stamp}-{k}"
    (runs / run_id).mkdir()
    return run_id, runs / run_id


def switch_latest(root: Path, run_dir: Path) -> None:
    """Point ``<root>/latest`` at ``run_dir`` atomically (rename of a new symlink)."""
    link = latest_dir(root)
    if link.exists() and not link.is_symlink():
        raise HomecareError(f"{paths.relative(link)} is a real folder, not the runner's link; move it away first")
    tmp = link.with_name(".latest.tmp")
    tmp.unlink(missing_ok=True)
    os.symlink(os.path.relpath(run_dir, link.parent), tmp)
    os.replace(tmp, link)


def stage_files(run_dir: Path) -> set[str]:
    """Files a stage may write into a run folder: everything except the executed notebooks
    and the files the runner itself writes (:data:`RUN_FILES`)."""
    out = set()
    for p in run_dir.rglob("*"):
        rel = p.relative_to(run_dir)
        if p.is_file() and rel.parts[0] != "notebooks" and not (len(rel.parts) == 1 and rel.name in RUN_FILES):
            out.add(rel.as_posix())
    return out


def prune(root: Path, keep: int) -> list[str]:
    """Delete the oldest run folders under ``<root>/runs`` beyond the newest ``keep``, never the
    one ``<root>/latest`` points to (nor, for the official root, any scenario's). Returns the
    names removed."""
    runs = root / "runs"
    if keep < 1 or not runs.is_dir():
        return []
    protected = {p for p in [latest_run(root)] if p is not None}
    scenarios = root / "scenarios"
    if scenarios.is_dir():
        protected |= {p for s in scenarios.iterdir() if (p := latest_run(s)) is not None}
    folders = sorted((p for p in runs.iterdir() if p.is_dir()), key=lambda p: p.name)
    removed = []
    for folder in folders[:-keep]:
        if folder.resolve() in protected:
            continue
        shutil.rmtree(folder)
        removed.append(folder.name)
    return removed
