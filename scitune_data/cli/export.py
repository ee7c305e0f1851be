"""``scitune-data export``: shards → LLaVA JSON + images, or chat messages JSONL."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

HELP = """Export instruction shards for other trainers: --format llava writes DEST/{split}.json
and DEST/images/ (LLaVA's train.py --data_path --image_folder); --format messages writes the chat
messages + images layout (TRL) as DEST/{split}/metadata.jsonl with DEST/{split}/images/, which
datasets.load_dataset(DEST) reads from any working folder, images as PIL images."""


def export(
    source: Annotated[Path, typer.Argument(metavar="OUT", help="Build output folder (or its data/ folder).")],
    dest: Annotated[Path, typer.Option("--dest", metavar="DIR", help="Folder to write the export into.")],
    fmt: Annotated[str, typer.Option("--format", metavar="llava|messages", help="Export layout.")] = "llava",
) -> None:
    from scitune_data.export.formats import FORMATS, export as run  # noqa: PLC0415

    if fmt not in FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
    written = run(source, dest, fmt)
    if not written:
        raise typer.BadParameter(f"no shards under {source}", param_hint="SOURCE")
    typer.echo(", ".join(f"{split} {n}" for split, n in written.items()) + f" records → {dest}", err=True)
