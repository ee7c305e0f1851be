"""Parallel build scaling and per-worker memory.

    python benchmarks/scaling.py --pdf-dir ../shared/corpus [--workers 1 2] [--repeat 3]

1. Whole ``build --figures-only --ocr none`` processes with 1 and with N workers (best of
   ``--repeat``, alternating): scaling efficiency = time(1) / time(N).
2. Peak memory of one worker on the largest PDF (by bytes): the paper is processed in a fresh
   subprocess and its maximum resident set size read from the kernel.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from timed_build import timed_build


def build_seconds(pdf_dir: Path, workers: int, ocr: str) -> float:
    with tempfile.TemporaryDirectory() as out:
        return timed_build(pdf_dir, out, "--ocr", ocr, "--workers", str(workers), "--batch-size", "1")


def worker_peak(pdf: Path, ocr: str) -> float:
    code = ("import resource, sys; from pathlib import Path; "
            "from scitune_data.pipeline.papers import ExtractOptions, process_paper; "
            f"o = process_paper(Path({str(pdf)!r}), 'x', ExtractOptions(ocr={ocr!r})); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    result = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return int(result.stdout.split()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pdf-dir", type=Path, required=True)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--ocr", default="none")
    args = parser.parse_args()
    times: dict[int, list[float]] = {n: [] for n in args.workers}
    for _ in range(args.repeat):
        for workers in args.workers:
            times[workers].append(build_seconds(args.pdf_dir, workers, args.ocr))
    best = {n: min(t) for n, t in times.items()}
    base = best[args.workers[0]]
    for workers, seconds in best.items():
        print(f"workers={workers} seconds={seconds:.2f} speedup={base / seconds:.2f}")
    largest = max(args.pdf_dir.rglob("*.pdf"), key=lambda p: p.stat().st_size)
    for ocr in ("none", "auto"):
        print(f"largest={largest.name} ({largest.stat().st_size / 1e6:.1f} MB) ocr={ocr} "
              f"worker_peak_rss_mib={worker_peak(largest, ocr):.0f}")


if __name__ == "__main__":
    main()
