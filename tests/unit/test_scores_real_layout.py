"""The real MHLW layout 「全国集計（市町村）」 (令和7・8年度): statistics rows inside the header
block as the national benchmark, identifier labels in row 2, subtotal columns by text,
該当状況 answer columns without 配点, rows without 保険者番号, 広域連合 rows without scores,
a file of another fiscal year, and the comparison outputs built on them."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scores_fixtures import stage_tables

from homecare.core.errors import InputError
from homecare.scores import clean, compare
from homecare.scores import indicators as ind
from homecare_dev.samples import national_scores as ns
from homecare_dev.samples import scores as score_samples

FY = 2026
SERIAL, NUMBER, NAME = 0, 3, 7  # identifier columns of the generated layout (A, D, H)


@pytest.fixture(scope="module")
def sheet() -> ns.NationalSheet:
    return ns.build_national(FY)


@pytest.fixture(scope="module")
def cleaned() -> clean.CleanResult:
    return clean.clean_file(score_samples.sample_path(FY), FY)


def _write(tmp_path: Path, sheet: ns.NationalSheet, name: str = "variant.xlsx") -> Path:
    return ns.write_national(sheet, tmp_path / name, deterministic=False)


def _row(sheet: ns.NationalSheet, name: str) -> int:
    return next(i for i, r in enumerate(sheet.body) if r[NAME] == name)


def _col(sheet: ns.NationalSheet, **attrs) -> int:
    return sheet.column_of(lambda c: all(getattr(c, k) == v for k, v in attrs.items()))


def _excel_row(body_index: int) -> int:
    return ns.FIRST_DATA_ROW + body_index


@pytest.mark.parametrize("fy", score_samples.NATIONAL_YEARS)
def test_committed_real_layout_samples_match_generator(tmp_path: Path, fy: int) -> None:
    fresh = ns.write_national(ns.build_national(fy), tmp_path / f"{fy}.xlsx")
    assert fresh.read_bytes() == score_samples.sample_path(fy).read_bytes()


def test_every_row_is_accounted_for(sheet, cleaned) -> None:
    scored = [r for r in sheet.body if r[SERIAL] is not None]
    unions = [r for r in sheet.body if r[SERIAL] is None]
    counts = cleaned.counts
    assert counts == {
        "rows_read": len(ns.STAT_LABELS) + len(sheet.body),
        "kept": 33,
        "statistics": len(ns.STAT_LABELS),
        "other_prefectures": len(scored) - 33,
        "unscored": len(unions),
        "quarantined": 0,
    }
    assert clean.reconciliation(counts).ok
    qa = cleaned.qa_table()
    unscored = qa[qa["reason"].str.startswith("row without any score (広域連合")]
    assert sorted(unscored["value"]) == sorted(r[NAME] for r in unions)


def test_rows_without_insurer_number_are_counted_and_reported(sheet, cleaned) -> None:
    members = [r for r in sheet.body if r[SERIAL] is not None and r[NUMBER] is None]
    assert len(members) > 0  # members of a 広域連合: scored, but no 保険者番号
    assert cleaned.without_insurer_number == {FY: len(members)}
    assert (cleaned.insurers["insurer_number"] == "").sum() == len(members)
    qa = cleaned.qa_table()
    hit = qa[qa["reason"].str.contains("without 保険者番号")]
    assert len(hit) == 1 and hit["reason"].iloc[0].startswith(f"{len(members)} scored row(s)")


def test_a_prefecture_row_without_insurer_number_is_kept_and_reported(tmp_path: Path, sheet) -> None:
    variant = copy.deepcopy(sheet)
    i = _row(variant, "清川村")
    variant.body[i][NUMBER] = None
    result = clean.clean_file(_write(tmp_path, variant), FY)
    assert result.scores["municipality_code"].nunique() == 33
    kiyokawa = result.scores[result.scores["municipality_code"] == "14402"]
    assert set(kiyokawa["insurer_number"]) == {""}
    qa = result.qa_table()
    hit = qa[qa["reason"].str.startswith("保険者番号 blank")]
    assert hit["row"].tolist() == [_excel_row(i)] and hit["action"].iloc[0] == "kept"


@pytest.mark.parametrize(
    ("number", "fragment"),
    [(14015, "does not start with the prefecture code 14"), ("14-402", "is not 6 digits")],
)
def test_an_implausible_insurer_number_is_reported_and_not_published(tmp_path: Path, sheet, number, fragment) -> None:
    """A number Excel stored as a number (14015) comes back padded as 014015: not a 神奈川県 number."""
    variant = copy.deepcopy(sheet)
    i = _row(variant, "清川村")
    variant.body[i][NUMBER] = number
    result = clean.clean_file(_write(tmp_path, variant), FY)
    kiyokawa = result.scores[result.scores["municipality_code"] == "14402"]
    assert len(kiyokawa) > 0 and set(kiyokawa["insurer_number"]) == {""}
    qa = result.qa_table()
    hit = qa[qa["reason"].str.contains(fragment)]
    assert hit["row"].tolist() == [_excel_row(i)] and hit["action"].iloc[0] == "kept, number left blank"
    assert hit["value"].iloc[0] in ("014015", "14-402")


def test_score_columns_are_those_with_a_haiten(sheet, cleaned) -> None:
    """The 該当状況 answer columns repeat their item's header but have no 配点: not read."""
    items = [c for c in sheet.columns if c.kind == "item"]
    answers = [c for c in sheet.columns if c.kind == "answer"]
    assert len(answers) > 0
    bench = cleaned.benchmark
    assert (bench["column_kind"] == "item").sum() == len(items)
    assert len(cleaned.scores) == 33 * len(items)
    goal3 = cleaned.scores.query("fund == '支援' and goal == 'III'")
    assert goal3.groupby("municipality_code")["max_points"].sum().eq(100).all()
    assert set(zip(goal3["indicator"], goal3["item"], strict=True)) == set(ind.goal3_items())


