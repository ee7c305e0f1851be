"""Score figure types and mentions against the hand-labelled corpus figures.

    python benchmarks/figure_signals/score.py --pred OUT/figures [--labels labels.json]

``labels.json`` holds, for every figure and table of the 12 papers in ``../shared/corpus`` (81
items), its type (checked by eye on the rendered crops) and its mentions: a short phrase from
each body sentence that refers to it (checked by reading the papers; captions, quoted label
strings and hypothetical examples are not mentions). A predicted mention paragraph is right
when it contains a phrase of that figure; a phrase is found when some predicted paragraph holds
it. Text is compared on letters and digits only, so line breaks and hyphens do not matter.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent


def squash(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.lower())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pred", type=Path, required=True)
    parser.add_argument("--labels", type=Path, default=HERE / "labels.json")
    parser.add_argument("--json", type=Path, help="write the report here")
    args = parser.parse_args()
    labels = json.loads(args.labels.read_text())
    rows = pq.read_table(args.pred, columns=["pdf_sha256", "label", "figure_type", "mentions"]).to_pylist()
    predicted = {(r["pdf_sha256"], r["label"]): r for r in rows}
    confusion: Counter[tuple[str, str]] = Counter()
    anchors = anchors_found = paragraphs = paragraphs_right = missing = 0
    for paper in labels.values():
        for label, truth in paper["figures"].items():
            row = predicted.get((paper["pdf_sha256"], label))
            if row is None:
                missing += 1
                continue
            confusion[(truth["type"], row["figure_type"])] += 1
            wanted = [squash(a) for a in truth["mentions"]]
            found = [squash(p) for p in row["mentions"]]
            anchors += len(wanted)
            anchors_found += sum(any(a in p for p in found) for a in wanted)
            paragraphs += len(found)
            paragraphs_right += sum(any(a in p for a in wanted) for p in found)
    total = sum(confusion.values())
    figures = sum(n for (t, _), n in confusion.items() if t != "Table")
    report = {
        "items": total, "missing": missing,
        "type_accuracy": round(sum(n for (t, p), n in confusion.items() if t == p) / total, 4),
        "type_accuracy_figures_only": round(
            sum(n for (t, p), n in confusion.items() if t == p and t != "Table") / figures, 4),
        "mention_recall": round(anchors_found / anchors, 4) if anchors else 1.0,
        "mention_precision": round(paragraphs_right / paragraphs, 4) if paragraphs else 1.0,
        "confusion": {f"{t} -> {p}": n for (t, p), n in sorted(confusion.items())},
    }
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    types = sorted({t for t, _ in confusion} | {p for _, p in confusion})
    width = max(len(t) for t in types)
    print("confusion (rows: true type, columns: predicted)")
    print(" " * width, " ".join(t[:6].rjust(6) for t in types))
    for t in types:
        print(t.rjust(width), " ".join(str(confusion[(t, p)] or ".").rjust(6) for p in types))
    print(" ".join(f"{k}={v}" for k, v in report.items() if k != "confusion"))


if __name__ == "__main__":
    main()
