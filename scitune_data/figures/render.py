"""Crop renderer: render a region once, tighten its box to the inked pixels, encode a PNG."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pymupdf

from scitune_data.geometry import Box

INK_LEVEL = 245  # a pixel with any channel darker than this is ink
MAX_PIXELS = 40_000_000  # a crop larger than this is rendered at a lower dpi (memory, PNG size)


class EmptyRegion(ValueError):
    """A region with no area on the page (degenerate, or outside the page's CropBox)."""


@dataclass(frozen=True, slots=True)
class Crop:
    box: Box  # the region tightened to its ink, PDF points
    png: bytes
    width: int
    height: int
    dpi: int  # the resolution it was rendered at (lower than asked for a poster-sized region)
    sample: np.ndarray  # the pixels inside the box, the darkest of each 4 x 4 block (RGB, uint8)


def ink_box(pixels: np.ndarray) -> tuple[int, int, int, int] | None:
    """Pixel bounds ``(x0, y0, x1, y1)`` of the non-white pixels, or None for a blank image."""
    height, width, channels = pixels.shape
    ink = pixels.reshape(height, width * channels) < INK_LEVEL  # contiguous: fast reductions
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0).reshape(width, channels).any(axis=1))
    if cols.size == 0:
        return None
    return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1


def render_crop(page: pymupdf.Page, region: Box, dpi: int = 150, margin: float = 4.0,
                display: pymupdf.DisplayList | None = None) -> Crop:
    """Render ``region`` plus ``margin`` points; the returned box is tight around the ink
    inside ``region``, the PNG shows that box plus the margin. A region too large for
    ``MAX_PIXELS`` at ``dpi`` (a poster) is rendered at the dpi that fits. ``display``: the
    page's display list, to render several regions of one page without reading it again."""
    page_box = Box(0.0, 0.0, page.rect.width, page.rect.height)
    clip = region.expand(margin).clip(page_box)
    if min(clip.width, clip.height) * dpi / 72.0 < 1:
        raise EmptyRegion(f"region {[round(v, 1) for v in region.as_list()]} has no area on the page")
    dpi = min(dpi, fitting_dpi(clip))
    scale = dpi / 72.0
    display = display or page.get_displaylist()
    pix = display.get_pixmap(matrix=pymupdf.Matrix(scale, scale), clip=pymupdf.Rect(*clip.as_list()), alpha=False)
    pixels = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, pix.n)[..., :3]
    inner = region.clip(page_box)
    ix0, iy0 = int((inner.x0 - clip.x0) * scale), int((inner.y0 - clip.y0) * scale)
    ix1 = min(pix.width, int(np.ceil((inner.x1 - clip.x0) * scale)))
    iy1 = min(pix.height, int(np.ceil((inner.y1 - clip.y0) * scale)))
    found = ink_box(np.ascontiguousarray(pixels[iy0:iy1, ix0:ix1]))
    if found is None:
        tight = inner
        px0, py0, px1, py1 = ix0, iy0, ix1, iy1
    else:
        px0, py0, px1, py1 = found[0] + ix0, found[1] + iy0, found[2] + ix0, found[3] + iy0
        tight = Box(clip.x0 + px0 / scale, clip.y0 + py0 / scale,
                    clip.x0 + px1 / scale, clip.y0 + py1 / scale)
    pad = int(round(margin * scale))
    window = pymupdf.IRect(pix.x + max(0, px0 - pad), pix.y + max(0, py0 - pad),
                           pix.x + min(pix.width, px1 + pad), pix.y + min(pix.height, py1 + pad))
    crop = pymupdf.Pixmap(pymupdf.csRGB, window, False)
    crop.copy(pix, window)
    return Crop(tight, crop.tobytes("png"), crop.width, crop.height, dpi, darkest_blocks(pixels[py0:py1, px0:px1]))


def fitting_dpi(box: Box) -> int:
    """The highest dpi at which ``box`` stays within ``MAX_PIXELS``."""
    return max(1, int(72.0 * (MAX_PIXELS / max(box.area, 1.0)) ** 0.5))


def darkest_blocks(pixels: np.ndarray, size: int = 4) -> np.ndarray:
    """Shrink by ``size`` keeping each block's minimum per channel (its darkest ink), so
    hairlines (axes, curves, connectors) survive, as an every-4th-pixel sample's would not."""
    height, width = pixels.shape[0] // size, pixels.shape[1] // size
    if height == 0 or width == 0:
        return np.ascontiguousarray(pixels[::size, ::size])
    darkest = pixels[:height * size:size, :width * size:size].copy()
    for dy in range(size):
        for dx in range(size):
            np.minimum(darkest, pixels[dy:height * size:size, dx:width * size:size], out=darkest)
    return darkest
