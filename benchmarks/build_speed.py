"""Whole-process `scitune-data build` time against the extraction floor, measured in one run.

The floor is the work no extractor can skip (the same work as the corpus tools'
``extract_floor.py``): open each PDF, read every page's text blocks and drawing boxes, and
render every figure/table region to PNG at 150 dpi. Both are timed alternately, best of
``--repeat``; the ratio build/floor is printed last.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import pymupdf
import pyarrow.parquet as pq

from scitune_data.pipeline.inputs import discover_inputs
from scitune_data.hashing import file_sha256
from timed_build import timed_build


def regions_from_gold(pdfs: list[Path]) -> dict[Path, list[tuple[int, list[float]]]] | None:
    regions = {}
    for pdf in pdfs:
        gold = pdf.with_name(pdf.stem + ".gold.json")
        if not gold.exists():
            return None
        regions[pdf] = [(f["page"], f["bbox"]) for f in json.loads(gold.read_text())["figures"]]
    return regions


def regions_from_build(pdfs: list[Path], figures_dir: Path) -> dict[Path, list[tuple[int, list[float]]]]:
    by_sha: dict[str, list[tuple[int, list[float]]]] = {}
    for row in pq.read_table(figures_dir, columns=["pdf_sha256", "page", "bbox"]).to_pylist():
        by_sha.setdefault(row["pdf_sha256"], []).append((row["page"], row["bbox"]))
    return {pdf: by_sha.get(file_sha256(pdf), []) for pdf in pdfs}


def floor_seconds(regions: dict[Path, list[tuple[int, list[float]]]], dpi: int) -> float:
    start = time.perf_counter()
    for pdf, items in regions.items():
        with pymupdf.open(pdf) as doc:
            for page in doc:
                page.get_text("blocks")
                page.get_bboxlog()
            for page_number, bbox in items:
                doc[page_number - 1].get_pixmap(dpi=dpi, clip=pymupdf.Rect(bbox)).tobytes("png")
    return time.perf_counter() - start


def build_seconds(pdf_dir: Path, out: Path) -> float:
    """One whole build into a fresh folder (an existing one would be resumed, not rebuilt)."""
    shutil.rmtree(out, ignore_errors=True)
    return timed_build(pdf_dir, out, "--ocr", "none", "--workers", "1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pdf-dir", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dpi", type=int, default=150)
    args = parser.parse_args()
    pdfs = [Path(p) for p in discover_inputs(args.pdf_dir)[0] if p.lower().endswith(".pdf")]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        builds = [build_seconds(args.pdf_dir, out)]
        regions = regions_from_gold(pdfs) or regions_from_build(pdfs, out / "figures")
        floors = [floor_seconds(regions, args.dpi)]
        for _ in range(args.repeat - 1):
            floors.append(floor_seconds(regions, args.dpi))
            builds.append(build_seconds(args.pdf_dir, out))
    floor, build = min(floors), min(builds)
    pages = sum(pymupdf.open(p).page_count for p in pdfs)
    print(f"pdfs={len(pdfs)} pages={pages} regions={sum(len(r) for r in regions.values())}")
    print(f"floor_seconds={floor:.3f} build_seconds={build:.3f} ratio={build / floor:.2f}")


if __name__ == "__main__":
    main()
