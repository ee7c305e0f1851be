"""Grouped cross-validation on the **dev** part: how the tree ensemble, the network and their vote
do on papers they were not fitted on (the test part is never read).

    python benchmarks/figure_types/crossval.py --shared ../shared [--folds 5] [--cache FILE]

Dev papers are dealt into folds; for each fold both models are fitted on the other folds' real
figures plus all synthetic ones, exactly as ``train.py`` fits them, and predict the fold's
figures. Prints accuracy of whole figures and panels for the network's share of the vote from
0 (trees alone) to 1 (network alone); ``train.py``'s ``CONVNET_SHARE`` is chosen from it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scitune_data.classify.convnet import network_input  # noqa: E402
from train import CLASSES, cached_training_set, fit_convnet, fit_forest  # noqa: E402

SHARES = (0.0, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0)


def paper_folds(papers: list[str], folds: int, seed: int) -> np.ndarray:
    """Fold of each item: papers shuffled and dealt round-robin, so a paper sits in one fold."""
    names = sorted(set(papers))
    np.random.default_rng(seed).shuffle(names)
    fold_of = {name: i % folds for i, name in enumerate(names)}
    return np.array([fold_of[p] for p in papers])


def out_of_fold(args: argparse.Namespace) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Trees' and network's class probabilities for every dev item, each from models that did not see its paper."""
    data = cached_training_set(args)
    fold = paper_folds(data.real_papers, args.folds, args.seed)
    truth = np.array(data.real_types)
    trees, network = (np.zeros((len(truth), len(CLASSES))) for _ in range(2))
    for f in range(args.folds):
        train, held = np.flatnonzero(fold != f), np.flatnonzero(fold == f)
        forest = fit_forest(data.real_features[train], list(truth[train]), data.synthetic_features,
                            data.synthetic_types, args.seed)
        columns = [CLASSES.index(c) for c in forest.classes]
        trees[np.ix_(held, columns)] = forest.predict_proba(data.real_features[held])
        convnet = fit_convnet([data.real_pixels[i] for i in train], list(truth[train]), data.synthetic_pixels,
                              data.synthetic_types, args.seed)
        inputs = np.stack([network_input(data.real_pixels[i], convnet.size) for i in held])
        network[np.ix_(held, [CLASSES.index(c) for c in convnet.classes])] = convnet.predict_proba(inputs)
        print(f"fold {f + 1}/{args.folds}: {len(held)} items", flush=True)
    panels = np.array([" / panel " in key for key in data.real_keys])
    return truth, panels, trees, network


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=HERE.parents[1].parent / "shared")
    parser.add_argument("--per-type", type=int, default=250, help="synthetic figures per type")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--cache", type=Path, help="evidence kept by train.py --cache (or to keep)")
    args = parser.parse_args()
    truth, panels, trees, network = out_of_fold(args)
    print(f"\n{'network share':>14} {'whole figures':>14} {'panels':>8}")
    for share in SHARES:
        predicted = np.array(CLASSES)[((1 - share) * trees + share * network).argmax(axis=1)]
        right = predicted == truth
        print(f"{share:14.1f} {right[~panels].mean():14.3f} {right[panels].mean():8.3f}")


if __name__ == "__main__":
    main()
