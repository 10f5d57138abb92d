"""Reading insurer-function results files in the OLDER layout (8-row header, statistics rows
below it): header by labels, statistics rows, sub-items, roman numerals, full-width text,
crosswalk to municipality codes. The real MHLW layout: test_scores_real_layout.py."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from scores_fixtures import body_index, older_variant_2025, score_column

from homecare.core.errors import InputError
from homecare.core.qa import ReconciliationError
from homecare.scores import clean, header
from homecare.scores import indicators as ind
from homecare_dev.samples import scores as score_samples

YEARS = (2024, 2025)
KEY = ["fund", "goal", "indicator_group", "indicator", "item"]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[int, Path]:
    """The committed older-layout fixture (令和6年度) and its 令和7年度 variant, written here."""
    return {2024: score_samples.older_sample_path(), 2025: older_variant_2025(tmp_path_factory.mktemp("older"))}


@pytest.fixture(scope="module")
def cleaned(files) -> dict[int, clean.CleanResult]:
    return {fy: clean.clean_file(files[fy], fy) for fy in YEARS}


def test_committed_older_sample_matches_generator(tmp_path: Path) -> None:
    """The committed older-layout fixture is exactly what the deterministic generator writes."""
    fresh = score_samples.write_xlsx(score_samples.build_sheet(2024), tmp_path / "2024.xlsx")
    assert fresh.read_bytes() == score_samples.older_sample_path().read_bytes()


@pytest.mark.parametrize("fy", YEARS)
def test_sample_parses_to_every_insurer_and_item(cleaned: dict, fy: int) -> None:
    df = cleaned[fy].scores
    n_items = len(score_samples.items())
    assert df["municipality_code"].nunique() == 33
    assert len(df) == 33 * n_items
    assert set(df["fiscal_year"]) == {fy}
    assert df["insurer_number"].str.fullmatch(r"\d{6}").all()  # full-width digits normalised
    goal3 = df[(df["fund"] == "支援") & (df["goal"] == "III")]
    assert goal3.groupby("municipality_code")["max_points"].sum().eq(100).all()
    assert goal3.groupby("municipality_code")["indicator"].nunique().eq(5).all()
    assert (df["points"] <= df["max_points"]).all()


def test_columns_in_different_order_give_the_same_items(cleaned: dict) -> None:
    sheets = {fy: score_samples.build_sheet(fy) for fy in YEARS}
    assert sheets[2024].layout != sheets[2025].layout  # the two years really are laid out differently
    items = {fy: set(map(tuple, cleaned[fy].scores[KEY].drop_duplicates().to_numpy())) for fy in YEARS}
    assert items[2024] == items[2025]


def test_designated_cities_and_name_variants_map_to_codes(cleaned: dict) -> None:
    for fy in YEARS:
        names = (
            cleaned[fy].scores.drop_duplicates("municipality_code").set_index("municipality_code")["municipality_name"]
        )
        assert names["14100"] == "横浜市" and names["14130"] == "川崎市" and names["14150"] == "相模原市"
        assert names["14207"] == "茅ヶ崎市"  # 2025 writes 茅ケ崎市
        assert names["14363"] == "松田町"  # 2025 writes 足柄上郡松田町
        assert not cleaned[fy].scores["municipality_code"].str.match(r"^141[0-5][1-9]$").any()  # no wards


def test_subitem_shown_only_as_circled_number_takes_the_earlier_letter(cleaned: dict) -> None:
    sheet = score_samples.build_sheet(2024)
    row = sheet.header[5]
    j = score_column(sheet, "在宅医療・介護連携の具体的取組状況", "イ②")
    assert row[j] == "②"  # the file shows only ②
    items = set(cleaned[2024].scores.query("indicator == '在宅医療・介護連携の具体的取組状況'")["item"])
    assert items == {"ア", "イ①", "イ②", "イ③", "ウ", "エ"}


def test_reconciliation_adds_up_per_category(cleaned: dict) -> None:
    others = score_samples.OTHERS_BEFORE + score_samples.OTHERS_AFTER
    n_other = sum(scored for *_, scored in others)  # the 広域連合 has no scores
    base = {"kept": 33, "statistics": len(score_samples.STAT_ROWS), "other_prefectures": n_other, "unscored": 1}
    expected = {2024: {**base, "quarantined": 0}, 2025: {**base, "quarantined": 1}}  # 2025: the note row
    for fy in YEARS:
        counts = cleaned[fy].counts
        assert {k: counts[k] for k in expected[fy]} == expected[fy]
        assert counts["rows_read"] == sum(expected[fy].values())
        assert clean.reconciliation(counts).line().startswith(f"rows in {counts['rows_read']} = kept 33")
        qa = cleaned[fy].qa_table()
        assert (qa["action"] == "quarantined").sum() == counts["quarantined"]
        assert qa["reason"].str.startswith("row without any score (広域連合").sum() == counts["unscored"]
        assert qa["reason"].str.startswith("statistics row").sum() == counts["statistics"]
        assert (
            qa["reason"].str.extract(r"other prefecture .*: (\d+) row")[0].dropna().astype(int).sum()
            == counts["other_prefectures"]
        )


def test_reconciliation_rejects_counts_that_do_not_add_up() -> None:
    with pytest.raises(ReconciliationError, match="MISMATCH"):
        clean.reconciliation(
            {"rows_read": 10, "kept": 3, "statistics": 2, "other_prefectures": 4, "unscored": 0, "quarantined": 0}
        )


def test_blank_and_dash_scores_are_zero_with_a_qa_entry(cleaned: dict) -> None:
    for fy in YEARS:
        replaced = cleaned[fy].qa_table().query("action == 'replaced'")
        assert len(replaced) > 0
        assert set(replaced["value"]) <= {"None", "－", ""}


def _write(tmp_path: Path, sheet: score_samples.SampleSheet, name: str = "variant.xlsx", **kw) -> Path:
    return score_samples.write_xlsx(sheet, tmp_path / name, **kw)


def test_header_found_after_shifting(tmp_path: Path, cleaned: dict) -> None:
    sheet = score_samples.build_sheet(2024)
    shifted = clean.clean_file(_write(tmp_path, sheet, top_rows=2), 2024)
    pd.testing.assert_frame_equal(shifted.scores, cleaned[2024].scores)
    assert shifted.counts == cleaned[2024].counts


def test_header_without_merged_cells_is_filled_from_the_left(tmp_path: Path, cleaned: dict) -> None:
    """A file saved without merges has blanks where the merged cells were."""
    sheet = score_samples.build_sheet(2024)
    sheet.merges = []
    result = clean.clean_file(_write(tmp_path, sheet), 2024)
    pd.testing.assert_frame_equal(result.scores, cleaned[2024].scores)


def test_missing_and_extra_statistics_rows_are_tolerated(tmp_path: Path, cleaned: dict) -> None:
    sheet = score_samples.build_sheet(2024)
    label_rows = [i for i, r in enumerate(sheet.body) if r[0] in ("中央値", "標準偏差")]
    for i in reversed(label_rows):
        del sheet.body[i]
    extra = list(sheet.body[0])
    extra[0] = "都道府県平均"  # a label this reader does not know
    sheet.body.insert(1, extra)
    result = clean.clean_file(_write(tmp_path, sheet), 2024)
    assert result.counts["statistics"] == len(score_samples.STAT_ROWS) - 2 + 1
    pd.testing.assert_frame_equal(result.scores, cleaned[2024].scores)


def test_without_a_haiten_row_the_file_cannot_be_read(tmp_path: Path) -> None:
    """Score columns are those with a numeric 配点: without the 配点 row nothing can be scored."""
    sheet = score_samples.build_sheet(2024)
    del sheet.body[next(i for i, r in enumerate(sheet.body) if r[0] == "配点")]
    with pytest.raises(InputError, match="no 配点 row") as exc:
        clean.clean_file(_write(tmp_path, sheet), 2024)
    assert "全国合計" in str(exc.value) and exc.value.row == score_samples.HEADER_ROWS + 1


def test_roman_numerals_in_either_form(tmp_path: Path, cleaned: dict) -> None:
    sheet = score_samples.build_sheet(2024)
    for j, text in enumerate(sheet.header[1]):
        if isinstance(text, str):
            sheet.header[1][j] = text.replace("Ⅲ", "III").replace("Ⅱ", "ＩＩ").replace("Ⅳ", "IV")
    result = clean.clean_file(_write(tmp_path, sheet), 2024)
    pd.testing.assert_frame_equal(result.scores, cleaned[2024].scores)


@pytest.mark.parametrize(
    "text, goal",
    [
        ("目標Ⅲ　在宅医療", "III"),
        ("目標III", "III"),
        ("目標ＩＩＩ 在宅", "III"),
        ("目標Ⅳ", "IV"),
        ("目標I持続", "I"),
        ("目標３", "III"),
        ("評価", None),
    ],
)
def test_goal_labels(text: str, goal: str | None) -> None:
    assert ind.goal_of(text) == goal


@pytest.mark.parametrize(
    "text, label",
    [
        ("ア", ("ア", None)),
        ("イ　①", ("イ", "①")),
        ("イ①", ("イ", "①")),
        ("②", (None, "②")),
        ("（ウ）", ("ウ", None)),
        ("得点", None),
        ("1", None),
    ],
)
def test_item_labels(text: str, label: tuple | None) -> None:
    assert ind.item_label(text) == label


def test_indicator_renamed_slightly_is_matched_by_its_number(tmp_path: Path, cleaned: dict) -> None:
    sheet = score_samples.build_sheet(2024)
    j = score_column(sheet, "医療・介護関係者間の情報共有", "ア")
    sheet.header[4][j] = "医療・介護関係者の情報共有の状況"
    result = clean.clean_file(_write(tmp_path, sheet), 2024)
    pd.testing.assert_frame_equal(result.scores, cleaned[2024].scores)


def test_prefecture_extract_with_only_kanagawa_rows(tmp_path: Path, cleaned: dict) -> None:
    """The per-prefecture extract has the same layout and only the prefecture's rows."""
    sheet = score_samples.build_sheet(2024)
    pref = sheet.layout.index(("id", "都道府県名"))
    sheet.body = [r for r in sheet.body if r[pref] in (None, "神奈川県")]
    result = clean.clean_file(_write(tmp_path, sheet), 2024)
    assert result.counts["other_prefectures"] == 0
    pd.testing.assert_frame_equal(result.scores, cleaned[2024].scores)


