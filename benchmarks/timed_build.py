"""Shared by the build benchmarks: one whole `scitune-data build` process, timed."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path


def timed_build(pdf_dir: Path, out: Path | str, *options: str) -> float:
    """Seconds for ``build --figures-only`` of ``pdf_dir`` into ``out`` with extra ``options``,
    including interpreter start-up, as a user's run pays it."""
    command = [sys.executable, "-m", "scitune_data.cli.main", "build", "--pdf-dir", str(pdf_dir), "--out", str(out),
               "--figures-only", "--quiet", *options]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start
