"""OCR engines against exact ground truth: crops whose words the PDF's text layer knows.

    python benchmarks/ocr_engines.py --figures OUT/figures [--engines rapidocr tesseract easyocr]

Build first with ``scitune-data build --ocr pdf-text``. Every crop whose ``ocr_source`` is
``pdf-text`` is a raster image (the PNG crop) with a known word list: the text layer inside
its box. Each engine reads the PNG; per engine and per kind (figure / table) this prints word
recall and precision (multisets of lowercased words, punctuation trimmed) and seconds per
crop (model loading excluded, reported apart).
"""

from __future__ import annotations

import argparse
import re
import time
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq

from scitune_data.ocr import ENGINES, OcrUnavailable, load_engine

EDGE_PUNCTUATION = re.compile(r"^[^\w]+|[^\w%]+$")


def words(tokens: list[str]) -> Counter[str]:
    cleaned = (EDGE_PUNCTUATION.sub("", t.lower().replace("\u2212", "-")) for t in tokens)
    return Counter(w for w in cleaned if w)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--figures", type=Path, required=True)
    parser.add_argument("--engines", nargs="+", default=list(ENGINES))
    parser.add_argument("--min-words", type=int, default=5)
    args = parser.parse_args()
    rows = [r for r in pq.read_table(args.figures, columns=["kind", "label", "ocr", "ocr_source", "image"]).to_pylist()
            if r["ocr_source"] == "pdf-text" and len(r["ocr"]) >= args.min_words]
    print(f"crops with text-layer truth: {sum(r['kind'] == 'figure' for r in rows)} figures, "
          f"{sum(r['kind'] == 'table' for r in rows)} tables")
    for name in args.engines:
        try:
            start = time.perf_counter()
            engine = load_engine(name)
            loading = time.perf_counter() - start
        except OcrUnavailable as error:
            print(f"{name}: unavailable ({error})")
            continue
        for kind in ("figure", "table"):
            chosen = [r for r in rows if r["kind"] == kind]
            if not chosen:
                continue
            start = time.perf_counter()
            read = engine.read([r["image"]["bytes"] for r in chosen])
            seconds = (time.perf_counter() - start) / len(chosen)
            truth_total = found_total = hit = 0
            for row, tokens in zip(chosen, read):
                truth, found = words(row["ocr"]), words(tokens)
                hit += sum((truth & found).values())
                truth_total += sum(truth.values())
                found_total += sum(found.values())
            print(f"{name:10s} {kind:6s} n={len(chosen):3d} recall={hit / truth_total:.3f} "
                  f"precision={hit / max(found_total, 1):.3f} seconds_per_crop={seconds:.2f} "
                  f"load_seconds={loading:.2f}")


if __name__ == "__main__":
    main()
