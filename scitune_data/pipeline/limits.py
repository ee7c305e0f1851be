"""How the work of a build runs: worker processes, and each paper's time limit and memory cap.
They do not decide a good paper's output, but a paper that hits a limit fails or loses part of
its signals (see :mod:`scitune_data.pipeline.batch_store` for how a rerun treats it)."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_START = "fork" if hasattr(os, "fork") else "spawn"


@dataclass(frozen=True, slots=True)
class Limits:
    workers: int = 1
    timeout: float | None = 300.0
    memory_bytes: int | None = 4 << 30
    start_method: str = DEFAULT_START  # "spawn" where the host's threads make forking unsafe (Ray workers)
