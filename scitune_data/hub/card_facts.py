"""What a dataset card says, read from the output folder: the records (by source, stage, task
and prompt template), each split's size, the source papers with what is known of them, the
figures' types and caption lengths, and the errors."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from scitune_data.out_folder import owned_figure_parts
from scitune_data.output_layout import ERRORS_FILE, shard_files, shard_split
from scitune_data.shards.manifest import read_manifest

RECORD_COLUMNS = ["source", "stage", "task", "template_id", "paper_id"]
IMPORTED_SOURCES = ("scicap", "vistext", "arxivcap", "folder")
PAPER_SOURCES = ("pdf", "scicap", "arxivcap", "folder")  # whose figures come from papers (VisText's charts do not)
PAPER_FIELDS = ("title", "license", "version")  # optional figures-table columns (the arXiv metadata join)


@dataclass(frozen=True, slots=True)
class Paper:
    id: str
    source: str
    title: str | None = None
    license: str | None = None
    version: str | None = None


@dataclass(slots=True)
class SplitSize:
    rows: int = 0
    num_bytes: int = 0  # decoded (Arrow) size, as the Hub's dataset_info counts it
    download_bytes: int = 0  # the Parquet files
    files: list[str] = field(default_factory=list)


@dataclass(slots=True)
class CardFacts:
    manifest: dict
    splits: dict[str, SplitSize] = field(default_factory=dict)
    records: Counter = field(default_factory=Counter)  # (source, stage, task, template_id) -> records
    by_split_task: dict[str, Counter] = field(default_factory=dict)
    papers: list[Paper] = field(default_factory=list)
    figure_types: Counter = field(default_factory=Counter)
    caption_words: list[int] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)

    @property
    def sources(self) -> set[str]:
        return {source for source, *_ in self.records}

    @property
    def has_figures(self) -> bool:
        return any(stage == "align" for _, stage, _, _ in self.records)

    def templates(self, stage: str) -> dict[str, list[str]]:
        """Task -> the template ids (or prompt formats) its records use."""
        found: dict[str, set[str]] = {}
        for _, record_stage, task, template in self.records:
            if record_stage == stage:
                found.setdefault(task, set()).add(template)
        return {task: sorted(ids) for task, ids in sorted(found.items())}


def _decoded_bytes(parquet: pq.ParquetFile) -> int:
    return sum(parquet.read_row_group(i).nbytes for i in range(parquet.num_row_groups))


def collect(out: Path, records: Path | None = None) -> CardFacts:
    """Counted in Arrow, one shard at a time (a card for millions of records stays cheap);
    ``records``: where the shards and their manifest are, when not in ``out`` (a selection of
    them being published)."""
    records = records or out
    facts = CardFacts(read_manifest(records))
    paper_sources: dict[str, str] = {}
    for path in shard_files(records):
        split = shard_split(path) or "train"
        parquet = pq.ParquetFile(path)
        size = facts.splits.setdefault(split, SplitSize())
        size.rows += parquet.metadata.num_rows
        size.num_bytes += _decoded_bytes(parquet)
        size.download_bytes += path.stat().st_size
        size.files.append(path.name)
        table = parquet.read(columns=RECORD_COLUMNS)
        for group in table.group_by(RECORD_COLUMNS[:4]).aggregate([([], "count_all")]).to_pylist():
            facts.records[tuple(group[c] for c in RECORD_COLUMNS[:4])] += group["count_all"]
            facts.by_split_task.setdefault(split, Counter())[group["task"]] += group["count_all"]
        from_papers = table.filter(pc.is_in(table["source"], pa.array(PAPER_SOURCES)))
        for group in from_papers.group_by(["paper_id", "source"]).aggregate([]).to_pylist():
            paper_sources.setdefault(group["paper_id"], group["source"])
    known = _read_figures(out, facts, set(paper_sources) if records != out else None)
    facts.papers = [Paper(paper_id, source, *known.get(paper_id, (None,) * len(PAPER_FIELDS)))
                    for paper_id, source in sorted(paper_sources.items())]
    if (out / ERRORS_FILE).is_file():
        facts.errors.update(pq.read_table(out / ERRORS_FILE, columns=["stage"])["stage"].to_pylist())
    return facts


def _read_figures(out: Path, facts: CardFacts, papers: set[str] | None) -> dict[str, tuple]:
    """Figure types and caption lengths into ``facts`` (of ``papers`` only, when given: those
    a selection publishes); what the table knows of each paper."""
    parts = owned_figure_parts(out)  # not a user's Parquet file beside them
    if not parts:
        return {}
    names = set(pq.read_schema(parts[0]).names)
    extra = [name for name in PAPER_FIELDS if name in names]
    table = pq.read_table([str(part) for part in parts], columns=["paper_id", "figure_type", "caption", *extra])
    if papers is not None:
        table = table.filter(pc.is_in(table["paper_id"], value_set=pa.array(sorted(papers), pa.string())))
    for count in pc.value_counts(table["figure_type"]).to_pylist():
        facts.figure_types[count["values"] or "unknown"] += count["counts"]
    facts.caption_words = pc.count_substring_regex(table["caption"], r"\S+").fill_null(0).to_pylist()
    if not extra:
        return {}
    papers = table.select(["paper_id", *extra]).group_by("paper_id", use_threads=False).aggregate([(name, "first") for name in extra])
    return {row["paper_id"]: tuple(row.get(f"{name}_first") for name in PAPER_FIELDS) for row in papers.to_pylist()}
