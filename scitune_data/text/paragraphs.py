"""Body paragraphs rebuilt from prose rows: reading order by column, paragraphs joined across
column and page breaks, line-end hyphens undone, headings and the reference list set apart."""

from __future__ import annotations

import re
from dataclasses import dataclass

from scitune_data.figures.page_model import Column, DocumentStyle
from scitune_data.figures.rows import Row

REFERENCES = re.compile(r"^([\dIVX]+\.?\s*)?(references|bibliography|literature cited|works cited)\b", re.I)
SENTENCE_END = re.compile(r"[.!?:][\"”’)\]]*$")


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    page: int


@dataclass(slots=True)
class _Open:
    rows: list[Row]
    page: int  # where the paragraph starts
    last_page: int  # where its last row is
    column: Column | None  # of its last row
    segment_right: float  # right edge of its widest row in the current column

def _column(row: Row, style: DocumentStyle) -> Column | None:
    """The column a row belongs to: the nearest left edge at or before its start (indent
    allowed)."""
    fits = [c for c in style.columns if c.left - 3 <= row.box.x0 <= c.right - style.body_size]
    return max(fits, key=lambda c: c.left) if fits else None


def _reading_order(rows: list[Row], style: DocumentStyle) -> list[tuple[Row, Column | None]]:
    placed = [(row, _column(row, style)) for row in rows]
    return sorted(placed, key=lambda rc: (rc[1].left if rc[1] else rc[0].box.x0, rc[0].box.y0))


def _indented(row: Row, column: Column | None, size: float) -> bool:
    return column is not None and row.box.x0 > column.left + 0.5 * size


def _continues(open_: _Open, row: Row, column: Column | None, page: int, size: float) -> bool:
    """Whether ``row`` reads on from the open paragraph: the last line ran as far right as the
    paragraph's other lines (and the next one), and the new one starts at its left edge (no
    first-line indent), close below it or at the top of the next column or page."""
    last = open_.rows[-1]
    widest = open_.segment_right
    if page != open_.last_page or column != open_.column or row.box.y0 < last.box.y0:
        ran_full = last.box.x1 >= widest - 2 * size and (
            open_.column is None or last.box.x1 >= open_.column.right - 2 * size)
        return ran_full and not SENTENCE_END.search(last.text) and not _indented(row, column, size)
    gap = row.box.y0 - last.box.y1
    ran_full = last.box.x1 >= max(widest, row.box.x1) - 2 * size
    return (ran_full and gap <= 0.6 * max(row.box.height, last.box.height)
            and row.box.x0 <= last.box.x0 + 0.5 * size)


def join_lines(lines: list[str]) -> str:
    """Lines joined with spaces; a line-end hyphen before a lowercase letter is undone."""
    text = ""
    for line in lines:
        line = " ".join(line.split())
        if text.endswith("-") and line[:1].islower() and len(text) > 1 and text[-2].isalpha():
            text = text[:-1] + line
        else:
            text = f"{text} {line}" if text else line
    return text


def build_paragraphs(pages: list[tuple[int, list[Row], set[int]]], style: DocumentStyle) -> list[Paragraph]:
    """``pages``: (page number, prose rows, ids of heading rows). Returns body paragraphs in
    reading order; headings and the reference list are not paragraphs."""
    paragraphs: list[Paragraph] = []
    open_: _Open | None = None
    in_references = False

    def close() -> None:
        nonlocal open_
        if open_ is not None and not in_references:
            paragraphs.append(Paragraph(join_lines([r.text for r in open_.rows]), open_.page))
        open_ = None

    for page, rows, headings in pages:
        for row, column in _reading_order(rows, style):
            if id(row) in headings:
                close()
                in_references = bool(REFERENCES.match(row.text))  # a reference list has no headings
                continue
            if open_ is not None and _continues(open_, row, column, page, style.body_size):
                moved = page != open_.last_page or column != open_.column
                open_.segment_right = row.box.x1 if moved else max(open_.segment_right, row.box.x1)
                open_.rows.append(row)
                open_.last_page, open_.column = page, column
                continue
            close()
            open_ = _Open([row], page, page, column, row.box.x1)
    close()
    return paragraphs
