"""Offline gazetteer geocoder (町丁目代表点によるジオコーディング).

Looks an address up in the mirrored town gazetteer (Geolonia 住所データ: 4,950 大字・町丁目
points in the 58 units), read only through the catalog so that every file's SHA-256 is
checked and recorded. Two dictionary lookups per address, no geometry:

1. the longest municipality prefix (full names, names without county or prefecture,
   old names from ``municipalities.csv`` variants and ``address_aliases.csv``; a bare
   designated-city name or an ambiguous ward such as 緑区 gives several candidates). A
   municipality written twice (藤沢市藤沢市高倉, 横浜市横浜市港北区) is read once;
2. in each candidate unit, the longest town prefix (大字・町丁目 without its 丁目), then
   the 丁目 number, or the 小字 when the gazetteer has one. A town name is accepted only
   when what follows it is a 丁目/番地/号 part, a 字 or nothing: 中原上宿 is not read as the
   town 中原 (the unit's point, with a note, instead of a wrong town).

When the source file gives the unit (its own municipality code, :meth:`Gazetteer.geocode`
with ``unit``), the code is authoritative: the town is looked up in that unit, and an
address naming another municipality or prefecture is reported (``code_disagrees``), never
followed. Towns the mirrored gazetteer lacks come from ``gazetteer_supplement.csv`` (with
its source; every match on one is noted). Variant characters (ッ/ツ, 曾/曽 ...) are unified
by :mod:`homecare.facilities.address`.

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
from homecare.facilities.address import (
    PREFECTURE,
    kanji_number,
    match_key,
    normalize_address,
    normalize_addresses,
    split_prefecture,
)
from homecare.reference import catalog, municipalities

GAZETTEER_DATASET = "town_gazetteer"
ALIASES_FILE = "address_aliases.csv"
SUPPLEMENT_FILE = "gazetteer_supplement.csv"
_CHOME_NAME = re.compile(r"^(.+?)([一二三四五六七八九十]+)丁目$")
_CHOME_IN_ADDRESS = re.compile(r"^(\d+)(?:-|$)")
_TOWN_END = re.compile(r"^(?:$|\d|-|字)")
# what may follow a town name: nothing, a house number (丁目/番地/号 became digits and "-"),
# a kanji house number (七十七番地), 番地/無番地, or a 小字 (字…)
_AFTER_TOWN = re.compile(r"^(?:$|\d|-|大?字|無?番地|[〇一二三四五六七八九十百千]+(?:番|号|丁目|地割))")
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
    code_disagrees: bool = False  # the address names another unit than the file's code


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

    def __init__(
        self, towns: pd.DataFrame, aliases: pd.DataFrame | None = None, supplement: pd.DataFrame | None = None
    ) -> None:
        """``towns``: ``municipality_code, town, koaza, lat, lon`` (one row per point);
        ``supplement``: towns the gazetteer lacks, same columns plus ``established`` (noted
        on every match)."""
        munis = municipalities.load_municipalities()
        self.full_name: dict[str, str] = dict(zip(munis["municipality_code"], munis["full_name"], strict=True))
        unit_codes = set(munis.loc[munis["is_unit"], "municipality_code"])
        # representative points from the mirrored gazetteer only, so a supplement does not move them
        self.rep_point = {c: _representative_point(towns[towns["municipality_code"] == c]) for c in unit_codes}
        self.supplemented: dict[tuple[str, str], str] = {}
        if supplement is not None and len(supplement):
            self.supplemented = {
                (c, t): e
                for c, t, e in zip(
                    supplement["municipality_code"], supplement["town"], supplement["established"], strict=True
                )
            }
            towns = pd.concat([towns, supplement[list(towns.columns)]], ignore_index=True)
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
        self.muni_starts = {k[:2] for k in self.muni_index}  # a cheap test before a prefix search
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
        ``exact`` is False when the 丁目 written is not in the gazetteer (base average).
        A town name followed by something that is not a house number, 番地 or 字 is only the
        start of a longer name the gazetteer lacks: no match, and the note says so."""
        if rest.startswith("大字"):
            rest = rest[2:]
        bases = self.units[code]
        partial = ""
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
            if not _AFTER_TOWN.match(after):
                partial = partial or (
                    f"町名「{rest[:n]}」の後の「{after[:8]}」が丁目・番地でないため"
                    f"{rest[:n]}とは読まない（町丁目データにない町名の可能性）"
                )
                continue
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
        return 0, None, partial, False

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
            n, point, respelled_note, _ = self._town(code, respelled[0])
            if point is not None:
                town_note = "; ".join(
                    x for x in (f"町名「{respelled[1]}」を「{point[0]}」として照合", respelled_note) if x
                )
        name = self.full_name[code]
        notes = [x for x in (note, town_note) if x]
        if point is not None and (code, point[0]) in self.filled:
            notes.append(f"{point[0]}は町丁目データに座標がないため{self.filled[(code, point[0])]}")
        if point is not None and (code, point[0]) in self.supplemented:
            notes.append(
                f"{point[0]}（{self.supplemented[(code, point[0])]}設置）は町丁目データにないため"
                f"{SUPPLEMENT_FILE}の代表点"
            )
        if point is None:
            lat, lon = self.rep_point[code]
            notes.append("町丁目が見つからないため区市町村の代表点")
            return GeocodeResult(code, name, "", lat, lon, "municipality", "; ".join(notes))
        return GeocodeResult(code, name, point[0], point[1], point[2], "town", "; ".join(notes))

    def _repeated(self, codes: tuple[str, ...], n: int, body: str) -> tuple[tuple[str, ...], int, str]:
        """A municipality written twice (藤沢市藤沢市高倉, 横浜市横浜市港北区, 相模原市緑区津久井町…):
        when what follows the prefix is again a name of the same unit(s), read past it unless
        it is a town of the unit. Returns (codes, prefix length, note)."""
        rest = body[n:]
        if rest[:2] not in self.muni_starts:
            return codes, n, ""
        again, m = self._municipality(rest)
        both = tuple(c for c in codes if c in again)
        if not m or not both:
            return codes, n, ""
        if len(both) == 1 and (town := self._town(both[0], rest))[1] is not None and town[3] and town[0] >= m:
            return codes, n, ""  # a town whose name starts like the municipality
        return both, n + m, f"「{body[:n]}」の後の「{rest[:m]}」も同じ区市町村の名称（重複・旧名）として読み飛ばした"

    def geocode(self, address: str, unit: str = "", *, key: str | None = None) -> GeocodeResult:
        """Geocode one address as written (any common form). ``unit``: the unit code given by
        the source file itself (authoritative; the town is looked up in that unit). ``key``:
        the address's :func:`normalize_address`, when the caller has it already."""
        if address is None or (isinstance(address, float) and address != address):
            return GeocodeResult("", "", "", float("nan"), float("nan"), "none", "住所なし")
        pref, body = split_prefecture(normalize_address(str(address)) if key is None else key)
        if unit:
            if unit not in self.units:
                raise ReferenceDataError(f"unit code {unit!r} is not one of the {len(self.units)} units")
            return self._in_unit(unit, pref, body)
        if not body:
            return GeocodeResult("", "", "", float("nan"), float("nan"), "none", "住所なし")
        if pref and pref != PREFECTURE:
            return GeocodeResult(
                "", "", "", float("nan"), float("nan"), "none", f"神奈川県外の住所（{pref}）", (), True
            )
        codes, n = self._municipality(body)
        codes, n, repeat_note = self._repeated(codes, n, body) if n else (codes, n, "")
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
            note = "; ".join(x for x in (self._old_name_note(body[:n]), repeat_note) if x)
            return self._unit_result(codes[0], rest, note)
        if not codes:
            return self._infer_from_town(body)
        return self._resolve_candidates(codes, body[:n], rest)

    def _in_unit(self, unit: str, pref: str, body: str) -> GeocodeResult:
        """Geocode ``body`` inside the unit the source file gives. The file's code wins over
        the address: an address naming another prefecture or municipality is noted
        (``code_disagrees``) and its town is looked up in the file's unit only."""
        name = self.full_name[unit]
        by_code = f"元データのコード（{unit} {name}）"
        if pref and pref != PREFECTURE:
            lat, lon = self.rep_point[unit]
            note = f"住所は{pref}だが{by_code}は神奈川県: コードを採用し区市町村の代表点"
            return GeocodeResult(unit, name, "", lat, lon, "municipality", note, code_disagrees=True)
        if not body:
            lat, lon = self.rep_point[unit]
            return GeocodeResult(unit, name, "", lat, lon, "municipality", f"住所なし: {by_code}の区市町村の代表点")
        codes, n = self._municipality(body)
        if n:
            codes, n, repeat_note = self._repeated(codes, n, body)
        if n and unit in codes:
            note = "; ".join(x for x in (self._old_name_note(body[:n]), repeat_note) if x)
            return self._unit_result(unit, body[n:], note)
        if n:
            whole = self._town(unit, body)
            if whole[1] is not None and whole[3]:  # a town of the unit that starts like a municipality
                return self._unit_result(unit, body, "")
            written = "・".join(self.full_name[c] for c in codes) if len(codes) <= 3 else body[:n]
            note = f"住所の区市町村（{written}）が{by_code}と一致しない: コードを採用"
            return self._unit_result(unit, body[n:], note)._replace(code_disagrees=True)
        return self._unit_result(unit, body, f"住所に区市町村名がないため{by_code}の区市町村内で照合")

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

    def geocode_many(
        self, addresses: Iterable[str], units: Iterable[str] | None = None, *, keys: Iterable[str] | None = None
    ) -> pd.DataFrame:
        """Geocode a column of addresses (each distinct address and unit once) into
        :data:`RESULT_COLUMNS` plus ``candidates`` ("|"-joined codes), ``outside`` and
        ``code_disagrees``. ``units``: the unit code of each address from its source file
        ("" when the file gives none); ``keys``: :func:`normalize_addresses` of the addresses,
        when the caller has them."""
        values = list(addresses)
        match = list(keys) if keys is not None else normalize_addresses(str(v) if v is not None else "" for v in values)
        pairs = list(zip(values, units if units is not None else [""] * len(values), match, strict=True))
        cache = {p: self.geocode(p[0], p[1], key=p[2]) for p in dict.fromkeys(pairs)}
        rows = [cache[p] for p in pairs]
        df = pd.DataFrame(rows, columns=[*RESULT_COLUMNS, "candidates", "outside", "code_disagrees"])
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


