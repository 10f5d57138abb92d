"""Small synthetic inputs for the figure tests (not sample data files: built in memory)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from homecare.reference import areas, geo, municipalities


@pytest.fixture(autouse=True)
def _isolated_processed(tmp_path, monkeypatch):
    """Never read or write the real data/processed from a figure test."""
    monkeypatch.setenv("HOMECARE_PROCESSED_DIR", str(tmp_path / "processed"))


@pytest.fixture(scope="module", name="scheme")
def scheme_fixture():
    """The default area scheme (二次保健医療圏); import ``scheme_fixture`` to use ``scheme``."""
    return areas.load_scheme()


@pytest.fixture(scope="module", name="units")
def units_fixture():
    """The 58 unit polygons; import ``units_fixture`` to use ``units``."""
    return geo.load_units()


GOAL3_INDICATORS = [
    ("体制・取組指標群", "在宅医療・介護連携に関する課題・対応策の検討", 26),
    ("体制・取組指標群", "在宅医療・介護連携の具体的取組状況", 21),
    ("体制・取組指標群", "医療・介護関係者間の情報共有", 21),
    ("活動指標群", "入退院支援の実施状況", 16),
    ("活動指標群", "人生の最終段階における支援の実施状況", 16),
]


def insurers() -> pd.DataFrame:
    """The 33 insurers: designated cities as the city, the others as themselves."""
    table = municipalities.load_municipalities()
    keep = table[(table["unit_type"] == "designated_city") | ((table["is_unit"]) & (table["parent_code"] == ""))]
    return keep[["municipality_code", "name"]].rename(columns={"name": "municipality_name"}).reset_index(drop=True)


def goal3_by_indicator(years: tuple[int, ...] = (2024, 2025), seed: int = 7) -> pd.DataFrame:
    """Points per insurer, year and indicator (0 <= points <= max, whole points)."""
    rng = np.random.default_rng(seed)
    rows = []
    for fy in years:
        for ins in insurers().itertuples():
            for group, indicator, mx in GOAL3_INDICATORS:
                rows.append(
                    (
                        fy,
                        ins.municipality_code,
                        ins.municipality_name,
                        group,
                        indicator,
                        int(rng.integers(0, mx + 1)),
                        mx,
                    )
                )
    df = pd.DataFrame(
        rows,
        columns=[
            "fiscal_year",
            "municipality_code",
            "municipality_name",
            "indicator_group",
            "indicator",
            "points",
            "max_points",
        ],
    )
    # 全国平均 of each indicator: a little below the prefecture's mean
    df["national_mean"] = df.groupby(["fiscal_year", "indicator"])["points"].transform("mean") * 0.95
    return df


def goal3_summary(years: tuple[int, ...] = (2024, 2025), seed: int = 7) -> pd.DataFrame:
    """The goal3_summary contract computed from :func:`goal3_by_indicator`."""
    ind = goal3_by_indicator(years, seed)
    df = ind.groupby(["fiscal_year", "municipality_code", "municipality_name"], as_index=False)[
        ["points", "max_points"]
    ].sum()
    df["points"] = df["points"].astype(float)
    df["pct"] = df["points"] / df["max_points"] * 100
    df["rank"] = df.groupby("fiscal_year")["points"].rank(ascending=False, method="min").astype(int)
    df = df.sort_values(["municipality_code", "fiscal_year"])
    df["change_from_previous"] = df.groupby("municipality_code")["points"].diff()
    df["prefecture_mean"] = df.groupby("fiscal_year")["points"].transform("mean")
    df["national_mean"] = df["fiscal_year"].map(
        ind.drop_duplicates(["fiscal_year", "indicator"]).groupby("fiscal_year")["national_mean"].sum()
    )
    return df.sort_values(["fiscal_year", "municipality_code"]).reset_index(drop=True)


FACILITY_TYPES = {
    "hospital": "病院",
    "clinic": "診療所",
    "130": "訪問看護",
    "510": "介護老人福祉施設",
    "520": "介護老人保健施設",
    "550": "介護医療院",
    "320": "認知症対応型共同生活介護",
    "331": "有料老人ホーム（特定施設）",
    "332": "軽費老人ホーム（特定施設）",
    "540": "地域密着型介護老人福祉施設",
    "430": "居宅介護支援",
    "770": "看護小規模多機能型居宅介護",
}


def facilities(units, scheme, n_per_unit: int = 6, seed: int = 3) -> pd.DataFrame:
    """Facilities at random points inside each unit polygon (EPSG:4326), all types present."""
    rng = np.random.default_rng(seed)
    assign = scheme.assignment().set_index("municipality_code")
    codes = list(FACILITY_TYPES)
    rows = []
    k = 0
    for unit in units.sort_values("municipality_code").itertuples():
        minx, miny, maxx, maxy = unit.geometry.bounds
        placed = 0
        while placed < n_per_unit:
            x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            from shapely.geometry import Point

            if not unit.geometry.contains(Point(x, y)):
                continue
            ftype = codes[k % len(codes)]
            rows.append(
                {
                    "facility_id": f"F{k:05d}",
                    "source": "synthetic",
                    "facility_type": ftype,
                    "facility_type_label": FACILITY_TYPES[ftype],
                    "name": f"施設{k}",
                    "municipality_code": unit.municipality_code,
                    "municipality_name": unit.full_name,
                    "lat": y,
                    "lon": x,
                    "area": assign.at[unit.municipality_code, "area"],
                    "area_scheme": scheme.id,
                    "capacity": float(rng.integers(10, 100)),
                }
            )
            k += 1
            placed += 1
    return pd.DataFrame(rows)


def population(units, year: int = 2025, seed: int = 5) -> pd.DataFrame:
    """Population (男女計) by unit and 5-year age band, in the shape of ``population_by_unit``."""
    from homecare.population.bands import AGE_BANDS

    rng = np.random.default_rng(seed)
    rows = [
        (code, year, "total", band, int(rng.integers(500, 9000)))
        for code in sorted(units["municipality_code"])
        for band in AGE_BANDS
    ]
    return pd.DataFrame(rows, columns=["municipality_code", "year", "sex", "age_band", "population"])


def figure_texts(fig) -> list[str]:
    """Every text drawn on a figure (figure-level, axes titles, labels, annotations, legends)."""
    from matplotlib.text import Text

    return [t.get_text() for t in fig.findobj(Text)]
