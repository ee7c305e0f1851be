"""The local executor: papers of the pending batches through a :class:`WorkerPool` on this
machine."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from scitune_data.executors.pool import Failure, WorkerPool
from scitune_data.pipeline.batch_store import BatchStore
from scitune_data.pipeline.build import (
    BuildConfig, BuildSummary, OnProgress, PendingBatch, ProgressReport, finish_build, no_progress, open_build)
from scitune_data.pipeline.limits import Limits
from scitune_data.pipeline.papers import (
    ExtractOptions, PaperOutcome, duplicate_outcome, failed_outcome, process_location)


@dataclass(frozen=True, slots=True)
class PaperTask:
    batch: int
    position: int
    path: str
    source_file: str
    options: ExtractOptions


def run_task(task: PaperTask) -> PaperOutcome:
    return process_location(task.path, task.source_file, task.options)


def run_batches(batches: list[PendingBatch], store: BatchStore, options: ExtractOptions, limits: Limits,
                on_paper: Callable[[PaperOutcome], None] | None = None,
                ) -> Iterator[tuple[int, list[PaperOutcome]]]:
    """``(batch index, outcomes in input order)`` for each batch as it completes. Papers an
    earlier run's outcomes are kept for are read back only when their batch is written (one
    batch's crops in memory at a time); duplicates are not processed."""
    tasks = [PaperTask(batch.index, position, str(item.path), item.source_file, options)
             for batch in batches for position, item in enumerate(batch.inputs)
             if position not in batch.kept and item.duplicate_of is None]
    remaining = Counter(task.batch for task in tasks)
    done: dict[int, dict[int, PaperOutcome]] = {batch.index: {} for batch in batches}

    def assemble(batch: PendingBatch) -> list[PaperOutcome]:
        outcomes = done.pop(batch.index) | store.kept_outcomes(batch.index, batch.inputs, batch.kept)
        for position, item in enumerate(batch.inputs):
            if position not in outcomes:  # a duplicate of another input
                outcomes[position] = duplicate_outcome(item.source_file, item.duplicate_of)
                _report(outcomes[position], on_paper)
        return [outcomes[position] for position in range(len(batch.inputs))]

    for batch in batches:
        if not remaining[batch.index]:
            yield batch.index, assemble(batch)
    if not tasks:
        return
    by_index = {batch.index: batch for batch in batches}
    workers = min(limits.workers, len(tasks))  # never more processes than papers
    with WorkerPool(run_task, workers, limits.timeout, limits.memory_bytes, limits.start_method) as pool:
        for task, result in pool.run(tasks):
            if isinstance(result, Failure):
                result = failed_outcome(Path(task.path), task.source_file, result.kind, result.message)
            done[task.batch][task.position] = result
            _report(result, on_paper)
            remaining[task.batch] -= 1
            if not remaining[task.batch]:
                yield task.batch, assemble(by_index[task.batch])


def _report(outcome: PaperOutcome, on_paper: Callable[[PaperOutcome], None] | None) -> None:
    if on_paper is not None:
        on_paper(outcome)


class LocalExecutor:
    def run(self, config: BuildConfig, limits: Limits = Limits(), on_progress: OnProgress = no_progress,
            ) -> BuildSummary:
        with open_build(config, limits) as plan:
            on_progress(plan.progress())
            for index, outcomes in run_batches(plan.pending, plan.store, config.options, limits,
                                               lambda outcome: on_progress(ProgressReport.of_paper(outcome))):
                plan.write(index, outcomes)
            return finish_build(config, plan)
