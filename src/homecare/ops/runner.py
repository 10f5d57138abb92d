"""Pipeline runner: execute the numbered notebooks with papermill, in this environment's
kernel, into ``outputs/runs/<run-id>/``, and switch ``outputs/latest`` only on success.

A failed run exits non-zero, names the notebook and the failing cell, keeps the executed
notebook with the error and writes ``FAILED.md`` next to it; ``outputs/latest`` stays as it
was. Stages not selected (``--only`` / ``--from``) are carried over from the latest run so
that ``latest`` is always a complete set.

Scheduled-run safety (issue 6): a selected stage whose inputs, parameters and code are
unchanged since the latest run is skipped and its outputs reused (:mod:`homecare.ops.incremental`;
``force`` reruns everything); one run at a time per repository (:mod:`homecare.ops.lock`);
every successful run writes ``changes.md`` / ``changes.csv`` against the previous one
(:mod:`homecare.ops.changes`); runner-written text is sanitized and scanned before sharing
(:mod:`homecare.ops.sharing`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from homecare.core import paths
from homecare.core.errors import HomecareError, ParameterError
from homecare.ops import changes, incremental, manifest, sharing
from homecare.ops.lock import RunLock
from homecare.ops.params import RunParams, check_parameters, load_params, notebook_defaults
from homecare.publish import workbook

OUTPUT_KINDS = ("figures", "tables", "stages")


class RunFailed(HomecareError):
    """A notebook failed; the message names the notebook, the cell and the error. Exit code 2
    when the notebook stopped on bad input or parameters (one of :data:`INPUT_ERRORS`), 1 for
    anything else."""

    exit_code = 1


# expected failures raised inside a notebook: the input or parameters are wrong, not the code
INPUT_ERRORS = (
    "InputError",
    "ReferenceDataError",
    "ParameterError",
    "DataMissingError",
    "ChecksumError",
    "ProcessedDataMissing",
)


@dataclass
class StageRun:
    """One stage in one run, as the manifest records it."""

    name: str
    status: str  # ran | unchanged (skipped, outputs reused) | carried_over (not selected) | failed
    duration_s: float = 0.0
    parameters: dict[str, Any] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)
    record: dict[str, Any] = field(default_factory=dict)
    fingerprint: dict[str, str] = field(default_factory=dict)  # code hashes the outputs came from
    processed: dict[str, str] = field(default_factory=dict)  # data/processed files written, with hashes
    why: str = ""  # why it ran (or was reused), for the log and changes.md


def notebooks_dir() -> Path:
    return paths.project_root() / "notebooks"


def stage_notebooks(params: RunParams) -> dict[str, Path]:
    """The notebooks of the stages the parameter file lists, in run order. Other notebooks in
    ``notebooks/`` (an analyst's copy, a draft) never run as stages."""
    found = {name: notebooks_dir() / f"{name}.ipynb" for name in params.stages}
    missing = [name for name, path in found.items() if not path.is_file()]
    if missing:
        raise ParameterError(f"{params.source}: stages without a notebook in notebooks/: {missing}")
    return found


def select_stages(all_names: list[str], only: list[str] | None, start: str | None) -> list[str]:
    """Names to execute: all, ``only`` those, or ``from`` one onwards. Unknown names are errors."""

    def known(name: str) -> str:
        matches = [n for n in all_names if n == name or n.split("_", 1)[0] == name or n.split("_", 1)[1] == name]
        if len(matches) != 1:
            raise ParameterError(f"unknown notebook {name!r}; pipeline notebooks: {', '.join(all_names)}")
        return matches[0]

    if only and start:
        raise ParameterError("use either --only or --from, not both")
    if only:
        chosen = {known(n) for n in only}
        return [n for n in all_names if n in chosen]
    if start:
        first = all_names.index(known(start))
        return all_names[first:]
    return list(all_names)


def latest_dir() -> Path:
    return paths.outputs_dir() / "latest"


def latest_run() -> Path | None:
    """The run folder ``outputs/latest`` points at, if any."""
    link = latest_dir()
    return link.resolve() if link.exists() else None


def new_run_dir() -> tuple[str, Path]:
    runs = paths.outputs_dir() / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    run_id, k = stamp, 1
    while (runs / run_id).exists():
        k += 1
        run_id = f"{stamp}-{k}"
    (runs / run_id).mkdir()
    return run_id, runs / run_id


def switch_latest(run_dir: Path) -> None:
    """Point ``outputs/latest`` at ``run_dir`` atomically (rename of a new symlink)."""
    link = latest_dir()
    if link.exists() and not link.is_symlink():
        raise HomecareError(f"{paths.relative(link)} is a real folder, not the runner's link; move it away first")
    tmp = link.with_name(".latest.tmp")
    tmp.unlink(missing_ok=True)
    os.symlink(os.path.relpath(run_dir, link.parent), tmp)
    os.replace(tmp, link)


def _files(run_dir: Path) -> set[str]:
    return {
        p.relative_to(run_dir).as_posix() for kind in OUTPUT_KINDS for p in (run_dir / kind).rglob("*") if p.is_file()
    }


def sanitize_notebook(path: Path) -> None:
    """Remove local absolute paths, the user's home and token-like strings from an executed
    notebook, so it can be shared (tracebacks and papermill metadata otherwise carry them)."""
    sharing.sanitize_file(path)


def _carry_over(name: str, previous: Path | None, run_dir: Path) -> StageRun | None:
    """Copy a stage's outputs from the previous run (when not re-executed now)."""
    if previous is None:
        return None
    prev_manifest = manifest.read_manifest(previous) or {}
    prev_stage = next((s for s in prev_manifest.get("stages", []) if s["name"] == name), None)
    if prev_stage is None:
        return None
    for rel in prev_stage["outputs"]:
        src, dst = previous / rel, run_dir / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
    nb = previous / "notebooks" / f"{name}.ipynb"
    if nb.is_file():
        (run_dir / "notebooks").mkdir(exist_ok=True)
        shutil.copy2(nb, run_dir / "notebooks" / nb.name)
    return StageRun(
        name=name,
        status="carried_over",
        parameters=prev_stage.get("parameters", {}),
        outputs=list(prev_stage["outputs"]),
        record={**prev_stage.get("record", {}), "carried_over_from": previous.name},
        fingerprint=dict(prev_stage.get("fingerprint", {})),
        processed=dict(prev_stage.get("processed", {})),
        why="not selected (--only / --from): carried over",
    )


# "file data/raw/x.xlsx, sheet ..." (InputError) and bare project paths in other messages
_FILE_IN_ERROR = re.compile(r"file ([^\s,:]*[./][^\s,:]*)|(?<![\w/.~])((?:data|params|notebooks)/[^\s,:'\")]+)")


def _cell_first_line(notebook: Path, exec_count: int | None) -> str | None:
    """First non-empty source line of the failing cell (found by execution count: papermill
    inserts error banners, so indices shift), to recognise it without opening Jupyter."""
    if exec_count is None or not notebook.is_file():
        return None
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except ValueError:  # unreadable notebook: the report still names the cell number
        return None
    for cell in cells:
        if cell.get("cell_type") == "code" and cell.get("execution_count") == exec_count:
            source = "".join(cell.get("source", ""))
            return next((line.strip() for line in source.splitlines() if line.strip()), None)
    return None


def _failure_report(run_dir: Path, name: str, exc: Exception) -> str:
    cell = getattr(exc, "exec_count", None)
    index = getattr(exc, "cell_index", None)
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = sharing.sanitize_text(str(getattr(exc, "evalue", str(exc))))
    files = sorted({a or b for a, b in _FILE_IN_ERROR.findall(evalue)})
    first_line = _cell_first_line(run_dir / "notebooks" / f"{name}.ipynb", cell)
    lines = [
        f"# Run failed: {name}",
        "",
        f"- stage: {name}",
        f"- cell: index {index} (execution count {cell})" if index is not None else "- cell: (before execution)",
        *([f"- cell starts with: `{first_line}`"] if first_line else []),
        f"- error: {ename}: {evalue}",
        f"- input file: {', '.join(files)}" if files else "- input file: (not named by the error)",
        f"- executed notebook with the error: notebooks/{name}.ipynb",
        "- outputs/latest was left unchanged.",
        "",
        "To recover: fix the input or code named above, then run `homecare run` again; stages whose",
        "inputs did not change are reused, so the rerun starts where this one failed (docs/operations.md).",
        "",
    ]
    text = "\n".join(lines)
    (run_dir / "FAILED.md").write_text(text, encoding="utf-8")
    return text


def run_pipeline(
    params_file: str | Path = "params/default.yaml",
    *,
    only: list[str] | None = None,
    start: str | None = None,
    log: Callable[[str], None] = print,
    force: bool = False,
    wait: bool | float = False,
    tolerance: float = changes.DEFAULT_TOLERANCE,
) -> Path:
    """Run the pipeline; returns the run folder. Raises RunFailed / ParameterError / RunLocked.

    ``force`` reruns every selected stage even when unchanged; ``wait`` waits for another
    run's lock (True: for ever, a number: that many seconds) instead of failing at once;
    ``tolerance`` is the absolute difference below which changes.md ignores a number.
    """
    params: RunParams = load_params(params_file)
    notebooks = stage_notebooks(params)
    selected = select_stages(list(notebooks), only, start)
    declared = {name: set(notebook_defaults(path)) for name, path in notebooks.items()}
    unused = sorted(set(params.shared) - set().union(*declared.values()))
    if unused:
        raise ParameterError(f"{params.source}: shared parameter(s) {unused} are declared by no notebook")
    for name in selected:  # check every notebook's parameters before running anything
        check_parameters(notebooks[name], params.for_notebook(name, declared[name]))
    with RunLock(wait=wait, command=f"homecare run --params {params.source}", log=log):
        return _run_locked(params, notebooks, declared, selected, log=log, force=force, tolerance=tolerance)


@dataclass
class _Run:
    """What the stages of one run share: the folder, the previous run and the caches."""

    params: RunParams
    run_id: str
    run_dir: Path
    started: datetime
    previous: Path | None
    prev_stages: dict[str, dict[str, Any]]
    common: dict[str, str]
    hashes: incremental.HashCache
    log: Callable[[str], None]
    results: list[StageRun] = field(default_factory=list)


def _run_locked(
    params: RunParams,
    notebooks: dict[str, Path],
    declared: dict[str, set[str]],
    selected: list[str],
    *,
    log: Callable[[str], None],
    force: bool,
    tolerance: float,
) -> Path:
    """The run itself, under the run lock (``previous`` must not move while we compare)."""
    run = _start(params, log)
    log(f"run {run.run_id}: {len(selected)} of {len(notebooks)} notebooks -> {paths.relative(run.run_dir)}/")
    cwd = os.getcwd()
    os.chdir(paths.project_root())  # relative paths in parameters and papermill metadata resolve from the root
    try:
        for i, (name, notebook) in enumerate(notebooks.items(), start=1):
            where = f"[{i}/{len(notebooks)}] {name}"
            if name not in selected:
                _carry(run, name, where)
                continue
            parameters = {**params.for_notebook(name, declared[name]), "output_dir": paths.relative(run.run_dir)}
            _stage(run, name, notebook, parameters, where, force=force)
        found = _finish(run, tolerance)
    finally:
        os.chdir(cwd)
    ran = sum(r.status == "ran" for r in run.results)
    reused = sum(r.status == "unchanged" for r in run.results)
    touched = sum(t.changed for t in found.tables)
    n_inputs = len(found.inputs) if found.previous else 0  # first run: every input is "added", not news
    log(f"changes: {n_inputs} input(s), {touched} table(s) changed -> outputs/latest/changes.md")
    log(
        f"run {run.run_id} succeeded: outputs/latest -> {paths.relative(run.run_dir)}/"
        + (f" ({ran} ran, {reused} unchanged)" if reused else "")
    )
    return run.run_dir


def _start(params: RunParams, log: Callable[[str], None]) -> _Run:
    """A new run folder, with what the previous successful run recorded."""
    previous = latest_run()
    prev_manifest = (manifest.read_manifest(previous) or {}) if previous else {}
    run_id, run_dir = new_run_dir()
    (run_dir / "notebooks").mkdir()
    return _Run(
        params,
        run_id,
        run_dir,
        datetime.now(UTC),
        previous,
        {s["name"]: s for s in prev_manifest.get("stages", [])},
        incremental.code_fingerprint(params.run.kernel),
        incremental.HashCache(),
        log,
    )


def _carry(run: _Run, name: str, where: str) -> None:
    """A stage not selected (``--only`` / ``--from``): its outputs come from the previous run."""
    carried = _carry_over(name, run.previous, run.run_dir)
    if carried:
        run.results.append(carried)
        run.log(f"{where}: carried over from {run.previous.name}")


def _stage(run: _Run, name: str, notebook: Path, parameters: dict[str, Any], where: str, *, force: bool) -> None:
    """Reuse the stage's previous outputs when nothing it depends on changed, else execute it."""
    fingerprint = incremental.stage_fingerprint(run.common, notebook)
    decision = incremental.decide(
        run.prev_stages.get(name), run.previous, parameters, fingerprint, run.hashes, force=force
    )
    if decision.skip:
        reused = _carry_over(name, run.previous, run.run_dir)
        if reused is not None:
            reused.status, reused.why = "unchanged", f"inputs, parameters and code as in {run.previous.name}"
            run.results.append(reused)
            run.log(f"{where}: unchanged since {run.previous.name}, outputs reused (--force reruns)")
            return
    out_nb = run.run_dir / "notebooks" / f"{name}.ipynb"
    before = _files(run.run_dir)
    processed_before = incremental.processed_snapshot()
    run.log(f"{where} ... ({decision.why})")
    t0 = time.perf_counter()
    _execute(run, name, notebook, out_nb, parameters, t0)
    sanitize_notebook(out_nb)
    duration = time.perf_counter() - t0
    stage_file = run.run_dir / "stages" / f"{name}.json"
    record = json.loads(stage_file.read_text(encoding="utf-8")) if stage_file.is_file() else {}
    outputs = sorted(_files(run.run_dir) - before)
    processed = incremental.processed_written(processed_before, run.hashes)
    run.results.append(
        StageRun(name, "ran", round(duration, 2), parameters, outputs, record, fingerprint, processed, decision.why)
    )
    rows = ", ".join(f"{k} {v}" for k, v in record.get("rows", {}).items())
    run.log(f"{where}: ok in {duration:.1f} s" + (f" ({rows})" if rows else ""))


def _execute(run: _Run, name: str, notebook: Path, out_nb: Path, parameters: dict[str, Any], t0: float) -> None:
    """papermill in this environment's kernel; a failure writes FAILED.md and the manifest of
    the failed run and raises :class:`RunFailed` (``outputs/latest`` is left as it was)."""
    # imported only when a stage runs: a no-change run skips papermill's ~3 s import
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    try:
        pm.execute_notebook(
            paths.relative(notebook),
            paths.relative(out_nb),
            parameters=parameters,
            kernel_name=run.params.run.kernel,
            cwd=str(paths.project_root()),
            progress_bar=False,
            execution_timeout=run.params.run.timeout_seconds,
        )
    except Exception as exc:  # a cell raised, the kernel died, a timeout, no kernel: report and keep latest
        _failure_report(run.run_dir, name, exc)
        failed = StageRun(name, "failed", time.perf_counter() - t0, parameters)
        _write_failed(run.run_dir, run.run_id, run.started, run.params, run.results + [failed])
        if isinstance(exc, PapermillExecutionError):
            failed = RunFailed(
                f"notebook {name} failed in cell {exc.exec_count}: {exc.ename}: {sharing.sanitize_text(str(exc.evalue))}\n"
                f"  executed notebook kept at {paths.relative(out_nb)}; summary in {paths.relative(run.run_dir)}/FAILED.md; "
                f"outputs/latest unchanged"
            )
            if exc.ename in INPUT_ERRORS:
                failed.exit_code = 2
            raise failed from None
        raise RunFailed(
            f"notebook {name} could not be executed: {type(exc).__name__}: {sharing.sanitize_text(str(exc))}"
        ) from None


def _finish(run: _Run, tolerance: float) -> changes.RunChanges:
    """Workbook, slides and index; changes against the previous run; manifest; sanitize,
    scan, and switch ``outputs/latest``."""
    _collect(run.run_dir, run.previous, run.results)
    found = changes.write_changes(
        run.previous,
        run.run_dir,
        run.run_id,
        stages=[{"name": r.name, "status": r.status, "why": r.why} for r in run.results],
        tolerance=tolerance,
        inputs=_inputs(run.results),
    )
    sharing.sanitize_run(run.run_dir)
    _write(run.run_dir, run.run_id, run.started, run.params, run.results, "succeeded")
    sharing.sanitize_file(run.run_dir / "manifest.json")
    _warn_unshareable(run.run_dir, run.log)
    switch_latest(run.run_dir)
    return found


def _write_failed(run_dir: Path, run_id: str, started: datetime, params: RunParams, results: list[StageRun]) -> None:
    """Manifest of a failed run; the executed notebook, FAILED.md and manifest sanitized like a
    successful run's (a failed run's folder is what gets mailed around for help)."""
    sharing.sanitize_run(run_dir)
    _write(run_dir, run_id, started, params, results, "failed")
    sharing.sanitize_file(run_dir / "manifest.json")


def _collect(run_dir: Path, previous: Path | None, results: list[StageRun]) -> None:
    """The run's workbook, slide draft and index page (built last: it links the other two).
    When no stage ran they would equal the previous run's (all are deterministic in the
    tables and figures), so copy them instead."""
    from homecare.publish import report

    reusable = previous is not None and results and all(r.status in ("unchanged", "carried_over") for r in results)
    builders = (
        ("tables.xlsx", workbook.build_workbook),
        (report.PPTX_NAME, report.build_pptx),
        ("index.html", report.build_index),
    )
    for filename, build in builders:
        if reusable and (previous / filename).is_file():
            shutil.copy2(previous / filename, run_dir / filename)
        else:
            build(run_dir)


def _warn_unshareable(run_dir: Path, log: Callable[[str], None]) -> None:
    """Log what the sharing scan still finds (tables and figures are not rewritten) and
    person counts below the disclosure threshold that a stage published unsuppressed."""
    from homecare.publish import disclosure

    findings = sharing.scan_run(run_dir)
    where = paths.relative(run_dir)
    _log_some(
        log, f"{len(findings)} local path(s) or token-like string(s) in {where}; do not share before checking", findings
    )
    small = disclosure.check_run(run_dir)
    _log_some(
        log, f"{len(small)} small count(s) of people shown in published tables (use homecare.publish.disclosure)", small
    )


def _log_some(log: Callable[[str], None], warning: str, items: list) -> None:
    """``warning: ...`` and the first five items, when there are any."""
    if items:
        log(f"warning: {warning}:")
        for item in items[:5]:
            log(f"  {item}")


def _inputs(results: list[StageRun]) -> dict[str, str]:
    inputs: dict[str, str] = {}
    for r in results:
        inputs.update(r.record.get("inputs", {}))
    return dict(sorted(inputs.items()))


def _write(
    run_dir: Path, run_id: str, started: datetime, params: RunParams, results: list[StageRun], status: str
) -> None:
    data = {
        "run_id": run_id,
        "status": status,
        "started_utc": started.isoformat(timespec="seconds"),
        "finished_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "params_file": params.source,
        "sample": any(r.record.get("sample") for r in results),
        "git": manifest.git_state(),
        "environment": manifest.environment(),
        "stages": [
            {
                "name": r.name,
                "status": r.status,
                "duration_s": r.duration_s,
                "parameters": r.parameters,
                "rows": r.record.get("rows", {}),
                "sample": r.record.get("sample", False),
                "outputs": r.outputs,
                "record": r.record,
                "fingerprint": r.fingerprint,
                "processed": r.processed,
                "why": r.why,
            }
            for r in results
        ],
        "inputs": _inputs(results),
        "outputs": manifest.output_hashes(run_dir),
        "packages": manifest.package_versions(),
    }
    manifest.write_manifest(run_dir, data)
