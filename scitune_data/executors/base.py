"""What every executor offers: ``run(config, limits, on_progress)`` builds ``config`` within
``limits`` and reports as it goes; the output bytes never depend on which executor ran."""

from __future__ import annotations

from typing import Protocol

from scitune_data.pipeline.build import BuildConfig, BuildSummary, OnProgress, no_progress
from scitune_data.pipeline.limits import Limits

__all__ = ["Executor", "Limits"]


class Executor(Protocol):
    def run(self, config: BuildConfig, limits: Limits = Limits(), on_progress: OnProgress = no_progress,
            ) -> BuildSummary:
        ...