def test_statistics_rows_are_kept_as_stated(sheet, cleaned) -> None:
    bench = cleaned.benchmark.set_index("src_column")
    stat = {label: row for label, row in zip(ns.STAT_LABELS, sheet.stats, strict=True)}
    j = _col(sheet, kind="subtotal", fund="支援", goal="III", group="")
    letter = bench.index[bench["label"] == "III合計"][bench.loc[bench["label"] == "III合計", "fund"] == "支援"][0]
    row = bench.loc[letter]
    assert row["max_points"] == 100 and row["mean"] == pytest.approx(stat["平均点"][j])
    assert row["median"] == pytest.approx(stat["中央値"][j]) and row["sd"] == pytest.approx(stat["標準偏差"][j])
    assert row["mean_rate"] == pytest.approx(stat["平均得点率"][j]) and row["mean_rate"] < 1  # a fraction
    assert np.isnan(row["scoring_rate"]) and np.isnan(row["item_mean"])  # subtotals leave these empty
    items = cleaned.benchmark[cleaned.benchmark["column_kind"] == "item"]
    assert items["median"].isna().all() and items["scoring_rate"].between(0, 1).all()
    assert (items["scoring_rate"] - items["scoring_rate_rows"]).abs().max() < 1e-9  # the rows reproduce it
    assert cleaned.qa_table()["reason"].str.contains("do not reproduce|describe").sum() == 0


def test_subtotal_mismatch_goes_to_qa(tmp_path: Path, sheet) -> None:
    variant = copy.deepcopy(sheet)
    i, other = _row(variant, "横浜市"), 0
    j = _col(variant, kind="subtotal", fund="支援", goal="III", group="i")
    variant.body[i][j] += 2
    k = _col(variant, kind="total", fund="推進")
    variant.body[other][k] -= 1  # a row of another prefecture (北海道)
    result = clean.clean_file(_write(tmp_path, variant), FY)
    qa = result.qa_table()
    mine = qa[qa["reason"].str.startswith("sum of items")]
    assert len(mine) == 1 and mine["row"].iloc[0] == _excel_row(i) and "by -2" in mine["reason"].iloc[0]
    assert "III(i)計" in mine["column"].iloc[0]
    theirs = qa[qa["reason"].str.startswith("1 row(s) of other prefectures")]
    assert len(theirs) == 1 and "推進合計" in theirs["column"].iloc[0] and theirs["row"].iloc[0] == _excel_row(other)
    # the goal total is checked against its (ⅰ)/(ⅱ) subtotals, so the wrong subtotal is reported once
    assert not qa["column"].str.contains("III合計").any()


