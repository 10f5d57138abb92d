"""``homecare scores …``: clean a national results file; rewrite the sample files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from homecare.core import paths
from homecare.reference import municipalities
from homecare.core.files import atomic_write_bytes, csv_bytes

app = typer.Typer(help="Insurer-function scores (保険者機能評価): clean the national Excel file.", no_args_is_help=True)


@app.command()
def clean(
    input_file: Annotated[Path, typer.Argument(help="National (or per-prefecture) results file, .xlsx")],
    fiscal_year: Annotated[int, typer.Option("--fiscal-year", help="Fiscal year of the file (2025 = 令和7年度)")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Tidy scores CSV (UTF-8 with BOM); QA goes to <stem>_qa.csv")],
    prefecture: Annotated[str, typer.Option("--prefecture", help="Prefecture whose insurers are kept")] = municipalities.PREFECTURE,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Sheet name (default: the first sheet with a 通し番号 header)")] = None,
    previous: Annotated[Path | None, typer.Option("--previous", help="An earlier tidy CSV: report 保険者番号 that changed")] = None,
) -> None:
    """Clean one file into one row per insurer x scored item; print the row reconciliation.

    Bad input stops with one message naming file, sheet, row and column (exit code 2)."""
    from homecare.scores import clean as cl

    result = cl.clean_file(input_file, fiscal_year, prefecture=prefecture, sheet=sheet)
    if previous is not None:
        earlier = pd.read_csv(paths.resolve(previous), encoding="utf-8-sig", dtype={"insurer_number": str, "municipality_code": str})
        result.qa += cl.crosswalk.number_conflicts(pd.concat([earlier, result.scores], ignore_index=True), stage="scores clean")
    out = paths.resolve(output)
    atomic_write_bytes(out, csv_bytes(result.scores))
    qa_path = out.with_name(f"{out.stem}_qa.csv")
    atomic_write_bytes(qa_path, csv_bytes(result.qa_table()))
    typer.echo(cl.reconciliation(result.counts))
    typer.echo(f"wrote {len(result.scores)} item scores of {result.scores['municipality_code'].nunique()} insurers to {paths.relative(out)}; "
               f"{len(result.qa)} QA entries to {paths.relative(qa_path)}")


@app.command()
def sample(
    folder: Annotated[str, typer.Option(help="Folder for the sample files and SAMPLES.sha256")] = "data/raw/sample/scores",
) -> None:
    """Rewrite the synthetic sample files (令和6・7年度) deterministically."""
    from homecare_dev.samples import scores as sp

    for path in sp.generate(folder):
        typer.echo(f"wrote {paths.relative(path)}")
