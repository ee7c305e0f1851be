"""Gold figures and tables induced from a TeX run: NAME.pdf + NAME.tgold -> NAME.gold.json.

Captions come from the records of typesetgold.sty: the baselines of their first and last line, the
left edge of their column, and the box (float, minipage, wrapfigure) they were set in. The caption's
text and box are the PDF text layer's characters on those baselines, inside that column (so the text
is what is printed). The content box is the ink of the caption's box on the caption's side
(content boxes of graphics, tabulars and TikZ pictures count even where they stick out of the float),
with every caption blanked, tightened to the non-white pixels of a 288-dpi render (threshold 245):
the convention of the hand-made gold in ../shared/corpus.

    python benchmarks/typeset/induce.py PAPER.pdf [--out PAPER.gold.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pymupdf

from annotate import caption_checks, derived_features, graphics_kind
from pageframe import INK_DPI, INK_THRESHOLD, Char, PageFrame, Rect, union
from records import Box, Caption, Geometry, Mark, collect_boxes, collect_captions, dimen_bp, read_records

BLANK_PADDING = 0.5  # bp around a caption's glyph boxes: anti-aliasing
COLUMN_TOLERANCE = 1.5  # bp: a label may start a little left of its column (a kern, a hanging label)
SAME_LINE = 2.0  # bp between the baselines of two pieces of one printed line
BASELINE_TOLERANCE = 4.5  # bp: sub- and superscripts sit this far off their line's baseline


class InductionError(ValueError):
    """An item whose gold could not be induced; the paper is left out of the scores."""


@dataclass
class Item:
    caption: Caption
    kind: str
    label: str
    text: str
    caption_rect: Rect  # unrotated page space
    bbox: Rect | None = None  # displayed page space
    caption_bbox: Rect | None = None
    features: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def caption_chars(caption: Caption, frame: PageFrame, column: tuple[float, float], exclude: list[Rect]) -> list[list[Char]]:
    """The caption's characters, line by line: on its baselines, inside its column, outside graphics."""
    to_tex = caption.start.to_page.then(frame.pdf_to_unrot).inverse()
    top, bottom = caption.start.y + BASELINE_TOLERANCE, caption.end.y - BASELINE_TOLERANCE
    segments = []  # (baseline, left, chars): pieces of the text layer's lines inside the caption
    for line in frame.lines():
        kept = []
        for ch in line:
            x, y = to_tex.apply(*ch.origin)
            if not (bottom <= y <= top and column[0] <= x <= column[1]):
                continue
            cx, cy = (ch.bbox[0] + ch.bbox[2]) / 2, (ch.bbox[1] + ch.bbox[3]) / 2
            if any(r[0] <= cx <= r[2] and r[1] <= cy <= r[3] for r in exclude):
                continue
            kept.append((x, y, ch))
        if kept:
            segments.append((statistics.median(y for _, y, _ in kept), kept[0][0], [ch for _, _, ch in kept]))
    # Printed lines in reading order (top first, left to right); a justified line that the text layer
    # cut at a wide space is one line again.
    lines: list[list[tuple[float, float, list[Char]]]] = []
    for segment in sorted(segments, key=lambda s: -s[0]):
        if lines and abs(lines[-1][0][0] - segment[0]) < SAME_LINE:
            lines[-1].append(segment)
        else:
            lines.append([segment])
    joined = []
    for line in lines:
        chars: list[Char] = []
        for _, _, piece in sorted(line, key=lambda s: s[1]):
            if chars and not chars[-1].c.isspace() and not piece[0].c.isspace():
                chars.append(Char(" ", piece[0].origin, piece[0].bbox))
            chars += piece
        joined.append(chars)
    return joined


def line_text(chars: list[Char]) -> str:
    return "".join(ch.c for ch in chars)


