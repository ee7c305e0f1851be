"""The default figure-type classifier: caption cues first, then what the region is drawn with.

Needs no model download. Caption cues are phrases authors use for each type ("scatter",
"t-SNE", "architecture", "screenshot", "as a function of"); when the caption says nothing,
the figure's own make-up decides: much text and few numbers is a screenshot of a page or an
interface, numbers on axes make plots, markers make scatterplots, a raster with little white is
a photo.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((label, re.compile(pattern)) for label, pattern in (
    ("Screenshot", r"screen ?shot|user interface|\binterfaces?\b|\bui\b|dashboard|browser"
                   r"|\bwidgets?\b|\bapp\b|mock-?up"),
    ("Photo", r"photo|micrograph|microscop|\bimages? of (a |the )?(cell|tissue|sample|specimen)|camera"
              r"|stain|fluorescen|\bsem\b|\btem\b|panels represent"),
    ("Heatmap", r"heat ?map|confusion matri|attention (weight|map|score)|correlation matri"
                r"|layer weights|probabilit(y|ies) of .* responses"),
    ("Scatterplot", r"scatter|t-?sne|\bumap\b|embeddings?\b|\bpca\b|projection|clusters?\b|coefficient"),
    ("Bar Chart", r"\bbars?\b|histogram|distribution of|breakdown|proportion of|share of"),
    ("Flowchart", r"flow ?chart|work ?flow|procedure|protocol|overview of (the )?study|decision tree"),
    ("Node Diagram", r"architecture|schematic|diagram|framework|pipeline|overview of (our|the) "
                     r"(method|model|approach|system)|\bmodel\b.*\b(module|layer)s?\b|network structure"
                     r"|\bnodes?\b|\bgraph of\b"),
    ("Equation", r"\bequations?\b|\bformulae?\b"),
    ("Graph Plot", r"curves?\b|as a function of|versus|\bvs\.?\b|over time|trend|spectr(um|a)|plot"
                   r"|\baccuracy\b|\bloss\b|convergence|time series|\bpercentile|\bresponses?\b|duration"
                   r"|\bflows?\b|validation"),
    ("Screenshot", r"\bdocuments?\b|\bpage from\b"),  # a rendered page: weaker than any chart cue
))


NUMERIC = re.compile(r"^[(\[]?[+\-−]?\d+(?:[.,]\d+)*%?[)\]]?$")
TEXT_HEAVY = 80  # this many words, mostly not numbers: a page or an interface, not a chart


@dataclass(frozen=True, slots=True)
class FigureEvidence:
    """What the classifier looks at (all cheap to compute at extraction time)."""

    kind: str  # figure | table
    caption: str
    rasters: int
    raster_share: float
    paths: int
    thin_paths: int
    small_paths: int
    text_lines: int
    white_share: float  # shares of white and of strongly coloured pixels in the crop
    colour_share: float
    tokens: tuple[str, ...] = ()  # the figure's text (PDF text layer or OCR)


def caption_cue(caption: str) -> str | None:
    text = caption.lower()
    for label, pattern in CUES:
        if pattern.search(text):
            return label
    return None


def _raster_type(white_share: float, colour_share: float) -> str:
    if white_share < 0.3:
        return "Photo"
    if colour_share > 0.15 and white_share < 0.7:
        return "Screenshot"
    return "Graph Plot"


def classify(evidence: FigureEvidence) -> tuple[str, str]:
    """``(figure type, what decided it)``: ``kind``, ``caption``, ``text`` or ``drawing``."""
    if evidence.kind == "table":
        return "Table", "kind"
    cue = caption_cue(evidence.caption)
    if cue is not None:
        return cue, "caption"
    words = len(evidence.tokens)
    numbers = sum(1 for token in evidence.tokens if NUMERIC.match(token))
    if words >= TEXT_HEAVY and numbers < 0.2 * words:
        return "Screenshot", "text"
    if evidence.rasters and evidence.raster_share > 0.5:
        if words and numbers >= 0.3 * words:
            return "Graph Plot", "text"
        return _raster_type(evidence.white_share, evidence.colour_share), "drawing"
    if evidence.small_paths >= 20 and evidence.small_paths >= evidence.thin_paths:
        return "Scatterplot", "drawing"
    if evidence.paths and evidence.text_lines > evidence.paths:
        return "Node Diagram", "drawing"
    return "Graph Plot", "drawing"
