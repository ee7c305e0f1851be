"""Ray executor overhead against the local executor, same input, same machine.

    python benchmarks/ray_overhead.py --pdf-dir ../shared/corpus [--workers 2] [--repeat 3]

Whole ``build --figures-only --ocr none`` processes, alternating executors, best of
``--repeat``; the Ray runs start a local Ray instance (``ray.init``) inside the timed process,
as a user's first run does.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from timed_build import timed_build


def seconds(pdf_dir: Path, executor: str, workers: int, batch_size: int) -> float:
    with tempfile.TemporaryDirectory() as out:
        return timed_build(pdf_dir, out, "--ocr", "none", "--workers", str(workers), "--executor", executor,
                           "--batch-size", str(batch_size))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pdf-dir", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = {"local": [], "ray": []}
    for _ in range(args.repeat):
        for executor in runs:
            runs[executor].append(seconds(args.pdf_dir, executor, args.workers, args.batch_size))
    local, ray = min(runs["local"]), min(runs["ray"])
    print(f"local_seconds={local:.2f} ray_seconds={ray:.2f} ray_over_local={ray / local:.2f}")


if __name__ == "__main__":
    main()
