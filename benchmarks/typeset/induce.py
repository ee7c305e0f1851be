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
import re
import statistics
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pymupdf

from records import Affine, Geometry, Mark, dimen_bp, read_records

pymupdf.TOOLS.mupdf_display_errors(False)
INK_DPI = 288
INK_THRESHOLD = 245
BLANK_PADDING = 0.5  # bp around a caption's glyph boxes: anti-aliasing
COLUMN_TOLERANCE = 1.5  # bp: a label may start a little left of its column (a kern, a hanging label)
SAME_LINE = 2.0  # bp between the baselines of two pieces of one printed line
BASELINE_TOLERANCE = 4.5  # bp: sub- and superscripts sit this far off their line's baseline
# Ligatures expanded; character boxes around the glyphs' ink, not the font's ascender and descender
# (a caption set right under a table's last rule must not swallow it).
TEXT_FLAGS = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP | pymupdf.TEXT_ACCURATE_BBOXES
Rect = tuple[float, float, float, float]


class InductionError(ValueError):
    """An item whose gold could not be induced; the paper is left out of the scores."""


@dataclass
class Char:
    c: str
    origin: tuple[float, float]  # unrotated page space (PyMuPDF text coordinates)
    bbox: Rect


@dataclass
class Caption:
    id: str
    page: int
    start: Mark
    end: Mark
    label_end: Mark | None = None
    column: Mark | None = None

    @property
    def captype(self) -> str:
        return self.end.fields[1]

    @property
    def float_env(self) -> str:
        return self.end.fields[2]

    @property
    def container(self) -> str:
        return self.end.fields[3]

    @property
    def tags(self) -> list[str]:
        return [t for t in self.end.fields[4].split(",") if t]

    @property
    def tex_text(self) -> str:
        return "|".join(self.end.fields[5:])


@dataclass
class Box:
    """A rectangle in the frame of the TeX record that produced it."""

    mark: Mark
    x0: float
    y0: float
    x1: float
    y1: float  # y upwards, like \pdfsavepos
    parent: str | None = None
    what: str = ""
    container: str = ""

    def page_corners(self) -> list[tuple[float, float]]:
        t = self.mark.to_page
        return [t.apply(x, y) for x in (self.x0, self.x1) for y in (self.y0, self.y1)]


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


def union(rects: list[Rect]) -> Rect:
    return (min(r[0] for r in rects), min(r[1] for r in rects), max(r[2] for r in rects), max(r[3] for r in rects))


def bounds(points: list[tuple[float, float]]) -> Rect:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


