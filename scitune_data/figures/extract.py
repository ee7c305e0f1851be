"""Figure extraction for one document: captions → regions → tightened crops."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
import pymupdf

from scitune_data.figures.captions import Caption
from scitune_data.figures.frame import Frame
from scitune_data.figures.page_model import (
    DocumentStyle, PageModel, build_page_model, document_style, page_rows, running_keys)
from scitune_data.figures.regions import Proposal, page_proposals
from scitune_data.figures.render import render_crop
from scitune_data.geometry import Box
from scitune_data.pdf.layout import PageLayout, PathStyle, TextLine
from scitune_data.pdf.reader import read_page
from scitune_data.text.paragraphs import Paragraph, build_paragraphs

DEFAULT_SIDE = {"figure": "above", "table": "below"}  # where the content sits, seen from the caption


@dataclass(frozen=True, slots=True)
class RegionStats:
    """What a region is drawn with: raw material for the figure-type classifier."""

    rasters: int  # raster images in the region
    raster_share: float  # share of the region's area they cover
    paths: int  # vector paths
    thin_paths: int  # of those, lines and rules (one side under 1.5 pt)
    small_paths: int  # of those, markers (both sides at most 5 pt)
    text_lines: int
    white_share: float  # of the rendered crop
    colour_share: float
    path_boxes: tuple[Box, ...]  # its vector paths...
    path_styles: tuple[PathStyle, ...]  # ...and how each is drawn, same order
    pixels: np.ndarray  # the rendered region shrunk 4 x (each block's darkest ink), RGB


@dataclass(frozen=True, slots=True)
class ExtractedFigure:
    figure_id: str
    kind: str
    label: str
    page: int
    bbox: Box
    caption: str
    caption_page: int
    caption_bbox: Box
    png: bytes
    width: int
    height: int
    dpi: int
    is_vector: bool
    text_tokens: list[str]  # the PDF's own text inside the region, reading order
    stats: RegionStats


@dataclass(slots=True)
class DocumentResult:
    pages: int
    figures: list[ExtractedFigure] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    page_errors: list[tuple[int, Exception]] = field(default_factory=list)
    captions_without_region: int = 0


@dataclass(frozen=True, slots=True)
class _Choice:
    caption: Caption  # the caption whose text is reported
    proposal: Proposal  # the region (its caption may be a bare label on another page)


def _read_pages(doc: pymupdf.Document, result: DocumentResult) -> list[PageLayout]:
    layouts = []
    for page in doc:
        try:
            layouts.append(read_page(page))
        except Exception as error:  # noqa: BLE001 - one bad page must not lose the paper
            result.page_errors.append((page.number + 1, error))
    return layouts


def _caption_page_box(caption: Caption, layout: PageLayout) -> Box:
    return Frame(caption.turns, layout.width, layout.height).to_page(caption.box)


def _proposals(models: list[PageModel], style: DocumentStyle) -> dict[int, dict[str, Proposal]]:
    """Per caption (by id), the region found on each side that has one."""
    found: dict[int, dict[str, Proposal]] = {}
    for model in models:
        found.update(page_proposals(model, style.body_size))
    return found


def _preferred_sides(captions: list[Caption], found: dict[int, dict[str, Proposal]]) -> dict[str, str]:
    """Per kind, the side where this document puts content when a caption leaves no doubt."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for caption in captions:
        vertical = [side for side in found[id(caption)] if side in ("above", "below")]
        if len(vertical) == 1:
            votes[caption.kind][vertical[0]] += 1
    return {kind: votes[kind].most_common(1)[0][0] if votes[kind] else DEFAULT_SIDE[kind]
            for kind in DEFAULT_SIDE}


def _pick_side(sides: dict[str, Proposal], preferred: str) -> Proposal | None:
    other = "below" if preferred == "above" else "above"
    for side in (preferred, other):
        if side in sides:
            return sides[side]
    beside = [sides[side] for side in ("left", "right") if side in sides]
    return min(beside, key=lambda proposal: proposal.gap) if beside else None


def _style_key(caption: Caption) -> tuple[str, float]:
    return caption.label.delimiter, round(caption.rows[0].size * 2) / 2


def _drop_prose_lookalikes(captions: list[Caption], style: DocumentStyle) -> list[Caption]:
    """Drop "captions" set like body prose in a document whose captions are set otherwise
    ("Table 4. On average ..." opening a paragraph)."""
    if len(captions) < 3:
        return captions
    delimiter, size = Counter(_style_key(c) for c in captions).most_common(1)[0][0]
    if abs(size - style.body_size) <= 0.4:
        return captions
    return [c for c in captions
            if c.label.delimiter == delimiter or abs(c.rows[0].size - style.body_size) > 0.4]


