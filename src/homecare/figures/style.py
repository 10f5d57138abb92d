"""House style for figures pasted into council documents (協議会資料).

One place for: the bundled Japanese font (IPAexGothic via matplotlib-fontja, so no tofu),
title/units, the 出典 line and the サンプルデータ mark (wording: :mod:`homecare.core.labels`),
and deterministic PNG/SVG output (no dates, fixed hash salt). Terms: docs/glossary.md.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import matplotlib

from homecare.figures import backend

# headless (scheduled runs and tests have no display): Agg without geopandas' idle redraws
matplotlib.use(backend.NAME)

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from homecare.core import (
    paths,  # noqa: E402
    provenance,  # noqa: E402
)
from homecare.core.labels import SAMPLE_LABEL, current_scenario, scenario_label, source_lines  # noqa: E402
from homecare.publish import slide_picture  # noqa: E402

FONT_FAMILY = "IPAexGothic"
DPI = 300
SAMPLE_COLOR = "#C00000"
TEXT_COLOR = "#222222"
MUTED_COLOR = "#666666"
NO_DATA_COLOR = "#DDDDDD"
_META_ATTR = "_homecare_meta"


def apply_style() -> None:
    """Set the house style. Safe to call repeatedly. seaborn's ``set_theme`` resets the font,
    so the Japanese font is applied after it."""
    import matplotlib_fontja  # noqa: F401  registers IPAexGothic with matplotlib
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook")
    matplotlib.rcParams.update(
        {
            "font.family": FONT_FAMILY,
            "axes.unicode_minus": False,  # IPAexGothic has no U+2212
            "figure.dpi": 100,
            "savefig.dpi": DPI,
            "svg.hashsalt": "homecare",  # stable clip-path ids
            "svg.fonttype": "path",  # text as outlines: renders the same without the font
            "path.simplify": True,
            "axes.titleweight": "normal",  # IPAexGothic has one weight; 'bold' only logs warnings
            "axes.titlesize": 13,
            "axes.labelsize": 11,
            "xtick.labelsize": 10,
            "ytick.labelsize": 10,
            "legend.fontsize": 10,
            "text.color": TEXT_COLOR,
        }
    )


# every figure module imports this one: figures drawn after it (from a stage or an analyst's
# notebook) get the house style without a separate call
apply_style()


def finish_figure(
    fig: Figure,
    *,
    title: str,
    sources: list[str],
    caption: str | None = None,
    note: str | None = None,
    sample: bool | None = None,
) -> Figure:
    """Add the title, the 出典 line (every source, one line each) and, for sample inputs, the
    サンプルデータ mark; remember caption and sources for :func:`save_figure` and the index.

    ``sample`` defaults to what provenance says of the inputs read for this figure (the
    open :func:`homecare.core.provenance.section`); stages never pass it."""
    if sample is None:
        sample = provenance.uses_sample_data()
    fig.suptitle(title, x=0.02, y=0.985, ha="left", va="top", fontsize=16, color=TEXT_COLOR)
    lines = [f"注：{note}"] if note else []
    lines += source_lines(sources)
    if lines:
        fig.text(0.02, 0.01, "\n".join(lines), ha="left", va="bottom", fontsize=8, color=MUTED_COLOR)
    scenario = current_scenario()
    if scenario:
        fig.text(0.02, 0.925, scenario_label(scenario), ha="left", va="top", fontsize=10, color=SAMPLE_COLOR)
    if sample:
        fig.text(
            0.98,
            0.985,
            f"{SAMPLE_LABEL}（架空の入力から作成・実数ではありません）",
            ha="right",
            va="top",
            fontsize=11,
            color="white",
            bbox={"boxstyle": "round,pad=0.35", "facecolor": SAMPLE_COLOR, "edgecolor": "none"},
        )
    setattr(
        fig,
        _META_ATTR,
        {
            "title": title,
            "caption": caption or title,
            "sources": list(dict.fromkeys(sources)),
            "sample": sample,
            **({"scenario": scenario} if scenario else {}),
        },
    )
    return fig


FIGURE_FORMATS = ("png", "svg", "pdf")
_SAVE_METADATA = {  # drop dates and version strings so re-runs are byte-identical
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
}


@dataclass(frozen=True)
class ChartSpec:
    """How the slide deck redraws a figure (or one panel of it) as a native, editable chart from
    the figure's table: ``kind`` bar | barh | stacked | line; ``category`` the column of
    categories (areas, years); ``series`` the value columns (one series each); ``where`` keeps
    only rows whose columns hold the given values, ``exclude`` drops them; ``by_row`` makes each
    row a series and the ``series`` columns the categories (a wide table of years); ``unit`` the
    value axis title; ``title`` the panel's title when a figure has several panels (a list of
    specs: the slide lays the charts out in a grid); ``number_format`` the Excel format of the
    data labels and axis; ``colors`` the colour of a category or a series by name (an area has
    its scheme colour in the chart as in the figure)."""

    kind: str
    category: str
    series: tuple[str, ...]
    where: tuple[tuple[str, str], ...] = ()
    exclude: tuple[tuple[str, str], ...] = ()
    by_row: bool = False
    unit: str = ""
    title: str = ""
    number_format: str = "#,##0.0"
    colors: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> dict:
        return {
            **asdict(self),
            "series": list(self.series),
            "where": [list(w) for w in self.where],
            "exclude": [list(w) for w in self.exclude],
            "colors": dict(self.colors),
        }


def figure_texts(fig: Figure) -> list[str]:
    """Every text drawn on ``fig`` (titles, labels, annotations, legend), in drawing order: what
    the PNG, SVG and slides show, for the disclosure check and the index."""
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def _rendered_pixels(fig: Figure) -> np.ndarray:
    """RGBA pixels of the figure's last Agg rendering (the PNG ``savefig`` has just written);
    an empty array when its canvas keeps none."""
    buffer_rgba = getattr(fig.canvas, "buffer_rgba", None)
    return np.asarray(buffer_rgba()) if buffer_rgba is not None else np.empty((0, 0, 4), np.uint8)


def save_figure(
    fig: Figure,
    output_dir: str | Path,
    name: str,
    *,
    formats: tuple[str, ...] | list[str] = ("png", "svg"),
    table: str | None = None,
    chart: ChartSpec | list[ChartSpec] | None = None,
    stage: str | None = None,
) -> dict[str, str]:
    """Save ``fig`` as 300 dpi PNG and SVG under ``<output_dir>/figures/`` byte-identically
    for identical input, plus ``<name>.json`` (caption, sources, sample) for the index.
    ``formats`` may add ``pdf`` or drop ``svg``; PNG is always written (the index and slides
    show it). ``table`` names the published table behind the figure, for the index.
    Returns the written paths relative to the project root."""
    meta = getattr(fig, _META_ATTR, None)
    if meta is None:
        raise ValueError("call style.finish_figure() before save_figure(): title, 出典 and sample mark missing")
    unknown = sorted(set(formats) - set(FIGURE_FORMATS))
    if unknown:
        raise ValueError(f"unknown figure formats {unknown}; choose from {FIGURE_FORMATS}")
    out = paths.resolve(output_dir) / "figures"
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for fmt in [f for f in FIGURE_FORMATS if f == "png" or f in formats]:
        path = out / f"{name}.{fmt}"
        fig.savefig(path, dpi=DPI, metadata=_SAVE_METADATA[fmt])
        written[fmt] = path
        if fmt == "png":  # the slide deck's picture, from the pixels just rendered (png comes first)
            slide_picture.write_from_pixels(_rendered_pixels(fig), path)
    record = {**meta, "name": name, "texts": figure_texts(fig), **{fmt: f"figures/{name}.{fmt}" for fmt in written}}
    if table is not None:
        record["table"] = table
    if chart is not None:  # always a list: one spec per panel
        record["chart"] = [c.to_json() for c in (chart if isinstance(chart, list) else [chart])]
    if stage is not None:
        record["stage"] = stage
    (out / f"{name}.json").write_text(
        json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    plt.close(fig)
    return {fmt: paths.relative(path) for fmt, path in written.items()}
