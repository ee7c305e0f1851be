"""The build's progress bar: files/s, pages/s, figures, errors, ETA."""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn


class BuildProgress:
    def __init__(self, console: Console, total: int | None, disable: bool = False) -> None:
        columns = (TextColumn("[bold]build"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[rates]}"),
                   TextColumn("{task.fields[figures]} figures, {task.fields[errors]} errors"),
                   TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn())
        self._progress = Progress(*columns, console=console, disable=disable)
        self._total = total
        self._started = time.monotonic()
        self._files = self._pages = self._figures = self._errors = 0

    def __enter__(self) -> BuildProgress:
        self._progress.__enter__()
        self._task = self._progress.add_task("build", total=self._total, rates="", figures=0, errors=0)
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.__exit__(*exc)

    def resumed(self, files: int) -> None:
        """Files already done by an earlier run: counted, not timed."""
        self._progress.update(self._task, advance=files)

    def paper(self, outcome) -> None:
        self._files += 1
        self._pages += outcome.pages
        self._figures += len(outcome.figures)
        self._errors += len(outcome.errors)
        self._refresh(advance=1)

    def batch(self, counts: dict) -> None:
        self._files += counts["inputs"]
        self._pages += counts["pages"]
        self._figures += counts["figures"] + counts["tables"]
        self._errors += counts["errors"]
        self._refresh(advance=counts["inputs"])

    def _refresh(self, advance: int) -> None:
        seconds = max(time.monotonic() - self._started, 1e-6)
        rates = f"{self._files / seconds:.1f} files/s, {self._pages / seconds:.0f} pages/s"
        self._progress.update(self._task, advance=advance, rates=rates, figures=self._figures, errors=self._errors)
