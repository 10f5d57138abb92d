"""The published set: byte-identical re-runs, the Excel workbook, sample marks, glyphs, index."""

from __future__ import annotations

import io
import json
import warnings

import matplotlib.pyplot as plt
import pytest
from figure_fixtures import _isolated_processed, goal3_summary  # noqa: F401  fixture
from openpyxl import load_workbook
from run_files import content

from homecare.core import processed, provenance
from homecare.core.labels import SAMPLE_LABEL
from homecare.figures import cooperation, ict, scores, style
from homecare.publish import index as report
from homecare.publish.tables import write_table
from homecare.publish.workbook import build_workbook
from homecare.reference import areas, geo, seed


def build_set(out) -> None:
    """A small run: one real seed figure and one sample score figure, their tables, workbook, index."""
    scheme = areas.load_scheme()
    status = seed.load_cooperation_status()
    write_table(
        cooperation.cooperation_table(status.data),
        out,
        "05_cooperation_status",
        title="協力医療機関の届出状況",
        sources=[seed.SEED_SOURCE],
        sample=False,
        sheet="協力医療機関",
    )
    style.save_figure(
        cooperation.plot_cooperation_status(status.data, discrepancies=status.discrepancies),
        out,
        "05_cooperation_status",
        table="05_cooperation_status",
    )
    summary = goal3_summary()
    write_table(
        scores.goal3_score_table(summary, scheme, [2025]),
        out,
        "05_goal3_score",
        title="目標III得点",
        sources=[scores.SCORE_SOURCE],
        sample=True,
        sheet="目標III得点",
    )
    style.save_figure(scores.plot_goal3_score_rank(summary, scheme, 2025, sample=True), out, "05_goal3_score_rank_2025")
    coverage = seed.load_ict_coverage().data
    style.save_figure(
        ict.plot_ict_coverage_map(coverage, geo.load_units(), scheme), out, "05_ict_coverage_map", formats=["png"]
    )
    build_workbook(out)
    report.build_index(out)


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    a, b = tmp_path_factory.mktemp("run_a"), tmp_path_factory.mktemp("run_b")
    build_set(a)
    build_set(b)
    return a, b


def test_rerun_is_byte_identical(two_runs):
    a, b = two_runs
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    kinds = {p.suffix for p in files}
    assert {".png", ".svg", ".csv", ".xlsx", ".json", ".html"} <= kinds
    for rel in files:
        assert content(a, rel) == content(b, rel), f"{rel} differs between identical runs"
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())


def test_workbook_sheets_headers_panes_and_source_lines(two_runs):
    a, _ = two_runs
    wb = load_workbook(a / "tables.xlsx")
    assert wb.sheetnames == ["協力医療機関", "目標III得点"]
    coop, score = wb["協力医療機関"], wb["目標III得点"]
    assert [c.value for c in coop[2]][:3] == ["施設種別", "協力医療機関の要件", "施設数（施設）"]
    assert [c.value for c in score[2]][:2] == ["年度", "二次保健医療圏"]
    for ws in (coop, score):
        assert ws.freeze_panes == "A3"
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1  # prints/PDFs one page wide
        assert ws.column_dimensions["A"].width >= 8
    coop_text = [c.value for c in coop["A"] if isinstance(c.value, str)]
    assert any(t.startswith("出典：令和7年度第2回神奈川県在宅医療推進協議会") for t in coop_text)
    assert not any(SAMPLE_LABEL in str(c.value) for row in coop.iter_rows() for c in row if c.value)
    score_text = [str(c.value) for row in score.iter_rows() for c in row if c.value]
    assert any(SAMPLE_LABEL in t for t in score_text)  # sample table is marked
    assert coop.cell(row=3 + 6, column=1).value == "計（各施設種別の合計）"


def test_csv_is_utf8_bom(two_runs):
    a, _ = two_runs
    raw = (a / "tables" / "05_cooperation_status.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "施設種別".encode() in raw


def test_figure_records_and_index(two_runs):
    a, _ = two_runs
    records = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (a / "figures").glob("*.json")}
    assert records["05_cooperation_status"]["sample"] is False
    assert records["05_goal3_score_rank_2025"]["sample"] is True
    assert "svg" not in records["05_ict_coverage_map"]  # formats=["png"]
    page = (a / "index.html").read_text(encoding="utf-8")
    for name in records:
        assert f'id="fig-{name}"' in page
    assert 'href="figures/05_ict_coverage_map.svg"' not in page
    assert 'href="tables/05_goal3_score.csv"' in page  # the rank figure finds its table by prefix


