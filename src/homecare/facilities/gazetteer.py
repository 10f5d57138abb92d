"""Offline gazetteer geocoder (町丁目代表点によるジオコーディング).

Looks an address up in the mirrored town gazetteer (Geolonia 住所データ: 4,950 大字・町丁目
points in the 58 units), read only through the catalog so that every file's SHA-256 is
checked and recorded. Two dictionary lookups per address, no geometry:

1. the longest municipality prefix (full names, names without county or prefecture,
   old names from ``municipalities.csv`` variants and ``address_aliases.csv``; a bare
   designated-city name or an ambiguous ward such as 緑区 gives several candidates);
2. in each candidate unit, the longest town prefix (大字・町丁目 without its 丁目), then
   the 丁目 number, or the 小字 when the gazetteer has one.

``match_level`` is ``town`` (a gazetteer point), ``municipality`` (the unit is known, the
town is not: the unit's representative point) or ``none``. Candidates that remain
ambiguous are reported in ``geocode_note``, never guessed.
Terms: docs/glossary.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from statistics import median
from typing import NamedTuple

import pandas as pd

from homecare.core import paths
from homecare.core.errors import ReferenceDataError
from homecare.facilities.address import PREFECTURE, kanji_number, match_key, normalize_address, split_prefecture
from homecare.reference import catalog, municipalities

GAZETTEER_DATASET = "town_gazetteer"
ALIASES_FILE = "address_aliases.csv"
_CHOME_NAME = re.compile(r"^(.+?)([一二三四五六七八九十]+)丁目$")
_CHOME_IN_ADDRESS = re.compile(r"^(\d+)(?:-|$)")
_TOWN_END = re.compile(r"^(?:$|\d|-|字)")
RESULT_COLUMNS = ["municipality_code", "municipality_name", "town", "lat", "lon", "match_level", "geocode_note"]


class GeocodeResult(NamedTuple):
    """One geocoded address. ``candidates`` lists the unit codes still possible when the
    unit itself is not determined (bare 緑区, 相模原市 without ward), for area assignment."""

    municipality_code: str
    municipality_name: str
    town: str
    lat: float
    lon: float
    match_level: str
    geocode_note: str
    candidates: tuple[str, ...] = ()
    outside: bool = False  # the address names another prefecture: never placed in Kanagawa


@dataclass
class TownEntry:
    """All gazetteer points sharing one town base name (e.g. 小杉町 with its 丁目)."""

    plain: tuple[str, float, float] | None = None  # the 大字 itself (e.g. 松田惣領)
    chome: dict[int, tuple[str, float, float]] = field(default_factory=dict)
    koaza: dict[str, tuple[str, float, float]] = field(default_factory=dict)

    def centroid(self) -> tuple[str, float, float]:
        """Base name and mean point of every point under this base (丁目 not given/known)."""
        pts = [self.plain] if self.plain else [*self.chome.values(), *self.koaza.values()]
        base = self.plain[0] if self.plain else _base_name(pts[0][0])
        return base, sum(p[1] for p in pts) / len(pts), sum(p[2] for p in pts) / len(pts)


def _base_name(town: str) -> str:
    m = _CHOME_NAME.match(town)
    return m.group(1) if m else town


class Gazetteer:
    """The lookup structures built once from the gazetteer files and reference tables."""

    def __init__(self, towns: pd.DataFrame, aliases: pd.DataFrame | None = None) -> None:
        """``towns``: ``municipality_code, town, koaza, lat, lon`` (one row per point)."""
        munis = municipalities.load_municipalities()
        self.full_name: dict[str, str] = dict(zip(munis["municipality_code"], munis["full_name"], strict=True))
        unit_codes = set(munis.loc[munis["is_unit"], "municipality_code"])
        self.rep_point = {c: _representative_point(towns[towns["municipality_code"] == c]) for c in unit_codes}
        towns, self.filled = _fill_missing_points(towns, self.rep_point)
        self.units: dict[str, dict[str, TownEntry]] = {c: {} for c in unit_codes}
        for row in towns.itertuples(index=False):
            code = row.municipality_code
            point = (row.town, float(row.lat), float(row.lon))
            m = _CHOME_NAME.match(row.town)
            base = m.group(1) if m else row.town
            entry = self.units[code].setdefault(match_key(base), TownEntry())
            if row.koaza:
                entry.koaza[match_key(row.koaza)] = point  # town stays the 大字; the 小字 gives the point
            elif m:
                entry.chome[kanji_number(m.group(2))] = point
            else:
                entry.plain = point
        self.base_maxlen = {c: max((len(k) for k in t), default=0) for c, t in self.units.items()}
        self.muni_index, self.old_names = _municipality_index(munis, aliases)
        self.muni_maxlen = max(len(k) for k in self.muni_index)
        wards = munis[munis["unit_type"] == "ward"]
        self.bare_wards = {match_key(w) for w in wards["name"]}
        # town base -> units having it, to infer a unit when the address omits it
        self.town_units: dict[str, set[str]] = {}
        for code, bases in self.units.items():
            for base in bases:
                self.town_units.setdefault(base, set()).add(code)
        self.town_maxlen = max(len(k) for k in self.town_units)
        # town names written with or without a linking ノ/ケ (溝の口 / 溝口, 自由ケ丘 / 自由丘):
        # spelling without them -> the gazetteer's key, kept only where unambiguous in the unit
        self.respelled: dict[str, dict[str, str]] = {}
        for code, bases in self.units.items():
            found: dict[str, set[str]] = {}
            for base in bases:
                found.setdefault(_without_links(base), set()).add(base)
            self.respelled[code] = {k: next(iter(v)) for k, v in found.items() if len(v) == 1}

    # -- lookups -----------------------------------------------------------------
    def _municipality(self, body: str) -> tuple[tuple[str, ...], int]:
        """Candidate unit codes of the longest municipality prefix and its length."""
        for n in range(min(self.muni_maxlen, len(body)), 1, -1):
            codes = self.muni_index.get(body[:n])
            if codes:
                return codes, n
        return (), 0

    def _old_name_note(self, written: str) -> str:
        old = self.old_names.get(written)
        return f"旧市町村名・別表記「{old}」を{self.full_name[self.muni_index[written][0]]}として読んだ" if old else ""

    def _town(self, code: str, rest: str) -> tuple[int, tuple[str, float, float] | None, str, bool]:
        """Longest town match in one unit: (matched length, point, note, exact) where
        ``exact`` is False when the 丁目 written is not in the gazetteer (base average)."""
        if rest.startswith("大字"):
            rest = rest[2:]
        bases = self.units[code]
        for n in range(min(self.base_maxlen[code], len(rest)), 0, -1):
            entry = bases.get(rest[:n])
            if entry is None:
                continue
            after = rest[n:]
            if entry.koaza:
                after_k = after[1:] if after.startswith("字") else after
                for key, point in entry.koaza.items():
                    if after_k.startswith(key):
                        return n, point, "", True
            if entry.chome:
                m = _CHOME_IN_ADDRESS.match(after)
                if m and int(m.group(1)) in entry.chome:
                    return n, entry.chome[int(m.group(1))], "", True
                if entry.plain is None:
                    name, lat, lon = entry.centroid()
                    what = f"{m.group(1)}丁目" if m else "丁目"
                    return n, (name, lat, lon), f"{name}の{what}が町丁目データにないため{name}全体の平均点", False
            if entry.plain is not None:
                return n, entry.plain, "", True
            return n, entry.centroid(), "", False
        return 0, None, "", False

    def _respell(self, code: str, rest: str) -> tuple[str, str] | None:
        """``rest`` with its town name in the gazetteer's spelling when they differ only by a
        linking ノ/ケ (溝の口 → 溝口); (new rest, written name) or None."""
        spellings = self.respelled[code]
        for n in range(min(len(rest), self.base_maxlen[code] + 2), 1, -1):
            base = spellings.get(_without_links(rest[:n]))
            if base is not None and base != rest[:n]:
                return base + rest[n:], rest[:n]
        return None

    def _unit_result(self, code: str, rest: str, note: str) -> GeocodeResult:
        n, point, town_note, _ = self._town(code, rest)
        if point is None and (respelled := self._respell(code, rest)) is not None:
            n, point, town_note, _ = self._town(code, respelled[0])
            if point is not None:
                town_note = "; ".join(x for x in (f"町名「{respelled[1]}」を「{point[0]}」として照合", town_note) if x)
        name = self.full_name[code]
        notes = [x for x in (note, town_note) if x]
        if point is not None and (code, point[0]) in self.filled:
            notes.append(f"{point[0]}は町丁目データに座標がないため{self.filled[(code, point[0])]}")
        if point is None:
            lat, lon = self.rep_point[code]
            notes.append("町丁目が見つからないため区市町村の代表点")
            return GeocodeResult(code, name, "", lat, lon, "municipality", "; ".join(notes))
        return GeocodeResult(code, name, point[0], point[1], point[2], "town", "; ".join(notes))

    def geocode(self, address: str) -> GeocodeResult:
        """Geocode one address as written (any common form)."""
        if address is None or (isinstance(address, float) and address != address):
            return GeocodeResult("", "", "", float("nan"), float("nan"), "none", "住所なし")
        pref, body = split_prefecture(normalize_address(str(address)))
        if not body:
            return GeocodeResult("", "", "", float("nan"), float("nan"), "none", "住所なし")
        if pref and pref != PREFECTURE:
            return GeocodeResult(
                "", "", "", float("nan"), float("nan"), "none", f"神奈川県外の住所（{pref}）", (), True
            )
        codes, n = self._municipality(body)
        rest = body[n:]
        if len(codes) == 1:
            if body[:n] in self.bare_wards and self._town(codes[0], rest)[1] is None:
                # 中区, 中央区, 西区 ... exist in other prefectures too: without city and
                # without a known town this is not evidence for the Kanagawa ward
                return GeocodeResult(
                    "",
                    body[:n],
                    "",
                    float("nan"),
                    float("nan"),
                    "none",
                    f"市名のない区名「{body[:n]}」で町名も見つからない（{self.full_name[codes[0]]}か県外か不明）",
                )
            return self._unit_result(codes[0], rest, self._old_name_note(body[:n]))
        if not codes:
            return self._infer_from_town(body)
        return self._resolve_candidates(codes, body[:n], rest)

    def _resolve_candidates(self, codes: tuple[str, ...], written: str, rest: str) -> GeocodeResult:
        """Several units possible (相模原市 without ward, bare 緑区): the town decides when
        it exists in exactly one of them (longest town name, then an existing 丁目);
        otherwise report the candidates, do not guess."""
        hits = {c: self._town(c, rest) for c in codes}
        best = max((h[0], h[3]) for h in hits.values())
        winners = [c for c, h in hits.items() if best[0] > 0 and (h[0], h[3]) == best]
        what = f"「{written}」（{'・'.join(self.full_name[c] for c in codes)}のいずれか）"
        if len(winners) == 1:
            return self._unit_result(winners[0], rest, f"{what}: 町名から{self.full_name[winners[0]]}と判定")
        why = f"町名が{'・'.join(self.full_name[c] for c in winners)}にある" if winners else "町名で区を特定できない"
        if len(codes) > 3:  # a designated city without ward: do not list all its wards
            what = f"区の記載がない「{written}」"
        return GeocodeResult(
            "",
            written,
            "",
            float("nan"),
            float("nan"),
            "none",
            f"区が特定できない: {what}、{why}",
            tuple(winners or codes),
        )

    def _infer_from_town(self, body: str) -> GeocodeResult:
        """No municipality written: accept a town name that exists in exactly one unit."""
        for n in range(min(self.town_maxlen, len(body)), 1, -1):
            units = self.town_units.get(body[:n])
            # the name must be complete (a house number or 字 follows), so that a municipality
            # elsewhere (町田市…) is not read as a Kanagawa town that starts the same way
            if units and not _TOWN_END.match(body[n:]):
                continue
            if units:
                if len(units) == 1:
                    (code,) = units
                    return self._unit_result(code, body, f"市区町村名がないため町名から{self.full_name[code]}と推定")
                break
        return GeocodeResult("", "", "", float("nan"), float("nan"), "none", "神奈川県の市区町村名が見つからない")

    def geocode_many(self, addresses: Iterable[str]) -> pd.DataFrame:
        """Geocode a column of addresses (each distinct address once) into
        :data:`RESULT_COLUMNS` plus ``candidates`` ("|"-joined codes) and ``outside``."""
        values = pd.Series(list(addresses), dtype=object)
        uniq = pd.unique(values)
        cache = {a: self.geocode(a) for a in uniq}
        rows = [cache[a] for a in values]
        df = pd.DataFrame(rows, columns=[*RESULT_COLUMNS, "candidates", "outside"])
        df["candidates"] = df["candidates"].map("|".join)
        return df


def _without_links(key: str) -> str:
    """A town key without linking ノ/ケ, to compare spellings that differ only by them."""
    return key.replace("ノ", "").replace("ケ", "")


def _fill_missing_points(
    towns: pd.DataFrame, rep_point: dict[str, tuple[float, float]]
) -> tuple[pd.DataFrame, dict[tuple[str, str], str]]:
    """The gazetteer lists some towns without a point (58 in the 2023-11 files). They stay
    matchable by name; their point is the mean of the other 丁目 of the same town, else
    the unit's representative point. Returns the filled table and {(code, town): how}."""
    towns = towns.copy()
    towns["base"] = towns["town"].map(_base_name)
    means = towns.dropna(subset=["lat", "lon"]).groupby(["municipality_code", "base"])[["lat", "lon"]].mean()
    filled: dict[tuple[str, str], str] = {}
    for i in towns.index[towns["lat"].isna() | towns["lon"].isna()]:
        code, base = towns.at[i, "municipality_code"], towns.at[i, "base"]
        if (code, base) in means.index:
            towns.loc[i, ["lat", "lon"]] = means.loc[(code, base)].to_numpy()
            filled[(code, towns.at[i, "town"])] = f"{base}の他の丁目の平均点"
        else:
            towns.loc[i, ["lat", "lon"]] = rep_point[code]
            filled[(code, towns.at[i, "town"])] = "区市町村の代表点"
    return towns.drop(columns="base"), filled


