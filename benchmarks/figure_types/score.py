"""Score the shipped figure-type model on the **test** part of the hand-labelled figures.

    python benchmarks/figure_types/score.py --shared ../shared [--split test] [--json report.json]

Whole figures are found by label in the extractor's output (a figure whose crop is wrong is
scored on that crop, as a build would type it); panels by their page and box. Prints accuracy,
the confusion matrix and per-class recall for whole figures (the headline) and for panels, for
the default classifier and for its tree ensemble alone, and the time the type step takes per
figure (features, network and trees).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from dataset import Labelled, labelled_evidence, load_labels  # noqa: E402
from scitune_data.classify.model import FigureTypeModel, load_model  # noqa: E402


def report(items: list[Labelled], predicted: list[str]) -> dict:
    confusion = Counter((item.type, label) for item, label in zip(items, predicted))
    truth = Counter(item.type for item in items)
    right = sum(n for (t, p), n in confusion.items() if t == p)
    return {
        "items": len(items),
        "accuracy": round(right / len(items), 4) if items else None,
        "recall": {t: round(confusion[(t, t)] / n, 3) for t, n in sorted(truth.items())},
        "support": dict(sorted(truth.items())),
        "confusion": {f"{t} -> {p}": n for (t, p), n in sorted(confusion.items())},
    }


def print_report(title: str, summary: dict) -> None:
    print(f"\n## {title}: {summary['items']} items, accuracy {summary['accuracy']}")
    pairs = [key.split(" -> ") + [n] for key, n in summary["confusion"].items()]
    types = sorted({t for t, _, _ in pairs} | {p for _, p, _ in pairs})
    counts = {(t, p): n for t, p, n in pairs}
    width = max(len(t) for t in types)
    print("rows: true type, columns: predicted")
    print(" " * width, " ".join(t[:6].rjust(6) for t in types), " recall")
    for t in types:
        recall = summary["recall"].get(t)
        print(t.rjust(width), " ".join(str(counts.get((t, p), ".")).rjust(6) for p in types),
              f"{recall:7.3f}" if recall is not None else "      -")


def score(model: FigureTypeModel, items: list[Labelled], evidence: list) -> dict:
    start = time.perf_counter()
    probabilities = model.predict_proba(evidence)
    per_figure_ms = (time.perf_counter() - start) / max(len(evidence), 1) * 1000
    predicted = [model.classes[i] for i in np.argmax(probabilities, axis=1)]
    whole = [(i, p) for i, p in zip(items, predicted) if not i.is_panel]
    panels = [(i, p) for i, p in zip(items, predicted) if i.is_panel]
    return {
        "whole_figures": report([i for i, _ in whole], [p for _, p in whole]),
        "whole_figures_right_crop": report([i for i, _ in whole if i.crop_ok], [p for i, p in whole if i.crop_ok]),
        "panels": report([i for i, _ in panels], [p for _, p in panels]),
        "ms_per_figure_batched": round(per_figure_ms, 3),
        "wrong": [f"{i.key}: {i.type} -> {p}" for i, p in whole if i.type != p],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=HERE.parents[1].parent / "shared")
    parser.add_argument("--split", default="test", choices=("test", "dev"))
    parser.add_argument("--json", type=Path, help="write the report here")
    args = parser.parse_args()
    if not args.shared.is_dir():
        sys.exit(f"no labelled papers: {args.shared} is missing (pass --shared)")
    found = labelled_evidence(args.shared, [i for i in load_labels() if i.split == args.split])
    items, evidence = [i for i, _ in found], [e for _, e in found]
    default = load_model()
    result = {"split": args.split, "default": score(default, items, evidence),
              "tree_ensemble_alone": score(load_model(convnet_path=None), items, evidence)}
    for name, summary in result.items():
        if name == "split":
            continue
        print(f"\n# {name} ({summary['ms_per_figure_batched']} ms per figure, batched)")
        print_report(f"{args.split}: whole figures", summary["whole_figures"])
        print_report(f"{args.split}: whole figures whose crop is right", summary["whole_figures_right_crop"])
        print_report(f"{args.split}: panels", summary["panels"])
    print("\nwrong (default):", *result["default"]["wrong"], sep="\n  ")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
