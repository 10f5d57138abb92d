"""Japanese address normaliser (住所の正規化) for offline geocoding.

One written address becomes one matching key, so that the many forms of the same
address meet in the gazetteer lookup:

- NFKC (full-width digits, letters and spaces to ASCII), every space removed;
- postal code (〒231-0023, 231-0023 at the start) and bracketed notes removed;
- hyphen variants (‐ ‑ ‒ – — ― − ｰ ー and の between digits) to ``-``;
- 丁目 in kanji or digits (三丁目, 3丁目) and 番地/番/号 to the ``3-1-2`` form;
- ヶ/ケ/ヵ/が and の/ノ/之 unified (茅ヶ崎/茅ケ崎, 緑が丘/緑ヶ丘, 宮の里/宮ノ里), and a few
  variant kanji NFKC keeps (﨑/崎, 髙/高, 濱/浜, 邊/辺);
- the prefecture split off (神奈川県 optional; another prefecture reported);
- floors and rooms (2F, 3階, 405号室) and everything after the first house-number block
  dropped (building names).

Municipality names (county, old names) are resolved by :mod:`homecare.facilities.gazetteer`
against the reference tables, not here. The key is for matching only; it is never
written out as the address.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

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

# One translate table for the character-level unifications (fast: no regex).
_CHAR_MAP = str.maketrans(
    {
        "ヶ": "ケ",
        "ヵ": "ケ",
        "が": "ケ",
        "ガ": "ケ",
        "ケ": "ケ",
        "の": "ノ",
        "之": "ノ",
        # old/variant kanji that NFKC keeps (﨑 is a unified ideograph): compare as the common form
        "﨑": "崎",
        "髙": "高",
        "濵": "浜",
        "濱": "浜",
        "邉": "辺",
        "邊": "辺",
        "嶋": "島",
        "槇": "槙",
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
)

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
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(text))).translate(_CHAR_MAP)


@lru_cache(maxsize=200_000)
def normalize_address(text: str) -> str:
    """The matching key of a whole address (see the module docstring), cached because
    facility lists repeat addresses (one building, several services)."""
    s = _SPACES.sub("", unicodedata.normalize("NFKC", text))
    # cheap substring guards before each regex: most addresses need only a few rules
    s = s.translate(_CHAR_MAP)
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
