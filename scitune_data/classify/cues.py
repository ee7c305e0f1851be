"""Caption cues: phrases authors use for each figure type ("scatter", "t-SNE", "architecture",
"screenshot", "as a function of"). The learned classifier reads every cue a caption holds;
importers without an image-based classifier take the first."""

from __future__ import annotations

import re

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
CUE_LABELS = tuple(dict.fromkeys(label for label, _ in CUES))


def caption_cue(caption: str) -> str | None:
    """The strongest cue of a caption (the first that matches), or None."""
    text = caption.lower()
    return next((label for label, pattern in CUES if pattern.search(text)), None)


def caption_cues(caption: str) -> frozenset[str]:
    """Every type a caption has a cue for."""
    text = caption.lower()
    return frozenset(label for label, pattern in CUES if pattern.search(text))
