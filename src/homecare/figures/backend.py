"""The headless matplotlib backend of every figure: Agg without idle redraws.

geopandas' ``plot`` ends each layer with ``canvas.draw_idle()``, which on Agg renders the
whole figure again (a map of six layers was drawn six times before it was saved, and
:func:`homecare.figures.style.save_figure` then draws it once per format). Nothing displays
these figures, and ``savefig`` draws the complete figure itself, so the idle redraw is
dropped here: same pixels and bytes, a fraction of the time. Explicit ``canvas.draw()``
still renders. Selected in :mod:`homecare.figures.style` with ``matplotlib.use``.
"""

from __future__ import annotations

from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg

NAME = "module://homecare.figures.backend"


class FigureCanvas(FigureCanvasAgg):
    """Agg canvas whose ``draw_idle`` does nothing (saved figures are drawn by ``savefig``)."""

    def draw_idle(self, *args: Any, **kwargs: Any) -> None:
        """No display to refresh: the next ``savefig`` (or explicit ``draw``) renders the figure."""
