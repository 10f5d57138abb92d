"""Map labels that stay legible on a slide (地図のラベル配置): one size for every label (never
shrunk to fit), inside the unit when the text fits there, otherwise moved to the nearest free
place — over the sea or a neighbour, never over another label — and joined to its unit by a
leader line (引き出し線). When no free place is near, the label goes to a column beside the map.

Positions are worked out in the axes' final coordinates, so call :func:`place_labels` after the
axes' extent is set and after any colour bar that takes space from the axes has been added.
Terms: docs/glossary.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import matplotlib.patheffects as pe
import numpy as np
from matplotlib.axes import Axes
from shapely import prepared
from shapely.geometry import LineString, Point, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel, unary_union

LABEL_SIZE = 8.5  # pt; ≥ 8 pt on a 16:9 slide for a map no larger than the slide
LABEL_COLOR = "#111111"
LEADER_COLOR = "#333333"
HALO = [pe.withStroke(linewidth=2.6, foreground="white")]
_RINGS = 9  # candidate distances, in label heights
_ANGLES = 16
LAND_COST = 2.5  # a spot over land costs as much as this many label heights further away
POINT_COST = 1.0  # and each marker a moved label would cover, one label height


@dataclass(frozen=True)
class MapLabel:
    """One label: ``text`` is drawn inside the unit (may be two lines); ``outside_text``, when
    given, is used when the label has to move out (one line reads better at the end of a
    leader). ``geometry`` is the unit's projected polygon."""

    key: str
    text: str
    geometry: BaseGeometry
    outside_text: str | None = None


def anchor_of(geometry: BaseGeometry) -> Point:
    """The point of a unit farthest inside its largest part (pole of inaccessibility), where
    a label has the most room and a leader line starts."""
    part = max(geometry.geoms, key=lambda g: g.area) if geometry.geom_type == "MultiPolygon" else geometry
    if part.geom_type != "Polygon":
        return part.representative_point()
    size = math.sqrt(part.area) or 1.0
    return polylabel(part, tolerance=size / 100)


def _size(ax: Axes, text: str, size: float) -> tuple[float, float]:
    """Width and height of ``text`` in data units of ``ax`` (equal aspect)."""
    renderer = ax.figure.canvas.get_renderer()
    t = ax.text(0, 0, text, fontsize=size, ha="center", va="center")
    bb = t.get_window_extent(renderer)
    t.remove()
    (x0, y0), (x1, y1) = ax.transData.inverted().transform([[bb.x0, bb.y0], [bb.x1, bb.y1]])
    return abs(x1 - x0), abs(y1 - y0)


def _box(x: float, y: float, w: float, h: float, pad: float) -> BaseGeometry:
    return box(x - w / 2 - pad, y - h / 2 - pad, x + w / 2 + pad, y + h / 2 + pad)


def place_labels(
    ax: Axes,
    labels: list[MapLabel],
    *,
    size: float = LABEL_SIZE,
    columns: tuple[str, ...] = ("left", "right"),
    zorder: float = 6,
    avoid: np.ndarray | None = None,
) -> dict[str, str]:
    """Draw every label at ``size`` pt and return where each went (``inside``, ``moved``,
    ``left``, ``right``). Large units are labelled first; a label that does not fit inside its
    unit, or would cover a label already placed, is moved to the free spot nearest its unit
    (preferring the sea and the area outside the map's units) with a leader line."""
    ax.apply_aspect()
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    frame = box(x0, y0, x1, y1)
    land = prepared.prep(unary_union([lab.geometry for lab in labels]))
    land_shape = unary_union([lab.geometry for lab in labels])
    placed: list[BaseGeometry] = []
    leaders: list[BaseGeometry] = []
    where: dict[str, str] = {}
    anchors = {lab.key: anchor_of(lab.geometry) for lab in labels}
    moved: list[MapLabel] = []
    for lab in sorted(labels, key=lambda lb: (-lb.geometry.area, lb.key)):
        w, h = _size(ax, lab.text, size)
        spot = _inside_spot(lab.geometry, anchors[lab.key], w, h, placed, frame, avoid)
        if spot is None and avoid is not None:
            spot = _inside_spot(lab.geometry, anchors[lab.key], w, h, placed, frame, None)
        if spot is None:
            moved.append(lab)
            continue
        ax.text(
            *spot,
            lab.text,
            fontsize=size,
            ha="center",
            va="center",
            color=LABEL_COLOR,
            path_effects=HALO,
            zorder=zorder,
        )
        placed.append(_box(*spot, w, h, 0.15 * h))
        where[lab.key] = "inside"
    small = [prepared.prep(lab.geometry) for lab in moved]
    pts = np.asarray(avoid, dtype=float).reshape(-1, 2) if avoid is not None else np.empty((0, 2))
    for lab in sorted(moved, key=lambda lb: (lb.geometry.area, lb.key)):
        text = lab.outside_text or lab.text
        w, h = _size(ax, text, size)
        a = anchors[lab.key]
        best, best_cost = None, math.inf
        for ring in range(1, _RINGS + 1):
            r = ring * 1.1 * h + max(w, h) / 2
            for k in range(_ANGLES):
                ang = 2 * math.pi * k / _ANGLES
                cx, cy = a.x + r * math.cos(ang), a.y + r * math.sin(ang)
                shape = _box(cx, cy, w, h, 0.2 * h)
                if not frame.contains(shape) or any(shape.intersects(p) for p in placed):
                    continue
                if any(s.intersects(shape) for s in small):  # never hide another small unit
                    continue
                leader = LineString([(a.x, a.y), (cx, cy)]).difference(shape)
                if any(leader.intersects(q) for q in [*leaders, *placed]):  # leaders never cross
                    continue
                on_land = shape.intersection(land_shape).area / shape.area if land.intersects(shape) else 0.0
                cost = r / h + LAND_COST * on_land + POINT_COST * _points_in(pts, shape)
                if cost < best_cost:
                    best, best_cost = (cx, cy), cost
            if best is not None and best_cost <= (ring + 1) * 1.1 + max(w, h) / (2 * h):
                break  # every spot on the next rings costs more
        if best is None:
            where[lab.key] = _column(ax, text, w, h, a, placed, columns, size, frame, zorder)
            continue
        _leader_label(ax, text, a, best, size, zorder)
        shape = _box(best[0], best[1], w, h, 0.2 * h)
        leaders.append(LineString([(a.x, a.y), best]).difference(shape))
        placed.append(shape)
        where[lab.key] = "moved"
    return where


