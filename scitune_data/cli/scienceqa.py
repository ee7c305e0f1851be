"""``scitune-data scienceqa``: ScienceQA → stage-2 instruction shards."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from scitune_data.cli.options import Json, Strict

HELP = """Convert ScienceQA (the original problems.json + pid_splits.json + images/ layout, or
the Hugging Face Parquet layout, several files per split allowed) into instruction shards in
LLaVA's prompt format (CQM-A, QCM-A, QCM-LEA, QCM-LEPA), keeping pid, grade, subject, image and
context flags. Files are found anywhere under --source, never outside it; a malformed problem
becomes an error row. Exits with status 1 when no problem was converted (and, with --strict,
on any error)."""


def scienceqa(
    source: Annotated[Path, typer.Option("--source", metavar="DIR", help="ScienceQA folder (either layout).")],
    out: Annotated[Path, typer.Option("--out", metavar="OUT", help="Output folder for data/ and manifest.json.")],
    prompt_format: Annotated[str, typer.Option("--format", metavar="FORMAT",
                                               help="CQM-A, QCM-A, QCM-LEA or QCM-LEPA.")] = "QCM-LEPA",
    recipe: Annotated[str, typer.Option(metavar="NAME|PATH", help="Recipe for shard sizes.")] = "scienceqa",
    strict: Strict = False,
    as_json: Json = False,
) -> None:
    from scitune_data.cli.failures import one_line_failures  # noqa: PLC0415
    from scitune_data.cli.options import console as make_console, print_json  # noqa: PLC0415
    from scitune_data.cli.records import resolve_recipe  # noqa: PLC0415
    from scitune_data.out_folder import writing  # noqa: PLC0415
    from scitune_data.output_layout import DATA_DIR, ERRORS_FILE  # noqa: PLC0415
    from scitune_data.scienceqa.build import build_scienceqa  # noqa: PLC0415
    from scitune_data.scienceqa.formats import PROMPT_FORMATS  # noqa: PLC0415
    from scitune_data.scienceqa.sources import ScienceQAError  # noqa: PLC0415

    if prompt_format not in PROMPT_FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(PROMPT_FORMATS)}", param_hint="--format")
    chosen = replace(resolve_recipe(recipe, None), prompt_format=prompt_format)
    try:
        with one_line_failures(), writing(out):
            summary = build_scienceqa(source, out, chosen)
    except ScienceQAError as error:
        raise typer.BadParameter(str(error), param_hint="--source") from error
    console = make_console()
    for error in summary.errors[:20]:
        console.print(f"error: {error}")
    splits = ", ".join(f"{s['split']} {s['rows']}" for s in summary.shards)
    console.print(f"{summary.records} records from {summary.problems} problems ({splits}), "
                  f"{len(summary.errors)} errors → {out / DATA_DIR}")
    if as_json:
        print_json({"command": "scienceqa", "out": out, "format": prompt_format, "problems": summary.problems,
                    "records": summary.records, "errors": len(summary.errors),
                    "error_examples": [str(e) for e in summary.errors[:10]],
                    "shards": [{k: s[k] for k in ("file", "split", "rows")} for s in summary.shards]})
    if summary.problems == 0:
        console.print(f"no problem converted from {source} (see {out / ERRORS_FILE})")
        raise typer.Exit(code=1)
    if strict and summary.errors:
        raise typer.Exit(code=1)