def test_the_data_sheet_is_found_among_other_sheets(files) -> None:
    sh = header.read_sheet(files[2025])
    assert sh.name == "市町村別得点" and sh.header_start == 3 and sh.header_end == 10


def test_quarantines_a_kanagawa_row_without_scores(tmp_path: Path) -> None:
    """A 広域連合-like row of the prefecture (no scores) is quarantined, and then its
    municipality is missing: an error, never a silent drop."""
    sheet = score_samples.build_sheet(2024)
    i = body_index(sheet, "清川村")
    sheet.body[i] = [v if kind != "score" else "－" for v, (kind, _) in zip(sheet.body[i], sheet.layout, strict=False)]
    with pytest.raises(Exception, match="missing from the file.*清川村"):
        clean.clean_file(_write(tmp_path, sheet), 2024)


def test_another_layout_as_domain_describes(tmp_path: Path, cleaned: dict) -> None:
    """Unmerged header with the identifier labels in its last row, 目標 as 目標3, numbering
    restarting in each 指標群, 枝番 split over two rows (イ / ①), 配点 as "5点", a title."""
    sheet = score_samples.build_sheet(2024)
    sheet.merges = []
    last = score_samples.HEADER_ROWS - 1
    its = score_samples.items()
    for j, (kind, key) in enumerate(sheet.layout):
        if kind != "score":
            sheet.header[last][j], sheet.header[0][j] = sheet.header[0][j], None
            continue
        it = its[key]
        sheet.header[0][j] = score_samples.FUND_LABELS[it.fund]
        sheet.header[1][j] = f"目標{'１２３４'[ind.GOALS.index(it.goal)]}"
        sheet.header[2][j] = score_samples.GROUP_DISPLAY[it.group]
        first_in_group = min(x.number for x in its if (x.fund, x.goal, x.group) == (it.fund, it.goal, it.group))
        sheet.header[3][j] = f"({it.number - first_in_group + 1})"
        sheet.header[4][j] = it.indicator
        sheet.header[5][j], sheet.header[6][j] = it.item[0], it.item[1:] or None
    haiten = next(r for r in sheet.body if r[0] == "配点")
    for j, (kind, _) in enumerate(sheet.layout):
        if kind == "score":
            haiten[j] = f"{haiten[j]:g}点"
    sheet.title = "令和6年度 評価結果"
    result = clean.clean_file(_write(tmp_path, sheet), 2024)
    pd.testing.assert_frame_equal(result.scores, cleaned[2024].scores)


