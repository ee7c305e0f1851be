"""``build``: a folder of PDFs → ``OUT/figures/part-*.parquet`` + ``OUT/errors.parquet``."""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pyarrow as pa
import pyarrow.parquet as pq

from scitune_data.pipeline.papers import ExtractOptions, PaperOutcome, process_paper
from scitune_data.pipeline.records import RecordsSummary, build_records
from scitune_data.records.recipe import Recipe
from scitune_data.schema.figures import ERRORS_SCHEMA, FIGURES_SCHEMA

FIGURES_DIR = "figures"
ERRORS_FILE = "errors.parquet"
SUMMARY_FILE = "summary.json"
ROW_GROUP_ROWS = 100  # rows with embedded crops: keeps row groups in the tens of MB


@dataclass(frozen=True, slots=True)
class BuildConfig:
    pdf_dir: Path
    out: Path
    options: ExtractOptions = ExtractOptions()
    batch_size: int = 64
    recipe: Recipe | None = None  # None: the figures table only


@dataclass(slots=True)
class BuildSummary:
    inputs: int = 0
    succeeded: int = 0
    failed: int = 0
    pages: int = 0
    figures: int = 0
    tables: int = 0
    errors: int = 0
    seconds: float = 0.0
    error_files: list[str] = field(default_factory=list)
    records: RecordsSummary | None = None

    def add(self, outcome: PaperOutcome) -> None:
        self.inputs += 1
        self.failed += outcome.failed
        self.succeeded += not outcome.failed
        self.pages += outcome.pages
        self.figures += sum(row["kind"] == "figure" for row in outcome.figures)
        self.tables += sum(row["kind"] == "table" for row in outcome.figures)
        self.errors += len(outcome.errors)
        if outcome.errors:
            self.error_files.append(outcome.source_file)


def discover_pdfs(root: Path) -> list[Path]:
    """Every ``*.pdf`` below ``root`` (any case), in a stable order."""
    if not root.is_dir():
        raise NotADirectoryError(f"--pdf-dir {root} is not a folder")
    return sorted((p for p in root.rglob("*") if p.suffix.lower() == ".pdf" and not p.is_dir()),
                  key=lambda p: p.relative_to(root).as_posix())


def write_parquet(rows: list[dict], schema: pa.Schema, path: Path) -> None:
    """Write atomically: a reader never sees a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    table = pa.Table.from_pylist(rows, schema=schema)
    pq.write_table(table, temporary, row_group_size=ROW_GROUP_ROWS, compression="zstd")
    os.replace(temporary, path)


def batches(items: list[Path], size: int) -> Iterable[tuple[int, list[Path]]]:
    for start in range(0, len(items), size):
        yield start // size, items[start:start + size]


def run_build(config: BuildConfig, on_paper: Callable[[PaperOutcome], None] | None = None) -> BuildSummary:
    started = time.perf_counter()
    pdfs = discover_pdfs(config.pdf_dir)
    figures_dir = config.out / FIGURES_DIR
    figures_dir.mkdir(parents=True, exist_ok=True)
    for stale in figures_dir.glob("part-*.parquet"):
        stale.unlink()
    summary, errors = BuildSummary(), []
    for index, batch in batches(pdfs, config.batch_size):
        rows = []
        for path in batch:
            outcome = process_paper(path, path.relative_to(config.pdf_dir).as_posix(), config.options)
            summary.add(outcome)
            rows.extend(outcome.figures)
            errors.extend(outcome.errors)
            if on_paper is not None:
                on_paper(outcome)
        write_parquet(rows, FIGURES_SCHEMA, figures_dir / f"part-{index:05d}.parquet")
    write_parquet(errors, ERRORS_SCHEMA, config.out / ERRORS_FILE)
    if config.recipe is not None:
        summary.records = build_records(figures_dir, config.out, config.recipe)
    summary.seconds = round(time.perf_counter() - started, 3)
    (config.out / SUMMARY_FILE).write_text(json.dumps(asdict(summary), indent=2) + "\n")
    return summary
