"""Read PyMuPDF pages into :class:`PageLayout` objects, keeping only visible ink."""

from __future__ import annotations


import pymupdf

from scitune_data.geometry import Box
from scitune_data.pdf.bitmap import ink_blobs, is_bitmap_page
from scitune_data.pdf.layout import PageLayout, PathStyle, Span, TextLine

# Ligatures expanded (no TEXT_PRESERVE_LIGATURES), image blocks not decoded (no
# TEXT_PRESERVE_IMAGES: that alone makes get_text("dict") about 4x slower).
TEXT_FLAGS = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP
WHITE = 0.97  # colour channels above this count as paper white
MIN_SPLIT = 20.0  # points: paths smaller than this are one mark, whatever their items
MAX_SPLIT_ITEMS = 2000  # longer paths (dense plot lines) are kept whole
TOUCH = 1.0  # points: items this close belong to one mark


class Display:
    """Maps PyMuPDF's unrotated coordinates (text, drawings, images) into the displayed page
    space of ``page.rect``, where a page with ``/Rotate`` reads upright."""

    def __init__(self, page: pymupdf.Page) -> None:
        self.matrix = page.rotation_matrix if page.rotation else None

    def box(self, rect: tuple[float, float, float, float]) -> Box:
        if self.matrix is None:
            return Box(*rect)
        return Box(*(pymupdf.Rect(rect) * self.matrix))

    def direction(self, direction: tuple[float, float]) -> tuple[float, float]:
        if self.matrix is None:
            return direction
        m = self.matrix
        return direction[0] * m.a + direction[1] * m.c, direction[0] * m.b + direction[1] * m.d


def _turns(direction: tuple[float, float]) -> int | None:
    cos, sin = round(direction[0], 3), round(direction[1], 3)
    return {(1.0, 0.0): 0, (0.0, -1.0): 1, (-1.0, 0.0): 2, (0.0, 1.0): 3}.get((cos, sin))


def read_lines(page: pymupdf.Page, display: Display) -> list[TextLine]:
    lines = []
    for block_no, block in enumerate(page.get_text("dict", flags=TEXT_FLAGS)["blocks"]):
        for line in block.get("lines", ()):
            spans = tuple(Span(s["text"], s["font"], s["size"], s["flags"])
                          for s in line["spans"] if s["text"])
            if not spans:
                continue
            turns = _turns(display.direction(line["dir"]))
            text_line = TextLine.of(display.box(line["bbox"]), spans, block_no, turns)
            if text_line.text:
                lines.append(text_line)
    return lines


def _visible(color: tuple[float, ...] | None, opacity: float | None) -> bool:
    if color is None or (opacity is not None and opacity <= 0.05):
        return False
    return any(channel < WHITE for channel in color) if color else True


def _style(path: dict, filled: bool, stroked: bool) -> PathStyle:
    kinds = [item[0] for item in path["items"]]
    return PathStyle(
        lines=kinds.count("l"), curves=kinds.count("c"), rects=len(kinds) - kinds.count("l") - kinds.count("c"),
        fill=path.get("fill") if filled else None, stroke=path.get("color") if stroked else None,
    )


def read_paths(page: pymupdf.Page, bounds: Box, display: Display) -> tuple[list[Box], list[PathStyle]]:
    """Boxes of vector paths that put ink on the page, cut to the clip paths they are drawn
    through (plot lines run past their axes and are clipped there), and how each is drawn.
    White fills and the page background are not ink; strokes are widened by half their line
    width."""
    boxes, styles = [], []
    clips: dict[int, Box] = {}  # active clip rectangle per nesting level
    for path in page.get_cdrawings(extended=True):
        level = path.get("level", 0)
        if path["type"] in ("clip", "group"):
            for deeper in [lv for lv in clips if lv >= level]:
                del clips[deeper]
            if path["type"] == "clip" and path.get("scissor"):
                clips[level] = display.box(path["scissor"])
            continue
        stroked = "s" in path["type"] and _visible(path.get("color"), path.get("stroke_opacity"))
        filled = "f" in path["type"] and _visible(path.get("fill"), path.get("fill_opacity"))
        if not (stroked or filled):
            continue
        half = (path.get("width") or 0.0) / 2 if stroked else 0.0
        style = _style(path, filled, stroked)
        for rect in _pieces(path):
            box = display.box(rect).expand(half).clip(bounds)
            for clip_level, clip in clips.items():
                if clip_level < level:
                    box = box.clip(clip)
            if box.width < 0 or box.height < 0 or box.area > 0.9 * bounds.area:
                continue
            boxes.append(box)
            styles.append(style)
    return boxes, styles


def _item_rect(item: tuple) -> tuple[float, float, float, float]:
    if item[0] == "re":
        return tuple(item[1])
    points = [point for point in item[1:] if isinstance(point, tuple) and len(point) == 2]
    if item[0] == "qu":
        points = list(item[1][:4]) if len(item[1]) == 4 and isinstance(item[1][0], tuple) else points
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _pieces(path: dict) -> list[tuple[float, float, float, float]]:
    """The path's box, or one box per run of touching items when one path draws separate
    marks (two page-wide rules in one path are two rules, not a box between them)."""
    rect = path["rect"]
    items = path.get("items", ())
    if len(items) < 2 or len(items) > MAX_SPLIT_ITEMS or max(rect[2] - rect[0], rect[3] - rect[1]) < MIN_SPLIT:
        return [rect]
    pieces: list[list[float]] = []
    for item in items:
        x0, y0, x1, y1 = _item_rect(item)
        last = pieces[-1] if pieces else None
        if last and x0 <= last[2] + TOUCH and x1 >= last[0] - TOUCH and y0 <= last[3] + TOUCH and y1 >= last[1] - TOUCH:
            last[:] = [min(last[0], x0), min(last[1], y0), max(last[2], x1), max(last[3], y1)]
        else:
            pieces.append([x0, y0, x1, y1])
    return [tuple(piece) for piece in pieces]


def _may_hold_images(page: pymupdf.Page) -> bool:
    """Cheap pre-check: image XObjects in the page's resources, or an inline-image operator in
    its content. ``get_image_info`` runs a full text extraction, so pages without either
    (most pages of most papers) skip it."""
    return bool(page.get_images(full=True)) or b"BI" in page.read_contents()


def read_images(page: pymupdf.Page, bounds: Box, display: Display) -> list[Box]:
    if not _may_hold_images(page):
        return []
    boxes = []
    for info in page.get_image_info():
        box = display.box(info["bbox"]).clip(bounds)
        if box.width > 1 and box.height > 1:
            boxes.append(box)
    return boxes


class PageError(Exception):
    """A page that cannot be read (its object in the page tree is not a page)."""


def _check_page_object(page: pymupdf.Page) -> None:
    source = page.parent.xref_object(page.xref).strip() if page.xref else "<<"
    if not source.startswith("<<"):
        raise PageError(f"the page tree points at {source[:40]!r}, not at a page object")


def read_page(page: pymupdf.Page) -> PageLayout:
    _check_page_object(page)
    rect = page.rect
    bounds = Box(0.0, 0.0, rect.width, rect.height)
    display = Display(page)
    lines = read_lines(page, display)
    images = read_images(page, bounds, display)
    if lines and is_bitmap_page(images, bounds):
        images = ink_blobs(page, [line.box for line in lines])
    paths, path_styles = read_paths(page, bounds, display)
    return PageLayout(
        number=page.number + 1,
        width=rect.width,
        height=rect.height,
        lines=lines,
        images=images,
        paths=paths,
        path_styles=path_styles,
    )
