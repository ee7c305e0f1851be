"""The default figure-type classifier: two small models shipped in the package, numpy only.

- a tree ensemble (``figure_types.npz``) over what the PDF says exactly (drawing commands of
  vector figures), pixel statistics, the figure's own text and the caption's cues (see
  :mod:`scitune_data.classify.features`);
- a small convolutional network (``figure_types_convnet.npz``) over the rendered pixels, which
  is what raster figures have (see :mod:`scitune_data.classify.convnet`).

A figure's type is the one with the highest weighted mean of their probabilities; the network's
share of the vote is chosen on the labelled development figures and stored in its file. Tables
found as tables stay ``Table``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from scitune_data.classify.convnet import ConvNet, network_input
from scitune_data.classify.evidence import FigureEvidence
from scitune_data.classify.features import FEATURE_NAMES, feature_vector
from scitune_data.classify.forest import Forest, ModelFileError

MODEL_PATH = Path(__file__).with_name("figure_types.npz")
CONVNET_PATH = Path(__file__).with_name("figure_types_convnet.npz")


@dataclass(frozen=True, slots=True)
class FigureTypeModel:
    """The tree ensemble and, where given, the network, voting by ``convnet_share``."""

    forest: Forest
    convnet: ConvNet | None  # None: the tree ensemble alone
    convnet_share: float = 0.0

    @property
    def classes(self) -> tuple[str, ...]:
        return self.forest.classes

    def predict_proba(self, evidence: list[FigureEvidence]) -> np.ndarray:
        """Class probabilities ``[len(evidence), len(self.classes)]``."""
        probabilities = self.forest.predict_proba(np.stack([feature_vector(e) for e in evidence]))
        if self.convnet is None or self.convnet_share <= 0:
            return probabilities
        seen = self.convnet.predict_proba(np.stack([network_input(e.pixels, self.convnet.size) for e in evidence]))
        column = [self.convnet.classes.index(label) for label in self.classes]
        return (1 - self.convnet_share) * probabilities + self.convnet_share * seen[:, column]


@cache
def load_model(path: Path = MODEL_PATH, convnet_path: Path | None = CONVNET_PATH) -> FigureTypeModel:
    """The shipped classifier; ``convnet_path=None`` gives the tree ensemble alone."""
    forest = Forest.load(path, FEATURE_NAMES)
    if convnet_path is None:
        return FigureTypeModel(forest, None)
    convnet = ConvNet.load(convnet_path)
    if not set(forest.classes) <= set(convnet.classes):
        raise ModelFileError(f"{convnet_path}: the network knows other figure types than the tree ensemble; "
                             "retrain both")
    return FigureTypeModel(forest, convnet, convnet.vote_share)


def classify_figures(evidence: list[FigureEvidence], path: Path = MODEL_PATH,
                     convnet_path: Path | None = CONVNET_PATH) -> list[tuple[str, float]]:
    """``(figure type, probability)`` for each figure, in one batch."""
    if not evidence:
        return []
    model = load_model(path, convnet_path)
    probabilities = model.predict_proba(evidence)
    best = probabilities.argmax(axis=1)
    return [(model.classes[i], float(probabilities[row, i])) for row, i in enumerate(best)]
