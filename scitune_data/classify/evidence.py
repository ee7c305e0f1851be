"""What the figure-type classifier sees of one figure: all of it cheap at extraction time."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scitune_data.geometry import Box
from scitune_data.pdf.layout import PathStyle


@dataclass(frozen=True, slots=True)
class FigureEvidence:
    caption: str
    tokens: tuple[str, ...]  # the figure's text (PDF text layer or OCR), reading order
    text_lines: int
    box: Box  # the region, PDF points
    rasters: int  # raster images inside and the share of the region they cover
    raster_share: float
    path_boxes: tuple[Box, ...]  # its vector paths...
    path_styles: tuple[PathStyle, ...]  # ...and how each is drawn
    pixels: np.ndarray  # the rendered region, RGB uint8, about 37 pixels per inch
