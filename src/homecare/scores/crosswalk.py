"""Crosswalk insurer (保険者) -> municipality code (全国地方公共団体コード).

The file's 保険者番号 is not the municipality code and the real numbers are not known here,
so insurers are mapped by prefecture + 市町村名 through :func:`municipalities.lookup_code`
(tolerant to 茅ケ崎市/茅ヶ崎市, county prefixes, full-width text). The 保険者番号 is kept
and compared across fiscal years. In 神奈川県 every insurer is a municipality; the designated
cities (政令指定都市) are single insurers (14100 横浜市, 14130 川崎市, 14150 相模原市).
Terms: docs/glossary.md.
"""

from __future__ import annotations

import pandas as pd

from homecare.core.errors import InputError
from homecare.core.qa import QAEntry
from homecare.reference import municipalities

INSURER_TYPES = ("designated_city", "city", "town", "village")


def insurer_units() -> pd.DataFrame:
    """The prefecture's insurers: designated cities and the other municipalities (33), no wards."""
    df = municipalities.load_municipalities()
    return df[df["unit_type"].isin(INSURER_TYPES)][["municipality_code", "name"]].reset_index(drop=True)


def map_insurers(insurers: pd.DataFrame, *, file: str, sheet: str, column: str) -> pd.DataFrame:
    """Add ``municipality_code`` and ``municipality_name`` (reference spelling) to the insurer
    rows (``_row``, ``insurer_number``, ``municipality_name`` as written).

    Raises InputError listing every insurer that cannot be mapped, a municipality that
    appears twice, and a municipality of the prefecture that is missing from the file."""
    units = insurer_units()
    names = dict(zip(units["municipality_code"], units["name"], strict=False))
    out = insurers.copy()
    out["municipality_code"] = [municipalities.lookup_code(n) for n in out["municipality_name"]]
    bad = out[~out["municipality_code"].isin(list(names))]
    if not bad.empty:
        listed = "; ".join(f"row {r}: {n!r}" for r, n in zip(bad["src_row"], bad["municipality_name"], strict=False))
        first = bad.iloc[0]
        raise InputError(
            f"{len(bad)} insurer(s) cannot be mapped to a municipality of {municipalities.PREFECTURE} "
            f"(unknown name, a ward, or ambiguous): {listed}",
            file=file,
            sheet=sheet,
            row=int(first["src_row"]),
            column=column,
            value=first["municipality_name"],
        )
    dup = out[out["municipality_code"].duplicated(keep=False)]
    if not dup.empty:
        first = dup.iloc[0]
        rows = ", ".join(str(r) for r in dup["src_row"])
        raise InputError(
            f"municipality {names[first['municipality_code']]} ({first['municipality_code']}) appears more than once (duplicate rows {rows})",
            file=file,
            sheet=sheet,
            row=int(dup.iloc[1]["src_row"]),
            column=column,
            value=dup.iloc[1]["municipality_name"],
        )
    missing = sorted(set(names) - set(out["municipality_code"]))
    if missing:
        raise InputError(
            f"{len(missing)} insurer(s) of {municipalities.PREFECTURE} missing from the file (truncated?): "
            + ", ".join(f"{names[c]} ({c})" for c in missing),
            file=file,
            sheet=sheet,
            column=column,
        )
    out["municipality_name"] = out["municipality_code"].map(names)
    return out


def number_conflicts(scores: pd.DataFrame, *, stage: str) -> list[QAEntry]:
    """保険者番号 that differ between fiscal years for one municipality, or one number used by
    two municipalities: reported (QA), not resolved, since the real numbers are unknown here.
    A blank number (a member of a 広域連合) is reported where it is read, not compared."""
    pairs = scores[["fiscal_year", "municipality_code", "municipality_name", "insurer_number"]].drop_duplicates()
    pairs = pairs[pairs["insurer_number"].astype(str) != ""]
    out = []
    for code, g in pairs.groupby("municipality_code", sort=True):
        if g["insurer_number"].nunique() > 1:
            seen = ", ".join(f"{fy}: {n}" for fy, n in zip(g["fiscal_year"], g["insurer_number"], strict=False))
            out.append(
                QAEntry(
                    stage,
                    "",
                    f"保険者番号 of {g['municipality_name'].iloc[0]} ({code}) differs between years: {seen}",
                    "reported",
                    column="保険者番号",
                    value=seen,
                )
            )
    for number, g in pairs.groupby("insurer_number", sort=True):
        if g["municipality_code"].nunique() > 1:
            who = ", ".join(sorted(set(g["municipality_name"])))
            out.append(
                QAEntry(
                    stage,
                    "",
                    f"保険者番号 {number} is given to more than one municipality: {who}",
                    "reported",
                    column="保険者番号",
                    value=str(number),
                )
            )
    return out
