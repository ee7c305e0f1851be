"""Figures table → instruction shards under a recipe (filters, dedup, splits, templates) and a
paper selection (licences, categories, dates: the figures table's paper columns)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

import pyarrow.parquet as pq

from scitune_data.arxiv.selection import PaperSelection
from scitune_data.hashing import file_sha256
from scitune_data.output_layout import figure_files
from scitune_data.records.builder import figure_records
from scitune_data.records.recipe import Recipe
from scitune_data.schema.registry import CURRENT
from scitune_data.shards.dedup import FigureFilter
from scitune_data.shards.manifest import has_manifest, read_manifest, software_versions, write_manifest
from scitune_data.shards.split import split_of
from scitune_data.shards.writer import ShardWriter

READ_BATCH = 64  # figures read at a time (each carries its crop)


@dataclass(slots=True)
class RecordsSummary:
    figures: int = 0
    kept: int = 0
    records: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    shards: list[dict] = field(default_factory=list)
    split_conflicts: int = 0  # figures whose own split differed from their paper's (kept with the paper)

    @classmethod
    def from_manifest(cls, out: Path) -> RecordsSummary:
        manifest = read_manifest(out)
        counts = manifest["counts"]
        return cls(counts["figures_in"], counts["figures_kept"], counts["records"], counts["dropped"],
                   manifest["shards"], counts.get("split_conflicts", 0))


Figures = Path | Sequence[Path]  # a figures table: a folder of part files or one file (figure_files), or the parts


def _parts(figures: Figures) -> list[Path]:
    return figure_files(figures) if isinstance(figures, Path) else list(figures)


def records_up_to_date(figures: Figures, out: Path, recipe: Recipe, selection: PaperSelection = PaperSelection(),
                       ) -> bool:
    """True when the shards were written from exactly these figures under this recipe and
    selection (and are all still there), so a resumed build need not write them again."""
    if not has_manifest(out):
        return False
    manifest = read_manifest(out)
    inputs = [{"file": f.name, "sha256": file_sha256(f)} for f in _parts(figures)]
    shards_intact = all((out / s["file"]).is_file() and file_sha256(out / s["file"]) == s["sha256"]
                        for s in manifest.get("shards", []))
    return (manifest.get("recipe") == recipe.as_dict() and manifest.get("selection") == selection.as_dict()
            and manifest.get("inputs") == inputs and shards_intact)


def iter_figures(files: list[Path]) -> Iterator[dict]:
    for path in files:
        for batch in pq.ParquetFile(path, pre_buffer=False).iter_batches(batch_size=READ_BATCH):
            yield from batch.to_pylist()


def build_records(figures: Figures, out: Path, recipe: Recipe, selection: PaperSelection = PaperSelection(),
                  ) -> RecordsSummary:
    files = _parts(figures)
    keep = FigureFilter(recipe.filters, recipe.dedup)
    writer = ShardWriter(out, recipe.shards)
    summary = RecordsSummary()
    paper_split: dict[str, str] = {}  # the first figure of a paper decides; no paper in two splits
    try:
        for row in iter_figures(files):
            summary.figures += 1
            left_out = selection.reason_to_drop(row)
            if left_out:
                keep.dropped[left_out] += 1
                continue
            if keep.reason_to_drop(row):
                continue
            summary.kept += 1
            explicit = row.get("split")
            split = paper_split.setdefault(row["paper_id"],
                                           explicit or split_of(row["paper_id"], recipe.splits, recipe.seed))
            summary.split_conflicts += bool(explicit and explicit != split)
            for record in figure_records(row, split, recipe):
                writer.add(record)
                summary.records += 1
    except BaseException:
        writer.abort()
        raise
    summary.shards = writer.close()
    summary.dropped = dict(sorted(keep.dropped.items()))
    write_manifest(out, {
        "schema": {"table": "records", "version": CURRENT["records"]},
        "recipe": recipe.as_dict(),
        "selection": selection.as_dict(),
        "versions": software_versions(),
        "inputs": [{"file": f.name, "sha256": file_sha256(f)} for f in files],
        "counts": {"figures_in": summary.figures, "figures_kept": summary.kept, "records": summary.records,
                   "dropped": summary.dropped, "split_conflicts": summary.split_conflicts,
                   "by_split_and_task": writer.counts_by_split()},
        "shards": summary.shards,
    })
    return summary

