"""The index page in a real headless browser: it loads with no network request, the map of
the 58 units draws, and clicking a unit shows its panel."""

from __future__ import annotations

import pandas as pd
from figure_fixtures import facilities, goal3_summary, population

from browser import open_page
from homecare.publish import index, unit_profile
from homecare.publish.tables import write_table
from homecare.reference import areas, geo


def _run_folder(tmp_path):
    out = tmp_path / "run"
    write_table(
        areas.members_table(areas.load_scheme()),
        out,
        "00_area_members_secondary_medical_area",
        title="構成",
        sources=["テスト"],
    )
    scheme, units = areas.load_scheme(), geo.load_units()
    pop = pd.concat([population(units, year=y, seed=y) for y in (2020, 2025, 2040)], ignore_index=True)
    profile = unit_profile.unit_profile_table(
        scheme,
        goal3_summary((2025, 2026)),
        facilities(units, scheme),
        pop,
        fiscal_year=2026,
        base_year=2020,
        population_year=2025,
        target_year=2040,
    )
    write_table(profile, out, "05_unit_profile", title="区市町村の概要", sources=["テスト"], sample=True)
    return index.build_index(out)


def test_page_loads_offline_draws_the_map_and_shows_a_unit(tmp_path):
    page_file = _run_folder(tmp_path)
    row = pd.read_csv(tmp_path / "run" / "tables" / "05_unit_profile.csv", dtype=str, encoding="utf-8-sig")
    tsurumi = row[row["市区町村コード"] == "14101"].iloc[0]
    with open_page(page_file.as_uri()) as page:
        assert page.wait_for("document.querySelectorAll('#unit-map path').length") == 58
        box = page.evaluate(
            "(() => {const r = document.querySelector('path[data-code=\"14101\"]').getBoundingClientRect();"
            " return [r.x + r.width / 2, r.y + r.height / 2];})()"
        )
        page.send("Runtime.evaluate", expression="window.scrollTo(0, 0)")
        page.click(*box)
        panel = page.wait_for(
            "document.getElementById('unit-panel').innerText.includes('鶴見区') && document.getElementById('unit-panel').innerText"
        )
        assert "横浜市鶴見区" in panel and "保険者\t横浜市" in panel
        assert "サンプルデータ（架空の入力から作成・実数ではありません）" in panel  # the table is marked sample
        shown = dict(line.split("\t") for line in panel.splitlines() if "\t" in line)
        for column in (
            "目標III 得点（点、令和8年度）",
            "目標III 全国平均（点）",
            "目標III 県平均（点）",
            "診療所（施設）",
        ):
            assert float(shown[column]) == float(tsurumi[column]), (column, panel)
        assert shown["75歳以上人口（人、2040年）"] == f"{int(tsurumi['75歳以上人口（人、2040年）']):,}"
        assert page.evaluate("document.querySelector('path.selected').getAttribute('data-code')") == "14101"
        requests = [
            e["params"]["request"]["url"] for e in page.events if e.get("method") == "Network.requestWillBeSent"
        ]
    assert requests and all(url.startswith(("file://", "data:")) for url in requests), requests
