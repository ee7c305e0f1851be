"""Sort a page's ink into what bounds a figure (body prose, headings, running heads, captions)
and what a figure is made of (graphics, and text that is not prose).

Body prose is told from text inside figures and tables by the document's own style: its most
common font size, the width of a full column line, and word gaps of a space, not of a column.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from scitune_data.geometry import Box
from scitune_data.figures.caption_labels import NOTE_MARK, TextStyle
from scitune_data.figures.captions import Caption, find_captions
from scitune_data.figures.frame import rotate_layout
from scitune_data.figures.furniture import Margins
from scitune_data.figures.rows import Row, build_rows, is_cell, rows_near
from scitune_data.pdf.layout import PageLayout, PathStyle

SIZE_TOLERANCE = 0.6  # points: rows this close to the body size are set in the body font
WIDE = 0.7  # in ragged-right text, a line this share of its column's width is a full line
MIN_COLUMN = 8  # text columns are at least this many body sizes wide
TURNED_LINE = 0.9  # turned text is a line of prose when this share of a text column long
LINE_SHARE = 0.7  # upright text this share of a column wide with word gaps only is running text
PROSE_GAP = 1.0  # widest gap inside a prose row, in font sizes
HEADING_MIN_SIZE = 0.7  # headings, small capitals too, are at least this share of the body size; a figure's tiny text is not
SECTION_NUMBER = re.compile(r"^\s*([1-9]\d?(\.\d{1,2})*\.?|[IVX]+\.|[A-Z]\.?)\s*$")  # a heading's number alone
NOTE_WORD = re.compile(r"^(Notes?|NOTES?|Abbreviations?|Source|Sources)\s*[:.]")
SUPERSCRIPT_FLAG = 1
HEADING = re.compile(
    r"^(([1-9]\d?(\.\d{1,2})*\.?|[IVX]+\.|[A-Z]\.?)\s+[^\W\d_]"  # "2.1 Data", not a cell "0.929 (39%)"
    r"|(?i:abstract|references|bibliography|acknowledge?ments?|introduction|conclusions?|related work"
    r"|appendix)\b"
    r"|(?i:supplementary (material|information|data)s?|data availability|funding|author contributions?"
    r"|competing interests?|conflicts? of interests?|declarations?)\s*$)"  # unnumbered back matter
)


@dataclass(frozen=True, slots=True)
class Column:
    """A text column of the document: where its full lines start and end."""

    left: float
    right: float
    justified: bool  # lines end at ``right`` (else ragged: they end before it)


@dataclass(frozen=True, slots=True)
class DocumentStyle:
    body: TextStyle
    columns: tuple[Column, ...] = ()  # one per column position (and page parity)

    @property
    def body_size(self) -> float:
        return self.body.size

    def column_span(self, box: Box) -> tuple[float, float] | None:
        """The left and right edges of the text columns ``box`` reaches into (a float and
        its caption fill whole columns), or None on a page without a known grid."""
        reached = [c for c in self.columns if min(c.right, box.x1) - max(c.left, box.x0) > self.body_size]
        if not reached:
            return None
        slack = self.body_size
        return min(c.left for c in reached) - slack, max(c.right for c in reached) + slack

    @property
    def text_block(self) -> tuple[float, float]:
        """Left and right edges of the text block (the outermost columns)."""
        return min(c.left for c in self.columns), max(c.right for c in self.columns)

    def beyond_text_block(self, box: Box) -> bool:
        """Whether a line is wider than the document's text block: a line of a landscape
        page's text, which the portrait pages' columns do not describe."""
        if not self.columns:
            return False
        left, right = self.text_block
        return box.width > right - left + 3 * self.body_size

    def full_line(self, box: Box) -> bool:
        """Whether a line fills one of the document's columns: starts at its left edge (or an
        indent after it) and ends at its right edge (justified) or close to it (ragged)."""
        if not self.columns:
            return True
        for column in self.columns:
            if not column.left - 3 <= box.x0 <= column.left + 3 * self.body_size:
                continue
            if column.justified and abs(box.x1 - column.right) <= 3:
                return True
            if not column.justified and box.x1 <= column.right + 3 and (
                    box.width >= WIDE * (column.right - column.left)):
                return True
        return False


@dataclass(slots=True)
class PageModel:
    """One page's ink, classified, in page coordinates."""

    layout: PageLayout
    rows: dict[int, list[Row]]  # rows by reading direction (quarter turns)
    blockers: list[Box] = field(default_factory=list)  # prose, headings, running heads
    content: list[Box] = field(default_factory=list)  # graphics and non-prose text
    prose: list[Row] = field(default_factory=list)  # upright body-size text and caption rows
    headings: set[int] = field(default_factory=set)  # ids of rows in ``prose`` that are headings
    raster_count: int = 0  # content[:raster_count] are raster images...
    graphic_count: int = 0  # ...content[:graphic_count] all graphics, the rest text
    captions: list[Caption] = field(default_factory=list)
    notes: set[int] = field(default_factory=set)  # indices into content of footnote-like text
    running_text: set[int] = field(default_factory=set)  # ...of lines of running text in another size
    path_styles: list[PathStyle] = field(default_factory=list)  # how content[raster_count:graphic_count] is drawn

    def keep_content(self, keep: list[bool]) -> None:
        """Drop content elements (``keep[i]`` false), keeping rasters, paths and text in order."""
        renumbered = {old: new for new, old in enumerate(i for i, kept in enumerate(keep) if kept)}
        self.path_styles = [style for style, kept in zip(self.path_styles, keep[self.raster_count:self.graphic_count])
                            if kept]
        self.raster_count = sum(keep[:self.raster_count])
        self.graphic_count = sum(keep[:self.graphic_count])
        self.content = [box for box, kept in zip(self.content, keep) if kept]
        self.notes = {renumbered[i] for i in self.notes if i in renumbered}
        self.running_text = {renumbered[i] for i in self.running_text if i in renumbered}


