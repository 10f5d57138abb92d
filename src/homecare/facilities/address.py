"""Japanese address normaliser (住所の正規化) for offline geocoding.

One written address becomes one matching key, so that the many forms of the same
address meet in the gazetteer lookup:

- NFKC (full-width digits, letters and spaces to ASCII), every space removed;
- postal code (〒231-0023, 231-0023 at the start) and bracketed notes removed;
- hyphen variants (‐ ‑ ‒ – — ― − ｰ ー and の between digits) to ``-``;
- 丁目 in kanji or digits (三丁目, 3丁目) and 番地/番/号 to the ``3-1-2`` form;
- ヶ/ケ/ヵ/が and の/ノ/之 unified (茅ヶ崎/茅ケ崎, 緑が丘/緑ヶ丘, 宮の里/宮ノ里), and the
  characters listed in ``data/raw/reference/address_variants.csv``: small ッ/ツ (六ッ川/六ツ川)
  and variant kanji NFKC keeps (曾/曽, 澤/沢, 龍/竜, 﨑/崎, 髙/高, 濱/浜 ...);
- the prefecture split off (神奈川県 optional; another prefecture reported);
- floors and rooms (2F, 3階, 405号室) and everything after the first house-number block
  dropped (building names).

Municipality names (county, old names) are resolved by :mod:`homecare.facilities.gazetteer`
against the reference tables, not here. The key is for matching only; it is never
written out as the address.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Collection, Iterable
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from homecare.core import paths
from homecare.core.errors import ReferenceDataError

PREFECTURE = "神奈川県"

# The 47 prefectures, to recognise an address outside Kanagawa instead of guessing.
PREFECTURES = (
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
)

_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

VARIANTS_FILE = "address_variants.csv"

# Kana and hyphen unifications of the matching key (rules of the normaliser itself); variant
# characters (ッ/ツ, 異体字) are facts, read from VARIANTS_FILE by :func:`_char_map`.
_KANA_AND_HYPHENS = {
    "ヶ": "ケ",
    "ヵ": "ケ",
    "が": "ケ",
    "ガ": "ケ",
    "ケ": "ケ",
    "の": "ノ",
    "之": "ノ",
    "‐": "-",
    "‑": "-",
    "‒": "-",
    "–": "-",
    "—": "-",
    "―": "-",
    "−": "-",
    "⁃": "-",
    "〜": "-",
    "~": "-",
}


def variants_path() -> Path:
    """``data/raw/reference/address_variants.csv`` (variant character -> canonical form)."""
    return paths.reference_dir() / VARIANTS_FILE


@lru_cache(maxsize=1)
def load_variants() -> dict[str, str]:
    """Variant character -> the form used in matching keys (ッ -> ツ, 曾 -> 曽, 澤 -> 沢 ...)."""
    path = variants_path()
    out: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        for row in rows:
            variant, canonical = row["variant"], row["canonical"]
            if len(variant) != 1 or len(canonical) != 1 or variant == canonical:
                raise ReferenceDataError(
                    f"{paths.relative(path)}: {variant!r} -> {canonical!r} is not one character each"
                )
            if variant in out or variant in _KANA_AND_HYPHENS:
                raise ReferenceDataError(f"{paths.relative(path)}: {variant!r} listed twice")
            out[variant] = canonical
    if set(out) & set(out.values()):
        raise ReferenceDataError(f"{paths.relative(path)}: a canonical form is itself listed as a variant")
    return out


@lru_cache(maxsize=1)
def _char_map() -> dict[int, str]:
    """One translate table for every character-level unification (fast: no regex). Every
    entry maps one character to one, so a key keeps the positions of the text it came from."""
    return str.maketrans({**_KANA_AND_HYPHENS, **load_variants()})


_SPACES = re.compile(r"\s+")
_POSTAL = re.compile(r"^(?:〒|郵便番号:?)?\d{3}-?\d{4}")
_POSTAL_MARK = re.compile(r"〒\d{3}-?\d{4}")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|「[^」]*」|【[^】]*】|<[^>]*>")
_DIGIT_DASH = re.compile(r"(?<=\d)(?:[-ーｰ]+|ノ)(?=\d)")
_KANJI_CHOME = re.compile(r"([〇一二三四五六七八九十]+)丁目")
_UNITS = re.compile(r"(\d+)(?:丁目|番地ノ|番地|番ノ|番|地割|号)")
_MULTI_DASH = re.compile(r"-{2,}")
_FLOOR = re.compile(r"-?[Bb]?\d+(?:F|f|階|号室)")  # 2F, B1F, 3階, 405号室: floor/room, not the place
_HOUSE_BLOCK = re.compile(r"^(\D*\d+(?:-\d+)*)")


class SplitAddress(NamedTuple):
    """An address key split at the prefecture: ``prefecture`` is 神奈川県, another
    prefecture's name, or "" when none was written; ``body`` starts at the municipality."""

    prefecture: str
    body: str


def kanji_number(text: str) -> int:
    """Value of a kanji numeral up to 99 (三 -> 3, 十二 -> 12, 二十 -> 20, 二十三 -> 23)."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_KANJI_DIGITS[tens] if tens else 1) * 10 + (_KANJI_DIGITS[ones] if ones else 0)
    value = 0
    for ch in text:
        value = value * 10 + _KANJI_DIGITS[ch]
    return value


def match_key(text: str) -> str:
    """Character-level matching key of a place name: NFKC, no spaces, ヶ/ケ/が and の/ノ
    unified. Used for municipality and town names from the reference data too."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(text))).translate(_char_map())


