"""Which papers a build, ``records`` or ``publish`` keeps: by licence (families such as ``cc-by``
or ids such as ``cc-by-4.0``), by category (globs such as ``cs.*``, matched against every
category a paper is listed in) and by the date of its first version (a range of days, months or
years). A paper the metadata does not know passes only a selection that asks nothing of it (or
names the ``unknown`` licence alone)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Mapping

from scitune_data.arxiv.licenses import FAMILIES, UNKNOWN, known_license_name, paper_license

PERIOD = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")
NO_METADATA = "no_metadata"  # reasons to drop a paper, as counted in summaries and manifests
LICENSE, CATEGORY, DATE = "license", "category", "date"


class SelectionError(ValueError):
    """A selection option that cannot be read; the message says what is expected."""


@dataclass(frozen=True, slots=True)
class PaperSelection:
    licenses: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    submitted: tuple[str, str] | None = None  # first and last ISO day, inclusive

    @property
    def needs_metadata(self) -> bool:
        return bool(self.categories or self.submitted or set(self.licenses) - {UNKNOWN})

    def as_dict(self) -> dict:
        return {"licenses": list(self.licenses), "categories": list(self.categories),
                "submitted": list(self.submitted) if self.submitted else None}

    def __bool__(self) -> bool:
        return bool(self.licenses or self.categories or self.submitted)

    def reason_to_drop(self, paper: Mapping) -> str | None:
        """Why a paper (its figures-table columns) is left out, or None to keep it."""
        if paper.get("categories") is None and self.needs_metadata:
            return NO_METADATA
        if self.licenses and not any(paper_license(paper.get("license")).matches(n) for n in self.licenses):
            return LICENSE
        if self.categories and not any(fnmatchcase(c, pattern) for c in paper.get("categories") or ()
                                       for pattern in self.categories):
            return CATEGORY
        if self.submitted and not (paper.get("published") and
                                   self.submitted[0] <= paper["published"] <= self.submitted[1]):
            return DATE
        return None


def parse_licenses(text: str | None) -> tuple[str, ...]:
    """``cc-by,cc-by-sa,cc0`` → the names, checked."""
    names = tuple(sorted({name.lower() for name in _names(text)}))
    unknown = [name for name in names if not known_license_name(name)]
    if unknown:
        raise SelectionError(f"unknown licence {', '.join(map(repr, unknown))}: use families ({', '.join(FAMILIES)}) "
                             "or Creative Commons ids such as cc-by-4.0")
    return names


def parse_categories(text: str | None) -> tuple[str, ...]:
    """``cs.*,physics.optics`` → the globs."""
    return _names(text)


def parse_dates(text: str | None) -> tuple[str, str] | None:
    """``2020..2022-06`` → ("2020-01-01", "2022-06-30"); one period alone is itself a range;
    either end may be left open (``2023-03..``, ``..2019``)."""
    if not text:
        return None
    first, separator, last = text.partition("..")
    if not separator:
        first = last = text
    start = _period(first.strip(), end=False) if first.strip() else "0000-01-01"
    stop = _period(last.strip(), end=True) if last.strip() else "9999-12-31"
    if start > stop:
        raise SelectionError(f"{text!r}: the range ends before it starts")
    return start, stop


def _names(text: str | None) -> tuple[str, ...]:
    return tuple(sorted({part.strip() for part in (text or "").split(",") if part.strip()}))


def _period(text: str, end: bool) -> str:
    match = PERIOD.match(text)
    if match is None:
        raise SelectionError(f"{text!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD, ranges as FROM..TO")
    year, month, day = int(match["year"]), int(match["month"] or (12 if end else 1)), match["day"]
    if not 1 <= month <= 12:
        raise SelectionError(f"{text!r}: no month {month}")
    last_day = calendar.monthrange(year, month)[1]
    day_number = int(day) if day else (last_day if end else 1)
    if not 1 <= day_number <= last_day:
        raise SelectionError(f"{text!r}: no such day")
    return f"{year:04d}-{month:02d}-{day_number:02d}"
