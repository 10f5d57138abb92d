"""Command line: ``homecare --help``.

One module for every command. Expected failures (bad input, missing reference data) print
one clear message and exit with the error's exit code (2); they never show a traceback.
Sample inputs are rewritten with ``make samples`` (``python -m homecare_dev.samples``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from homecare.core import paths
from homecare.core.errors import HomecareError

# Defaults shown in --help, as literals: importing their modules would load pandas, geopandas
# and pandera (~0.4 s) before every command, `homecare run` included. tests/unit/test_lazy_imports.py
# checks they equal homecare.facilities.assign.DEFAULT_TOLERANCE_M and municipalities.PREFECTURE.
DEFAULT_TOLERANCE_M = 1500.0
PREFECTURE = "神奈川県"

app = typer.Typer(
    help="Kanagawa home medical care / community care analysis (在宅医療・地域包括ケア分析).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
scores_app = typer.Typer(
    help="Insurer-function scores (保険者機能評価): clean the national Excel file.", no_args_is_help=True
)
app.add_typer(
    scores_app, name="scores", help="Insurer-function scores (保険者機能評価): clean a national results file."
)


@app.command()
def fetch(
    ids: list[str] = typer.Argument(None, help="Catalog file ids (default: all)."),
) -> None:
    """Fetch and verify reference data (local copy, else $HOMECARE_DATA_MIRROR, else official URL)."""
    from homecare.reference import catalog

    catalog.fetch(ids or None)


@app.command()
def run(
    params: str = typer.Option(
        "params/default.yaml", "--params", help="YAML parameter file (one section per notebook)."
    ),
    only: list[str] = typer.Option(None, "--only", help="Run only this notebook (name, number or stem); repeatable."),
    start: str = typer.Option(None, "--from", help="Run this notebook and all after it."),
    force: bool = typer.Option(False, "--force", help="Rerun every selected notebook, even when unchanged."),
    wait: bool = typer.Option(False, "--wait", help="Wait for another run to finish instead of exiting with code 75."),
    wait_timeout: float = typer.Option(
        0, "--wait-timeout", help="With --wait: give up after this many seconds (0: never)."
    ),
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
    from homecare.ops import rundirs, sharing

    folder = (paths.resolve(run) if run else rundirs.latest_dir()).resolve()
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


@scores_app.command("clean")
def scores_clean(
    input_file: Annotated[Path, typer.Argument(help="National (or per-prefecture) results file, .xlsx")],
    fiscal_year: Annotated[int, typer.Option("--fiscal-year", help="Fiscal year of the file (2025 = 令和7年度)")],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Tidy scores CSV (UTF-8 with BOM); QA goes to <stem>_qa.csv")
    ],
    prefecture: Annotated[str, typer.Option("--prefecture", help="Prefecture whose insurers are kept")] = PREFECTURE,
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="Sheet name (default: the first sheet with a 通し番号 header)")
    ] = None,
    previous: Annotated[
        Path | None, typer.Option("--previous", help="An earlier tidy CSV: report 保険者番号 that changed")
    ] = None,
) -> None:
    """Clean one file into one row per insurer x scored item; print the row reconciliation.

    Bad input stops with one message naming file, sheet, row and column (exit code 2)."""
    import pandas as pd

    from homecare.core.files import atomic_write_bytes, csv_bytes
    from homecare.scores import clean as cl

    paths.add_data_root(paths.resolve(input_file).parent)  # a file named on the command line may be read
    result = cl.clean_file(input_file, fiscal_year, prefecture=prefecture, sheet=sheet)
    if previous is not None:
        earlier = pd.read_csv(
            paths.resolve(previous), encoding="utf-8-sig", dtype={"insurer_number": str, "municipality_code": str}
        )
        result.qa += cl.crosswalk.number_conflicts(
            pd.concat([earlier, result.scores], ignore_index=True), stage="scores clean"
        )
    out = paths.resolve(output)
    atomic_write_bytes(out, csv_bytes(result.scores))
    qa_path = out.with_name(f"{out.stem}_qa.csv")
    atomic_write_bytes(qa_path, csv_bytes(result.qa_table()))
    typer.echo(cl.reconciliation(result.counts).line())
    typer.echo(
        f"wrote {len(result.scores)} item scores of {result.scores['municipality_code'].nunique()} insurers to {paths.relative(out)}; "
        f"{len(result.qa)} QA entries to {paths.relative(qa_path)}"
    )


@app.command("geocode")
def geocode(
    input_csv: Annotated[
        Path, typer.Argument(help="CSV with an address column (UTF-8, UTF-8-BOM or CP932; detected).")
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Output CSV (UTF-8 with BOM).")],
    address_column: Annotated[str, typer.Option("--address-column", help="Header of the address column.")] = "住所",
    scheme: Annotated[
        str, typer.Option("--scheme", help="Area scheme id (data/raw/reference/areas/).")
    ] = "secondary_medical_area",
    tolerance_m: Annotated[
        float, typer.Option("--tolerance-m", help="Nearest-polygon tolerance (m).")
    ] = DEFAULT_TOLERANCE_M,
    prefix: Annotated[
        str,
        typer.Option(
            "--prefix", help="Prefix of the added column names (geo_ gives geo_town ...), for inputs that have them."
        ),
    ] = "",
) -> None:
    """Add municipality_code, municipality_name, town, lat, lon, match_level, area and geocode_note to every row; addresses outside Kanagawa get an empty code and area and a note.

    Every input column is kept and never overwritten: an input column with one of these names stops the command (exit 2) with its name; rename it or use --prefix."""
    from homecare.facilities.geocode import geocode_csv

    paths.add_data_root(paths.resolve(input_csv).parent)  # a file named on the command line may be read

    out = geocode_csv(
        input_csv, output, address_column=address_column, scheme_id=scheme, tolerance_m=tolerance_m, prefix=prefix
    )
    counts = out[f"{prefix}match_level"].value_counts().reindex(["town", "municipality", "none"], fill_value=0)
    typer.echo(
        f"{len(out)} addresses -> {paths.relative(paths.resolve(output))}: "
        f"town {counts['town']}, municipality {counts['municipality']}, none {counts['none']}; "
        f"no area: {int((out[f'{prefix}area'] == '').sum())}"
    )


def invoke(argv: list[str]) -> int:
    """Run one command; returns its exit code. Expected failures print ``error: <message>`` on
    stderr (no traceback) and return the error's code; tests call this in-process."""
    try:
        app(argv, prog_name="homecare")  # standalone: usage errors and --help end in SystemExit
    except HomecareError as exc:
        typer.echo(f"error: {exc}", err=True)
        return exc.exit_code
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


def main() -> None:
    """Entry point of the ``homecare`` console script."""
    sys.exit(invoke(sys.argv[1:]))


if __name__ == "__main__":
    main()
