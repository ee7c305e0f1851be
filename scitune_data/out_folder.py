"""An output folder that scitune-data owns, so that it never harms files it did not write.

The marker (``OUT/.scitune-data.json``) says the folder is a scitune-data output and lists every
file a command wrote there. A command claims a folder before writing: a new or empty folder gets
the marker; a folder that holds anything and has no marker is refused, with or without
``--overwrite``. A file is added to the list before it is first written (so a killed run never
leaves a file of ours unlisted) and a name already taken by a file that is not listed is
refused. Stale outputs are removed only when listed; nothing else under OUT is ever deleted.

One process writes at a time: :func:`writing` holds an exclusive lock on
``OUT/.scitune-data.lock`` (``flock``: the kernel drops it when the holder dies, even by
``kill -9``), so a second writer fails at once with :class:`FolderBusy`. Object stores have no
locks; URL outputs are claimed and listed, not locked.

Every command that writes into OUT uses it the same way::

    with writing(out) as folder:          # claim (or refuse) and lock
        folder.own([f"{FIGURES_DIR}/{figure_part(0)}"])
        storage.write_parquet(rows, schema, folder.path(f"{FIGURES_DIR}/{figure_part(0)}"))
        folder.remove(stale_names)        # only names this folder's marker lists
"""

from __future__ import annotations

import fcntl
import os
import socket
import time
from contextlib import contextmanager
from fnmatch import fnmatch
from pathlib import Path
from typing import Iterable, Iterator

from scitune_data import __version__, storage
from scitune_data.output_layout import FIGURE_PARTS, FIGURES_DIR, LOCK_FILE, MARKER_FILE

MARKER_FORMAT = 1
SHOWN = 3  # foreign names quoted in a refusal


class ForeignFolder(Exception):
    """OUT (or a name in it) holds something scitune-data did not write; it is left alone."""


class FolderBusy(Exception):
    """Another process is writing the same output folder."""


