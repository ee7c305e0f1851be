"""Visual rows: text lines that share a baseline, joined the way a reader sees them.

PyMuPDF splits a justified line at wide word gaps and puts a caption's label ("Table", "1.")
in lines of its own; rows undo that. A row remembers how wide its widest internal gap was,
which tells prose (gaps of a space) from table cells (gaps of columns).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from scitune_data.geometry import Box, union_all
from scitune_data.pdf.layout import TextLine

SAME_BLOCK_GAP = 2.0  # gaps up to this many font sizes join lines of one PyMuPDF block in one size
ANY_BLOCK_GAP = 0.5  # ...and up to this many join lines of different blocks
BASELINE = 0.2  # font sizes: lines whose bottoms differ more stand on different baselines
CELL_SHORT = 8  # body sizes: a table cell is narrower than a line of prose...
CELL_GAP = 1.5  # ...and a column gap away from the cell beside it


@dataclass(frozen=True, slots=True)
class Row:
    lines: tuple[TextLine, ...]
    box: Box
    max_gap: float  # widest gap between joined lines, in font sizes (0 for one line)
    text: str
    size: float  # the size carrying most characters
    font: str  # the font carrying most characters, "/b" added when bold

    @classmethod
    def of(cls, lines: tuple[TextLine, ...], max_gap: float) -> Row:
        size = lines[0].size if len(lines) == 1 else _dominant_size(lines)
        return cls(lines, union_all(line.box for line in lines), max_gap, " ".join(line.text for line in lines),
                   size, _dominant_font(lines))

    @property
    def bold_start(self) -> bool:
        return self.lines[0].spans[0].bold


def base_font(name: str) -> str:
    """A font name without its subset prefix (``ABCDEF+Times-Bold`` -> ``Times-Bold``)."""
    return name.split("+", 1)[1] if len(name) > 7 and name[6] == "+" else name


@lru_cache(maxsize=4096)
def _face(span_font: str, bold: bool) -> str:
    return base_font(span_font) + ("/b" if bold else "")


def _dominant_size(lines: tuple[TextLine, ...]) -> float:
    weights: dict[float, int] = {}
    for line in lines:
        weights[line.size] = weights.get(line.size, 0) + len(line.text)
    return max(weights, key=lambda size: (weights[size], size))


def _dominant_font(lines: tuple[TextLine, ...]) -> str:
    if len(lines) == 1 and len(lines[0].spans) == 1:
        span = lines[0].spans[0]
        return _face(span.font, span.bold)
    weights: dict[str, int] = {}
    for line in lines:
        for span in line.spans:
            font = _face(span.font, span.bold)
            weights[font] = weights.get(font, 0) + len(span.text.strip())
    return max(weights, key=weights.__getitem__) if weights else ""


def _same_baseline(a: TextLine, b: TextLine) -> bool:
    """Lines of one visual row overlap vertically; lines in different sizes (a caption set
    small beside body text) must also stand on one baseline."""
    overlap = a.box.overlap_y(b.box)
    if overlap < 0.6 * min(a.box.height, b.box.height):
        return False
    return abs(a.size - b.size) <= 0.5 or abs(a.box.y1 - b.box.y1) <= BASELINE * max(a.size, b.size)


def _baseline_groups(lines: list[TextLine]) -> list[list[TextLine]]:
    groups: list[list[TextLine]] = []
    for line in sorted(lines, key=lambda line: line.box.center_y):
        if groups and _same_baseline(groups[-1][0], line):
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def build_rows(lines: list[TextLine]) -> list[Row]:
    """Rows of upright lines (``turns == 0``), top to bottom, each left to right."""
    rows: list[Row] = []
    for group in _baseline_groups([line for line in lines if line.turns == 0]):
        group.sort(key=lambda line: line.box.x0)
        current, widest = [group[0]], 0.0
        for line in group[1:]:
            last = current[-1]
            gap = (line.box.x0 - last.box.x1) / max(last.size, line.size, 1.0)
            same_stream = last.block == line.block and abs(last.size - line.size) <= 0.5
            limit = SAME_BLOCK_GAP if same_stream else ANY_BLOCK_GAP
            if gap <= limit:
                current.append(line)
                widest = max(widest, gap)
            else:
                rows.append(Row.of(tuple(current), widest))
                current, widest = [line], 0.0
        rows.append(Row.of(tuple(current), widest))
    rows.sort(key=lambda row: (row.box.y0, row.box.x0))
    return rows


def rows_near(rows: list[Row], index: int) -> list[int]:
    """Indices of rows starting within a few line heights of ``rows[index]`` (rows are
    sorted by their top edge)."""
    row = rows[index]
    reach = 3 * row.box.height
    found = []
    for step in (-1, 1):
        j = index + step
        while 0 <= j < len(rows) and abs(rows[j].box.y0 - row.box.y0) <= reach:
            found.append(j)
            j += step
    return found


def is_cell(rows: list[Row], row: Row, size: float) -> bool:
    """A short row with other short rows beside it on its baseline, a column gap away: a
    table's cells, not a paragraph's line (``size``: the body font size)."""
    short = CELL_SHORT * size
    if row.box.width >= short:
        return False
    return any(other is not row and other.box.overlap_y(row.box) > 0.5 * row.box.height and other.box.width < short
               and max(other.box.x0 - row.box.x1, row.box.x0 - other.box.x1) >= CELL_GAP * size for other in rows)
