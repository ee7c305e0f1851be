"""``scitune-data import scicap|vistext|folder``: figure corpora → figures table → shards."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Callable

import typer

app = typer.Typer(help="Bring existing figure corpora in: the same figures table as build, then "
                       "records and shards under a recipe (default scitune-ctom).", no_args_is_help=True)

Source = Annotated[Path, typer.Option("--source", help="The corpus folder.")]
Out = Annotated[Path, typer.Option("--out", help="Output folder (figures/, errors.parquet, data/).")]
RecipeName = Annotated[str, typer.Option(help="Records recipe (pipelines/ name or .toml path).")]
Templates = Annotated[str | None, typer.Option(help="sample or all (default: the recipe's).")]
FiguresOnly = Annotated[bool, typer.Option(help="Stop after the figures table.")]


def _run(importer: Callable, source: Path, out: Path, recipe: str, templates: str | None, figures_only: bool) -> None:
    from rich.console import Console  # noqa: PLC0415

    from scitune_data.cli.records import print_records_summary, resolve_recipe  # noqa: PLC0415
    from scitune_data.importers.common import CorpusError  # noqa: PLC0415
    from scitune_data.output_layout import FIGURES_DIR  # noqa: PLC0415
    from scitune_data.pipeline.record_shards import build_records  # noqa: PLC0415

    from scitune_data.cli.failures import one_line_failures  # noqa: PLC0415
    from scitune_data.out_folder import writing  # noqa: PLC0415

    console = Console(stderr=True)
    chosen = None if figures_only else resolve_recipe(recipe, templates)
    with one_line_failures(), writing(out):  # OUT claimed (or refused) and locked before anything is written
        try:
            summary = importer(source, out).close()
        except CorpusError as error:
            raise typer.BadParameter(str(error), param_hint="--source") from error
        console.print(f"{summary.figures} figures imported, {summary.errors} errors → {out / FIGURES_DIR}")
        for line in summary.error_examples:
            console.print(f"  [yellow]error[/yellow] {line}")
        if chosen is not None:
            print_records_summary(console, build_records(out / FIGURES_DIR, out, chosen), out)


@app.command("scicap", help="SciCap: the original release (one JSON per figure) or the challenge "
                            "layout ({split}.json with images and annotations).")
def scicap(source: Source, out: Out, recipe: RecipeName = "scitune-ctom", templates: Templates = None,
           figures_only: FiguresOnly = False) -> None:
    from scitune_data.importers.scicap import import_scicap  # noqa: PLC0415

    _run(import_scicap, source, out, recipe, templates, figures_only)


@app.command("vistext", help="VisText: data_{split}.json with images/<img_id>.png.")
def vistext(source: Source, out: Out, recipe: RecipeName = "scitune-c", templates: Templates = None,
            figures_only: FiguresOnly = False) -> None:
    from scitune_data.importers.vistext import import_vistext  # noqa: PLC0415

    _run(import_vistext, source, out, recipe, templates, figures_only)


@app.command("folder", help="Images with sidecar captions (name.txt, or name.json with caption, "
                            "figure_type, ocr, mentions, paper_id, split).")
def folder(source: Source, out: Out, recipe: RecipeName = "scitune-c", templates: Templates = None,
           figures_only: FiguresOnly = False) -> None:
    from scitune_data.importers.folder import import_folder  # noqa: PLC0415

    _run(import_folder, source, out, recipe, templates, figures_only)