def test_goal_iv_total_is_capped_at_its_haiten(cleaned) -> None:
    iv = cleaned.measures[cleaned.measures["measure"] == "推進IV"]
    assert iv["points"].max() <= 100 and (iv["source"] == "file").all()
    assert not cleaned.qa_table()["column"].str.contains("IV合計").any()  # items worth 160, capped at 100


def test_columns_are_found_by_text_not_position(tmp_path: Path, sheet, cleaned) -> None:
    """An extra identifier column and the statistics labels one column further: same result."""
    variant = copy.deepcopy(sheet)
    at = 6
    for rows in (variant.header, variant.stats, variant.body):
        for r in rows:
            r.insert(at, None)
    variant.header[1][at] = "保険者区分（参考）"
    variant.merges = [(r0, c0 + (c0 >= at), r1, c1 + (c0 >= at)) for r0, c0, r1, c1 in variant.merges]
    variant.merges.append((1, at, ns.HEADER_ROWS - 1, at))
    variant.n_ids += 1
    result = clean.clean_file(_write(tmp_path, variant), FY)
    pd.testing.assert_frame_equal(result.scores, cleaned.scores)
    assert result.counts == cleaned.counts


def test_a_file_without_haiten_row_is_refused(tmp_path: Path, sheet) -> None:
    variant = copy.deepcopy(sheet)
    variant.stats[0][ns.STAT_LABEL_COLUMN] = "参考"
    with pytest.raises(InputError, match="no 配点 row .*score columns are those with a numeric 配点"):
        clean.clean_file(_write(tmp_path, variant), FY)


def test_a_file_of_another_fiscal_year() -> None:
    """The 令和7年度 file: 2 score columns fewer, previous-year columns of 令和6年度, the same
    parser; the 令和8年度 file's previous-year totals are the 令和7年度 file's totals."""
    both = clean.clean_years({fy: score_samples.sample_path(fy) for fy in score_samples.NATIONAL_YEARS})
    items = both.benchmark[both.benchmark["column_kind"] == "item"].groupby("fiscal_year").size()
    assert items[2026] - items[2025] == 2
    assert not both.qa_table()["reason"].str.contains("previous-year total").any()
    r7 = both.measures.query("fiscal_year == 2025 and measure == '合計'")
    r8 = both.insurers.query("fiscal_year == 2026")
    joined = r8.merge(r7[["serial", "points"]], on="serial")
    assert np.allclose(joined["previous_total"], joined["points"])


def test_previous_year_total_that_differs_from_the_previous_file_is_reported(tmp_path: Path, sheet) -> None:
    variant = copy.deepcopy(sheet)
    i = _row(variant, "三浦市")
    variant.body[i][12] += 10  # R7評価指標合計得点
    files = {2025: score_samples.sample_path(2025), FY: _write(tmp_path, variant)}
    qa = clean.clean_years(files).qa_table()
    hit = qa[qa["reason"].str.contains("previous-year total")]
    assert len(hit) == 1 and hit["reason"].iloc[0].startswith("三浦市: the 令和8年度 file's previous-year total")


def test_goal3_totals_of_the_prefecture_are_the_files(sheet) -> None:
    """支援 目標III of all 33 insurers as the file states them (Ⅲ合計)."""
    tables = stage_tables()
    j = _col(sheet, kind="subtotal", fund="支援", goal="III", group="")
    kanagawa = {r[NAME]: r[j] for r in sheet.body if r[6] == "神奈川県"}
    summary = tables["goal3_summary"].query(f"fiscal_year == {FY}")
    assert len(summary) == 33
    assert dict(zip(summary["municipality_name"], summary["points"], strict=True)) == kanagawa


