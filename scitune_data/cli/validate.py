"""``scitune-data validate``: check shards against the versioned schemas."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

HELP = """Check instruction shards (an output folder, its data/ folder, or one file) against
schemas/: types and required fields, decodable images, <image> placeholders, turn order, split
consistency, duplicate ids. Prints file:row: problem lines and a summary; exits 1 on failure."""


def validate(
    path: Annotated[Path, typer.Argument(help="Build output folder, data/ folder or a shard file.")],
) -> None:
    from scitune_data.validate.checks import validate as run  # noqa: PLC0415

    report = run(path)
    for line in report.problems:
        typer.echo(line)
    verdict = "OK" if report.ok else f"{len(report.problems)} problems"
    typer.echo(f"{report.files} files, {report.rows} rows: {verdict}", err=True)
    if not report.ok:
        raise typer.Exit(code=1)
