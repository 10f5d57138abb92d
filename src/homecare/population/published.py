"""Publication tables of the demand outlook (需要見通しの公表表): Japanese headers with units,
rounded for reading; the unrounded numbers stay in the processed layer and the code."""

from __future__ import annotations

import pandas as pd


def _year(y: int) -> str:
    return f"{int(y)}年"


def population_table(shares: pd.DataFrame) -> pd.DataFrame:
    """圏域別の人口と高齢化率 from :func:`homecare.population.aggregate.aged_shares`."""
    out = pd.DataFrame(
        {
            "圏域": shares["area"],
            "年": shares["year"].map(_year),
            "総人口（人）": shares["total"].round().astype("int64"),
            "65歳以上人口（人）": shares["aged65"].round().astype("int64"),
            "75歳以上人口（人）": shares["aged75"].round().astype("int64"),
            "高齢化率（%）": (100 * shares["share65"]).round(1),
            "75歳以上人口割合（%）": (100 * shares["share75"]).round(1),
        }
    )
    return out.reset_index(drop=True)


def index_table(index: pd.DataFrame, *, scheme_label: str | None = None) -> pd.DataFrame:
    """需要指数 wide by year (one row per index and area, 基準年 = 100), areas in display order."""
    wide = index.pivot_table(
        index=["index_id", "index_label", "area_order", "area"], columns="year", values="index", sort=False
    )
    order = list(dict.fromkeys(index["index_id"]))
    wide = wide.reset_index()
    wide = wide.assign(_i=wide["index_id"].map(order.index)).sort_values(["_i", "area_order"])
    out = pd.DataFrame({"指数": wide["index_label"].to_numpy(), "圏域": wide["area"].to_numpy()})
    if scheme_label is not None:
        out.insert(0, "圏域区分", scheme_label)
    for year in sorted(c for c in wide.columns if isinstance(c, int)):
        out[f"{_year(year)}（指数）"] = wide[year].round(1).to_numpy()
    return out


def supply_table(supply: pd.DataFrame, *, base_year: int, target_year: int) -> pd.DataFrame:
    """75歳以上千人当たり施設数 now and in ``target_year`` at today's supply."""
    return pd.DataFrame(
        {
            "施設種別": supply["facility_type_label"],
            "圏域": supply["area"],
            "施設数（施設）": supply["facilities"],
            f"75歳以上人口 {_year(base_year)}（人）": supply["aged75_base"].round().astype("int64"),
            f"75歳以上人口 {_year(target_year)}（人）": supply["aged75_target"].round().astype("int64"),
            "75歳以上千人当たり 現在（施設）": supply["per1000_base"].round(3),
            f"75歳以上千人当たり {_year(target_year)}（施設）": supply["per1000_target"].round(3),
            "増減率（%）": supply["change_pct"].round(1),
        }
    ).reset_index(drop=True)
