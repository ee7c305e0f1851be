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

from scitune_data import storage
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
    pdf_dir: Path | str  # a folder or an fsspec URL
    out: Path | str
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


@dataclass(slots=True)
class BuildPlan:
    """Batches of a build, and which of them an earlier run already finished."""

    store: BatchStore
    batches: list[tuple[int, list[InputFile]]]
    pending: list[tuple[int, list[InputFile]]]
    summary: BuildSummary
    started: float

    def identity(self, index: int) -> list:
        return [item.identity() for item in dict(self.batches)[index]]

    @property
    def resumed_files(self) -> int:
        done = {index for index, _ in self.batches} - {index for index, _ in self.pending}
        return sum(len(inputs) for index, inputs in self.batches if index in done)


def plan_build(config: BuildConfig) -> BuildPlan:
    started = time.perf_counter()
    store = BatchStore(config.out)
    store.check_config(config.fingerprint(), config.overwrite)
    batches = _batches(plan_inputs(config.pdf_dir), config.batch_size)
    store.prune(len(batches))
    summary, pending = BuildSummary(), []
    for index, inputs in batches:
        marker = store.done(index, [item.identity() for item in inputs])
        if marker is None:
            pending.append((index, inputs))
        else:
            summary.add(marker["counts"])
            summary.resumed_batches += 1
    return BuildPlan(store, batches, pending, summary, started)


def finish_build(config: BuildConfig, plan: BuildPlan) -> BuildSummary:
    """Merge the batches' errors, write the shards (for a local output), the summary."""
    summary = plan.summary
    plan.store.merge_errors(len(plan.batches))
    if config.recipe is not None and not storage.is_remote(config.out):
        figures = Path(plan.store.figures_dir)
        if records_up_to_date(figures, Path(config.out), config.recipe):
            summary.records = RecordsSummary.from_manifest(Path(config.out))
        else:
            summary.records = build_records(figures, Path(config.out), config.recipe)
    summary.seconds = round(time.perf_counter() - plan.started, 3)
    write_json({k: v for k, v in asdict(summary).items() if k != "records"}, storage.join(config.out, SUMMARY_FILE))
    return summary


def run_build(config: BuildConfig, on_paper: Callable[[PaperOutcome], None] | None = None,
              on_resume: Callable[[int], None] | None = None) -> BuildSummary:
    plan = plan_build(config)
    if on_resume is not None:
        on_resume(plan.resumed_files)
    for index, outcomes in run_batches(plan.pending, config.options, config.limits, on_paper):
        plan.summary.add(plan.store.write(index, plan.identity(index), outcomes)["counts"])
    return finish_build(config, plan)
