"""Evidence for the hand-labelled figures, computed the way ``build`` computes it.

A whole figure is found by its label in the extractor's output for its paper; a panel (or a
figure the extractor misses) by its page and box in PDF points, from which the same evidence is
gathered: the paths and text inside, the rendered pixels.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pymupdf

from scitune_data.classify.evidence import FigureEvidence
from scitune_data.figures.extract import extract_document, reading_order_tokens
from scitune_data.figures.render import render_crop
from scitune_data.geometry import Box
from scitune_data.pdf.reader import read_page
from scitune_data.pipeline.signals import evidence_of

HERE = Path(__file__).resolve().parent
LABELS = HERE / "labels.json"


@dataclass(frozen=True, slots=True)
class Labelled:
    key: str  # "folder/file.pdf / Figure 3" (or "... / panel PAGE:x0,y0,x1,y1")
    type: str
    split: str
    crop_ok: bool
    page: int | None = None
    bbox: tuple[float, ...] | None = None

    @property
    def paper(self) -> str:
        return self.key.split(" / ")[0]

    @property
    def label(self) -> str:
        return self.key.split(" / ")[1]

    @property
    def is_panel(self) -> bool:
        return self.bbox is not None


def load_labels(path: Path = LABELS) -> list[Labelled]:
    return [Labelled(key, row["type"], row["split"], row["crop_ok"], row.get("page"),
                     tuple(row["bbox"]) if "bbox" in row else None)
            for key, row in json.loads(path.read_text()).items()]


def region_evidence(page: pymupdf.Page, box: Box, caption: str) -> FigureEvidence:
    """Evidence for an arbitrary region of a page, gathered as the extractor gathers it."""
    layout = read_page(page)
    inside = [i for i, path in enumerate(layout.paths) if path.covered_fraction(box.expand(1.0)) > 0.5
              or box.expand(1.0).contains(path)]
    lines = [line for line in layout.lines if line.box.covered_fraction(box.expand(1.0)) > 0.5]
    rasters = [image for image in layout.images if image.covered_fraction(box) > 0.5]
    crop = render_crop(page, box)
    return FigureEvidence(
        caption=caption, tokens=tuple(reading_order_tokens(lines)), text_lines=len(lines), box=crop.box,
        rasters=len(rasters), raster_share=min(1.0, sum(r.area for r in rasters) / max(box.area, 1.0)),
        path_boxes=tuple(layout.paths[i] for i in inside),
        path_styles=tuple(layout.path_styles[i] for i in inside), pixels=crop.sample,
    )


def paper_evidence(pdf: Path, items: list[Labelled]) -> dict[str, FigureEvidence]:
    """Evidence per labelled key of one paper; keys the extractor does not find are left out."""
    with pymupdf.open(pdf) as doc:
        result = extract_document(doc)
        found = {figure.label: figure for figure in result.figures if figure.kind == "figure"}
        evidence = {}
        for item in items:
            figure = found.get(item.label)
            if item.is_panel:
                caption = figure.caption if figure else item.label
                evidence[item.key] = region_evidence(doc[item.page - 1], Box(*item.bbox), caption)
            elif figure is not None:
                evidence[item.key] = evidence_of(figure)
    return evidence


def labelled_evidence(shared: Path, labels: list[Labelled]) -> list[tuple[Labelled, FigureEvidence]]:
    """Evidence for every labelled item whose paper is present under ``shared``."""
    by_paper: dict[str, list[Labelled]] = {}
    for item in labels:
        by_paper.setdefault(item.paper, []).append(item)
    found = []
    for paper, items in sorted(by_paper.items()):
        pdf = shared / paper
        if not pdf.is_file():
            continue
        evidence = paper_evidence(pdf, items)
        found.extend((item, evidence[item.key]) for item in items if item.key in evidence)
    return found
