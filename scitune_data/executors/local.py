"""The local executor: papers of the pending batches through a :class:`WorkerPool` on this
machine."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from scitune_data.executors.base import Limits
from scitune_data.executors.pool import Failure, WorkerPool
from scitune_data.pipeline.build import (
    Batch, BuildConfig, BuildSummary, OnProgress, ProgressReport, finish_build, no_progress, plan_build)
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


def run_batches(batches: list[Batch], options: ExtractOptions, limits: Limits,
                on_paper: Callable[[PaperOutcome], None] | None = None,
                ) -> Iterator[tuple[int, list[PaperOutcome]]]:
    """``(batch index, outcomes in input order)`` for each batch as it completes."""
    results: dict[int, list[PaperOutcome | None]] = {}
    tasks = []
    for index, inputs in batches:
        results[index] = [None] * len(inputs)
        for position, item in enumerate(inputs):
            if item.duplicate_of is not None:
                results[index][position] = duplicate_outcome(item.source_file, item.duplicate_of)
                _report(results[index][position], on_paper)
            else:
                tasks.append(PaperTask(index, position, str(item.path), item.source_file, options))

    def finished(index: int) -> bool:
        return all(outcome is not None for outcome in results[index])

    for index in [i for i, _ in batches if finished(i)]:
        yield index, results.pop(index)
    if not tasks:
        return
    with WorkerPool(run_task, limits.workers, limits.timeout, limits.memory_bytes, limits.start_method) as pool:
        for task, result in pool.run(tasks):
            if isinstance(result, Failure):
                result = failed_outcome(Path(task.path), task.source_file, result.kind, result.message)
            results[task.batch][task.position] = result
            _report(result, on_paper)
            if finished(task.batch):
                yield task.batch, results.pop(task.batch)


def _report(outcome: PaperOutcome, on_paper: Callable[[PaperOutcome], None] | None) -> None:
    if on_paper is not None:
        on_paper(outcome)


class LocalExecutor:
    def run(self, config: BuildConfig, limits: Limits = Limits(), on_progress: OnProgress = no_progress,
            ) -> BuildSummary:
        plan = plan_build(config)
        on_progress(plan.progress())
        for index, outcomes in run_batches(plan.pending, config.options, limits,
                                           lambda outcome: on_progress(ProgressReport.of_paper(outcome))):
            plan.write(index, outcomes)
        return finish_build(config, plan)