class OutFolder:
    """A handle on an output folder (a local path or an fsspec URL). It keeps no state: the
    marker on disk is the one record of what the folder's files are."""

    def __init__(self, location: str | Path) -> None:
        self.location = str(location)

    def path(self, name: str) -> str:
        """The location of ``name`` (``figures/part-00000.parquet``) inside the folder."""
        return storage.join(self.location, name)

    def claim(self) -> OutFolder:
        """Make the folder ours (new or empty), or check it is ours; refuse anything else."""
        if storage.is_file(self.location):
            raise ForeignFolder(f"{self.location} is a file, not a folder: choose a folder for the output")
        if storage.exists(self.path(MARKER_FILE)):
            self.owned()  # a marker that cannot be read is refused here
            return self
        present = storage.names_in(self.location)
        if present:
            shown = ", ".join(present[:SHOWN]) + (f" and {len(present) - SHOWN} more" if len(present) > SHOWN else "")
            raise ForeignFolder(
                f"{self.location} is not empty and is not a scitune-data output (no {MARKER_FILE}; it holds "
                f"{shown}): scitune-data writes only into new or empty folders, or its own outputs, and never "
                "deletes files it did not write; choose an empty or new folder")
        storage.make_folder(self.location)
        self._write_marker(set())
        return self

    def owned(self) -> set[str]:
        """Every name the marker lists (paths relative to the folder, ``/``-separated)."""
        try:
            marker = storage.read_json(self.path(MARKER_FILE))
            return set(marker["files"])
        except FileNotFoundError:
            raise ForeignFolder(f"{self.location} is not a scitune-data output (no {MARKER_FILE})") from None
        except (ValueError, KeyError, TypeError) as error:
            raise ForeignFolder(f"{self.path(MARKER_FILE)} cannot be read ({error}); the folder is left "
                                "alone: choose another folder") from error

    def owned_matching(self, pattern: str) -> list[str]:
        """Listed names matching a glob pattern (``figures/part-*.parquet``), sorted."""
        return sorted(name for name in self.owned() if fnmatch(name, pattern))

    def own(self, names: Iterable[str]) -> None:
        """List names as ours before they are written; a name held by a file we did not write
        is refused."""
        owned = self.owned()
        new = set(names) - owned
        taken = sorted(name for name in new if storage.exists(self.path(name)))
        if taken:
            raise ForeignFolder(
                f"{self.path(taken[0])} exists and was not written by scitune-data; it is left alone: "
                "move it away or choose another output folder")
        if new:
            self._write_marker(owned | new)

    def remove(self, names: Iterable[str]) -> None:
        """Delete listed files (and their temp files) and drop them from the list; names the
        marker does not list are never touched."""
        owned = self.owned()
        gone = set(names) & owned
        for name in sorted(gone):
            storage.remove(self.path(name))
            if not storage.is_remote(self.location):
                storage.temporary(Path(self.path(name))).unlink(missing_ok=True)
        if gone:
            self._write_marker(owned - gone)

    def clear(self) -> None:
        """Remove every listed file: a command that writes the folder anew (an import, or
        ``build --overwrite``) starts here. Files the marker does not list stay."""
        self.remove(self.owned())

    def remove_temporaries(self) -> None:
        """Delete the temp files a killed or failed write left beside listed files."""
        if storage.is_remote(self.location):
            return  # object stores write whole objects: no temp files
        owned = self.owned()
        folders = {str(Path(name).parent) for name in owned} | {"."}
        for folder in folders:
            for leftover in Path(self.location, folder).glob(f".*{storage.TEMPORARY_SUFFIX}"):
                target = leftover.name[1:-len(storage.TEMPORARY_SUFFIX)]
                if (Path(folder) / target).as_posix().removeprefix("./") in owned:
                    leftover.unlink(missing_ok=True)

    def _write_marker(self, names: set[str]) -> None:
        storage.write_json({"format": MARKER_FORMAT, "written_by": f"scitune-data {__version__}",
                            "files": sorted(names)}, self.path(MARKER_FILE))

    @contextmanager
    def lock(self) -> Iterator[OutFolder]:
        """Hold the folder's write lock (re-entrant within this process)."""
        if storage.is_remote(self.location):
            yield self
            return
        key = os.path.realpath(self.location)
        if key in _HELD:
            _HELD[key][1] += 1
            try:
                yield self
            finally:
                _HELD[key][1] -= 1
            return
        descriptor = os.open(self.path(LOCK_FILE), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(descriptor, 200).decode(errors="replace").strip() or "another process"
            os.close(descriptor)
            raise FolderBusy(f"{self.location} is being written by {holder}; wait for it to finish or "
                             "choose another output folder") from None
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"process {os.getpid()} on {socket.gethostname()} since "
                             f"{time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode())
        _HELD[key] = [descriptor, 1]
        try:
            yield self
        finally:
            del _HELD[key]
            fcntl.flock(descriptor, fcntl.LOCK_UN)
            os.close(descriptor)


_HELD: dict[str, list[int]] = {}  # real path of a locked folder -> [lock file descriptor, depth]


def _forget_locks_in_child() -> None:
    """A forked child (a worker) must not keep its parent's lock alive: close its copies."""
    for descriptor, _depth in _HELD.values():
        os.close(descriptor)
    _HELD.clear()


os.register_at_fork(after_in_child=_forget_locks_in_child)


def owned_figure_parts(location: str | Path) -> list[Path]:
    """The figures table of a local output folder: the part files its marker lists, in order
    (a Parquet file a user put beside them under ``figures/`` is not part of it)."""
    folder = OutFolder(location)
    return [Path(folder.path(name)) for name in folder.owned_matching(f"{FIGURES_DIR}/{FIGURE_PARTS}")]


@contextmanager
def writing(location: str | Path) -> Iterator[OutFolder]:
    """Claim ``location`` (or refuse it) and hold its lock while the body writes into it; temp
    files of a killed earlier run, or of a write that failed here, are removed."""
    folder = OutFolder(location).claim()
    with folder.lock():
        folder.remove_temporaries()
        try:
            yield folder
        except BaseException:
            folder.remove_temporaries()
            raise
