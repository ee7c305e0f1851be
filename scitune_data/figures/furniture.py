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
from scitune_data.figures.rows import Row
from scitune_data.geometry import Box
from scitune_data.pdf.layout import PageLayout

if TYPE_CHECKING:
    from scitune_data.figures.page_model import PageModel

MARGIN_BAND = 0.12  # without a measured text block, running heads live in this share of the page
MAX_BAND = 0.25  # ...and margins measured wider than this share are floats opening every page
RUNNING_SHARE = 0.3  # furniture recurs on at least this share of the pages
PAGE_NUMBER = re.compile(r"^(page\s+)?[ivxlc]+$|^\d+$", re.I)
EDGE_NUMBER = re.compile(r"^(\d{1,4})\s|\s(\d{1,4})$")  # a page number opening or closing a running head

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
        """Running heads and page numbers: text in a margin that recurs across pages (a page
        number: where bare numbers recur), with nothing but other furniture between it and
        its page edge (a figure's legend or a table's header row recurs too, below a plot
        frame or above a caption)."""
        row = rows[index]
        if not self.outside_captions(row.box, layout, captions):
            return False
        side = self.side(row.box, layout)
        if not _is_number(row.text):
            if not _recurs(row, keys) and not _beside_page_number(row, rows, side, keys):
                return False
        elif not _is_page_number(row, side, keys):
            return False  # a bare number where no page number recurs: a tick label, a cell
        return self._outermost(row, rows, layout, keys, side)

    def _outermost(self, row: Row, rows: list[Row], layout: PageLayout, keys: set[str], side: str) -> bool:
        """Nothing but recurring text, or ink in the page's outer band, lies between ``row``
        and its page edge."""
        band = MARGIN_BAND * layout.height

        def outward(box: Box) -> bool:
            if box.overlap_x(row.box) <= 0:
                return False
            return box.y1 <= row.box.y0 and box.y0 > band if side == "top" else (
                box.y0 >= row.box.y1 and box.y1 < layout.height - band)

        def furniture(other: Row) -> bool:
            return _is_page_number(other, side, keys) if _is_number(other.text) else _recurs(other, keys)

        def next_inward(box: Box) -> bool:
            """Ink just inside ``row`` (within a line height): a running head stands apart."""
            if box.overlap_x(row.box) <= 0:
                return False
            gap = box.y0 - row.box.y1 if side == "top" else row.box.y0 - box.y1
            return 0 <= gap < 0.8 * row.box.height or box.overlap_y(row.box) > 0 and box is not row.box

        if any(outward(graphic) for graphic in layout.graphics):
            return False
        if any(outward(other.box) and not furniture(other) for other in rows):
            return False
        return not any(next_inward(other.box) and not furniture(other) for other in rows if other is not row)


OUTER = Margins()  # the fixed bands, whatever the text block


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
    """Where a bare number sits, height and right edge (page numbers keep their place from
    page to page, or alternate between two places on facing pages)."""
    return f"#{side}:{round(row.box.y0 / 4) + shift}:{round(row.box.x1 / 24)}"


def _is_page_number(row: Row, side: str, keys: set[str]) -> bool:
    return _is_number(row.text) and any(_number_slot(row, side, shift) in keys for shift in (-1, 0, 1))


def _beside_page_number(row: Row, rows: list[Row], side: str, keys: set[str]) -> bool:
    """A head's text on the page number's baseline (set once: a title on the only odd page)."""
    return any(other.box.overlap_y(row.box) > 0.5 * row.box.height and _is_page_number(other, side, keys)
               for other in rows if other is not row)


def _text_slot(row: Row, shift: int = 0) -> str:
    """A text and where it sits: a running head keeps both from page to page."""
    return f"{running_key(row.text)}@{round(row.box.y0 / 4) + shift}"


def _recurs(row: Row, keys: set[str]) -> bool:
    return any(_text_slot(row, shift) in keys for shift in (-1, 0, 1))