def test_comparison_ranks_means_and_previous_year() -> None:
    t = stage_tables()
    comp = t["score_comparison"].query(f"fiscal_year == {FY}")
    nat = t["national_insurers"].query(f"fiscal_year == {FY}")
    total = comp[comp["measure"] == "合計"].merge(nat, on=["municipality_code"], suffixes=("", "_nat"))
    assert (total["national_rank"] == total["stated_rank"]).all()  # reproduces 今年度順位
    assert (total["change_from_previous"] == total["points"] - total["previous_total"]).all()
    assert (total["previous_source"] == "file's previous-year column").all()
    goal3 = comp[comp["measure"] == "支援III"]
    assert sorted(goal3["prefecture_rank"])[0] == 1 and goal3["prefecture_n"].eq(33).all()
    assert goal3["prefecture_mean"].iloc[0] == pytest.approx(goal3["points"].mean())
    measures = t["national_measures"].query(f"fiscal_year == {FY} and measure == '支援III'")
    with_class = measures.merge(nat[["src_row", "size_class"]], on="src_row")
    by_class = with_class.groupby("size_class")["points"].mean()
    assert np.allclose(goal3["size_class_mean"], goal3["size_class"].map(by_class))
    bench = t["national_benchmark"].query(f"fiscal_year == {FY} and measure == '支援III'").iloc[0]
    assert goal3["national_mean"].iloc[0] == pytest.approx(bench["mean"])
    better = (measures["points"].to_numpy()[None, :] > goal3["points"].to_numpy()[:, None]).sum(axis=1)
    assert (goal3["national_rank"].to_numpy() == better + 1).all()


def test_low_score_threshold() -> None:
    t = stage_tables()
    th = t["low_score_threshold"].query(f"fiscal_year == {FY} and measure == '合計'").iloc[0]
    bench = t["national_benchmark"].query(f"fiscal_year == {FY} and measure == '合計'").iloc[0]
    assert th["low_threshold"] == pytest.approx((bench["mean_rate"] - 2 * bench["sd"] / 800) * 800)
    nat = t["national_measures"].query(f"fiscal_year == {FY} and measure == '合計'")
    assert th["national_below"] == (nat["points"] < th["low_threshold"]).sum()
    comp = t["score_comparison"].query(f"fiscal_year == {FY} and measure == '合計'")
    below = comp[comp["points"] < th["low_threshold"]]
    assert th["prefecture_below"] == len(below) == comp["below_low_threshold"].sum()


def test_missed_common_items() -> None:
    t = stage_tables()
    missed, scores, bench = t["goal3_missed_items"], t["insurer_scores"], t["national_benchmark"]
    assert len(missed) > 0 and (missed["scoring_rate"] >= 0.5).all()
    joined = missed.merge(scores, on=["fiscal_year", "municipality_code", "indicator", "item"])
    assert len(joined) == len(missed) and (joined["points"] == 0).all()
    stricter = compare.missed_common_items(scores, bench, 0.9)
    assert 0 < len(stricter) < len(missed) and (stricter["scoring_rate"] >= 0.9).all()
    with pytest.raises(ValueError, match="between 0 and 1"):
        compare.missed_common_items(scores, bench, 50)


def test_one_parser_reads_both_layouts_into_the_same_tables(cleaned) -> None:
    older = clean.clean_file(score_samples.older_sample_path(), 2024)
    assert list(older.scores.columns) == list(cleaned.scores.columns)
    assert list(older.benchmark.columns) == list(cleaned.benchmark.columns)
    assert list(older.insurers.columns) == list(cleaned.insurers.columns)
    goal3 = {
        name: set(df.query("fund == '支援' and goal == 'III'")["item"])
        for name, df in (("old", older.scores), ("real", cleaned.scores))
    }
    assert goal3["old"] == goal3["real"]
    # the older layout writes rates in percent: converted, and said so
    assert older.benchmark["scoring_rate"].max() <= 1
    assert older.qa_table()["reason"].str.contains("written in percent").sum() == 2


def test_an_answer_column_ending_in_kei_is_not_a_subtotal(tmp_path: Path, sheet, cleaned) -> None:
    """A 該当状況 column labelled like a total (…の合計) but without 配点 is an answer column."""
    variant = copy.deepcopy(sheet)
    j = variant.column_of(lambda c: c.kind == "answer" and c.label == "回答1")
    variant.header[ns.HEADER_ROWS - 1][j] = "回答件数の合計"
    result = clean.clean_file(_write(tmp_path, variant), FY)
    assert len(result.benchmark) == len(cleaned.benchmark)
    assert not result.qa_table()["column"].str.contains("回答件数の合計").any()


