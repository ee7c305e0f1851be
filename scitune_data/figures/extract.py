"""Figure extraction for one document: captions → regions → tightened crops."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pymupdf

from scitune_data.figures.captions import Caption
from scitune_data.figures.frame import Frame
from scitune_data.figures.furniture import drop_page_furniture, find_margins, running_keys
from scitune_data.figures.page_model import (
    DocumentStyle, PageModel, build_page_model, document_style, is_prose, page_rows)
from scitune_data.figures.regions import Proposal
from scitune_data.figures.resolve import Choice, drop_prose_lookalikes, proposals, resolve, separate_shared
from scitune_data.figures.render import render_crop
from scitune_data.geometry import Box
from scitune_data.pdf.layout import PageLayout, PathStyle, TextLine
from scitune_data.pdf.reader import read_page
from scitune_data.text.paragraphs import Paragraph, build_paragraphs

@dataclass(frozen=True, slots=True)
class RegionStats:
    """What a region is drawn with: raw material for the figure-type classifier."""

    rasters: int  # raster images in the region
    raster_share: float  # share of the region's area they cover
    text_lines: int
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
    figure_errors: list[tuple[int, str, Exception]] = field(default_factory=list)  # page, label, error
    captions_without_region: int = 0


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


def page_models(layouts: list[PageLayout]) -> tuple[list[PageModel], DocumentStyle]:
    """Every page's ink sorted into what bounds figures and what makes them, measured against
    the whole document: its body style, its margins, its running heads, its furniture."""
    rows = [page_rows(layout) for layout in layouts]
    style = document_style([row for page in rows for row in page.get(0, [])])
    upright = [(layout, page.get(0, [])) for layout, page in zip(layouts, rows)]
    margins = find_margins(upright, lambda row: is_prose(row, style) and style.full_line(row.box))
    keys = running_keys(upright, margins)
    models = [build_page_model(layout, page, style, margins, keys) for layout, page in zip(layouts, rows)]
    drop_page_furniture(models)
    return models, style


def extract_document(doc: pymupdf.Document, dpi: int = 150, margin: float = 4.0) -> DocumentResult:
    result = DocumentResult(pages=doc.page_count)
    layouts = _read_pages(doc, result)
    models, style = page_models(layouts)
    captions = drop_prose_lookalikes([c for m in models for c in m.captions], style)
    for model in models:
        model.captions = [c for c in model.captions if c in captions]
    choices = separate_shared(resolve(captions, proposals(models, style), models), models)
    labels_placed = {choice.caption.label.name for choice in choices}
    result.captions_without_region = len({c.label.name for c in captions} - labels_placed)
    layout_by_page = {layout.number: layout for layout in layouts}
    displays: dict[int, pymupdf.DisplayList] = {}  # one per page: read once for all its figures
    for choice in sorted(choices, key=lambda ch: (ch.proposal.caption.page, ch.proposal.box.y0)):
        page = doc[choice.proposal.caption.page - 1]
        try:
            display = displays.get(page.number) or displays.setdefault(page.number, page.get_displaylist())
            result.figures.append(_render(page, display, choice, models, layout_by_page, dpi, margin))
        except Exception as error:  # noqa: BLE001 - one bad region must not lose the paper's other figures
            result.figure_errors.append((choice.proposal.caption.page, choice.caption.label.name, error))
    result.paragraphs = _paragraphs(models, choices, captions, style)
    return result


def _paragraphs(models: list[PageModel], choices: list[Choice], captions: list[Caption],
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
        text_lines=text_lines,
        path_boxes=tuple(paths),
        path_styles=tuple(model.path_styles[i - model.raster_count] for i in path_indices),
        pixels=crop.sample,
    )


def _render(page: pymupdf.Page, display: pymupdf.DisplayList, choice: Choice, models: list[PageModel],
            layouts: dict[int, PageLayout], dpi: int, margin: float) -> ExtractedFigure:
    proposal, caption = choice.proposal, choice.caption
    page_number = proposal.caption.page
    crop = render_crop(page, proposal.box, dpi=dpi, margin=margin, display=display)
    model = next(m for m in models if m.layout.number == page_number)
    inside = [line for line in model.layout.lines if line.box.covered_fraction(crop.box.expand(1.0)) > 0.5]
    return ExtractedFigure(
        figure_id=choice.figure_id,
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
        dpi=crop.dpi,
        is_vector=not any(i < model.raster_count for i in proposal.members),
        text_tokens=reading_order_tokens(inside),
        stats=_region_stats(model, proposal, len(inside), crop),
    )
