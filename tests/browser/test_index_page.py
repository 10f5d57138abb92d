"""The index page in a real headless browser: it loads with no network request, the map of
the 58 units draws, and clicking a unit shows its panel."""

from __future__ import annotations

import pandas as pd

from browser import open_page
from homecare.publish import index
from homecare.publish.tables import write_table
from homecare.reference import areas


def _run_folder(tmp_path):
    out = tmp_path / "run"
    write_table(
        areas.members_table(areas.load_scheme()),
        out,
        "00_area_members_secondary_medical_area",
        title="構成",
        sources=["テスト"],
    )
    profile = pd.DataFrame(
        {
            "区市町村コード": ["14101"],
            "区市町村名": ["横浜市鶴見区"],
            "目標III得点（点）": [79],
            "75歳以上人口 2040年（人）": [48210],
        }
    )
    write_table(profile, out, "05_unit_profile", title="区市町村の概要", sources=["テスト"])
    return index.build_index(out)


def test_page_loads_offline_draws_the_map_and_shows_a_unit(tmp_path):
    page_file = _run_folder(tmp_path)
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
        assert "横浜市鶴見区" in panel and "横浜" in panel and "48,210" in panel and "79" in panel
        assert page.evaluate("document.querySelector('path.selected').getAttribute('data-code')") == "14101"
        requests = [
            e["params"]["request"]["url"] for e in page.events if e.get("method") == "Network.requestWillBeSent"
        ]
    assert requests and all(url.startswith(("file://", "data:")) for url in requests), requests