# Single calls (a reader completing one address, the geocoder's one-off lookups) share a small
# cache. Lists go through normalize_addresses, which keys each distinct address once per call
# and frees the keys afterwards: a national list has 400,000 distinct addresses, which an LRU
# smaller than the list evicts before their second use (every later pass misses, and the
# evictions cost seconds), and an unbounded cache would keep ~350 bytes per address for the
# life of the kernel.
@lru_cache(maxsize=4096)
def normalize_address(text: str) -> str:
    """The matching key of a whole address (see the module docstring). For a column of
    addresses use :func:`normalize_addresses`."""
    s = _SPACES.sub("", unicodedata.normalize("NFKC", text))
    # cheap substring guards before each regex: most addresses need only a few rules
    s = s.translate(_char_map())
    s = _DIGIT_DASH.sub("-", s)  # first, so that a postal code written 231ー0023 is recognised
    if s[:1].isdigit() or "〒" in s or "郵便番号" in s:
        s = _POSTAL_MARK.sub("", _POSTAL.sub("", s))
    if any(b in s for b in "([「【<"):
        s = _BRACKETS.sub("", s)
    if any(f in s for f in ("F", "f", "階", "号室")):
        s = _FLOOR.sub("", s)
    if "丁目" in s:
        s = _KANJI_CHOME.sub(lambda m: f"{kanji_number(m.group(1))}-", s)
    if any(u in s for u in ("丁目", "番", "号", "地割")):
        s = _UNITS.sub(r"\1-", s)
        s = _DIGIT_DASH.sub("-", s)  # again: 番地の1 -> 3-ノ1 became 3-1 only now
    if "--" in s:
        s = _MULTI_DASH.sub("-", s)
    m = _HOUSE_BLOCK.match(s)
    if m:  # building, floor and room after the house number are not part of the place
        s = m.group(1)
    return s.rstrip("-")


def normalize_addresses(addresses: Iterable[str]) -> list[str]:
    """:func:`normalize_address` of each address, in order; every distinct address is
    normalised once (facility lists repeat addresses: one building, several services)."""
    values = list(addresses)
    keys = {a: normalize_address.__wrapped__(a) for a in dict.fromkeys(values)}
    return [keys[a] for a in values]


_PREFECTURE_SET = frozenset(PREFECTURES)  # names are 3 or 4 characters long


def split_prefecture(key: str) -> SplitAddress:
    """Split a normalised key at the prefecture name (神奈川 without 県 is accepted
    unless it is the start of 神奈川区)."""
    if key.startswith(PREFECTURE):
        return SplitAddress(PREFECTURE, key[len(PREFECTURE) :])
    if key.startswith("神奈川") and not key.startswith("神奈川区"):
        return SplitAddress(PREFECTURE, key[3:])
    for n in (3, 4):
        if key[:n] in _PREFECTURE_SET:
            return SplitAddress(key[:n], key[n:])
    return SplitAddress("", key)


def prefecture_codes() -> dict[str, str]:
    """Prefecture name -> 2-digit code (北海道 01 ... 沖縄県 47, the order of :data:`PREFECTURES`)."""
    return {name: f"{k:02d}" for k, name in enumerate(PREFECTURES, start=1)}


def prefecture_name(code: str) -> str:
    """2-digit prefecture code -> name ("" when not 01-47)."""
    return PREFECTURES[int(code) - 1] if code.isdigit() and 1 <= int(code) <= len(PREFECTURES) else ""


_COUNTY = re.compile(r"^[^\d郡]{1,5}郡")
_FORM_MAXLEN = 16  # longest written form of a municipality (county + town, city + ward) to look for
_CITY_WARD = re.compile(r"^(.+?市)(.+区)$")


def complete_address(written: str, prefecture: str, municipality: str, municipality_forms: Collection[str] = ()) -> str:
    """The address to geocode: ``written`` itself when it starts with the prefecture and a
    municipality (the file's one, with or without its county, the ward alone, or any name in
    ``municipality_forms``: matching keys of every written form of the prefecture's
    municipalities, so that an address naming another municipality than the file's code is
    left for the geocoder to report), else with the missing part taken from the file's own
    columns put in front (都道府県名・市区町村名を補う). A leading postal code is dropped; a
    written city without its ward gets the ward. Compared on matching keys; the written text
    is kept after NFKC and without spaces. ``prefecture`` and ``municipality`` as in the file
    (神奈川県, 横浜市鶴見区, 二宮町)."""
    text = _SPACES.sub("", unicodedata.normalize("NFKC", str(written)))
    postal = _POSTAL.match(text.replace("ー", "-").replace("−", "-"))
    if postal:
        text = text[postal.end() :]
    key = text.translate(_char_map())  # same length as text: every mapping is one character
    pref, muni = match_key(prefecture), match_key(municipality)
    if not pref or not muni:
        return written
    at = 0
    if key.startswith(pref):
        at = len(pref)
    elif pref[-1] in "都府県" and key.startswith(pref[:-1]) and not key.startswith(muni):
        at = len(pref) - 1  # 茨城古河市…: the prefecture without 県
    body = key[at:]
    county = _COUNTY.match(body)
    named = body.startswith(muni) or (county is not None and body[county.end() :].startswith(muni))
    if named or any(body[:n] in municipality_forms for n in range(2, min(len(body), _FORM_MAXLEN) + 1)):
        return written if at else prefecture + text
    city_ward = _CITY_WARD.match(muni)
    if city_ward and body.startswith(match_key(city_ward.group(2))):  # the ward alone (鶴見区…)
        return prefecture + city_ward.group(1) + text[at:]
    if city_ward and body.startswith(match_key(city_ward.group(1))):  # the city without its ward
        return prefecture + municipality + text[at + len(city_ward.group(1)) :]
    return prefecture + municipality + text[at:]
