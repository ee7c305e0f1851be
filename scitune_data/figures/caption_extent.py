"""How far a caption runs: the rows of its paragraph below its first row (left-aligned or
centred, over a column break), a title set beside a label, a legend paragraph in the
caption's own face; not a table's header cells, a footnote, the body text around a float
or the last line of a neighbouring caption."""

from __future__ import annotations

from dataclasses import dataclass

from scitune_data.figures.caption_labels import (
    DELIMITER, NOTE_MARK, SIZE_TOLERANCE, Label, TextStyle, parse_label)
from scitune_data.figures.rows import Row
from scitune_data.geometry import Box, union_all

TIGHT = 0.5  # rows of one paragraph are at most this share of a row height apart...
SOLID = 0.25  # ...and at most this share when set at the paragraph's own leading (not a float's spacing)
LEGEND_GAP = 1.3  # a legend paragraph starts at most this many row heights below the title
CELL_WIDTH = 8  # a row narrower than this many font sizes may be a table cell (prose is wider)
TITLE_REACH = 4  # a title starts at most this many font sizes after a label alone on its row
MAX_CAPTION_ROWS = 30  # no caption runs longer
CENTRE_SLACK = 2.0  # points: rows centred on one axis have centres this close
EDGE = 2.0  # points: rows of a justified paragraph start and end this close to its edges
FULL_LINE = 0.9  # a row this share of its text column's width may be a line of the body text


@dataclass(frozen=True, slots=True)
class CaptionPage:
    """What a caption's extent is judged against, in one reading frame."""

    rows: list[Row]
    body: TextStyle
    graphics: list[Box]  # images and paths
    starts: set[int]  # ids of the rows that open captions
    columns: tuple[tuple[float, float], ...] = ()  # the page's text columns (empty when turned)

    def column_of(self, box: Box) -> tuple[float, float] | None:
        return next(((left, right) for left, right in self.columns if left - 2 <= box.center_x <= right + 2), None)


def _spacing(upper: Row, lower: Row) -> float:
    """The blank between two rows, in row heights."""
    return (lower.box.y0 - upper.box.y1) / max(upper.box.height, lower.box.height, 0.1)


def _tight(upper: Row, lower: Row) -> bool:
    return _spacing(upper, lower) <= TIGHT


def _reads_on(caption_rows: list[Row], other: Row, body: TextStyle) -> bool:
    """Whether ``other``, the next row down in the caption's column, belongs to the caption:
    a following line of its paragraph (close below, in its size), or a legend paragraph set
    in the caption's own style under a title (a wider gap, but not in the body style)."""
    first, last = caption_rows[0], caption_rows[-1]
    column = union_all(row.box for row in caption_rows)
    justified = abs(other.box.x0 - column.x0) <= EDGE and abs(other.box.x1 - column.x1) <= EDGE
    if other.max_gap > 1.5 and not justified:
        return False  # cells, not a line of text (a justified line may stretch its spaces)
    if parse_label(other.text) is not None and not _tight(last, other):
        return False
    same_block = other.lines[0].block == last.lines[-1].block
    if _tight(last, other) and abs(other.size - first.size) <= (1.5 if same_block else 0.5):
        return True
    gap = other.box.y0 - last.box.y1
    caption_style = not body.matches(first)
    return (caption_style and not body.matches(other) and gap <= LEGEND_GAP * other.box.height
            and other.size <= first.size + SIZE_TOLERANCE and not NOTE_MARK.match(other.text))


def _in_column(other: Row, column: Box) -> bool:
    return other.box.overlap_x(column) >= 0.5 * min(other.box.width, column.width)


def _wraps_on(caption_rows: list[Row], other: Row, column: Box) -> bool:
    """Whether ``other`` is where a wrapped caption paragraph goes on: the caption's last row
    is full (it ends at the column's right edge), and ``other`` starts at its left edge, tight
    under it, in the same text block of the PDF (a short last line, even with a neighbouring
    float's cells beside it, as side-by-side minipages set them)."""
    last = caption_rows[-1]
    return (len(caption_rows) > 1 and last.box.x1 >= column.x1 - last.size and abs(other.box.x0 - column.x0) <= EDGE
            and other.lines[0].block == last.lines[-1].block and _tight(last, other))