def normalise_text(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def caption_column(caption: Caption, containers: dict[str, Box], frame: PageFrame) -> tuple[float, float]:
    """Left and right edge of the caption's column, in the caption's TeX frame."""
    if caption.column is not None:
        left, right = caption.column.x, caption.column.x + dimen_bp(caption.column.fields[1])
    elif caption.container in containers:
        box = containers[caption.container]
        r = frame.to_frame(caption.start.to_page, frame.unrot(box.mark.to_page, (box.x0, box.y0, box.x1, box.y1)))
        left, right = r[0], r[2]
    else:
        hsize = dimen_bp(caption.start.fields[1])
        left, right = caption.start.x - hsize, caption.start.x + hsize
    return min(left, caption.start.x) - COLUMN_TOLERANCE, max(right, caption.end.x) + COLUMN_TOLERANCE


def read_caption(caption: Caption, containers: dict[str, Box], graphics: list[Rect], frame: PageFrame) -> Item:
    column = caption_column(caption, containers, frame)
    lines = caption_chars(caption, frame, column, graphics)
    if not lines:
        raise InductionError(f"page {caption.page}: no text on the baselines of caption {caption.id}")
    text = normalise_text(" ".join(line_text(line) for line in lines))
    label = text
    if caption.label_end is not None:
        to_tex = caption.start.to_page.then(frame.pdf_to_unrot).inverse()
        first = [ch for ch in lines[0]
                 if caption.start.x - 0.5 <= to_tex.apply(*ch.origin)[0] <= caption.label_end.x + 0.5]
        label = normalise_text(line_text(first))
    label = label.rstrip(" :.\u2014\u2013-|")
    rect = union([ch.bbox for line in lines for ch in line if not ch.c.isspace()])
    return Item(caption, caption.captype, label, text, rect)


def descendants(container: str, containers: dict[str, Box]) -> set[str]:
    found = {container}
    changed = True
    while changed:
        changed = False
        for cid, box in containers.items():
            if box.parent in found and cid not in found:
                found.add(cid)
                changed = True
    return found


def substantial(rect: Rect | None) -> bool:
    """More than a speck or a lone rule: what content looks like."""
    return rect is not None and rect[2] - rect[0] >= 2 and rect[3] - rect[1] >= 2


def side_ink(item: Item, container: str, column: tuple[float, float] | None, items: list[Item],
             containers: dict[str, Box], content: list[Box], frame: PageFrame, blank: list[Rect]) -> Rect | None:
    """Ink of ``container`` (within ``column`` if given) on the caption's content side, or None."""
    to_caption = item.caption.start.to_page
    cap = frame.to_frame(to_caption, item.caption_rect)
    box = containers[container]
    region = frame.to_frame(to_caption, frame.unrot(box.mark.to_page, (box.x0, box.y0, box.x1, box.y1)))
    if column is not None:
        region = (max(region[0], column[0]), region[1], min(region[2], column[1]), region[3])
    inside = descendants(container, containers)
    boxes = [frame.to_frame(to_caption, frame.unrot(b.mark.to_page, (b.x0, b.y0, b.x1, b.y1)))
             for b in content if b.container in inside and b.mark.page == item.caption.page]
    boxes = [b for b in boxes if overlap(b, region) >= 0.5 * max(b[2] - b[0], 1e-6)]
    region = union([region, *boxes])
    siblings = [r for r in (frame.to_frame(to_caption, o.caption_rect) for o in items
                            if o.caption.container == container and o is not item) if overlap(r, region) > 0]
    top = min([r[1] for r in siblings if r[1] >= cap[3]], default=region[3])
    bottom = max([r[3] for r in siblings if r[3] <= cap[1]], default=region[1])
    sides = {"above": (region[0], cap[3], region[2], top), "below": (region[0], bottom, region[2], cap[1])}
    ink = {side: frame.ink(frame.shown(frame.unrot(to_caption, rect)), blank) for side, rect in sides.items()}
    ink = {side: rect for side, rect in ink.items() if substantial(rect)}
    holding = {side for side, rect in sides.items() if side in ink and any(
        rect[1] <= (b[1] + b[3]) / 2 <= rect[3] for b in boxes)}
    if len(holding) == 1:
        return ink[holding.pop()]
    if len(ink) == 2:
        return ink["below" if item.kind == "table" else "above"]
    return next(iter(ink.values()), None)


def overlap(a: Rect, b: Rect) -> float:
    """Horizontal overlap of two rectangles."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0]))


def content_box(item: Item, items: list[Item], containers: dict[str, Box], content: list[Box],
                frame: PageFrame, geometry: Geometry | None, marks: list[Mark]) -> Rect:
    """The ink of the item's content (displayed space): in its caption's column of its box, then in the
    whole box (a caption beside its figure), then in the enclosing boxes."""
    blank = [pad(frame.shown(other.caption_rect), BLANK_PADDING) for other in items]
    column = caption_column(item.caption, containers, frame)
    container, tried = item.caption.container, []
    while container in containers:
        for restrict in (column, None):
            rect = side_ink(item, container, restrict, items, containers, content, frame, blank)
            if rect is not None:
                return rect
        tried.append(container)
        container = containers[container].parent or ""
    if item.caption.float_env == "longtable":
        return longtable_box(item, frame, geometry, marks, blank, frame.to_frame(item.caption.start.to_page,
                                                                                 item.caption_rect))
    raise InductionError(f"page {item.caption.page}: no ink beside caption {item.label!r} "
                         f"(containers tried: {tried or 'none'})")


def pad(rect: Rect, by: float) -> Rect:
    return rect[0] - by, rect[1] - by, rect[2] + by, rect[3] + by


def longtable_box(item: Item, frame: PageFrame, geometry: Geometry | None, marks: list[Mark],
                  blank: list[Rect], cap: Rect) -> Rect:
    """A longtable's rows on this page: below its caption, down to its end or the text block's foot."""
    to_caption = item.caption.start.to_page
    ends = [m.y for m in marks if m.kind == "LE" and m.page == item.caption.page and m.y < cap[1]]
    if ends:
        bottom = max(ends)
    elif geometry is not None:
        bottom = geometry.paper_height - geometry.body_bottom
    else:
        raise InductionError(f"page {item.caption.page}: longtable {item.label!r} without page geometry")
    width = frame.page.mediabox.width
    rect = frame.ink(frame.shown(frame.unrot(to_caption, (0, bottom, width, cap[1]))), blank)
    if rect is None:
        raise InductionError(f"page {item.caption.page}: longtable {item.label!r} has no rows below its caption")
    return rect


def induce(pdf: Path, records: Path) -> dict:
    """Gold for one compiled paper, in the referee's format; raises InductionError on any bad item."""
    geometry, marks = read_records(records)
    captions = [c for c in collect_captions(marks) if c.captype in ("figure", "table")]
    containers, content = collect_boxes(marks)
    figures = []
    with pymupdf.open(pdf) as doc:
        for page_no in sorted({c.page for c in captions}):
            page = doc[page_no - 1]
            frame = PageFrame(page)
            graphics = [frame.unrot(b.mark.to_page, (b.x0, b.y0, b.x1, b.y1)) for b in content
                        if b.mark.page == page_no and b.what in ("graphic", "tikzpicture")]
            items = [read_caption(c, containers, graphics, frame) for c in captions if c.page == page_no]
            for item in items:
                item.bbox = content_box(item, items, containers, content, frame, geometry, marks)
                item.caption_bbox = tuple(round(v, 2) for v in frame.shown(item.caption_rect))
                if not pymupdf.Rect(item.caption_bbox) in page.rect + (-1, -1, 1, 1):
                    raise InductionError(f"page {page_no}: caption {item.label!r} runs off the page")
                lines = len(caption_chars(item.caption, frame, caption_column(item.caption, containers, frame),
                                          graphics))
                item.features = derived_features(item.caption, item.label, item.caption_rect, item.bbox, lines,
                                                 containers, frame) + item.caption.tags
                item.problems = caption_checks(item.text, item.label, item.caption.tex_text)
                figures.append({
                    "page": page_no, "kind": item.kind, "label": item.label, "bbox": [float(v) for v in item.bbox],
                    "caption": item.text, "caption_bbox": [float(v) for v in item.caption_bbox],
                    "graphics": graphics_kind(page, frame, item.bbox), "features": item.features,
                    **({"checks": item.problems} if item.problems else {}),
                })
        sizes = sorted({(round(p.rect.width, 1), round(p.rect.height, 1)) for p in doc})
        pages = doc.page_count
    return {
        "pages": pages,
        "page_sizes_pt": [list(s) for s in sizes],
        "pdf_sha256": hashlib.sha256(pdf.read_bytes()).hexdigest(),
        "coordinates": "PyMuPDF page.rect space (displayed, top-left origin, points); pages 1-based",
        "annotation_method": "induced from the TeX run (benchmarks/typeset: typesetgold.sty records + induce.py): "
                             "caption = text-layer characters on the caption's recorded baselines and column; "
                             f"bbox = ink of the caption's float/minipage on its content side, captions blanked, "
                             f"tightened to non-white pixels (threshold {INK_THRESHOLD} at {INK_DPI} dpi)",
        "figures": figures,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pdf", type=Path)
    parser.add_argument("--records", type=Path, help="default: PDF with the suffix .tgold")
    parser.add_argument("--out", type=Path, help="default: NAME.gold.json beside the PDF")
    args = parser.parse_args()
    gold = induce(args.pdf, args.records or args.pdf.with_suffix(".tgold"))
    out = args.out or args.pdf.with_name(args.pdf.stem + ".gold.json")
    out.write_text(json.dumps(gold, indent=1, ensure_ascii=False))
    print(f"{out}: {len(gold['figures'])} items")
    for f in gold["figures"]:
        print(f"  p{f['page']} {f['label']!r:24} {f['bbox']} {f['features']} {f.get('checks', '')}")


if __name__ == "__main__":
    main()
