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
