"""``homecare geocode``: geocode an address list offline (住所リストのジオコーディング)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from homecare.facilities.assign import DEFAULT_TOLERANCE_M


def geocode_command(
    input_csv: Annotated[Path, typer.Argument(help="CSV with an address column (UTF-8, UTF-8-BOM or CP932; detected).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Output CSV (UTF-8 with BOM).")],
    address_column: Annotated[str, typer.Option("--address-column", help="Header of the address column.")] = "住所",
    scheme: Annotated[str, typer.Option("--scheme", help="Area scheme id (data/raw/reference/areas/).")] = "secondary_medical_area",
    tolerance_m: Annotated[float, typer.Option("--tolerance-m", help="Nearest-polygon tolerance (m).")] = DEFAULT_TOLERANCE_M,
) -> None:
    """Add municipality_code, municipality_name, town, lat, lon, match_level, area and
    geocode_note to every row (input columns kept). Addresses outside Kanagawa get an
    empty code and area and a note."""
    from homecare.core import paths
    from homecare.facilities.pipeline import geocode_csv

    out = geocode_csv(input_csv, output, address_column=address_column, scheme_id=scheme, tolerance_m=tolerance_m)
    counts = out["match_level"].value_counts().reindex(["town", "municipality", "none"], fill_value=0)
    typer.echo(
        f"{len(out)} addresses -> {paths.relative(paths.resolve(output))}: "
        f"town {counts['town']}, municipality {counts['municipality']}, none {counts['none']}; "
        f"no area: {int((out['area'] == '').sum())}"
    )
