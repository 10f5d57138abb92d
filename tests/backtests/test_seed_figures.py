"""Council seed figures (協力医療機関, ICT networks): data checks and their figures."""

from __future__ import annotations

import pandas as pd
import pytest
from figure_fixtures import _isolated_processed, figure_texts  # noqa: F401  fixture

from homecare.core.errors import InputError
from homecare.core.labels import SAMPLE_LABEL
from homecare.figures import cooperation, ict, style
from homecare.reference import areas, geo, seed


def test_cooperation_rows_add_up_and_printed_other_total_is_reported():
    status = seed.load_cooperation_status()
    df = status.data
    assert len(df) == 6
    assert (df["facility_count"] == df["all_requirements"] + df["some_requirements"] + df["other"]).all()
    assert df["facility_count"].sum() == 446
    assert df["all_requirements"].sum() == 306
    assert df["some_requirements"].sum() == 83
    # the material prints その他 計 38, but its rows add to 57 (老健 17 + 介護医療院 2 left out)
    assert df["other"].sum() == 57
    assert 306 + 83 + 38 != 446
    assert status.discrepancies == ("資料の計のその他は38だが、施設種別の合計は57",)


def test_cooperation_blanks_are_zero_with_a_note():
    df = seed.load_cooperation_status().data.set_index("facility_type")
    for ftype, col in [
        ("介護老人保健施設", "some_requirements"),
        ("介護医療院", "some_requirements"),
        ("軽費老人ホーム", "other"),
    ]:
        assert df.at[ftype, col] == 0
        assert "空欄" in df.at[ftype, "note"]
    assert set(df["obligation"]) == {"義務化", "努力義務"}


def _seed_copy_with(tmp_path, monkeypatch, filename: str, old: str, new: str) -> None:
    """Point the seed loaders at a copy of the seed folder's ``filename`` with ``old`` replaced."""
    folder = tmp_path / "seed"
    folder.mkdir()
    text = (seed.seed_dir() / filename).read_text(encoding="utf-8")
    assert old in text
    (folder / filename).write_text(text.replace(old, new), encoding="utf-8")
    monkeypatch.setattr(seed, "seed_dir", lambda: folder)


def test_cooperation_row_that_does_not_add_up_is_an_input_error(tmp_path, monkeypatch):
    _seed_copy_with(
        tmp_path, monkeypatch, seed.COOPERATION_FILE, "介護老人福祉施設,義務化,151,95", "介護老人福祉施設,義務化,151,96"
    )
    with pytest.raises(InputError) as err:
        seed.load_cooperation_status()
    assert err.value.row == 2 and err.value.column == "facility_count"


def test_ict_networks_totals_and_unreported_types():
    df = seed.load_ict_networks().data
    totals = df.groupby("network", sort=False)["participants"].sum()
    assert totals.to_dict() == {"サルビアねっと": 244, "さくらネット": 232, "medical B.I.G net": 114}
    big = df[df["network"] == "medical B.I.G net"]
    assert "薬局" not in set(big["participant_type"]) and "歯科診療所" not in set(big["participant_type"])
    assert big["residents"].isna().all()
    assert int(df.loc[df["network"] == "サルビアねっと", "residents"].iloc[0]) == 25650


def test_ict_coverage_units_and_verify_marks():
    cov = seed.load_ict_coverage().data
    salvia = cov[cov["network"] == "サルビアねっと"]
    assert sorted(salvia["municipality_name"]) == sorted(
        ["横浜市鶴見区", "横浜市神奈川区", "横浜市港北区", "横浜市西区"]
    )
    assert set(salvia["basis"]) == {"seed"}
    verify = cov[cov["basis"] == "verify"]
    assert set(verify["coverage_as_printed"]) == {"横浜南西部～南部"}
    assert verify["municipality_code"].str.startswith("141").all()  # Yokohama wards only
    # 湘南東部 is covered by two networks
    shonan = cov[cov["coverage_as_printed"] == "湘南東部"]
    assert set(shonan["network"]) == {"さくらネット", "medical B.I.G net"}


def test_cooperation_figure_and_table(tmp_path):
    status = seed.load_cooperation_status()
    table = cooperation.cooperation_table(status.data)
    total = table.iloc[-1]
    assert total["施設数（施設）"] == 446 and total["その他（施設）"] == 57
    assert table.loc[0, "全要件（%）"] == 62.9  # as printed in the material
    fig = cooperation.plot_cooperation_status(status.data, discrepancies=status.discrepancies)
    texts = figure_texts(fig)
    assert "95（62.9%）" in texts
    assert "151施設（その他4）" in texts  # segment too thin to label inside
    assert not any(SAMPLE_LABEL in t for t in texts)  # real council figures: no sample mark
    assert any("38だが" in t for t in texts)
    paths = style.save_figure(fig, tmp_path, "coop")
    assert (tmp_path / "figures" / "coop.png").is_file() and "svg" in paths


def test_ict_figures(tmp_path):
    scheme = areas.load_scheme()
    networks = seed.load_ict_networks().data
    table = ict.ict_participants_table(networks)
    assert table["参加施設数 計（施設）"].tolist() == [244, 232, 114]
    assert pd.isna(table.loc[2, "薬局（施設）"])
    shown = dict(zip(table["ネットワーク"], table["参加住民数（人）"], strict=True))
    fig = ict.plot_ict_participants(networks, shown)
    texts = figure_texts(fig)
    assert "記載なし" in texts and "117" in texts
    assert any("参加住民25,650人" in t for t in texts)
    style.save_figure(fig, tmp_path, "ict_participants")
    coverage = seed.load_ict_coverage().data
    cover = ict.ict_coverage_table(coverage, scheme)
    assert len(cover) == len(coverage) and cover["二次保健医療圏"].notna().all()
    fig = ict.plot_ict_coverage_map(coverage, geo.load_units(), scheme, geo.load_prefectures())
    texts = figure_texts(fig)
    assert any("国土数値情報" in t for t in texts)  # N03 credit on maps
    assert any("要確認" in t for t in texts)
    style.save_figure(fig, tmp_path, "ict_coverage_map")


def test_ict_row_that_does_not_add_up_is_an_input_error(tmp_path, monkeypatch):
    _seed_copy_with(tmp_path, monkeypatch, seed.ICT_NETWORKS_FILE, ",244,25650,", ",245,25650,")
    with pytest.raises(InputError) as err:
        seed.load_ict_networks()
    assert err.value.row == 2 and err.value.column == "total_as_printed" and err.value.value == "サルビアねっと"
