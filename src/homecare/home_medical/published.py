"""Published tables of the home-care stage (公表表): Japanese headers with units, fixed column
order, rounded as council documents print them. Rates carry the unit the caller passes
(``rate_label``, from :mod:`homecare.population.rates`), so the unit is named once.
Terms: docs/glossary.md.
"""

from __future__ import annotations

import math

import pandas as pd

from homecare.home_medical import link, symbols

KIND_LABELS = {"clinic": "在支診", "hospital": "在支病"}


def _round(s: pd.Series, digits: int) -> pd.Series:
    return pd.to_numeric(s, errors="coerce").astype(float).round(digits)


def _sig3(s: pd.Series) -> pd.Series:
    """Rates to three significant figures (0.0689, 6.89, 68.9; whole numbers from 100), so that
    they read the same whatever the unit of the rate."""
    values = pd.to_numeric(s, errors="coerce").astype(float)

    def one(v: float) -> float:
        if pd.isna(v) or v == 0:
            return v
        return round(v, max(0, 2 - math.floor(math.log10(abs(v)))))

    return values.map(one)


def _int(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s, errors="coerce").round().astype("Int64")


def supply_table(
    rates: pd.DataFrame, *, area_label: str, now_label: str, target_year: int, rate_label: str
) -> pd.DataFrame:
    """在支診・在支病 by type, 在後病, rates now and in the target year, share of 機能強化型, and the
    count the target year needs to keep today's rate (one row per area, then 県計)."""
    out = pd.DataFrame({area_label: rates["area"]})
    for kind, label in KIND_LABELS.items():
        for t in symbols.SUPPORT_TYPES:
            out[f"{label} {symbols.TYPE_LABELS[t]}（施設）"] = rates[f"{kind}_{t}"]
        out[f"{label} 計（施設）"] = rates[f"{kind}s"]
        out[f"{label} 機能強化型の割合（％）"] = _round(rates[f"{kind}_enhanced_share"], 1)
    out["在宅療養後方支援病院（施設）"] = rates["backup_hospitals"]
    out["在支診＋在支病（施設）"] = rates["supply"]
    out[f"75歳以上人口（人、{now_label}）"] = _int(rates["aged75_now"])
    out[f"75歳以上人口（人、{target_year}年）"] = _int(rates["aged75_target"])
    for col, label in (("clinics", "在支診"), ("hospitals", "在支病"), ("supply", "在支診＋在支病")):
        out[f"{label}（{rate_label}、{now_label}）"] = _sig3(rates[f"{col}_rate_now"])
        out[f"{label}（{rate_label}、{target_year}年・現在の数のまま）"] = _sig3(rates[f"{col}_rate_target"])
    for col, label in (("clinics", "在支診"), ("supply", "在支診＋在支病")):
        out[f"{target_year}年に現在の率を保つ{label}数（施設）"] = _int(rates[f"{col}_needed"])
        out[f"{target_year}年までに必要な{label}の増加（施設）"] = _int(rates[f"{col}_gap"])
    return out


def activity_table(
    activity: pd.DataFrame,
    *,
    group_label: str,
    data_year: str,
    target_year: int,
    rate_label: str,
    national_label: str,
) -> pd.DataFrame:
    """訪問診療・往診・看取り (and the number of institutions doing 訪問診療) per group: the count, how many
    source values were withheld or blank, the rate, the national rate and the ratio to it, and the
    count the target year needs at today's rate. One row per group, then 県計 and 全国."""
    groups = list(dict.fromkeys(activity["group"]))
    out = pd.DataFrame({group_label: groups})
    first = activity[activity["measure"] == activity["measure"].iloc[0]].set_index("group")
    out[f"75歳以上人口（人、{data_year}）"] = _int(first["aged75_now"].reindex(groups)).reset_index(drop=True)
    for _, grp in activity.groupby("measure", sort=False):
        g = grp.set_index("group").reindex(groups).reset_index(drop=True)
        label, unit = g["label"].dropna().iloc[0], g["unit"].dropna().iloc[0]
        name = f"{label}（{unit}）" if unit == "施設" else f"{label} 実施件数（件）"
        out[name] = _int(g["value"])
        out[f"{label} 秘匿・空欄の値の数"] = _int(g["missing"])
        out[f"{label}（{rate_label}）"] = _sig3(g["rate"])
        out[f"{label} 全国値に対する比（％、{national_label}＝100）"] = _round(g["ratio_to_national"], 1)
        out[f"{label} {target_year}年に現在の率を保つ量（{unit}）"] = _int(g["needed_target"])
    return out


def crosscheck_table(cc: pd.DataFrame, *, list_date: str, databook_date: str) -> pd.DataFrame:
    """The 在支診 cross-check with Japanese headers."""
    return pd.DataFrame(
        {
            "区市町村コード": cc["code"],
            "区市町村": cc["area"],
            f"在支診 名簿（施設、{list_date}）": _int(cc["list_count"]),
            f"うち機能強化型 名簿（施設、{list_date}）": _int(cc["list_enhanced"]),
            f"在支診 データ集（施設、{databook_date}）": _int(cc["databook_count"]),
            f"うち機能強化型 データ集（施設、{databook_date}）": _int(cc["databook_enhanced"]),
            "差（名簿－データ集、施設）": _int(cc["difference"]),
            f"うち算定開始が{databook_date}より後（施設）": _int(cc["new_since"]),
            "残差（施設）": _int(cc["residual"]),
            "差の説明": cc["explanation"],
        }
    )


def institutions_table(located: pd.DataFrame) -> pd.DataFrame:
    """The home-care institutions of the list with their type, place and 医療情報ネット link."""
    kind = []
    for c, h, b in zip(
        located["support_clinic_type"], located["support_hospital_type"], located["backup_hospital"], strict=True
    ):
        parts = [f"在支診 {symbols.TYPE_LABELS[c]}"] if c else []
        parts += [f"在支病 {symbols.TYPE_LABELS[h]}"] if h else []
        parts += ["在宅療養後方支援病院"] if b else []
        kind.append("・".join(parts))
    return pd.DataFrame(
        {
            "医療機関番号": located["institution_number"],
            "医療機関名称": located["name"],
            "所在地": located["address"],
            "区分": kind,
            "受理記号": located["supply_symbols"],
            "算定開始年月日": located["support_start_date"],
            "区市町村コード": located["municipality_code"],
            "区市町村": located["municipality_name"],
            "圏域": located["area"],
            "照合水準": located["match_level"],
            "医療情報ネットの施設ID": located["facility_id"],
            "照合方法": located["link_rule"].map(link.RULE_LABELS),
        }
    )


def unlinked_table(located: pd.DataFrame) -> pd.DataFrame:
    """Home-care institutions that could not be linked to a 医療情報ネット facility, with the reason."""
    rows = located[located["facility_id"].fillna("") == ""]
    return pd.DataFrame(
        {
            "医療機関番号": rows["institution_number"],
            "医療機関名称": rows["name"],
            "所在地": rows["address"],
            "受理記号": rows["supply_symbols"],
            "区市町村": rows["municipality_name"],
            "理由": rows["link_note"],
        }
    ).reset_index(drop=True)
