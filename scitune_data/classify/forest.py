"""A tree ensemble evaluated with numpy alone: the shipped figure-type model.

Trees are stored flat (one row per node across all trees) in an ``.npz`` file: ``feature``,
``threshold``, ``left``, ``right`` (``-1`` at leaves), ``value`` (class probabilities of each
leaf), ``roots`` (first node of each tree), plus ``classes`` and ``feature_names``. Training
(``benchmarks/figure_types/train.py``) writes it from scikit-learn; inference needs neither
scikit-learn nor torch.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np


class ModelFileError(ValueError):
    """The model file is missing arrays or was trained on other features."""


@dataclass(frozen=True, slots=True)
class Forest:
    feature: np.ndarray  # int32 per node
    threshold: np.ndarray  # float32 per node: go left when x <= threshold
    left: np.ndarray  # int32 per node, -1 at a leaf
    right: np.ndarray
    value: np.ndarray  # float32 [nodes, classes]
    roots: np.ndarray  # int32 per tree
    classes: tuple[str, ...]
    feature_names: tuple[str, ...]

    @classmethod
    def load(cls, path: Path, expected_features: tuple[str, ...]) -> Forest:
        try:
            with np.load(path, allow_pickle=False) as data:
                forest = cls(
                    feature=data["feature"].astype(np.int32), threshold=data["threshold"].astype(np.float32),
                    left=data["left"].astype(np.int32), right=data["right"].astype(np.int32),
                    value=data["value"].astype(np.float32), roots=data["roots"].astype(np.int32),
                    classes=tuple(str(c) for c in data["classes"]),
                    feature_names=tuple(str(n) for n in data["feature_names"]),
                )
        except (OSError, KeyError, ValueError) as error:
            raise ModelFileError(f"{path}: not a figure-type model file ({error})") from error
        if forest.feature_names != expected_features:
            raise ModelFileError(f"{path}: trained on other features than this version computes; retrain it")
        return forest

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path, feature=self.feature.astype(np.int16), threshold=self.threshold.astype(np.float32),
            left=self.left.astype(np.int32), right=self.right.astype(np.int32),
            value=self.value.astype(np.float16), roots=self.roots.astype(np.int32),
            classes=np.array(self.classes), feature_names=np.array(self.feature_names))

    @classmethod
    def from_sklearn(cls, model, feature_names: tuple[str, ...]) -> Forest:
        """A fitted scikit-learn random forest (or extra-trees) as flat arrays; leaf values
        normalised to class probabilities, as scikit-learn averages them."""
        features, thresholds, lefts, rights, values, roots = [], [], [], [], [], []
        offset = 0
        for estimator in model.estimators_:
            tree = estimator.tree_
            leaf = tree.children_left < 0
            roots.append(offset)
            features.append(np.where(leaf, 0, tree.feature))
            thresholds.append(tree.threshold)
            lefts.append(np.where(leaf, -1, tree.children_left + offset))
            rights.append(np.where(leaf, -1, tree.children_right + offset))
            value = tree.value[:, 0, :]
            values.append(value / np.maximum(value.sum(axis=1, keepdims=True), 1e-12))
            offset += tree.node_count
        return cls(
            feature=np.concatenate(features).astype(np.int32), threshold=np.concatenate(thresholds).astype(np.float32),
            left=np.concatenate(lefts).astype(np.int32), right=np.concatenate(rights).astype(np.int32),
            value=np.concatenate(values).astype(np.float32), roots=np.array(roots, dtype=np.int32),
            classes=tuple(str(c) for c in model.classes_), feature_names=tuple(feature_names),
        )

    def predict_proba(self, rows: np.ndarray) -> np.ndarray:
        """Class probabilities ``[len(rows), classes]``: the mean of the trees' leaf values."""
        rows = np.atleast_2d(np.asarray(rows, dtype=np.float32))
        nodes = np.broadcast_to(self.roots, (len(rows), len(self.roots))).copy()
        sample = np.arange(len(rows))[:, None]
        while True:
            inner = self.left[nodes] >= 0
            if not inner.any():
                break
            go_left = rows[sample, self.feature[nodes]] <= self.threshold[nodes]
            step = np.where(go_left, self.left[nodes], self.right[nodes])
            nodes = np.where(inner, step, nodes)
        return self.value[nodes].mean(axis=1)
