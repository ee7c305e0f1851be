"""Caption finder: rows that open with a figure or table label, and the paragraph they start.

A label alone is not enough: body text also starts paragraphs with "Figure 3 shows ...". A
row is a caption candidate when it starts a paragraph and typography sets it apart, by any of
several cues (:class:`Cues`): a delimiter after the label (``Figure 1:``, ``Fig. 1.``,
``TABLE I |``), the label alone on its row or followed by a wide gap, a label font that
differs from the words after it, or a caption set in a font body prose does not use. The
caption then runs on over the rows of its paragraph, a legend paragraph in the caption's own
style included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scitune_data.geometry import Box, union_all
from scitune_data.figures.rows import Row

LABEL = re.compile(
    r"""^(?P<prefix>(?:Supplementary|Supplemental|SUPPLEMENTARY|Extended\s+Data|EXTENDED\s+DATA
                   |Appendix|APPENDIX)\s+)?
    (?P<word>Figure|FIGURE|Fig|FIG|Table|TABLE|Tab|TAB|Scheme|SCHEME)(?P<dot>\.)?[ \t\u00a0]*
    (?P<number>(?:[A-Z]{1,2}[.\-]?)?\d+(?:\.\d+)*|[IVXLC]+\b)?
    (?P<rest>.*)$""",
    re.X | re.S,
)
SMALL_CAPS = re.compile(r"^(F) ?(IG(?:URE)?|ig(?:ure)?)\b|^(T) ?(ABLE|able)\b|^(S) ?(CHEME|cheme)\b")
NOTE_MARK = re.compile(r"^\s*[*\u2217\u2020\u2021\u00a7\u00b6#]")  # a footnote starts with *, ∗, †, ‡, §, ¶
DELIMITER = re.compile(r"^\s*([:.|\u2014\u2013]|-\s)")
PREFIXES = {"supplementary": "Supplementary", "supplemental": "Supplementary", "extended": "Extended Data",
            "appendix": "Appendix"}
MIN_RELATIVE_SIZE = 0.55  # a "caption" in a font this much smaller than the body is figure content
LABEL_GAP = 0.6  # a gap after the label this many font sizes wide sets it apart
SIZE_TOLERANCE = 0.6  # points: a row this close to the body size is set in the body size
TIGHT = 0.5  # rows of one paragraph are at most this share of a row height apart
LEGEND_GAP = 1.3  # a legend paragraph starts at most this many row heights below the title
CELL_WIDTH = 8  # a row narrower than this many font sizes may be a table cell (prose is wider)
TITLE_REACH = 4  # a title starts at most this many font sizes after a label alone on its row
MAX_CAPTION_ROWS = 30  # no caption runs longer


@dataclass(frozen=True, slots=True)
class Label:
    kind: str  # "figure" | "table"
    name: str  # canonical: "Figure 3", "Table IV", "Supplementary Figure S1", "Scheme 1"
    delimiter: str  # ":" "." ... or "" when none
    alone: bool  # nothing but its delimiter follows the label on its row

    @property
    def figure_id(self) -> str:
        return self.name.replace("Supplementary ", "Supp").replace(" ", "")


@dataclass(frozen=True, slots=True)
class TextStyle:
    """What body prose looks like in this document: font and size carrying most characters."""

    font: str
    size: float

    def matches(self, row: Row) -> bool:
        return abs(row.size - self.size) <= SIZE_TOLERANCE and row_font(row) == self.font


@dataclass(frozen=True, slots=True)
class Cues:
    """What sets a caption's label apart from running text."""

    delimiter: bool
    alone: bool
    spaced: bool  # a wide gap after the label
    label_font: bool  # the label is typeset unlike the words after it
    own_font: bool  # the caption is set in a font body prose does not use

    @property
    def strength(self) -> int:
        """Cues of the label itself weigh more than the font of the whole row."""
        return 2 * (self.delimiter + self.alone + self.spaced + self.label_font) + self.own_font


@dataclass(frozen=True, slots=True)
class Caption:
    label: Label
    text: str
    box: Box  # in the reading frame it was found in
    rows: tuple[Row, ...]
    page: int
    turns: int  # reading frame: quarter turns of the caption's text
    cues: Cues | None = None

    @property
    def kind(self) -> str:
        return self.label.kind

    @property
    def text_without_label(self) -> str:
        return strip_label(self.text)

    @property
    def label_only(self) -> bool:
        """Just the label ("Fig. 1."): the text may be printed elsewhere (a facing page)."""
        return not self.text_without_label

    @property
    def style(self) -> tuple[str, str, float]:
        """Delimiter, font and size: captions of one document share them."""
        first = self.rows[0]
        return self.label.delimiter, row_font(first), round(first.size * 2) / 2


def base_font(name: str) -> str:
    """A font name without its subset prefix (``ABCDEF+Times-Bold`` -> ``Times-Bold``)."""
    return name.split("+", 1)[1] if len(name) > 7 and name[6] == "+" else name


