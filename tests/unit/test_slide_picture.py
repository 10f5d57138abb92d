"""The slide picture saved with each figure is the one the deck would make from the PNG, so the
deck is the same whether or not it was saved (the runner then decodes no 300 dpi PNG)."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from homecare.figures import style
from homecare.publish import slide_picture, slides


def _figure() -> Figure:
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.bar(["北", "南", "東"], [3, 5, 2], color=["#0072B2", "#E69F00", "#009E73"])
    return style.finish_figure(fig, title="テスト図", sources=["テスト"], sample=False)


def test_saved_picture_equals_the_one_made_from_the_png(tmp_path: Path) -> None:
    style.save_figure(_figure(), tmp_path, "t", formats=["png", "svg"])
    png = tmp_path / "figures" / "t.png"
    saved = slide_picture.path_for(png)
    assert saved.is_file()
    assert saved.read_bytes() == slide_picture.from_png(png)
    deck_with = slides.build_pptx(tmp_path).read_bytes()
    saved.unlink()
    assert slides.build_pptx(tmp_path).read_bytes() == deck_with


def test_no_picture_of_an_earlier_save(tmp_path: Path) -> None:
    style.save_figure(_figure(), tmp_path, "t", formats=["png"])
    png = tmp_path / "figures" / "t.png"
    # a figure without an Agg canvas of its own (Figure() made outside pyplot): savefig lends
    # it one, the pixels are gone afterwards, so the deck decodes the PNG
    bare = style.finish_figure(Figure(figsize=(2, 2)), title="別の図", sources=["テスト"], sample=False)
    bare.add_subplot().plot([0, 1], [1, 0])
    style.save_figure(bare, tmp_path, "t", formats=["png"])
    assert not slide_picture.path_for(png).exists()
    assert slide_picture.write_from_pixels(np.zeros((3, 3, 4), np.uint8), png) is None