def test_missing_glyph_fails_the_test_run():
    """pyproject turns 'Glyph ... missing from font' into an error: prove it would catch tofu."""
    style.apply_style()
    fig, ax = plt.subplots()
    ax.set_title("在宅医療 \U0001f600")  # an emoji IPAexGothic does not have
    with pytest.raises(UserWarning, match="missing from font"):
        with warnings.catch_warnings():
            warnings.filterwarnings("error", message="Glyph .* missing from font")
            fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)


def test_processed_sample_flag_reaches_the_figure(tmp_path, monkeypatch):
    """A processed table written from sample inputs is marked in its meta; a figure drawn from it
    inside a provenance section carries the mark without being told."""
    summary = goal3_summary()
    processed.write_processed(summary, "goal3_summary", sample=True)
    assert processed.read_meta("goal3_summary")["sample"] is True
    provenance.reset()
    with provenance.section():
        back = processed.read_processed("goal3_summary")
        fig = scores.plot_goal3_score_rank(back, areas.load_scheme(), 2025)
    assert any(SAMPLE_LABEL in t.get_text() for t in fig.texts)
    plt.close(fig)
    with provenance.section():  # a section that read nothing synthetic is not marked
        fig = scores.plot_goal3_score_rank(back, areas.load_scheme(), 2025)
    assert not any(SAMPLE_LABEL in t.get_text() for t in fig.texts)
    plt.close(fig)
    assert (tmp_path / "processed" / "goal3_summary.parquet").is_file()  # not the real data/processed


def _figure_builders():
    """Every figure function of stage 04 on small data, as (name, builder) pairs."""
    from figure_fixtures import facilities, goal3_by_indicator, population

    from homecare.figures import facilities as fac_fig
    from homecare.figures import indicators
    from homecare.population.rates import aged75_by_area

    def build(name):
        scheme, units = areas.load_scheme(), geo.load_units()
        summary, by_ind = goal3_summary(), goal3_by_indicator()
        fac = facilities(units, scheme, n_per_unit=2)
        status = seed.load_cooperation_status()
        return {
            "score_map": lambda: scores.plot_goal3_score_map(summary, units, scheme, 2025, sample=True),
            "score_rank": lambda: scores.plot_goal3_score_rank(summary, scheme, 2025, sample=True),
            "score_change": lambda: scores.plot_goal3_score_change(summary, scheme, 2025, sample=True),
            "profile_area": lambda: indicators.plot_indicator_profile(by_ind, scheme, 2025, sample=True),
            "profile_insurer": lambda: indicators.plot_indicator_profile(
                by_ind, scheme, 2025, level="municipality", areas=indicators.insurer_parts(scheme)[0], sample=True
            ),
            "facility_map": lambda: fac_fig.plot_facility_map(fac, units, scheme, sample=True),
            "facility_rate": lambda: fac_fig.plot_facility_counts(
                fac, scheme, aged75_by_area(population(units), scheme, 2025), sample=True
            ),
            "cooperation": lambda: cooperation.plot_cooperation_status(
                status.data, discrepancies=status.discrepancies, sample=True
            ),
            "ict_participants": lambda: ict.plot_ict_participants(
                seed.load_ict_networks().data, {"サルビアねっと": 25650, "さくらネット": "<10"}, sample=True
            ),
            "ict_coverage": lambda: ict.plot_ict_coverage_map(
                seed.load_ict_coverage().data, units, scheme, sample=True
            ),
        }[name]()

    return build


FIGURES = [
    "score_map",
    "score_rank",
    "score_change",
    "profile_area",
    "profile_insurer",
    "facility_map",
    "facility_rate",
    "cooperation",
    "ict_participants",
    "ict_coverage",
]


@pytest.mark.parametrize("name", FIGURES)
def test_title_badge_and_notes_fit_the_figure(name):
    """Legibility guard: the title does not run under the サンプルデータ badge, and no
    figure-level text (title, badge, 注, 出典) is cut off at the figure's edges."""
    fig = _figure_builders()(name)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    title = fig._suptitle.get_window_extent(renderer)
    badge = [t for t in fig.texts if SAMPLE_LABEL in t.get_text()][0].get_bbox_patch().get_window_extent(renderer)
    assert title.x1 < badge.x0, f"{name}: title runs into the sample badge"
    for t in [fig._suptitle, *fig.texts]:
        box = t.get_window_extent(renderer)
        assert box.x0 >= page.x0 - 1 and box.x1 <= page.x1 + 1, f"{name}: text cut off: {t.get_text()[:30]!r}"
    plt.close(fig)
