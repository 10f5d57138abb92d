"""Index page (index.html) and slide deck (pptx) built from a run folder."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from homecare.figures import style
from homecare.publish import index as report
from homecare.publish import slides
from homecare.publish.tables import write_table
from homecare.publish.workbook import build_workbook
from homecare.reference import areas


def _figure(out, name: str, *, sample: bool, title: str) -> None:
    style.apply_style()
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.bar(["横浜", "県西"], [3, 5])
    style.finish_figure(fig, title=title, sources=["テスト資料（2026年）"], sample=sample, caption=f"{title}の説明")
    style.save_figure(fig, out, name)


@pytest.fixture()
def run_dir(tmp_path):
    out = tmp_path / "run"
    _figure(out, "goal3_score_map", sample=True, title="目標III得点の地図")
    _figure(out, "goal3_score_rank", sample=True, title="目標III得点の順位")
    _figure(out, "cooperation_status", sample=False, title="協力医療機関の届出状況")
    df = pd.DataFrame({"区市町村名": ["横浜市", "川崎市"], "得点率（%）": [50.0, 60.0]})
    write_table(df, out, "goal3_score", title="目標III得点", sources=["テスト"], sample=True)
    write_table(df, out, "cooperation_status", title="協力医療機関", sources=["協議会資料"], sample=False)
    write_table(df, out, "unrelated", title="図のない表", sources=["テスト"], sample=False)
    members = areas.members_table(areas.load_scheme())
    write_table(members, out, "00_area_members_secondary_medical_area", title="構成", sources=["テスト"], sample=False)
    build_workbook(out)
    return out


def test_index_lists_every_figure_with_links_and_badges(run_dir):
    page = report.build_index(run_dir).read_text(encoding="utf-8")
    for name in ("goal3_score_map", "goal3_score_rank", "cooperation_status"):
        assert f'id="fig-{name}"' in page
        assert f'href="figures/{name}.png"' in page
        assert f'href="figures/{name}.svg"' in page
    # both score figures link to the shared table (prefix rule); the seed figure to its own
    cards = dict(re.findall(r'<div class="card" id="fig-([^"]+)">(.*?)</div>', page))
    assert 'href="tables/goal3_score.csv"' in cards["goal3_score_map"]
    assert 'href="tables/goal3_score.csv"' in cards["goal3_score_rank"]
    assert 'href="tables/cooperation_status.csv"' in cards["cooperation_status"]
    assert "サンプルデータ" in cards["goal3_score_map"]
    assert "サンプルデータ" not in cards["cooperation_status"]
    assert 'id="table-unrelated"' in page
    assert 'href="tables.xlsx"' in page
    # self-contained: no external stylesheet, script or remote resource
    assert "<script src" not in page and "<link" not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "no remote resource"
    for link in ("changes.md", "manifest.json", "figures.pptx", "tables.xlsx"):
        assert f'href="{link}"' in page
    assert page.count('<path data-code="') == 58, "the unit map draws every unit"


def test_index_is_deterministic(run_dir, tmp_path):
    first = report.build_index(run_dir).read_bytes()
    second = report.build_index(run_dir).read_bytes()
    assert first == second


def test_index_of_empty_folder(tmp_path):
    page = report.build_index(tmp_path / "empty").read_text(encoding="utf-8")
    assert "図はありません" in page and "表はありません" in page


def test_table_for_figure_prefers_longest_prefix():
    names = ["goal3", "goal3_score", "facilities"]
    assert report.table_for_figure({"name": "goal3_score_map"}, names) == "goal3_score"
    assert report.table_for_figure({"name": "goal3_scorecard"}, names) == "goal3"
    assert report.table_for_figure({"name": "ict_map"}, names) is None
    assert report.table_for_figure({"name": "ict_map", "table": "facilities"}, names) == "facilities"


def test_pptx_is_a_real_deck(run_dir, tmp_path):
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    first = slides.build_pptx(run_dir).read_bytes()
    second = slides.build_pptx(run_dir).read_bytes()
    assert first == second
    prs = Presentation(str(run_dir / slides.PPTX_NAME))
    assert len(prs.slides) == 4, "a cover and one slide per figure"
    cover, *figure_slides = prs.slides
    assert "実行" in cover.placeholders[1].text and "サンプルデータ" in "".join(
        s.text_frame.text for s in cover.shapes if s.has_text_frame
    )
    titles = [s.shapes.title.text for s in figure_slides]
    assert titles == ["協力医療機関の届出状況", "目標III得点の地図", "目標III得点の順位"], (
        "titles in the title placeholders"
    )
    for slide in figure_slides:  # figures drawn for the slide fill it, their own title shown
        (picture,) = [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert picture.width == prs.slide_width or picture.height == prs.slide_height
        assert slide.shapes.title.top + slide.shapes.title.height <= 0, "the placeholder is kept above the slide"
    notes = [s.notes_slide.notes_text_frame.text for s in figure_slides]
    assert "協力医療機関の届出状況の説明" in notes[0] and "出典：テスト資料（2026年）" in notes[0]
    assert all("サンプルデータ" in n for n in notes[1:]) and "サンプルデータ" not in notes[0]
    for k, slide in enumerate(prs.slides, start=1):
        fields = slide.shapes._spTree.xpath(".//a:fld[@type='slidenum']")  # noqa: SLF001
        assert len(fields) == 1 and fields[0].xpath("string(.)") == str(k)
    assert len(first) < 5_000_000


def test_bar_chart_figures_become_native_charts(tmp_path):
    from pptx import Presentation

    out = tmp_path / "run"
    df = pd.DataFrame({"圏域": ["横浜", "県西"], "病院（施設）": [15, 2], "診療所（施設）": [55, 8]})
    write_table(df, out, "05_facilities", title="施設数", sources=["テスト"], sample=False)
    fig, ax = plt.subplots()
    ax.bar(["横浜", "県西"], [15, 2])
    style.finish_figure(fig, title="施設数（圏域別）", sources=["テスト"], sample=False)
    spec = style.ChartSpec("bar", "圏域", ("病院（施設）", "診療所（施設）"), unit="施設")
    style.save_figure(fig, out, "05_facilities_counts", table="05_facilities", chart=spec)
    prs = Presentation(str(slides.build_pptx(out)))
    chart = next(s.chart for s in prs.slides[1].shapes if s.has_chart)
    assert [s.name for s in chart.series] == ["病院（施設）", "診療所（施設）"]
    assert list(chart.plots[0].categories) == ["横浜", "県西"]
    assert list(chart.series[1].values) == [55.0, 8.0], "the chart is built from the published table"
    assert not any(s.shape_type == 13 for s in prs.slides[1].shapes), "no picture where the chart is native"


def test_marks_of_a_chart_slide_sit_below_the_charts(tmp_path, monkeypatch):
    from pptx import Presentation

    from homecare.core import labels
    from homecare.figures import charts

    monkeypatch.setenv(labels.SCENARIO_ENV, "yokohama3")
    out = tmp_path / "run"
    df = pd.DataFrame({"圏域": ["横浜", "県西"], "病院（施設）": [15, 2], "診療所（施設）": [55, 8]})
    write_table(df, out, "05_facilities", title="施設数", sources=["テスト"], sample=True)
    fig, _ = plt.subplots()
    style.finish_figure(fig, title="施設数（圏域別）", sources=["テスト"], sample=True)
    specs = charts.per_column(df, "圏域", ["病院（施設）", "診療所（施設）"])
    style.save_figure(fig, out, "05_facilities_counts", table="05_facilities", chart=specs)
    slide = Presentation(str(slides.build_pptx(out))).slides[1]
    marks = [s for s in slide.shapes if s.name == "mark"]
    assert sorted(m.text_frame.text for m in marks) == [
        "【サンプルデータ】実数ではありません",
        labels.scenario_label("yokohama3"),
    ]
    lowest = max(s.top + s.height for s in slide.shapes if s.has_chart)
    assert all(m.top >= lowest and m.left + m.width <= slides.SLIDE_W for m in marks), "no mark over a chart"


def test_a_figure_with_panels_becomes_a_grid_of_charts_in_the_area_colours(tmp_path):
    from pptx import Presentation
    from pptx.oxml.ns import qn

    from homecare.figures import charts

    out = tmp_path / "run"
    df = pd.DataFrame({"圏域": ["横浜", "県西", "県計"], "病院（施設）": [15, 2, 17], "診療所（施設）": [55, 8, 63]})
    write_table(df, out, "05_facilities", title="施設数", sources=["テスト"], sample=False)
    style.apply_style()
    fig, ax = plt.subplots()
    ax.bar(["横浜", "県西"], [15, 2])
    style.finish_figure(fig, title="施設数（圏域別）", sources=["テスト"], sample=False)
    specs = charts.per_column(
        df,
        "圏域",
        ["病院（施設）", "診療所（施設）"],
        exclude=[("圏域", "県計")],
        colors={"横浜": "#332288"},
        measure="施設数",
    )
    style.save_figure(fig, out, "05_facilities_counts", table="05_facilities", chart=specs)
    slide = Presentation(str(slides.build_pptx(out))).slides[1]
    found = [s for s in slide.shapes if s.has_chart]
    assert len(found) == 2 and found[0].top == found[1].top and found[0].left < found[1].left  # side by side
    assert [f.chart.chart_title.text_frame.text for f in found] == ["病院", "診療所"]
    first = found[0].chart
    assert list(first.plots[0].categories) == ["横浜", "県西"], "県計 excluded"
    assert str(first.plots[0].series[0].points[0].format.fill.fore_color.rgb) == "332288"
    assert first.category_axis._element.find(qn("c:tickLblSkip")).get("val") == "1"  # noqa: SLF001
    # one value scale for the panels of one measure, from 0 to a round number above the largest bar
    scales = [(f.chart.value_axis.minimum_scale, f.chart.value_axis.maximum_scale) for f in found]
    assert scales == [(0.0, 60.0), (0.0, 60.0)]


def test_value_range_is_round_and_shared() -> None:
    from pptx.chart.data import CategoryChartData

    def data(values: list[float | None]) -> CategoryChartData:
        d = CategoryChartData()
        d.categories = [str(k) for k in range(len(values))]
        d.add_series("s", values)
        return d

    bars = [{"kind": "barh", "unit": "施設"}] * 2
    assert slides.value_range(bars, [data([3.0, None]), data([0.41, 12.5])]) == (0.0, 15.0)
    assert slides.value_range(bars[:1], [data([0.0, 0.0])]) == (0.0, None)  # nothing to scale
    lines = [{"kind": "line", "unit": "2020年＝100"}]
    assert slides.value_range(lines, [data([100.0, 87.2, 121.4])]) == (80.0, 130)


def test_a_chart_whose_table_is_missing_falls_back_to_the_picture(tmp_path):
    from pptx import Presentation

    out = tmp_path / "run"
    style.apply_style()
    fig, ax = plt.subplots()
    ax.bar(["横浜", "県西"], [15, 2])
    style.finish_figure(fig, title="施設数（圏域別）", sources=["テスト"], sample=False)
    spec = style.ChartSpec("bar", "圏域", ("病院（施設）",))
    style.save_figure(fig, out, "05_facilities_counts", table="05_facilities", chart=spec)
    slide = Presentation(str(slides.build_pptx(out))).slides[1]
    assert not any(s.has_chart for s in slide.shapes) and any(s.shape_type == 13 for s in slide.shapes)
