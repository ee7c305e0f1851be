"""Graphics of a page that is one bitmap (a scan with an OCR text layer).

A scanned page has no image or path objects per figure: the whole page is one picture. Its
figures are found the way a reader sees them: render the page, blank out the words the text
layer knows, and take the blobs of ink that remain (plots, drawings, photos) as the page's
graphics. Blobs are grown over small gaps so the pieces of one plot stay one graphic.
"""

from __future__ import annotations

import numpy as np
import pymupdf

from scitune_data.geometry import Box

PAGE_SHARE = 0.8  # an image covering this share of the page makes it a bitmap page
DPI = 50  # enough to see figures, cheap to render...
MAX_PIXELS = 4_000_000  # ...and less on a page so large (a poster) that this would be exceeded
INK = 160  # grey levels below this are ink
JOIN = 3.0  # points: ink this close belongs to one blob
MIN_BLOB = 12.0  # points: smaller blobs (specks, stray glyphs) are noise


def is_bitmap_page(images: list[Box], page: Box) -> bool:
    return any(image.area >= PAGE_SHARE * page.area for image in images)


def ink_blobs(page: pymupdf.Page, words: list[Box]) -> list[Box]:
    """Boxes (page points) of the ink on the rendered page outside the known words."""
    dpi = min(DPI, max(1, int(72.0 * (MAX_PIXELS / max(page.rect.width * page.rect.height, 1.0)) ** 0.5)))
    pix = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
    ink = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width) < INK
    scale = dpi / 72.0
    ink = ink.copy()
    for word in words:
        x0, y0 = max(0, int(word.x0 * scale) - 1), max(0, int(word.y0 * scale) - 1)
        ink[y0:int(np.ceil(word.y1 * scale)) + 1, x0:int(np.ceil(word.x1 * scale)) + 1] = False
    reach = max(1, int(round(JOIN * scale)))
    grown = _dilate(ink, reach)
    boxes = []
    for top, left, bottom, right in _components(grown):
        box = Box(left / scale, top / scale, right / scale, bottom / scale)
        if max(box.width, box.height) >= MIN_BLOB:
            boxes.append(box.expand(-reach / scale))
    return boxes


def _dilate(mask: np.ndarray, reach: int) -> np.ndarray:
    grown = mask.copy()
    for shift in range(1, reach + 1):
        grown[shift:, :] |= mask[:-shift, :]
        grown[:-shift, :] |= mask[shift:, :]
    wide = grown.copy()
    for shift in range(1, reach + 1):
        wide[:, shift:] |= grown[:, :-shift]
        wide[:, :-shift] |= grown[:, shift:]
    return wide


def _components(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Bounding boxes ``(top, left, bottom, right)`` of 8-connected ink, from runs per row."""
    parent: list[int] = []
    bounds: list[list[int]] = []

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    previous: list[tuple[int, int, int]] = []
    for y in range(mask.shape[0]):
        row = mask[y]
        edges = np.flatnonzero(np.diff(np.concatenate(([False], row, [False])).astype(np.int8)))
        current = []
        for start, end in zip(edges[::2], edges[1::2]):
            label = len(parent)
            parent.append(label)
            bounds.append([y, int(start), y + 1, int(end)])
            for p_start, p_end, p_label in previous:
                if p_start <= end and start <= p_end:
                    a, b = find(label), find(p_label)
                    if a != b:
                        parent[a] = b
            current.append((int(start), int(end), label))
        previous = current
    merged: dict[int, list[int]] = {}
    for label, (top, left, bottom, right) in enumerate(bounds):
        root = find(label)
        box = merged.setdefault(root, [top, left, bottom, right])
        box[0], box[1] = min(box[0], top), min(box[1], left)
        box[2], box[3] = max(box[2], bottom), max(box[3], right)
    return [tuple(box) for box in merged.values()]
