"""The slide deck (スライド案, ``figures.pptx``) of a run: a real deck an analyst can drop into
the prefecture's template.

- a cover slide with the run date, the data vintages (時点) of every input and the サンプルデータ
  / scenario marks;
- one slide per figure on the *Title Only* layout: the figure's title in the title placeholder
  (outline view, accessibility, the template's title style), the caption, 注 and 出典 in the
  slide notes, a slide number;
- bar and line charts as native, editable PowerPoint charts built from the figure's published
  table (the figure records how, :class:`homecare.figures.style.ChartSpec`); maps and other
  figures as pictures sized to the slide, resampled so the deck stays small.

Deterministic: fixed document properties and zip timestamps (the charts' embedded workbooks
too). Terms: docs/glossary.md.
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import pandas as pd
from PIL import Image
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from homecare.core import paths
from homecare.core.files import FIXED_TIME, atomic_write_bytes, normalise_zip
from homecare.core.labels import SAMPLE_LABEL, scenario_label, source_line
from homecare.publish import slide_picture
from homecare.publish.tables import read_table

PPTX_NAME = "figures.pptx"
SLIDE_W, SLIDE_H = Emu(slide_picture.SLIDE_W), Emu(slide_picture.SLIDE_H)  # 16:9, 33.867 x 19.05 cm
PICTURE_DPI = slide_picture.PICTURE_DPI
CHART_TYPES = {
    "bar": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "barh": XL_CHART_TYPE.BAR_CLUSTERED,
    "stacked": XL_CHART_TYPE.BAR_STACKED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
}
RED = RGBColor(0xC0, 0x00, 0x00)
_LAYOUT_TITLE, _LAYOUT_TITLE_ONLY = 0, 5


def load_records(folder: Path) -> list[dict]:
    """Every ``*.json`` record in ``folder``, sorted by file name (deterministic order)."""
    if not folder.is_dir():
        return []
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def run_facts(out: Path) -> tuple[str, list[tuple[str, str]]]:
    """(run date as printed, [(input, 時点)]) of a run folder, from its name and the vintages the
    stages recorded (``Stage.vintage``)."""
    name = out.name
    try:
        date = f"{name[0:4]}年{int(name[4:6])}月{int(name[6:8])}日 {name[9:11]}:{name[11:13]} UTC"
    except ValueError:
        date = name
    vintages: dict[str, str] = {}
    for record in load_records(out / "stages"):
        vintages.update(record.get("notes", {}).get("vintages", {}))
    return date, sorted(vintages.items())


FOOTER = Inches(1.25)  # under the charts: the サンプルデータ and scenario marks, the slide number


def _slide_number(slide, number: int) -> None:
    """A slide-number field (updates when slides move) at the bottom right."""
    box = slide.shapes.add_textbox(SLIDE_W - Inches(1.1), SLIDE_H - Inches(0.45), Inches(0.9), Inches(0.35))
    box.name = "slide number"
    p = box.text_frame.paragraphs[0]
    p.alignment = 3  # right
    r = p._p.add_r()  # noqa: SLF001 - python-pptx has no field API; the run becomes a field below
    fld = r.makeelement(qn("a:fld"), {"id": f"{{B6F15528-21DE-4FAA-801E-634DDDAF4B{number:02X}}}", "type": "slidenum"})
    rpr = fld.makeelement(qn("a:rPr"), {"lang": "ja-JP", "sz": "1200"})
    text = fld.makeelement(qn("a:t"), {})
    text.text = str(number)
    fld.append(rpr)
    fld.append(text)
    r.addprevious(fld)
    p._p.remove(r)  # noqa: SLF001


def _mark(slide, text: str, top: Emu) -> None:
    box = slide.shapes.add_textbox(SLIDE_W - Inches(7.2), top, Inches(7.0), Inches(0.35))
    box.name = "mark"
    p = box.text_frame.paragraphs[0]
    p.text = text
    p.alignment = 3
    p.runs[0].font.size = Pt(12)
    p.runs[0].font.bold = True
    p.runs[0].font.color.rgb = RED


def _title(slide, text: str, *, visible: bool = True) -> None:
    """The slide's title placeholder (outline view, screen readers, the template's title
    style). A picture slide's figure shows its own title, so there the placeholder sits just
    above the slide, where it is kept but not shown (Microsoft's advice for a title that
    should not be visible)."""
    slide.shapes.title.text = text
    top = Inches(0.2) if visible else -Inches(1.2)
    slide.shapes.title.left, slide.shapes.title.top = Inches(0.4), top
    slide.shapes.title.width, slide.shapes.title.height = SLIDE_W - Inches(0.8), Inches(0.9)
    for p in slide.shapes.title.text_frame.paragraphs:
        p.alignment = 1  # left
        for r in p.runs:
            r.font.size = Pt(26)


def _notes(slide, fig: dict) -> None:
    lines = [fig.get("caption") or fig["title"]]
    if fig.get("note"):
        lines.append(f"注：{fig['note']}")
    lines += [source_line(s) for s in fig.get("sources", [])]
    if fig.get("sample"):
        lines.append(f"{SAMPLE_LABEL}：架空の入力から作成した図で、実数ではありません。")
    if fig.get("scenario"):
        lines.append(scenario_label(fig["scenario"]))
    slide.notes_slide.notes_text_frame.text = "\n".join(lines)


def _picture(slide, png: Path) -> None:
    """The figure as a picture filling the slide (as drawn: title, marks and 出典 included), resampled to
    :data:`PICTURE_DPI` at that size: the one saved with the figure when there is one
    (:mod:`homecare.publish.slide_picture`), else made from the PNG."""
    with Image.open(png) as im:  # the header: the size on the slide
        w, h, _ = slide_picture.placement(im.width, im.height)
    saved = slide_picture.path_for(png)
    data = saved.read_bytes() if saved.is_file() else slide_picture.from_png(png)
    slide.shapes.add_picture(io.BytesIO(data), int((SLIDE_W - w) / 2), int((SLIDE_H - h) / 2), Emu(w), Emu(h))


def _specs(fig: dict) -> list[dict]:
    spec = fig.get("chart")
    return [] if not spec else spec if isinstance(spec, list) else [spec]


def _figure_table(tables: Path, table: str) -> pd.DataFrame | None:
    """The published table behind a figure, read once for all its charts; None when missing."""
    path = tables / f"{table}.csv"
    return read_table(path)[0] if table and path.is_file() else None


def chart_data(spec: dict, df: pd.DataFrame | None) -> CategoryChartData | None:
    """The native chart's data from the figure's table ``df`` as ``spec`` (a
    :class:`~homecare.figures.style.ChartSpec` as JSON) says; None when the table is missing
    or no row is left."""
    if df is None:
        return None
    for column, value in spec.get("where", []):
        df = df[df[column].astype(str) == str(value)]
    for column, value in spec.get("exclude", []):
        df = df[df[column].astype(str) != str(value)]
    if df.empty:
        return None
    data = CategoryChartData(number_format=spec.get("number_format", "#,##0.0"))
    series = spec["series"]
    if spec.get("by_row"):
        data.categories = [c.split("（")[0] for c in series]
        for _, row in df.iterrows():
            data.add_series(str(row[spec["category"]]), [_number(row[c]) for c in series])
    else:
        data.categories = [str(v) for v in df[spec["category"]]]
        for column in series:
            data.add_series(column, [_number(v) for v in df[column]])
    return data


def _number(value: object) -> float | None:
    number = pd.to_numeric(value, errors="coerce")
    return None if pd.isna(number) else float(number)  # a withheld cell (<10) is a gap, not a 0


def _grid(n: int) -> tuple[int, int]:
    """(rows, columns) of the chart grid for ``n`` panels on a 16:9 slide."""
    return (1, n) if n <= 3 else (2, (n + 1) // 2)


def _values(data: CategoryChartData) -> list[float]:
    return [v for series in data for v in series.values if v is not None]


def _nice_ceiling(x: float) -> float:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k at or above ``x`` (> 0)."""
    k = 10.0 ** math.floor(math.log10(x))
    return next(m * k for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * k >= x * (1 - 1e-9))


