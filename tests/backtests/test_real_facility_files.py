"""Back tests on the real published facility files (介護サービス情報公表 national jigyosho_332/540/550,
医療情報ネット hospitals of 神奈川県 2025-12-01), fetched through the catalog with their SHA-256.

Expected numbers are counted here from the raw files with the csv module (not by the adapters)
and, where stated, were measured independently (/work/notes/facilities_real.md, 2026).
"""

from __future__ import annotations

import collections
import csv
from pathlib import Path

import pytest

from homecare.core.qa import Cleaned
from homecare.facilities import geocode, merge
from homecare.reference import catalog
from homecare.stages import facilities as facilities_stage
from homecare.stages.base import Stage

CARE = {"332": "real_jigyosho_332", "540": "real_jigyosho_540", "550": "real_jigyosho_550"}
HOSPITAL = "real_hospital_20251201_kanagawa"
# rows in / in Kanagawa, as published (data/README.md) and measured (facilities_real.md)
SIZES = {"332": (507, 13), "540": (2553, 32), "550": (923, 16), "hospital": (310, 310)}


def _raw(file_id: str) -> list[dict[str, str]]:
    with catalog.path_of(file_id).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _kanagawa_units(file_id: str) -> collections.Counter[str]:
    """Rows per 5-digit unit code of the Kanagawa rows, from the file's own code columns."""
    rows = _raw(file_id)
    if "都道府県コード又は市町村コード" in rows[0]:
        codes = [r["都道府県コード又は市町村コード"][:5] for r in rows]
    else:
        codes = [r["都道府県コード"].zfill(2) + r["市区町村コード"].zfill(3) for r in rows]
    return collections.Counter(c for c in codes if c.startswith("14"))


@pytest.fixture(scope="module")
def paths() -> dict[str, str]:
    return {k: str(catalog.path_of(v)) for k, v in {**CARE, "hospital": HOSPITAL}.items()}


@pytest.fixture(scope="module")
def sources(paths: dict[str, str]) -> merge.Sources:
    return merge.read_sources({"hospital": paths["hospital"]}, [paths[c] for c in CARE])


@pytest.fixture(scope="module")
def facilities(sources: merge.Sources) -> Cleaned:
    return geocode.geocode_facilities(merge.build_merged(sources).table)


@pytest.mark.parametrize("kind", ["332", "540", "550", "hospital"])
def test_each_file_reconciles(sources: merge.Sources, paths: dict[str, str], kind: str) -> None:
    rows_in, kanagawa = SIZES[kind]
    file = next(f for f in sources.per_file if f.endswith(Path(paths[kind]).name))
    counts = sources.per_file[file]
    assert counts.line() == (
        f"rows in {rows_in} = kept {kanagawa} + out of scope {rows_in - kanagawa} + types not selected 0 + quarantined 0"
    )
    assert len(_raw(CARE.get(kind, HOSPITAL))) == rows_in


@pytest.mark.parametrize("kind", ["332", "540", "550", "hospital"])
def test_kanagawa_rows_per_unit_equal_the_files_own_codes(
    facilities: Cleaned, paths: dict[str, str], kind: str
) -> None:
    t = facilities.table
    mine = t[t["source_file"].str.endswith(Path(paths[kind]).name)]
    expected = _kanagawa_units(CARE.get(kind, HOSPITAL))
    assert sum(expected.values()) == SIZES[kind][1]
    assert collections.Counter(mine["municipality_code"]) == expected
    assert mine["area"].notna().all()


def test_no_row_of_another_prefecture_gets_a_kanagawa_code_or_area(facilities: Cleaned) -> None:
    t = facilities.table
    others = set()
    for kind, file_id in CARE.items():
        others |= {
            f"K{kind}-{r['事業所番号']}"
            for r in _raw(file_id)
            if not r["都道府県コード又は市町村コード"].startswith("14")
        }
    assert len(others) == sum(n - k for n, k in (SIZES[c] for c in CARE)) == 3922
    assert not others & set(t["facility_id"])
    assert t["municipality_code"].str.startswith("14").all() and len(t) == 371
    assert not [e for e in facilities.qa if e.action == "excluded"]  # stage 03 sees only rows in scope


def test_out_of_scope_rows_are_one_qa_line_per_file(sources: merge.Sources) -> None:
    lines = sorted(e.reason for e in sources.qa if e.action == "excluded")
    assert lines == sorted(
        f"対象外の都道府県（14 以外）: {n}行（照合・地図・集計に含めない）" for n in (494, 2521, 907)
    )


def test_geocoder_on_the_real_addresses(facilities: Cleaned) -> None:
    t = facilities.table.set_index("name")
    # all 371 at town level; the file's code is kept for every row
    assert (t["match_level"] == "town").all()
    assert (t["municipality_code"] == t["source_municipality_code"]).all()
    # 藤沢市藤沢市高倉: the doubled city read once (it was the town 藤沢, 8.5 km away)
    row = t.loc["一般財団法人同友会藤沢湘南台病院"]
    assert (row["town"], row["municipality_code"]) == ("高倉", "14205")
    # ゆめが丘 (2024) from the gazetteer supplement; its 0.0 coordinates replaced by that point
    rows = t[t.index.str.contains("ゆめが丘総合病院")]
    assert len(rows) == 1
    row = rows.iloc[0]
    assert (row["town"], row["match_level"], row["coord_source"]) == ("ゆめが丘", "town", "geocoded")


def test_capacity_zero_is_unknown(facilities: Cleaned) -> None:
    t = facilities.table
    known = t[t["capacity"].notna()].groupby("facility_type")["capacity"].agg(["size", "sum"])
    # Kanagawa rows with a usable 定員 (> 0): 332 6 of 13, 540 10 of 32, 550 5 of 16; every hospital
    assert known.loc["332"].tolist() == [6, 420.0]
    assert known.loc["540"].tolist() == [10, 250.0]
    assert known.loc["550"].tolist() == [5, 285.0]
    assert known.loc["hospital"].tolist() == [310, 68995.0]


def test_stage_prints_the_reconciliation_of_each_real_file(
    paths: dict[str, str], isolated_dirs: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    stage = Stage("02_facilities", isolated_dirs["outputs"])
    merged = facilities_stage.read_and_merge(
        stage, {"hospital": paths["hospital"], "clinic": ""}, [paths[c] for c in CARE], ["hospital", *CARE]
    )
    facilities_stage.write_merged(stage, merged, "2026-04-01")
    out = capsys.readouterr().out
    assert "jigyosho_540.csv (utf-8-sig): rows in 2553 = kept 32 + out of scope 2521" in out
    assert "kanagawa_reconstructed.csv (utf-8): rows in 310 = kept 310 + out of scope 0" in out
    assert "02_facilities: rows in 4293 = kept 371 + out of scope 3922 + types not selected 0 + quarantined 0" in out
