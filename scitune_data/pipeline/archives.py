"""PDFs inside archives (``.tar``, as arXiv's bulk PDF archives are; compressed tars; ``.zip``),
local or at fsspec URLs, read in place: nothing is unpacked to disk.

How an archive is read depends on what it is (told by its first bytes, not its name):

- a plain tar has an index of headers, each followed by its member's bytes: listing it reads
  the headers only (seeking past the data), and a member is read from its offset alone, so a
  batch of members reads just their bytes (a ranged request on an object store);
- a zip has a central directory at its end: listing reads it, a member is read by name (its
  CRC checked: a damaged member is an error of its own, the others are read);
- a compressed tar (gzip, bzip2, xz) can only be read front to back: listing reads it whole and
  hashes each member on the way, and reading the members streams it again in its own order.

Damage is reported, never a silent end: a tar header that is not one (tarfile stops there as if
the archive had ended) or a stream that breaks off ends the listing with the reason, and the
members before it are read as usual.
"""

from __future__ import annotations

import hashlib
import lzma
import tarfile
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO, Iterator

from scitune_data import storage

ARCHIVE_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".zip")
COMPRESSED = (b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00")  # gzip, bzip2, xz
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
HEADER_BLOCK = 512
HEADER_FETCH = 64 << 10  # bytes an object store fetches per request while headers are read
STREAM_ERRORS = (tarfile.TarError, EOFError, OSError, zlib.error, lzma.LZMAError)


class ArchiveError(Exception):
    """An archive, or a member of it, that cannot be read; the message says why."""


@dataclass(frozen=True, slots=True)
class Member:
    """A PDF inside an archive."""

    name: str  # as the archive stores it
    size: int
    offset: int | None = None  # where its bytes start (plain tars); None: read by name or by streaming
    mtime: int = 0
    sha256: str | None = None  # known when listing read the bytes (compressed tars)


@dataclass(frozen=True, slots=True)
class Listing:
    kind: str  # tar | zip | stream
    members: list[Member]
    damage: str | None = None  # why listing stopped early: the members after that point are not read


def is_archive_name(name: str) -> bool:
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def _is_pdf(name: str) -> bool:
    return name.lower().endswith(".pdf")


def archive_kind(head: bytes) -> str:
    """tar, zip or stream (a compressed tar), from an archive's first bytes."""
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(COMPRESSED):
        return "stream"
    return "tar"


def list_members(location: str) -> Listing:
    """The PDFs in the archive at ``location`` in the archive's order, and any damage met."""
    try:
        with storage.open_input(location, HEADER_FETCH) as handle:
            kind = archive_kind(handle.read(HEADER_BLOCK))
            handle.seek(0)
            if kind == "zip":
                return Listing(kind, _zip_members(handle))
            if kind == "tar":
                return _tar_listing(handle)
        return _stream_listing(location)
    except (tarfile.TarError, zipfile.BadZipFile) as error:
        raise ArchiveError(f"not a tar or zip archive, or damaged at its start ({error})") from None
    except OSError as error:
        raise ArchiveError(f"cannot be read ({error.strerror or error})") from None


def _zip_members(handle: BinaryIO) -> list[Member]:
    with zipfile.ZipFile(handle) as archive:
        return [Member(info.filename, info.file_size, None, _zip_time(info)) for info in archive.infolist()
                if not info.is_dir() and _is_pdf(info.filename)]


def _zip_time(info: zipfile.ZipInfo) -> int:
    year, month, day, hour, minute, second = info.date_time
    return ((((year * 100 + month) * 100 + day) * 100 + hour) * 100 + minute) * 100 + second


def _tar_listing(handle: BinaryIO) -> Listing:
    size = handle.seek(0, 2)
    handle.seek(0)
    members, damage = [], None
    with tarfile.open(fileobj=handle, mode="r:") as archive:
        while True:
            try:
                info = archive.next()
            except tarfile.TarError as error:
                damage = f"damaged at byte {archive.offset} ({error}): the entries after it are not read"
                break
            if info is None:
                break
            if info.isreg() and _is_pdf(info.name):
                members.append(Member(info.name, info.size, info.offset_data, int(info.mtime)))
        end = archive.offset
    if damage is None:
        handle.seek(end)
        block = handle.read(HEADER_BLOCK)
        if block.strip(b"\0"):  # tarfile stops at a header that is not one, as if the archive had ended
            damage = f"damaged at byte {end} (not an entry header): the entries after it are not read"
        elif members and members[-1].offset + members[-1].size > size:
            damage = f"truncated at byte {size}, inside {members[-1].name}"
    return Listing("tar", members, damage)


def _stream_listing(location: str) -> Listing:
    members, damage, where = [], None, "at its start"
    with _tar_stream(location) as archive:
        try:
            for info in archive:
                where = f"inside {info.name}"
                if info.isreg() and _is_pdf(info.name):
                    data = _read_entry(archive, info)
                    members.append(Member(info.name, info.size, None, int(info.mtime), hashlib.sha256(data).hexdigest()))
                where = f"after {info.name}"
        except STREAM_ERRORS as error:
            damage = f"damaged {where} ({type(error).__name__}: {error}): the entries after it are not read"
    return Listing("stream", members, damage)


@contextmanager
def _tar_stream(location: str) -> Iterator[tarfile.TarFile]:
    """A compressed tar read front to back."""
    with storage.open_input(location) as handle:
        try:
            archive = tarfile.open(fileobj=handle, mode="r|*")
        except STREAM_ERRORS as error:
            raise ArchiveError(f"not a compressed tar archive ({error})") from None
        with archive:
            yield archive


def _read_entry(archive: tarfile.TarFile, info: tarfile.TarInfo) -> bytes:
    extracted = archive.extractfile(info)
    data = extracted.read() if extracted is not None else b""
    if len(data) != info.size:
        raise EOFError(f"{info.name} ends after {len(data)} of its {info.size} bytes")
    return data


def read_members(location: str, kind: str, members: list[Member]) -> Iterator[tuple[Member, bytes | ArchiveError]]:
    """Each member's bytes, or why they cannot be read: in the order given for tars and zips,
    in the archive's own order for compressed tars (streamed once for all of them)."""
    if not members:
        return
    if kind == "stream":
        yield from _streamed(location, members)
        return
    try:
        handle = storage.open_input(location)
    except OSError as error:
        failure = ArchiveError(f"the archive cannot be read ({error.strerror or error})")
        yield from ((member, failure) for member in members)
        return
    with handle:
        if kind == "zip":
            yield from _zipped(handle, members)
        else:
            for member in members:
                yield member, _at_offset(handle, member)


def _at_offset(handle: BinaryIO, member: Member) -> bytes | ArchiveError:
    try:
        handle.seek(member.offset)
        data = handle.read(member.size)
    except OSError as error:
        return ArchiveError(f"cannot be read from the archive ({error.strerror or error})")
    if len(data) != member.size:
        return ArchiveError(f"truncated: the archive ends {len(data)} bytes into its {member.size}")
    return data


def _zipped(handle: BinaryIO, members: list[Member]) -> Iterator[tuple[Member, bytes | ArchiveError]]:
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError) as error:
        failure = ArchiveError(f"the archive cannot be read ({error})")
        yield from ((member, failure) for member in members)
        return
    with archive:
        for member in members:
            try:
                yield member, archive.read(member.name)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, NotImplementedError) as error:
                yield member, ArchiveError(f"cannot be unpacked ({type(error).__name__}: {error})")


def _streamed(location: str, members: list[Member]) -> Iterator[tuple[Member, bytes | ArchiveError]]:
    wanted = {member.name: member for member in members}
    try:
        with _tar_stream(location) as archive:
            for info in archive:
                member = wanted.get(info.name)
                if member is None:
                    continue
                data = _read_entry(archive, info)
                if member.sha256 is not None and hashlib.sha256(data).hexdigest() != member.sha256:
                    continue  # an earlier entry under the same name: the listing kept the last
                del wanted[info.name]
                yield member, data
                if not wanted:
                    return
    except ArchiveError as error:
        failure = error
    except STREAM_ERRORS as error:
        failure = ArchiveError(f"the archive is damaged before this entry ({type(error).__name__}: {error})")
    else:
        failure = ArchiveError("not in the archive any more (it changed since it was listed)")
    for member in wanted.values():
        yield member, failure


def member_sha256(location: str, kind: str, member: Member) -> str | None:
    """The SHA-256 of a member's bytes (None when they cannot be read)."""
    if member.sha256 is not None:
        return member.sha256
    for _, data in read_members(location, kind, [member]):
        return None if isinstance(data, ArchiveError) else hashlib.sha256(data).hexdigest()
    return None
