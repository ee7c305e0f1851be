"""What every OCR engine provides, and the reading order they share."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Protocol

import numpy as np


class OcrUnavailable(RuntimeError):
    """The engine's package or model files are missing; the message says how to get them."""


@dataclass(frozen=True, slots=True)
class WordBox:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


class OcrEngine(Protocol):
    name: str

    def read(self, images: list[bytes]) -> list[list[str]]:
        """Tokens of each PNG image, in reading order."""
        ...


def decode_png(data: bytes) -> np.ndarray:
    """RGB pixels of a PNG."""
    from PIL import Image  # noqa: PLC0415

    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGB"))


def reading_order(boxes: list[WordBox]) -> list[str]:
    """Tokens top to bottom, left to right: boxes whose vertical centres fall within half a
    box height of a line's first box read as one line."""
    lines: list[list[WordBox]] = []
    for box in sorted(boxes, key=lambda b: ((b.y0 + b.y1) / 2, b.x0)):
        centre = (box.y0 + box.y1) / 2
        if lines:
            head = lines[-1][0]
            if abs(centre - (head.y0 + head.y1) / 2) <= 0.5 * max(head.y1 - head.y0, 1.0):
                lines[-1].append(box)
                continue
        lines.append([box])
    return [token for line in lines for box in sorted(line, key=lambda b: b.x0)
            for token in box.text.replace("\u2212", "-").split()]
