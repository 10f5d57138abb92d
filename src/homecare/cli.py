"""Command line: ``homecare --help``.

Expected failures (bad input, missing reference data) print one clear message and exit
with the error's exit code (2); they never show a traceback.
"""

from __future__ import annotations

import sys

import typer

from homecare.core.errors import HomecareError
from homecare.facilities.cli import geocode_command
from homecare.scores.cli import app as scores_app

app = typer.Typer(
    help="Kanagawa home medical care / community care analysis (在宅医療・地域包括ケア分析).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

app.add_typer(scores_app, name="scores", help="Insurer-function scores (保険者機能評価): clean, sample.")


@app.command()
def fetch(
    ids: list[str] = typer.Argument(None, help="Catalog file ids (default: all)."),
) -> None:
    """Fetch and verify reference data (local copy, else $HOMECARE_DATA_MIRROR, else official URL)."""
    from homecare.reference import catalog

    catalog.fetch(ids or None)


@app.command()
def run(
    params: str = typer.Option("params/default.yaml", "--params", help="YAML parameter file (one section per notebook)."),
    only: list[str] = typer.Option(None, "--only", help="Run only this notebook (name, number or stem); repeatable."),
    start: str = typer.Option(None, "--from", help="Run this notebook and all after it."),
    force: bool = typer.Option(False, "--force", help="Rerun every selected notebook, even when unchanged."),
    wait: bool = typer.Option(False, "--wait", help="Wait for another run to finish instead of exiting with code 75."),
    wait_timeout: float = typer.Option(0, "--wait-timeout", help="With --wait: give up after this many seconds (0: never)."),
    tolerance: float = typer.Option(1e-6, "--tolerance", help="changes.md ignores numbers differing by at most this."),
) -> None:
    """Run the notebooks with papermill into outputs/runs/<run-id>/; switch outputs/latest on success.

    Notebooks whose inputs, parameters and code are unchanged since the last successful run are skipped and their outputs reused. Exit codes: 0 ok, 1 a notebook failed, 2 bad input or parameters, 75 another run holds the lock (docs/operations.md).
    """
    from homecare.ops import runner

    waiting: bool | float = (wait_timeout or True) if wait else False
    runner.run_pipeline(params, only=only or None, start=start, force=force, wait=waiting, tolerance=tolerance)


@app.command("check-share")
def check_share(
    run: str = typer.Argument(None, help="Run folder (default: outputs/latest)."),
    everything: bool = typer.Option(True, "--all/--runner-only", help="Also read tables and SVG figures."),
) -> None:
    """Scan a run folder for local paths, user names and token-like strings before sharing it (exit 1 if any)."""
    from homecare.core import paths
    from homecare.ops import runner, sharing

    folder = (paths.resolve(run) if run else runner.latest_dir()).resolve()
    if not folder.is_dir():
        raise HomecareError(f"no run folder {paths.relative(folder)}")
    findings = sharing.scan_run(folder, everything=everything)
    for finding in findings:
        typer.echo(str(finding))
    typer.echo(f"{len(findings)} finding(s) in {paths.relative(folder)}" + ("" if findings else ": safe to share"))
    if findings:
        raise typer.Exit(1)


@app.command()
def schemes() -> None:
    """List the area schemes (圏域) and validate each."""
    from homecare.reference import areas

    for sid in areas.list_schemes():
        s = areas.load_scheme(sid)
        typer.echo(f"{s.id:32s} {s.label}  [{s.status}]  {len(s.areas)} areas: {'、'.join(s.area_names)}")


from homecare.population.cli import app as _population_app  # noqa: E402

app.add_typer(_population_app, name="population")


app.command("geocode")(geocode_command)


def main() -> None:
    """Entry point of the ``homecare`` console script."""
    try:
        app()
    except HomecareError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