def _with_stretched_pieces(rows: list[Row], other: Row, column: Box) -> Row:
    """``other`` joined with the rest of its line when it is a justified line of the caption
    that the PDF split at a space stretched wider than a column gap (two long words filling a
    narrow minipage): from the column's left edge to pieces on its baseline, in its text
    block, ending at the column's right edge."""
    if abs(other.box.x0 - column.x0) > EDGE or other.box.x1 >= column.x1 - EDGE:
        return other
    pieces = sorted((row for row in rows if row.box.x0 > other.box.x1 and row.box.x1 <= column.x1 + EDGE
                     and row.box.overlap_y(other.box) > 0.6 * other.box.height
                     and row.lines[0].block == other.lines[-1].block), key=lambda row: row.box.x0)
    if not pieces or pieces[-1].box.x1 < column.x1 - EDGE:
        return other
    lines = other.lines + tuple(line for piece in pieces for line in piece.lines)
    gaps = [(b.box.x0 - a.box.x1) / max(a.size, 1.0) for a, b in zip(lines, lines[1:])]
    return Row.of(lines, max([other.max_gap] + gaps))


def _set_apart(page: CaptionPage, caption_rows: list[Row], other: Row, column: Box) -> bool:
    """Whether ``other`` is cut off from the caption above it: a row of cells (other rows on
    its baseline within the caption's column, or short ones beside it in its text column
    that are not lines of a neighbouring caption, unless ``other`` is where the caption's
    wrapped paragraph goes on) or a graphic between them (a table's rule)."""
    cell = other.box.width < CELL_WIDTH * other.size and not _wraps_on(caption_rows, other, column)

    def beside(row: Row) -> bool:
        if row is other or row.lines[0] in other.lines or row.box.overlap_y(other.box) <= 0.5 * other.box.height:
            return False
        if row.box.overlap_x(column) > 0:
            return True
        return (cell and row.box.width < CELL_WIDTH * row.size and page.column_of(row.box) == page.column_of(other.box)
                and not _under_caption(page, row))

    if any(beside(row) for row in page.rows):
        return True
    band = Box(column.x0, caption_rows[-1].box.y1 - 1, column.x1, other.box.y0 + 1)
    return any(g.overlap_x(band) > 0 and g.y0 >= band.y0 and g.y1 <= band.y1 for g in page.graphics)


def _under_caption(page: CaptionPage, row: Row) -> bool:
    """Whether ``row`` ends a paragraph that a caption opens: rows set tightly above it in
    its column lead up to a caption's first row (side-by-side captions end on one line)."""
    rows, index = page.rows, page.rows.index(row)
    for _ in range(MAX_CAPTION_ROWS):
        above_index = next((j for j in range(index - 1, -1, -1) if rows[j].box.y1 <= rows[index].box.y0 + 0.5 * rows[index].box.height
                            and rows[j].box.overlap_x(rows[index].box) > 0), None)
        if above_index is None or not _tight(rows[above_index], rows[index]):
            return False
        if id(rows[above_index]) in page.starts:
            return True
        index = above_index
    return False


