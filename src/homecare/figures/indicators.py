"""目標III 指標別の得点率（指標プロファイル）: heatmap per area or per insurer, and the items an
insurer misses although most insurers nationally score them.

Input is the processed table ``goal3_by_indicator`` (``fiscal_year, municipality_code,
municipality_name, indicator_group, indicator, points, max_points, national_mean``). The
share of points achieved (得点率) in an area is the sum of its insurers' points over the sum
of their maximum points, so every insurer weighs the same. Scores are per insurer: areas
whose insurers are the same (川崎北部 and 川崎南部 are both 川崎市) are ONE row, never two
rows repeating one measurement; a row that shares an insurer with another row is marked ※.
Every heatmap ends with the 県平均 and 全国平均 rows. Terms: docs/glossary.md.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import colors as mcolors
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from homecare.core.dates import reiwa_fiscal_year
from homecare.core.errors import ParameterError
from homecare.figures import style
from homecare.figures.common import area_tag, insurer_area_pairs, insurer_areas, short_name, text_color_on
from homecare.figures.scores import GOAL3_LABEL, SCORE_CMAP, SCORE_SOURCE, SPLIT_MARK, ordered_insurers, select_year
from homecare.reference.areas import AreaScheme

INDICATOR_SHORT = {  # labels that fit a heatmap column; unknown indicators keep their full name
    "在宅医療・介護連携に関する課題・対応策の検討": "課題・対応策\nの検討",
    "在宅医療・介護連携の具体的取組状況": "具体的\n取組状況",
    "医療・介護関係者間の情報共有": "関係者間の\n情報共有",
    "入退院支援の実施状況": "入退院支援",
    "人生の最終段階における支援の実施状況": "人生の最終段階\nにおける支援",
}
LEVELS = ("area", "municipality")


def _indicator_order(rows: pd.DataFrame) -> pd.DataFrame:
    """Indicators in first-seen order with their group and maximum points per insurer
    (``rows`` are insurer rows, not area sums)."""
    first = rows.drop_duplicates("indicator")[["indicator_group", "indicator"]]
    max_pts = rows.groupby("indicator", sort=False)["max_points"].max()
    return first.assign(max_points=first["indicator"].map(max_pts)).reset_index(drop=True)


def area_rows(scheme: AreaScheme) -> pd.DataFrame:
    """The rows of area-level score figures, one per insurer and row: ``insurer_code, row,
    area, area_order, shared``. Areas with the same insurers form one row named by all of
    them (``川崎北部、川崎南部``: both are 川崎市, one measurement); ``shared`` marks an insurer
    that still lies in several rows (an area mixing its own insurers with part of a city)."""
    pairs = insurer_area_pairs(scheme)
    members = pairs.groupby("area", sort=False)["insurer_code"].agg(frozenset)
    order = pairs.drop_duplicates("area").set_index("area")["area_order"]
    groups: dict[frozenset, list[str]] = {}
    for area in sorted(members.index, key=lambda a: order[a]):
        groups.setdefault(members[area], []).append(area)
    rows = [
        {"insurer_code": code, "row": "、".join(names), "area": names[0], "area_order": int(order[names[0]])}
        for codes, names in groups.items()
        for code in sorted(codes)
    ]
    df = pd.DataFrame(rows)
    df["shared"] = df["insurer_code"].map(df.groupby("insurer_code")["row"].nunique()) > 1
    return df


def column_header(ax, text: str, lo: float, hi: float, offset: float, size: float) -> None:
    """A header centred over heatmap columns lo..hi, ``offset`` points above the axes."""
    ax.annotate(
        text,
        xy=((lo + hi) / 2, 1),
        xycoords=("data", "axes fraction"),
        xytext=(0, offset),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=size,
    )


def indicator_shares(
    by_indicator: pd.DataFrame, scheme: AreaScheme, fiscal_year: int, level: str = "area"
) -> pd.DataFrame:
    """Share of points achieved (得点率, %) per row (area or insurer) and indicator, long form:
    ``row, area, area_order, indicator_group, indicator, points, max_points, share``; area
    rows also carry ``n_insurers`` and ``shared`` (the row shares an insurer with another)."""
    if level not in LEVELS:
        raise ParameterError(f"level must be one of {LEVELS}, got {level!r}")
    rows = select_year(by_indicator, fiscal_year)
    if level == "area":
        pairs = area_rows(scheme)
        df = rows.merge(pairs, left_on="municipality_code", right_on="insurer_code", how="inner", validate="m:m")
        out = df.groupby(["row", "area", "area_order", "indicator_group", "indicator"], as_index=False, sort=False)[
            ["points", "max_points"]
        ].sum()
        out["n_insurers"] = out["row"].map(pairs.groupby("row")["insurer_code"].nunique())
        shared = pairs.groupby("row")["shared"].any()
        out["shared"] = out["row"].map(shared)
        out["row"] = out["row"] + np.where(out["shared"], SPLIT_MARK, "")
    else:
        areas = insurer_areas(scheme)
        df = rows.merge(areas, left_on="municipality_code", right_on="insurer_code", how="inner", validate="m:1")
        out = df.copy()
        out["row"] = out["municipality_name"].map(short_name) + np.where(out["n_areas"] > 1, SPLIT_MARK, "")
    out["share"] = out["points"] / out["max_points"] * 100
    return out


MEAN_ROWS = ("県平均", "全国平均")


def mean_shares(by_indicator: pd.DataFrame, fiscal_year: int) -> pd.DataFrame:
    """得点率 (%) per indicator of the prefecture (all insurers, each weighing the same) and of
    the nation (national mean ÷ 配点): ``row, indicator, points, max_points, share``."""
    rows = select_year(by_indicator, fiscal_year)
    pref = rows.groupby("indicator", sort=False)[["points", "max_points"]].sum().reset_index()
    nat = rows.groupby("indicator", sort=False)[["national_mean", "max_points"]].first().reset_index()
    nat = nat.rename(columns={"national_mean": "points"})
    out = pd.concat([pref.assign(row=MEAN_ROWS[0]), nat.assign(row=MEAN_ROWS[1])], ignore_index=True)
    out["share"] = out["points"] / out["max_points"] * 100
    return out


def indicator_profile_table(
    by_indicator: pd.DataFrame, scheme: AreaScheme, fiscal_year: int, level: str = "area"
) -> pd.DataFrame:
    """The table behind the profile heatmap: one row per area (or insurer), one 得点率（%）
    column per indicator, plus the total; Japanese headers with units."""
    long = indicator_shares(by_indicator, scheme, fiscal_year, level)
    order = _indicator_order(select_year(by_indicator, fiscal_year))
    wide = long.pivot_table(index=["area_order", "row"], columns="indicator", values="share", sort=True)
    totals = long.groupby(["area_order", "row"])[["points", "max_points"]].sum()
    out = pd.DataFrame({"年度": reiwa_fiscal_year(fiscal_year)}, index=wide.index)
    out[scheme.label if level == "area" else "保険者名"] = wide.index.get_level_values("row")
    for r in order.itertuples():
        out[f"{r.indicator}（満点{r.max_points:.0f}点）得点率（%）"] = wide[r.indicator].round(1)
    out["目標III 計 得点率（%）"] = (totals["points"] / totals["max_points"] * 100).round(1)
    means = mean_shares(by_indicator, fiscal_year)
    extra = pd.DataFrame({"年度": reiwa_fiscal_year(fiscal_year), out.columns[1]: list(MEAN_ROWS)})
    wide_means = means.pivot_table(index="row", columns="indicator", values="share", dropna=False).reindex(MEAN_ROWS)
    for r in order.itertuples():
        extra[f"{r.indicator}（満点{r.max_points:.0f}点）得点率（%）"] = wide_means[r.indicator].round(1).to_numpy()
    tot_means = means.groupby("row")[["points", "max_points"]].sum(min_count=1).reindex(MEAN_ROWS)
    extra["目標III 計 得点率（%）"] = (tot_means["points"] / tot_means["max_points"] * 100).round(1).to_numpy()
    return pd.concat([out.reset_index(drop=True), extra], ignore_index=True)


MAX_INSURER_ROWS = 18  # insurer rows per slide: 8 pt text and rows a reader can follow


def insurer_parts(scheme: AreaScheme, max_rows: int = MAX_INSURER_ROWS) -> list[list[str]]:
    """The areas of ``scheme`` in display order, cut into as few runs as hold at most
    ``max_rows`` insurers each (an area is never split), the runs as even as possible: the
    per-insurer figures are drawn one run per slide (二次保健医療圏: 横浜～湘南西部, 県央・県西)."""
    counts = insurer_areas(scheme).groupby("area")["insurer_code"].nunique()
    sizes = [int(counts.get(a, 0)) for a in scheme.area_names]
    n_parts = max(1, -(-sum(sizes) // max_rows))
    best: tuple[int, list[int]] | None = None

    def search(start: int, left: int, cuts: list[int]) -> None:
        nonlocal best
        if left == 1:
            parts = [*cuts, len(sizes)]
            bounds = [0, *parts]
            worst = max(sum(sizes[a:b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True))
            if best is None or worst < best[0]:
                best = (worst, parts)
            return
        for cut in range(start + 1, len(sizes) - left + 2):
            search(cut, left - 1, [*cuts, cut])

    while True:
        best = None
        search(0, n_parts, [])
        if best is not None and (best[0] <= max_rows or n_parts >= len(sizes)):
            break
        n_parts += 1
    bounds = [0, *best[1]]
    return [scheme.area_names[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def _part_label(areas: list[str] | None, scheme: AreaScheme) -> str:
    """「横浜～湘南西部」 for a run of areas (empty for all of them)."""
    if not areas or list(areas) == scheme.area_names:
        return ""
    return areas[0] if len(areas) == 1 else f"{areas[0]}～{areas[-1]}"


def plot_indicator_profile(
    by_indicator: pd.DataFrame,
    scheme: AreaScheme,
    fiscal_year: int,
    *,
    level: str = "area",
    areas: list[str] | None = None,
    sample: bool | None = None,
    sources: list[str] | None = None,
) -> Figure:
    """目標III 指標別得点率のヒートマップ: rows are areas (``level="area"``) or insurers grouped by
    area (``level="municipality"``), columns the five indicators under their indicator group,
    each cell the share of points achieved (%), written in the cell. ``areas`` keeps the rows
    of those areas only (one slide of insurers: :func:`insurer_parts`); 県平均 and 全国平均 stay."""
    style.apply_style()
    long = indicator_shares(by_indicator, scheme, fiscal_year, level)
    if areas is not None:
        long = long[long["area"].isin(areas)]
    order = _indicator_order(select_year(by_indicator, fiscal_year))  # per-insurer maximum points
    row_order = long.drop_duplicates("row").sort_values(
        ["area_order", "row"] if level == "municipality" else ["area_order"]
    )
    if level == "municipality":  # insurers by area, then by total share descending
        tot = long.groupby("row")[["points", "max_points"]].sum()
        row_order = row_order.assign(total=row_order["row"].map(tot["points"] / tot["max_points"]))
        row_order = row_order.sort_values(["area_order", "total", "row"], ascending=[True, False, True])
    rows_ = list(row_order["row"])
    grid = long.pivot_table(index="row", columns="indicator", values="share").loc[rows_, list(order["indicator"])]
    means = mean_shares(by_indicator, fiscal_year).pivot_table(
        index="row", columns="indicator", values="share", dropna=False
    )
    grid = pd.concat([grid, means.reindex(index=list(MEAN_ROWS), columns=list(order["indicator"]))])
    n_data = len(rows_)
    n_rows, n_cols = grid.shape
    if level == "municipality" and n_rows > MAX_INSURER_ROWS + len(MEAN_ROWS):
        raise ParameterError(
            f"{n_rows} rows do not read on one slide (at most {MAX_INSURER_ROWS} insurers): pass areas= from insurer_parts()"
        )
    width, height = (11.0, 6.6) if level == "area" else style.SLIDE_AREA_IN
    fig, ax = plt.subplots(figsize=(width, height))
    top_in, bottom_in = 1.65, 0.95  # inches kept for title/group headers and the 出典 lines
    fig.subplots_adjust(
        left=0.2 if level == "municipality" else 0.2, right=0.8, top=1 - top_in / height, bottom=bottom_in / height
    )
    norm = mcolors.Normalize(vmin=0, vmax=100)
    cmap = plt.get_cmap(SCORE_CMAP)
    ax.imshow(grid.to_numpy(dtype=float), cmap=cmap, norm=norm, aspect="auto")
    for i in range(n_rows):
        for j in range(n_cols):
            v = grid.iat[i, j]
            if pd.notna(v):
                ax.text(
                    j,
                    i,
                    f"{v:.0f}%",
                    ha="center",
                    va="center",
                    fontsize=9 if level == "municipality" else 11,
                    color=text_color_on(mcolors.to_hex(cmap(norm(v)))),
                )
    ax.set_xticks(
        range(n_cols),
        [
            f"{INDICATOR_SHORT.get(ind, ind)}\n（{mx:.0f}点）"
            for ind, mx in zip(order["indicator"], order["max_points"], strict=True)
        ],
        fontsize=9.5,
    )
    ax.xaxis.tick_top()
    ax.tick_params(axis="x", length=0, pad=4)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    # indicator group headers (体制・取組指標群 / 活動指標群) above the columns
    for group, idx in order.groupby("indicator_group", sort=False).groups.items():
        lo, hi = min(idx), max(idx)
        column_header(ax, group, lo, hi, 58, 10.5)
        ax.annotate(
            "",
            xy=(lo - 0.45, 1),
            xytext=(hi + 0.45, 1),
            xycoords=("data", "axes fraction"),
            textcoords=("data", "axes fraction"),
            arrowprops={"arrowstyle": "-", "color": "#666666"},
        )
    ax.axhline(n_data - 0.5, color="white", linewidth=6)  # the 県平均/全国平均 rows stand apart
    mean_labels = [
        f"{name}（{select_year(by_indicator, fiscal_year)['municipality_code'].nunique()}保険者）" if k == 0 else name
        for k, name in enumerate(MEAN_ROWS)
    ]
    if level == "area":
        ax.set_yticks(range(n_rows), [""] * n_data + mean_labels, fontsize=9.5)
        for i, r in enumerate(row_order.itertuples()):
            area_tag(ax, r.row, scheme.colors[r.area], (0, i), ax.get_yaxis_transform(), (-8, 0))
        counts = long.drop_duplicates("row").set_index("row")["n_insurers"]
        for i, name in enumerate(rows_):
            ax.annotate(
                f"{int(counts[name])}保険者",
                xy=(1, i),
                xycoords=ax.get_yaxis_transform(),
                xytext=(6, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=8.5,
                color=style.MUTED_COLOR,
            )
    else:
        ax.set_yticks(range(n_rows), rows_ + mean_labels, fontsize=9)
        areas_of = row_order.reset_index(drop=True)
        for area, idx in areas_of.groupby("area", sort=False).groups.items():
            lo, hi = min(idx), max(idx)
            area_tag(ax, area, scheme.colors[area], (0, (lo + hi) / 2), ax.get_yaxis_transform(), (-62, 0))
            if lo > 0:
                ax.axhline(lo - 0.5, color="white", linewidth=3)
    cax = fig.add_axes([0.9, 1 - top_in / height - 0.45, 0.018, 0.4])
    cb = fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), cax=cax)
    cb.ax.set_title("得点率（%）", fontsize=9, loc="left", pad=8)
    what = scheme.label if level == "area" else "保険者"
    part = f"：{_part_label(areas, scheme)}" if _part_label(areas, scheme) else ""
    note = "得点率＝得点の合計÷満点の合計（保険者を同じ重みで合計）。全国平均＝全国の平均点÷配点。"
    if level == "area":
        merged = [r for r in rows_ if "、" in r]
        if merged:
            note += f"得点は保険者（市町村）単位：{'、'.join(merged)}は同じ保険者のため1行で示す。"
        if long["shared"].any():
            note += f"{SPLIT_MARK}は他の行と共有する保険者を含む行（同じ保険者の値が複数の行に入る）。"
    if level == "municipality" and long["n_areas"].gt(1).any():
        note += f"{SPLIT_MARK}は複数の圏域にまたがる保険者（最初の圏域に表示）。"
    return style.finish_figure(
        fig,
        title=f"目標III 指標別得点率（{reiwa_fiscal_year(fiscal_year)}・{what}別{part}）",
        sources=sources or [SCORE_SOURCE],
        sample=sample,
        caption=f"{GOAL3_LABEL}の5指標の得点率、{what}別{part}（{reiwa_fiscal_year(fiscal_year)}）",
        note=note,
    )


MISSED_COLORS = {"scored": "#F6E3B4", "missed_common": "#D55E00", "zero": "#E4E4E4"}
MISSED_LABELS = {
    "scored": "得点あり",
    "missed_common": "0点（全国では基準以上が得点）",
    "zero": "0点（全国でも基準未満）",
}


def missed_items_table(
    item_scores: pd.DataFrame, benchmark: pd.DataFrame, missed: pd.DataFrame, scheme: AreaScheme, fiscal_year: int
) -> pd.DataFrame:
    """The table behind the missed-items matrix: one row per insurer (area order) with, per
    目標III item, 「○」 scored, 「×」 0 points although the national 該当率 reaches the
    threshold, 「－」 0 points otherwise; then the national and prefecture 該当率 (%)."""
    grid, rates, items = _missed_grid(item_scores, benchmark, missed, scheme, fiscal_year)
    marks = {"scored": "○", "missed_common": "×", "zero": "－"}
    out = pd.DataFrame({"年度": reiwa_fiscal_year(fiscal_year), "保険者名": grid.index})
    for k, (indicator, item) in enumerate(items):
        out[f"{INDICATOR_SHORT.get(indicator, indicator).replace(chr(10), '')} {item}"] = (
            grid.iloc[:, k].map(marks).to_numpy()
        )
    out["基準以上なのに0点の項目数"] = (grid == "missed_common").sum(axis=1).to_numpy()
    for label, values in rates.items():
        row = {"年度": reiwa_fiscal_year(fiscal_year), "保険者名": f"{label}（％）"}
        row.update({c: round(100 * v, 1) for c, v in zip(out.columns[2:-1], values, strict=True)})
        out = pd.concat([out, pd.DataFrame([row])], ignore_index=True)
    return out


def _missed_grid(
    item_scores: pd.DataFrame, benchmark: pd.DataFrame, missed: pd.DataFrame, scheme: AreaScheme, fiscal_year: int
) -> tuple[pd.DataFrame, dict[str, list[float]], list[tuple[str, str]]]:
    """Status per insurer (rows, area order, label) and 目標III item (columns), and the
    national / prefecture 該当率 per item."""
    focus = item_scores[
        (item_scores["fiscal_year"] == fiscal_year) & (item_scores["fund"] == "支援") & (item_scores["goal"] == "III")
    ]
    if focus.empty:
        raise ParameterError(f"no 目標III item scores for fiscal year {fiscal_year}")
    items = list(dict.fromkeys(zip(focus["indicator"], focus["item"], strict=True)))
    hit = set(
        zip(
            *(missed.loc[missed["fiscal_year"] == fiscal_year, c] for c in ("municipality_code", "indicator", "item")),
            strict=True,
        )
    )
    status = np.where(focus["points"] > 0, "scored", "zero")
    keys = zip(focus["municipality_code"], focus["indicator"], focus["item"], strict=True)
    status = np.where([k in hit for k in keys], "missed_common", status)
    df = focus.assign(status=status, key=list(zip(focus["indicator"], focus["item"], strict=True)))
    counts = df.groupby(["municipality_code", "municipality_name"], as_index=False)["status"].agg(
        lambda s: int((s == "missed_common").sum())
    )
    order = ordered_insurers(counts.rename(columns={"status": "n_missed"}), scheme, "n_missed")
    wide = df.pivot_table(index="municipality_code", columns="key", values="status", aggfunc="first")
    grid = wide.loc[order["municipality_code"], items]
    grid.index = order["label"]
    grid.attrs["areas"] = list(order["area"])
    bench = benchmark[
        (benchmark["fiscal_year"] == fiscal_year)
        & (benchmark["column_kind"] == "item")
        & (benchmark["fund"] == "支援")
        & (benchmark["goal"] == "III")
    ].set_index(["indicator", "item"])
    national = bench["scoring_rate"].where(bench["scoring_rate"].notna(), bench["scoring_rate_rows"])
    pref = df.groupby("key")["points"].agg(lambda p: float((p > 0).mean()))
    rates = {
        "全国平均の該当率": [float(national.get(k, np.nan)) for k in items],
        "県平均の該当率": [pref[k] for k in items],
    }
    return grid, rates, items


def plot_goal3_missed_items(
    item_scores: pd.DataFrame,
    benchmark: pd.DataFrame,
    missed: pd.DataFrame,
    scheme: AreaScheme,
    fiscal_year: int,
    *,
    threshold: float,
    areas: list[str] | None = None,
    sample: bool | None = None,
    sources: list[str] | None = None,
) -> Figure:
    """全国の多くが得点しているのに0点の目標III項目: insurers (rows, by area) x the 31 items of
    目標III, each cell scored / 0 points although the national 該当率 is at least ``threshold``
    (highlighted) / 0 points otherwise; the last two rows give the national (全国平均) and the
    prefecture (県平均) 該当率 of each item. Inputs: processed ``insurer_scores``,
    ``national_benchmark`` and ``goal3_missed_items``. ``areas`` keeps the insurers of those
    areas (one slide: :func:`insurer_parts`); the 該当率 rows stay those of all insurers."""
    style.apply_style()
    grid, rates, items = _missed_grid(item_scores, benchmark, missed, scheme, fiscal_year)
    if areas is not None:
        keep = [a in areas for a in grid.attrs["areas"]]
        kept_areas = [a for a in grid.attrs["areas"] if a in areas]
        grid = grid[keep]
        grid.attrs["areas"] = kept_areas
    codes = {k: i for i, k in enumerate(MISSED_COLORS)}
    n_rows, n_cols = grid.shape
    if n_rows > MAX_INSURER_ROWS:
        raise ParameterError(
            f"{n_rows} insurers do not read on one slide (at most {MAX_INSURER_ROWS}): pass areas= from insurer_parts()"
        )
    width, height = style.SLIDE_AREA_IN
    fig, ax = plt.subplots(figsize=(width, height))
    top_in, bottom_in = 1.75, 0.95
    fig.subplots_adjust(left=0.16, right=0.98, top=1 - top_in / height, bottom=bottom_in / height)
    cmap = mcolors.ListedColormap(list(MISSED_COLORS.values()))
    ax.imshow(grid.replace(codes).to_numpy(dtype=float), cmap=cmap, vmin=-0.5, vmax=len(codes) - 0.5, aspect="auto")
    for k, values in enumerate(rates.values()):
        y = n_rows + 0.6 + k
        for j, v in enumerate(values):
            bold = v >= threshold
            ax.text(
                j,
                y,
                "－" if np.isnan(v) else f"{100 * v:.0f}",
                ha="center",
                va="center",
                fontsize=8.5,
                color=style.TEXT_COLOR if bold else style.MUTED_COLOR,
            )
    ax.set_ylim(n_rows + 0.6 + len(rates) - 0.5, -0.5)
    ax.set_yticks(
        list(range(n_rows)) + [n_rows + 0.6 + k for k in range(len(rates))],
        list(grid.index) + [f"{name}（％）" for name in rates],
        fontsize=8.5,
    )
    ax.set_xticks(range(n_cols), [item for _, item in items], fontsize=8.5)
    ax.xaxis.tick_top()
    ax.tick_params(axis="both", length=0)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xticks(np.arange(-0.5, n_cols, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, n_rows, 1), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.0)
    ax.tick_params(which="minor", length=0)
    areas_ = pd.Series(grid.attrs["areas"])
    for area, idx in areas_.groupby(areas_, sort=False).groups.items():
        lo, hi = min(idx), max(idx)
        area_tag(ax, area, scheme.colors[area], (0, (lo + hi) / 2), ax.get_yaxis_transform(), (-58, 0))
        if lo > 0:
            ax.axhline(lo - 0.5, color=style.TEXT_COLOR, linewidth=0.8)
    indicators_ = list(dict.fromkeys(ind for ind, _ in items))
    for name in indicators_:
        cols = [j for j, (ind, _) in enumerate(items) if ind == name]
        lo, hi = min(cols), max(cols)
        if lo > 0:
            ax.axvline(lo - 0.5, color=style.TEXT_COLOR, linewidth=0.8)
        column_header(ax, INDICATOR_SHORT.get(name, name).replace("\n", ""), lo, hi, 20, 9)
    handles = [Patch(facecolor=c, edgecolor="#999999", label=MISSED_LABELS[k]) for k, c in MISSED_COLORS.items()]
    fig.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(0.16, 1 - 0.95 / height), ncol=3, frameon=False, fontsize=9.5
    )
    n_missed = int((grid == "missed_common").to_numpy().sum())
    part = _part_label(areas, scheme)
    return style.finish_figure(
        fig,
        title=f"全国の{threshold:.0%}以上が得点する目標III項目で0点（{reiwa_fiscal_year(fiscal_year)}"
        + (f"：{part}）" if part else "）"),
        sources=sources or [SCORE_SOURCE],
        sample=sample,
        caption=f"{GOAL3_LABEL}の項目別の得点状況（保険者別）と全国・県内の該当率（{reiwa_fiscal_year(fiscal_year)}）",
        note=(
            f"該当率＝得点した保険者の割合（全国はファイルの統計行、基準 {threshold:.0%}）。該当する0点は{n_missed}件。"
            "活動指標（①～④）は全国順位の帯（上位7割・5割・3割・1割）で、取組の有無ではない。"
        ),
    )
