"""Reading frames: rotate a page so that text of a given direction reads left to right.

A rotated table (caption and cells set bottom-to-top) is found with the same code as an
upright one by mapping the whole page into the caption's frame and the result back.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from scitune_data.geometry import Box
from scitune_data.pdf.layout import PageLayout, TextLine


@dataclass(frozen=True, slots=True)
class Frame:
    turns: int  # quarter turns counter-clockwise of the text this frame makes upright
    width: float  # of the page, unrotated
    height: float

    def to_frame(self, box: Box) -> Box:
        w, h = self.width, self.height
        if self.turns == 1:
            return Box(h - box.y1, box.x0, h - box.y0, box.x1)
        if self.turns == 2:
            return Box(w - box.x1, h - box.y1, w - box.x0, h - box.y0)
        if self.turns == 3:
            return Box(box.y0, w - box.x1, box.y1, w - box.x0)
        return box

    def to_page(self, box: Box) -> Box:
        w, h = self.width, self.height
        if self.turns == 1:
            return Box(box.y0, h - box.x1, box.y1, h - box.x0)
        if self.turns == 2:
            return Box(w - box.x1, h - box.y1, w - box.x0, h - box.y0)
        if self.turns == 3:
            return Box(w - box.y1, box.x0, w - box.y0, box.x1)
        return box


def rotate_layout(page: PageLayout, turns: int) -> tuple[PageLayout, Frame]:
    """The page as seen by a reader who turned it so ``turns`` text is upright."""
    frame = Frame(turns % 4, page.width, page.height)
    if frame.turns == 0:
        return page, frame

    def line(text_line: TextLine) -> TextLine:
        turns = None if text_line.turns is None else (text_line.turns - frame.turns) % 4
        return replace(text_line, box=frame.to_frame(text_line.box), turns=turns)

    sideways = frame.turns % 2 == 1
    rotated = PageLayout(
        number=page.number,
        width=page.height if sideways else page.width,
        height=page.width if sideways else page.height,
        lines=[line(text_line) for text_line in page.lines],
        images=[frame.to_frame(box) for box in page.images],
        paths=[frame.to_frame(box) for box in page.paths],
        path_styles=page.path_styles,
    )
    return rotated, frame