class PageFrame:
    """Maps between TeX frames, PDF user space, PyMuPDF's unrotated and displayed page spaces."""

    def __init__(self, page: pymupdf.Page):
        self.page = page
        m = page.transformation_matrix  # PDF user space -> unrotated page space
        self.pdf_to_unrot = Affine(m.a, m.b, m.c, m.d, m.e, m.f)
        r = page.rotation_matrix
        self.unrot_to_shown = Affine(r.a, r.b, r.c, r.d, r.e, r.f)
        self._chars: list[list[Char]] | None = None

    def unrot(self, frame: Affine, rect: Rect) -> Rect:
        """A rectangle of a TeX frame (y up) in unrotated page space."""
        t = frame.then(self.pdf_to_unrot)
        return bounds([t.apply(x, y) for x in (rect[0], rect[2]) for y in (rect[1], rect[3])])

    def to_frame(self, frame: Affine, rect: Rect) -> Rect:
        """An unrotated page-space rectangle in a TeX frame (y up)."""
        t = frame.then(self.pdf_to_unrot).inverse()
        return bounds([t.apply(x, y) for x in (rect[0], rect[2]) for y in (rect[1], rect[3])])

    def shown(self, rect: Rect) -> Rect:
        t = self.unrot_to_shown
        return bounds([t.apply(x, y) for x in (rect[0], rect[2]) for y in (rect[1], rect[3])])

    def to_unrot_from_shown(self, rect: Rect) -> Rect:
        t = self.unrot_to_shown.inverse()
        return bounds([t.apply(x, y) for x in (rect[0], rect[2]) for y in (rect[1], rect[3])])

    def lines(self) -> list[list[Char]]:
        if self._chars is None:
            self._chars = []
            for block in self.page.get_text("rawdict", flags=TEXT_FLAGS)["blocks"]:
                for line in block.get("lines", []):
                    chars = [Char(ch["c"], tuple(ch["origin"]), tuple(ch["bbox"]))
                             for span in line["spans"] for ch in span["chars"]]
                    if chars:
                        self._chars.append(chars)
        return self._chars

    def ink(self, shown_rect: Rect, blank: list[Rect]) -> Rect | None:
        """Bounding box (displayed space) of the non-white pixels in ``shown_rect``, ``blank`` whited out."""
        clip = pymupdf.Rect(shown_rect) & self.page.rect
        if clip.is_empty or clip.width < 0.5 or clip.height < 0.5:
            return None
        pix = self.page.get_pixmap(dpi=INK_DPI, clip=clip, alpha=False, colorspace=pymupdf.csRGB)
        pixels = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, pix.n).min(axis=2)
        scale = INK_DPI / 72
        ink = pixels < INK_THRESHOLD
        for r in blank:
            x0, y0 = int((r[0] - clip.x0) * scale), int((r[1] - clip.y0) * scale)
            x1, y1 = int(np.ceil((r[2] - clip.x0) * scale)), int(np.ceil((r[3] - clip.y0) * scale))
            if x1 > 0 and y1 > 0 and x0 < pix.width and y0 < pix.height:
                ink[max(y0, 0):y1, max(x0, 0):x1] = False
        rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
        if rows.size == 0:
            return None
        return (round(clip.x0 + cols[0] / scale, 2), round(clip.y0 + rows[0] / scale, 2),
                round(clip.x0 + (cols[-1] + 1) / scale, 2), round(clip.y0 + (rows[-1] + 1) / scale, 2))


def collect_captions(marks: list[Mark]) -> list[Caption]:
    parts: dict[tuple[str, int], dict[str, Mark]] = {}
    order: list[tuple[str, int]] = []
    for m in marks:
        if m.kind in ("CS", "CL", "CE", "CV"):
            key = (m.fields[0], m.page)
            if key not in parts:
                parts[key], _ = {}, order.append(key)
            parts[key].setdefault(m.kind, m)
    captions = []
    for key in order:
        p = parts[key]
        if "CS" in p and "CE" in p:
            captions.append(Caption(key[0], key[1], p["CS"], p["CE"], p.get("CL"), p.get("CV")))
    return captions


def collect_boxes(marks: list[Mark]) -> tuple[dict[str, Box], list[Box]]:
    """Containers by id (floats, minipages, wrapfigures) and content boxes (graphics, tabulars, TikZ)."""
    containers: dict[str, Box] = {}
    content: list[Box] = []
    for m in marks:
        try:
            if m.kind in ("FE", "WE"):
                width, height = dimen_bp(m.fields[1]), dimen_bp(m.fields[2])
                containers.setdefault(m.fields[0], Box(m, m.x, m.y, m.x + width, m.y + height))
            elif m.kind == "ME":
                wd, ht, dp = (dimen_bp(v) for v in m.fields[1:4])
                containers.setdefault(m.fields[0], Box(m, m.x - wd, m.y - dp, m.x, m.y + ht, parent=m.fields[4]))
            elif m.kind == "B":
                wd, ht, dp = (dimen_bp(v) for v in m.fields[2:5])
                content.append(Box(m, m.x, m.y - dp, m.x + wd, m.y + ht, what=m.fields[1], container=m.fields[0]))
        except ValueError:  # a height that was never measured (box not shipped whole)
            continue
    return containers, content


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


