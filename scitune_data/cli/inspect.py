"""``scitune-data inspect``: a static HTML gallery for quality review."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

HELP = """Write a self-contained HTML gallery of a build (crops with caption, type, in-figure
text, mentions; page thumbnails with the bbox when --pdf-dir is given; filters by type, task,
split and paper; errors linked to their files). Open DIR/index.html in a browser."""


def inspect(
    out: Annotated[Path, typer.Argument(metavar="OUT", help="Build output folder.")],
    html: Annotated[Path, typer.Option("--html", metavar="DIR", help="Folder to write the gallery into.")],
    pdf_dir: Annotated[Path | None, typer.Option("--pdf-dir", metavar="DIR",
                                                 help="The PDFs (for page thumbnails and links).")] = None,
    limit: Annotated[int | None, typer.Option(metavar="N", help="Show at most this many figures.", min=1)] = None,
) -> None:
    from scitune_data.hub.gallery import build_gallery  # noqa: PLC0415
    from scitune_data.out_folder import ForeignFolder  # noqa: PLC0415

    try:
        shown = build_gallery(out, html, pdf_dir, limit)
    except (FileNotFoundError, ForeignFolder) as error:
        raise typer.BadParameter(str(error), param_hint="OUT") from error
    typer.echo(f"{shown} figures → {html / 'index.html'}", err=True)
