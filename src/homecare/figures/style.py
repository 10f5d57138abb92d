"""House style for figures pasted into council documents (協議会資料).

One place for: the bundled Japanese font (IPAexGothic via matplotlib-fontja, so no tofu),
title/units, the 出典 line and the サンプルデータ mark (wording: :mod:`homecare.core.labels`),
deterministic PNG/SVG output (no dates, fixed hash salt), and the figure-quality record that
:func:`save_figure` writes next to every PNG: the smallest text at 16:9 slide size
(:data:`SLIDE_AREA_IN`, at least :data:`MIN_SLIDE_PT`) and the value and colour scale of each
panel, so that panels showing one measure can be checked to share one scale
(:func:`declare_panel`, :func:`quality_problems`). Terms: docs/glossary.md.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import matplotlib

from homecare.figures import backend

# headless (scheduled runs and tests have no display): Agg without geopandas' idle redraws
matplotlib.use(backend.NAME)

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402

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
NOTE_SIZE = 8.0  # 注 and 出典 lines: MIN_SLIDE_PT on a slide when the figure is no larger than the slide
# A figure pasted into a 16:9 slide is scaled to fit the slide's content area (13.33 x 7.5 in):
# what a reader sees is the font size times that scale. No text may then be under 8 pt.
SLIDE_AREA_IN = (13.33, 7.5)
MIN_SLIDE_PT = 8.0
_META_ATTR = "_homecare_meta"
_PANEL_ATTR = "_homecare_panel"


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


@functools.cache
def _measure(size: float) -> Callable[[str], float]:
    """A function giving the width in points of a text in the house font at ``size`` pt,
    measured from the glyphs (no renderer); one glyph layout object per size."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    layout, font = TextToPath(), FontProperties(family=FONT_FAMILY, size=size)
    return lambda text: float(layout.get_text_width_height_descent(text, font, ismath=False)[0])