def _representative_point(towns: pd.DataFrame) -> tuple[float, float]:
    """A unit's representative point: the town point nearest to the median of its town
    points (a real, inhabited place in the unit, unlike a polygon centroid)."""
    towns = towns.dropna(subset=["lat", "lon"])
    mlat, mlon = median(towns["lat"]), median(towns["lon"])
    d = (towns["lat"] - mlat) ** 2 + (towns["lon"] - mlon) ** 2
    best = towns.loc[d.idxmin()]
    return float(best["lat"]), float(best["lon"])


def load_aliases() -> pd.DataFrame:
    """Extra written forms of municipality names (``data/raw/reference/address_aliases.csv``)."""
    from homecare.core import provenance

    path = paths.reference_dir() / ALIASES_FILE
    provenance.note_input(path)
    df = pd.read_csv(path, dtype=str, keep_default_na=False, comment="#", encoding="utf-8")
    unknown = [c for c in df["canonical"] if municipalities.lookup_code(c) is None]
    if unknown:
        raise ReferenceDataError(f"{paths.relative(path)}: canonical names not in municipalities.csv: {unknown}")
    return df


def _municipality_index(
    munis: pd.DataFrame, aliases: pd.DataFrame | None
) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """Matching key of every written form of a unit name -> the unit codes it may denote,
    and key -> written form for old names and aliases (reported in the note)."""
    index: dict[str, set[str]] = {}
    old: dict[str, str] = {}
    by_code = munis.set_index("municipality_code")
    for row in munis.itertuples(index=False):
        if not row.is_unit:  # a designated city name alone: any of its wards
            wards = by_code.index[by_code["parent_code"] == row.municipality_code]
            index.setdefault(match_key(row.name), set()).update(wards)
            continue
        forms = {row.full_name, row.name, *(v for v in row.variants.split("|") if v)}
        if row.city:
            forms.add(row.city + row.name)
        if row.county:
            forms.add(row.county + row.name)
        for form in forms:
            index.setdefault(match_key(form), set()).add(row.municipality_code)
        current = {match_key(f) for f in (row.full_name, row.name, row.city + row.name, row.county + row.name)}
        old.update({match_key(v): v for v in row.variants.split("|") if v and match_key(v) not in current})
    if aliases is not None:
        for row in aliases.itertuples(index=False):
            if row.kind == "municipality":
                index.setdefault(match_key(row.alias), set()).add(municipalities.lookup_code(row.canonical))
                old[match_key(row.alias)] = row.alias
    return {k: tuple(sorted(v)) for k, v in index.items()}, old