def _edgemost(row: Row, rows: list[Row], layout: PageLayout, side: str) -> bool:
    """Whether no text or graphic lies between ``row`` and its page edge (a head, not a tick
    label under a plot's frame)."""
    def outward(box: Box) -> bool:
        return box.overlap_x(row.box) > 0 and (box.y1 <= row.box.y0 if side == "top" else box.y0 >= row.box.y1)

    return not any(outward(graphic) for graphic in layout.graphics) and not any(outward(other.box) for other in rows)


def _note_head(heads: dict[int, tuple[float, str]], page_index: int, row: Row, side: str, slot: str) -> None:
    """Keep, per page, the outermost row carrying a number that fits the page's place in the
    document (the page number, not a tick label at the top of a plot under it)."""
    depth = row.box.y0 if side == "top" else -row.box.y1
    if page_index not in heads or depth < heads[page_index][0]:
        heads[page_index] = (depth, slot)


def running_keys(pages: list[tuple[PageLayout, list[Row]]], margins: Margins) -> set[str]:
    """Texts of rows in the margins repeated at the same height on many pages (running
    heads), and the places where page numbers stand: bare numbers there count up with the
    pages (a table's cells or a plot's ticks at the top of several pages do not)."""
    counts: Counter[str] = Counter()
    numbers: dict[str, list[int]] = defaultdict(list)  # slot -> number minus page index
    numbered_heads: dict[tuple[str, int], dict[int, tuple[float, str]]] = defaultdict(dict)  # see _note_head
    for page_index, (layout, rows) in enumerate(pages):
        keys = set()
        for row in rows:
            side = margins.side(row.box, layout)
            if not side:
                continue
            if not _is_number(row.text):
                keys.add(_text_slot(row))
                if (match := EDGE_NUMBER.search(row.text.strip())) and _edgemost(row, rows, layout, side):
                    _note_head(numbered_heads[side, int(match.group(1) or match.group(2)) - page_index],
                               page_index, row, side, _text_slot(row))
            elif row.text.strip().isdigit():
                offset = int(row.text.strip()) - page_index
                numbers[_number_slot(row, side)].append(offset)
                if _edgemost(row, rows, layout, side):
                    _note_head(numbered_heads[side, offset], page_index, row, side, _number_slot(row, side))
        counts.update(keys)
    least = recurring(len(pages))
    found = {key for key, count in counts.items() if count >= least}
    # a head set with the page number, or a page number alone, alternating between places
    # (a title on odd pages, authors on even ones) is furniture where the numbers count up
    # with the pages, though its text or place may come once
    found.update(*([slot for _, slot in heads.values()] for heads in numbered_heads.values() if len(heads) >= least))
    for slot, offsets in numbers.items():
        if len(offsets) >= least and Counter(offsets).most_common(1)[0][1] >= max(least, len(offsets) // 2):
            found.add(slot)
    return found


def drop_page_furniture(models: list[PageModel]) -> None:
    """Drop graphics and text in the outer bands that recur at the same place on many pages
    (header bars, logos, rules, licence lines). A figure never repeats itself to the point
    on page after page so close to the edge."""

    def key(box: Box) -> tuple[int, int, int, int]:
        return round(box.x0 / 2), round(box.y0 / 2), round(box.x1 / 2), round(box.y1 / 2)

    def in_margin(model: PageModel) -> list[bool]:
        """In the page's outer bands (a fixed share: recurring furniture sits at the very top
        and foot), with no caption between it and the page edge."""
        layout = model.layout
        captions = [Frame(c.turns, layout.width, layout.height).to_page(c.box) for c in model.captions]
        return [OUTER.outside_captions(box, layout, captions) for box in model.content]

    marginal = [in_margin(model) for model in models]
    counts: Counter[tuple[int, int, int, int]] = Counter()
    for model, flags in zip(models, marginal):
        counts.update({key(box) for box, flag in zip(model.content, flags) if flag})
    furniture = {k for k, count in counts.items() if count >= recurring(len(models))}
    for model, flags in zip(models, marginal):
        model.keep_content([not (flag and key(box) in furniture) for box, flag in zip(model.content, flags)])
