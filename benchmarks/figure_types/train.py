"""Train the shipped figure-type models (``scitune_data/classify/figure_types*.npz``).

    python benchmarks/figure_types/train.py --shared ../shared [--per-type 250] [--seed 0] [--cache FILE]
    python benchmarks/figure_types/train.py --from-data benchmarks/figure_types/training_data.npz

Fits a random forest (scikit-learn, from the ``[dev]`` extra) on features and a small
convolutional network (torch, from the ``[train]`` extra) on pixels, both on the **dev** part
of the hand-labelled figures (``labels.json``; the test part is never read) plus synthetic
figures of every type (``synthetic.py``), and exports them to the numpy-only formats the
package reads. The network's share of the vote comes from ``crossval.py`` (grouped by paper on
the dev part). What the models saw goes to ``training.json``; the feature rows to
``training_data.npz``, so that the forest can be refitted without the PDFs (``--from-data``,
which keeps the shipped network: real figures' pixels are not stored, as most papers'
licences do not allow it). ``--cache`` keeps the evidence of a run for the next one.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from dataset import labelled_evidence, load_labels  # noqa: E402
from scitune_data.classify.convnet import ConvNet  # noqa: E402
from scitune_data.classify.features import FEATURE_NAMES, feature_vector  # noqa: E402
from scitune_data.classify.forest import Forest  # noqa: E402
from scitune_data.classify.labels import FIGURE_TYPES  # noqa: E402
from scitune_data.classify.model import CONVNET_PATH, MODEL_PATH  # noqa: E402

REAL_WEIGHT = 3.0  # a real dev figure counts as much as this many synthetic ones
FOREST = dict(n_estimators=200, min_samples_leaf=1, max_features="sqrt")
CONVNET = dict(epochs=20, size=96, channels=(12, 24, 48, 96))
CONVNET_SHARE = 0.3  # the network's weight in the vote, chosen with crossval.py
CLASSES = tuple(sorted(FIGURE_TYPES))


@dataclass
class TrainingSet:
    real_keys: list[str]
    real_papers: list[str]
    real_types: list[str]
    real_features: np.ndarray
    real_pixels: list[np.ndarray]
    synthetic_types: list[str]
    synthetic_features: np.ndarray
    synthetic_pixels: list[np.ndarray]


def training_set(shared: Path, per_type: int, seed: int) -> TrainingSet:
    from synthetic import synthetic_evidence  # noqa: PLC0415 - matplotlib only here

    dev = [item for item in load_labels() if item.split == "dev"]
    real = labelled_evidence(shared, dev)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        synthetic = list(synthetic_evidence(per_type, seed))
    return TrainingSet(
        real_keys=[item.key for item, _ in real], real_papers=[item.paper for item, _ in real],
        real_types=[item.type for item, _ in real], real_pixels=[e.pixels for _, e in real],
        real_features=_rows([e for _, e in real]), synthetic_types=[label for label, _ in synthetic],
        synthetic_features=_rows([e for _, e in synthetic]), synthetic_pixels=[e.pixels for _, e in synthetic],
    )


def _rows(evidence: list) -> np.ndarray:
    return np.array([feature_vector(e) for e in evidence], dtype=np.float32).reshape(len(evidence), len(FEATURE_NAMES))


def cached_training_set(args: argparse.Namespace) -> TrainingSet:
    """The training set, from ``args.cache`` where that holds one (kept as a plain dict, so
    that every script importing this module reads it)."""
    if args.cache and args.cache.is_file():
        return TrainingSet(**pickle.loads(args.cache.read_bytes()))
    if not args.shared.is_dir():
        sys.exit(f"no labelled papers: {args.shared} is missing (pass --shared or --from-data)")
    data = training_set(args.shared, args.per_type, args.seed)
    if args.cache:
        args.cache.write_bytes(pickle.dumps(vars(data)))
    return data


def fit_forest(x_real: np.ndarray, y_real: list[str], x_synthetic: np.ndarray, y_synthetic: list[str],
               seed: int) -> Forest:
    from sklearn.ensemble import RandomForestClassifier  # noqa: PLC0415 - training only

    weight = np.concatenate([np.full(len(x_real), REAL_WEIGHT), np.ones(len(x_synthetic))])
    model = RandomForestClassifier(random_state=seed, n_jobs=1, **FOREST).fit(
        np.concatenate([x_real, x_synthetic]), np.concatenate([y_real, y_synthetic]), sample_weight=weight)
    return Forest.from_sklearn(model, FEATURE_NAMES)


def fit_convnet(real: list[np.ndarray], y_real: list[str], synthetic: list[np.ndarray], y_synthetic: list[str],
                seed: int, share: float = CONVNET_SHARE) -> ConvNet:
    from convnet_training import train  # noqa: PLC0415 - torch only here

    weight = np.concatenate([np.full(len(real), REAL_WEIGHT), np.ones(len(synthetic))])
    network = train(real + synthetic, list(y_real) + list(y_synthetic), weight, CLASSES, seed=seed, **CONVNET)
    return ConvNet(network.convs, network.fc_weight, network.fc_bias, network.classes, network.size, share)


def record(data: dict, forest: Forest, convnet: ConvNet, args: argparse.Namespace) -> dict:
    import sklearn  # noqa: PLC0415

    return {
        "model": MODEL_PATH.name, "bytes": args.out.stat().st_size, "trees": len(forest.roots),
        "nodes": int(len(forest.feature)), "classes": list(forest.classes), "forest": FOREST,
        "convnet": CONVNET_PATH.name, "convnet_bytes": args.convnet_out.stat().st_size,
        "convnet_parameters": int(sum(w.size + b.size for w, b in convnet.convs) + convnet.fc_weight.size
                                  + convnet.fc_bias.size),
        "convnet_training": {key: list(v) if isinstance(v, tuple) else v for key, v in CONVNET.items()},
        "convnet_share": convnet.vote_share, "real_weight": REAL_WEIGHT, "seed": args.seed,
        "scikit_learn": sklearn.__version__,
        "real_dev_items": int(len(data["real"])),
        "real_dev_papers": len({str(k).split(" / ")[0] for k in data["real_keys"]}),
        "real_dev_types": dict(sorted(Counter(map(str, data["real_types"])).items())),
        "synthetic_per_type_requested": args.per_type,
        "synthetic_types": dict(sorted(Counter(map(str, data["synthetic_types"])).items())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=HERE.parents[1].parent / "shared")
    parser.add_argument("--per-type", type=int, default=250, help="synthetic figures per type")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache", type=Path, help="keep the gathered evidence here (pickle) and reuse it")
    parser.add_argument("--from-data", type=Path, help="refit the forest from saved feature rows instead of the PDFs")
    parser.add_argument("--data-out", type=Path, default=HERE / "training_data.npz")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--convnet-out", type=Path, default=CONVNET_PATH)
    args = parser.parse_args()
    if args.from_data:
        with np.load(args.from_data) as saved:
            data = dict(saved)
        if tuple(map(str, data["feature_names"])) != FEATURE_NAMES:
            sys.exit(f"{args.from_data} holds other features than this version computes: rerun without --from-data")
        convnet = ConvNet.load(args.convnet_out)
    else:
        rows = cached_training_set(args)
        data = {"real_keys": np.array(rows.real_keys), "real_types": np.array(rows.real_types),
                "real": rows.real_features, "synthetic_types": np.array(rows.synthetic_types),
                "synthetic": rows.synthetic_features, "feature_names": np.array(FEATURE_NAMES)}
        np.savez_compressed(args.data_out, **data)
        convnet = fit_convnet(rows.real_pixels, rows.real_types, rows.synthetic_pixels, rows.synthetic_types, args.seed)
        convnet.save(args.convnet_out)
    forest = fit_forest(data["real"], list(data["real_types"]), data["synthetic"], list(data["synthetic_types"]),
                        args.seed)
    forest.save(args.out)
    summary = record(data, forest, convnet, args)
    (HERE / "training.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
