"""``scitune-data validate``: check shards against the versioned schemas."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scitune_data.cli.options import Json

HELP = """Check instruction shards (an output folder, its data/ folder, or one file) against
schemas/: types and required fields, decodable images, <image> placeholders, turn order, split
consistency, duplicate ids. Prints file:row: problem lines and a summary (stderr; --json prints
the report to stdout); exits 1 on failure."""


def validate(
    path: Annotated[Path, typer.Argument(metavar="OUT", help="Build output folder, data/ folder or a shard file.")],
    as_json: Json = False,
) -> None:
    from scitune_data.cli.options import console, print_json  # noqa: PLC0415
    from scitune_data.validate.checks import validate as run  # noqa: PLC0415

    report = run(path)
    human = console()
    for line in report.problems:
        human.print(line)
    verdict = "OK" if report.ok else f"{len(report.problems)} problems"
    human.print(f"{report.files} files, {report.rows} rows: {verdict}")
    if as_json:
        print_json({"command": "validate", "path": path, "ok": report.ok, "files": report.files, "rows": report.rows,
                    "problems": report.problems})
    if not report.ok:
        raise typer.Exit(code=1)
