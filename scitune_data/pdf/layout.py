"""What the extractor sees of a page: text lines with fonts, raster images, vector paths."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from scitune_data.geometry import Box


BOLD_FLAG = 16
ITALIC_FLAG = 2


class Span(NamedTuple):
    text: str
    font: str
    size: float
    flags: int

    @property
    def bold(self) -> bool:
        return bool(self.flags & BOLD_FLAG) or _bold_name(self.font)

    @property
    def italic(self) -> bool:
        return bool(self.flags & ITALIC_FLAG) or _italic_name(self.font)


@lru_cache(maxsize=4096)
def _bold_name(font: str) -> bool:
    font = font.lower()
    return "bold" in font or font.endswith((".b", "-b", "-bd"))


@lru_cache(maxsize=4096)
def _italic_name(font: str) -> bool:
    font = font.lower()
    return "italic" in font or "oblique" in font


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of text as PyMuPDF groups it; ``turns`` is its rotation in quarter turns
    counter-clockwise (0 = normal, 1 = reads bottom-to-top), ``None`` when not axis-aligned.
    ``size`` is the font size carrying most of its characters."""

    box: Box
    spans: tuple[Span, ...]
    block: int
    turns: int | None = 0
    text: str = ""
    size: float = 0.0

    @classmethod
    def of(cls, box: Box, spans: tuple[Span, ...], block: int, turns: int | None = 0) -> TextLine:
        if len(spans) == 1:
            size = round(spans[0].size, 1)
        else:
            weights: dict[float, int] = {}
            for span in spans:
                key = round(span.size, 1)
                weights[key] = weights.get(key, 0) + len(span.text.strip())
            size = max(weights, key=lambda s: (weights[s], s))
        return cls(box, spans, block, turns, "".join(span.text for span in spans).strip(), size)


class PathStyle(NamedTuple):
    """How one vector path is drawn: its segments by kind and its colours (RGB, ``None`` when
    not filled or not stroked). Figure types read it: bars are filled rectangles, curves long
    polylines, markers small repeated shapes, heatmaps grids of coloured cells."""

    lines: int
    curves: int
    rects: int  # rectangles and quads
    fill: tuple[float, ...] | None
    stroke: tuple[float, ...] | None


@dataclass(slots=True)
class PageLayout:
    number: int  # 1-based
    width: float
    height: float
    lines: list[TextLine] = field(default_factory=list)
    images: list[Box] = field(default_factory=list)
    paths: list[Box] = field(default_factory=list)
    path_styles: list[PathStyle] = field(default_factory=list)  # one per path, same order

    @property
    def rect(self) -> Box:
        return Box(0.0, 0.0, self.width, self.height)

    @property
    def graphics(self) -> list[Box]:
        return self.images + self.paths
