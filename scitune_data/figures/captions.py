"""Caption finder: rows that open with a figure or table label, and the paragraph they start.

A label alone is not enough: body text also starts lines with "Figure 3 shows ...". A row
counts as a caption when it starts a paragraph and its label is set apart from what follows:
a delimiter (``Figure 1:``, ``Fig. 1.``, ``TABLE I |``), the label alone on its row
(``Table 2`` over its title), or a label font that differs from the text after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scitune_data.geometry import Box, union_all
from scitune_data.figures.rows import Row

LABEL = re.compile(
    r"""^(?P<prefix>(?:Supplementary|Supplemental|Extended\s+Data)\s+)?
    (?P<word>Figure|FIGURE|Fig\.?|FIG\.?|Table|TABLE|Tab\.?|TAB\.?)\s*
    (?P<number>(?:[A-Z]\.?)?\d+(?:\.\d+)?|[IVXLC]+\b)
    (?P<rest>.*)$""",
    re.X | re.S,
)
DELIMITER = re.compile(r"^\s*([:.|\u2014\u2013]|-\s)")
MIN_RELATIVE_SIZE = 0.55  # a "caption" in a font this much smaller than the body is figure content


@dataclass(frozen=True, slots=True)
class Label:
    kind: str  # "figure" | "table"
    name: str  # canonical: "Figure 3", "Table IV", "Supplementary Figure S1"
    delimiter: str  # ":" "." ... or "" when none
    alone: bool  # nothing follows the label on its row

    @property
    def figure_id(self) -> str:
        return self.name.replace("Supplementary ", "Supp").replace(" ", "")


@dataclass(frozen=True, slots=True)
class Caption:
    label: Label
    text: str
    box: Box  # in the reading frame it was found in
    rows: tuple[Row, ...]
    page: int
    turns: int  # reading frame: quarter turns of the caption's text

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


def strip_label(caption: str) -> str:
    """The caption without its leading label and the delimiter after it."""
    match = LABEL.match(caption)
    if not match:
        return caption.strip()
    rest = match["rest"]
    delimiter = DELIMITER.match(rest)
    return (rest[delimiter.end():] if delimiter else rest).strip()


def parse_label(text: str) -> Label | None:
    match = LABEL.match(text)
    if not match:
        return None
    word = match["word"].lower()
    kind = "table" if word.startswith("tab") else "figure"
    prefix = "Supplementary " if match["prefix"] else ""
    name = f"{prefix}{kind.capitalize()} {match['number']}"
    rest = match["rest"]
    if rest[:1].isalnum() and not match["number"][-1].isalpha():
        return None  # "Figure 3a", "Table 12345abc": not a plain label
    delimiter = DELIMITER.match(rest)
    return Label(kind, name, delimiter.group(1).strip() if delimiter else "", not rest.strip())


def _label_set_apart(row: Row, label: Label) -> bool:
    """True when typography separates the label from the sentence after it."""
    if label.delimiter or label.alone:
        return True
    spans = [span for line in row.lines for span in line.spans if span.text.strip()]
    if len(spans) < 2:
        return False
    first, last = spans[0], spans[-1]
    return first.bold != last.bold or first.font != last.font and abs(first.size - last.size) < 0.5


def _row_above(rows: list[Row], index: int) -> Row | None:
    row = rows[index]
    for other in reversed(rows[:index]):
        if other.box.y1 <= row.box.y0 + 0.5 * row.box.height and other.box.overlap_x(row.box) > 0:
            return other
    return None


def _starts_paragraph(row: Row, above: Row | None) -> bool:
    if above is None:
        return True
    gap = row.box.y0 - above.box.y1
    return gap > 0.35 * row.box.height or abs(above.size - row.size) > 0.5


def _same_paragraph(caption_rows: list[Row], other: Row) -> bool:
    """Whether ``other`` reads on from the caption rows (size, font block, shape)."""
    first, last = caption_rows[0], caption_rows[-1]
    same_block = other.lines[0].block == last.lines[-1].block
    if abs(other.size - first.size) > (1.5 if same_block else 0.5) or other.max_gap > 1.5:
        return False
    return parse_label(other.text) is None or not _starts_paragraph(other, last)


def _continuation(rows: list[Row], caption_rows: list[Row]) -> Row | None:
    """The next row of a caption paragraph: below the last row in the same column, or, when
    a full column ends mid-paragraph, at the caption's height in the next column."""
    last, first = caption_rows[-1], caption_rows[0]
    column = union_all(r.box for r in caption_rows if r.box.overlap_x(last.box) > 0)
    if _ends_paragraph(caption_rows, column):
        return None
    for other in rows:
        if other.box.y0 < last.box.y1 - 0.5 * last.box.height or other in caption_rows:
            continue
        if other.box.overlap_x(column) < 0.5 * min(other.box.width, column.width):
            continue
        if other.box.y0 - last.box.y1 > 0.6 * max(last.box.height, other.box.height):
            break
        if other.box.x0 < column.x0 - first.size:
            return None
        return other if _same_paragraph(caption_rows, other) else None
    for other in rows:  # the paragraph may go on at the top of the next column
        gutter = other.box.x0 - column.x1
        if (abs(other.box.y0 - first.box.y0) < 0.6 * first.box.height
                and 0 < gutter < 3 * first.size and other not in caption_rows
                and last.box.x1 > column.x1 - first.size):
            return other if _same_paragraph(caption_rows, other) else None
    return None


def _ends_paragraph(caption_rows: list[Row], column: Box) -> bool:
    """A row clearly shorter than the caption column closes the paragraph (a label alone on
    its row, as in ``Table 2`` over its title, does not)."""
    last = caption_rows[-1]
    if len(caption_rows) == 1 and parse_label(last.text).alone:
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


def find_captions(rows: list[Row], page: int, turns: int, body_size: float) -> list[Caption]:
    """Every caption that starts on this page, in one reading frame."""
    captions = []
    for index, row in enumerate(rows):
        label = parse_label(row.text)
        if label is None or row.size < MIN_RELATIVE_SIZE * body_size:
            continue
        if not (_label_set_apart(row, label) and _starts_paragraph(row, _row_above(rows, index))):
            continue
        caption_rows = [row]
        while (following := _continuation(rows, caption_rows)) is not None:
            caption_rows.append(following)
        box = union_all(r.box for r in caption_rows)
        captions.append(Caption(label, join_rows(caption_rows), box, tuple(caption_rows), page, turns))
    return captions