def municipality_forms() -> frozenset[str]:
    """Matching keys of every written form of a unit or designated-city name (full names,
    without county, old names, aliases): what an address may start with after the prefecture."""
    index, _ = _municipality_index(municipalities.load_municipalities(), load_aliases())
    return frozenset(index)


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


def load_supplement(towns: pd.DataFrame | None = None) -> pd.DataFrame:
    """Towns the mirrored gazetteer lacks (``data/raw/reference/gazetteer_supplement.csv``):
    ``municipality_code, town, koaza, lat, lon, established, source, point_source``, checked
    against the units, the gazetteer (``towns``: a town it already has is refused, so the
    file is emptied when the mirror catches up) and Kanagawa's extent."""
    from homecare.core import provenance

    path = paths.reference_dir() / SUPPLEMENT_FILE
    provenance.note_input(path)
    df = pd.read_csv(path, dtype=str, keep_default_na=False, comment="#", encoding="utf-8")
    where = paths.relative(path)
    units = set(municipalities.units()["municipality_code"])
    for row in df.itertuples(index=False):
        if row.municipality_code not in units:
            raise ReferenceDataError(f"{where}: {row.municipality_code} is not one of the 58 units")
        if municipalities.full_name_of(row.municipality_code) != row.municipality_name:
            raise ReferenceDataError(f"{where}: {row.municipality_code} is not {row.municipality_name}")
        if not (row.source and row.point_source and row.established):
            raise ReferenceDataError(f"{where}: {row.town} needs established, source and point_source")
    df["lat"] = pd.to_numeric(df["lat"], errors="raise")
    df["lon"] = pd.to_numeric(df["lon"], errors="raise")
    outside = df[~(df["lat"].between(35.1, 35.7) & df["lon"].between(138.9, 139.8))]
    if len(outside):
        raise ReferenceDataError(f"{where}: points outside Kanagawa: {outside['town'].tolist()}")
    if towns is not None:
        have = set(zip(towns["municipality_code"], towns["town"], towns["koaza"], strict=True))
        dup = [t for c, t, k in zip(df["municipality_code"], df["town"], df["koaza"], strict=True) if (c, t, k) in have]
        if dup:
            raise ReferenceDataError(f"{where}: the gazetteer already has {dup}: remove them from the supplement")
    return df


@lru_cache(maxsize=1)
def _build() -> Gazetteer:
    towns = load_town_points()
    return Gazetteer(towns, load_aliases(), load_supplement(towns))


def load_gazetteer() -> Gazetteer:
    """The geocoder over the catalog's gazetteer files (and the supplement), built once per
    process; every call records the files (hash-checked) as inputs of the current stage."""
    from homecare.core import provenance
    from homecare.facilities.address import variants_path

    gaz = _build()
    for entry in catalog.load_catalog().files_of(GAZETTEER_DATASET):
        catalog.path_of(entry.id)
    load_aliases()
    provenance.note_input(paths.reference_dir() / SUPPLEMENT_FILE)
    provenance.note_input(variants_path())
    return gaz


def geocode(address: str) -> GeocodeResult:
    """Geocode one address with the default gazetteer."""
    return load_gazetteer().geocode(address)
