"""Scope by the file's own codes (対象都道府県の判定と区市町村コードの点検), vectorised.

The national open-data files list every prefecture in one file. Which rows belong to the
prefecture in scope, and in which unit (区市町村) they lie, is decided by the file's own
columns, never by the address:

- 介護サービス情報公表 ``jigyosho_<code>.csv``: ``都道府県コード又は市町村コード`` (6 digits with
  check digit; the first two digits are the prefecture), checked against ``都道府県名`` and
  ``市区町村名``; when the code is unusable, ``都道府県名`` (then the first two digits of
  ``事業所番号``) decides the prefecture and ``市区町村名`` the unit.
- 医療情報ネット: ``都道府県コード`` (2 digits) + ``市区町村コード`` (3 digits); when the
  prefecture code is missing, the prefecture written at the start of ``所在地``.

Rows of other prefectures are out of scope (counted, one QA line per file, never geocoded);
rows whose own columns contradict each other about the prefecture in scope, or name none,
are quarantined with a reason. Everything here works on whole columns (no per-row rebuild of
reference tables), so a national file of tens of thousands of rows is scoped in milliseconds.
Terms: docs/glossary.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from homecare.core.errors import ParameterError
from homecare.core.qa import QAEntry
from homecare.facilities.address import match_key, normalize_addresses, prefecture_codes, split_prefecture
from homecare.reference import municipalities

STAGE = "02_facilities"
OUT_OF_SCOPE = "out of scope"
_WEIGHTS = np.array([6, 5, 4, 3, 2])


@dataclass
class Scope:
    """Where each row of one file goes. ``prefecture_code``: the prefecture in scope;
    ``prefecture``: each row's prefecture by its own columns; ``in_scope``: rows of it that
    are not quarantined; ``quarantine``: reason per row ("" = none); ``unit``: the 5-digit
    unit code from the file's own columns ("" when they give none), meaningful for rows in
    scope; ``municipality``: the municipality name to build an address with."""

    prefecture_code: str
    prefecture: pd.Series
    in_scope: pd.Series
    quarantine: pd.Series
    unit: pd.Series
    municipality: pd.Series
    qa: list[QAEntry] = field(default_factory=list)

    @property
    def out_of_scope(self) -> pd.Series:
        return ~self.in_scope & (self.quarantine == "")


def check_prefecture_code(prefecture_code: str) -> str:
    """The prefecture in scope, as 2 digits; only the prefecture of the reference tables
    (municipalities.csv, the gazetteer, the boundaries) can be geocoded and mapped."""
    code = str(prefecture_code).strip().zfill(2)
    if code != municipalities.PREFECTURE_CODE:
        raise ParameterError(
            f"prefecture_code {prefecture_code!r}: the reference tables (municipalities.csv, town gazetteer, "
            f"boundaries) cover {municipalities.PREFECTURE} ({municipalities.PREFECTURE_CODE}) only"
        )
    return code


def check_digits(codes: pd.Series) -> tuple[pd.Series, pd.Series]:
    """For 6-digit codes (ASCII digits after NFKC): (check digit right, expected check digit
    as text); other values give (False, "")."""
    six = codes.str.fullmatch(r"[0-9]{6}").fillna(False).astype(bool)
    ok = pd.Series(False, index=codes.index)
    expected = pd.Series("", index=codes.index, dtype=object)
    if six.any():
        digits = (
            np.frombuffer("".join(codes[six].to_numpy(object)).encode("ascii"), dtype=np.uint8)
            .reshape(-1, 6)
            .astype(int)
            - 48
        )
        check = (11 - (digits[:, :5] @ _WEIGHTS) % 11) % 10
        ok[six] = check == digits[:, 5]
        expected[six] = check.astype(str)
    return ok, expected


def _units() -> set[str]:
    return set(municipalities.units()["municipality_code"])


def _full_names() -> dict[str, str]:
    """Unit code -> name as written in full addresses (横浜市青葉区)."""
    units = municipalities.units()
    return dict(zip(units["municipality_code"], units["full_name"], strict=True))


def _name_units(names: pd.Series) -> pd.Series:
    """Unit code of each municipality name as written in the file ("" when not one unit):
    each distinct name looked up once."""
    units = _units()
    looked = {n: municipalities.lookup_code(n) for n in pd.unique(names) if n}
    found = {n: c for n, c in looked.items() if c in units}
    return pd.Series([found.get(n, "") for n in names], index=names.index, dtype=object)


def _text(values: pd.Series) -> pd.Series:
    """Cells as trimmed text, NFKC applied only where a cell is not ASCII (full-width digits
    in a code): national files are mostly ASCII codes, and NFKC per cell is the slow part."""
    text = values.fillna("").astype(str).str.strip()
    wide = ~text.str.isascii().fillna(True).astype(bool)
    if wide.any():
        text = text.copy()
        text[wide] = text[wide].str.normalize("NFKC")
    return text


def _prefecture_of_names(names: pd.Series) -> pd.Series:
    """2-digit prefecture code of each 都道府県名 ("" when not a prefecture name); NFKC and
    spaces removed only for the names not found as written."""
    codes = prefecture_codes()
    text = names.fillna("").astype(str).to_numpy(object)
    found = [codes.get(n, "") for n in text]
    return pd.Series(
        [f or (codes.get(match_key(n), "") if n else "") for f, n in zip(found, text, strict=True)],
        index=names.index,
        dtype=object,
    )


def _kept(
    file: str, rows: pd.Series, column: str, values: pd.Series, where: pd.Index, reason: Callable[[object], str]
) -> list[QAEntry]:
    """One "kept" QA entry per row label in ``where``: the reason, the row and the cell."""
    return [
        QAEntry(STAGE, file, reason(i), "kept", row=int(rows[i]), column=column, value=str(values[i])) for i in where
    ]


def _quarantine_conflict(by_code: pd.Series, by_name: pd.Series, prefecture_code: str) -> pd.Series:
    """Rows whose code and name give different prefectures, one of them the one in scope."""
    differ = (by_code != "") & (by_name != "") & (by_code != by_name)
    return differ & ((by_code == prefecture_code) | (by_name == prefecture_code))


def care_scope(
    raw: pd.DataFrame,
    file: str,
    *,
    code_col: str,
    prefecture_col: str | None,
    municipality_col: str | None,
    office_col: str | None,
    prefecture_code: str,
) -> Scope:
    """Scope of a 介護サービス情報公表 file (see the module docstring)."""
    rows = raw["source_row"]
    code = _text(raw[code_col])
    ok6, expected = check_digits(code)
    five = code.str.fullmatch(r"[0-9]{5}").fillna(False).astype(bool)
    code5 = code.str[:5].where(ok6 | five, "").astype(object)
    by_code = code5.str[:2]
    empty = pd.Series("", index=raw.index, dtype=object)
    by_name = _prefecture_of_names(raw[prefecture_col]) if prefecture_col else empty
    prefecture = by_code.where(by_code != "", by_name)
    missing = prefecture == ""
    if office_col and missing.any():  # neither code nor name: the first two characters of 事業所番号
        office = _text(raw.loc[missing, office_col]).str[:2]
        prefecture[missing] = office.where(office.isin(set(prefecture_codes().values())), "")
    conflict = _quarantine_conflict(by_code, by_name, prefecture_code)
    quarantine = pd.Series("", index=raw.index, dtype=object)
    quarantine[prefecture == ""] = "都道府県を判定できない（市町村コード・都道府県名・事業所番号のいずれも使えない）"
    quarantine[conflict] = "市町村コードと都道府県名の都道府県が一致しない（どちらが正しいか判定できない）"
    in_scope = (prefecture == prefecture_code) & (quarantine == "")
    munis = pd.Series("", index=raw.index, dtype=object)
    qa: list[QAEntry] = []
    unit = pd.Series("", index=raw.index, dtype=object)
    if in_scope.any():
        idx = in_scope[in_scope].index
        if municipality_col:
            munis[idx] = _text(raw.loc[idx, municipality_col]).str.normalize("NFKC")
        units = _units()
        coded = code5[idx].where(code5[idx].isin(units), "")
        named = _name_units(munis[idx])
        unit[idx] = coded.where(coded != "", named)
        bad_digit = (code[idx].str.fullmatch(r"[0-9]{6}").fillna(False).astype(bool)) & ~ok6[idx]
        checks = [
            (
                bad_digit,
                lambda i: (
                    f"市町村コードのチェックディジットが不正（正しくは {expected[i]}）: 都道府県名・市区町村名で判定"
                ),
            ),
            (
                (coded != "") & (named != "") & (coded != named),
                lambda i: f"市区町村名（{munis[i]}）と市町村コード（{code[i]}）が一致しない: コードを採用",
            ),
            (
                (coded == "") & ~bad_digit,
                lambda i: (
                    "市町村コードが区市町村の単位でない・読めない: "
                    + (f"市区町村名（{munis[i]}）で判定" if named[i] else "住所で判定")
                ),
            ),
        ]
        for where, reason in checks:
            qa += _kept(file, rows, code_col, code, idx[where.to_numpy()], reason)
    return Scope(prefecture_code, prefecture, in_scope, quarantine, unit, munis, qa)


def medical_scope(
    raw: pd.DataFrame,
    file: str,
    *,
    prefecture_col: str,
    city_col: str,
    address_col: str,
    prefecture_code: str,
) -> Scope:
    """Scope of a 医療情報ネット file (see the module docstring)."""
    rows = raw["source_row"]
    written = _text(raw[prefecture_col])
    prefecture = written.str.zfill(2).where(written.str.fullmatch(r"[0-9]{1,2}").fillna(False).astype(bool), "")
    missing = prefecture == ""
    if missing.any():  # the prefecture written at the start of the address
        codes = prefecture_codes()
        addresses = raw.loc[missing, address_col].fillna("").astype(str)
        prefecture[missing] = [codes.get(split_prefecture(k).prefecture, "") for k in normalize_addresses(addresses)]
    quarantine = pd.Series("", index=raw.index, dtype=object)
    quarantine[prefecture == ""] = "都道府県を判定できない（都道府県コードがなく所在地にも都道府県名がない）"
    in_scope = (prefecture == prefecture_code) & (quarantine == "")
    qa: list[QAEntry] = []
    unit = pd.Series("", index=raw.index, dtype=object)
    municipality = pd.Series("", index=raw.index, dtype=object)
    if in_scope.any():
        idx = in_scope[in_scope].index
        city = _text(raw.loc[idx, city_col])
        city = city.where(~(city.str.len() == 5) | ~city.str.startswith(prefecture_code), city.str[2:])
        digits = city.str.fullmatch(r"[0-9]{1,3}").fillna(False).astype(bool)
        code5 = (prefecture_code + city.str.zfill(3)).where(digits, "")
        unit[idx] = code5.where(code5.isin(_units()), "")
        municipality[idx] = unit[idx].map(_full_names()).fillna("")  # one lookup table, not one per row
        no_unit = idx[(unit[idx] == "").to_numpy()]
        qa += _kept(
            file, rows, city_col, city, no_unit, lambda i: "市区町村コードが区市町村の単位でない・空: 所在地で判定"
        )
        no_pref = idx[missing[idx].to_numpy()]
        qa += _kept(
            file, rows, prefecture_col, written, no_pref, lambda i: "都道府県コードが空: 所在地の都道府県名で判定"
        )
    return Scope(prefecture_code, prefecture, in_scope, quarantine, unit, municipality, qa)


def scope_qa(scope: Scope, file: str, prefecture_code: str, column: str) -> list[QAEntry]:
    """The scope's QA: one line per file for the rows of other prefectures (excluded by rule)
    and one entry per quarantined row."""
    qa = list(scope.qa)
    n_out = int(scope.out_of_scope.sum())
    if n_out:
        qa.append(
            QAEntry(
                STAGE,
                file,
                f"対象外の都道府県（{prefecture_code} 以外）: {n_out}行（照合・地図・集計に含めない）",
                "excluded",
                column=column,
            )
        )
    return qa
