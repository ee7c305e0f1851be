"""``build``: PDFs → figures table (in resumable batches) → instruction shards.

The work is cut into batches of ``batch_size`` PDFs in a stable order; each finished batch is
written with a completion marker (see :mod:`scitune_data.pipeline.batch_store`), so a killed
build rerun with the same command picks up where it stopped, and the output is the same bytes
however many workers ran it, in whatever order. The pipeline plans and finishes a build; an
executor (:mod:`scitune_data.executors`) runs the pending batches in between.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from scitune_data import output_layout as layout
from scitune_data import storage
from scitune_data.arxiv.selection import PaperSelection
from scitune_data.out_folder import writing
from scitune_data.pipeline.batch_store import COUNTS, BatchStore
from scitune_data.pipeline.catalog import catalogue
from scitune_data.pipeline.inputs import InputFile, InputProblem, NoInputs, discover_inputs, find_sources, plan_inputs
from scitune_data.pipeline.limits import Limits
from scitune_data.pipeline.papers import ExtractOptions, PaperOutcome, engine_versions
from scitune_data.pipeline.record_shards import RecordsSummary, build_records, records_up_to_date
from scitune_data.records.recipe import Recipe
from scitune_data.schema.figures import error_row
from scitune_data.schema.registry import CURRENT


@dataclass(frozen=True, slots=True)
class BuildConfig:
    """What decides the output; how the work runs (workers, limits, executor) is not here."""

    pdf_dir: Path | str  # a folder, an archive, or an fsspec URL of either
    out: Path | str
    options: ExtractOptions = ExtractOptions()
    batch_size: int = 64
    recipe: Recipe | None = None  # None: the figures table only
    overwrite: bool = False
    metadata: str | None = None  # the arXiv metadata snapshot (JSON lines), a path or a URL
    selection: PaperSelection = PaperSelection()

    def fingerprint(self) -> dict:
        """What decides the output bytes (the password does not; the metadata's content is
        checked per batch, so a newer snapshot rewrites the papers' columns, not the figures)."""
        options = asdict(self.options)
        options.pop("password", None)
        return {"options": options, "batch_size": self.batch_size, "schemas": dict(CURRENT),
                "recipe": self.recipe.as_dict() if self.recipe else None, "selection": self.selection.as_dict()}


@dataclass(frozen=True, slots=True)
class ProgressReport:
    """One report from a running build: first the plan (``total`` inputs, of which ``files``
    an earlier run finished: ``resumed``), then each finished paper or batch."""

    files: int = 0
    pages: int = 0
    figures: int = 0  # figures and tables
    errors: int = 0  # errors and warnings
    total: int | None = None
    resumed: bool = False

    @classmethod
    def of_paper(cls, outcome: PaperOutcome) -> ProgressReport:
        return cls(1, outcome.pages, len(outcome.figures), sum(e["severity"] != "info" for e in outcome.errors))

    @classmethod
    def of_batch(cls, counts: dict, kept: int = 0) -> ProgressReport:
        """A finished batch, less the ``kept`` papers an earlier run made (reported as resumed)."""
        return cls(counts["inputs"] - kept, counts["pages"], counts["figures"] + counts["tables"],
                   counts["errors"] + counts["warnings"])


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
    errors: int = 0  # rows of severity error: an input, or part of one, lost
    warnings: int = 0  # rows of severity warning: read, but a signal may be missing
    resumed_batches: int = 0
    excluded: dict[str, int] = field(default_factory=dict)  # inputs the paper selection left out, by reason
    without_metadata: int | None = None  # inputs whose paper the metadata does not know (None: no metadata given)
    seconds: float = 0.0
    error_files: list[str] = field(default_factory=list)
    records: RecordsSummary | None = None

    def add(self, counts: dict) -> None:
        for key in COUNTS:
            setattr(self, key, getattr(self, key) + counts[key])
        self.error_files.extend(counts["error_files"])


Batch = tuple[int, list[InputFile]]


@dataclass(frozen=True, slots=True)
class PendingBatch:
    """A batch to run: its inputs, and the positions of papers an earlier run's outcomes are
    kept for (read back from the batch's outputs when the batch is written)."""

    index: int
    inputs: list[InputFile]
    kept: tuple[int, ...] = ()


def _batches(inputs: list[InputFile], size: int) -> list[Batch]:
    return [(start // size, inputs[start:start + size]) for start in range(0, len(inputs), size)]


def run_key(options: ExtractOptions, limits: Limits) -> dict:
    """What a batch marker remembers of how its papers were made (see batch_store)."""
    return {"versions": engine_versions(options),
            "settings": {"password": options.password is not None, "timeout": limits.timeout,
                         "memory_bytes": limits.memory_bytes}}


@dataclass(slots=True)
class BuildPlan:
    """Batches of a build, which of them still need work, and what a rerun keeps."""

    store: BatchStore
    batches: list[Batch]
    pending: list[PendingBatch]
    key: dict
    problems: list[dict]  # error rows for what could not be searched
    summary: BuildSummary
    started: float

    def progress(self) -> ProgressReport:
        """The first report: every input, and those finished by an earlier run."""
        pending = {batch.index: len(batch.kept) for batch in self.pending}
        resumed = sum(pending.get(index, len(inputs)) for index, inputs in self.batches)
        return ProgressReport(files=resumed, total=sum(len(inputs) for _, inputs in self.batches), resumed=True)

    def write(self, index: int, outcomes: list[PaperOutcome]) -> dict:
        """Write a finished batch (outputs, then marker) and count it; returns its counts."""
        counts = self.store.write(index, self.key, dict(self.batches)[index], outcomes)["counts"]
        self.summary.add(counts)
        return counts


def _problem_rows(problems: list[InputProblem]) -> list[dict]:
    return [error_row(file=p.where, stage=p.stage, error_type=p.error_type, message=f"{p.where}: {p.message}",
                      severity=p.severity) for p in problems]


@contextmanager
def open_build(config: BuildConfig, limits: Limits) -> Iterator[BuildPlan]:
    """Plan a build and hold OUT for it: OUT is claimed (or refused) and locked until the
    block ends; a bad input folder fails before OUT is touched."""
    started = time.perf_counter()
    locations, problems = discover_inputs(config.pdf_dir)
    sources, damaged = find_sources(config.pdf_dir, locations)
    problems += damaged
    if not sources:
        searched = "; ".join(f"{p.where}: {p.message}" for p in problems[:3])
        raise NoInputs(f"{config.pdf_dir} holds no *.pdf files (nor archives of them)"
                       + (f" that could be read ({searched})" if searched else ""))
    catalog = catalogue(sources, config.metadata, config.selection)
    with writing(config.out):
        store = BatchStore(config.out)
        store.check_config(config.fingerprint(), config.overwrite)
        inputs = plan_inputs(catalog.sources, store.recorded())
        batches = _batches(inputs, config.batch_size)
        store.plan(len(batches))
        key = run_key(config.options, limits)
        summary, pending = BuildSummary(), []
        summary.excluded = dict(sorted(catalog.excluded.items()))
        summary.without_metadata = catalog.without_metadata
        rows = _problem_rows(problems + catalog.problems)
        summary.errors += sum(row["severity"] == "error" for row in rows)
        summary.warnings += sum(row["severity"] == "warning" for row in rows)
        for index, items in batches:
            marker, kept = store.reusable(index, items, key)
            if marker is not None and len(kept) == len(items) and store.papers_unchanged(marker, items):
                summary.add(marker["counts"])
                summary.resumed_batches += 1
            else:
                pending.append(PendingBatch(index, items, tuple(kept)))
        yield BuildPlan(store, batches, pending, key, rows, summary, started)


def finish_build(config: BuildConfig, plan: BuildPlan) -> BuildSummary:
    """Merge the batches' errors, write the shards (for a local output), the summary."""
    summary = plan.summary
    plan.store.merge_errors(len(plan.batches), plan.problems)
    if config.recipe is not None and not storage.is_remote(config.out):
        figures = [Path(plan.store.figures_path(index)) for index, _ in plan.batches]  # not others' files
        if records_up_to_date(figures, Path(config.out), config.recipe, config.selection):
            summary.records = RecordsSummary.from_manifest(Path(config.out))
        else:
            summary.records = build_records(figures, Path(config.out), config.recipe, config.selection)
    summary.seconds = round(time.perf_counter() - plan.started, 3)
    storage.write_json({k: v for k, v in asdict(summary).items() if k != "records"},
                       storage.join(config.out, layout.SUMMARY_FILE))
    return summary
