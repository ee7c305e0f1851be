"""What every command shares: option aliases (flags without value placeholders), the console for
human text (stderr, never hard-wrapped, so a path stays whole when output is not a terminal),
and the one machine-readable summary ``--json`` prints to stdout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.console import Console

Json = Annotated[bool, typer.Option("--json", help="Print one JSON summary to stdout (human text goes to stderr).",
                                    show_default=False)]
Strict = Annotated[bool, typer.Option("--strict", help="Exit with status 1 when any input produced an error row.",
                                      show_default=False)]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.", show_default=False)]


def flag(name: str, help: str) -> typer.models.OptionInfo:  # noqa: A002 - typer's own keyword
    """A boolean option that is given or not: ``--name``, no ``--no-name``, no value placeholder."""
    return typer.Option(name, help=help, show_default=False)


def console() -> Console:
    """Human text: stderr, soft-wrapped (a terminal wraps long lines itself; a file or pipe
    gets them whole), printed as given (no markup: a caption's ``[NUM]`` stays)."""
    from rich.console import Console  # noqa: PLC0415 - keep `--help` fast

    return Console(stderr=True, soft_wrap=True, markup=False, highlight=False)


def print_json(summary: dict) -> None:
    """The command's summary as one JSON object on stdout (paths as strings)."""
    typer.echo(json.dumps(summary, sort_keys=True, default=lambda value: str(value) if isinstance(value, Path)
                          else repr(value)))


PaperLicenses = Annotated[str | None, typer.Option(
    "--paper-licenses", metavar="LIST",
    help="Keep papers under these licences only, comma-separated: families (cc-by, cc-by-sa, cc0, public-domain, "
         "cc-by-nc, cc-by-nc-sa, cc-by-nc-nd, cc-by-nd, arxiv, arxiv-assumed, other, unknown) or ids such as "
         "cc-by-4.0. Read from the arXiv metadata (build --metadata).")]
Categories = Annotated[str | None, typer.Option(
    metavar="GLOBS", help="Keep papers listed in a matching arXiv category, comma-separated globs: cs.*,physics.optics.")]
Submitted = Annotated[str | None, typer.Option(
    metavar="FROM..TO", help="Keep papers whose first version falls in this range: 2020..2022-06, 2023-03.., ..2019, "
                             "or one period (2021).")]


def paper_selection(licenses: str | None, categories: str | None, submitted: str | None):
    """The paper selection the options give; a bad value is a usage error naming its option."""
    from scitune_data.arxiv import selection  # noqa: PLC0415

    def parsed(parse, value: str | None, option: str):
        try:
            return parse(value)
        except selection.SelectionError as error:
            raise typer.BadParameter(str(error), param_hint=option) from error

    return selection.PaperSelection(parsed(selection.parse_licenses, licenses, "--paper-licenses"),
                                    parsed(selection.parse_categories, categories, "--categories"),
                                    parsed(selection.parse_dates, submitted, "--submitted"))
