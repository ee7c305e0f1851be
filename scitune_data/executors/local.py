"""The local executor: papers of the pending batches through a :class:`WorkerPool` on this
machine."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, replace
from itertools import groupby
from pathlib import Path
from typing import Callable, Iterable, Iterator

from scitune_data import storage
from scitune_data.executors.pool import Failure, WorkerPool
from scitune_data.hashing import file_sha256
from scitune_data.pipeline.archives import Member, read_members
from scitune_data.pipeline.batch_store import BatchStore
from scitune_data.pipeline.build import (
    BuildConfig, BuildSummary, OnProgress, PendingBatch, ProgressReport, finish_build, no_progress, open_build)
from scitune_data.pipeline.limits import Limits
from scitune_data.pipeline.papers import (
    ExtractOptions, PaperOutcome, duplicate_outcome, failed_outcome, process_data, process_location,
    unreadable_outcome)


@dataclass(frozen=True, slots=True)
class PaperTask:
    batch: int
    position: int
    path: str  # the file, or the archive holding the member
    source_file: str
    options: ExtractOptions
    member: Member | None = None
    archive_kind: str | None = None
    data: bytes | None = None  # a member's bytes, read out of its archive just before the task runs
    unreadable: str | None = None  # why a member's bytes could not be read
    sha256: str = ""


def run_task(task: PaperTask) -> PaperOutcome:
    if task.unreadable is not None:
        return unreadable_outcome(task.source_file, task.unreadable)
    if task.data is not None:
        return process_data(task.data, task.source_file, task.options)
    return process_location(task.path, task.source_file, task.options)


def with_member_bytes(tasks: Iterable[PaperTask]) -> Iterator[PaperTask]:
    """The tasks, each archive member's with its bytes read just before it is handed out: the
    members of one archive in a row are read in one pass (a compressed tar in its own order)."""
    for (archive, _), run in groupby(tasks, key=lambda task: (task.path, task.member is not None)):
        run = list(run)
        if run[0].member is None:
            yield from run
            continue
        by_name = {task.member.name: task for task in run}
        for member, data in read_members(archive, run[0].archive_kind, [task.member for task in run]):
            task = by_name[member.name]
            if isinstance(data, Exception):
                yield replace(task, unreadable=str(data))
            else:
                yield replace(task, data=data, sha256=hashlib.sha256(data).hexdigest())


def _sha256(task: PaperTask) -> str:
    """The hash of a failed task's input, for its error row ("" when it cannot be read)."""
    if task.member is not None or storage.is_remote(task.path):
        return task.sha256
    try:
        return file_sha256(Path(task.path))
    except OSError:
        return ""


def run_batches(batches: list[PendingBatch], store: BatchStore, options: ExtractOptions, limits: Limits,
                on_paper: Callable[[PaperOutcome], None] | None = None,
                ) -> Iterator[tuple[int, list[PaperOutcome]]]:
    """``(batch index, outcomes in input order)`` for each batch as it completes. Papers an
    earlier run's outcomes are kept for are read back only when their batch is written (one
    batch's crops in memory at a time); duplicates are not processed."""
    tasks = [PaperTask(batch.index, position, str(item.path), item.source_file, options, item.member, item.archive_kind)
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
        for task, result in pool.run(with_member_bytes(tasks)):
            if isinstance(result, Failure):
                result = failed_outcome(task.source_file, _sha256(task), result.kind, result.message)
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