def graphics_kind(page: pymupdf.Page, frame: PageFrame, bbox: Rect) -> str:
    """raster | vector | mixed | text | text+rules: the PDF objects inside the box, as in the corpus gold."""
    box = pymupdf.Rect(frame.to_unrot_from_shown(bbox))
    area = max(box.get_area(), 1e-6)
    raster = any((pymupdf.Rect(info["bbox"]) & box).get_area() > 0.05 * area for info in page.get_image_info())
    shapes = rules = 0
    for drawing in page.get_cdrawings():
        r = pymupdf.Rect(drawing["rect"])
        if not box.contains(pymupdf.Point((r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2)):
            continue
        if min(r.width, r.height) < 1.5:
            rules += 1
        else:
            shapes += 1
    text = any(box.contains(pymupdf.Point(ch.origin)) for line in frame.lines() for ch in line if not ch.c.isspace())
    if raster:
        return "mixed" if shapes else "raster"
    if shapes:
        return "vector"
    if text:
        return "text+rules" if rules else "text"
    return "vector"


TEX_DROP = re.compile(r"\\(label|ref|eqref|autoref|cref|Cref|cite[a-z]*|url|href|hspace|vspace|includegraphics)\s*\*?"
                      r"(\s*\[[^\]]*\])*\s*\{[^{}]*\}|\\[A-Za-z@]+\s*\{[^{}\s]*\}|\$[^$]*\$|\\\(.*?\\\)|\\[A-Za-z@]+\*?|[{}~]")


def tex_words(tex: str) -> list[str]:
    """Plain words of a caption's TeX source: macros, math, labels and citations removed."""
    return [w.lower() for w in re.findall(r"[A-Za-z]{3,}", TEX_DROP.sub(" ", tex))]


def caption_checks(item: Item) -> list[str]:
    """Words of the TeX source missing from the printed caption (and the reverse): a cut or a spill."""
    printed = set(norm_caption(item.text).split())
    source = tex_words(item.caption.tex_text)
    problems = []
    missing = [w for w in source if w not in printed and not any(w in p for p in printed)]
    if missing:
        problems.append(f"TeX words not printed in the caption: {' '.join(sorted(set(missing)))[:120]}")
    source_set, label = set(source), set(norm_caption(item.label).split())
    extra = [w for w in printed - label if w.isalpha() and len(w) >= 3 and w not in source_set
             and not any(w in s for s in source_set)]
    if source and len(extra) > max(3, len(source) // 4):
        problems.append(f"printed words not in the TeX source: {' '.join(sorted(extra))[:120]}")
    return problems


def norm_caption(text: str) -> str:
    """The referee's caption normalisation (../shared/tools/score_figures.py)."""
    text = (text or "").lower().replace("\u00ad", "")
    text = re.sub(r"\s*[-\u2010\u2011]\s*", "", text)
    text = re.sub(r"[^0-9a-z]+", " ", text)
    return " ".join(text.split())


def label_style(label: str) -> str:
    """'Fig. A1' -> 'Fig.', 'TABLE IV' -> 'TABLE', 'Supplementary Figure S2' -> 'Supplementary Figure'."""
    words = label.split()
    while len(words) > 1 and re.fullmatch(r"[A-Z]?[.\d]*\d[a-z]?|[IVXL]+|[A-Z]", words[-1]):
        words.pop()
    return " ".join(words)


def derived_features(item: Item, containers: dict[str, Box], frame: PageFrame, lines: int) -> list[str]:
    """Features every paper has, tagged or not: environment, caption side and length, label, rotation."""
    features = [f"env:{item.caption.float_env}"]
    box = containers.get(item.caption.container)
    if box is not None and box.mark.kind == "ME" and box.parent in containers:
        features.append("own-caption-minipage")
    to_caption = item.caption.start.to_page
    cap = frame.to_frame(to_caption, item.caption_rect)
    content = frame.to_frame(to_caption, frame.to_unrot_from_shown(item.bbox))
    if content[3] <= cap[1] + 1:
        features.append("caption-above")
    elif content[1] >= cap[3] - 1:
        features.append("caption-below")
    else:
        features.append("caption-beside")
    features.append("caption-1-line" if lines == 1 else "caption-2-3-lines" if lines <= 3 else "caption-4+-lines")
    features.append(f"label:{label_style(item.label)}")
    if frame.page.rotation:
        features.append("rotated-page")
    if to_caption.rotated:
        features.append("sideways")
    return features


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
                item.features = derived_features(item, containers, frame, lines) + item.caption.tags
                item.problems = caption_checks(item)
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
