"""Classed colour scales (階級区分) for every choropleth: one method, five classes, one legend.

**Method (the one used by every map): equal intervals on round breaks (等間隔・きりのよい境界).**
Four inner breaks ``b1 < b2 < b3 < b4`` one step apart, the step the smallest of 1, 2, 2.5 or
5 × 10^k that is at least a fifth of the data range, and ``b1`` the multiple of the step that
centres the breaks on the data. The lowest class is everything below ``b1`` and the highest
everything from ``b4`` up, closed at the measure's bounds when it has any (points 0–100,
rates from 0). Why this method and not quantiles: a council compares maps across years,
panels and schemes, and the same value must take the same colour in all of them; quantile
breaks move with the data and fall on odd numbers (62.4–71.9), round equal steps can be read
off the legend and said aloud (「60～80点」). Classed rather than continuous colours: readers
match a fill to a legend box, not to a point on a colour bar.

Every panel of a figure that shows the same measure uses ONE :class:`Classes`, computed from
the values of all its panels (:func:`nice_classes` takes them pooled). Terms: docs/glossary.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from matplotlib import colormaps
from matplotlib import colors as mcolors
from matplotlib.patches import Patch

N_CLASSES = 5
NICE_STEPS = (1.0, 2.0, 2.5, 5.0)  # × 10^k
METHOD = "equal_interval_round"
METHOD_NOTE = "色は5階級・等間隔（きりのよい値で区切る）。「a～b」はa以上b未満"
NO_DATA_LABEL = "データなし"
EDGE_COLOR = "#555555"  # legend box outline: light classes stay visible on white


def nice_step(raw: float) -> float:
    """The smallest step of 1, 2, 2.5 or 5 × 10^k that is at least ``raw`` (> 0)."""
    if not raw > 0 or not math.isfinite(raw):
        raise ValueError(f"step must be a positive number, got {raw!r}")
    power = 10.0 ** math.floor(math.log10(raw))
    for m in (*NICE_STEPS, 10.0):
        if m * power >= raw * (1 - 1e-9):
            return m * power
    raise AssertionError("unreachable: 10 × 10^k always reaches raw")


def _decimals(step: float) -> int:
    """Decimals that print every break of ``step`` exactly (2.5 -> 1, 0.25 -> 2, 20 -> 0)."""
    for d in range(0, 7):
        if abs(round(step, d) - step) < 1e-9 * max(1.0, abs(step)):
            return d
    return 6


@dataclass(frozen=True)
class Classes:
    """Five classes: inner ``breaks`` (b1..b4), the measure's bounds (``lower``/``upper``, None
    when open: 「b1未満」「b4以上」), one colour per class and the unit for the legend."""

    breaks: tuple[float, ...]
    colors: tuple[str, ...]
    lower: float | None = None
    upper: float | None = None
    unit: str = ""
    decimals: int = 0

    def index(self, values: Iterable[float]) -> np.ndarray:
        """Class of each value (0 = lowest); -1 for a missing value. A value on a break
        belongs to the class above it (a以上b未満)."""
        v = np.asarray(list(values), dtype=float)
        out = np.searchsorted(np.asarray(self.breaks), v, side="right")
        return np.where(np.isnan(v), -1, out)

    def color_of(self, values: Iterable[float], missing: str) -> list[str]:
        """The fill of each value, ``missing`` where there is none."""
        return [self.colors[i] if i >= 0 else missing for i in self.index(values)]

    def _fmt(self, x: float) -> str:
        return f"{x:,.{self.decimals}f}"

    def labels(self) -> list[str]:
        """Legend text of each class: 「60～80」, first 「20未満」 or 「0～20」, last 「80以上」 or 「80～100」."""
        b = self.breaks
        first = f"{self._fmt(b[0])}未満" if self.lower is None else f"{self._fmt(self.lower)}～{self._fmt(b[0])}"
        last = f"{self._fmt(b[-1])}以上" if self.upper is None else f"{self._fmt(b[-1])}～{self._fmt(self.upper)}"
        middle = [f"{self._fmt(lo)}～{self._fmt(hi)}" for lo, hi in zip(b[:-1], b[1:], strict=True)]
        return [first, *middle, last]

    def label_of(self, value: float) -> str:
        """The legend text of the class holding ``value``."""
        return self.labels()[int(self.index([value])[0])]

    def handles(self, *, no_data: str | None = None, ascending: bool = False) -> list[Patch]:
        """Legend boxes, highest class first (a legend read top down) or lowest first
        (``ascending``: a legend read left to right), plus 「データなし」 when asked."""
        out = [
            Patch(facecolor=c, edgecolor=EDGE_COLOR, linewidth=0.5, label=f"{lab}{self.unit}")
            for c, lab in zip(self.colors, self.labels(), strict=True)
        ]
        out = out if ascending else out[::-1]
        if no_data is not None:
            out.append(Patch(facecolor=no_data, edgecolor=EDGE_COLOR, linewidth=0.5, label=NO_DATA_LABEL))
        return out

    def to_json(self) -> dict:
        """What the figure record keeps to compare the scales of panels (method, breaks, colours)."""
        return {
            "method": METHOD,
            "breaks": [round(float(b), 9) for b in self.breaks],
            "lower": self.lower,
            "upper": self.upper,
            "colors": list(self.colors),
        }


def _breaks(values: np.ndarray, n: int, lower: float | None, upper: float | None) -> tuple[list[float], float]:
    lo, hi = float(values.min()), float(values.max())
    span = hi - lo
    step = nice_step(span / n if span > 0 else max(abs(hi), 1.0) / n)
    first = round(((lo + hi) / 2 - (n - 2) / 2 * step) / step) * step
    for _ in range(4 * n):  # keep each end class non-empty inside the measure's bounds
        if lower is not None and first <= lower:
            first += step
        elif upper is not None and first + (n - 2) * step >= upper:
            first -= step
        else:
            break
    return [first + k * step for k in range(n - 1)], step


def nice_classes(
    values: Iterable[float],
    *,
    cmap: str = "YlOrBr",
    lower: float | None = None,
    upper: float | None = None,
    center: float | None = None,
    unit: str = "",
    n: int = N_CLASSES,
) -> Classes:
    """The five classes for ``values`` (all panels of a figure pooled, NaN ignored) by the one
    method of this module. ``lower``/``upper`` are the measure's bounds (0 and 満点 for points);
    ``center`` makes the scale diverging around it (需要指数 100: blue below, red above, the
    colour's strength by the distance from ``center``). Colours are sampled from ``cmap``,
    avoiding its palest end so that a fill never vanishes on the white page."""
    v = np.asarray([x for x in values if x is not None], dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        raise ValueError("no values to class")
    breaks, step = _breaks(v, n, lower, upper)
    cm = colormaps[cmap]
    if center is None:
        positions = np.linspace(0.18, 0.95, n)
    else:  # strength by the number of classes from the centre, the same on both sides
        edges = [lower if lower is not None else -math.inf, *breaks, upper if upper is not None else math.inf]
        side = [
            -1 if hi <= center else (1 if lo >= center else 0) for lo, hi in zip(edges[:-1], edges[1:], strict=True)
        ]
        below = [k for k, sd in enumerate(side) if sd < 0][::-1]
        above = [k for k, sd in enumerate(side) if sd > 0]
        reach = max(len(below), len(above), 1)
        positions = np.full(n, 0.5)
        for sign, ks in ((-1, below), (1, above)):
            for step_no, k in enumerate(ks, start=1):
                positions[k] = 0.5 + sign * (0.1 + 0.35 * step_no / reach)
    colors = tuple(mcolors.to_hex(cm(float(p))).upper() for p in positions)
    return Classes(
        breaks=tuple(float(b) for b in breaks),
        colors=colors,
        lower=lower,
        upper=upper,
        unit=unit,
        decimals=_decimals(step),
    )