def value_range(specs: list[dict], data: list[CategoryChartData]) -> tuple[float, float | None]:
    """(minimum, maximum) of the value axis of the charts ``specs`` (the panels of a figure with
    one ``measure``, so that, as in the figure, the same bar length means the same number in
    each). Bars start at 0; an index line starts at the tens below its lowest value."""
    values = [v for d in data for v in _values(d)]
    if not values:
        return 0.0, None
    low, high = min(values), max(values)
    if specs[0]["kind"] == "line":
        return (10 * (low // 10) if low > 10 else 0.0), 10 * math.ceil(high / 10)
    return 0.0, (_nice_ceiling(high) if high > 0 else None)


def _charts(slide, specs: list[dict], data: list[CategoryChartData]) -> None:
    """One native chart per panel, laid out in a grid under the title; panels of one measure on
    one value scale (:func:`value_range`)."""
    by_measure: dict[str, list[int]] = {}
    for k, spec in enumerate(specs):
        by_measure.setdefault(spec.get("measure") or f"panel {k}", []).append(k)
    scales = {}
    for members in by_measure.values():
        scale = value_range([specs[k] for k in members], [data[k] for k in members])
        scales.update(dict.fromkeys(members, scale))
    rows, cols = _grid(len(specs))
    left, top = Inches(0.4), Inches(1.2)
    width, height = SLIDE_W - Inches(0.8), SLIDE_H - top - FOOTER
    cw, ch = int(width / cols), int(height / rows)
    for k, (spec, d) in enumerate(zip(specs, data, strict=True)):
        x, y = left + (k % cols) * cw, top + (k // cols) * ch
        _chart(slide, spec, d, (x, y, cw, ch), small=len(specs) > 1, scale=scales[k])


def _chart(
    slide,
    spec: dict,
    data: CategoryChartData,
    box: tuple[int, int, int, int],
    *,
    small: bool,
    scale: tuple[float, float | None],
) -> None:
    kind = spec["kind"]
    chart = slide.shapes.add_chart(CHART_TYPES[kind], *box, data).chart
    chart.font.size = Pt(10 if small else 12)
    chart.has_legend = len(data) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM if small else XL_LEGEND_POSITION.RIGHT
        chart.legend.include_in_layout = False
    if spec.get("title"):
        chart.has_title = True
        chart.chart_title.text_frame.text = spec["title"]
        chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(12 if small else 14)
    else:
        chart.has_title = False
    if spec.get("unit"):
        axis = chart.value_axis
        axis.has_title = True
        axis.axis_title.text_frame.text = spec["unit"]
    if kind in ("barh", "stacked"):
        chart.category_axis.reverse_order = True  # first category on top, as in the figure
    _label_every_category(chart)
    if kind != "stacked":
        chart.value_axis.minimum_scale, chart.value_axis.maximum_scale = scale
    _colour(chart, spec.get("colors") or {}, by_series=kind == "line" or spec.get("by_row", False))


def _label_every_category(chart) -> None:
    """``c:tickLblSkip val=1``: every area named on the axis (PowerPoint otherwise drops every
    other label when space is short); python-pptx has no property for it."""
    axis = chart.category_axis._element  # noqa: SLF001
    skip = axis.makeelement(qn("c:tickLblSkip"), {"val": "1"})
    after = axis.find(qn("c:lblOffset"))
    if after is None:
        after = axis.find(qn("c:lblAlgn"))
    if after is not None:
        after.addnext(skip)
    else:
        axis.append(skip)


def _colour(chart, colors: dict[str, str], *, by_series: bool) -> None:
    """Scheme colours: per series (a line per area) or per bar (one series, a bar per area)."""
    if not colors:
        return
    for series in chart.plots[0].series:
        if by_series:
            if series.name in colors:
                rgb = RGBColor.from_string(colors[series.name].lstrip("#").upper())
                series.format.line.color.rgb = rgb
                series.marker.format.fill.solid()
                series.marker.format.fill.fore_color.rgb = rgb
                series.marker.format.line.color.rgb = rgb
            continue
        for k, category in enumerate(chart.plots[0].categories):
            if category in colors:
                point = series.points[k]
                point.format.fill.solid()
                point.format.fill.fore_color.rgb = RGBColor.from_string(colors[category].lstrip("#").upper())


def build_pptx(output_dir: str | Path, filename: str = PPTX_NAME) -> Path | None:
    """Write the slide deck of a run folder; None when the run has no figures."""
    out = paths.resolve(output_dir)
    figures = load_records(out / "figures")
    if not figures:
        return None
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    date, vintages = run_facts(out)
    cover = prs.slides.add_slide(prs.slide_layouts[_LAYOUT_TITLE])
    cover.shapes.title.text = "在宅医療・地域包括ケア分析 図表集（案）"
    body = cover.placeholders[1]
    body.text = f"実行 {date}\n" + "\n".join(f"{what}：{as_of}" for what, as_of in vintages)
    # the default template's placeholders are laid out for 4:3: span the 16:9 width instead
    for shape, top, height in ((cover.shapes.title, Inches(0.9), Inches(1.4)), (body, Inches(2.5), Inches(4.3))):
        shape.left, shape.width, shape.top, shape.height = Inches(0.8), SLIDE_W - Inches(1.6), top, height
    for p in body.text_frame.paragraphs:
        p.alignment = PP_ALIGN.LEFT
        for r in p.runs:
            r.font.size = Pt(16)
    if any(f.get("sample") for f in figures):
        _mark(cover, f"【{SAMPLE_LABEL}】架空の入力から作成・実数ではありません", Inches(0.2))
    for scenario in sorted({f["scenario"] for f in figures if f.get("scenario")}):
        _mark(cover, scenario_label(scenario), Inches(0.6))
    _slide_number(cover, 1)
    for k, fig in enumerate(figures, start=2):
        slide = prs.slides.add_slide(prs.slide_layouts[_LAYOUT_TITLE_ONLY])
        specs = _specs(fig)
        df = _figure_table(out / "tables", fig.get("table", "")) if specs else None
        data = [chart_data(spec, df) for spec in specs]
        native = bool(specs) and all(d is not None for d in data)
        _title(slide, fig["title"], visible=native)
        if native:
            _charts(slide, specs, data)
            if fig.get("sample"):  # a picture carries the figure's own marks
                _mark(slide, f"【{SAMPLE_LABEL}】実数ではありません", SLIDE_H - Inches(0.85))
            if fig.get("scenario"):
                _mark(slide, scenario_label(fig["scenario"]), SLIDE_H - Inches(1.2))
        else:
            _picture(slide, out / fig["png"])
        _notes(slide, fig)
        _slide_number(slide, k)
    prs.core_properties.author = "homecare"
    prs.core_properties.last_modified_by = "homecare"
    prs.core_properties.created = FIXED_TIME
    prs.core_properties.modified = FIXED_TIME
    prs.core_properties.revision = 1
    buf = io.BytesIO()
    prs.save(buf)
    path = out / filename
    atomic_write_bytes(path, normalise_zip(buf.getvalue()))
    return path
