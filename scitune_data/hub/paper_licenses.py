"""What ``publish`` may redistribute: the licence of every record made from a paper's PDF (the
records' ``license`` column, from the arXiv metadata), the records a ``--paper-licenses``
selection leaves out, and the shards holding only the selected records.

Only figures extracted from PDFs are checked: records of an imported corpus (SciCap, ScienceQA,
...) follow that corpus's licence, which the card states. A record whose licence does not let
anyone redistribute it (arXiv's own licence, non-commercial or no-derivatives terms, no licence
known) stops the publish unless the user says they may publish it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from scitune_data.arxiv.licenses import paper_license
from scitune_data.arxiv.selection import PaperSelection
from scitune_data.output_layout import shard_files
from scitune_data.records.recipe import ShardSizes
from scitune_data.shards.manifest import write_manifest
from scitune_data.shards.writer import ShardWriter

FROM_PDFS = "pdf"  # the records' source for figures extracted from papers
READ_ROWS = 256


@dataclass(slots=True)
class LicenseSurvey:
    left_out: int = 0  # records the selection leaves out
    restricted: Counter = field(default_factory=Counter)  # licence id -> records kept that may not be redistributed
    restricted_papers: set[str] = field(default_factory=set)


def _kept(row: dict, selection: PaperSelection) -> bool:
    return row.get("source") != FROM_PDFS or not selection.licenses or any(
        paper_license(row.get("license")).matches(name) for name in selection.licenses)


def survey(out: Path, selection: PaperSelection) -> LicenseSurvey:
    """Count, over the shards' records from PDFs, what the selection leaves out and what it
    keeps that may not be redistributed (reading three small columns only)."""
    found = LicenseSurvey()
    for path in shard_files(out):
        names = set(pq.read_schema(path).names)
        columns = [name for name in ("source", "paper_id", "license") if name in names]
        for row in pq.read_table(path, columns=columns).to_pylist():
            if row.get("source") != FROM_PDFS:
                continue
            if not _kept(row, selection):
                found.left_out += 1
                continue
            licence = paper_license(row.get("license"))
            if not licence.redistributable:
                found.restricted[licence.id] += 1
                found.restricted_papers.add(row["paper_id"])
    return found


def write_selected(out: Path, view: Path, manifest: dict, selection: PaperSelection) -> None:
    """Shards of ``out``'s records that the selection keeps, with their manifest, into ``view``
    (cut as the recipe cuts shards)."""
    writer = ShardWriter(view, ShardSizes(**manifest.get("recipe", {}).get("shards", {})))
    try:
        for path in shard_files(out):
            for batch in pq.ParquetFile(path).iter_batches(batch_size=READ_ROWS):
                for row in batch.to_pylist():
                    if _kept(row, selection):
                        writer.add(row)
    except BaseException:
        writer.abort()
        raise
    shards = writer.close()
    counts = {**manifest.get("counts", {}), "records": sum(shard["rows"] for shard in shards),
              "by_split_and_task": writer.counts_by_split()}
    write_manifest(view, {**manifest, "counts": counts, "shards": shards,
                          "published_selection": selection.as_dict()})
