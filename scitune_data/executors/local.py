"""The local executor: papers of the pending batches through a :class:`WorkerPool`."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from scitune_data import storage
from typing import Callable, Iterator

from scitune_data.executors.pool import DEFAULT_START, Failure, WorkerPool
from scitune_data.pipeline.inputs import InputFile
from scitune_data.pipeline.papers import (
    ExtractOptions, PaperOutcome, duplicate_outcome, failed_outcome, process_paper)


@dataclass(frozen=True, slots=True)
class PaperTask:
    batch: int
    position: int
    path: str
    source_file: str
    options: ExtractOptions


def run_task(task: PaperTask) -> PaperOutcome:
    if not storage.is_remote(task.path):
        return process_paper(Path(task.path), task.source_file, task.options)
    with tempfile.TemporaryDirectory() as folder:  # MuPDF reads local files; fetch the object
        local = Path(folder) / "input.pdf"
        local.write_bytes(storage.read_bytes(task.path))
        return process_paper(local, task.source_file, task.options)


@dataclass(frozen=True, slots=True)
class Limits:
    workers: int = 1
    timeout: float | None = 300.0
    memory_bytes: int | None = 4 << 30
    start_method: str = DEFAULT_START


def run_batches(batches: list[tuple[int, list[InputFile]]], options: ExtractOptions, limits: Limits,
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
                _report([results[index][position]], on_paper)
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
            _report([result], on_paper)
            if finished(task.batch):
                yield task.batch, results.pop(task.batch)


def _report(outcomes: list[PaperOutcome], on_paper: Callable[[PaperOutcome], None] | None) -> None:
    if on_paper is not None:
        for outcome in outcomes:
            on_paper(outcome)