def row_font(row: Row) -> str:
    """The font carrying most of a row's characters."""
    weights: dict[str, int] = {}
    for line in row.lines:
        for span in line.spans:
            font = base_font(span.font) + ("/b" if span.bold else "")
            weights[font] = weights.get(font, 0) + len(span.text.strip())
    return max(weights, key=weights.__getitem__) if weights else ""


def _label_match(text: str) -> re.Match[str] | None:
    text = SMALL_CAPS.sub(lambda m: "".join(g for g in m.groups() if g), text.lstrip(), count=1)
    return LABEL.match(text)


def strip_label(caption: str) -> str:
    """The caption without its leading label and the delimiter after it."""
    match = _label_match(caption)
    if not match:
        return caption.strip()
    rest = match["rest"]
    delimiter = DELIMITER.match(rest)
    return (rest[delimiter.end():] if delimiter else rest).strip()


def parse_label(text: str) -> Label | None:
    match = _label_match(text)
    if not match:
        return None
    word, number, rest = match["word"].lower(), match["number"], match["rest"]
    delimiter = DELIMITER.match(rest)
    if number is None and not (match["dot"] or delimiter and delimiter.group(1) == ":"):
        return None  # a bare word is a label only when set as one: "Table." or "Figure:"
    if number and rest[:1].isalnum() and not number[-1].isalpha():
        return None  # "Figure 3a", "Table 12345abc": not a plain label
    kind = "table" if word.startswith("tab") else "figure"
    noun = "Scheme" if word == "scheme" else kind.capitalize()
    prefix = PREFIXES[match["prefix"].split()[0].lower()] + " " if match["prefix"] else ""
    name = f"{prefix}{noun} {number}" if number else f"{prefix}{noun}"
    mark = delimiter.group(1).strip() if delimiter else "." if number is None else ""
    after = rest[delimiter.end():] if delimiter else rest
    return Label(kind, name, mark, not after.strip())


def _label_chars(row: Row) -> int:
    """How many characters of the row's text the label takes ("Figure 12" -> 9)."""
    match = _label_match(row.text)
    if match is None:
        return 0
    end = match.start("rest")
    return len(row.text) - len(row.text.lstrip()) + end


def _spans_after(row: Row, chars: int) -> tuple[list, list]:
    """The row's spans split at ``chars`` characters: (label spans, spans after it)."""
    label, after, seen = [], [], 0
    for line in row.lines:
        for span in line.spans:
            if not span.text.strip():
                seen += len(span.text)
                continue
            (label if seen < chars else after).append(span)
            seen += len(span.text)
        seen += 1  # rows join their lines with a space
    return label, after


def _spaced(row: Row, chars: int) -> bool:
    """Whether the label ends a PyMuPDF line and the row's next line starts a gap away."""
    seen = 0
    for line, following in zip(row.lines, row.lines[1:]):
        seen += len(line.text) + 1
        if seen >= chars:
            gap = following.box.x0 - line.box.x1
            return seen - 1 <= chars + 1 and gap >= LABEL_GAP * line.size
    return False


def caption_cues(row: Row, label: Label, body: TextStyle) -> Cues:
    chars = _label_chars(row)
    label_spans, after = _spans_after(row, chars)
    label_font = bool(label_spans and after) and (
        label_spans[0].bold != after[0].bold
        or base_font(label_spans[0].font) != base_font(after[0].font) and abs(label_spans[0].size - after[0].size) < 0.5)
    return Cues(
        delimiter=bool(label.delimiter),
        alone=label.alone,
        spaced=_spaced(row, chars),
        label_font=label_font,
        own_font=not body.matches(row),
    )


def _row_above(rows: list[Row], index: int) -> Row | None:
    row = rows[index]
    for other in reversed(rows[:index]):
        if other.box.y1 <= row.box.y0 + 0.5 * row.box.height and other.box.overlap_x(row.box) > 0:
            return other
    return None


def _starts_paragraph(row: Row, above: Row | None) -> bool:
    """Whether ``row`` opens a paragraph: the row above is apart from it (a gap, another
    size), or could not be the line before it (a row of table cells, a short label of a
    figure, not a line of the same column)."""
    if above is None:
        return True
    gap = row.box.y0 - above.box.y1
    if gap > 0.35 * row.box.height or abs(above.size - row.size) > 0.5:
        return True
    if above.max_gap > 1.0:
        return True  # cells of a table above, not a line of text
    if above.box.x1 < row.box.x1 - 2 * row.size:
        return True  # the line above ends short: its paragraph (or its table row) ended there
    same_column = abs(above.box.x0 - row.box.x0) <= 2 * row.size or abs(above.box.x1 - row.box.x1) <= 2 * row.size
    return not same_column and above.box.width < 0.5 * row.box.width


def _tight(upper: Row, lower: Row) -> bool:
    return lower.box.y0 - upper.box.y1 <= TIGHT * max(upper.box.height, lower.box.height)


