"""Synthetic figures of every type, set on a PDF page with a caption, so that their evidence comes
out of the same extractor as a real paper's.

Generators (``synth/``): matplotlib charts in many styles, drawings (architectures, graphs,
flowcharts, equations, algorithms, molecules, text examples), bitmaps (sample photos that
installed packages ship, interfaces, pages, tables as pictures) and pdfLaTeX figures (TikZ,
pgfplots, tabulars, ``align``), the way most papers draw them. A share of vector figures is
placed as a low-resolution or JPEG bitmap (``synth/page.py``). Captions are mostly neutral, so
the model learns the figure itself, not the template.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator

import numpy as np
import pymupdf
from PIL import Image

from scitune_data.classify.evidence import FigureEvidence
from scitune_data.figures.extract import extract_document
from scitune_data.pipeline.signals import evidence_of
from synth import charts, drawings, images, tex
from synth.common import Rng
from synth.page import fits, place

NEUTRAL_CAPTIONS = (
    "Results on the test set.", "Comparison of the methods.", "Example from the dataset.", "Overview.",
    "Effect of the parameter k on the three settings.", "Our approach.", "Main results.",
    "Qualitative examples.", "Analysis of the errors made by the baseline.", "Summary of the study.",
    "Results for the two datasets (left: A, right: B).", "The proposed setting.", "Illustration.",
    "Performance of the model under different conditions.", "Data collected in the second experiment.",
)
CUED_CAPTIONS = {
    "Graph Plot": ("Accuracy as a function of training steps.", "Loss curves during training.",
                   "Convergence of the solver over time."),
    "Scatterplot": ("Scatter plot of predicted versus true values.", "t-SNE projection of the embeddings."),
    "Bar Chart": ("Distribution of document lengths.", "Histogram of scores.", "Breakdown by category."),
    "Heatmap": ("Confusion matrix of the classifier.", "Attention weights of the last layer (heatmap)."),
    "Node Diagram": ("Architecture of our model.", "Overview of the proposed framework.", "Pipeline of the system."),
    "Flowchart": ("Flowchart of the procedure.", "Workflow of the study protocol."),
    "Equation": ("The update equations.", "Formulae used by the method."),
    "Table": ("Values of the parameters.", "Summary of the settings."),
    "Photo": ("Photographs of the samples.", "Microscopy images of stained cells."),
    "Screenshot": ("Screenshot of the user interface.", "The dashboard of the tool."),
    "Other": ("Composition of the sample.", "Timeline of the project."),
}
Drawing = bytes | Image.Image
GENERATORS: dict[str, tuple[Callable[[Rng], Drawing], ...]] = {
    "Graph Plot": (charts.graph_plot,),
    "Scatterplot": (charts.scatterplot,),
    "Bar Chart": (charts.bar_chart,),
    "Heatmap": (charts.heatmap,),
    "Node Diagram": (drawings.node_diagram,),
    "Flowchart": (drawings.flowchart,),
    "Equation": (drawings.equation,),
    "Table": (images.table_drawing, images.table_picture),
    "Photo": (images.photo,),
    "Screenshot": (images.screenshot,),
    "Other": (drawings.other, charts.pie),
}
TEX_SHARE = 0.35  # of the types pdfLaTeX can draw, made by pdfLaTeX
TEX_BATCH = 40


def _drawings(label: str, count: int, rng: Rng) -> Iterator[Drawing]:
    """``count`` drawings of one type: TeX-made in batches where TeX draws the type, the rest from
    the Python generators (a batch that does not compile is made up from them)."""
    made = 0
    tex_count = int(round(count * TEX_SHARE)) if label in tex.TEX_GENERATORS else 0
    while made < tex_count:
        batch = min(TEX_BATCH, tex_count - made)
        makers = tex.TEX_GENERATORS[label]
        pages = tex.typeset([makers[int(rng.integers(len(makers)))](rng) for _ in range(batch)])
        if pages is None:
            break
        yield from pages
        made += batch
    generators = GENERATORS[label]
    for _ in range(count - made):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield generators[int(rng.integers(len(generators)))](rng)
        charts.close_all()


def synthetic_evidence(per_type: int, seed: int = 0) -> Iterator[tuple[str, FigureEvidence]]:
    """``(type, evidence)`` for ``per_type`` figures of every type (fewer where the extractor
    misses one: such figures are left out, as they would be in a build)."""
    rng = np.random.default_rng(seed)
    for label in GENERATORS:
        for drawing in _drawings(label, per_type, rng):
            if not fits(drawing):
                continue
            pool = CUED_CAPTIONS[label] if rng.random() < 0.25 else NEUTRAL_CAPTIONS
            with pymupdf.open("pdf", place(rng, drawing, str(rng.choice(pool)))) as doc:
                figures = [f for f in extract_document(doc).figures if f.kind == "figure"]
            if figures:
                yield label, evidence_of(figures[0])
