"""Dense point layers are rasterised in SVG (small files), small ones stay vector; the PNG
does not change."""

from __future__ import annotations

import io

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pytest

from homecare.figures import maps, style


def _save(n: int, fmt: str) -> bytes:
    rng = np.random.default_rng(16)
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(rng.random(n), rng.random(n)))
    fig, ax = plt.subplots(figsize=(3, 3))
    maps.draw_points(ax, pts, "#0072B2", mm=0.5)
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=100, metadata={"png": {"Software": None}, "svg": {"Date": None}}[fmt])
    plt.close(fig)
    return buf.getvalue()


def test_dense_layers_are_rasterised_in_svg(monkeypatch: pytest.MonkeyPatch) -> None:
    style.apply_style()
    dense, small = maps.RASTER_POINTS + 1, 50
    assert b"<image" in _save(dense, "svg")
    assert b"<image" not in _save(small, "svg")
    vector = len(_save(dense, "svg"))
    monkeypatch.setattr(maps, "RASTER_POINTS", 10**9)  # the same layer kept as vector paths
    assert len(_save(dense, "svg")) > 3 * vector


def test_rasterising_leaves_the_png_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    style.apply_style()
    n = maps.RASTER_POINTS + 1
    rasterised = _save(n, "png")
    monkeypatch.setattr(maps, "RASTER_POINTS", 10**9)
    assert _save(n, "png") == rasterised
