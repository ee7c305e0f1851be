"""Train the shipped figure-type model (``scitune_data/classify/figure_types.npz``).

    python benchmarks/figure_types/train.py --shared ../shared [--per-type 100] [--seed 0]

Fits a random forest (scikit-learn, from the ``[dev]`` extra) on the **dev** part of the
hand-labelled figures (``labels.json``; the test part is never read) plus synthetic figures of
every type (``synthetic.py``), exports it to the numpy-only format the package reads, and
records what it saw in ``training.json`` and the feature rows themselves in
``training_data.npz`` (so a model can be refitted without the PDFs: ``--from-data``).
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections import Counter
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from dataset import load_labels, labelled_features  # noqa: E402
from scitune_data.classify.features import FEATURE_NAMES, feature_vector  # noqa: E402
from scitune_data.classify.forest import Forest  # noqa: E402
from scitune_data.classify.model import MODEL_PATH  # noqa: E402

REAL_WEIGHT = 3.0  # a real dev figure counts as much as this many synthetic ones
FOREST = dict(n_estimators=150, min_samples_leaf=1, max_features="sqrt")


def training_rows(shared: Path, per_type: int, seed: int) -> dict[str, np.ndarray]:
    from synthetic import synthetic_evidence  # noqa: PLC0415 - matplotlib only here

    dev = [item for item in load_labels() if item.split == "dev"]
    kept, real = labelled_features(shared, dev)
    synthetic_types, synthetic = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for label, evidence in synthetic_evidence(per_type, seed):
            synthetic_types.append(label)
            synthetic.append(feature_vector(evidence))
    return {
        "real_keys": np.array([item.key for item in kept]), "real_types": np.array([item.type for item in kept]),
        "real": real, "synthetic_types": np.array(synthetic_types),
        "synthetic": np.array(synthetic, dtype=np.float32).reshape(len(synthetic), len(FEATURE_NAMES)),
        "feature_names": np.array(FEATURE_NAMES),
    }


def fit(rows: dict[str, np.ndarray], seed: int) -> Forest:
    from sklearn.ensemble import RandomForestClassifier  # noqa: PLC0415 - training only

    x = np.concatenate([rows["real"], rows["synthetic"]])
    y = np.concatenate([rows["real_types"], rows["synthetic_types"]])
    weight = np.concatenate([np.full(len(rows["real"]), REAL_WEIGHT), np.ones(len(rows["synthetic"]))])
    model = RandomForestClassifier(random_state=seed, n_jobs=1, **FOREST).fit(x, y, sample_weight=weight)
    return Forest.from_sklearn(model, FEATURE_NAMES)


def record(rows: dict[str, np.ndarray], forest: Forest, args: argparse.Namespace, out: Path) -> dict:
    import sklearn  # noqa: PLC0415

    return {
        "model": str(out.name), "bytes": out.stat().st_size, "trees": len(forest.roots),
        "nodes": int(len(forest.feature)), "classes": list(forest.classes),
        "forest": FOREST, "real_weight": REAL_WEIGHT, "seed": args.seed, "scikit_learn": sklearn.__version__,
        "real_dev_items": int(len(rows["real"])),
        "real_dev_papers": len({str(k).split(" / ")[0] for k in rows["real_keys"]}),
        "real_dev_types": dict(sorted(Counter(map(str, rows["real_types"])).items())),
        "synthetic_per_type_requested": args.per_type,
        "synthetic_types": dict(sorted(Counter(map(str, rows["synthetic_types"])).items())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=HERE.parents[1].parent / "shared")
    parser.add_argument("--per-type", type=int, default=100, help="synthetic figures per type")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--from-data", type=Path, help="refit from saved feature rows instead of the PDFs")
    parser.add_argument("--data-out", type=Path, default=HERE / "training_data.npz")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()
    if args.from_data:
        with np.load(args.from_data) as data:
            rows = dict(data)
        if tuple(map(str, rows["feature_names"])) != FEATURE_NAMES:
            sys.exit(f"{args.from_data} holds other features than this version computes: rerun without --from-data")
    else:
        if not args.shared.is_dir():
            sys.exit(f"no labelled papers: {args.shared} is missing (pass --shared or --from-data)")
        rows = training_rows(args.shared, args.per_type, args.seed)
        np.savez_compressed(args.data_out, **rows)
    forest = fit(rows, args.seed)
    forest.save(args.out)
    summary = record(rows, forest, args, args.out)
    (HERE / "training.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
