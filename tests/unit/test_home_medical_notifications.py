"""The 届出受理医療機関名簿 adapter: header by text, 和暦 dates, institutions and their notifications,
備考 detail rows, duplicates, other prefectures, unknown symbols, reconciliation."""

from __future__ import annotations

from datetime import date

import pytest
from home_medical_fixtures import list_row, write_list

from homecare.core.dates import parse_as_of_date, parse_era_date
from homecare.core.errors import InputError
from homecare.home_medical import symbols
from homecare.home_medical.read_notifications import read_notification_list

SAMPLE = "data/raw/sample/home_medical/14_todokede_ika_kanagawa_sample.xlsx"


def excluded(counts, label: str) -> int:
    return dict(counts.excluded)[label]


def test_as_of_date_is_the_one_before_genzai_not_the_creation_date():
    text = "[令和７年９月１日 現在 ]令和７年１０月２日作成 全医療機関出力"
    assert parse_as_of_date(text) == date(2025, 9, 1)
    assert parse_as_of_date("令和７年１０月２日作成") is None
    assert parse_as_of_date("[令和元年５月１日現在]") == date(2019, 5, 1)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("平成24年 4月 1日", date(2012, 4, 1)),
        ("令和 6年 6月 1日", date(2024, 6, 1)),
        ("令和元年12月 1日", date(2019, 12, 1)),
        ("平成元年 4月 1日", date(1989, 4, 1)),
        ("昭和33年10月 1日", date(1958, 10, 1)),
        ("令和６年６月１日", date(2024, 6, 1)),
    ],
)
def test_start_dates_as_the_list_writes_them(written, expected):
    assert parse_era_date(written) == expected


def test_symbol_map_types_prefixes_and_lookalikes():
    table = symbols.load_symbols()
    clinic = "別添１の「第９」の１の(２)に規定する在宅療養支援診療所"
    assert symbols.classify("支援診２", clinic, table).symbol.support_type == "enhanced_linked"
    assert symbols.classify("支援診２ア", clinic, table).symbol.support_type == "enhanced_linked"  # 令和8年
    assert symbols.classify("支援診2イ", clinic, table).symbol.support_type == "enhanced_linked"  # ASCII digit
    assert symbols.classify("支援病１", "在宅療養支援病院", table).symbol.support_type == "enhanced_single"
    assert symbols.classify("支援診３", clinic, table).symbol.support_type == "conventional"
    assert symbols.classify("在後病", "在宅療養後方支援病院", table).symbol.category == "backup_hospital"
    for lookalike in ("在医総管１", "在宅ＤＸ", "歯援診", "在総", "在緩診実"):
        assert symbols.classify(lookalike, "", table).kind == "lookalike", lookalike
    assert symbols.classify("支援診４", "…に規定する在宅療養支援診療所", table).kind == "unknown"
    assert symbols.classify("在褥管", "在宅患者訪問褥瘡管理指導料", table).kind == "unknown"
    assert symbols.classify("医療ＤＸ", "医療ＤＸ推進体制整備加算", table).kind == "other"
    assert symbols.classify("両立支援", "療養・就労両立支援指導料の注３に規定する相談支援加算", table).kind == "other"


def test_institutions_notifications_and_reconciliation(tmp_path):
    rows = [
        list_row("0100011", symbol="支援診２", serial="1"),
        list_row("0100011", symbol="在医総管１", notification="在宅時医学総合管理料", serial="1"),
        list_row("0100011", symbol="医療ＤＸ", notification="医療ＤＸ推進体制整備加算", serial="1"),
        list_row("0100029", name="いろは医院", serial="2"),  # no notification
        list_row("0200014", name="にじ病院", symbol="支援病３", serial="3"),
        list_row("0300017", name="ほし診療所", symbol="支援診２ア", serial="4"),
        list_row("0400011", name="つき診療所", symbol="支援診３", started="令和元年 5月 1日", serial="5"),
    ]
    lst = read_notification_list(write_list(tmp_path / "list.xlsx", rows))
    assert lst.as_of == date(2025, 9, 1)
    assert lst.counts.ok and lst.counts.rows_in == 7
    assert lst.counts.kept == 6
    assert excluded(lst.counts, "institution-only rows (no notification)") == 1
    inst = lst.institutions.set_index("institution_number")
    assert list(inst.index) == ["0100011", "0100029", "0200014", "0300017", "0400011"]
    assert inst.at["0100011", "support_clinic_type"] == "enhanced_linked"
    assert inst.at["0100011", "n_notifications"] == 3
    assert inst.at["0100011", "institution_code"] == "1410100011"
    assert inst.at["0100029", "n_notifications"] == 0
    assert inst.at["0200014", "support_hospital_type"] == "conventional"
    assert inst.at["0300017", "support_clinic_type"] == "enhanced_linked"
    assert inst.at["0400011", "support_start_date"] == "2019-05-01"
    assert lst.qa == []


