"""Stage 00 圏域の参照データ: the area scheme checked against the units and boundaries, its map
and its members table. Terms: docs/glossary.md."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from homecare.figures.area_map import plot_area_map
from homecare.reference import areas, geo
from homecare.stages.base import Stage


@dataclass
class AreaSet:
    """A validated scheme with the unit polygons and the members table (圏域の構成)."""

    scheme: areas.AreaScheme
    units: gpd.GeoDataFrame
    members: pd.DataFrame

    def sizes(self) -> pd.DataFrame:
        """区市町村数 per area, in display order."""
        return self.members.groupby("圏域", sort=False).size().rename("区市町村数").to_frame()


def load(area_scheme: str) -> AreaSet:
    """Load the scheme (checked against municipalities.csv) and the 58 unit polygons."""
    scheme = areas.load_scheme(area_scheme)
    units = geo.load_units()
    print(f"{scheme.label}: {len(scheme.areas)} areas over {len(units)} units")
    return AreaSet(scheme, units, areas.members_table(scheme))


def publish(stage: Stage, area_set: AreaSet, *, label_units: bool = False) -> None:
    """The area map and the members table of the scheme."""
    scheme = area_set.scheme
    table = f"00_area_members_{scheme.id}"
    fig = plot_area_map(area_set.units, scheme, geo.load_prefectures(), label_units=label_units)
    stage.figure(fig, f"00_area_map_{scheme.id}", table=table)
    stage.table(
        area_set.members,
        table,
        title=f"{scheme.label}の構成区市町村",
        sheet=f"圏域構成_{scheme.label}",
        sources=[f"圏域区分：{scheme.source}", geo.boundary_credit()],
    )
    stage.rows.update(units=len(area_set.units), areas=len(scheme.areas))
