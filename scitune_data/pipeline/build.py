"""``build``: PDFs → figures table (in resumable batches) → instruction shards.

The work is cut into batches of ``batch_size`` PDFs in a stable order; each finished batch is
written with a completion marker (see :mod:`scitune_data.pipeline.batches`), so a killed build
rerun with the same command picks up where it stopped, and the output is the same bytes however
many workers ran it, in whatever order.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from scitune_data.executors.local import Limits, run_batches
from scitune_data.pipeline.batches import COUNTS, BatchStore, write_json
from scitune_data.pipeline.inputs import InputFile, discover_pdfs, plan_inputs
from scitune_data.pipeline.papers import ExtractOptions, PaperOutcome
from scitune_data.pipeline.records import RecordsSummary, build_records, records_up_to_date
from scitune_data.records.recipe import Recipe
from scitune_data.schema.registry import CURRENT

SUMMARY_FILE = "summary.json"
__all__ = ["BuildConfig", "BuildSummary", "discover_pdfs", "run_build"]


@dataclass(frozen=True, slots=True)
class BuildConfig:
    pdf_dir: Path
    out: Path
    options: ExtractOptions = ExtractOptions()
    batch_size: int = 64
    recipe: Recipe | None = None  # None: the figures table only
    limits: Limits = Limits()
    overwrite: bool = False

    def fingerprint(self) -> dict:
        """What decides the output bytes (workers, limits and order do not)."""
        options = asdict(self.options)
        options.pop("password", None)
        return {"options": options, "batch_size": self.batch_size, "schemas": dict(CURRENT),
                "recipe": self.recipe.as_dict() if self.recipe else None}


@dataclass(slots=True)
class BuildSummary:
    inputs: int = 0
    succeeded: int = 0
    failed: int = 0
    skipped: int = 0
    pages: int = 0
    figures: int = 0
    tables: int = 0
    errors: int = 0
    resumed_batches: int = 0
    seconds: float = 0.0
    error_files: list[str] = field(default_factory=list)
    records: RecordsSummary | None = None

    def add(self, counts: dict) -> None:
        for key in COUNTS:
            setattr(self, key, getattr(self, key) + counts[key])
        self.error_files.extend(counts["error_files"])


def _batches(inputs: list[InputFile], size: int) -> list[tuple[int, list[InputFile]]]:
    return [(start // size, inputs[start:start + size]) for start in range(0, len(inputs), size)]


def run_build(config: BuildConfig, on_paper: Callable[[PaperOutcome], None] | None = None,
              on_resume: Callable[[int], None] | None = None) -> BuildSummary:
    started = time.perf_counter()
    store = BatchStore(config.out)
    store.check_config(config.fingerprint(), config.overwrite)
    batches = _batches(plan_inputs(config.pdf_dir), config.batch_size)
    store.prune(len(batches))
    summary = BuildSummary()
    pending = []
    for index, inputs in batches:
        marker = store.done(index, [item.identity() for item in inputs])
        if marker is None:
            pending.append((index, inputs))
        else:
            summary.add(marker["counts"])
            summary.resumed_batches += 1
    if on_resume is not None:
        on_resume(sum(len(inputs) for index, inputs in batches if (index, inputs) not in pending))
    identities = {index: [item.identity() for item in inputs] for index, inputs in pending}
    for index, outcomes in run_batches(pending, config.options, config.limits, on_paper):
        summary.add(store.write(index, identities[index], outcomes)["counts"])
    store.merge_errors(len(batches))
    if config.recipe is not None:
        if not records_up_to_date(store.figures_dir, config.out, config.recipe):
            summary.records = build_records(store.figures_dir, config.out, config.recipe)
        else:
            summary.records = RecordsSummary.from_manifest(config.out)
    summary.seconds = round(time.perf_counter() - started, 3)
    write_json({k: v for k, v in asdict(summary).items() if k != "records"}, config.out / SUMMARY_FILE)
    return summary
