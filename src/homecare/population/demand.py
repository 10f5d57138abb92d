"""Medical and care demand indices (医療需要指数・介護需要指数), base year = 100.

For each area and year the index is ``100 * sum(weight(age) * population(age)) /
(the same sum in the base year)``: a JMAP-style measure of how much more care an area's
future population needs at today's age-specific use. Weights are data
(``data/raw/reference/demand_weights.yml``), so analysts can edit or add indices.
Terms: docs/glossary.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from homecare.core import paths, provenance
from homecare.core.errors import InputError
from homecare.core.yamlio import load_yaml_mapping
from homecare.population.bands import AGE_BANDS, bands_between

DEFAULT_WEIGHTS_FILE = "data/raw/reference/demand_weights.yml"


@dataclass(frozen=True)
class DemandIndex:
    """One index (e.g. 医療需要指数): a weight per 5-year band (0 where the file lists none)."""

    id: str
    label: str
    band_weights: dict[str, float]


@dataclass(frozen=True)
class DemandWeights:
    """All indices of a weights file, with its source note for the 出典 line."""

    indices: tuple[DemandIndex, ...]
    source: str
    note: str

    def index(self, index_id: str) -> DemandIndex:
        for idx in self.indices:
            if idx.id == index_id:
                return idx
        raise KeyError(index_id)


def _age_group(text: str, *, where: str, index_id: str) -> list[str]:
    """Bands of an age group written ``15-39`` or ``75+``."""
    s = str(text).strip()
    try:
        if s.endswith("+"):
            return bands_between(int(s[:-1]), None)
        lo, hi = s.split("-")
        return bands_between(int(lo), int(hi))
    except ValueError as exc:
        raise InputError(f"index {index_id!r}: bad age group ({exc})", file=where, value=s) from exc


def load_weights(path: str | Path = DEFAULT_WEIGHTS_FILE) -> DemandWeights:
    """Read and check a weights file (年齢階級別重み): groups on band boundaries, no overlap,
    weights non-negative numbers. The read is recorded as a stage input."""
    p = paths.resolve(path)
    where = paths.relative(p)
    raw = load_yaml_mapping(p, InputError, what="weights file")
    provenance.note_input(p)
    if not isinstance(raw.get("indices"), dict) or not raw["indices"]:
        raise InputError("needs an 'indices' mapping (medical: {label, weights} ...)", file=where)
    indices = []
    for index_id, spec in raw["indices"].items():
        weights = (spec or {}).get("weights")
        if not isinstance(weights, dict) or not weights:
            raise InputError(f"index {index_id!r} needs 'weights' (age group -> weight)", file=where)
        band_weights = dict.fromkeys(AGE_BANDS, 0.0)
        seen: dict[str, str] = {}
        for group, weight in weights.items():
            if not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight < 0:
                raise InputError(
                    f"index {index_id!r}: weight of {group} must be a non-negative number", file=where, value=weight
                )
            for band in _age_group(group, where=where, index_id=index_id):
                if band in seen:
                    raise InputError(f"index {index_id!r}: band {band} is in both {seen[band]} and {group}", file=where)
                seen[band] = str(group)
                band_weights[band] = float(weight)
        indices.append(DemandIndex(id=str(index_id), label=str(spec.get("label", index_id)), band_weights=band_weights))
    return DemandWeights(indices=tuple(indices), source=str(raw.get("source", "")), note=str(raw.get("note", "")))


def demand_index(area_pop: pd.DataFrame, weights: DemandWeights, *, base_year: int = 2020) -> pd.DataFrame:
    """Demand indices per area and year from population by area and band
    (:func:`homecare.population.aggregate.area_population`, optionally with the 神奈川県 row):
    ``area, area_order, year, index_id, index_label, weighted, index`` with ``index`` = 100 in ``base_year``."""
    if base_year not in set(area_pop["year"]):
        raise InputError(
            f"base year {base_year} is not in the population data (years: {sorted(set(area_pop['year']))})"
        )
    frames = []
    for idx in weights.indices:
        w = area_pop.assign(weighted=area_pop["population"] * area_pop["age_band"].map(idx.band_weights))
        per = w.groupby(["area_order", "area", "year"], as_index=False, sort=True)["weighted"].sum()
        base = per[per["year"] == base_year].set_index("area")["weighted"]
        if (base <= 0).any():
            raise InputError(f"{idx.label}: weighted base-year population is 0 for {sorted(base[base <= 0].index)}")
        per["index"] = 100 * per["weighted"] / per["area"].map(base)
        frames.append(per.assign(index_id=idx.id, index_label=idx.label))
    out = pd.concat(frames, ignore_index=True)
    order = {idx.id: i for i, idx in enumerate(weights.indices)}
    out = out.assign(_i=out["index_id"].map(order)).sort_values(["_i", "area_order", "year"]).drop(columns="_i")
    return out[["area", "area_order", "year", "index_id", "index_label", "weighted", "index"]].reset_index(drop=True)
