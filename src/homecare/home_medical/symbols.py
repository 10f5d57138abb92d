"""The 受理記号 map (届出の略号): which notifications are home-care supply, and of which type.

``data/raw/reference/home_medical/notification_symbols.csv`` lists the symbols of 在宅療養支援
診療所 (在支診: 支援診１-３), 在宅療養支援病院 (在支病: 支援病１-３) with their type (機能強化型 単独 /
連携, 従来型; a best reading, marked verify) and 在宅療養後方支援病院 (在後病), plus look-alikes that
are NOT supply counts (在医総管, 在宅ＤＸ, 歯援診 ...). :func:`classify` sorts one notification into
supply, look-alike, unknown home-care-like (a QA entry: never silently dropped) or other.
Terms: docs/glossary.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from homecare.core import provenance
from homecare.core.errors import ReferenceDataError
from homecare.core.labels import compact_label as norm  # symbols and names as compared
from homecare.home_medical.reference_files import read_reference_table, reference_path

SYMBOLS_NAME = "notification_symbols.csv"
SUPPLY_CATEGORIES = ("support_clinic", "support_hospital", "backup_hospital")
CATEGORIES = (*SUPPLY_CATEGORIES, "lookalike")
SUPPORT_TYPES = ("enhanced_single", "enhanced_linked", "conventional")
TYPE_LABELS = {
    "enhanced_single": "機能強化型（単独型）",
    "enhanced_linked": "機能強化型（連携型）",
    "conventional": "従来型",
}
ENHANCED = ("enhanced_single", "enhanced_linked")
# A notification looks like home care when its name says so or its symbol has the shape of one.
HOME_CARE_NAMES = ("在宅療養支援診療所", "在宅療養支援病院", "在宅療養後方支援病院")
_HOME_CARE_SYMBOL = re.compile(r"^在|援[診病]")


@dataclass(frozen=True)
class Symbol:
    """One row of the symbol map (NFKC ``key`` for matching, ``symbol`` as written in the file)."""

    symbol: str
    key: str
    match: str  # exact | prefix
    category: str
    support_type: str
    name_contains: str
    status: str


@dataclass(frozen=True)
class Classified:
    """What a notification is: ``kind`` supply | lookalike | unknown | other, with its map row."""

    kind: str
    symbol: Symbol | None = None


def symbols_path():
    return reference_path(SYMBOLS_NAME)


@lru_cache(maxsize=1)
def _load() -> tuple[Symbol, ...]:
    df, where = read_reference_table(
        SYMBOLS_NAME, ["symbol", "match", "category", "support_type", "name_contains", "status", "note"], note=False
    )
    out: list[Symbol] = []
    for i, r in enumerate(df.to_dict("records"), start=1):
        if r["match"] not in ("exact", "prefix") or r["category"] not in CATEGORIES:
            raise ReferenceDataError(f"{where}: entry {i} ({r['symbol']}): match or category not allowed: {r}")
        if r["category"] in ("support_clinic", "support_hospital") and r["support_type"] not in SUPPORT_TYPES:
            raise ReferenceDataError(f"{where}: entry {i} ({r['symbol']}) needs a support_type of {SUPPORT_TYPES}")
        key = norm(r["symbol"])
        if not key or key in {s.key for s in out}:
            raise ReferenceDataError(f"{where}: entry {i}: empty or repeated symbol {r['symbol']!r}")
        out.append(
            Symbol(
                r["symbol"], key, r["match"], r["category"], r["support_type"], norm(r["name_contains"]), r["status"]
            )
        )
    # longest key first, so that a longer prefix wins over a shorter one
    return tuple(sorted(out, key=lambda s: -len(s.key)))


def load_symbols() -> tuple[Symbol, ...]:
    """The symbol map, validated; the read is recorded as a stage input."""
    provenance.note_input(symbols_path())
    return _load()


def lookup(symbol: str, table: tuple[Symbol, ...]) -> Symbol | None:
    """The map row of a 受理記号 as written (NFKC; ``prefix`` rows match the start), else None."""
    key = norm(symbol)
    for s in table:
        if key == s.key or (s.match == "prefix" and key.startswith(s.key)):
            return s
    return None


@lru_cache(maxsize=20_000)
def classify(symbol: str, name: str, table: tuple[Symbol, ...]) -> Classified:
    """Sort one notification (受理記号, 受理届出名称): a mapped supply symbol, a known look-alike,
    an unknown symbol that looks like home care (name or symbol shape), or another notification."""
    found = lookup(symbol, table)
    if found is not None:
        return Classified("supply" if found.category in SUPPLY_CATEGORIES else "lookalike", found)
    name_key, key = norm(name), norm(symbol)
    if any(n in name_key for n in HOME_CARE_NAMES) or _HOME_CARE_SYMBOL.search(key):
        return Classified("unknown")
    return Classified("other")
