"""``scitune-data records``: a figures table → instruction shards under a recipe."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from scitune_data.cli.options import Categories, PaperLicenses, Submitted

HELP = """Turn a figures table (from build or an importer) into instruction shards:
OUT/data/{split}-{i:05d}-of-{n:05d}.parquet and OUT/manifest.json. --paper-licenses,
--categories and --submitted keep the figures of the papers they select (by the paper columns a
build --metadata joined)."""


def resolve_recipe(name: str, templates: str | None):
    """The recipe, with ``--templates`` applied; a bad recipe is a usage error."""
    from scitune_data.records.recipe import RecipeError, load_recipe  # noqa: PLC0415

    try:
        recipe = load_recipe(name)
    except RecipeError as error:
        raise typer.BadParameter(str(error), param_hint="--recipe") from error
    if templates is not None:
        if templates not in ("sample", "all"):
            raise typer.BadParameter("choose sample or all", param_hint="--templates")
        recipe = replace(recipe, templates=templates)
    return recipe


def records_json(summary) -> dict | None:
    """The records part of a ``--json`` summary (None when no records were built)."""
    if summary is None:
        return None
    return {"figures": summary.figures, "kept": summary.kept, "records": summary.records, "dropped": summary.dropped,
            "shards": [{k: s[k] for k in ("file", "split", "rows")} for s in summary.shards]}


def print_records_summary(console, summary, out: Path | str) -> None:
    from scitune_data import storage  # noqa: PLC0415
    from scitune_data.output_layout import DATA_DIR  # noqa: PLC0415

    dropped = ", ".join(f"{k} {v}" for k, v in summary.dropped.items()) or "none"
    splits = ", ".join(f"{s['split']} {s['rows']}" for s in summary.shards) or "no shards"
    console.print(f"{summary.records} records from {summary.kept}/{summary.figures} figures "
                  f"({splits}); dropped: {dropped} → {storage.join(out, DATA_DIR)}")


def records(
    figures: Annotated[Path, typer.Option("--figures", metavar="PATH",
                                          help="Figures table: a folder of Parquet files or one file.")],
    out: Annotated[Path, typer.Option("--out", metavar="OUT", help="Output folder for data/ and manifest.json.")],
    recipe: Annotated[str, typer.Option(metavar="NAME|PATH", help="A shipped name or a .toml path.")] = "scitune-ctom",
    templates: Annotated[str | None, typer.Option(metavar="sample|all", help="Default: the recipe's.")] = None,
    paper_licenses: PaperLicenses = None,
    categories: Categories = None,
    submitted: Submitted = None,
) -> None:
    from scitune_data.cli.failures import one_line_failures  # noqa: PLC0415
    from scitune_data.cli.options import console, paper_selection  # noqa: PLC0415
    from scitune_data.out_folder import writing  # noqa: PLC0415
    from scitune_data.output_layout import figure_files  # noqa: PLC0415
    from scitune_data.pipeline.record_shards import build_records  # noqa: PLC0415

    chosen = resolve_recipe(recipe, templates)
    selection = paper_selection(paper_licenses, categories, submitted)
    try:
        figure_files(figures)
    except FileNotFoundError as error:
        raise typer.BadParameter(str(error), param_hint="--figures") from error
    with one_line_failures(), writing(out):
        summary = build_records(figures, out, chosen, selection)
    print_records_summary(console(), summary, out)
