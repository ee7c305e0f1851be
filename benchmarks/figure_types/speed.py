"""What the figure-type step costs a build.

    python benchmarks/figure_types/speed.py --pdf-dir ../shared/corpus [--repeat 3]

Times whole ``build`` processes (as ``build_speed.py`` does) and, in one warm process, the type
step alone for every figure of the same PDFs: model load, features, prediction. Prints the
milliseconds per figure (trees and network) and the step's share of the build (target: under 10 %).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pymupdf

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from scitune_data.classify.model import CONVNET_PATH, MODEL_PATH, classify_figures, load_model  # noqa: E402
from scitune_data.figures.extract import extract_document  # noqa: E402
from scitune_data.pipeline.inputs import discover_inputs  # noqa: E402
from scitune_data.pipeline.signals import evidence_of  # noqa: E402
from timed_build import timed_build  # noqa: E402


def type_step_seconds(pdfs: list[Path], repeat: int) -> tuple[float, int, float]:
    """Best time of the type step over all figures, the figure count, and the model load time."""
    figures = []
    for pdf in pdfs:
        with pymupdf.open(pdf) as doc:
            figures.extend(f for f in extract_document(doc).figures if f.kind == "figure")
    start = time.perf_counter()
    load_model.cache_clear()
    load_model(MODEL_PATH, CONVNET_PATH)
    load = time.perf_counter() - start
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        classify_figures([evidence_of(f) for f in figures])
        best = min(best, time.perf_counter() - start)
    slowest = max((_one(f) for f in figures), default=0.0)
    print(f"slowest single figure: {slowest * 1000:.1f} ms")
    return best, len(figures), load


def _one(figure) -> float:
    start = time.perf_counter()
    classify_figures([evidence_of(figure)])
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pdf-dir", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pdfs = [p for p in discover_inputs(args.pdf_dir)[0] if p.lower().endswith(".pdf")]
    builds = []
    with tempfile.TemporaryDirectory() as scratch:
        for i in range(args.repeat):
            builds.append(timed_build(args.pdf_dir, Path(scratch) / f"out{i}", "--ocr", "none"))
    step, count, load = type_step_seconds(pdfs, args.repeat)
    build = min(builds)
    print(f"build (best of {args.repeat}): {build:.2f} s; type step: {step:.3f} s for {count} figures "
          f"({step / max(count, 1) * 1000:.2f} ms per figure) + model load {load * 1000:.1f} ms per process")
    print(f"type step / build = {(step + load) / build:.3f}")


if __name__ == "__main__":
    main()