def page_rows(layout: PageLayout) -> dict[int, list[Row]]:
    """Rows in every reading direction present on the page, in that direction's frame."""
    directions = {line.turns for line in layout.lines if line.turns is not None}
    rows = {}
    for turns in sorted(directions):
        rotated, _ = rotate_layout(layout, turns)
        rows[turns] = build_rows(rotated.lines)
    return rows


def document_style(all_rows: list[Row]) -> DocumentStyle:
    sizes: Counter[float] = Counter()
    fonts: Counter[str] = Counter()
    for row in all_rows:
        sizes[round(row.size * 2) / 2] += len(row.text)
    body_size = sizes.most_common(1)[0][0] if sizes else 10.0
    for row in all_rows:
        if abs(row.size - body_size) <= SIZE_TOLERANCE:
            fonts[row.font] += len(row.text)
    body = TextStyle(fonts.most_common(1)[0][0] if fonts else "", body_size)
    prose = [row.box for row in all_rows
             if abs(row.size - body_size) <= SIZE_TOLERANCE and row.max_gap <= PROSE_GAP
             and row.box.width >= MIN_COLUMN * body_size and _wordy(row.text)]
    indent = 3 * body_size
    return DocumentStyle(body, _justified_columns(prose, indent) or _ragged_columns(prose))


def _wordy(text: str) -> bool:
    """A line of words (prose), not a run of numbers (a long table's rows share edges too)."""
    letters = [ch for ch in text if not ch.isspace()]
    return len(text.split()) >= 4 and sum(ch.isalpha() for ch in letters) >= 0.6 * len(letters)


