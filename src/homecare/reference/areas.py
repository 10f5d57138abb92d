"""Area schemes (圏域): which area each municipality/ward unit belongs to.

Schemes are data (``data/raw/reference/areas/<id>.yml``), because the new regional
medical vision may redraw them: ``secondary_medical_area`` (二次保健医療圏, default),
``elderly_care_area`` (高齢者保健福祉圏域, to verify) and draft scenarios. Each file lists
the areas in display order, a colour per area (used in every figure) and the member
units by 5-digit code with their name, checked against the reference table.
Terms: docs/glossary.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from homecare.core import paths, provenance
from homecare.core.errors import ReferenceDataError
from homecare.core.yamlio import load_yaml
from homecare.reference import municipalities

DEFAULT_SCHEME = "secondary_medical_area"
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class Area:
    """One area (圏域) of a scheme."""

    name: str
    color: str
    members: tuple[str, ...]  # 5-digit unit codes


@dataclass(frozen=True)
class AreaScheme:
    """A complete assignment of the 58 units to areas (e.g. 二次保健医療圏)."""

    id: str
    label: str
    status: str  # official | verify | scenario
    source: str
    note: str
    areas: tuple[Area, ...]

    @property
    def area_names(self) -> list[str]:
        return [a.name for a in self.areas]

    @property
    def colors(self) -> dict[str, str]:
        """Area name -> colour (hex), the one colour the area has in every figure."""
        return {a.name: a.color for a in self.areas}

    def assignment(self) -> pd.DataFrame:
        """One row per unit: ``municipality_code, area, area_order``."""
        rows = [(code, area.name, i) for i, area in enumerate(self.areas) for code in area.members]
        return pd.DataFrame(rows, columns=["municipality_code", "area", "area_order"])

    def area_of(self, code: str) -> str:
        """The area of a unit code; KeyError when the code is not a unit."""
        for area in self.areas:
            if code in area.members:
                return area.name
        raise KeyError(code)

    def areas_of(self, records: pd.DataFrame) -> pd.Series:
        """The area of each record of a table with ``municipality_code`` (and, as written by
        stage 03, ``area`` and ``area_scheme``): the table's own ``area`` when it was assigned
        under this scheme, else this scheme's area of the unit code. NA when unknown."""
        if "area" in records and "area_scheme" in records and records["area_scheme"].eq(self.id).all():
            return records["area"]
        return records["municipality_code"].map(self.assignment().set_index("municipality_code")["area"])


def scheme_dir() -> Path:
    return paths.reference_dir() / "areas"


def list_schemes() -> list[str]:
    """Ids of all scheme files in ``data/raw/reference/areas/``."""
    return sorted(p.stem for p in scheme_dir().glob("*.yml"))


def _scheme_file(scheme: str | Path) -> Path:
    p = Path(scheme)
    if p.suffix in (".yml", ".yaml"):
        return paths.resolve(p)
    path = scheme_dir() / f"{scheme}.yml"
    if not path.is_file():
        raise ReferenceDataError(
            f"unknown area scheme {scheme!r}: no file {paths.relative(path)}; "
            f"known schemes: {', '.join(list_schemes())}"
        )
    return path


def load_scheme(scheme: str | Path = DEFAULT_SCHEME) -> AreaScheme:
    """Load and validate an area scheme by id or path.

    Raises ReferenceDataError (naming the file and unit) for an unknown code, a name that
    does not match the code, a unit in two areas, a unit left out, a duplicate area name
    or a missing/invalid colour.
    """
    path = _scheme_file(scheme)
    provenance.note_input(path)
    where = paths.relative(path)
    raw = load_yaml(path, ReferenceDataError) or {}
    for key in ("id", "label", "areas"):
        if key not in raw:
            raise ReferenceDataError(f"{where}: missing key {key!r}")
    units = municipalities.units().set_index("municipality_code")
    seen: dict[str, str] = {}
    areas: list[Area] = []
    for entry in raw["areas"]:
        name = str(entry.get("name", "")).strip()
        if not name:
            raise ReferenceDataError(f"{where}: an area has no name")
        if name in (a.name for a in areas):
            raise ReferenceDataError(f"{where}: area {name!r} listed twice")
        color = str(entry.get("color", ""))
        if not _HEX.match(color):
            raise ReferenceDataError(f'{where}: area {name!r} needs a colour like "#332288", got {color!r}')
        members = []
        for code_raw, unit_name in (entry.get("members") or {}).items():
            code = str(code_raw).zfill(5)
            if code not in units.index:
                raise ReferenceDataError(
                    f"{where}: area {name!r} lists unknown unit code {code} ({unit_name}); "
                    f"units are the 58 codes in data/raw/reference/municipalities.csv"
                )
            expected = units.at[code, "full_name"]
            if unit_name is not None and municipalities.name_key(str(unit_name)) != municipalities.name_key(expected):
                raise ReferenceDataError(
                    f"{where}: area {name!r}: code {code} is {expected}, but the file says {unit_name}"
                )
            if code in seen:
                raise ReferenceDataError(
                    f"{where}: unit {code} {expected} is in two areas: {seen[code]!r} and {name!r}"
                )
            seen[code] = name
            members.append(code)
        if not members:
            raise ReferenceDataError(f"{where}: area {name!r} has no members")
        areas.append(Area(name=name, color=color.upper(), members=tuple(members)))
    missing = [f"{c} {units.at[c, 'full_name']}" for c in units.index if c not in seen]
    if missing:
        raise ReferenceDataError(f"{where}: units left out of every area: {', '.join(missing)}")
    return AreaScheme(
        id=str(raw["id"]),
        label=str(raw["label"]),
        status=str(raw.get("status", "scenario")),
        source=str(raw.get("source", "")),
        note=str(raw.get("note", "")),
        areas=tuple(areas),
    )


def members_table(scheme: AreaScheme) -> pd.DataFrame:
    """Areas with their member units, one row per unit, in display order (Japanese headers)."""
    units = municipalities.units().set_index("municipality_code")
    rows = []
    for area in scheme.areas:
        for code in sorted(area.members):
            rows.append(
                {
                    "圏域": area.name,
                    "区市町村コード": code,
                    "区市町村コード（6桁）": units.at[code, "code6"],
                    "区市町村名": units.at[code, "full_name"],
                    "圏域内の区市町村数": len(area.members),
                }
            )
    return pd.DataFrame(rows)


def colour_clashes(a: AreaScheme, b: AreaScheme) -> list[str]:
    """What breaks "one colour, one area" between two schemes shown side by side: an area of
    ``a`` and a different area of ``b`` (other member units) with the same colour, which would
    tell the reader they are the same area; and the same area (same members) with two colours.
    Empty when the schemes can be compared in one figure."""
    found = []
    for x in a.areas:
        for y in b.areas:
            same_area = set(x.members) == set(y.members)
            if x.color == y.color and not same_area:
                found.append(f"{a.id} {x.name} and {b.id} {y.name} differ but share the colour {x.color}")
            elif same_area and x.color != y.color:
                found.append(f"{a.id} {x.name} and {b.id} {y.name} are the same area in two colours")
    return found
