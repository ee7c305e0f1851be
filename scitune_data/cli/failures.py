"""How a command that writes an output folder ends when it cannot go on: one clear line on
stderr and a non-zero exit, never a traceback, for the failures a user can act on (an output
folder that is not ours or is busy, a full disk, no permission)."""

from __future__ import annotations

import errno
from contextlib import contextmanager
from typing import Iterator

import typer

HINTS = {
    errno.ENOSPC: "the disk is full: free some space or choose another output folder",
    errno.EDQUOT: "over the disk quota: free some space or choose another output folder",
    errno.EFBIG: "the file system, or a limit on file size, refuses a file this large",
    errno.EACCES: "this user has no permission there",
    errno.EPERM: "this user is not permitted to do that there",
    errno.EROFS: "a read-only file system: choose another output folder",
}


def os_error_line(error: OSError) -> str:
    """``PATH: REASON (what it means)`` from an OSError (or pyarrow's, which may carry the errno
    only in its message)."""
    where = f"{error.filename}: " if error.filename else ""
    reason = error.strerror or str(error)
    code = error.errno or next((c for c in HINTS if f"[errno {c}]" in str(error).lower()), None)
    hint = HINTS.get(code)
    return f"{where}{reason}" + (f" ({hint})" if hint else "")


@contextmanager
def one_line_failures() -> Iterator[None]:
    from scitune_data.cli.options import console  # noqa: PLC0415
    from scitune_data.out_folder import FolderBusy, ForeignFolder  # noqa: PLC0415

    try:
        yield
    except ForeignFolder as error:
        console().print(f"error: {error}")
        raise typer.Exit(code=2) from None
    except FolderBusy as error:
        console().print(f"error: {error}")
        raise typer.Exit(code=1) from None
    except OSError as error:
        console().print(f"error: {os_error_line(error)}")
        raise typer.Exit(code=1) from None
