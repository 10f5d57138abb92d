"""``homecare population ...``: regenerate the population sample inputs (サンプルデータ)."""

from __future__ import annotations

import typer

from homecare.core import paths

app = typer.Typer(help="Population projections and demand outlook (将来推計人口・需要見通し).", no_args_is_help=True)


@app.command()
def sample() -> None:
    """Rewrite data/raw/sample/population/ (CSV + IPSS-layout workbooks) and its SAMPLES.sha256."""
    from homecare_dev.samples.population import write_samples

    for path in write_samples():
        typer.echo(paths.relative(path))