def test_a_title_that_also_names_another_year_is_accepted(tmp_path: Path, sheet) -> None:
    variant = copy.deepcopy(sheet)
    variant.title = "令和８年度 保険者機能強化推進交付金等 評価結果（令和７年度の取組の状況）"
    assert clean.clean_file(_write(tmp_path, variant), FY).counts["kept"] == 33
    with pytest.raises(InputError, match="the title says 令和8年度"):
        clean.clean_file(_write(tmp_path, variant), 2024)


def test_size_class_and_depopulated_per_insurer(sheet, cleaned) -> None:
    scored = [r for r in sheet.body if r[SERIAL] is not None]
    ins = cleaned.insurers
    assert ins["depopulated"].sum() == sum(r[11] == "○" for r in scored)
    assert sorted(ins["size_class"].unique()) == sorted({str(r[10]) for r in scored})
    assert np.allclose(ins["population"], [r[8] for r in scored])  # 人口 found by its label
    assert ins["previous_rank"].between(1, len(scored)).all()


@pytest.mark.parametrize(
    "value, expected", [("○", True), ("〇", True), ("", False), (None, False), ("×", False), ("－", False)]
)
def test_depopulated_marks(value, expected) -> None:
    from homecare.scores.read import depopulated

    assert depopulated(value) is expected


def _label_in_column_e(v: ns.NationalSheet) -> None:
    for row in v.stats:  # the research only says the labels sit somewhere in E-K
        row[4], row[ns.STAT_LABEL_COLUMN] = row[ns.STAT_LABEL_COLUMN], None


def _header_repeated_not_merged(v: ns.NationalSheet) -> None:
    for r0, c0, r1, c1 in v.merges:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                v.header[r][c] = v.header[r0][c0]
    v.merges = []


def _no_merges(v: ns.NationalSheet) -> None:
    v.merges = []  # values in the top-left cells only, as a file saved without merges


def _no_title(v: ns.NationalSheet) -> None:
    v.title = ""


@pytest.mark.parametrize("change", [_label_in_column_e, _header_repeated_not_merged, _no_merges, _no_title])
def test_layout_variants_read_the_same(tmp_path: Path, sheet, cleaned, change) -> None:
    variant = copy.deepcopy(sheet)
    change(variant)
    result = clean.clean_file(_write(tmp_path, variant), FY)
    pd.testing.assert_frame_equal(result.scores, cleaned.scores)
    pd.testing.assert_frame_equal(result.benchmark, cleaned.benchmark)
    assert result.counts == cleaned.counts


def test_a_goal_given_only_as_its_total_is_not_checked_but_counts(tmp_path: Path, sheet, cleaned) -> None:
    """A file whose 支援 block gives 目標Ⅳ only as Ⅳ合計 (no item columns): the goal total is
    reported as not checkable, and the fund totals still add up."""
    variant = copy.deepcopy(sheet)
    drop = [
        variant.n_ids + k
        for k, c in enumerate(variant.columns)
        if c.kind == "item" and (c.fund, c.goal) == ("支援", "IV")
    ]
    keep = [j for j in range(len(variant.header[1])) if j not in set(drop)]
    for rows in (variant.header, variant.stats, variant.body):
        for i, r in enumerate(rows):
            rows[i] = [r[j] for j in keep]
    new_index = {j: n for n, j in enumerate(keep)}
    variant.merges = [
        (r0, new_index[c0], r1, max(new_index[j] for j in range(c0, c1 + 1) if j in new_index))
        for r0, c0, r1, c1 in variant.merges
        if c0 in new_index
    ]
    result = clean.clean_file(_write(tmp_path, variant), FY)
    qa = result.qa_table()
    assert qa["reason"].str.startswith("no item columns under this total").sum() == 1
    assert not qa["reason"].str.startswith("sum of").any() and not qa["reason"].str.contains("other prefectures:").any()
    iv = result.measures.query("measure == '支援IV'")["points"].to_numpy()
    assert np.allclose(iv, cleaned.measures.query("measure == '支援IV'")["points"])