def test_remark_detail_rows_belong_to_the_notification_they_repeat(tmp_path):
    def ward(**kw):  # rows of one hospital's 一般病棟入院基本料 (第5号) unless said otherwise
        return list_row(
            "0100011",
            name="にじ病院",
            **{"symbol": "一般入院", "notification": "一般病棟入院基本料", "accepted": "第5号", **kw},
        )

    rows = [
        ward(),
        ward(remark=("病棟数", "2")),
        ward(remark=("病床数", "120")),
        ward(accepted="第6号"),  # another ward of the same type: another 受理番号, another notification
        # a notification given only as detail rows: its first row is the notification
        ward(symbol="地包ケア２", notification="", accepted="第7号", remark=("病床数", "45")),
        ward(symbol="地包ケア２", notification="", accepted="第7号", remark=("病棟数", "1")),
        ward(symbol="支援病２", notification="", accepted="第1号"),
        ward(symbol="支援病２", notification="", accepted="第1号", remark=("区分", "連携")),
    ]
    lst = read_notification_list(write_list(tmp_path / "list.xlsx", rows))
    notes = lst.notifications.set_index(["symbol", "acceptance_number"])
    assert len(notes) == 4
    assert notes.loc[("一般入院", "第5号"), "details"] == "病棟数：2; 病床数：120"
    assert notes.loc[("一般入院", "第5号"), "n_detail_rows"] == 2
    assert notes.loc[("一般入院", "第6号"), "details"] == ""
    assert notes.loc[("地包ケア２", "第7号"), "details"] == "病床数：45; 病棟数：1"
    assert excluded(lst.counts, "備考 detail rows (merged into their notification)") == 4
    assert lst.counts.rows_in == 8 and lst.counts.kept == 4 and lst.counts.ok
    inst = lst.institutions.iloc[0]
    assert inst["support_hospital_type"] == "enhanced_linked" and inst["supply_symbols"] == "支援病２"


def test_exact_duplicates_other_prefectures_and_broken_numbers(tmp_path):
    clinic = list_row("0100011", symbol="支援診３")
    dx = list_row("0100011", symbol="医療ＤＸ", notification="医療ＤＸ推進体制整備加算")
    other_phone = list(dx)
    other_phone[10] = "045-999-9999"  # same notification, not an exact copy
    rows = [
        clinic,
        list(clinic),  # the same row twice: not a new notification
        dx,
        other_phone,
        list_row("0500019", pref="13", name="東京在宅クリニック", address="町田市原町田６－１－１", symbol="支援診１"),
        list_row("0500027", pref="19", name="甲府在宅クリニック", address="甲府市丸の内１－１－１", symbol="支援診２"),
        list_row("12345", name="番号の壊れた医院", symbol="支援診３"),
        list_row("0600010", pref="", name="県の空欄", symbol="支援診３"),
    ]
    lst = read_notification_list(write_list(tmp_path / "list.xlsx", rows))
    assert lst.counts.ok and lst.counts.rows_in == 8
    assert excluded(lst.counts, "exact duplicate rows") == 1
    assert excluded(lst.counts, "repeated notification rows (merged)") == 1
    assert excluded(lst.counts, "other prefectures") == 2
    assert lst.counts.quarantined == 2 and lst.counts.kept == 2
    assert list(lst.institutions["institution_number"]) == ["0100011"]  # 東京・山梨 never counted
    assert (lst.institutions["support_clinic_type"] != "").sum() == 1
    broken = [e for e in lst.qa if e.action == "quarantined"]
    assert [(e.row, e.column, e.value) for e in broken] == [(11, "医療機関番号", "12345"), (12, "都道府県コード", "")]
    merged = [e for e in lst.qa if e.action == "merged"]
    assert len(merged) == 1 and merged[0].row == 8


