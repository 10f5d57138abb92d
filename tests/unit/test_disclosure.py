"""Disclosure control: small person counts withheld (primary), totals cannot reveal them
(secondary), facility counts and population untouched, rules read from the data file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from homecare.core import provenance
from homecare.core.errors import ReferenceDataError
from homecare.publish import disclosure
from homecare.publish.disclosure import DisclosureRules, suppress_small_counts

RULES = DisclosureRules()


def test_primary_suppression_only_person_counts() -> None:
    df = pd.DataFrame(
        {
            "圏域": ["横浜", "川崎", "県西"],
            "参加住民数（人）": [25650, 3, 0],
            "参加施設数（か所）": [244, 2, 1],
            "人口（人）": [3700000, 1500000, 5],
        }
    )
    out = suppress_small_counts(df)
    assert out.table["参加住民数（人）"].tolist() == [25650, "<10", 0], "0 is shown (suppress_zero false)"
    assert out.table["参加施設数（か所）"].tolist() == [244, 2, 1], "facility counts are never suppressed"
    assert out.table["人口（人）"].tolist() == [3700000, 1500000, 5]
    assert out.primary == [(1, "参加住民数（人）")] and out.secondary == []
    assert df["参加住民数（人）"].tolist() == [25650, 3, 0], "the input frame is not modified"


def test_secondary_suppression_through_total_row() -> None:
    df = pd.DataFrame({"圏域": ["A", "B", "C", "県計"], "利用者数（人）": [4, 30, 50, 84]})
    out = suppress_small_counts(df, total_row=("圏域", "県計"))
    assert out.table["利用者数（人）"].tolist() == ["<10", "x", 50, 84]
    assert out.secondary == [(1, "利用者数（人）")], "the smallest other cell is withheld"
    # not a lone withheld cell any more: 84 - 50 gives only the sum of A and B
    shown = [v for v in out.table["利用者数（人）"][:3] if isinstance(v, int)]
    assert len(shown) == 1


def test_secondary_suppression_in_rows_and_columns() -> None:
    df = pd.DataFrame(
        {
            "区市町村": ["a", "b", "c", "計"],
            "男性患者数（人）": [5, 20, 30, 55],
            "女性患者数（人）": [12, 25, 40, 77],
            "患者数計（人）": [17, 45, 70, 132],
        }
    )
    out = suppress_small_counts(df, total_row=("区市町村", "計"), total_column="患者数計（人）")
    t = out.table
    withheld = {(r, c) for r in range(4) for c in t.columns[1:] if t.at[r, c] in ("<10", "x")}
    assert (0, "男性患者数（人）") in withheld and t.at[0, "男性患者数（人）"] == "<10"
    # every row and every column has zero or at least two withheld cells
    for r in range(4):
        assert sum((r, c) in withheld for c in t.columns[1:]) != 1, f"row {r}"
    for c in t.columns[1:]:
        assert sum((r, c) in withheld for r in range(4)) != 1, c
    assert out.withheld == len(withheld) >= 4


def test_known_column_totals_elsewhere() -> None:
    df = pd.DataFrame({"圏域": ["A", "B"], "利用者数（人）": [3, 40]})
    assert suppress_small_counts(df).table["利用者数（人）"].tolist() == ["<10", 40]
    assert suppress_small_counts(df, known_column_totals=True).table["利用者数（人）"].tolist() == ["<10", "x"]


def test_threshold_zero_and_symbols_configurable() -> None:
    rules = DisclosureRules(threshold=5, primary_symbol="-", secondary_symbol="*", suppress_zero=True)
    df = pd.DataFrame({"k": ["a", "b", "c"], "患者数（人）": [0, 4, 5]})
    assert suppress_small_counts(df, rules=rules).table["患者数（人）"].tolist() == ["-", "-", 5]


def test_misuse_is_an_error() -> None:
    df = pd.DataFrame({"k": ["a", "計"], "施設数（か所）": [1, 1], "患者数（人）": [1, 1]})
    with pytest.raises(ValueError, match="never suppressed"):
        suppress_small_counts(df, ["施設数（か所）"])
    with pytest.raises(ValueError, match="found 0 times"):
        suppress_small_counts(df, total_row=("k", "合計"))
    with pytest.raises(KeyError):
        suppress_small_counts(df, ["なし"])


def test_unsuppressed_small_counts_finds_forgotten_cells() -> None:
    df = pd.DataFrame({"k": ["a", "b"], "患者数（人）": [3, 50], "施設数（か所）": [1, 2]})
    assert disclosure.unsuppressed_small_counts(df) == [("患者数（人）", 1)]
    assert disclosure.unsuppressed_small_counts(suppress_small_counts(df).table) == []


def test_load_rules_from_file_records_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rules = disclosure.load_rules()  # the committed file
    assert rules.threshold == 10 and rules.primary_symbol == "<10" and rules.secondary_symbol == "x"
    monkeypatch.setenv("HOMECARE_ROOT", str(tmp_path))
    f = tmp_path / "rules.yml"
    f.write_text("threshold: 3\n", encoding="utf-8")
    provenance.reset()
    got = disclosure.load_rules(f)
    assert got.threshold == 3 and got.primary_symbol == "<3"
    assert "rules.yml" in provenance.inputs()
    f.write_text("threshold: ten\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="whole number"):
        disclosure.load_rules(f)
    f.write_text("threshhold: 10\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="unknown key"):
        disclosure.load_rules(f)
    provenance.reset()


def test_note_names_threshold_and_symbols() -> None:
    assert "10未満" in disclosure.note(RULES) and "「x」" in disclosure.note(RULES)


def test_check_run_lists_tables_with_small_counts(tmp_path: Path) -> None:
    (tmp_path / "tables").mkdir()
    pd.DataFrame({"k": ["a"], "患者数（人）": [2]}).to_csv(
        tmp_path / "tables" / "bad.csv", index=False, encoding="utf-8-sig"
    )
    pd.DataFrame({"k": ["a"], "患者数（人）": ["<10"]}).to_csv(
        tmp_path / "tables" / "ok.csv", index=False, encoding="utf-8-sig"
    )
    assert disclosure.check_run(tmp_path) == ["bad: column 患者数（人）, row 1"]


def test_ict_participants_table_has_one_person_column() -> None:
    """The published ICT table (notebook 04): residents are people, participating facilities are not."""
    from homecare.figures import ict
    from homecare.reference import seed

    table = ict.ict_participants_table(seed.load_ict_networks().data)
    assert [c for c in table.columns if disclosure.is_person_count(c)] == ["参加住民数（人）"]
    out = suppress_small_counts(table, ["参加住民数（人）"])
    facility_cols = [c for c in table.columns if "施設" in c]
    assert out.table[facility_cols].astype(str).equals(table[facility_cols].astype(str))
