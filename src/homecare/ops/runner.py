"""Pipeline runner: execute the stages the parameter file lists, with papermill in this
environment's kernel, into a new run folder, and switch ``latest`` only when every stage
succeeded and every artefact passed its checks.

- **Official and scenario runs are apart** (:mod:`homecare.ops.rundirs`): ``params/default.yaml``
  publishes to ``outputs/latest``; any other parameter file is a named scenario with its own
  folders, printed on every figure and sheet.
- **Incremental** (:mod:`homecare.ops.incremental`): a stage whose inputs, parameters and code
  are unchanged reuses the previous run's outputs, after checking every reused file against
  the hashes the previous manifest recorded; anything missing or changed reruns the stage.
  ``--only`` / ``--from`` choose what ``--force`` reruns; a stage not chosen is reused only
  when that is valid, else it reruns too, so one run never mixes stages computed with
  different parameters or inputs.
- **One run at a time** (:mod:`homecare.ops.lock`): the lock covers the outputs and the
  processed folders a run writes.
- **Failures** (:mod:`homecare.ops.failure`): a failed run names the stage, cell, error and
  input file in ``FAILED.md``, exits 2 for bad input and 1 otherwise, and leaves ``latest``.
- Every successful run writes ``changes.md`` against the previous one, is checked for small
  person counts in every published artefact (:mod:`homecare.publish.disclosure`) and for
  local paths and secrets (:mod:`homecare.ops.sharing`), and old run folders are pruned.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from homecare.core import paths
from homecare.core.errors import HomecareError, ParameterError
from homecare.core.labels import SCENARIO_ENV
from homecare.ops import changes, failure, incremental, manifest, rundirs, sharing
from homecare.ops.lock import LOCK_NAME, RunLock
from homecare.ops.params import RunParams, check_parameters, load_params, notebook_defaults, path_values
from homecare.publish import disclosure, workbook


class RunFailed(HomecareError):
    """A run failed; the message names the stage and the error. Exit code 2 when a notebook
    stopped on bad input or parameters (one of :data:`INPUT_ERRORS`), 1 for anything else."""

    exit_code = 1


# expected failures raised inside a notebook: the input or parameters are wrong, not the code
INPUT_ERRORS = (
    "InputError",
    "ReferenceDataError",
    "ParameterError",
    "DataMissingError",
    "ChecksumError",
    "ProcessedDataMissing",
    "DisclosureError",
)


@dataclass
class StageRun:
    """One stage in one run, as the manifest records it."""

    name: str
    status: str  # ran | unchanged (selected, reused) | carried_over (not selected, reused) | failed
    duration_s: float = 0.0
    parameters: dict[str, Any] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)
    record: dict[str, Any] = field(default_factory=dict)
    fingerprint: dict[str, str] = field(default_factory=dict)  # code hashes the outputs came from
    processed: dict[str, str] = field(default_factory=dict)  # processed files written, with hashes
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
    """Names chosen by ``--only`` (those) or ``--from`` (that one onwards); all by default.
    Unknown names are errors."""

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


def run_pipeline(
    params_file: str | Path = rundirs.OFFICIAL_PARAMS,
    *,
    only: list[str] | None = None,
    start: str | None = None,
    log: Callable[[str], None] = print,
    force: bool = False,
    wait: bool | float = False,
    tolerance: float = changes.DEFAULT_TOLERANCE,
) -> Path:
    """Run the pipeline; returns the run folder. Raises RunFailed / ParameterError / RunLocked.

    ``force`` reruns the chosen stages even when unchanged; ``wait`` waits for another run's
    lock (True: for ever, a number: that many seconds) instead of failing at once;
    ``tolerance`` is the absolute difference below which changes.md ignores a number.
    """
    params: RunParams = load_params(params_file)
    target = rundirs.target_for(paths.resolve(params_file), params.run.scenario)
    notebooks = stage_notebooks(params)
    selected = select_stages(list(notebooks), only, start)
    defaults = {name: notebook_defaults(path) for name, path in notebooks.items()}
    declared = {name: set(d) for name, d in defaults.items()}
    unused = sorted(set(params.shared) - set().union(*declared.values()))
    if unused:
        raise ParameterError(f"{params.source}: shared parameter(s) {unused} are declared by no notebook")
    for name, path in notebooks.items():  # every stage may run: check all before running anything
        check_parameters(path, params.for_notebook(name, declared[name]), defaults[name])
    with _environment(target, params):
        _check_input_paths(params, declared)
        command = f"homecare run --params {params.source}"
        lock_folders = [paths.outputs_dir(), paths.official_processed_dir()]  # before the scenario's own folders
        with ExitStack() as stack:
            for folder in lock_folders:
                stack.enter_context(RunLock(folder / LOCK_NAME, wait=wait, command=command, log=log))
            os.environ.update(_scenario_dirs(target))
            return _run_locked(params, target, notebooks, declared, selected, log=log, force=force, tolerance=tolerance)


@contextmanager
def _environment(target: rundirs.RunTarget, params: RunParams) -> Iterator[None]:
    """The variables the run and its notebook kernels see (restored afterwards): the scenario
    name and the data roots named in the parameters."""
    saved = {k: os.environ.get(k) for k in (paths.OUTPUTS_ENV, paths.PROCESSED_ENV, SCENARIO_ENV, paths.DATA_ROOTS_ENV)}
    try:
        os.environ[paths.PROCESSED_ENV] = str(
            paths.official_processed_dir()
        )  # kernels write the run's folder, never dev
        if target.scenario:
            os.environ[SCENARIO_ENV] = target.scenario
        else:
            os.environ.pop(SCENARIO_ENV, None)
        roots = [str(paths.resolve(r)) for r in params.run.data_roots]
        if roots:
            os.environ[paths.DATA_ROOTS_ENV] = os.pathsep.join([*roots, *filter(None, [saved[paths.DATA_ROOTS_ENV]])])
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _scenario_dirs(target: rundirs.RunTarget) -> dict[str, str]:
    return {paths.OUTPUTS_ENV: str(target.outputs_root), paths.PROCESSED_ENV: str(target.processed_root)}


def _check_input_paths(params: RunParams, declared: dict[str, set[str]]) -> None:
    """Every parameter that names a file or folder must lie inside the project or a data root
    (``run.data_roots``): a run never reads ``/etc/shadow`` because a parameter said so."""
    for name in params.stages:
        for key, value in path_values(params.for_notebook(name, declared[name])):
            if paths.outside_data_roots(value):
                raise ParameterError(
                    f"{params.source}: notebooks.{name}.{key} = {value!r} lies outside the project and the data roots; "
                    f"put the file under data/raw/ or name its folder in run.data_roots"
                )


@dataclass
class _Run:
    """What the stages of one run share: the folders, the previous run and the caches."""

    params: RunParams
    target: rundirs.RunTarget
    run_id: str
    run_dir: Path
    started: datetime
    previous: Path | None
    prev_stages: dict[str, dict[str, Any]]
    prev_outputs: dict[str, str]
    common: dict[str, str]
    hashes: incremental.HashCache
    log: Callable[[str], None]
    results: list[StageRun] = field(default_factory=list)

    @property
    def latest_name(self) -> str:
        """``outputs/latest`` (or the scenario's), as a path, not the run folder it points to."""
        latest = rundirs.latest_dir(self.target.outputs_root)  # the link itself, not resolved
        return f"{paths.relative(latest.parent)}/{latest.name}"


def _run_locked(
    params: RunParams,
    target: rundirs.RunTarget,
    notebooks: dict[str, Path],
    declared: dict[str, set[str]],
    selected: list[str],
    *,
    log: Callable[[str], None],
    force: bool,
    tolerance: float,
) -> Path:
    """The run itself, under the run lock (``previous`` must not move while we compare)."""
    run = _start(params, target, log)
    where_to = paths.relative(run.run_dir)
    log(f"run {run.run_id} ({target.label}): {len(selected)} of {len(notebooks)} notebooks chosen -> {where_to}/")
    cwd = os.getcwd()
    os.chdir(paths.project_root())  # relative paths in parameters and papermill metadata resolve from the root
    try:
        for i, (name, notebook) in enumerate(notebooks.items(), start=1):
            parameters = {**params.for_notebook(name, declared[name]), "output_dir": where_to}
            _stage(
                run, name, notebook, parameters, f"[{i}/{len(notebooks)}] {name}", chosen=name in selected, force=force
            )
        found = _finish(run, tolerance)
    except OSError as exc:  # read-only folder, full disk, ulimit: say so instead of a traceback
        _fail(run, "(run folder)", exc)
        raise RunFailed(f"could not write the run: {exc.strerror or exc}: {exc.filename or ''}") from None
    finally:
        os.chdir(cwd)
    ran = sum(r.status == "ran" for r in run.results)
    reused = sum(r.status in ("unchanged", "carried_over") for r in run.results)
    touched = sum(t.changed for t in found.tables)
    n_inputs = len(found.inputs) if found.previous else 0  # first run: every input is "added", not news
    log(f"changes: {n_inputs} input(s), {touched} table(s) changed -> {run.latest_name}/changes.md")
    log(
        f"run {run.run_id} succeeded: {run.latest_name} -> {where_to}/"
        + (f" ({ran} ran, {reused} reused)" if reused else "")
    )
    return run.run_dir


def _start(params: RunParams, target: rundirs.RunTarget, log: Callable[[str], None]) -> _Run:
    """A new run folder, with what the previous successful run of the same target recorded."""
    previous = rundirs.latest_run(target.outputs_root)
    prev_manifest = (manifest.read_manifest(previous) or {}) if previous else {}
    try:
        run_id, run_dir = rundirs.new_run_dir(target.outputs_root)
        (run_dir / "notebooks").mkdir()
    except OSError as exc:
        raise RunFailed(
            f"cannot create a run folder in {paths.relative(target.outputs_root)}: {exc.strerror or exc}; "
            f"nothing was run and {paths.relative(rundirs.latest_dir(target.outputs_root))} is unchanged"
        ) from None
    return _Run(
        params,
        target,
        run_id,
        run_dir,
        datetime.now(UTC),
        previous,
        {s["name"]: s for s in prev_manifest.get("stages", [])},
        dict(prev_manifest.get("outputs", {})),
        incremental.code_fingerprint(params.run.kernel),
        incremental.HashCache(),
        log,
    )


def _stage(
    run: _Run, name: str, notebook: Path, parameters: dict[str, Any], where: str, *, chosen: bool, force: bool
) -> None:
    """Reuse the stage's previous outputs when nothing it depends on changed and every reused
    file is intact; else execute it."""
    fingerprint = incremental.stage_fingerprint(run.common, notebook)
    decision = incremental.decide(
        run.prev_stages.get(name),
        run.previous,
        parameters,
        fingerprint,
        run.hashes,
        force=force and chosen,
        published=run.prev_outputs,
    )
    if decision.skip:
        reused = _reuse(run, name)
        reused.status = "unchanged" if chosen else "carried_over"
        reused.why = f"inputs, parameters, code and outputs as in {run.previous.name}"
        run.results.append(reused)
        run.log(
            f"{where}: unchanged since {run.previous.name}, outputs reused" + (" (--force reruns)" if chosen else "")
        )
        return
    why = decision.why if chosen else f"not chosen, but {decision.why}: rerun so that the run does not mix stages"
    out_nb = run.run_dir / "notebooks" / f"{name}.ipynb"
    before = rundirs.stage_files(run.run_dir)
    processed_before = incremental.processed_snapshot()
    run.log(f"{where} ... ({why})")
    t0 = time.perf_counter()
    _execute(run, name, notebook, out_nb, parameters, t0)
    normalise_notebook(out_nb)
    duration = time.perf_counter() - t0
    stage_file = run.run_dir / "stages" / f"{name}.json"
    record = json.loads(stage_file.read_text(encoding="utf-8")) if stage_file.is_file() else {}
    outputs = sorted(rundirs.stage_files(run.run_dir) - before)
    processed = incremental.processed_written(processed_before, run.hashes)
    run.results.append(
        StageRun(name, "ran", round(duration, 2), parameters, outputs, record, fingerprint, processed, why)
    )
    rows = ", ".join(f"{k} {v}" for k, v in record.get("rows", {}).items())
    run.log(f"{where}: ok in {duration:.1f} s" + (f" ({rows})" if rows else ""))


def _reuse(run: _Run, name: str) -> StageRun:
    """Copy a stage's outputs (and its executed notebook) from the previous run."""
    prev_stage = run.prev_stages[name]
    try:
        for rel in prev_stage["outputs"]:
            dst = run.run_dir / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(run.previous / rel, dst)
        nb = run.previous / "notebooks" / f"{name}.ipynb"
        if nb.is_file():
            shutil.copy2(nb, run.run_dir / "notebooks" / nb.name)
    except OSError as exc:  # a full disk or a file-size limit while copying
        _fail(run, name, exc)
        raise RunFailed(
            f"could not copy the reused outputs of {name}: {exc.strerror or exc}: {exc.filename or ''}; "
            f"{run.latest_name} unchanged"
        ) from None
    return StageRun(
        name=name,
        status="unchanged",
        parameters=prev_stage.get("parameters", {}),
        outputs=list(prev_stage["outputs"]),
        record={**prev_stage.get("record", {}), "reused_from": run.previous.name},
        fingerprint=dict(prev_stage.get("fingerprint", {})),
        processed=dict(prev_stage.get("processed", {})),
    )


def _papermill() -> tuple[Any, type[Exception]]:
    """papermill and its execution error. nbformat imports jsonschema, which compiles 38 lark
    grammars for the ``iri`` string formats at import when ``rfc3987_syntax`` is installed
    (about 1 s of CPU, two thirds of papermill's import); notebooks never use those formats,
    so the optional module is marked absent in this process (jsonschema then skips them)."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    return pm, PapermillExecutionError


def _execute(run: _Run, name: str, notebook: Path, out_nb: Path, parameters: dict[str, Any], t0: float) -> None:
    """papermill in this environment's kernel; a failure writes FAILED.md and the manifest of
    the failed run and raises :class:`RunFailed` (``latest`` is left as it was)."""
    # imported only when a stage runs: a no-change run skips papermill's import
    pm, PapermillExecutionError = _papermill()

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
        _fail(run, name, exc, StageRun(name, "failed", time.perf_counter() - t0, parameters), notebook=out_nb)
        if isinstance(exc, PapermillExecutionError):
            failed = RunFailed(
                f"notebook {name} failed in cell {exc.exec_count}: {exc.ename}: {sharing.sanitize_text(str(exc.evalue))}\n"
                f"  executed notebook kept at {paths.relative(out_nb)}; summary in {paths.relative(run.run_dir)}/FAILED.md; "
                f"{run.latest_name} unchanged"
            )
            failed.exit_code = 2 if exc.ename in INPUT_ERRORS else 1
            raise failed from None
        raise RunFailed(
            f"notebook {name} could not be executed: {type(exc).__name__}: {sharing.sanitize_text(str(exc))}"
        ) from None


def _fail(
    run: _Run, name: str, exc: BaseException, stage: StageRun | None = None, notebook: Path | None = None
) -> None:
    """FAILED.md and the manifest of a failed run, as far as the disk lets us write them."""
    text = failure.report(name, exc, notebook, latest=run.latest_name)
    if not failure.write(run.run_dir, text):
        run.log(f"could not write {paths.relative(run.run_dir)}/FAILED.md either:\n{text}")
        return
    try:
        sharing.sanitize_run(run.run_dir)
        _write(run, run.results + ([stage] if stage else []), "failed")
        sharing.sanitize_file(run.run_dir / "manifest.json")
    except OSError as second:
        run.log(f"the manifest of the failed run could not be written: {second}")


def normalise_notebook(path: Path) -> None:
    """An executed notebook as a stable, shareable record: the papermill parameters cell gets a
    fixed id and execution timings are dropped (same inputs, same bytes), and local paths,
    home folders and token-like strings are removed."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for k, cell in enumerate(nb.get("cells", [])):
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
        cell.get("metadata", {}).pop("execution", None)
        papermill_meta = cell.get("metadata", {}).get("papermill")
        if isinstance(papermill_meta, dict):
            for key in ("start_time", "end_time", "duration"):
                papermill_meta.pop(key, None)
        cell.setdefault("id", f"cell-{k}")
    meta = nb.get("metadata", {}).get("papermill", {})
    for key in ("start_time", "end_time", "duration", "input_path", "output_path"):
        meta.pop(key, None)
    text = json.dumps(nb, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    path.write_text(sharing.sanitize_text(text), encoding="utf-8")  # written once, not reread to sanitize


def _finish(run: _Run, tolerance: float) -> changes.RunChanges:
    """Workbook, slides and index; changes against the previous run; the disclosure check of
    every published artefact; manifest; sanitize, scan; switch ``latest``; prune."""
    _collect(run)
    found = changes.write_changes(
        run.previous,
        run.run_dir,
        run.run_id,
        stages=[{"name": r.name, "status": r.status, "why": r.why} for r in run.results],
        tolerance=tolerance,
        inputs=_inputs(run.results),
    )
    small = disclosure.check_artefacts(run.run_dir, disclosure.load_rules())
    if small:
        error = disclosure.DisclosureError(
            f"{len(small)} small count(s) of people would be published: " + "; ".join(small[:5])
        )
        _fail(run, "(disclosure check)", error)
        raise RunFailed(f"{error}; see {paths.relative(run.run_dir)}/FAILED.md; {run.latest_name} unchanged")
    sharing.sanitize_run(run.run_dir)
    _write(run, run.results, "succeeded")
    sharing.sanitize_file(run.run_dir / "manifest.json")
    findings = sharing.scan_run(run.run_dir)
    if findings:
        run.log(
            f"warning: {len(findings)} local path(s) or secret(s) in {paths.relative(run.run_dir)}; do not share before checking:"
        )
        for item in findings[:5]:
            run.log(f"  {item}")
    rundirs.switch_latest(run.target.outputs_root, run.run_dir)
    removed = rundirs.prune(run.target.outputs_root, run.params.run.keep_runs)
    if removed:
        run.log(f"pruned {len(removed)} old run folder(s) (keeping the newest {run.params.run.keep_runs})")
    return found


def _collect(run: _Run) -> None:
    """The run's workbook, slide draft and index page (built last: it links the other two).
    When every stage was reused they equal the previous run's (all are deterministic in the
    tables and figures), so copy them instead."""
    from homecare.publish import index, slides

    reusable = run.previous is not None and run.results and all(r.status != "ran" for r in run.results)
    builders = (
        ("tables.xlsx", workbook.build_workbook),
        (slides.PPTX_NAME, slides.build_pptx),
        ("index.html", index.build_index),
    )
    for filename, build in builders:
        if reusable and (run.previous / filename).is_file():
            shutil.copy2(run.previous / filename, run.run_dir / filename)
        else:
            build(run.run_dir)


def _inputs(results: list[StageRun]) -> dict[str, str]:
    inputs: dict[str, str] = {}
    for r in results:
        inputs.update(r.record.get("inputs", {}))
    return dict(sorted(inputs.items()))


def _write(run: _Run, results: list[StageRun], status: str) -> None:
    data = {
        "run_id": run.run_id,
        "status": status,
        "scenario": run.target.scenario,
        "started_utc": run.started.isoformat(timespec="seconds"),
        "finished_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "params_file": run.params.source,
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
        "outputs": manifest.output_hashes(run.run_dir),
        "packages": manifest.package_versions(),
    }
    manifest.write_manifest(run.run_dir, data)