def test_scope_by_prefecture_parameter(tmp_path):
    rows = [
        list_row("0100011", pref="19", symbol="支援診３"),
        list_row("0100029", pref="14", symbol="支援診２"),
    ]
    path = write_list(tmp_path / "list.xlsx", rows)
    yamanashi = read_notification_list(path, prefecture=19)
    assert list(yamanashi.institutions["institution_number"]) == ["0100011"]
    assert yamanashi.institutions.at[0, "institution_code"] == "1910100011"
    assert excluded(yamanashi.counts, "other prefectures") == 1
    with pytest.raises(InputError, match="2-digit"):
        read_notification_list(path, prefecture="kanagawa")


def test_unknown_home_care_symbol_is_a_qa_entry_never_a_silent_drop(tmp_path):
    rows = [
        list_row("0100011", symbol="支援診４", notification="別添１の「第９」の１の(４)に規定する在宅療養支援診療所"),
        list_row("0100011", symbol="在医総管１", notification="在宅時医学総合管理料"),
        list_row("0100029", symbol="支援診２", notification="在宅時医学総合管理料"),  # symbol and name disagree
    ]
    lst = read_notification_list(write_list(tmp_path / "list.xlsx", rows))
    unknown = [e for e in lst.qa if "未登録の受理記号" in e.reason]
    assert [(e.row, e.value) for e in unknown] == [
        (5, "支援診4（別添１の「第９」の１の(４)に規定する在宅療養支援診療所）")
    ]
    assert unknown[0].action == "kept"
    inst = lst.institutions.set_index("institution_number")
    assert inst.at["0100011", "support_clinic_type"] == ""  # not counted as supply
    note = lst.notifications.set_index("symbol").loc["支援診４"]
    assert note["kind"] == "unknown"  # the notification itself is kept
    assert any("受理届出名称に「在宅療養支援診療所」がない" in e.reason and e.row == 7 for e in lst.qa)
    assert inst.at["0100029", "support_clinic_type"] == "enhanced_linked"  # counted by its symbol, flagged


def test_header_found_by_text_on_another_row_and_bad_files(tmp_path):
    rows = [list_row("0100011", symbol="支援診３")]
    lst = read_notification_list(write_list(tmp_path / "moved.xlsx", rows, header_row=6))
    assert len(lst.institutions) == 1 and lst.qa == []
    undated = read_notification_list(write_list(tmp_path / "undated.xlsx", rows, top="全医療機関出力"))
    assert undated.as_of is None and any("現在" in e.reason for e in undated.qa)
    (tmp_path / "empty.xlsx").write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        read_notification_list(tmp_path / "empty.xlsx")
    (tmp_path / "text.xlsx").write_text("項番,医療機関番号\n", encoding="utf-8")
    with pytest.raises(InputError, match="not an Excel .xlsx workbook"):
        read_notification_list(tmp_path / "text.xlsx")
    (tmp_path / "cut.xls").write_bytes(b"\xd0\xcf\x11\xe0 a truncated old .xls")  # not a zip: calamine refuses it
    with pytest.raises(InputError, match="cannot be read as an Excel workbook"):
        read_notification_list(tmp_path / "cut.xls")


def test_missing_column_names_the_column(tmp_path):
    from openpyxl import load_workbook

    path = write_list(tmp_path / "list.xlsx", [list_row("0100011", symbol="支援診３")])
    wb = load_workbook(path)
    wb.active.cell(row=4, column=17, value="開始日")  # 算定開始年月日 renamed
    wb.save(path)
    with pytest.raises(InputError, match="算定開始年月日") as err:
        read_notification_list(path)
    assert err.value.row == 4 and err.value.sheet == "Sheet1"


def test_committed_sample_reconciles_with_every_case():
    lst = read_notification_list(SAMPLE)
    c = lst.counts
    assert c.ok and lst.as_of == date(2025, 9, 1)
    assert excluded(c, "other prefectures") == 6
    assert excluded(c, "exact duplicate rows") == 2
    assert excluded(c, "repeated notification rows (merged)") == 1
    assert excluded(c, "備考 detail rows (merged into their notification)") > 0
    assert c.quarantined == 1
    inst = lst.institutions
    assert set(inst["prefecture_code"]) == {"14"}
    assert inst["institution_number"].is_unique
    assert {e.value.split("（")[0] for e in lst.qa if "未登録" in e.reason} == {"支援診4", "在褥管"}
    assert (
        lst.notifications["symbol"].str.startswith("支援診２ア")
        | lst.notifications["symbol"].str.startswith("支援診２イ")
    ).any()
