"""The arXiv metadata snapshot (``arxiv-metadata-oai-snapshot.json``: one JSON object a line,
``id``, ``title``, ``categories``, ``license``, ``versions``, ``update_date``, ...; over 4 GB),
read as a stream for the papers a build needs and nothing else.

Each line's id is read from its first bytes (the snapshot writes ``"id"`` first) and only lines
of wanted papers are parsed, so a pass costs about what reading the file costs and memory holds
the wanted papers only. A line that is not a JSON object with an id is counted, never fatal.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Collection, Mapping

from scitune_data import storage
from scitune_data.arxiv.ids import PaperName

LEADING_ID = re.compile(rb'^\s*\{\s*"id"\s*:\s*"((?:[^"\\]|\\.)*)"')
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# The columns the metadata adds to the figures table and the records (schemas figures-1.3, records-1.1).
PAPER_COLUMNS = ("title", "categories", "primary_category", "license", "version", "published", "update_date")


@dataclass(frozen=True, slots=True)
class PaperMetadata:
    title: str | None = None
    categories: tuple[str, ...] = ()  # the primary category first, as arXiv lists them
    license: str | None = None  # the statement as given (a URL), None when there is none
    latest_version: str | None = None
    published: str | None = None  # ISO date of the first version
    update_date: str | None = None  # ISO date

    @classmethod
    def from_snapshot(cls, entry: Mapping) -> PaperMetadata:
        versions = [v.get("version") for v in entry.get("versions") or [] if isinstance(v, dict)]
        first = (entry.get("versions") or [{}])[0]
        categories = entry.get("categories")
        return cls(title=" ".join(str(entry.get("title") or "").split()) or None,
                   categories=tuple(categories.split()) if isinstance(categories, str) else (),
                   license=entry.get("license") or None,
                   latest_version=versions[-1] if versions and isinstance(versions[-1], str) else None,
                   published=_iso_day(first.get("created") if isinstance(first, dict) else None),
                   update_date=_checked_day(entry.get("update_date")))


def _iso_day(created: object) -> str | None:
    """``Sun, 1 Dec 2019 18:22:14 GMT`` (the snapshot's version dates) as ``2019-12-01``."""
    try:
        return parsedate_to_datetime(str(created)).date().isoformat() if created else None
    except (TypeError, ValueError):
        return None


def _checked_day(text: object) -> str | None:
    return text if isinstance(text, str) and ISO_DATE.match(text) else None


def paper_columns(name: PaperName, metadata: PaperMetadata | None) -> dict:
    """The paper's columns of a figures-table row: the version its file name says (else the
    latest the metadata lists), and what the metadata knows (nulls without it)."""
    found = metadata or PaperMetadata()
    return {"title": found.title, "categories": list(found.categories) if metadata else None,
            "primary_category": found.categories[0] if found.categories else None, "license": found.license,
            "version": name.version or found.latest_version, "published": found.published,
            "update_date": found.update_date}


@dataclass(slots=True)
class SnapshotLookup:
    """The wanted papers found in a snapshot, and the lines that could not be read."""

    papers: dict[str, PaperMetadata] = field(default_factory=dict)
    lines: int = 0
    bad_lines: int = 0
    first_bad_line: int | None = None


def read_snapshot(location: str, wanted: Collection[str]) -> SnapshotLookup:
    """Stream the snapshot at ``location`` (a local path or an fsspec URL; ``.gz``, ``.bz2``,
    ``.xz`` are decompressed as read) and keep the entries of the ``wanted`` ids."""
    wanted = set(wanted)
    lookup = SnapshotLookup()
    with storage.open_stream(location) as lines:
        for number, line in enumerate(lines, start=1):
            lookup.lines = number
            if not line.strip():
                continue
            match = LEADING_ID.match(line)
            if match is not None and _unescaped(match.group(1)) not in wanted:
                continue
            entry = _entry(line)
            if entry is None:
                lookup.bad_lines += 1
                lookup.first_bad_line = lookup.first_bad_line or number
            elif entry["id"] in wanted:
                lookup.papers[entry["id"]] = PaperMetadata.from_snapshot(entry)
    return lookup


def _unescaped(raw: bytes) -> str:
    return json.loads(b'"' + raw + b'"') if b"\\" in raw else raw.decode("utf-8", "replace")


def _entry(line: bytes) -> dict | None:
    try:
        entry = json.loads(line)
    except ValueError:
        return None
    return entry if isinstance(entry, dict) and isinstance(entry.get("id"), str) else None
