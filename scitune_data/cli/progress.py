"""The build's progress bar: files/s, pages/s, figures, errors, ETA."""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from scitune_data.pipeline.build import ProgressReport


class BuildProgress:
    def __init__(self, console: Console, disable: bool = False) -> None:
        columns = (TextColumn("[bold]build"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[rates]}"),
                   TextColumn("{task.fields[figures]} figures, {task.fields[errors]} errors"),
                   TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn())
        self._progress = Progress(*columns, console=console, disable=disable)
        self._started = time.monotonic()
        self._files = self._pages = self._figures = self._errors = 0

    def __enter__(self) -> BuildProgress:
        self._progress.__enter__()
        self._task = self._progress.add_task("build", total=None, rates="", figures=0, errors=0)
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.__exit__(*exc)

    def update(self, report: ProgressReport) -> None:
        if report.total is not None:
            self._progress.update(self._task, total=report.total)
        if report.resumed:  # done by an earlier run: counted, not timed
            self._progress.update(self._task, advance=report.files)
            return
        self._files += report.files
        self._pages += report.pages
        self._figures += report.figures
        self._errors += report.errors
        seconds = max(time.monotonic() - self._started, 1e-6)
        rates = f"{self._files / seconds:.1f} files/s, {self._pages / seconds:.0f} pages/s"
        self._progress.update(self._task, advance=report.files, rates=rates, figures=self._figures,
                              errors=self._errors)
