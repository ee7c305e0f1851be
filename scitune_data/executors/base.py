"""What every executor offers: ``run(config, limits, on_progress)`` builds ``config`` within
``limits`` and reports as it goes; the output bytes never depend on which executor ran."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from scitune_data.executors.pool import DEFAULT_START
from scitune_data.pipeline.build import BuildConfig, BuildSummary, OnProgress, no_progress


@dataclass(frozen=True, slots=True)
class Limits:
    """How the work runs: worker processes, and each paper's time limit and memory cap."""

    workers: int = 1
    timeout: float | None = 300.0
    memory_bytes: int | None = 4 << 30
    start_method: str = DEFAULT_START


class Executor(Protocol):
    def run(self, config: BuildConfig, limits: Limits = Limits(), on_progress: OnProgress = no_progress,
            ) -> BuildSummary:
        ...