def _resolve(captions: list[Caption], found: dict[int, dict[str, Proposal]]) -> list[_Choice]:
    preferred = _preferred_sides(captions, found)
    style_counts = Counter(_style_key(c) for c in captions)
    by_label: dict[tuple[str, str], list[Caption]] = defaultdict(list)
    for caption in captions:
        by_label[(caption.kind, caption.label.name)].append(caption)
    choices = []
    for group in by_label.values():
        placed = [(c, p) for c in group if (p := _pick_side(found[id(c)], preferred[c.kind]))]
        if not placed:
            continue
        full = [(c, p) for c, p in placed if not c.label_only]
        if full:
            caption, proposal = max(full, key=lambda cp: (style_counts[_style_key(cp[0])], -cp[0].page))
            choices.append(_Choice(caption, proposal))
            continue
        texts = [c for c in group if not c.label_only]
        caption, proposal = placed[0]
        choices.append(_Choice(max(texts, key=lambda c: len(c.text)) if texts else caption, proposal))
    return choices


def extract_document(doc: pymupdf.Document, dpi: int = 150, margin: float = 4.0) -> DocumentResult:
    result = DocumentResult(pages=doc.page_count)
    layouts = _read_pages(doc, result)
    rows = [page_rows(layout) for layout in layouts]
    style = document_style([row for page in rows for row in page.get(0, [])])
    keys = running_keys([(layout, page.get(0, [])) for layout, page in zip(layouts, rows)])
    models = [build_page_model(layout, page, style, keys) for layout, page in zip(layouts, rows)]
    captions = _drop_prose_lookalikes([c for m in models for c in m.captions], style)
    for model in models:
        model.captions = [c for c in model.captions if c in captions]
    found = _proposals(models, style)
    choices = _resolve(captions, found)
    labels_placed = {choice.caption.label.name for choice in choices}
    result.captions_without_region = len({c.label.name for c in captions} - labels_placed)
    layout_by_page = {layout.number: layout for layout in layouts}
    for choice in sorted(choices, key=lambda ch: (ch.proposal.caption.page, ch.proposal.box.y0)):
        result.figures.append(_render(doc, choice, models, layout_by_page, dpi, margin))
    result.paragraphs = _paragraphs(models, choices, captions, style)
    return result


def _paragraphs(models: list[PageModel], choices: list[_Choice], captions: list[Caption],
                style: DocumentStyle) -> list[Paragraph]:
    """Body paragraphs, leaving out captions and the text inside the figures and tables found."""
    regions: dict[int, list[Box]] = defaultdict(list)
    for choice in choices:
        regions[choice.proposal.caption.page].append(choice.proposal.box)
    caption_rows = {id(row) for caption in captions for row in caption.rows}
    pages = []
    for model in models:
        inside = regions.get(model.layout.number, [])
        rows = [row for row in model.prose if id(row) not in caption_rows
                and not any(row.box.covered_fraction(region) > 0.5 for region in inside)]
        pages.append((model.layout.number, rows, model.headings))
    return build_paragraphs(pages, style)


def reading_order_tokens(lines: list[TextLine]) -> list[str]:
    """Words of text lines, top to bottom and left to right (lines sharing a baseline band
    read together); a Unicode minus becomes a hyphen-minus."""
    ordered = sorted(lines, key=lambda line: (round(line.box.center_y / max(line.size, 1.0)), line.box.x0))
    return [word.replace("\u2212", "-") for line in ordered for word in line.text.split()]


def _region_stats(model: PageModel, proposal: Proposal, text_lines: int, crop) -> RegionStats:
    rasters = [model.content[i] for i in proposal.members if i < model.raster_count]
    path_indices = sorted(i for i in proposal.members if model.raster_count <= i < model.graphic_count)
    paths = [model.content[i] for i in path_indices]
    area = max(proposal.box.area, 1.0)
    return RegionStats(
        rasters=len(rasters),
        raster_share=min(1.0, sum(r.area for r in rasters) / area),
        paths=len(paths),
        thin_paths=sum(1 for p in paths if min(p.width, p.height) < 1.5),
        small_paths=sum(1 for p in paths if max(p.width, p.height) <= 5),
        text_lines=text_lines,
        white_share=crop.white_share,
        colour_share=crop.colour_share,
        path_boxes=tuple(paths),
        path_styles=tuple(model.layout.path_styles[i - model.raster_count] for i in path_indices),
        pixels=crop.sample,
    )


def _render(doc: pymupdf.Document, choice: _Choice, models: list[PageModel],
            layouts: dict[int, PageLayout], dpi: int, margin: float) -> ExtractedFigure:
    proposal, caption = choice.proposal, choice.caption
    page_number = proposal.caption.page
    crop = render_crop(doc[page_number - 1], proposal.box, dpi=dpi, margin=margin)
    model = next(m for m in models if m.layout.number == page_number)
    inside = [line for line in model.layout.lines if line.box.covered_fraction(crop.box.expand(1.0)) > 0.5]
    return ExtractedFigure(
        figure_id=caption.label.figure_id,
        kind=caption.kind,
        label=caption.label.name,
        page=page_number,
        bbox=crop.box,
        caption=caption.text,
        caption_page=caption.page,
        caption_bbox=_caption_page_box(caption, layouts[caption.page]),
        png=crop.png,
        width=crop.width,
        height=crop.height,
        dpi=dpi,
        is_vector=not any(i < model.raster_count for i in proposal.members),
        text_tokens=reading_order_tokens(inside),
        stats=_region_stats(model, proposal, len(inside), crop),
    )