def _continuation(page: CaptionPage, caption_rows: list[Row]) -> Row | None:
    """The next row of a caption: below the last row in the caption's column (left-aligned
    or centred), or, when a full column ends mid-paragraph, at the caption's height in the
    next column."""
    rows, body = page.rows, page.body
    last, first = caption_rows[-1], caption_rows[0]
    column = union_all(r.box for r in caption_rows if r.box.overlap_x(last.box) > 0)
    ended = _ends_paragraph(caption_rows, column, body)
    if ended and not _centred(caption_rows):
        return None
    for other in rows:
        if other.box.y0 < last.box.y1 - 0.5 * last.box.height or other in caption_rows:
            continue
        if not _in_column(other, column):
            continue
        if other.box.y0 - last.box.y1 > LEGEND_GAP * max(last.box.height, other.box.height):
            break
        other = _with_stretched_pieces(rows, other, column)
        wider = other.box.x0 < column.x0 - first.size and other.box.x1 > column.x1 + first.size
        solid = _spacing(last, other) <= SOLID  # a centred caption's wider next line, not body text after the float
        if wider and body.matches(other) and not solid or _set_apart(page, caption_rows, other, column):
            return None  # the text around a float, a row of cells, a rule between
        if ended and not _centred_within(page, caption_rows, other):
            return None
        return other if _reads_on(caption_rows, other, body) else None
    if ended:
        return None
    for other in rows:  # the paragraph may go on at the top of the next column
        gutter = other.box.x0 - column.x1
        if (abs(other.box.y0 - first.box.y0) < 0.6 * first.box.height
                and 0 < gutter < 3 * first.size and other not in caption_rows
                and last.box.x1 > column.x1 - first.size):
            return other if _same_face(other, first) else None
    return None


def _same_face(other: Row, first: Row) -> bool:
    return (abs(other.size - first.size) <= 0.5 and other.font == first.font
            and other.max_gap <= 1.5 and parse_label(other.text) is None)


def _centred(caption_rows: list[Row]) -> bool:
    """Whether the rows are a centred paragraph: one axis, ragged on both sides."""
    centres = [row.box.center_x for row in caption_rows]
    lefts = [row.box.x0 for row in caption_rows]
    return len(caption_rows) > 1 and max(centres) - min(centres) <= CENTRE_SLACK and max(lefts) - min(lefts) > CENTRE_SLACK


def _centred_within(page: CaptionPage, caption_rows: list[Row], other: Row) -> bool:
    """Whether ``other`` goes on a centred caption after a short row (a narrow minipage wraps
    its caption at any width): it is centred on the caption's axis and is not a line of the
    text column around the float."""
    axis = caption_rows[0].box.center_x
    text_column = page.column_of(other.box)
    narrower = text_column is None or other.box.width < FULL_LINE * (text_column[1] - text_column[0])
    return abs(other.box.center_x - axis) <= CENTRE_SLACK and narrower


def _ends_paragraph(caption_rows: list[Row], column: Box, body: TextStyle) -> bool:
    """A row clearly shorter than the caption column closes a caption set like body prose
    (a label alone on its row, as in ``Table 2`` over its title, does not; a caption in its
    own style may go on with a legend paragraph)."""
    last = caption_rows[-1]
    if len(caption_rows) == 1 and parse_label(last.text).alone:
        return False
    if not body.matches(caption_rows[0]):
        return False
    return last.box.width < 0.8 * column.width and len(caption_rows) > 1 or (
        len(caption_rows) == 1 and last.box.x1 < column.x1 - 3 * last.size)


def join_rows(rows: list[Row]) -> str:
    """Caption text as printed: rows joined by spaces, a line-end hyphen kept and closed up."""
    text = ""
    for row in rows:
        line = " ".join(row.text.split())
        text = f"{text}{line}" if not text or text.endswith("-") else f"{text} {line}"
    return text


def _with_title_beside(rows: list[Row], row: Row, label: Label) -> Row:
    """A label row and the title set after it on the same baseline across a wide gap
    (IEEE's ``TABLE I.    SIMULATION PARAMETERS``), as one row."""
    if not label.alone:
        return row
    beside = [other for other in rows if other is not row and other.box.overlap_y(row.box) > 0.6 * row.box.height
              and 0 < other.box.x0 - row.box.x1 <= TITLE_REACH * row.size and parse_label(other.text) is None]
    if not beside:
        return row
    title = min(beside, key=lambda other: other.box.x0)
    lines = row.lines + title.lines
    return Row.of(lines, max(row.max_gap, (title.box.x0 - row.box.x1) / row.size))




def caption_rows(page: CaptionPage, row: Row, label: Label) -> list[Row]:
    """The rows of the caption that ``row`` opens."""
    rows = [_with_title_beside(page.rows, row, label)]
    while len(rows) < MAX_CAPTION_ROWS and (following := _continuation(page, rows)) is not None:
        rows.append(following)
    return rows
