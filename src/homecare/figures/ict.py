"""ICT連携ネットワーク: participants by facility type per network, and the areas each covers (seed)."""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from homecare.figures import map_labels, maps, style
from homecare.figures.common import OKABE_ITO, OUTLINE_COLOR, UNCOVERED_COLOR, area_handles, as_of_label, hide_spines
from homecare.reference import geo
from homecare.reference.areas import AreaScheme
from homecare.reference.seed import ICT_PARTICIPANT_TYPES, SEED_SOURCE

PARTICIPANT_COLORS = {
    "hospital": OKABE_ITO["blue"],
    "clinic": OKABE_ITO["sky"],
    "dental_clinic": OKABE_ITO["green"],
    "pharmacy": OKABE_ITO["yellow"],
    "visiting_nursing": OKABE_ITO["orange"],
    "care_facility": OKABE_ITO["vermillion"],
    "care_facility_residential": OKABE_ITO["vermillion"],
    "care_facility_nonresidential": OKABE_ITO["purple"],
}
BASIS_LABELS = {
    "seed": "資料に区市町村名の記載あり",
    "seed_area": "資料の地域名を同名の二次保健医療圏として解釈",
    "verify": "地域名の解釈（要確認）",
}


def ict_participants_table(participants: pd.DataFrame) -> pd.DataFrame:
    """The table behind the participants figure: one row per network, one column per facility
    type (施設), the total and 参加住民数（人）. Types a network does not report stay empty."""
    wide = participants.pivot(index="network", columns="participant_code", values="participants")
    order = list(dict.fromkeys(participants["network"]))
    first = participants.drop_duplicates("network").set_index("network")
    out = pd.DataFrame({"ネットワーク": order})
    out["種類"] = [first.at[n, "system_type"] for n in order]
    out["時点"] = [as_of_label(first.at[n, "as_of"]) for n in order]
    for code, label in ICT_PARTICIPANT_TYPES.items():
        if code in wide.columns:
            out[f"{label}（施設）"] = [wide.at[n, code] if pd.notna(wide.at[n, code]) else pd.NA for n in order]
            out[f"{label}（施設）"] = out[f"{label}（施設）"].astype("Int64")
    out["参加施設数 計（施設）"] = [int(first.at[n, "total_as_printed"]) for n in order]
    out["参加住民数（人）"] = pd.array([first.at[n, "residents"] for n in order], dtype="Int64")
    return out


def plot_ict_participants(
    participants: pd.DataFrame,
    residents: Mapping[str, object],
    *,
    sample: bool | None = None,
    sources: list[str] | None = None,
) -> Figure:
    """ICT連携ネットワークの参加施設数（施設種別）: one panel per network, a bar per facility type
    labelled with its count; types the network does not report are marked 記載なし. The panel
    title gives the network, its kind, date, total and 参加住民数 as published: ``residents`` maps
    each network to its value after disclosure control (a number, or the symbol of a withheld
    count), so a small count never reaches the figure. ``participants`` is
    :func:`homecare.reference.seed.load_ict_networks` ``.data``."""
    style.apply_style()
    networks = list(dict.fromkeys(participants["network"]))
    codes = [c for c in ICT_PARTICIPANT_TYPES if c in set(participants["participant_code"])]
    vmax = float(participants["participants"].max())
    fig, axes = plt.subplots(1, len(networks), figsize=(13, 6.2), sharey=True)
    axes = list(axes) if len(networks) > 1 else [axes]
    fig.subplots_adjust(left=0.13, right=0.98, top=0.74, bottom=0.17, wspace=0.16)
    for ax, network in zip(axes, networks, strict=True):
        sub = participants[participants["network"] == network].set_index("participant_code")
        first = sub.iloc[0]
        for y, code in enumerate(codes):
            if code in sub.index:
                n = int(sub.at[code, "participants"])
                ax.barh(y, n, color=PARTICIPANT_COLORS[code], edgecolor=OUTLINE_COLOR, linewidth=0.4, height=0.7)
                ax.text(n + vmax * 0.02, y, f"{n}", va="center", ha="left", fontsize=10)
            else:
                ax.text(vmax * 0.02, y, "記載なし", va="center", ha="left", fontsize=9, color=style.MUTED_COLOR)
        shown = residents.get(network)
        if shown is None or (not isinstance(shown, str) and pd.isna(shown)):
            residents_text = ""
        else:
            residents_text = f"・参加住民{shown if isinstance(shown, str) else f'{int(shown):,}'}人"
        ax.set_title(
            f"{network}\n{first['system_type']}\n参加施設 計{int(first['total_as_printed'])}施設{residents_text}\n"
            f"{as_of_label(first['as_of'])}",
            fontsize=10.5,
            loc="left",
        )
        ax.set_xlim(0, vmax * 1.18)
        ax.set_xlabel("参加施設数（施設）")
        style.declare_panel(ax, "参加施設数", axis="x")
        ax.grid(axis="y", visible=False)
        hide_spines(ax)
    axes[0].set_yticks(range(len(codes)), [ICT_PARTICIPANT_TYPES[c] for c in codes])
    axes[0].invert_yaxis()
    return style.finish_figure(
        fig,
        title="ICTを活用した医療・介護連携ネットワークの参加施設数（施設種別）",
        sources=sources or [SEED_SOURCE + " 協議事項(2)"],
        sample=sample,
        caption="地域医療介護連携ネットワーク（EHR）2件と入退院調整システム1件の施設種別の参加施設数",
        note="medical B.I.G netは介護施設を入所・非入所に分けて記載し、歯科診療所・薬局の記載はない。",
    )


