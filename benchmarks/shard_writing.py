"""Shard writing speed and memory: records/s, MB/s, and peak memory as the input grows.

    python benchmarks/shard_writing.py --figures OUT/figures [--copies 1 4 16]

The figures table is repeated COPIES times under new paper ids (a corpus COPIES times larger;
dedup is switched off, as every copy would otherwise be dropped as a duplicate), and each size
is written to shards in a fresh subprocess under the multitask recipe. Peak memory (max RSS of
that process) should stay flat as the corpus grows: the writer streams.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq


def scaled_input(figures: Path, copies: int, folder: Path) -> Path:
    files = sorted(figures.glob("*.parquet")) if figures.is_dir() else [figures]
    target = folder / "figures"
    target.mkdir(parents=True)
    for copy in range(copies):
        for index, path in enumerate(files):
            table = pq.read_table(path)
            ids = [f"{p}-copy{copy}" for p in table["paper_id"].to_pylist()]
            table = table.set_column(table.schema.get_field_index("paper_id"), "paper_id", [ids])
            pq.write_table(table, target / f"part-{copy:04d}-{index:05d}.parquet")
    return target


def run_one(figures: Path, out: Path) -> None:
    from scitune_data.pipeline.record_shards import build_records
    from scitune_data.records.recipe import Dedup, load_recipe

    recipe = replace(load_recipe("scitune-multitask"), dedup=Dedup(False, -1, False))
    start = time.perf_counter()
    summary = build_records(figures, out, recipe)
    seconds = time.perf_counter() - start
    written = sum(s["bytes"] for s in summary.shards)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"figures": summary.figures, "records": summary.records, "seconds": round(seconds, 3),
                      "records_per_s": round(summary.records / seconds, 1),
                      "mb_per_s": round(written / seconds / 1e6, 2), "peak_rss_mib": round(peak_mib, 1)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--figures", type=Path, required=True)
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--run-one", nargs=2, metavar=("FIGURES", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    for copies in args.copies:
        with tempfile.TemporaryDirectory() as tmp:
            figures = scaled_input(args.figures, copies, Path(tmp))
            result = subprocess.run([sys.executable, __file__, "--figures", str(figures), "--run-one",
                                     str(figures), str(Path(tmp) / "out")], capture_output=True, text=True, check=True)
            print(f"copies={copies} {result.stdout.strip()}")


if __name__ == "__main__":
    if "--run-one" in sys.argv:
        where = sys.argv.index("--run-one")
        run_one(Path(sys.argv[where + 1]), Path(sys.argv[where + 2]))
    else:
        main()
