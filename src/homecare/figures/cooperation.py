"""協力医療機関の届出状況: stacked percentage bars by facility type (seed, real figures).
Terms: docs/glossary.md."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from homecare.figures import style
from homecare.figures.common import OKABE_ITO, hide_spines
from homecare.reference.seed import COOPERATION_STATUSES, SEED_SOURCE

STATUS_COLORS = {
    "all_requirements": OKABE_ITO["blue"],
    "some_requirements": OKABE_ITO["sky"],
    "other": OKABE_ITO["orange"],
}
STATUS_LEGEND = {
    "all_requirements": "全要件を満たした協力医療機関を定めている",
    "some_requirements": "一部要件を満たした協力医療機関を定めている",
    "other": "その他",
}
TOTAL_LABEL = "計（各施設種別の合計）"


def cooperation_table(status: pd.DataFrame) -> pd.DataFrame:
    """The table behind the figure (協力医療機関の届出状況): one row per facility type plus a 計 row
    computed from the rows, counts and shares (%, one decimal as in the material)."""
    detail = status.copy()
    total = {"facility_type": TOTAL_LABEL, "obligation": "", "note": ""}
    for col in ["facility_count", *COOPERATION_STATUSES]:
        total[col] = int(detail[col].sum())
    df = pd.concat([detail, pd.DataFrame([total])], ignore_index=True)
    out = pd.DataFrame(
        {
            "施設種別": df["facility_type"],
            "協力医療機関の要件": df["obligation"].replace({"義務化": "義務化（①②③）", "努力義務": "努力義務（①②）"}),
            "施設数（施設）": df["facility_count"].astype(int),
        }
    )
    for col, label in COOPERATION_STATUSES.items():
        out[f"{label}（施設）"] = df[col].astype(int)
        out[f"{label}（%）"] = (df[col].astype(int) / df["facility_count"].astype(int) * 100).round(1)
    out["注"] = df["note"].fillna("")
    return out


def plot_cooperation_status(
    status: pd.DataFrame,
    *,
    as_of: str = "令和7年8月1日時点",
    discrepancies: tuple[str, ...] | list[str] = (),
    sample: bool | None = None,
    sources: list[str] | None = None,
) -> Figure:
    """高齢者施設等の協力医療機関の届出状況: one 100% stacked bar per facility type (義務化 group
    above 努力義務 group) and a 計 bar from the row sums, each segment labelled with its count
    and share. ``status`` is :func:`homecare.reference.seed.load_cooperation_status` ``.data``; printed
    totals that disagree with the rows (``discrepancies``) are stated in the note."""
    style.apply_style()
    table = cooperation_table(status)
    groups = list(dict.fromkeys(status["obligation"]))
    rows: list[tuple[str, pd.Series | None]] = []
    for g in groups:
        rows.append((f"【{g}】", None))
        rows += [(r["施設種別"], r) for _, r in table[table["協力医療機関の要件"].str.startswith(g)].iterrows()]
    rows.append(("", None))
    rows.append((TOTAL_LABEL, table.iloc[-1]))
    fig, ax = plt.subplots(figsize=(11, 6.6))
    fig.subplots_adjust(left=0.21, right=0.84, top=0.84, bottom=0.20)
    y_labels = []
    for y, (label, row) in enumerate(rows):
        y_labels.append(label)
        if row is None:
            continue
        left, hidden = 0.0, []
        for col, name in COOPERATION_STATUSES.items():
            n, pct = int(row[f"{name}（施設）"]), float(row[f"{name}（%）"])
            ax.barh(y, pct, left=left, color=STATUS_COLORS[col], edgecolor="white", height=0.68)
            text_color = "white" if col == "all_requirements" else "#111111"
            if pct >= 12:
                ax.text(
                    left + pct / 2, y, f"{n}（{pct:.1f}%）", ha="center", va="center", fontsize=9.5, color=text_color
                )
            elif pct >= 3.5:
                ax.text(left + pct / 2, y, f"{n}", ha="center", va="center", fontsize=9.5, color=text_color)
            elif n > 0:  # too thin to label inside: named after the bar total instead
                hidden.append(f"{name}{n}")
            left += pct
        extra = f"（{'、'.join(hidden)}）" if hidden else ""
        ax.text(101.5, y, f"{int(row['施設数（施設）'])}施設{extra}", ha="left", va="center", fontsize=10)
    ax.set_yticks(range(len(rows)), y_labels)
    for tick, (label, row) in zip(ax.get_yticklabels(), rows, strict=True):
        if row is None:
            tick.set_color(style.MUTED_COLOR)
        if label == TOTAL_LABEL:
            tick.set_color("#000000")
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("施設種別ごとの割合（%）。棒内の数字は施設数（割合）")
    ax.grid(axis="y", visible=False)
    hide_spines(ax)
    ax.text(101.5, 0, "施設数", ha="left", va="center", fontsize=9, color=style.MUTED_COLOR)
    handles = [Patch(facecolor=STATUS_COLORS[c], label=STATUS_LEGEND[c]) for c in COOPERATION_STATUSES]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.02), ncol=3, frameon=False, fontsize=9)
    blanks = "介護老人保健施設・介護医療院の一部要件、軽費老人ホームのその他は資料で空欄（0として表示）。"
    mismatch = "".join(f"{d}。" for d in discrepancies)
    note = (
        "義務化：要件①②③（経過措置 令和9年3月31日まで）、努力義務：要件①②。3.5%未満の区分の施設数は棒の右に記載。\n"
        f"{blanks}{mismatch}"
    )
    return style.finish_figure(
        fig,
        title=f"協力医療機関の届出状況（県域、{as_of}）",
        sources=sources or [SEED_SOURCE + " 資料3"],
        sample=sample,
        caption=(
            "高齢者施設等の施設種別ごとに、全要件／一部要件を満たした協力医療機関を定めている施設とその他の施設数・割合。"
            "計は各施設種別の合計から算出。"
        ),
        note=note,
    )
