"""A figure's picture on its slide (スライド用の図): the 300 dpi PNG resampled to
:data:`PICTURE_DPI` at the size it takes on the slide, in 256 colours. Figures are drawn for
the whole 16:9 slide (their text is at least 8 pt there: ``style.SLIDE_AREA_IN``) and carry
their own title and サンプルデータ mark, so the picture fills the slide as drawn.

:func:`homecare.figures.style.save_figure` writes it to ``slides/<name>.png`` beside the
``figures/`` folder (which keeps one PNG per figure) from the pixels it has just rendered, and
:mod:`homecare.publish.slides` puts it on the slide as it is. Without it (a figure saved before it existed) the slide deck builds the same
picture from the PNG, which means decoding a 300 dpi image per figure in the runner.
Terms: docs/glossary.md.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image

EMU_PER_INCH = 914400
SLIDE_W, SLIDE_H = 12192000, 6858000  # 16:9, 33.867 x 19.05 cm, in EMU
PICTURE_DPI = 130  # sharp on a projector and in print at slide size; keeps the deck under 5 MB
BOX_W, BOX_H = SLIDE_W, SLIDE_H  # the whole slide: a figure is drawn at slide size
FOLDER = "slides"


def path_for(png: Path) -> Path:
    """``slides/<name>.png`` of ``figures/<name>.png`` (both in the same output folder)."""
    return png.parent.parent / FOLDER / png.name


def placement(width_px: int, height_px: int) -> tuple[int, int, tuple[int, int]]:
    """(width, height) on the slide in EMU and the picture's size in pixels, for a figure of
    ``width_px`` x ``height_px`` pixels."""
    scale = min(BOX_W / width_px, BOX_H / height_px)
    w, h = int(width_px * scale), int(height_px * scale)
    target = (max(1, int(w / EMU_PER_INCH * PICTURE_DPI)), max(1, int(h / EMU_PER_INCH * PICTURE_DPI)))
    return w, h, target


def picture_png(rgb: Image.Image) -> bytes:
    """The slide picture (PNG bytes) of a figure's RGB image."""
    _, _, target = placement(rgb.width, rgb.height)
    factor = max(1, min(rgb.width // target[0], rgb.height // target[1]))
    small = rgb.reduce(factor).resize(target, Image.Resampling.LANCZOS) if target[0] < rgb.width else rgb
    # 256 colours are plenty for a chart or a map and quarter the size of the deck
    small = small.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buf = io.BytesIO()
    small.save(buf, format="PNG")
    return buf.getvalue()


def from_png(png: Path) -> bytes:
    """The slide picture made from the saved PNG (decodes it)."""
    with Image.open(png) as im:
        return picture_png(im.convert("RGB"))


def write_from_pixels(rgba: np.ndarray, png: Path) -> Path | None:
    """Write ``slides/<name>.png`` from the RGBA pixels just saved as ``png`` (no decoding);
    nothing when their size is not that of the PNG (then the deck decodes the PNG)."""
    with Image.open(png) as im:  # reads the header only
        size = im.size
    if rgba.ndim != 3 or rgba.shape[2] != 4 or (rgba.shape[1], rgba.shape[0]) != size or rgba.dtype != np.uint8:
        path_for(png).unlink(missing_ok=True)  # never a picture of an earlier save
        return None
    out = path_for(png)
    out.parent.mkdir(exist_ok=True)
    pixels = np.ascontiguousarray(rgba)  # already contiguous: no copy
    out.write_bytes(picture_png(Image.frombuffer("RGBA", size, pixels, "raw", "RGBA", 0, 1).convert("RGB")))
    return out
