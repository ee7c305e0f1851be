"""Entry point: ``scitune-data [--version] COMMAND ...``."""

from __future__ import annotations

from typing import Annotated

import typer

from scitune_data import __version__
from scitune_data.cli import (
    build, evaluate, export, importers, inspect, publish, records, scienceqa, train, validate)

app = typer.Typer(
    name="scitune-data",
    help="Turn scientific PDFs into multimodal instruction-tuning data (the SciTune recipe).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,  # plain click help: full option names at 80 columns, no box drawing
)
app.command("build", help=build.HELP)(build.build)
app.command("records", help=records.HELP)(records.records)
app.add_typer(importers.app, name="import")
app.command("scienceqa", help=scienceqa.HELP)(scienceqa.scienceqa)
app.command("validate", help=validate.HELP)(validate.validate)
app.command("export", help=export.HELP)(export.export)
app.command("publish", help=publish.HELP)(publish.publish)
app.command("inspect", help=inspect.HELP)(inspect.inspect)
app.command("train", help=train.HELP)(train.train)
app.command("export-llava", help=train.EXPORT_HELP)(train.export_llava)
app.command("predict", help=evaluate.PREDICT_HELP)(evaluate.predict)
app.add_typer(evaluate.app, name="eval")


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"scitune-data {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Turn scientific PDFs into multimodal instruction-tuning data (the SciTune recipe)."""


if __name__ == "__main__":
    app()
