"""The figures' headless backend: geopandas layers no longer redraw the whole figure, and the
saved bytes are those of plain Agg."""

from __future__ import annotations

import io

import geopandas as gpd
import matplotlib.pyplot as plt
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from shapely.geometry import Point, box

from homecare.figures import backend, style


def _map(ax) -> None:
    """Three geopandas layers, each of which asks the canvas for an idle redraw."""
    polys = gpd.GeoSeries([box(0, 0, 1, 1), box(1, 0, 2, 1)])
    polys.plot(ax=ax, color=["#88aacc", "#ccaa88"], edgecolor="white")
    polys.boundary.plot(ax=ax, color="#333333", linewidth=1.3)
    gpd.GeoSeries([Point(0.5, 0.5), Point(1.5, 0.5)]).plot(ax=ax, color="#C00000", markersize=30)


def test_figures_use_the_backend_without_idle_redraws(monkeypatch: pytest.MonkeyPatch) -> None:
    style.apply_style()
    fig, ax = plt.subplots(figsize=(3, 2))
    assert isinstance(fig.canvas, backend.FigureCanvas)
    draws = []
    real_draw = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda self, renderer: draws.append(1) or real_draw(self, renderer))
    _map(ax)
    assert draws == [], "a geopandas layer rendered the whole figure"
    fig.savefig(io.BytesIO(), format="png", dpi=50)
    assert len(draws) == 1, "savefig draws the figure once"
    plt.close(fig)


def test_saved_bytes_equal_plain_agg() -> None:
    style.apply_style()
    out = {}
    for name in ("homecare", "agg"):
        fig, ax = plt.subplots(figsize=(3, 2))
        if name == "agg":
            FigureCanvasAgg(fig)  # the canvas matplotlib's own Agg backend would give
        _map(ax)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=80, metadata={"Software": None})
        out[name] = buf.getvalue()
        plt.close(fig)
    assert out["homecare"] == out["agg"]
