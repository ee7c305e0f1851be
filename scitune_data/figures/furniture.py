"""Page furniture: running heads and feet, page numbers, header bars, logos, licence lines.

Furniture lives in the margins above and below the text block and comes back page after
page. The margins are measured per document (per page size): above the text block's top on
the pages that start with body text, below its bottom on the pages that end with it; a
fixed share of the page where no page shows its text block.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scitune_data.figures.frame import Frame
from scitune_data.figures.rows import Row, rows_near
from scitune_data.geometry import Box
from scitune_data.pdf.layout import PageLayout

if TYPE_CHECKING:
    from scitune_data.figures.page_model import PageModel

MARGIN_BAND = 0.12  # without a measured text block, running heads live in this share of the page
MAX_BAND = 0.25  # ...and margins measured wider than this share are floats opening every page
RUNNING_SHARE = 0.3  # furniture recurs on at least this share of the pages
PAGE_NUMBER = re.compile(r"^(page\s+)?[ivxlc]+$|^\d+$", re.I)

Shape = tuple[int, int]


def _shape(layout: PageLayout) -> Shape:
    return round(layout.width), round(layout.height)


def _quantile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@dataclass(frozen=True, slots=True)
class Margins:
    """Per page size, the y above which running heads and below which running feet lie."""

    bands: dict[Shape, tuple[float, float]] = field(default_factory=dict)

    def edges(self, layout: PageLayout) -> tuple[float, float]:
        default = (MARGIN_BAND * layout.height, (1 - MARGIN_BAND) * layout.height)
        return self.bands.get(_shape(layout), default)

    def side(self, box: Box, layout: PageLayout) -> str | None:
        """``"top"`` or ``"bottom"`` when ``box`` lies in that margin, else None."""
        top, bottom = self.edges(layout)
        if box.y1 <= top:
            return "top"
        return "bottom" if box.y0 >= bottom else None

    def outside_captions(self, box: Box, layout: PageLayout, captions: Iterable[Box]) -> bool:
        """In a margin, with no caption between it and its page edge (a table continued on a
        new page repeats its header rows just under its caption)."""
        side = self.side(box, layout)
        if side is None:
            return False
        return not any(c.y1 <= box.y0 if side == "top" else c.y0 >= box.y1 for c in captions)

    def running(self, rows: list[Row], index: int, layout: PageLayout, keys: set[str],
                captions: list[Box]) -> bool:
        """Running heads and page numbers: text in a margin that recurs across pages, or a
        bare number with nothing close above or below it."""
        row = rows[index]
        if not self.outside_captions(row.box, layout, captions):
            return False
        if not _is_number(row.text):
            return running_key(row.text) in keys
        side = self.side(row.box, layout)
        if not any(_number_slot(row, side, shift) in keys for shift in (-1, 0, 1)):
            return False  # a bare number where no page number recurs: a tick label, a cell
        outward = (lambda box: box.y1 <= row.box.y0) if side == "top" else (lambda box: box.y0 >= row.box.y1)
        if any(outward(other.box) and other.box.overlap_x(row.box) > 0 for other in rows):
            return False  # a page number is the outermost text in its place
        for j in rows_near(rows, index):
            other = rows[j].box
            gap = max(other.y0 - row.box.y1, row.box.y0 - other.y1)
            if (gap < 0.8 * row.box.height and other.overlap_y(row.box) < 0.5 * row.box.height
                    and other.overlap_x(row.box) > 0):
                return False
        return True


def find_margins(pages: list[tuple[PageLayout, list[Row]]], is_body: Callable[[Row], bool]) -> Margins:
    """The margins above and below the text block: above the top of the body text on the
    pages that start with it (a low quantile: pages opening with a float start lower), below
    its bottom on the pages that end with it."""
    tops: dict[Shape, list[float]] = defaultdict(list)
    bottoms: dict[Shape, list[float]] = defaultdict(list)
    heights: dict[Shape, float] = {}
    for layout, rows in pages:
        body = [row.box for row in rows if is_body(row)]
        if body:
            shape = _shape(layout)
            heights[shape] = layout.height
            tops[shape].append(min(box.y0 for box in body))
            bottoms[shape].append(max(box.y1 for box in body))
    bands = {}
    for shape, height in heights.items():
        top = min(MAX_BAND * height, max(MARGIN_BAND * height, _quantile(tops[shape], 0.25) - 1.0))
        bottom = max((1 - MAX_BAND) * height, min((1 - MARGIN_BAND) * height, _quantile(bottoms[shape], 0.75) + 1.0))
        bands[shape] = (top, bottom)
    return Margins(bands)


def running_key(text: str) -> str:
    return re.sub(r"[\d\s]+", "", text.lower())


def recurring(pages: int) -> int:
    """On how many pages something must come back to be part of every page's design (running
    heads come back on most pages, or every other page; a table's header row on two or three)."""
    return max(2, math.ceil(RUNNING_SHARE * pages))


def _is_number(text: str) -> bool:
    return not any(ch.isalpha() for ch in running_key(text)) or bool(PAGE_NUMBER.match(text))


def _number_slot(row: Row, side: str, shift: int = 0) -> str:
    """Where a bare number sits: page numbers keep their place from page to page."""
    return f"#{side}:{round(row.box.y0 / 4) + shift}"


def running_keys(pages: list[tuple[PageLayout, list[Row]]], margins: Margins) -> set[str]:
    """Texts of rows in the margins repeated on many pages, and the places where bare
    numbers recur (page numbers)."""
    counts: Counter[str] = Counter()
    for layout, rows in pages:
        keys = set()
        for row in rows:
            side = margins.side(row.box, layout)
            if side:
                keys.add(_number_slot(row, side) if _is_number(row.text) else running_key(row.text))
        counts.update(keys)
    return {key for key, count in counts.items() if count >= recurring(len(pages))}


def drop_page_furniture(models: list[PageModel], margins: Margins) -> None:
    """Drop graphics and text in the margins that recur at the same place on many pages
    (header bars, logos, rules, licence lines). A figure never repeats itself to the point
    on page after page."""

    def key(box: Box) -> tuple[int, int, int, int]:
        return round(box.x0 / 2), round(box.y0 / 2), round(box.x1 / 2), round(box.y1 / 2)

    def in_margin(model: PageModel) -> list[bool]:
        layout = model.layout
        captions = [Frame(c.turns, layout.width, layout.height).to_page(c.box) for c in model.captions]
        return [margins.outside_captions(box, layout, captions) for box in model.content]

    marginal = [in_margin(model) for model in models]
    counts: Counter[tuple[int, int, int, int]] = Counter()
    for model, flags in zip(models, marginal):
        counts.update({key(box) for box, flag in zip(model.content, flags) if flag})
    furniture = {k for k, count in counts.items() if count >= recurring(len(models))}
    for model, flags in zip(models, marginal):
        model.keep_content([not (flag and key(box) in furniture) for box, flag in zip(model.content, flags)])
