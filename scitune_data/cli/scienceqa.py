"""``scitune-data scienceqa``: ScienceQA → stage-2 instruction shards."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

HELP = """Convert ScienceQA (the original problems.json + pid_splits.json + images/ layout, or
the Hugging Face Parquet layout) into instruction shards in LLaVA's prompt format
(CQM-A, QCM-A, QCM-LEA, QCM-LEPA), keeping pid, grade, subject, image and context flags."""


def scienceqa(
    source: Annotated[Path, typer.Option("--source", help="ScienceQA folder (either layout).")],
    out: Annotated[Path, typer.Option("--out", help="Output folder for data/ and manifest.json.")],
    prompt_format: Annotated[str, typer.Option("--format", help="CQM-A, QCM-A, QCM-LEA or QCM-LEPA.")] = "QCM-LEPA",
    recipe: Annotated[str, typer.Option(help="Recipe for shard sizes (pipelines/).")] = "scienceqa",
) -> None:
    from scitune_data.cli.failures import one_line_failures  # noqa: PLC0415
    from scitune_data.cli.records import resolve_recipe  # noqa: PLC0415
    from scitune_data.out_folder import writing  # noqa: PLC0415
    from scitune_data.output_layout import DATA_DIR  # noqa: PLC0415
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
    for line in summary.errors[:20]:
        typer.echo(f"error: {line}", err=True)
    splits = ", ".join(f"{s['split']} {s['rows']}" for s in summary.shards)
    typer.echo(f"{summary.records} records from {summary.problems} problems ({splits}), "
               f"{len(summary.errors)} errors → {out / DATA_DIR}", err=True)
