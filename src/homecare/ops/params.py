"""Run parameters: a YAML file naming the stages in run order, values shared by several
notebooks, and one section per notebook, checked against the notebooks' own ``parameters``
cells before anything runs.

Unknown notebook or parameter names are errors (a typo must not become a silent no-op), a
shared value repeated in a notebook section is an error (one run never mixes two area
schemes), and each value must have the type of the notebook's default (papermill's ``-p``
would pass strings; the YAML file keeps ints, lists and booleans typed). Terms: docs/glossary.md.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from homecare.core import paths
from homecare.core.errors import ParameterError
from homecare.core.yamlio import load_yaml_mapping

RUNNER_PARAMETERS = {"output_dir"}  # set by the runner, not by the YAML file
_TOP_KEYS = {"stages", "shared", "notebooks", "run"}
_RUN_KEYS = {"kernel", "timeout_seconds", "scenario", "data_roots", "keep_runs"}
PATH_SUFFIXES = (
    ".csv",
    ".xlsx",
    ".xls",
    ".xlsm",
    ".yml",
    ".yaml",
    ".json",
    ".txt",
    ".zip",
    ".parquet",
    ".gpkg",
    ".geojson",
)


@dataclass(frozen=True)
class RunSettings:
    """The ``run:`` section: kernel, cell timeout, scenario name (parameter files other than
    params/default.yaml; default: the file's name), folders outside the project that inputs may
    come from, and how many run folders to keep."""

    kernel: str = "homecare"
    timeout_seconds: int = 1800  # per cell; a hung cell must not block the schedule forever
    scenario: str | None = None
    data_roots: tuple[str, ...] = ()
    keep_runs: int = 20


@dataclass(frozen=True)
class RunParams:
    """Parsed parameter file: per-notebook overrides and runner settings."""

    source: str
    stages: tuple[str, ...] = ()
    shared: dict[str, Any] = field(default_factory=dict)
    notebooks: dict[str, dict[str, Any]] = field(default_factory=dict)
    run: RunSettings = field(default_factory=RunSettings)

    def for_notebook(self, name: str, declared: set[str] | None = None) -> dict[str, Any]:
        """The parameters given to one notebook: the shared values it declares (all of them
        when ``declared`` is None) and its own section."""
        shared = {k: v for k, v in self.shared.items() if declared is None or k in declared}
        return {**shared, **self.notebooks.get(name, {})}


def load_params(path: str | Path) -> RunParams:
    """Read a parameter file (``params/default.yaml``); structure errors name the file."""
    p = paths.resolve(path)
    where = paths.relative(p)
    raw = load_yaml_mapping(p, ParameterError, what="parameter file")
    unknown = set(raw) - _TOP_KEYS
    if unknown:
        raise ParameterError(f"{where}: unknown top-level key(s) {sorted(unknown)}; allowed: {sorted(_TOP_KEYS)}")
    run_raw = raw.get("run") or {}
    bad_run = set(run_raw) - _RUN_KEYS
    if bad_run:
        raise ParameterError(f"{where}: unknown key(s) under run: {sorted(bad_run)}; allowed: {sorted(_RUN_KEYS)}")
    stages = raw.get("stages")
    if not isinstance(stages, list) or not stages or not all(isinstance(s, str) for s in stages):
        raise ParameterError(f"{where}: `stages` must list the notebooks to run, in order (e.g. - 00_reference_areas)")
    twice = sorted({s for s in stages if stages.count(s) > 1})
    if twice:
        raise ParameterError(f"{where}: stages listed twice: {twice}")
    shared = raw.get("shared") or {}
    if not isinstance(shared, dict):
        raise ParameterError(f"{where}: `shared` must be a mapping of parameter: value")
    notebooks = raw.get("notebooks") or {}
    for name, section in notebooks.items():
        if not isinstance(section, dict) and section is not None:
            raise ParameterError(f"{where}: notebooks.{name} must be a mapping of parameter: value")
        clash = RUNNER_PARAMETERS & set(section or {})
        if clash:
            raise ParameterError(f"{where}: notebooks.{name}: {sorted(clash)} is set by the runner, remove it")
        repeated = sorted(set(shared) & set(section or {}))
        if repeated:
            raise ParameterError(
                f"{where}: notebooks.{name} repeats {repeated} from `shared`: set it once, under shared"
            )
    unlisted = sorted(set(notebooks) - set(stages))
    if unlisted:
        raise ParameterError(f"{where}: notebook section(s) {unlisted} are not in `stages`")
    return RunParams(
        source=where,
        stages=tuple(stages),
        shared=dict(shared),
        notebooks={k: dict(v or {}) for k, v in notebooks.items()},
        run=_run_settings(run_raw, where),
    )


def _run_settings(raw: dict[str, Any], where: str) -> RunSettings:
    """The ``run:`` section, typed and checked."""
    roots = raw.get("data_roots") or []
    if not isinstance(roots, list) or not all(isinstance(r, str) and r.strip() for r in roots):
        raise ParameterError(f"{where}: run.data_roots must be a list of folders")
    keep = raw.get("keep_runs", RunSettings.keep_runs)
    if not isinstance(keep, int) or isinstance(keep, bool) or keep < 1:
        raise ParameterError(f"{where}: run.keep_runs must be a whole number of at least 1, got {keep!r}")
    scenario = raw.get("scenario")
    if scenario is not None and not isinstance(scenario, str):
        raise ParameterError(f"{where}: run.scenario must be a name, got {scenario!r}")
    settings = {k: v for k, v in raw.items() if k in ("kernel", "timeout_seconds")}
    return RunSettings(**settings, scenario=scenario, data_roots=tuple(roots), keep_runs=keep)


def path_values(parameters: dict[str, Any]) -> list[tuple[str, str]]:
    """(name, value) of every parameter value that names a file or folder (a text with a path
    separator or a data-file suffix), inside lists and mappings too (``care_files[3]``)."""
    found: list[tuple[str, str]] = []

    def visit(key: str, value: Any) -> None:
        if isinstance(value, str):
            if value and ("/" in value or "\\" in value or value.lower().endswith(PATH_SUFFIXES)):
                found.append((key, value))
        elif isinstance(value, list | tuple):
            for i, item in enumerate(value):
                visit(f"{key}[{i}]", item)
        elif isinstance(value, dict):
            for k, item in value.items():
                visit(f"{key}.{k}", item)

    for key, value in parameters.items():
        if key != "output_dir":
            visit(key, value)
    return found


def notebook_defaults(notebook: Path) -> dict[str, Any]:
    """The parameters a notebook declares (its cell tagged ``parameters``) with default values.

    Parsed from the notebook's JSON with ``ast`` rather than ``papermill.inspect_notebook``:
    same result for a cell of plain literals, and no papermill import (about 3 s, most of a
    no-change scheduled run, which executes nothing)."""
    import json

    cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    cell = next((c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if cell is None:
        return {}
    source = "".join(cell.get("source", ""))
    defaults = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name, value = node.targets[0].id, node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            name, value = node.target.id, node.value
        else:
            continue
        try:
            defaults[name] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            raise ParameterError(
                f"{paths.relative(notebook)}: parameter {name} = {ast.get_source_segment(source, value)} is not a plain literal; "
                f"keep the parameters cell to literals (derived values are not recomputed after injection)"
            ) from None
    return defaults


def _type_ok(value: Any, default: Any) -> bool:
    if default is None or value is None:
        return True
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))


def check_parameters(notebook: Path, given: dict[str, Any], defaults: dict[str, Any] | None = None) -> None:
    """Raise ParameterError for a parameter the notebook does not declare, or of another type.
    ``defaults``: the notebook's parameters cell when the caller has already read it."""
    defaults = notebook_defaults(notebook) if defaults is None else defaults
    name = notebook.stem
    unknown = sorted(set(given) - set(defaults))
    if unknown:
        raise ParameterError(
            f"notebook {name}: unknown parameter(s) {unknown}; it accepts: {sorted(set(defaults) - RUNNER_PARAMETERS)}"
        )
    for key, value in given.items():
        if not _type_ok(value, defaults[key]):
            raise ParameterError(
                f"notebook {name}: parameter {key} = {value!r} is {type(value).__name__}, "
                f"expected {type(defaults[key]).__name__} like the default {defaults[key]!r}"
            )
