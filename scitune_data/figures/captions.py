"""Caption finder: rows that open with a figure or table label, and the paragraph they start.

A label alone is not enough: body text also starts paragraphs with "Figure 3 shows ...". A
row is a caption candidate when it starts a paragraph and typography sets it apart, by any of
several cues (:class:`Cues`): a delimiter after the label (``Figure 1:``, ``Fig. 1.``,
``TABLE I |``), the label alone on its row or followed by a wide gap, a label font that
differs from the words after it, or a caption set in a font body prose does not use. The
caption then runs on over the rows of its paragraph (:mod:`caption_extent`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scitune_data.figures.caption_extent import CaptionPage, caption_rows, join_rows
from scitune_data.figures.caption_labels import (
    Label, TextStyle, label_match, parse_label, strip_label)
from scitune_data.figures.rows import Row, base_font, is_cell
from scitune_data.geometry import Box, union_all

MIN_RELATIVE_SIZE = 0.55  # a "caption" in a font this much smaller than the body is figure content
LABEL_GAP = 0.6  # a gap after the label this many font sizes wide sets it apart
NUMBER_REACH = 6  # font sizes: a stretched space between a label word and its number
NUMBER_START = re.compile(  # "3. Noisy", "IV: ...", "S1" alone; not a row of cells "97.3 58.6"
    r"^((?:[A-Z]{1,2}[.\-]?)?\d+(?:\.\d+)*|[IVXLC]+)\s*([:.|\u2014\u2013](?=\s|$)|$)")


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
        return self.label.delimiter, first.font, round(first.size * 2) / 2


def _label_chars(row: Row) -> int:
    """How many characters of the row's text the label takes ("Figure 12" -> 9)."""
    match = label_match(row.text)
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


def _with_number_beside(rows: list[Row], row: Row) -> Row | None:
    """A bare label word ("Table") joined with the number set after it on its baseline, in
    its text block: a justified caption line the PDF split at a stretched space ("TABLE
    3. Noisy galaxy" in a narrow minipage)."""
    match = label_match(row.text)
    if match is None or match["number"] or match["rest"].strip():
        return None
    beside = [other for other in rows if other is not row and other.box.overlap_y(row.box) > 0.6 * row.box.height
              and 0 < other.box.x0 - row.box.x1 <= NUMBER_REACH * row.size
              and other.lines[0].block == row.lines[-1].block]
    if not beside:
        return None
    after = min(beside, key=lambda other: other.box.x0)
    if not NUMBER_START.match(after.text):
        return None
    return Row.of(row.lines + after.lines, max(after.max_gap, (after.box.x0 - row.box.x1) / row.size))


def find_captions(rows: list[Row], page: int, turns: int, body: TextStyle, graphics: list[Box] = (),
                  columns: tuple[tuple[float, float], ...] = ()) -> list[Caption]:
    """Every caption candidate that starts on this page, in one reading frame (``graphics``:
    the page's images and paths in that frame; ``columns``: its text columns)."""
    starts = []
    for index, row in enumerate(rows):
        label = parse_label(row.text)
        if label is None and (joined := _with_number_beside(rows, row)) is not None:
            row, label = joined, parse_label(joined.text)
        if label is None or row.size < MIN_RELATIVE_SIZE * body.size:
            continue
        above = _row_above(rows, index)
        if not (_starts_paragraph(row, above) or is_cell(rows, above, body.size)):
            continue
        cues = caption_cues(row, label, body)
        if cues.strength:
            starts.append((row, label, cues))
    context = CaptionPage(rows, body, list(graphics), {id(row) for row, _, _ in starts}, columns)
    captions = []
    for row, label, cues in starts:
        found = caption_rows(context, row, label)
        box = union_all(r.box for r in found)
        captions.append(Caption(label, join_rows(found), box, tuple(found), page, turns, cues))
    return captions
