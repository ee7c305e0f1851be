"""``scitune-data build``: PDFs → figures table."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

HELP = """Extract every captioned figure and table from a folder of PDFs and turn them into
instruction shards.

Writes OUT/figures/part-*.parquet (one row per figure or table, crop embedded),
OUT/errors.parquet (one row per problem, with the reason), OUT/summary.json, and, under the
recipe (default scitune-ctom), OUT/data/{split}-*.parquet shards with OUT/manifest.json."""


def build(
    pdf_dir: Annotated[Path, typer.Option("--pdf-dir", help="Folder searched recursively for *.pdf.")],
    out: Annotated[Path, typer.Option("--out", help="Output folder (created if missing).")],
    dpi: Annotated[int, typer.Option(help="Resolution of the rendered crops.", min=36, max=600)] = 150,
    margin: Annotated[float, typer.Option(help="White margin around each crop, in PDF points.",
                                          min=0.0)] = 4.0,
    password: Annotated[str | None, typer.Option(help="Password for encrypted PDFs.")] = None,
    ocr: Annotated[str, typer.Option(
        help="In-figure text: auto (PDF text layer, else the OCR engine), pdf-text, none, or an "
             "engine: rapidocr, tesseract, easyocr.")] = "auto",
    figure_type_model: Annotated[str | None, typer.Option(
        help="Zero-shot figure types with an open_clip model, ARCH:PRETRAINED, e.g. "
             "ViT-B-32:openai or ViT-B-32:/path/to/checkpoint.bin (needs the [train] extra). "
             "Default: the built-in caption-and-drawing rules.")] = None,
    recipe: Annotated[str, typer.Option(help="Records recipe: a name from pipelines/ or a .toml path.")] = "scitune-ctom",
    templates: Annotated[str | None, typer.Option(
        help="sample: one seeded template per record; all: one record per template (for "
             "sensitivity evaluation). Default: the recipe's.")] = None,
    figures_only: Annotated[bool, typer.Option(help="Stop after the figures table (no shards).")] = False,
    batch_size: Annotated[int, typer.Option(help="PDFs per output part file.", min=1)] = 64,
    strict: Annotated[bool, typer.Option(help="Exit non-zero if any input produced an error.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    from rich.console import Console  # noqa: PLC0415 - keep `--help` fast
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn  # noqa: PLC0415,E501

    from scitune_data.pipeline.build import BuildConfig, discover_pdfs, run_build  # noqa: PLC0415
    from scitune_data.pipeline.papers import ExtractOptions  # noqa: PLC0415
    from scitune_data.cli.records import print_records_summary, resolve_recipe  # noqa: PLC0415

    from scitune_data.ocr import ENGINES, MODES, OcrUnavailable, load_engine  # noqa: PLC0415

    console = Console(stderr=True)
    if ocr not in MODES:
        raise typer.BadParameter(f"choose one of {', '.join(MODES)}", param_hint="--ocr")
    try:
        total = len(discover_pdfs(pdf_dir))
        if ocr in ENGINES:
            load_engine(ocr)  # fail now, with the install hint, not once per paper
    except NotADirectoryError as error:
        raise typer.BadParameter(str(error), param_hint="--pdf-dir") from error
    except OcrUnavailable as error:
        raise typer.BadParameter(str(error), param_hint="--ocr") from error
    if figure_type_model is not None:
        from scitune_data.classify.clip import ClipUnavailable, load_clip  # noqa: PLC0415

        try:
            load_clip(figure_type_model)
        except ClipUnavailable as error:
            raise typer.BadParameter(str(error), param_hint="--figure-type-model") from error
    options = ExtractOptions(dpi=dpi, margin=margin, password=password, ocr=ocr,
                             figure_type_model=figure_type_model)
    chosen = None if figures_only else resolve_recipe(recipe, templates)
    config = BuildConfig(pdf_dir, out, options, batch_size=batch_size, recipe=chosen)
    columns = (TextColumn("[bold]build"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[figures]} figures, {task.fields[errors]} errors"),
               TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn())
    with Progress(*columns, console=console, disable=quiet, transient=False) as progress:
        task = progress.add_task("build", total=total, figures=0, errors=0)
        counts = {"figures": 0, "errors": 0}

        def advance(outcome) -> None:
            counts["figures"] += len(outcome.figures)
            counts["errors"] += len(outcome.errors)
            progress.update(task, advance=1, **counts)

        summary = run_build(config, on_paper=advance)
    console.print(
        f"{summary.inputs} papers ({summary.failed} failed), {summary.pages} pages, "
        f"{summary.figures} figures, {summary.tables} tables, {summary.errors} errors "
        f"in {summary.seconds:.1f} s → {out}"
    )
    if summary.records is not None:
        print_records_summary(console, summary.records, out)
    for name in summary.error_files[:10]:
        console.print(f"  [yellow]error[/yellow] {name} (see {out / 'errors.parquet'})")
    if strict and summary.errors:
        raise typer.Exit(code=1)
