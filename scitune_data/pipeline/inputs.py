"""The inputs of a build: every ``*.pdf`` under the folder, in a stable order.

Discovery follows links to folders (a link that leads back into its own path is reported, not
followed) and reports a folder it cannot read instead of skipping it silently. A name that is not
UTF-8 (bytes a file system allows but text cannot hold) is carried with its odd bytes escaped
(``caf\\xe9.pdf``), so every output can hold it; the file itself is opened by its real name.

Each input carries a change stamp (size, mtime, ctime and inode of a local file; what the
store reports for a URL) and, when known, the SHA-256 of its bytes. Files are hashed here only
when it matters: files that share a size (possible duplicates, the later ones skipped) and
files an earlier run recorded under another stamp (changed, or only touched?). An unchanged
stamp reuses the recorded hash, so planning a rerun of a million PDFs reads none of them.
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

from scitune_data import storage
from scitune_data.hashing import file_sha256

Stamp = list  # JSON-able: what changes whenever a file's bytes change


@dataclass(frozen=True, slots=True)
class InputFile:
    index: int
    path: str  # a local path (its real name) or a URL
    source_file: str  # relative to the input folder, printable
    size: int  # -1 when the file cannot be stat'ed (a dangling link): the worker reports why
    stamp: Stamp = field(default_factory=list)
    sha256: str | None = None  # None: not hashed at planning (the worker hashes what it reads)
    duplicate_of: str | None = None


@dataclass(frozen=True, slots=True)
class InputProblem:
    """Something under the input folder that was not searched: reported, never skipped."""

    where: str  # the path, relative to the input folder once discovery ends
    error_type: str
    message: str
    severity: str  # error: PDFs inside were not processed; info: nothing lost


class NoInputFolder(NotADirectoryError):
    """The input folder of a build is not a folder."""


class NoInputs(FileNotFoundError):
    """The input folder holds no PDF."""


def printable(name: str) -> str:
    """``name`` with bytes that are not UTF-8 escaped (``caf\\xe9.pdf``); UTF-8 names unchanged."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def _search(folder: str, ancestors: frozenset[str], found: list[str], problems: list[InputProblem]) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        problems.append(InputProblem(folder, type(error).__name__, f"cannot be searched ({error.strerror}): "
                                     "PDFs in it are not processed", "error"))
        return
    for entry in entries:
        try:
            is_folder = entry.is_dir()  # follows links
        except OSError as error:
            problems.append(InputProblem(entry.path, type(error).__name__, f"cannot be read ({error.strerror})",
                                         "error"))
            continue
        if is_folder:
            real = os.path.realpath(entry.path)
            if real in ancestors:
                problems.append(InputProblem(entry.path, "LinkLoop", f"a link to {real}, a folder it is inside: "
                                             "not followed (a loop)", "info"))
            else:
                _search(entry.path, ancestors | {real}, found, problems)
        elif entry.name.lower().endswith(".pdf"):
            found.append(entry.path)


def discover_pdfs(root: str | Path) -> tuple[list[str], list[InputProblem]]:
    """Every ``*.pdf`` below ``root`` (a folder or a URL; any case, links followed), sorted by
    relative name, and what could not be searched."""
    if storage.is_remote(root):
        return storage.list_pdfs(root), []
    try:
        is_folder = os.stat(root) and Path(root).is_dir()
    except FileNotFoundError:
        raise NoInputFolder(f"{root} does not exist") from None
    except OSError as error:
        raise NoInputFolder(f"{root} cannot be read: {error.strerror}") from None
    if not is_folder:
        raise NoInputFolder(f"{root} is not a folder")
    found: list[str] = []
    problems: list[InputProblem] = []
    _search(str(root), frozenset({os.path.realpath(root)}), found, problems)
    found.sort(key=lambda location: _relative(location, str(root)))
    return found, [replace(problem, where=_relative(problem.where, str(root))) for problem in problems]


def _relative(location: str, root: str) -> str:
    if storage.is_remote(root):
        return location[len(root.rstrip("/")) + 1:]
    return printable(Path(os.path.relpath(location, root)).as_posix())


def change_stamp(location: str) -> tuple[int, Stamp]:
    """Size and change stamp of a file (-1 and an empty stamp when it cannot be stat'ed)."""
    try:
        if storage.is_remote(location):
            fs, path = storage._fs(location)  # noqa: SLF001 - the one place file details are needed
            info = fs.info(path)
            return int(info["size"]), [str(info.get(key)) for key in sorted(info) if key in REMOTE_STAMP]
        status = os.stat(location)
    except OSError:
        return -1, []
    return status.st_size, [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]


REMOTE_STAMP = {"ETag", "etag", "LastModified", "last_modified", "mtime", "generation", "md5Hash", "ino"}


def _hash(location: str) -> str | None:
    try:
        if storage.is_remote(location):
            return hashlib.sha256(storage.read_bytes(location)).hexdigest()
        return file_sha256(Path(location))
    except OSError:
        return None


def plan_inputs(root: str | Path, locations: list[str], recorded: Mapping[str, tuple[Stamp, str]] | None = None,
                ) -> list[InputFile]:
    """The inputs found by :func:`discover_pdfs`, with their stamps, the hashes that matter and
    duplicates marked; ``recorded``: what earlier runs saw (source file -> stamp, hash)."""
    recorded = recorded or {}
    names = [_relative(location, str(root)) for location in locations]
    sizes, stamps = zip(*(change_stamp(location) for location in locations)) if locations else ((), ())
    hashes: dict[int, str | None] = {}
    for index, name in enumerate(names):
        earlier = recorded.get(name)
        if earlier is not None:
            hashes[index] = earlier[1] if earlier[0] == stamps[index] and stamps[index] else _hash(locations[index])
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
            digest = hashes[index] if index in hashes else hashes.setdefault(index, _hash(locations[index]))
            if digest is None:
                continue
            original = first_seen.setdefault(digest, names[index])
            if original != names[index]:
                duplicate_of[index] = original
    return [InputFile(i, location, names[i], sizes[i], stamps[i], hashes.get(i), duplicate_of.get(i))
            for i, location in enumerate(locations)]
