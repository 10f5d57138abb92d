"""The 届出受理医療機関名簿 adapter on the real 関東信越厚生局 file for 山梨県 (令和7年9月1日現在),
read through the catalog (SHA-256 checked). Expected numbers were measured on the file itself
(notes: 4,857 data rows, 630 institutions, 77 without notification, 6 exact duplicate rows;
支援診２ 24, 支援診３ 51, 支援病１ 1, 支援病２ 5, 支援病３ 8, 在後病 5)."""

from __future__ import annotations

from datetime import date

import pytest

from homecare.home_medical.read_notifications import read_notification_list
from homecare.reference import catalog

FILE_ID = "real_todokede_ika_yamanashi_r0710"


@pytest.fixture(scope="module")
def yamanashi():
    return read_notification_list(catalog.path_of(FILE_ID), prefecture="19")


def test_rows_reconcile(yamanashi):
    c = yamanashi.counts
    assert c.ok
    assert c.rows_in == 4857
    assert c.kept == 4774
    assert dict(c.excluded) == {
        "institution-only rows (no notification)": 77,
        "備考 detail rows (merged into their notification)": 0,
        "exact duplicate rows": 6,
        "repeated notification rows (merged)": 0,
        "other prefectures": 0,
        "other 区分 (not 医科)": 0,
        "blank rows": 0,
    }
    assert c.quarantined == 0
    assert c.line() == (
        "rows in 4857 = kept 4774 + institution-only rows (no notification) 77 + 備考 detail rows (merged into "
        "their notification) 0 + exact duplicate rows 6 + repeated notification rows (merged) 0 + other prefectures 0 "
        "+ other 区分 (not 医科) 0 + blank rows 0 + quarantined 0"
    )


def test_date_institutions_and_supply_by_type(yamanashi):
    assert yamanashi.as_of == date(2025, 9, 1)
    inst = yamanashi.institutions
    assert len(inst) == 630 and inst["institution_number"].is_unique
    assert int((inst["n_notifications"] > 0).sum()) == 553
    assert inst["support_clinic_type"].value_counts().to_dict() == {"": 555, "conventional": 51, "enhanced_linked": 24}
    assert inst["support_hospital_type"].value_counts().to_dict() == {
        "": 616,
        "conventional": 8,
        "enhanced_linked": 5,
        "enhanced_single": 1,
    }
    assert int(inst["backup_hospital"].sum()) == 5
    assert ((inst["support_hospital_type"] != "") & inst["backup_hospital"]).sum() == 0
    assert set(inst["institution_code"].str[:3]) == {"191"}


def test_lookalikes_are_not_supply_and_no_symbol_is_unknown(yamanashi):
    notes = yamanashi.notifications
    kinds = notes.groupby("kind")["symbol"].apply(set)
    assert {"在医総管１", "在宅ＤＸ", "在総", "在緩診実", "在診実１"} <= kinds["lookalike"]
    assert kinds["supply"] == {"支援診２", "支援診３", "支援病１", "支援病２", "支援病３", "在後病"}
    assert "unknown" not in kinds.index
    assert yamanashi.qa == []


def test_acceptance_number_is_not_a_key(yamanashi):
    notes = yamanashi.notifications
    first = notes[(notes["institution_number"] == "0104163") & (notes["acceptance_number"] == "第1号")]
    assert {"導入１", "運Ⅰ", "肢梢"} <= set(first["symbol"])
    # the ward-by-ward rows of one type are separate notifications (回３ 第2-5号 at 0112984)
    wards = notes[(notes["institution_number"] == "0112984") & (notes["symbol"] == "回３")]
    assert sorted(wards["acceptance_number"]) == ["第2号", "第3号", "第4号", "第5号"]


def test_start_dates_are_iso_and_the_file_is_out_of_scope_for_kanagawa(yamanashi):
    starts = yamanashi.notifications["start_date"]
    assert (starts.str.match(r"^\d{4}-\d{2}-\d{2}$")).all()
    assert starts.min() == "1958-10-01"  # 昭和33年10月 1日
    kanagawa = read_notification_list(catalog.path_of(FILE_ID), prefecture="14")
    assert kanagawa.counts.ok and dict(kanagawa.counts.excluded)["other prefectures"] == 4857
    assert kanagawa.institutions.empty
