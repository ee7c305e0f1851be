"""``build``: PDFs → figures table (in resumable batches) → instruction shards.

The work is cut into batches of ``batch_size`` PDFs in a stable order; each finished batch is
written with a completion marker (see :mod:`scitune_data.pipeline.batch_store`), so a killed
build rerun with the same command picks up where it stopped, and the output is the same bytes
however many workers ran it, in whatever order. The pipeline plans and finishes a build; an
executor (:mod:`scitune_data.executors`) runs the pending batches in between.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from scitune_data import output_layout as layout
from scitune_data import storage
from scitune_data.pipeline.batch_store import COUNTS, BatchStore
from scitune_data.pipeline.inputs import InputFile, plan_inputs
from scitune_data.pipeline.papers import ExtractOptions, PaperOutcome
from scitune_data.pipeline.record_shards import RecordsSummary, build_records, records_up_to_date
from scitune_data.records.recipe import Recipe
from scitune_data.schema.registry import CURRENT


@dataclass(frozen=True, slots=True)
class BuildConfig:
    """What decides the output; how the work runs (workers, limits, executor) is not here."""

    pdf_dir: Path | str  # a folder or an fsspec URL
    out: Path | str
    options: ExtractOptions = ExtractOptions()
    batch_size: int = 64
    recipe: Recipe | None = None  # None: the figures table only
    overwrite: bool = False

    def fingerprint(self) -> dict:
        """What decides the output bytes (the password does not)."""
        options = asdict(self.options)
        options.pop("password", None)
        return {"options": options, "batch_size": self.batch_size, "schemas": dict(CURRENT),
                "recipe": self.recipe.as_dict() if self.recipe else None}


@dataclass(frozen=True, slots=True)
class ProgressReport:
    """One report from a running build: first the plan (``total`` inputs, of which ``files``
    an earlier run finished: ``resumed``), then each finished paper or batch."""

    files: int = 0
    pages: int = 0
    figures: int = 0  # figures and tables
    errors: int = 0
    total: int | None = None
    resumed: bool = False

    @classmethod
    def of_paper(cls, outcome: PaperOutcome) -> ProgressReport:
        return cls(1, outcome.pages, len(outcome.figures), len(outcome.errors))

    @classmethod
    def of_batch(cls, counts: dict) -> ProgressReport:
        return cls(counts["inputs"], counts["pages"], counts["figures"] + counts["tables"], counts["errors"])


OnProgress = Callable[[ProgressReport], None]


def no_progress(progress: ProgressReport) -> None:
    """Report nothing (the default)."""


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


Batch = tuple[int, list[InputFile]]


def _batches(inputs: list[InputFile], size: int) -> list[Batch]:
    return [(start // size, inputs[start:start + size]) for start in range(0, len(inputs), size)]


@dataclass(slots=True)
class BuildPlan:
    """Batches of a build, and which of them an earlier run already finished."""

    store: BatchStore
    batches: list[Batch]
    pending: list[Batch]
    summary: BuildSummary
    started: float

    def identity(self, index: int) -> list:
        return [item.identity() for item in dict(self.batches)[index]]

    def progress(self) -> ProgressReport:
        """The first report: every input, and those finished by an earlier run."""
        pending = {index for index, _ in self.pending}
        resumed = sum(len(inputs) for index, inputs in self.batches if index not in pending)
        return ProgressReport(files=resumed, total=sum(len(inputs) for _, inputs in self.batches), resumed=True)

    def write(self, index: int, outcomes: list[PaperOutcome]) -> dict:
        """Write a finished batch (outputs, then marker) and count it; returns its counts."""
        counts = self.store.write(index, self.identity(index), outcomes)["counts"]
        self.summary.add(counts)
        return counts


def plan_build(config: BuildConfig) -> BuildPlan:
    started = time.perf_counter()
    batches = _batches(plan_inputs(config.pdf_dir), config.batch_size)  # a bad input folder fails before OUT is touched
    store = BatchStore(config.out)
    store.check_config(config.fingerprint(), config.overwrite)
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
    storage.write_json({k: v for k, v in asdict(summary).items() if k != "records"},
                       storage.join(config.out, layout.SUMMARY_FILE))
    return summary
