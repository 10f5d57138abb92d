"""Map drawing benchmark (地図の描画): ``make bench`` / ``python -m homecare_dev.bench maps``.

Draws the 病院・診療所 facility map of stage 05
(:func:`homecare.figures.facilities.plot_facility_map`, two panels) at national scale: 100,000
facilities, 8% hospitals and 92% clinics as in Japan (about 8,000 and 100,000), placed at the
gazetteer's town points, and saves it as 300 dpi PNG and SVG through
:func:`homecare.figures.style.save_figure`. Compares, in the same process and interleaved: the
figures' own canvas (no idle redraw after each geopandas layer) against matplotlib's Agg
canvas (geopandas redraws the whole figure after every layer, as before issue 16), and the SVG
size with the layers of more than :data:`homecare.figures.maps.RASTER_POINTS` markers
rasterised against all vector. CPU seconds of this process, medians of the runs. Printed,
never asserted.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from homecare.facilities.gazetteer import load_town_points
from homecare.figures import backend, facilities, maps
from homecare.figures import style as house_style
from homecare.reference import areas, geo

POINTS = 100_000
HOSPITAL_SHARE = 0.08
GROUPS = facilities.MAP_SETS["hospital_clinic"]
RUNS = 3


def synthetic_facilities(n: int = POINTS, seed: int = 16) -> pd.DataFrame:
    """``n`` hospitals and clinics at town points (jittered by about 200 m)."""
    rng = np.random.default_rng(seed)
    towns = load_town_points().dropna(subset=["lat", "lon"]).reset_index(drop=True)
    pick = rng.integers(0, len(towns), n)
    of_group = facilities.group_of_type()
    hospital = sorted(t for t, g in of_group.items() if g == "病院")
    clinic = sorted(t for t, g in of_group.items() if g == "診療所")
    return pd.DataFrame(
        {
            "facility_id": [f"B{i:06d}" for i in range(n)],
            "facility_type": np.where(rng.random(n) < HOSPITAL_SHARE, rng.choice(hospital, n), rng.choice(clinic, n)),
            "is_primary": True,
            "municipality_code": towns["municipality_code"].to_numpy()[pick],
            "lat": towns["lat"].to_numpy()[pick] + rng.uniform(-0.002, 0.002, n),
            "lon": towns["lon"].to_numpy()[pick] + rng.uniform(-0.002, 0.002, n),
        }
    )


def _draw(data: pd.DataFrame, *, redraws: bool, folder: Path, name: str) -> float:
    """CPU seconds to draw and save the map."""
    scheme, units = areas.load_scheme(), geo.load_units()
    plt.switch_backend("Agg" if redraws else backend.NAME)  # Agg: draw_idle renders the whole figure
    try:
        c0 = time.process_time()
        fig = facilities.plot_facility_map(data, units, scheme, groups=GROUPS, sample=False, sources=["benchmark"])
        house_style.save_figure(fig, folder, name, formats=["png", "svg"])
        return time.process_time() - c0
    finally:
        plt.switch_backend(backend.NAME)


def main(n: int = POINTS, runs: int = RUNS) -> None:
    """Print the map figures."""
    load = f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    data = synthetic_facilities(n)
    with tempfile.TemporaryDirectory(prefix="homecare-bench-maps-") as name:
        folder = Path(name)
        figures = folder / "figures"
        times: dict[str, list[float]] = {"no_redraw": [], "redraws": []}
        for _ in range(runs):  # interleaved: machine load hits both alike
            for label, seconds in times.items():
                seconds.append(_draw(data, redraws=label == "redraws", folder=folder, name=label))
        limit = maps.RASTER_POINTS
        maps.RASTER_POINTS = 10**12  # the same map with every point layer as vector paths
        try:
            _draw(data, redraws=False, folder=folder, name="vector")
        finally:
            maps.RASTER_POINTS = limit
        same = (figures / "no_redraw.png").read_bytes() == (figures / "redraws.png").read_bytes()
        size = {p.name: p.stat().st_size / 2**20 for p in figures.iterdir()}
        counts = data["facility_type"].map(facilities.group_of_type()).value_counts()
    new, old = statistics.median(times["no_redraw"]), statistics.median(times["redraws"])
    print(
        f"facility map 病院・診療所 with {n:,} facilities ({counts.get('病院', 0):,} hospitals, "
        f"{counts.get('診療所', 0):,} clinics), drawn and saved as 300 dpi PNG + SVG "
        f"({runs} interleaved runs, CPU of this process; {load}):"
    )
    print(
        f"  figures' canvas (no idle redraws) {new:.2f} s; Agg with geopandas' redraw after every layer "
        f"{old:.2f} s: ratio {new / old:.2f}; PNG byte-identical: {same}"
    )
    print(
        f"  SVG {size['no_redraw.svg']:.1f} MiB with point layers of more than {maps.RASTER_POINTS:,} rasterised, "
        f"{size['vector.svg']:.1f} MiB all vector; PNG {size['no_redraw.png']:.1f} MiB"
    )


if __name__ == "__main__":
    main()