def _justified_columns(lines: list[Box], indent: float) -> tuple[Column, ...]:
    """Columns whose full lines share both edges to the point (justified text); the indented
    first lines of paragraphs belong to the column they are indented in."""
    minimum = max(3, len(lines) // 40)
    columns: list[Column] = []
    for (left, right), count in Counter((round(b.x0), round(b.x1)) for b in lines).most_common():
        if count < minimum:
            break
        if not any(abs(right - c.right) <= 4 and -4 <= left - c.left <= indent for c in columns):
            columns.append(Column(left, right, justified=True))
    return tuple(columns)


def _ragged_columns(lines: list[Box]) -> tuple[Column, ...]:
    """Columns of ragged-right text: shared left edges, right edge where most lines end."""
    minimum = max(3, len(lines) // 40)
    columns: list[Column] = []
    for left, count in Counter(round(b.x0) for b in lines).most_common():
        if count < minimum:
            break
        if any(abs(left - c.left) <= 4 for c in columns):
            continue
        ends = sorted(b.x1 for b in lines if abs(b.x0 - left) <= 1)
        columns.append(Column(left, ends[int(0.9 * (len(ends) - 1))], justified=False))
    return tuple(columns)


def is_prose(row: Row, style: DocumentStyle) -> bool:
    """Body-size text with word gaps, not column gaps (a justified full line may stretch its
    spaces to twice that)."""
    if abs(row.size - style.body_size) > SIZE_TOLERANCE:
        return False
    return row.max_gap <= PROSE_GAP or row.max_gap <= 2 * PROSE_GAP and style.full_line(row.box)


def _title_gap(row: Row) -> float:
    """The widest word gap of a heading's title, leaving out the quad after its number
    (``2<quad>Background``)."""
    lines = row.lines
    if len(lines) > 1 and SECTION_NUMBER.match(lines[0].text):
        lines = lines[1:]
    gaps = [(b.box.x0 - a.box.x1) / max(a.size, b.size, 1.0) for a, b in zip(lines, lines[1:])]
    return max(gaps, default=0.0)


CAPITALS_WORD = re.compile(r"\b[^\W\d_]{4,}\b")


def _in_capitals(text: str) -> bool:
    """Set in capitals or small capitals (IEEE's "IV. RESULTS", a publisher's "APPENDIX").

    A word of four letters or more is needed: a plot's markers ("G G G") or units ("10 MHZ")
    are capitals too, but no heading.
    """
    return text == text.upper() and bool(CAPITALS_WORD.search(text))


def _worded(text: str) -> bool:
    """Whether a heading's title, after its number, is words rather than numbers and codes
    (a grid of labelled cells in a figure, "1 E2 2 E4 3", is no heading)."""
    title = text.split(None, 1)[1] if len(text.split()) > 1 else text
    return sum(ch.isalpha() for ch in title) > sum(ch.isdigit() for ch in title)


def _italic_words(row: Row) -> bool:
    """Whether the row's words are all set in italics (a run-in subsection heading,
    "6.3. Example 3: Stellar rotation", its number upright)."""
    letters = [(span.italic, sum(ch.isalpha() for ch in span.text)) for line in row.lines for span in line.spans]
    total = sum(count for _, count in letters)
    return total > 0 and sum(count for italic, count in letters if italic) == total


def _is_heading(row: Row, style: DocumentStyle) -> bool:
    if row.size < HEADING_MIN_SIZE * style.body_size:
        return False
    stands_out = (row.size > style.body_size + SIZE_TOLERANCE or row.bold_start or _in_capitals(row.text)
                  or _italic_words(row))
    return stands_out and _title_gap(row) <= PROSE_GAP and bool(HEADING.match(row.text)) and _worded(row.text)


def _same_paragraph(row: Row, other: Row, style: DocumentStyle) -> bool:
    gap = max(row.box.y0 - other.box.y1, other.box.y0 - row.box.y1)
    aligned = (abs(row.box.x0 - other.box.x0) <= 2 * style.body_size
               or abs(row.box.x1 - other.box.x1) <= 2 * style.body_size)
    return -1 <= gap <= 0.5 * row.box.height and aligned and other.box.overlap_x(row.box) > 0


def heading_rows(rows: list[Row], style: DocumentStyle) -> set[int]:
    """Indices of section headings, a heading's wrapped second line included."""
    headings = {i for i, row in enumerate(rows) if _is_heading(row, style)}
    for i in sorted(headings):
        last = rows[i]
        for j in range(i + 1, min(i + 4, len(rows))):
            row = rows[j]
            if (0 <= row.box.y0 - last.box.y1 <= 0.5 * row.box.height and row.bold_start == last.bold_start
                    and abs(row.size - last.size) <= 0.3 and last.box.x0 - 1 <= row.box.x0 < last.box.x1):
                headings.add(j)
                last = row
    return headings


def body_rows(rows: list[Row], style: DocumentStyle, headings: set[int], upright: bool = True) -> set[int]:
    """Indices of rows that are running prose: wide prose rows and headings, then the rows of
    the same paragraphs (indented first lines, short last lines). Turned text (``upright``
    false) is prose only in lines a column wide: short turned text labels a figure's axis."""

    column = min((c.right - c.left for c in style.columns), default=MIN_COLUMN * style.body_size)

    def seeds(row: Row) -> bool:
        if upright:
            return style.full_line(row.box) or style.beyond_text_block(row.box) and _wordy(row.text)
        return row.box.width >= TURNED_LINE * column

    body = {i for i, row in enumerate(rows) if is_prose(row, style) and seeds(row)}
    body |= headings
    changed = True
    while changed:
        changed = False
        for i, row in enumerate(rows):
            if i in body or not is_prose(row, style) or is_cell(rows, row, style.body_size):
                continue
            if any(j in body and _same_paragraph(row, rows[j], style) for j in rows_near(rows, i)):
                body.add(i)
                changed = True
    return body


def is_note(row: Row) -> bool:
    """Text that opens like a footnote: a note mark, a superscript marker, or "Note:"."""
    first = row.lines[0].spans[0]
    return bool(NOTE_MARK.match(row.text) or NOTE_WORD.match(row.text)
                or first.flags & SUPERSCRIPT_FLAG and len(row.text) > len(first.text.strip()) + 3)


def trim_clipped_images(images: list[Box], blockers: list[Box]) -> list[Box]:
    """Images whose box runs under body prose are drawn through a clip path (their box is the
    unclipped one): cut each back to the side of the prose that holds its centre."""
    trimmed = []
    for image in images:
        box = image
        for prose in blockers:
            if prose.covered_fraction(box) < 0.5:
                continue
            if prose.width < 0.8 * box.width:  # prose of a column the image only partly spans
                right = prose.center_x > box.center_x
                box = Box(box.x0, box.y0, prose.x0, box.y1) if right else Box(prose.x1, box.y0, box.x1, box.y1)
            else:
                below = prose.center_y > box.center_y
                box = Box(box.x0, box.y0, box.x1, prose.y0) if below else Box(box.x0, prose.y1, box.x1, box.y1)
            if box.width <= 1 or box.height <= 1:
                break
        if box.width > 1 and box.height > 1:
            trimmed.append(box)
    return trimmed


def build_page_model(layout: PageLayout, rows: dict[int, list[Row]], style: DocumentStyle,
                     margins: Margins, keys: set[str]) -> PageModel:
    model = PageModel(layout, rows)
    text_notes: list[int] = []
    text_lines: list[int] = []  # lines nearly a text column wide: running text, not cells
    column = min((c.right - c.left for c in style.columns), default=MIN_COLUMN * style.body_size)
    for turns, frame_rows in rows.items():
        rotated, frame = rotate_layout(layout, turns)
        columns = tuple((c.left, c.right) for c in style.columns) if turns == 0 else ()
        captions = find_captions(frame_rows, layout.number, turns, style.body, rotated.graphics, columns)
        caption_rows = {id(row) for caption in captions for row in caption.rows}
        caption_boxes = [caption.box for caption in captions]
        headings = heading_rows(frame_rows, style) if turns == 0 else set()
        body = body_rows(frame_rows, style, headings, upright=turns == 0)
        for index, row in enumerate(frame_rows):
            box = frame.to_page(row.box)
            if id(row) in caption_rows:
                if turns == 0:
                    model.prose.append(row)
                continue
            running = margins.running(frame_rows, index, rotated, keys, caption_boxes)
            if index in body or running:
                model.blockers.append(box)
            else:
                if is_note(row):
                    text_notes.append(len(model.content))
                elif row.max_gap <= PROSE_GAP and row.box.width >= LINE_SHARE * column:
                    text_lines.append(len(model.content))
                model.content.append(box)
            if turns == 0 and not running and (is_prose(row, style) or index in headings):
                model.prose.append(row)
                if index in headings:
                    model.headings.add(id(row))
        model.captions.extend(captions)
    rasters = trim_clipped_images(layout.images, model.blockers)
    model.raster_count = len(rasters)
    model.graphic_count = len(rasters) + len(layout.paths)
    model.content[:0] = rasters + layout.paths
    model.path_styles = list(layout.path_styles)
    model.notes = {i + model.graphic_count for i in text_notes}
    model.running_text = {i + model.graphic_count for i in text_lines}
    model.content.extend(line.box for line in layout.lines if line.turns is None)
    return model