def load_town_points() -> pd.DataFrame:
    """Every gazetteer point: ``municipality_code, municipality_name, town, koaza, lat, lon``.

    Files come from the catalog (hash-checked, recorded as inputs); the file name is the
    unit's name as written in addresses and must resolve to exactly one unit.
    """
    frames = []
    for entry in catalog.load_catalog().files_of(GAZETTEER_DATASET):
        path = catalog.path_of(entry.id)
        name = path.stem
        code = municipalities.lookup_code(name)
        if code is None:
            raise ReferenceDataError(f"gazetteer file {entry.path}: {name} is not a unit in municipalities.csv")
        rows = json.loads(path.read_text(encoding="utf-8"))
        df = pd.DataFrame(rows, columns=["town", "koaza", "lat", "lng"]).rename(columns={"lng": "lon"})
        df["koaza"] = df["koaza"].fillna("").astype(str)
        df.insert(0, "municipality_name", municipalities.full_name_of(code))
        df.insert(0, "municipality_code", code)
        frames.append(df)
    towns = pd.concat(frames, ignore_index=True)
    missing = set(municipalities.units()["municipality_code"]) - set(towns["municipality_code"])
    if missing:
        raise ReferenceDataError(f"town gazetteer has no file for units {sorted(missing)}")
    return towns


@lru_cache(maxsize=1)
def _build() -> Gazetteer:
    return Gazetteer(load_town_points(), load_aliases())


def load_gazetteer() -> Gazetteer:
    """The geocoder over the catalog's gazetteer files, built once per process; every call
    records the files (hash-checked) as inputs of the current stage."""
    gaz = _build()
    for entry in catalog.load_catalog().files_of(GAZETTEER_DATASET):
        catalog.path_of(entry.id)
    load_aliases()
    return gaz


def geocode(address: str) -> GeocodeResult:
    """Geocode one address with the default gazetteer."""
    return load_gazetteer().geocode(address)
