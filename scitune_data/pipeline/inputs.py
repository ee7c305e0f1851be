"""The inputs of a build: every ``*.pdf`` under the input (a folder, an archive or a URL of
either), and every PDF inside the archives found there (``.tar``, compressed tars, ``.zip``:
see :mod:`scitune_data.pipeline.archives`), in a stable order: by relative name, an archive's
members in its place, sorted by their names, as if it were unpacked there.

An archive member is named ``ARCHIVE!/MEMBER`` (``arXiv_pdf_2307_001.tar!/2307/2307.01139v2.pdf``)
and identified, as a file is, by that name and the SHA-256 of its bytes; its change stamp is the
archive's with the member's own (size, time, place), so an unchanged archive is not read again
to plan a rerun. An archive that cannot be read, or is damaged part way, is an error row naming
what was not read; the members before the damage are built as usual.

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
from scitune_data.pipeline.archives import ArchiveError, Member, is_archive_name, list_members, member_sha256

Stamp = list  # JSON-able: what changes whenever a file's bytes change
MEMBER_SEPARATOR = "!/"  # between an archive's name and a member's, in a source file name


@dataclass(frozen=True, slots=True)
class Source:
    """A PDF found under the input: a file, or a member of an archive (``location`` is then the
    archive's)."""

    location: str  # a local path (its real name) or a URL
    source_file: str  # relative to the input, printable
    member: Member | None = None
    archive_kind: str | None = None  # tar | zip | stream, for a member
    archive_stamp: Stamp = field(default_factory=list)
    paper: dict = field(default_factory=dict)  # the paper's columns (arXiv metadata), joined when written


@dataclass(frozen=True, slots=True)
class InputFile:
    index: int
    path: str  # a local path (its real name) or a URL: the file, or the archive holding the member
    source_file: str  # relative to the input folder, printable
    size: int  # -1 when the file cannot be stat'ed (a dangling link): the worker reports why
    stamp: Stamp = field(default_factory=list)
    sha256: str | None = None  # None: not hashed at planning (the worker hashes what it reads)
    duplicate_of: str | None = None
    member: Member | None = None  # set for a PDF inside an archive
    archive_kind: str | None = None
    paper: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class InputProblem:
    """Something under the input folder that was not searched: reported, never skipped."""

    where: str  # the path, relative to the input folder once discovery ends
    error_type: str
    message: str
    severity: str  # error: PDFs inside were not processed; info: nothing lost
    stage: str = "input"


class NoInputFolder(NotADirectoryError):
    """The input folder of a build is not a folder."""


class NoInputs(FileNotFoundError):
    """The input holds no PDF."""


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
        elif _is_input(entry.name):
            found.append(entry.path)


def _is_input(name: str) -> bool:
    return name.lower().endswith(".pdf") or is_archive_name(name)


def discover_inputs(root: str | Path) -> tuple[list[str], list[InputProblem]]:
    """Every ``*.pdf`` and archive below ``root`` (a folder or a URL; any case, links followed),
    sorted by relative name, and what could not be searched; ``root`` itself when it is an
    archive."""
    if is_archive_name(str(root)) and storage.is_file(root):
        return [str(root)], []
    if storage.is_remote(root):
        return storage.find_files(root, _is_input), []
    try:
        is_folder = os.stat(root) and Path(root).is_dir()
    except FileNotFoundError:
        raise NoInputFolder(f"{root} does not exist") from None
    except OSError as error:
        raise NoInputFolder(f"{root} cannot be read: {error.strerror}") from None
    if not is_folder:
        raise NoInputFolder(f"{root} is not a folder or an archive (.tar, .tar.gz, .zip)")
    found: list[str] = []
    problems: list[InputProblem] = []
    _search(str(root), frozenset({os.path.realpath(root)}), found, problems)
    found.sort(key=lambda location: _relative(location, str(root)))
    return found, [replace(problem, where=_relative(problem.where, str(root))) for problem in problems]


def _relative(location: str, root: str) -> str:
    if location == root:  # an archive given as the input
        return printable(location.rstrip("/").rsplit("/", 1)[-1])
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


def find_sources(root: str | Path, locations: list[str]) -> tuple[list[Source], list[InputProblem]]:
    """The PDFs among ``locations`` (from :func:`discover_inputs`) and those inside its
    archives, in order; an archive that cannot be read, or only in part, is a problem."""
    sources: list[Source] = []
    problems: list[InputProblem] = []
    for location in locations:
        name = _relative(location, str(root))
        if not is_archive_name(location):
            sources.append(Source(location, name))
            continue
        try:
            listing = list_members(location)
        except ArchiveError as error:
            problems.append(InputProblem(name, "ArchiveError", f"{error}: the PDFs in it are not processed", "error"))
            continue
        if listing.damage:
            problems.append(InputProblem(name, "ArchiveError", listing.damage, "error"))
        elif not listing.members:
            problems.append(InputProblem(name, "NoPdfInArchive", "holds no *.pdf entries", "info"))
        stamp = change_stamp(location)[1]
        latest = {member.name: member for member in listing.members}  # a name stored twice: the last, as tar extracts
        if len(latest) < len(listing.members):
            problems.append(InputProblem(name, "RepeatedMember", f"{len(listing.members) - len(latest)} entries repeat an "
                                         "earlier entry's name: the last of each is built, as unpacking would keep it",
                                         "info"))
        members = sorted(latest.values(), key=lambda member: member.name)
        sources.extend(Source(location, f"{name}{MEMBER_SEPARATOR}{printable(member.name)}", member, listing.kind,
                              stamp) for member in members)
    return sources, problems


def _stamp(source: Source) -> tuple[int, Stamp]:
    member = source.member
    if member is None:
        return change_stamp(source.location)
    stamp = [*source.archive_stamp, member.name, member.size, member.mtime, member.offset] if source.archive_stamp else []
    return member.size, stamp


def _hash(source: Source) -> str | None:
    if source.member is not None:
        return member_sha256(source.location, source.archive_kind, source.member)
    try:
        if storage.is_remote(source.location):
            return hashlib.sha256(storage.read_bytes(source.location)).hexdigest()
        return file_sha256(Path(source.location))
    except OSError:
        return None


def plan_inputs(sources: list[Source], recorded: Mapping[str, tuple[Stamp, str]] | None = None) -> list[InputFile]:
    """The inputs found by :func:`find_sources`, with their stamps, the hashes that matter and
    duplicates marked; ``recorded``: what earlier runs saw (source file -> stamp, hash)."""
    recorded = recorded or {}
    names = [source.source_file for source in sources]
    sizes, stamps = zip(*map(_stamp, sources)) if sources else ((), ())
    hashes: dict[int, str | None] = {}
    for index, name in enumerate(names):
        earlier = recorded.get(name)
        if earlier is not None:
            hashes[index] = earlier[1] if earlier[0] == stamps[index] and stamps[index] else _hash(sources[index])
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
            digest = hashes[index] if index in hashes else hashes.setdefault(index, _hash(sources[index]))
            if digest is None:
                continue
            original = first_seen.setdefault(digest, names[index])
            if original != names[index]:
                duplicate_of[index] = original
    return [InputFile(i, source.location, names[i], sizes[i], stamps[i],
                      hashes.get(i, source.member.sha256 if source.member else None), duplicate_of.get(i),
                      source.member, source.archive_kind, source.paper)
            for i, source in enumerate(sources)]