def _reads_on(caption_rows: list[Row], other: Row, body: TextStyle) -> bool:
    """Whether ``other``, the next row down in the caption's column, belongs to the caption:
    a following line of its paragraph (close below, in its size), or a legend paragraph set
    in the caption's own style under a title (a wider gap, but not in the body style)."""
    first, last = caption_rows[0], caption_rows[-1]
    column = union_all(row.box for row in caption_rows)
    justified = abs(other.box.x0 - column.x0) <= 2 and abs(other.box.x1 - column.x1) <= 2
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


def _set_apart(rows: list[Row], other: Row, last: Row, column: Box, graphics: list[Box],
               starts: set[int]) -> bool:
    """Whether ``other`` is cut off from the caption above it: a row of cells (other rows on
    its baseline within the caption's column, or short ones beside it that are not lines of
    a neighbouring caption) or a graphic between them (a table's rule)."""
    cell = other.box.width < CELL_WIDTH * other.size

    def beside(row: Row) -> bool:
        if row is other or row.box.overlap_y(other.box) <= 0.5 * other.box.height:
            return False
        if row.box.overlap_x(column) > 0:
            return True
        return cell and row.box.width < CELL_WIDTH * row.size and not _under_caption(rows, row, starts)

    if any(beside(row) for row in rows):
        return True
    band = Box(column.x0, last.box.y1 - 1, column.x1, other.box.y0 + 1)
    return any(g.overlap_x(band) > 0 and g.y0 >= band.y0 and g.y1 <= band.y1 for g in graphics)


def _under_caption(rows: list[Row], row: Row, starts: set[int]) -> bool:
    """Whether ``row`` ends a paragraph that a caption opens: rows set tightly above it in
    its column lead up to a caption's first row (side-by-side captions end on one line)."""
    index = rows.index(row)
    for _ in range(MAX_CAPTION_ROWS):
        above_index = next((j for j in range(index - 1, -1, -1) if rows[j].box.y1 <= rows[index].box.y0 + 0.5 * rows[index].box.height
                            and rows[j].box.overlap_x(rows[index].box) > 0), None)
        if above_index is None or not _tight(rows[above_index], rows[index]):
            return False
        if id(rows[above_index]) in starts:
            return True
        index = above_index
    return False


def _continuation(rows: list[Row], caption_rows: list[Row], body: TextStyle,
                  graphics: list[Box], starts: set[int]) -> Row | None:
    """The next row of a caption: below the last row in the caption's column (left-aligned
    or centred), or, when a full column ends mid-paragraph, at the caption's height in the
    next column."""
    last, first = caption_rows[-1], caption_rows[0]
    column = union_all(r.box for r in caption_rows if r.box.overlap_x(last.box) > 0)
    if _ends_paragraph(caption_rows, column, body):
        return None
    for other in rows:
        if other.box.y0 < last.box.y1 - 0.5 * last.box.height or other in caption_rows:
            continue
        if not _in_column(other, column):
            continue
        if other.box.y0 - last.box.y1 > LEGEND_GAP * max(last.box.height, other.box.height):
            break
        wider = other.box.x0 < column.x0 - first.size and other.box.x1 > column.x1 + first.size
        if wider and body.matches(other) or _set_apart(rows, other, last, column, graphics, starts):
            return None  # the text around a float, a row of cells, a rule between
        return other if _reads_on(caption_rows, other, body) else None
    for other in rows:  # the paragraph may go on at the top of the next column
        gutter = other.box.x0 - column.x1
        if (abs(other.box.y0 - first.box.y0) < 0.6 * first.box.height
                and 0 < gutter < 3 * first.size and other not in caption_rows
                and last.box.x1 > column.x1 - first.size):
            return other if _same_face(other, first) else None
    return None


def _same_face(other: Row, first: Row) -> bool:
    return (abs(other.size - first.size) <= 0.5 and row_font(other) == row_font(first)
            and other.max_gap <= 1.5 and parse_label(other.text) is None)


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
    return Row(lines, row.box.union(title.box), max(row.max_gap, (title.box.x0 - row.box.x1) / row.size))


def find_captions(rows: list[Row], page: int, turns: int, body: TextStyle,
                  graphics: list[Box] = ()) -> list[Caption]:
    """Every caption candidate that starts on this page, in one reading frame (``graphics``:
    the page's images and paths in that frame)."""
    starts = []
    for index, row in enumerate(rows):
        label = parse_label(row.text)
        if label is None or row.size < MIN_RELATIVE_SIZE * body.size:
            continue
        if not _starts_paragraph(row, _row_above(rows, index)):
            continue
        cues = caption_cues(row, label, body)
        if cues.strength:
            starts.append((row, label, cues))
    first_rows = {id(row) for row, _, _ in starts}
    captions = []
    for row, label, cues in starts:
        caption_rows = [_with_title_beside(rows, row, label)]
        while (following := _continuation(rows, caption_rows, body, graphics, first_rows)) is not None:
            caption_rows.append(following)
        box = union_all(r.box for r in caption_rows)
        captions.append(Caption(label, join_rows(caption_rows), box, tuple(caption_rows), page, turns, cues))
    return captions