def wrap_text(text: str, width_in: float, size: float) -> list[str]:
    """``text`` split into lines no wider than ``width_in`` inches at ``size`` pt (each line of
    ``text`` wrapped on its own; Japanese wraps anywhere), so that a long 注 is never cut off.
    Each output line is the longest that fits, found by halving (the width of a prefix grows
    with its length), with at least one character that is not a space."""
    limit, width = width_in * 72, _measure(size)
    out: list[str] = []
    for line in text.split("\n"):
        indent = "　" if line.startswith("注：") else ""  # continuation lines of a 注 line up after 注
        start, prefix, n = 0, "", len(line)
        while True:
            shortest = start
            while shortest < n and not (prefix + line[start:shortest]).strip():
                shortest += 1  # leading spaces and the first other character always go on the line
            lo, hi = shortest, n
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if width(prefix + line[start:mid]) <= limit:
                    lo = mid
                else:
                    hi = mid - 1
            out.append(prefix + line[start:lo])
            if lo >= n:
                break
            start, prefix = lo, indent
    return out


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
    lines = [part for line in lines for part in wrap_text(line, fig.get_size_inches()[0] * 0.96, NOTE_SIZE)]
    if lines:
        fig.text(0.02, 0.01, "\n".join(lines), ha="left", va="bottom", fontsize=NOTE_SIZE, color=MUTED_COLOR)
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
    its scheme colour in the chart as in the figure); ``measure`` as in :func:`declare_panel`:
    charts of one figure with the same measure get one value scale (empty: a scale of its own)."""

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
    measure: str = ""

    def to_json(self) -> dict:
        return {
            **asdict(self),
            "series": list(self.series),
            "where": [list(w) for w in self.where],
            "exclude": [list(w) for w in self.exclude],
            "colors": dict(self.colors),
        }


def declare_panel(ax: Axes, measure: str, *, axis: str | None = None, classes: object | None = None) -> Axes:
    """Say what a panel shows, for the figure-quality record: ``measure`` names the quantity
    (panels with the same ``measure`` must share one scale: 施設数, 需要指数（2020年＝100）, a map's
    得点), ``axis`` ("x" or "y") is its value axis, ``classes`` its colour classes
    (:class:`homecare.figures.classes.Classes`). Every panel of a figure with several panels
    must be declared; a panel of its own measure simply gets a measure no other panel has."""
    if axis not in (None, "x", "y"):
        raise ValueError(f"axis must be 'x', 'y' or None, got {axis!r}")
    setattr(ax, _PANEL_ATTR, {"measure": measure, "axis": axis, "classes": classes})
    return ax


def slide_scale(fig: Figure) -> float:
    """The factor a figure is scaled by when placed to fit the 16:9 slide area (:data:`SLIDE_AREA_IN`)."""
    w, h = fig.get_size_inches()
    return min(SLIDE_AREA_IN[0] / w, SLIDE_AREA_IN[1] / h)


@contextmanager
def _drawn_texts(found: list[tuple[float, str, bool]]) -> Iterator[None]:
    """Record (font size, text, cut off at the figure's edge) of every text actually drawn while
    the figure is rendered: visible, not empty, at least partly on the canvas (tick labels
    outside the view and annotations whose point is clipped are never drawn, so never counted)."""
    original = Text.draw

    def draw(self: Text, renderer) -> None:
        original(self, renderer)
        text = self.get_text()
        if not (self.get_visible() and text.strip()) or self.get_figure(root=True) is None:
            return
        box = self.get_window_extent(renderer)
        page = self.get_figure(root=True).bbox
        clip = self.get_clip_box() if self.get_clip_on() else None
        if box.width <= 0 or not box.overlaps(page) or (clip is not None and not box.overlaps(clip)):
            return
        inside = box.x0 >= page.x0 - 1 and box.x1 <= page.x1 + 1 and box.y0 >= page.y0 - 1 and box.y1 <= page.y1 + 1
        found.append((float(self.get_fontsize()), text, not inside))

    draw._supports_rasterization = getattr(original, "_supports_rasterization", False)  # type: ignore[attr-defined]
    Text.draw = draw
    try:
        yield
    finally:
        Text.draw = original


def _is_panel(ax: Axes) -> bool:
    """A data panel: visible, not a colour bar, drawing something (legend-only axes are not)."""
    if not ax.get_visible() or hasattr(ax, "_colorbar"):
        return False
    return bool(ax.collections or ax.lines or ax.images or ax.patches or ax.containers)


def _color_scales(ax: Axes) -> list[dict]:
    """Continuous colour mappings drawn in ``ax`` (choropleths by column, heatmaps)."""
    out = []
    for artist in [*ax.collections, *ax.images]:
        if getattr(artist, "get_array", None) is None or artist.get_array() is None:
            continue
        norm = artist.norm
        out.append({"cmap": artist.get_cmap().name, "vmin": _num(norm.vmin), "vmax": _num(norm.vmax)})
    return out


def _num(x: object) -> float | None:
    return None if x is None else round(float(x), 6)


def _panel_record(ax: Axes) -> dict:
    decl = getattr(ax, _PANEL_ATTR, None) or {}
    title = ax.get_title(loc="left") or ax.get_title() or ax.get_title(loc="right")
    record: dict = {"title": title.split("\n")[0], "measure": decl.get("measure")}
    axis = decl.get("axis")
    if axis is not None:
        lim = ax.get_xlim() if axis == "x" else ax.get_ylim()
        record["axis"] = axis
        record["limits"] = sorted(_num(v) for v in lim)
    classes = decl.get("classes")
    if classes is not None:
        record["classes"] = classes.to_json()
    scales = _color_scales(ax)
    if scales:
        record["color_scales"] = scales
    return record


TITLE_MARK_GAP_PT = 8.0  # the least space between a figure's title and its サンプルデータ mark


def _layout_problems(fig: Figure) -> list[str]:
    """Figure-level texts (title, サンプルデータ mark, 注, 出典) cut off at the figure's edges, and a
    title running under the サンプルデータ mark or closer to it than :data:`TITLE_MARK_GAP_PT`."""
    get_renderer = getattr(fig.canvas, "get_renderer", None)
    if get_renderer is None:  # a Figure() made outside pyplot has no canvas that renders
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        get_renderer = FigureCanvasAgg(fig).get_renderer
    renderer = get_renderer()
    page = fig.bbox
    found = []
    texts = [t for t in [fig._suptitle, *fig.texts] if t is not None and t.get_visible() and t.get_text().strip()]
    for t in texts:
        box = t.get_window_extent(renderer)
        if box.x0 < page.x0 - 1 or box.x1 > page.x1 + 1 or box.y0 < page.y0 - 1 or box.y1 > page.y1 + 1:
            found.append(f"text cut off at the figure's edge: {t.get_text()[:30]!r}")
    marks = [t for t in fig.texts if t.get_text().startswith(SAMPLE_LABEL)]
    if fig._suptitle is not None and marks:
        title = fig._suptitle.get_window_extent(renderer)
        mark = marks[0].get_window_extent(renderer)  # the text; the red box adds its padding
        patch = marks[0].get_bbox_patch()  # (the patch's own extent is that of the last save's dpi)
        pad_pt = patch.get_boxstyle().pad * marks[0].get_fontsize() if patch is not None else 0.0
        gap = (TITLE_MARK_GAP_PT + pad_pt) * fig.dpi / 72  # less, and the two read as one line
        if title.x1 > mark.x0 - gap and title.y0 < mark.y1 and mark.y0 < title.y1:
            found.append(f"title runs under the {SAMPLE_LABEL} mark (or touches it): {fig._suptitle.get_text()[:30]!r}")
    return found


def quality_record(fig: Figure, drawn: list[tuple[float, str, bool]]) -> dict:
    """The figure-quality record: slide scale, the smallest text at slide size (and every text
    below :data:`MIN_SLIDE_PT`), and one entry per data panel with its declared measure, value
    axis limits and colour scale. ``drawn`` is what :func:`_drawn_texts` recorded."""
    scale = slide_scale(fig)
    w, h = fig.get_size_inches()
    small = sorted(
        {
            (round(size * scale, 2), text.replace("\n", " ")[:40])
            for size, text, _ in drawn
            if size * scale < MIN_SLIDE_PT - 1e-6
        }
    )
    cut = sorted({text.replace("\n", " ")[:30] for _, text, out in drawn if out})
    return {
        "layout": sorted(set(_layout_problems(fig)) | {f"text cut off at the figure's edge: {t!r}" for t in cut}),
        "figure_in": [round(float(w), 3), round(float(h), 3)],
        "slide_area_in": list(SLIDE_AREA_IN),
        "slide_scale": round(scale, 4),
        "min_font_pt_at_slide": round(min((s for s, _, _ in drawn), default=0.0) * scale, 2),
        "small_texts": [{"pt_at_slide": pt, "text": text} for pt, text in small[:12]],
        "panels": [_panel_record(ax) for ax in fig.axes if _is_panel(ax)],
    }


def figure_quality(fig: Figure, dpi: int = 100) -> dict:
    """The figure-quality record of ``fig`` without saving it (rendered once, in memory, at a
    ``dpi``; sizes in points do not depend on it, but glyph widths at very low dpi do); what
    :func:`save_figure` writes."""
    import io

    drawn: list[tuple[float, str, bool]] = []
    with _drawn_texts(drawn):
        fig.savefig(io.BytesIO(), format="png", dpi=dpi)
    return quality_record(fig, drawn)


def quality_problems(record: dict) -> list[str]:
    """What breaks the house style in a figure-quality record (empty when none): text under
    :data:`MIN_SLIDE_PT` at slide size; several panels not all declared; panels of one measure
    with different value limits or colour scales."""
    problems = [
        f"text at {t['pt_at_slide']} pt on a 16:9 slide (< {MIN_SLIDE_PT:g}): {t['text']!r}"
        for t in record.get("small_texts", [])
    ] + list(record.get("layout", []))
    panels = record.get("panels", [])
    if len(panels) > 1:
        undeclared = [p["title"] or f"panel {k + 1}" for k, p in enumerate(panels) if not p.get("measure")]
        if undeclared:
            problems.append(f"panels without a declared measure (style.declare_panel): {undeclared}")
    by_measure: dict[str, list[dict]] = {}
    for p in panels:
        if p.get("measure"):
            by_measure.setdefault(p["measure"], []).append(p)
    for measure, group in sorted(by_measure.items()):
        for key in ("limits", "classes", "color_scales"):
            seen = {json.dumps(p.get(key), sort_keys=True) for p in group}
            if len(seen) > 1:
                problems.append(f"panels of {measure!r} use different {key}: {sorted(seen)}")
    return problems


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
    show it). ``table`` names the published table behind the figure, for the index. The
    record also holds the figure-quality entry (:func:`quality_record`, measured on the PNG as
    drawn); what breaks the house style is printed, so that a run log shows it.
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
    drawn: list[tuple[float, str, bool]] = []
    for fmt in [f for f in FIGURE_FORMATS if f == "png" or f in formats]:
        path = out / f"{name}.{fmt}"
        if fmt == "png":  # the texts as rendered, for the quality record
            with _drawn_texts(drawn):
                fig.savefig(path, dpi=DPI, metadata=_SAVE_METADATA[fmt])
        else:
            fig.savefig(path, dpi=DPI, metadata=_SAVE_METADATA[fmt])
        written[fmt] = path
        if fmt == "png":  # the slide deck's picture, from the pixels just rendered (png comes first)
            slide_picture.write_from_pixels(_rendered_pixels(fig), path)
    record = {
        **meta,
        "name": name,
        "texts": figure_texts(fig),
        "quality": quality_record(fig, drawn),
        **{fmt: f"figures/{name}.{fmt}" for fmt in written},
    }
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
    for problem in quality_problems(record["quality"]):
        print(f"figure {name}: {problem}")
    return {fmt: paths.relative(path) for fmt, path in written.items()}
