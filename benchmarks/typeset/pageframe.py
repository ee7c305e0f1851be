"""One PDF page seen from the TeX run: coordinate maps between TeX frames, PDF user space and
PyMuPDF's unrotated (text) and displayed (page.rect) spaces; the text layer's characters; ink."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pymupdf

from records import Affine

pymupdf.TOOLS.mupdf_display_errors(False)
INK_DPI = 288
INK_THRESHOLD = 245
# Ligatures expanded; character boxes around the glyphs' ink, not the font's ascender and descender
# (a caption set right under a table's last rule must not swallow it).
TEXT_FLAGS = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP | pymupdf.TEXT_ACCURATE_BBOXES
Rect = tuple[float, float, float, float]


@dataclass
class Char:
    c: str
    origin: tuple[float, float]  # unrotated page space (PyMuPDF text coordinates)
    bbox: Rect


def union(rects: list[Rect]) -> Rect:
    return (min(r[0] for r in rects), min(r[1] for r in rects), max(r[2] for r in rects), max(r[3] for r in rects))


def bounds(points: list[tuple[float, float]]) -> Rect:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


class PageFrame:
    """Maps between TeX frames, PDF user space, PyMuPDF's unrotated and displayed page spaces."""

    def __init__(self, page: pymupdf.Page):
        self.page = page
        m = page.transformation_matrix  # PDF user space -> unrotated page space
        self.pdf_to_unrot = Affine(m.a, m.b, m.c, m.d, m.e, m.f)
        r = page.rotation_matrix
        self.unrot_to_shown = Affine(r.a, r.b, r.c, r.d, r.e, r.f)
        self._chars: list[list[Char]] | None = None

    def unrot(self, frame: Affine, rect: Rect) -> Rect:
        """A rectangle of a TeX frame (y up) in unrotated page space."""
        t = frame.then(self.pdf_to_unrot)
        return bounds([t.apply(x, y) for x in (rect[0], rect[2]) for y in (rect[1], rect[3])])

    def to_frame(self, frame: Affine, rect: Rect) -> Rect:
        """An unrotated page-space rectangle in a TeX frame (y up)."""
        t = frame.then(self.pdf_to_unrot).inverse()
        return bounds([t.apply(x, y) for x in (rect[0], rect[2]) for y in (rect[1], rect[3])])

    def shown(self, rect: Rect) -> Rect:
        t = self.unrot_to_shown
        return bounds([t.apply(x, y) for x in (rect[0], rect[2]) for y in (rect[1], rect[3])])

    def to_unrot_from_shown(self, rect: Rect) -> Rect:
        t = self.unrot_to_shown.inverse()
        return bounds([t.apply(x, y) for x in (rect[0], rect[2]) for y in (rect[1], rect[3])])

    def lines(self) -> list[list[Char]]:
        if self._chars is None:
            self._chars = []
            for block in self.page.get_text("rawdict", flags=TEXT_FLAGS)["blocks"]:
                for line in block.get("lines", []):
                    chars = [Char(ch["c"], tuple(ch["origin"]), tuple(ch["bbox"]))
                             for span in line["spans"] for ch in span["chars"]]
                    if chars:
                        self._chars.append(chars)
        return self._chars

    def ink(self, shown_rect: Rect, blank: list[Rect]) -> Rect | None:
        """Bounding box (displayed space) of the non-white pixels in ``shown_rect``, ``blank`` whited out."""
        clip = pymupdf.Rect(shown_rect) & self.page.rect
        if clip.is_empty or clip.width < 0.5 or clip.height < 0.5:
            return None
        pix = self.page.get_pixmap(dpi=INK_DPI, clip=clip, alpha=False, colorspace=pymupdf.csRGB)
        pixels = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, pix.n).min(axis=2)
        scale = INK_DPI / 72
        ink = pixels < INK_THRESHOLD
        for r in blank:
            x0, y0 = int((r[0] - clip.x0) * scale), int((r[1] - clip.y0) * scale)
            x1, y1 = int(np.ceil((r[2] - clip.x0) * scale)), int(np.ceil((r[3] - clip.y0) * scale))
            if x1 > 0 and y1 > 0 and x0 < pix.width and y0 < pix.height:
                ink[max(y0, 0):y1, max(x0, 0):x1] = False
        rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
        if rows.size == 0:
            return None
        return (round(clip.x0 + cols[0] / scale, 2), round(clip.y0 + rows[0] / scale, 2),
                round(clip.x0 + (cols[-1] + 1) / scale, 2), round(clip.y0 + (rows[-1] + 1) / scale, 2))
