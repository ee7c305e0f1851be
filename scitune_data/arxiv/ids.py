"""arXiv ids from file names, as arXiv names its PDFs (in its bulk archives and downloads).

- New style (April 2007 on): ``YYMM.NNNN`` (to 2014) or ``YYMM.NNNNN``, ``2307.01139v2.pdf``.
- Old style (1991 to March 2007): ``archive/YYMMNNN``, written into a file name without the
  slash, ``hep-th9901001v1.pdf`` (bulk archives), or with an underscore, ``hep-th_9901001.pdf``;
  a subject class (``math.AG0101001``) is not part of the id.

The version (``v2``) is kept apart from the id: the id names the paper, the version the PDF.
A name that carries no id is its own id (the file stem), without version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

# The archives of old-style ids (a closed set: new papers get new-style ids).
OLD_ARCHIVES = (
    "acc-phys", "adap-org", "alg-geom", "ao-sci", "astro-ph", "atom-ph", "bayes-an", "chao-dyn", "chem-ph", "cmp-lg",
    "comp-gas", "cond-mat", "cs", "dg-ga", "funct-an", "gr-qc", "hep-ex", "hep-lat", "hep-ph", "hep-th", "math",
    "math-ph", "mtrl-th", "nlin", "nucl-ex", "nucl-th", "patt-sol", "physics", "plasm-ph", "q-alg", "q-bio",
    "quant-ph", "solv-int", "supr-con",
)
VERSION = r"(?:v(?P<version>[1-9]\d*))?"
NEW_STYLE = re.compile(rf"(?<![\d.])(?P<id>\d{{4}}\.\d{{4,5}}){VERSION}(?!\d)")
OLD_STYLE = re.compile(
    rf"(?<![A-Za-z-])(?P<archive>{'|'.join(sorted(map(re.escape, OLD_ARCHIVES), key=len, reverse=True))})"
    rf"(?:\.[A-Z]{{2}})?[/_]?(?P<number>\d{{7}}){VERSION}(?!\d)")


@dataclass(frozen=True, slots=True)
class PaperName:
    """What a file name says of its paper: the id, and the version when it names one (``v2``)."""

    id: str
    version: str | None = None
    is_arxiv: bool = True


def paper_name(file_name: str) -> PaperName:
    """The arXiv id and version a PDF's file name carries (the last path part is read, so an
    archive member's full name works too); the stem when it carries none."""
    stem = PurePosixPath(file_name).name
    stem = stem[:-4] if stem.lower().endswith(".pdf") else stem
    return _arxiv_name(stem, NEW_STYLE.search, OLD_STYLE.search) or PaperName(stem, None, is_arxiv=False)


def arxiv_id_of(text: str) -> PaperName | None:
    """The id (and version) when ``text`` is an arXiv id as a whole: ``2307.01139``,
    ``1234.5678v1``, ``hep-th/9901001v2``; None for anything else."""
    return _arxiv_name(text, NEW_STYLE.fullmatch, OLD_STYLE.fullmatch)


def _arxiv_name(text: str, new_style, old_style) -> PaperName | None:
    if match := new_style(text):
        return PaperName(match["id"], _version(match))
    if match := old_style(text):
        return PaperName(f"{match['archive']}/{match['number']}", _version(match))
    return None


def _version(match: re.Match) -> str | None:
    return f"v{match['version']}" if match["version"] else None
