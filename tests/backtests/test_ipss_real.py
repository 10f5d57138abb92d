"""The real IPSS 令和5（2023）年推計 workbook of 神奈川県 (Municipalities/14.xlsx) against published
numbers. No copy of the real file is in the offline mirror yet, so this runs only when
``HOMECARE_IPSS_R5_14`` names one (download it from
https://www.ipss.go.jp/pp-shicyoson/j/shicyoson23/3kekka/Municipalities/14.xlsx): then the
adapter must read it with every check passing and give the 国勢調査 and IPSS totals below."""

from __future__ import annotations

import os

import pytest

from homecare.population import ipss

WORKBOOK = os.environ.get("HOMECARE_IPSS_R5_14", "")
pytestmark = pytest.mark.skipif(not WORKBOOK, reason="set HOMECARE_IPSS_R5_14 to the real Municipalities/14.xlsx")

# 男女計 総数 of the designated cities: 2020 = 国勢調査 (census), later years IPSS (research note ipss_real.md)
ANCHORS = {
    ("14100", 2020): 3_777_491,  # 横浜市
    ("14100", 2025): 3_786_702,
    ("14100", 2050): 3_537_253,
    ("14130", 2020): 1_538_262,  # 川崎市
}


def test_real_workbook_reads_and_gives_the_published_totals() -> None:
    result = ipss.load_ipss(WORKBOOK)
    assert result.counts.ok and result.counts.kept == 58 * 20
    assert result.sheets["designated_city"] == ["14100", "14130", "14150"] and len(result.sheets["unit"]) == 58
    pop = result.population[result.population["sex"] == "total"]
    for (city, year), persons in ANCHORS.items():
        wards = pop[pop["municipality_code"].str.startswith(city[:4]) & (pop["year"] == year)]
        assert wards["population"].sum() == persons, (city, year)