def test_goal_title_in_its_own_row_above_the_indicator(tmp_path: Path, cleaned: dict) -> None:
    """目標 and its title in two rows: the 指標名 is still the text below the 指標番号."""
    sheet = score_samples.build_sheet(2024)
    sheet.merges = [
        m for m in sheet.merges if m[0] == 1 and m[2] == score_samples.HEADER_ROWS
    ]  # keep identifier merges
    its = score_samples.items()
    for j, (kind, key) in enumerate(sheet.layout):
        if kind != "score":
            continue
        it = its[key]
        column = [
            score_samples.FUND_LABELS[it.fund],
            f"目標{score_samples.ROMAN_DISPLAY[it.goal]}",
            score_samples.GOAL_TITLES[(it.fund, it.goal)],
            score_samples.GROUP_DISPLAY[it.group],
            str(it.number),
            it.indicator,
            it.item,
            "得点",
        ]
        for r, text in enumerate(column):
            sheet.header[r][j] = text
    result = clean.clean_file(_write(tmp_path, sheet), 2024)
    pd.testing.assert_frame_equal(result.scores, cleaned[2024].scores)


def test_prefecture_name_merged_down_or_blank(tmp_path: Path, cleaned: dict) -> None:
    """都道府県名 written once and merged down over the prefecture's rows, or left blank with
    the 都道府県番号 filled in: the rows still belong to the prefecture."""
    sheet = score_samples.build_sheet(2024)
    pref, code = sheet.layout.index(("id", "都道府県名")), sheet.layout.index(("id", "都道府県番号"))
    rows = [i for i, r in enumerate(sheet.body) if r[pref] == "神奈川県"]
    for i in rows[1:]:
        sheet.body[i][pref] = None
    for i in rows[:-1]:
        sheet.body[i][code] = None  # only the merge says 神奈川県 for these
    top = score_samples.HEADER_ROWS + 1
    sheet.merges.append((top + rows[0], pref + 1, top + rows[-2], pref + 1))  # the last row: blank, code only
    result = clean.clean_file(_write(tmp_path, sheet), 2024)
    pd.testing.assert_frame_equal(result.scores, cleaned[2024].scores)
    assert sheet.body[rows[-1]][code] == "14"


@pytest.mark.parametrize(
    "texts, name",
    [
        (["通し番号"], "serial"),
        (["通し\n番号"], "serial"),
        (["第１号被保険者数"], "first_insured"),
        (["市区町村名"], "municipality_name"),
        (["保険者名"], "municipality_name"),
        (["保険者番"], None),
        (["推進合計"], None),
    ],
)
def test_identifier_labels(texts: list[str], name: str | None) -> None:
    assert header._id_name([ind.normalise(t) for t in texts]) == name
