"""Pipeline runner: execute the numbered notebooks with papermill, in this environment's
kernel, into ``outputs/runs/<run-id>/``, and switch ``outputs/latest`` only on success.

A failed run exits non-zero, names the notebook and the failing cell, keeps the executed
notebook with the error and writes ``FAILED.md`` next to it; ``outputs/latest`` stays as it
was. Stages not selected (``--only`` / ``--from``) are carried over from the latest run so
that ``latest`` is always a complete set.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from homecare import manifest, paths, publish
from homecare.errors import HomecareError, ParameterError
from homecare.params import RunParams, check_parameters, load_params

NOTEBOOK_PATTERN = re.compile(r"^\d{2}_[a-z0-9_]+\.ipynb$")
OUTPUT_KINDS = ("figures", "tables", "stages")


class RunFailed(HomecareError):
    """A notebook failed; the message names the notebook, the cell and the error."""

    exit_code = 1


@dataclass
class StageResult:
    name: str
    status: str  # ran | carried_over | failed
    duration_s: float = 0.0
    parameters: dict[str, Any] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)
    record: dict[str, Any] = field(default_factory=dict)


def notebooks_dir() -> Path:
    return paths.project_root() / "notebooks"


def discover_notebooks() -> list[Path]:
    """The pipeline's notebooks (``NN_name.ipynb``) in run order."""
    return sorted(p for p in notebooks_dir().glob("*.ipynb") if NOTEBOOK_PATTERN.match(p.name))


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
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
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
        p.relative_to(run_dir).as_posix()
        for kind in OUTPUT_KINDS
        for p in (run_dir / kind).rglob("*")
        if p.is_file()
    }


def sanitize_notebook(path: Path) -> None:
    """Remove local absolute paths and the user's home from an executed notebook, so it can be
    shared (tracebacks and papermill metadata otherwise carry them)."""
    text = path.read_text(encoding="utf-8")
    root = str(paths.project_root())
    home = str(Path.home())
    text = text.replace(root + "/", "").replace(root, ".")
    if home not in ("/", ""):
        text = text.replace(home, "~")
    path.write_text(text, encoding="utf-8")


def _carry_over(name: str, previous: Path | None, run_dir: Path) -> StageResult | None:
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
    return StageResult(
        name=name,
        status="carried_over",
        parameters=prev_stage.get("parameters", {}),
        outputs=list(prev_stage["outputs"]),
        record={**prev_stage.get("record", {}), "carried_over_from": previous.name},
    )


def _failure_report(run_dir: Path, name: str, exc: Exception) -> str:
    cell = getattr(exc, "exec_count", None)
    index = getattr(exc, "cell_index", None)
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    files = sorted(set(re.findall(r"file ([^\s,:]+)", str(evalue))))
    lines = [
        f"# Run failed: {name}",
        "",
        f"- stage: {name}",
        f"- cell: index {index} (execution count {cell})" if index is not None else "- cell: (before execution)",
        f"- error: {ename}: {evalue}",
        f"- input file: {', '.join(files)}" if files else "- input file: (not named by the error)",
        f"- executed notebook with the error: notebooks/{name}.ipynb",
        "- outputs/latest was left unchanged.",
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
) -> Path:
    """Run the pipeline; returns the run folder. Raises RunFailed / ParameterError."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    params: RunParams = load_params(params_file)
    notebooks = {p.stem: p for p in discover_notebooks()}
    names = list(notebooks)
    unknown = sorted(set(params.notebooks) - set(names))
    if unknown:
        raise ParameterError(f"{params.source}: unknown notebook section(s) {unknown}; notebooks: {', '.join(names)}")
    selected = select_stages(names, only, start)
    for name in selected:  # check every notebook's parameters before running anything
        check_parameters(notebooks[name], params.for_notebook(name))

    root = paths.project_root()
    previous = latest_run()
    run_id, run_dir = new_run_dir()
    rel_run = paths.relative(run_dir)
    (run_dir / "notebooks").mkdir()
    started = datetime.now(timezone.utc)
    log(f"run {run_id}: {len(selected)} of {len(names)} notebooks -> {rel_run}/")
    results: list[StageResult] = []
    cwd = os.getcwd()
    os.chdir(root)  # relative paths in parameters and papermill metadata resolve from the root
    try:
        for i, name in enumerate(names, start=1):
            if name not in selected:
                carried = _carry_over(name, previous, run_dir)
                if carried:
                    results.append(carried)
                    log(f"[{i}/{len(names)}] {name}: carried over from {previous.name}")
                continue
            parameters = {**params.for_notebook(name), "output_dir": rel_run}
            out_nb = run_dir / "notebooks" / f"{name}.ipynb"
            before = _files(run_dir)
            log(f"[{i}/{len(names)}] {name} ...")
            t0 = time.perf_counter()
            try:
                pm.execute_notebook(
                    paths.relative(notebooks[name]),
                    paths.relative(out_nb),
                    parameters=parameters,
                    kernel_name=params.run.kernel,
                    cwd=str(root),
                    progress_bar=False,
                    execution_timeout=params.run.timeout_seconds,
                )
            except PapermillExecutionError as exc:
                sanitize_notebook(out_nb)
                report = _failure_report(run_dir, name, exc)
                _write(run_dir, run_id, started, params, results + [StageResult(name, "failed", time.perf_counter() - t0, parameters)], "failed")
                raise RunFailed(
                    f"notebook {name} failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}\n"
                    f"  executed notebook kept at {paths.relative(out_nb)}; summary in {rel_run}/FAILED.md; "
                    f"outputs/latest unchanged"
                ) from None
            except Exception as exc:  # kernel died, timeout, missing kernel: still report and keep latest
                if out_nb.is_file():
                    sanitize_notebook(out_nb)
                _failure_report(run_dir, name, exc)
                _write(run_dir, run_id, started, params, results + [StageResult(name, "failed", time.perf_counter() - t0, parameters)], "failed")
                raise RunFailed(f"notebook {name} could not be executed: {type(exc).__name__}: {exc}") from None
            sanitize_notebook(out_nb)
            duration = time.perf_counter() - t0
            stage_file = run_dir / "stages" / f"{name}.json"
            record = json.loads(stage_file.read_text(encoding="utf-8")) if stage_file.is_file() else {}
            outputs = sorted(_files(run_dir) - before)
            results.append(StageResult(name, "ran", round(duration, 2), parameters, outputs, record))
            rows = ", ".join(f"{k} {v}" for k, v in record.get("rows", {}).items())
            log(f"[{i}/{len(names)}] {name}: ok in {duration:.1f} s" + (f" ({rows})" if rows else ""))
        publish.build_workbook(run_dir)
        from homecare import report

        report.build_index(run_dir)
        _write(run_dir, run_id, started, params, results, "succeeded")
        switch_latest(run_dir)
    finally:
        os.chdir(cwd)
    log(f"run {run_id} succeeded: outputs/latest -> {rel_run}/")
    return run_dir


def _write(run_dir: Path, run_id: str, started: datetime, params: RunParams, results: list[StageResult], status: str) -> None:
    inputs: dict[str, str] = {}
    for r in results:
        inputs.update(r.record.get("inputs", {}))
    data = {
        "run_id": run_id,
        "status": status,
        "started_utc": started.isoformat(timespec="seconds"),
        "finished_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
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
            }
            for r in results
        ],
        "inputs": dict(sorted(inputs.items())),
        "outputs": manifest.output_hashes(run_dir),
        "packages": manifest.package_versions(),
    }
    manifest.write_manifest(run_dir, data)