def _inside_spot(
    geometry: BaseGeometry,
    anchor: Point,
    w: float,
    h: float,
    placed: list[BaseGeometry],
    frame: BaseGeometry,
    avoid: np.ndarray | None,
) -> tuple[float, float] | None:
    """Where the label fits inside its unit (a halo may run a little over a thin edge) without
    covering a label already placed or a point to ``avoid``: the anchor first, then the
    nearest of a grid of spots over the unit."""
    room = geometry.buffer(0.3 * h)
    gx0, gy0, gx1, gy1 = geometry.bounds
    grid = [(x, y) for x in np.linspace(gx0, gx1, 9) for y in np.linspace(gy0, gy1, 9)]
    centre = geometry.centroid
    candidates = [(anchor.x, anchor.y)] + sorted(
        [*grid, (centre.x, centre.y)], key=lambda c: (c[0] - anchor.x) ** 2 + (c[1] - anchor.y) ** 2
    )
    pts = np.asarray(avoid, dtype=float).reshape(-1, 2) if avoid is not None else np.empty((0, 2))
    for x, y in candidates:
        shape = _box(x, y, w, h, 0)
        if not (room.contains(shape) and frame.contains(shape)) or any(shape.intersects(p) for p in placed):
            continue
        if _points_in(pts, shape):
            continue
        return (x, y)
    return None


def _points_in(pts: np.ndarray, shape: BaseGeometry) -> int:
    """How many of the points ``pts`` (n x 2) lie in the bounding box of ``shape``."""
    if not len(pts):
        return 0
    bx0, by0, bx1, by1 = shape.bounds
    return int(np.sum((pts[:, 0] >= bx0) & (pts[:, 0] <= bx1) & (pts[:, 1] >= by0) & (pts[:, 1] <= by1)))


def _leader_label(ax: Axes, text: str, anchor: Point, xy: tuple[float, float], size: float, zorder: float) -> None:
    ax.plot([anchor.x], [anchor.y], marker="o", markersize=2.2, color=LEADER_COLOR, zorder=zorder + 1)
    ax.annotate(
        text,
        (anchor.x, anchor.y),
        xytext=xy,
        ha="center",
        va="center",
        fontsize=size,
        color=LABEL_COLOR,
        zorder=zorder + 1,
        bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
        arrowprops={"arrowstyle": "-", "color": LEADER_COLOR, "linewidth": 0.7, "shrinkA": 0, "shrinkB": 0},
    )


def _column(
    ax: Axes,
    text: str,
    w: float,
    h: float,
    a: Point,
    placed: list[BaseGeometry],
    columns: tuple[str, ...],
    size: float,
    frame: BaseGeometry,
    zorder: float,
) -> str:
    """Last resort: the label at the left or right edge of the axes, at the first free height
    nearest its unit's."""
    x0, y0, x1, y1 = frame.bounds
    sides = [s for s in columns if s in ("left", "right")] or ["right"]
    side = min(sides, key=lambda s: abs(a.x - (x0 if s == "left" else x1)))
    cx = x0 + w / 2 + 0.3 * h if side == "left" else x1 - w / 2 - 0.3 * h
    heights = np.arange(y1 - h, y0 + h, -0.5 * h)
    for cy in sorted(heights, key=lambda y: abs(y - a.y)):
        shape = _box(cx, cy, w, h, 0.2 * h)
        if not any(shape.intersects(p) for p in placed):
            _leader_label(ax, text, a, (cx, cy), size, zorder)
            placed.append(shape)
            return side
    raise ValueError(f"no room for the map label {text!r}: enlarge the map or shorten the labels")