def ict_coverage_table(coverage: pd.DataFrame, scheme: AreaScheme) -> pd.DataFrame:
    """The table behind the coverage map: network × unit with the unit's area and the basis."""
    df = coverage.merge(scheme.assignment(), on="municipality_code", how="left", validate="m:1")
    order = {n: k for k, n in enumerate(dict.fromkeys(coverage["network"]))}
    df = df.sort_values(
        ["network", "area_order", "municipality_code"], key=lambda s: s.map(order) if s.name == "network" else s
    )
    return pd.DataFrame(
        {
            "ネットワーク": df["network"],
            "資料の対象地域": df["coverage_as_printed"],
            "区市町村コード": df["municipality_code"],
            "区市町村名": df["municipality_name"],
            f"{scheme.label}": df["area"],
            "根拠": df["basis"].map(BASIS_LABELS),
        }
    ).reset_index(drop=True)


def plot_ict_coverage_map(
    coverage: pd.DataFrame,
    units: gpd.GeoDataFrame,
    scheme: AreaScheme,
    prefectures: gpd.GeoDataFrame | None = None,
    *,
    sample: bool | None = None,
    sources: list[str] | None = None,
) -> Figure:
    """ICT連携ネットワークの対象地域: one small map per network, covered units filled with their
    area's colour (hatched where the reading of the material's area name is to be verified),
    other units grey, area outlines on top. ``coverage`` is :func:`homecare.reference.seed.load_ict_coverage`
    ``.data``; ``units`` from :func:`homecare.reference.geo.load_units`."""
    style.apply_style()
    networks = list(dict.fromkeys(coverage["network"]))
    unit_p = maps.projected(units.merge(scheme.assignment(), on="municipality_code", validate="1:1"))
    area_p = maps.projected(geo.dissolve_areas(units, scheme))
    extent = maps.padded_extent(area_p, pad=0.02)
    fig, axes = plt.subplots(1, len(networks), figsize=(13, 5.3))
    axes = list(axes) if len(networks) > 1 else [axes]
    fig.subplots_adjust(left=0.01, right=0.99, top=0.84, bottom=0.2, wspace=0.03)
    for ax, network in zip(axes, networks, strict=True):
        cov = coverage[coverage["network"] == network].set_index("municipality_code")
        maps.draw_context(ax, extent, prefectures)
        covered = unit_p["municipality_code"].isin(cov.index)
        unit_p[~covered].plot(ax=ax, color=UNCOVERED_COLOR, edgecolor="white", linewidth=0.4)
        if covered.any():
            sub = unit_p[covered].copy()
            sub["basis"] = sub["municipality_code"].map(cov["basis"])
            # units read from an area name that is to be verified: paler fill with hatching
            alpha = sub["basis"].map(lambda b: 0.4 if b == "verify" else 0.85)
            for a, part in sub.groupby(alpha, sort=True):
                part.plot(ax=ax, color=part["area"].map(scheme.colors), edgecolor="white", linewidth=0.4, alpha=a)
            verify = sub[sub["basis"] == "verify"]
            if not verify.empty:
                verify.plot(ax=ax, facecolor="none", edgecolor=OUTLINE_COLOR, hatch="///", linewidth=0.0)
        maps.draw_area_outlines(ax, area_p, linewidth=0.9)
        if covered.any():  # the names of the areas the network covers, where it covers them
            parts = unit_p[covered].dissolve(by="area", as_index=False)
            map_labels.place_labels(
                ax, [map_labels.MapLabel(r.area, r.area, r.geometry) for r in parts.itertuples()], size=9
            )
        style.declare_panel(ax, "ネットワークの対象地域")
        printed = "、".join(dict.fromkeys(cov["coverage_as_printed"]))
        ax.set_title(f"{network}\n対象地域：{printed}", fontsize=10.5, loc="left")
        ax.set_xlabel("")  # geopandas labels projected axes in metres; a map needs none
        ax.set_ylabel("")
    shown = set(unit_p.loc[unit_p["municipality_code"].isin(coverage["municipality_code"]), "area"])
    handles = [h for h in area_handles(scheme, alpha=0.85) if h.get_label() in shown] + [
        Patch(facecolor=UNCOVERED_COLOR, edgecolor="#BBBBBB", label="対象地域外"),
        Patch(facecolor="white", edgecolor=OUTLINE_COLOR, hatch="///", label=BASIS_LABELS["verify"]),
    ]
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.1), ncol=8, frameon=False, fontsize=9.5)
    verify_names = "、".join(dict.fromkeys(coverage.loc[coverage["basis"] == "verify", "coverage_as_printed"]))
    note = "資料の地域名（横須賀・三浦、湘南東部、湘南西部、県央、県西）は同名の二次保健医療圏として表示。" + (
        f"「{verify_names}」の範囲は解釈（斜線、要確認）。" if verify_names else ""
    )
    return style.finish_figure(
        fig,
        title="ICTを活用した医療・介護連携ネットワークの対象地域",
        sources=sources or [SEED_SOURCE + " 協議事項(2)", geo.boundary_credit()],
        sample=sample,
        caption=f"ネットワークごとの対象地域（色は{scheme.label}）。湘南東部は2つのネットワークの対象。",
        note=note,
    )
