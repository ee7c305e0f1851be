"""What all of arXiv costs, from measurements on this machine: pages/s per core of whole builds
reading a bulk archive (the process pool with 1 and N workers, and the Ray executor), output
bytes per paper, and the two planning passes (an archive's member index, the metadata snapshot).

    python benchmarks/arxiv_scale.py --pdf-dir ../shared/pool [--workers 1 2] [--ray] [--ocr auto]
                                     [--papers 2500000] [--pages-per-paper P]

The PDFs under --pdf-dir are packed into one tar as arXiv ships them (``YYMM/ID.pdf`` members)
and built from it, figures only, then turned into records (scitune-ctom) to size the shards.
Every build is a whole ``scitune-data build`` process (interpreter start included), timed in wall
seconds and in CPU seconds (on a shared, loaded machine a process gets less than its cores, so
the CPU rate is the better measure of what a dedicated core does). The estimate scales the
measured per-CPU-second rate (the wall rate for Ray, whose workers' CPU time is not ours to
read) to ``--papers`` papers of ``--pages-per-paper`` pages (default: the sample's mean); it
prints the measurements it rests on.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ARXIV_PAPERS = 2_500_000  # arXiv's PDFs, about (the figure)
SNAPSHOT_LINES = 2_700_000  # lines of the metadata snapshot, about
SNAPSHOT_BYTES = 4.5e9  # its size, about


def pack(pdf_dir: Path, archive: Path) -> int:
    pdfs = sorted(p for p in pdf_dir.rglob("*") if p.suffix.lower() == ".pdf")
    with tarfile.open(archive, "w") as tar:
        for pdf in pdfs:
            tar.add(pdf, arcname=f"2401/{pdf.name}")
    return len(pdfs)


def run(command: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (the process and the workers it waited for: not Ray's, whose
    workers belong to the Ray instance) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "scitune_data.cli.main", *command], check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def build(archive: Path, out: Path, workers: int, executor: str, ocr: str, batch_size: int) -> dict:
    seconds, cpu = run(["build", "--pdf-dir", str(archive), "--out", str(out), "--figures-only", "--quiet", "--ocr",
                        ocr, "--workers", str(workers), "--executor", executor, "--batch-size", str(batch_size)])
    summary = json.loads((out / "summary.json").read_text())
    figures = sum(p.stat().st_size for p in (out / "figures").glob("*.parquet"))
    pages = summary["pages"]
    return {"executor": executor, "workers": workers, "ocr": ocr, "seconds": round(seconds, 2),
            "cpu_seconds": round(cpu, 2) if executor == "local" else None, "papers": summary["inputs"], "pages": pages,
            "figures": summary["figures"] + summary["tables"], "figures_bytes": figures,
            "pages_per_core_second": round(pages / seconds / workers, 3),
            "pages_per_cpu_second": round(pages / cpu, 3) if executor == "local" else None}


def records(out: Path, into: Path) -> dict:
    seconds, _ = run(["records", "--figures", str(out / "figures"), "--out", str(into), "--recipe", "scitune-ctom"])
    return {"seconds": round(seconds, 2), "bytes": sum(p.stat().st_size for p in (into / "data").glob("*.parquet"))}


def listing_seconds(archive: Path) -> tuple[float, int]:
    from scitune_data.pipeline.archives import list_members  # noqa: PLC0415

    start = time.perf_counter()
    members = list_members(str(archive)).members
    return time.perf_counter() - start, len(members)


def snapshot_scan(folder: Path, lines: int = 200_000) -> dict:
    """Seconds to stream a snapshot of ``lines`` realistic lines looking for 1,000 ids."""
    from scitune_data.arxiv.metadata import read_snapshot  # noqa: PLC0415

    path = folder / "snapshot.json"
    with path.open("w") as handle:
        for i in range(lines):
            handle.write(json.dumps({
                "id": f"{2001 + i // 90000:04d}.{i % 90000:05d}", "submitter": "A. Author",
                "authors": "A. Author, B. Author and C. Author", "title": "On the figures of papers " * 3,
                "comments": "12 pages", "journal-ref": None, "doi": None, "report-no": None, "categories": "cs.CV cs.LG",
                "license": "http://arxiv.org/licenses/nonexclusive-distrib/1.0/", "abstract": "We study. " * 110,
                "versions": [{"version": "v1", "created": "Mon, 6 Jan 2020 10:00:00 GMT"}], "update_date": "2020-01-07",
                "authors_parsed": [["Author", "A.", ""], ["Author", "B.", ""], ["Author", "C.", ""]]}) + "\n")
    wanted = {f"{2001 + i // 90000:04d}.{i % 90000:05d}" for i in range(0, lines, lines // 1000)}
    start = time.perf_counter()
    found = len(read_snapshot(str(path), wanted).papers)
    seconds = time.perf_counter() - start
    return {"lines": lines, "bytes": path.stat().st_size, "seconds": round(seconds, 2), "found": found}


def estimate(runs: list[dict], sizes: dict, args: argparse.Namespace, listing: tuple[float, int],
             snapshot: dict) -> None:
    sample = runs[0]
    pages_per_paper = args.pages_per_paper or sample["pages"] / sample["papers"]
    pages = args.papers * pages_per_paper
    print(f"\nall of arXiv: {args.papers:,} papers x {pages_per_paper:.1f} pages = {pages / 1e6:.1f} M pages")
    for r in runs:
        rate = r["pages_per_cpu_second"] or r["pages_per_core_second"]
        core_hours = pages / rate / 3600
        print(f"- {r['executor']} x{r['workers']} (--ocr {r['ocr']}): {r['pages_per_core_second']:.2f} pages/s per core "
              f"of wall time, {r['pages_per_cpu_second'] or 'n/a'} per CPU-second -> {core_hours:,.0f} core-hours; "
              f"wall on 64 cores {core_hours / 64:.1f} h, on 512 cores {core_hours / 512:.1f} h")
    per_paper = sample["figures_bytes"] / sample["papers"]
    print(f"- figures table: {per_paper / 1e3:.0f} kB per paper -> {per_paper * args.papers / 1e12:.2f} TB; "
          f"records (scitune-ctom): {sizes['bytes'] / sample['papers'] / 1e3:.0f} kB per paper -> "
          f"{sizes['bytes'] / sample['papers'] * args.papers / 1e12:.2f} TB")
    seconds, members = listing
    print(f"- planning: a tar's member index {seconds / max(members, 1) * 1e3:.2f} ms per member here "
          f"({args.papers * seconds / max(members, 1) / 60:.0f} min for all, local disk); the snapshot streamed at "
          f"{snapshot['bytes'] / snapshot['seconds'] / 1e6:.0f} MB/s -> {SNAPSHOT_BYTES / snapshot['bytes'] * snapshot['seconds'] / 60:.1f} "
          f"min for its ~{SNAPSHOT_BYTES / 1e9:.1f} GB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pdf-dir", type=Path, required=True)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, os.cpu_count() or 1])
    parser.add_argument("--ray", action="store_true", help="also build with --executor ray (a local Ray instance)")
    parser.add_argument("--ocr", default="pdf-text")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--papers", type=int, default=ARXIV_PAPERS)
    parser.add_argument("--pages-per-paper", type=float, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="arxiv-scale-") as scratch:
        folder = Path(scratch)
        archive = folder / "arXiv_pdf_2401_001.tar"
        pack(args.pdf_dir, archive)
        plans = [("local", workers) for workers in args.workers] + ([("ray", max(args.workers))] if args.ray else [])
        runs = [build(archive, folder / f"out-{executor}-{workers}", workers, executor, args.ocr, args.batch_size)
                for executor, workers in plans]
        for r in runs:
            print(json.dumps(r))
        sizes = records(folder / f"out-local-{args.workers[0]}", folder / "records")
        print(json.dumps({"records": sizes}))
        listing = listing_seconds(archive)
        snapshot = snapshot_scan(folder)
        print(json.dumps({"listing_seconds": round(listing[0], 4), "members": listing[1], "snapshot": snapshot}))
        estimate(runs, sizes, args, listing, snapshot)


if __name__ == "__main__":
    main()
