"""The one way an importer reads a file a corpus entry names (SciCap's ``figure-ID`` and
``file_name``, VisText's ``img_id``, ScienceQA's ``image``, ArxivCap's ``image_file``).

An entry's name is data, never a path to follow: it must be a relative path without ``..``, and
the file it names is looked for inside ``--source`` only: first where the previous entry with the
same hints was found, then where the corpus's own layout puts it (the ``hints`` folders), then
anywhere below ``--source`` by its name (the last path parts, from an index of the file names
built on the first such search), because real copies keep images in folders of their own
(``share-task-img-mask/arxiv/train/``).
A name that is not a plain relative path, or that resolves outside ``--source`` through a link,
is refused with a message that depends on the name alone, so the error rows never tell which
files exist elsewhere on the machine.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path, PurePosixPath
from typing import Iterator, Sequence

from scitune_data.importers.common import CorpusError

MAX_LISTED = 3  # same-named candidates quoted in an ambiguity error


class SourceFiles:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._by_tail: dict[int, dict[tuple[str, ...], list[str]]] = {}
        self._real_folders: dict[Path, Path] = {}  # a folder -> where it really is (links followed)
        self._last_found: dict[tuple[str, ...], str] = {}  # hints -> the folder their last file was in

    def find(self, name: object, hints: Sequence[str] = ()) -> Path:
        """The file ``name`` refers to; ``hints`` are folders (relative to the source) where the
        corpus's layout puts it, also used to choose among files of the same name."""
        parts, hints = relative_parts(name), tuple(hints)
        last = self._last_found.get(hints)
        for folder in ([last] if last is not None else []) + ["", *hints]:
            candidate = self.root.joinpath(folder, *parts)
            if candidate.is_file():
                self._last_found[hints] = folder
                return self._inside(candidate, name)
        matches = self._index(len(parts)).get(parts, [])
        if len(matches) > 1:
            matches = _closest(matches, hints)
        if not matches:
            raise CorpusError(f"file {name!r} not found under --source")
        if len(matches) > 1:
            listed = ", ".join(matches[:MAX_LISTED]) + (", ..." if len(matches) > MAX_LISTED else "")
            raise CorpusError(f"{len(matches)} files named {name!r} under --source ({listed}): which one is meant?")
        self._last_found[hints] = "/".join(matches[0].split("/")[:-len(parts)])  # the next entry's first guess
        return self._inside(self.root / matches[0], name)

    def read(self, name: object, hints: Sequence[str] = ()) -> tuple[bytes, str]:
        """The bytes of the file ``name`` refers to, and its path relative to the source."""
        path = self.find(name, hints)
        return path.read_bytes(), path.relative_to(self.root).as_posix()

    def files(self) -> Iterator[str]:
        """Every file below the source (relative, sorted, links to folders not followed)."""
        for folder, subfolders, files in os.walk(self.root):
            subfolders.sort()
            relative = PurePosixPath(Path(folder).relative_to(self.root).as_posix())
            for file in sorted(files):
                yield f"{relative}/{file}" if relative.parts else file

    def _inside(self, path: Path, name: object) -> Path:
        """``path`` if it really is below the source (links followed: the file's own link, and its
        folders', resolved once per folder)."""
        folder = self._real_folders.get(path.parent)
        if folder is None:
            folder = self._real_folders[path.parent] = path.parent.resolve()
        real = path.resolve() if path.is_symlink() else folder / path.name
        if not real.is_relative_to(self.root):
            raise CorpusError(f"file name {name!r} leads outside --source")
        return path

    def _index(self, depth: int) -> dict[tuple[str, ...], list[str]]:
        """Every file below the source keyed by its last ``depth`` path parts (built once per
        depth, on the first name the layout's own folders do not hold)."""
        if depth not in self._by_tail:
            index: dict[tuple[str, ...], list[str]] = defaultdict(list)
            for relative in self.files():
                parts = tuple(relative.split("/"))
                if len(parts) >= depth:
                    index[parts[-depth:]].append(relative)
            self._by_tail[depth] = dict(index)
        return self._by_tail[depth]


def relative_parts(name: object) -> tuple[str, ...]:
    """The parts of a name that is a plain relative path; anything else is refused."""
    if not isinstance(name, str) or not name.strip():
        raise CorpusError(f"file name {name!r} is not a non-empty string")
    if "\x00" in name:
        raise CorpusError(f"file name {name!r} holds a NUL character")
    posix = PurePosixPath(name.replace("\\", "/"))
    if posix.is_absolute() or (len(name) > 1 and name[1] == ":") or ".." in posix.parts:
        raise CorpusError(f"file name {name!r} is not a relative path inside --source")
    parts = tuple(p for p in posix.parts if p != ".")
    if not parts:
        raise CorpusError(f"file name {name!r} names no file")
    return parts


def _closest(matches: list[str], hints: Sequence[str]) -> list[str]:
    """The matches whose folders share the most names with the hints (``train`` picks
    ``.../train/x.png`` over ``.../val/x.png``)."""
    words = {part.lower() for hint in hints for part in PurePosixPath(hint).parts}
    if not words:
        return matches
    scores = [len(words & {part.lower() for part in PurePosixPath(m).parts[:-1]}) for m in matches]
    best = max(scores)
    return [m for m, score in zip(matches, scores) if score == best]
