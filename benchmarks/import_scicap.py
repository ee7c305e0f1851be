"""SciCap-challenge import at scale: figures/s and peak memory.

    python benchmarks/import_scicap.py [--entries 50000] [--images share-task-img-mask/arxiv/train]

Writes a synthetic challenge layout (``train.json`` with N images and N annotations, N small
PNGs sharing 64 distinct images), then runs ``scitune-data import scicap --figures-only`` in a
fresh process and reports figures imported per second and that process's peak RSS. Run it at
two sizes to see memory stay flat: annotations wait in an on-disk index, figures stream out in
part files.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image


def synthetic(folder: Path, entries: int, images: str = "train") -> Path:
    images_dir = folder / images
    images_dir.mkdir(parents=True)
    pool = []
    for seed in range(64):
        buffer = io.BytesIO()
        Image.fromarray(np.random.default_rng(seed).integers(0, 255, (48, 64, 3), dtype=np.uint8)).save(buffer, "PNG")
        pool.append(buffer.getvalue())
    with (folder / "train.json").open("w") as handle:
        handle.write('{"images": [')
        for i in range(entries):
            name = f"{1000 + i // 5}.{i:05d}v1-Figure{i % 5 + 1}-1.png"
            (images_dir / name).write_bytes(pool[i % 64])
            handle.write(("," if i else "") + json.dumps({"file_name": name, "id": i, "figure_type": "Graph Plot",
                                                          "ocr": ["0", "10", "loss", "epoch"]}))
        handle.write('], "annotations": [')
        for i in range(entries):
            handle.write(("," if i else "") + json.dumps({
                "image_id": i, "id": i, "caption": f"Figure {i % 5 + 1}: Loss against epochs for run {i}.",
                "caption_no_index": f"loss against epochs for run {i} .",
                "paragraph": [f"As Fig. {i % 5 + 1} shows, run {i} converges after ten epochs of training."],
                "mention": [[f"Fig. {i % 5 + 1} shows run {i}."]]}))
        handle.write("]}")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, nargs="+", default=[50000])
    parser.add_argument("--images", default="train",
                        help="folder of the images under the source: train (where the layout puts them) or, "
                             "as the Hub's zip unpacks, share-task-img-mask/arxiv/train (found by name)")
    args = parser.parse_args()
    for entries in args.entries:
        with tempfile.TemporaryDirectory() as tmp:
            source = synthetic(Path(tmp) / "scicap", entries, args.images)
            out = Path(tmp) / "out"
            code = ("import resource, sys, time; from pathlib import Path; "
                    "from scitune_data.importers.scicap import import_scicap; "
                    f"t = time.perf_counter(); s = import_scicap(Path({str(source)!r}), Path({str(out)!r})).close(); "
                    "d = time.perf_counter() - t; "
                    "print(s.figures, s.errors, round(d, 2), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
            result = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
            figures, errors, seconds, rss_kib = result.stdout.split()
            print(f"entries={entries} images={args.images} figures={figures} errors={errors} seconds={seconds} "
                  f"figures_per_s={int(figures) / float(seconds):.0f} peak_rss_mib={int(rss_kib) / 1024:.0f}")


if __name__ == "__main__":
    main()
