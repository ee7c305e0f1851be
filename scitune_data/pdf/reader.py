"""Read PyMuPDF pages into :class:`PageLayout` objects, keeping only visible ink."""

from __future__ import annotations

import re
from pathlib import Path

import pymupdf

from scitune_data.geometry import Box
from scitune_data.pdf.layout import PageLayout, PathStyle, Span, TextLine

# Ligatures expanded (no TEXT_PRESERVE_LIGATURES), image blocks not decoded (no
# TEXT_PRESERVE_IMAGES: that alone makes get_text("dict") about 4x slower).
TEXT_FLAGS = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP
WHITE = 0.97  # colour channels above this count as paper white
ARXIV_ID = re.compile(r"(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?_?\d{7})(v\d+)?")


def paper_id_for(path: Path) -> str:
    """The arXiv id when the file name carries one (``2307.01139v2.pdf``), else the stem."""
    match = ARXIV_ID.search(path.stem)
    return match.group(1) if match and match.group(1)[0].isdigit() else path.stem


def _turns(direction: tuple[float, float]) -> int | None:
    cos, sin = round(direction[0], 3), round(direction[1], 3)
    return {(1.0, 0.0): 0, (0.0, -1.0): 1, (-1.0, 0.0): 2, (0.0, 1.0): 3}.get((cos, sin))


def read_lines(page: pymupdf.Page) -> list[TextLine]:
    lines = []
    for block_no, block in enumerate(page.get_text("dict", flags=TEXT_FLAGS)["blocks"]):
        for line in block.get("lines", ()):
            spans = tuple(Span(s["text"], s["font"], s["size"], s["flags"])
                          for s in line["spans"] if s["text"])
            if not spans:
                continue
            text_line = TextLine.of(Box(*line["bbox"]), spans, block_no, _turns(line["dir"]))
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


def read_paths(page: pymupdf.Page, bounds: Box) -> tuple[list[Box], list[PathStyle]]:
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
                clips[level] = Box(*path["scissor"])
            continue
        stroked = "s" in path["type"] and _visible(path.get("color"), path.get("stroke_opacity"))
        filled = "f" in path["type"] and _visible(path.get("fill"), path.get("fill_opacity"))
        if not (stroked or filled):
            continue
        half = (path.get("width") or 0.0) / 2 if stroked else 0.0
        box = Box(*path["rect"]).expand(half).clip(bounds)
        for clip_level, clip in clips.items():
            if clip_level < level:
                box = box.clip(clip)
        if box.width < 0 or box.height < 0 or box.area > 0.9 * bounds.area:
            continue
        boxes.append(box)
        styles.append(_style(path, filled, stroked))
    return boxes, styles


def _may_hold_images(page: pymupdf.Page) -> bool:
    """Cheap pre-check: image XObjects in the page's resources, or an inline-image operator in
    its content. ``get_image_info`` runs a full text extraction, so pages without either
    (most pages of most papers) skip it."""
    return bool(page.get_images(full=True)) or b"BI" in page.read_contents()


def read_images(page: pymupdf.Page, bounds: Box) -> list[Box]:
    if not _may_hold_images(page):
        return []
    boxes = []
    for info in page.get_image_info():
        box = Box(*info["bbox"]).clip(bounds)
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
    paths, path_styles = read_paths(page, bounds)
    return PageLayout(
        number=page.number + 1,
        width=rect.width,
        height=rect.height,
        lines=read_lines(page),
        images=read_images(page, bounds),
        paths=paths,
        path_styles=path_styles,
    )
