"""The default figure-type classifier: a small tree ensemble shipped in the package.

It reads what the PDF says exactly (drawing commands of vector figures), the rendered pixels
(raster figures), the figure's own text and the caption's cues (see
:mod:`scitune_data.classify.features`). Tables found as tables stay ``Table``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

from scitune_data.classify.evidence import FigureEvidence
from scitune_data.classify.features import FEATURE_NAMES, feature_vector
from scitune_data.classify.forest import Forest

MODEL_PATH = Path(__file__).with_name("figure_types.npz")


@cache
def load_model(path: Path = MODEL_PATH) -> Forest:
    return Forest.load(path, FEATURE_NAMES)


def classify_figures(evidence: list[FigureEvidence], path: Path = MODEL_PATH) -> list[tuple[str, float]]:
    """``(figure type, probability)`` for each figure, in one batch."""
    if not evidence:
        return []
    model = load_model(path)
    probabilities = model.predict_proba(np.stack([feature_vector(e) for e in evidence]))
    best = probabilities.argmax(axis=1)
    return [(model.classes[i], float(probabilities[row, i])) for row, i in enumerate(best)]
