"""Axis-aligned boxes in PDF points, origin top-left (PyMuPDF's ``page.rect`` space)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True, slots=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def area(self) -> float:
        return max(0.0, self.width) * max(0.0, self.height)

    @property
    def center_x(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def center_y(self) -> float:
        return (self.y0 + self.y1) / 2

    def union(self, other: Box) -> Box:
        return Box(min(self.x0, other.x0), min(self.y0, other.y0),
                   max(self.x1, other.x1), max(self.y1, other.y1))

    def intersection(self, other: Box) -> Box | None:
        box = Box(max(self.x0, other.x0), max(self.y0, other.y0),
                  min(self.x1, other.x1), min(self.y1, other.y1))
        return box if box.x0 < box.x1 and box.y0 < box.y1 else None

    def overlap_x(self, other: Box) -> float:
        """Length of the shared horizontal extent (negative: the gap between them)."""
        return min(self.x1, other.x1) - max(self.x0, other.x0)

    def overlap_y(self, other: Box) -> float:
        return min(self.y1, other.y1) - max(self.y0, other.y0)

    def contains(self, other: Box, tolerance: float = 0.0) -> bool:
        return (other.x0 >= self.x0 - tolerance and other.y0 >= self.y0 - tolerance
                and other.x1 <= self.x1 + tolerance and other.y1 <= self.y1 + tolerance)

    def covered_fraction(self, other: Box) -> float:
        """Share of this box's area that lies inside ``other``."""
        inter = self.intersection(other)
        return inter.area / self.area if inter and self.area > 0 else 0.0

    def expand(self, dx: float, dy: float | None = None) -> Box:
        dy = dx if dy is None else dy
        return Box(self.x0 - dx, self.y0 - dy, self.x1 + dx, self.y1 + dy)

    def clip(self, bounds: Box) -> Box:
        return Box(max(self.x0, bounds.x0), max(self.y0, bounds.y0),
                   min(self.x1, bounds.x1), min(self.y1, bounds.y1))

    def as_list(self) -> list[float]:
        return [self.x0, self.y0, self.x1, self.y1]


def union_all(boxes: Iterable[Box]) -> Box | None:
    result: Box | None = None
    for box in boxes:
        result = box if result is None else result.union(box)
    return result
