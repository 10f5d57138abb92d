"""Geography of the two home-care sources: the municipality level of the データ集 and the area
groups on which its values are exact (区市町村・圏域の集計単位).

The 届出受理医療機関名簿 is geocoded to the 58 units (区市町村), so its counts are exact for every
area. The データ集 gives designated cities (横浜市, 川崎市, 相模原市) as a whole: its values are exact
for the 33 municipalities (:func:`municipality_scheme`) and for an area only when no city is
shared with another area. :func:`exact_groups` merges the areas that share a city into one group
(二次保健医療圏: 川崎北部＋川崎南部), so that no city value is ever split into wards or areas, and
says so in a note. Terms: docs/glossary.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from homecare.reference import municipalities
from homecare.reference.areas import Area, AreaScheme

MUNICIPALITY_SCHEME_ID = "municipality"
NEUTRAL_COLOR = "#999999"
GROUP_JOIN = "＋"  # area names contain ・, so merged groups are joined with ＋


def source_code_of_units() -> pd.Series:
    """Unit code -> the code the データ集 reports it under (the city code for wards)."""
    units = municipalities.units()
    parent = units["parent_code"].astype(str).str.strip()
    return pd.Series(
        parent.where(parent != "", units["municipality_code"]).to_numpy(), index=units["municipality_code"].to_numpy()
    )


def municipality_names() -> pd.Series:
    """Municipality code (33: designated cities as a whole) -> name (横浜市, 足柄上郡松田町 …)."""
    table = municipalities.load_municipalities().set_index("municipality_code")
    codes = sorted(set(source_code_of_units()))
    return pd.Series([table.at[c, "full_name"] for c in codes], index=codes)


def municipality_scheme() -> AreaScheme:
    """The 33 municipalities (区市町村; 政令指定都市 as a whole) as an area scheme over the 58 units,
    so that the population rates of :mod:`homecare.population.rates` apply to them unchanged."""
    source = source_code_of_units()
    names = municipality_names()
    areas = tuple(
        Area(name=names[code], color=NEUTRAL_COLOR, members=tuple(sorted(source[source == code].index)))
        for code in names.index
    )
    return AreaScheme(
        id=MUNICIPALITY_SCHEME_ID,
        label="区市町村",
        status="official",
        source="全国地方公共団体コード",
        note="政令指定都市は市全体",
        areas=areas,
    )


@dataclass(frozen=True)
class Groups:
    """Areas of a scheme gathered into groups on which source-level values are exact."""

    table: pd.DataFrame  # area, area_order, group, group_order
    notes: tuple[str, ...]  # one sentence per merged group
    units: pd.DataFrame  # municipality_code (unit), area, source_code

    @property
    def group_names(self) -> list[str]:
        """Group names in display order."""
        return list(self.table.drop_duplicates("group").sort_values("group_order")["group"])

    def group_of_source_code(self) -> pd.Series:
        """Source-level municipality code -> its group (one group per code by construction)."""
        joined = self.units.merge(self.table[["area", "group"]], on="area", validate="m:1")
        return joined.groupby("source_code")["group"].first()


def exact_groups(scheme: AreaScheme) -> Groups:
    """Groups of ``scheme``'s areas such that every city reported as a whole falls in one group:
    areas sharing a designated city are merged (union-find over areas), in display order."""
    assign = scheme.assignment().set_index("municipality_code")
    source = source_code_of_units().reindex(assign.index)
    parent = {a: a for a in scheme.area_names}

    def find(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for _, members in assign.groupby(source.to_numpy())["area"]:
        first = find(members.iloc[0])
        for other in members.iloc[1:]:
            root = find(other)
            if root != first:
                parent[root] = first
    order = {a: i for i, a in enumerate(scheme.area_names)}
    roots: dict[str, list[str]] = {}
    for area in scheme.area_names:
        roots.setdefault(find(area), []).append(area)
    rows, notes = [], []
    for k, (_, members) in enumerate(sorted(roots.items(), key=lambda kv: min(order[a] for a in kv[1]))):
        group = GROUP_JOIN.join(members)
        if len(members) > 1:
            shared = sorted(
                {
                    municipality_names()[c]
                    for c, grp in assign.groupby(source.to_numpy())["area"]
                    if grp.nunique() > 1 and set(grp) <= set(members)
                }
            )
            notes.append(
                f"{group}：{'・'.join(shared)}は地域別データ集では市全体の値のため、"
                f"{'と'.join(members)}を分けずに合算して示す"
            )
        rows += [{"area": a, "area_order": order[a], "group": group, "group_order": k} for a in members]
    units = pd.DataFrame(
        {"municipality_code": assign.index, "area": assign["area"].to_numpy(), "source_code": source.to_numpy()}
    )
    return Groups(pd.DataFrame(rows).sort_values("area_order").reset_index(drop=True), tuple(notes), units)
