"""Index page (index.html) and slide draft (pptx) built from a run folder."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from homecare.figures import style
from homecare.publish import report
from homecare.publish.tables import write_table
from homecare.publish.workbook import build_workbook


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
    assert "<script" not in page and "<link" not in page and "http" not in page


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


def test_pptx_one_slide_per_figure_and_deterministic(run_dir, tmp_path):
    from pptx import Presentation

    first = report.build_pptx(run_dir).read_bytes()
    second = report.build_pptx(run_dir).read_bytes()
    assert first == second
    prs = Presentation(str(run_dir / report.PPTX_NAME))
    assert len(prs.slides) == 3
    texts = ["\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in prs.slides]
    assert any("協力医療機関の届出状況の説明" in t for t in texts)
    # sample figures say so under the picture too; real ones do not
    assert sum("サンプルデータ" in t for t in texts) == 2
    assert all(len(slide.shapes) == 2 for slide in prs.slides)  # picture + caption
