"""``scitune-data import scicap|vistext|arxivcap|folder``: figure corpora → figures table → shards."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Callable

import typer

from scitune_data.cli.options import Json, Strict, flag

app = typer.Typer(help="Bring existing figure corpora in: the same figures table as build, then "
                       "records and shards under a recipe. Files are found by name anywhere under "
                       "--source, never outside it; a malformed entry becomes an error row. Exits "
                       "with status 1 when nothing was imported (and, with --strict, on any error).",
                  no_args_is_help=True, rich_markup_mode=None)

Source = Annotated[Path, typer.Option("--source", metavar="DIR", help="The corpus folder, as downloaded.")]
Out = Annotated[Path, typer.Option("--out", metavar="OUT", help="Output folder (figures/, errors.parquet, data/).")]
RecipeName = Annotated[str, typer.Option(metavar="NAME|PATH", help="Records recipe: a shipped name or a .toml path.")]
Templates = Annotated[str | None, typer.Option(metavar="sample|all", help="Default: the recipe's.")]
FiguresOnly = Annotated[bool, flag("--figures-only", "Stop after the figures table.")]


def _run(importer: Callable, command: str, source: Path, out: Path, recipe: str, templates: str | None,
         figures_only: bool, strict: bool, as_json: bool) -> None:
    from scitune_data.cli.failures import one_line_failures  # noqa: PLC0415
    from scitune_data.cli.options import console as make_console, print_json  # noqa: PLC0415
    from scitune_data.cli.records import print_records_summary, records_json, resolve_recipe  # noqa: PLC0415
    from scitune_data.importers.common import CorpusError  # noqa: PLC0415
    from scitune_data.out_folder import owned_figure_parts, writing  # noqa: PLC0415
    from scitune_data.output_layout import ERRORS_FILE, FIGURES_DIR  # noqa: PLC0415
    from scitune_data.pipeline.record_shards import build_records  # noqa: PLC0415

    console = make_console()
    chosen = None if figures_only else resolve_recipe(recipe, templates)
    with one_line_failures(), writing(out):  # OUT claimed (or refused) and locked before any write
        try:
            summary = importer(source, out).close()
        except CorpusError as error:
            raise typer.BadParameter(str(error), param_hint="--source") from error
        console.print(f"{summary.figures} figures imported, {summary.errors} errors → {out / FIGURES_DIR}")
        for line in summary.error_examples:
            console.print(f"  error {line}")
        records = None
        if chosen is not None and summary.figures:
            records = build_records(owned_figure_parts(out), out, chosen)
            print_records_summary(console, records, out)
    if as_json:
        print_json({"command": f"import {command}", "out": out, "figures": summary.figures, "errors": summary.errors,
                    "error_examples": summary.error_examples, "records": records_json(records)})
    if summary.figures == 0:
        console.print(f"nothing imported from {source} (see {out / ERRORS_FILE})")
        raise typer.Exit(code=1)
    if strict and summary.errors:
        raise typer.Exit(code=1)


@app.command("scicap", help="SciCap: the original release (one JSON per figure in Train/Val/Test "
                            "folders) or the challenge layout (train.json, val.json, public-test.json, ... "
                            "with images and annotations).")
def scicap(source: Source, out: Out, recipe: RecipeName = "scitune-ctom", templates: Templates = None,
           figures_only: FiguresOnly = False, strict: Strict = False, as_json: Json = False) -> None:
    from scitune_data.importers.scicap import import_scicap  # noqa: PLC0415

    _run(import_scicap, "scicap", source, out, recipe, templates, figures_only, strict, as_json)


@app.command("vistext", help="VisText: data_{split}.json with the chart images (<img_id>.png).")
def vistext(source: Source, out: Out, recipe: RecipeName = "scitune-c", templates: Templates = None,
            figures_only: FiguresOnly = False, strict: Strict = False, as_json: Json = False) -> None:
    from scitune_data.importers.vistext import import_vistext  # noqa: PLC0415

    _run(import_vistext, "vistext", source, out, recipe, templates, figures_only, strict, as_json)


@app.command("arxivcap", help="ArxivCap: the Hub's Parquet files (one row per paper; every image of "
                              "every captioned figure, sub-captions and OCR).")
def arxivcap(source: Source, out: Out, recipe: RecipeName = "scitune-c", templates: Templates = None,
             figures_only: FiguresOnly = False, strict: Strict = False, as_json: Json = False) -> None:
    from scitune_data.importers.arxivcap import import_arxivcap  # noqa: PLC0415

    _run(import_arxivcap, "arxivcap", source, out, recipe, templates, figures_only, strict, as_json)


@app.command("folder", help="Images with sidecar captions (name.txt, or name.json with caption, "
                            "figure_type, ocr, mentions, paper_id, split).")
def folder(source: Source, out: Out, recipe: RecipeName = "scitune-c", templates: Templates = None,
           figures_only: FiguresOnly = False, strict: Strict = False, as_json: Json = False) -> None:
    from scitune_data.importers.folder import import_folder  # noqa: PLC0415

    _run(import_folder, "folder", source, out, recipe, templates, figures_only, strict, as_json)
