"""What the extractor sees of a page: text lines with fonts, raster images, vector paths."""

from __future__ import annotations

from dataclasses import dataclass, field

from scitune_data.geometry import Box


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    font: str
    size: float
    bold: bool
    box: Box


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of text as PyMuPDF groups it; ``turns`` is its rotation in quarter turns
    counter-clockwise (0 = normal, 1 = reads bottom-to-top), ``None`` when not axis-aligned."""

    box: Box
    spans: tuple[Span, ...]
    block: int
    turns: int | None = 0

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans).strip()

    @property
    def size(self) -> float:
        """The font size carrying most of the line's characters."""
        weights: dict[float, int] = {}
        for span in self.spans:
            key = round(span.size, 1)
            weights[key] = weights.get(key, 0) + len(span.text.strip())
        return max(weights, key=lambda size: (weights[size], size)) if weights else 0.0


@dataclass(slots=True)
class PageLayout:
    number: int  # 1-based
    width: float
    height: float
    lines: list[TextLine] = field(default_factory=list)
    images: list[Box] = field(default_factory=list)
    paths: list[Box] = field(default_factory=list)

    @property
    def rect(self) -> Box:
        return Box(0.0, 0.0, self.width, self.height)

    @property
    def graphics(self) -> list[Box]:
        return self.images + self.paths
