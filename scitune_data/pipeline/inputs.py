"""The inputs of a build: every ``*.pdf`` under the folder, in a stable order, with files that
repeat another file's bytes marked as duplicates (hashed only when two files share a size, so
planning a million PDFs stays cheap)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from scitune_data import storage


@dataclass(frozen=True, slots=True)
class InputFile:
    index: int
    path: str  # a local path or a URL
    source_file: str  # relative to the input folder
    size: int  # -1 when the file cannot be stat'ed (a dangling link): the worker reports why
    duplicate_of: str | None = None

    def identity(self) -> list:
        """What a completion marker remembers of the input."""
        return [self.source_file, self.size, self.duplicate_of]


class NoInputFolder(NotADirectoryError):
    """The input folder of a build is not a folder."""


def discover_pdfs(root: str | Path) -> list[str]:
    """Every ``*.pdf`` below ``root`` (a folder or a URL; any case, links followed), sorted."""
    if not storage.is_remote(root) and not Path(root).is_dir():
        raise NoInputFolder(f"--pdf-dir {root} is not a folder")
    return storage.list_pdfs(root)


def _size(location: str) -> int:
    try:
        if storage.is_remote(location):
            fs, path = storage._fs(location)  # noqa: SLF001 - the one place sizes are needed
            return int(fs.size(path))
        return Path(location).stat().st_size
    except OSError:
        return -1


def _relative(location: str, root: str) -> str:
    return location[len(str(root).rstrip("/")) + 1:] if storage.is_remote(root) else \
        Path(location).relative_to(root).as_posix()


def plan_inputs(root: str | Path) -> list[InputFile]:
    locations = discover_pdfs(root)
    names = [_relative(location, str(root)) for location in locations]
    sizes = [_size(location) for location in locations]
    by_size: dict[int, list[int]] = defaultdict(list)
    for index, size in enumerate(sizes):
        if size > 0:
            by_size[size].append(index)
    duplicate_of: dict[int, str] = {}
    for indices in by_size.values():
        if len(indices) < 2:
            continue
        first_seen: dict[str, str] = {}
        for index in indices:
            try:
                digest = hashlib.sha256(storage.read_bytes(locations[index])).hexdigest()
            except OSError:
                continue
            original = first_seen.setdefault(digest, names[index])
            if original != names[index]:
                duplicate_of[index] = original
    return [InputFile(i, location, names[i], sizes[i], duplicate_of.get(i))
            for i, location in enumerate(locations)]
