"""Cross-check of the 在支診 count: 届出受理医療機関名簿 against the 地域別データ集 (在支診数の突合).

The two sources count 在宅療養支援診療所 at different dates (the list: its 「現在」 date; the データ集:
the データ時点 of its 届出数 item). Per municipality (designated cities as a whole) the difference
``list - データ集`` is split into what the list itself explains: clinics whose 在支診 notification
started after the データ集's date (``new_since``: not yet counted there), and the rest
(``residual`` = clinics counted there that the list no longer holds — withdrawn, closed, moved or
changed type — net of any the データ集 did not count). Clinics the list could not place in a
municipality are shown on their own line. Terms: docs/glossary.md.
"""

from __future__ import annotations

import pandas as pd

from homecare.home_medical.symbols import ENHANCED

TOTAL = "県計"
UNKNOWN = "区市町村不明"
DATABOOK_ITEMS = ("support_clinics", "support_clinics_enhanced_single", "support_clinics_enhanced_linked")


def explain(row: pd.Series, list_date: str, databook_date: str) -> str:
    """The sentence that explains one row's difference."""
    if row["area"] == UNKNOWN:
        return f"所在地を区市町村に割り当てられない名簿の在支診{int(row['list_count'])}件（県計にのみ含む）"
    if pd.isna(row["databook_count"]):
        return "データ集の値がない（秘匿・空欄）ため比較できない"
    if pd.isna(row["new_since"]):
        return f"差{int(row['difference'])}件。データ集のデータ時点が読めないため内訳は示せない"
    parts = []
    if row["new_since"]:
        parts.append(f"算定開始が{databook_date}より後の在支診{int(row['new_since'])}件はデータ集に含まれない")
    residual = row["residual"]
    if residual < 0:
        parts.append(
            f"データ集の時点の在支診のうち{int(-residual)}件は{list_date}の名簿にない（辞退・廃止・移転・類型変更など）"
        )
    elif residual > 0:
        parts.append(
            f"算定開始が{databook_date}以前の在支診{int(residual)}件がデータ集の数を上回る"
            "（届出の再提出で算定開始日が古く見えるもの、区市町村の割当の違いなど）"
        )
    return "。".join(parts) if parts else "一致"


def crosscheck_support_clinics(
    institutions: pd.DataFrame,
    databook: pd.DataFrame,
    names: pd.Series,
    *,
    list_date: str,
    databook_date: str,
) -> pd.DataFrame:
    """One row per municipality (``names``: code -> name, in that order), 区市町村不明 when some
    clinics could not be placed, and 県計: ``code, area, list_count, list_enhanced, databook_count,
    databook_enhanced, difference, new_since, residual, explanation``.

    ``institutions``: the list's institutions with ``source_code`` (municipality code or NA),
    ``support_clinic_type`` and ``support_start_date`` (ISO text); ``databook``: the データ集 at the
    municipality level (index = code) with :data:`DATABOOK_ITEMS`."""
    clinics = institutions[institutions["support_clinic_type"].fillna("") != ""].copy()
    code = clinics["source_code"].fillna(UNKNOWN).astype(str)
    # without a データ時点 nothing can be said about which clinics the データ集 could not yet count
    started_after = clinics["support_start_date"].fillna("").astype(str) > databook_date if databook_date else None
    enhanced = clinics["support_clinic_type"].isin(ENHANCED)
    order = [*names.index, *([UNKNOWN] if (code == UNKNOWN).any() else [])]
    out = pd.DataFrame({"code": order})
    out["area"] = [names.get(c, UNKNOWN) for c in order]
    out["list_count"] = code.value_counts().reindex(order, fill_value=0).to_numpy()
    out["list_enhanced"] = enhanced.groupby(code).sum().reindex(order, fill_value=0).to_numpy()
    if started_after is None:
        out["new_since"] = float("nan")
    else:
        out["new_since"] = started_after.groupby(code).sum().reindex(order, fill_value=0).to_numpy()
    book = databook.reindex(names.index)
    out["databook_count"] = [book.at[c, "support_clinics"] if c in book.index else float("nan") for c in order]
    enh = book[["support_clinics_enhanced_single", "support_clinics_enhanced_linked"]].sum(axis=1, min_count=2)
    out["databook_enhanced"] = [enh.get(c, float("nan")) for c in order]
    total = {
        "code": "",
        "area": TOTAL,
        "list_count": out["list_count"].sum(),
        "list_enhanced": out["list_enhanced"].sum(),
        "new_since": out["new_since"].sum(min_count=1),
        "databook_count": out.loc[out["area"] != UNKNOWN, "databook_count"].sum(min_count=1),
        "databook_enhanced": out.loc[out["area"] != UNKNOWN, "databook_enhanced"].sum(min_count=1),
    }
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    known = out["area"] != UNKNOWN
    out["difference"] = (out["list_count"] - out["databook_count"]).where(known)
    out["residual"] = (out["difference"] - out["new_since"]).where(known)
    out["explanation"] = [explain(r, list_date, databook_date) for _, r in out.iterrows()]
    if (~known).any():
        n = int(out.loc[~known, "list_count"].iloc[0])
        out.loc[out["area"] == TOTAL, "explanation"] += f"。うち{n}件は区市町村不明（県計の名簿の数に含む）"
    return out[
        [
            "code",
            "area",
            "list_count",
            "list_enhanced",
            "databook_count",
            "databook_enhanced",
            "difference",
            "new_since",
            "residual",
            "explanation",
        ]
    ]
