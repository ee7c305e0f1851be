"""The licences arXiv papers carry, read from the statement the metadata snapshot gives (a URL,
or nothing), and which of them let anyone redistribute a paper's figures.

Creative Commons URLs are read by their parts (``licenses/by-nc-sa/3.0`` is ``cc-by-nc-sa-3.0``
whatever the host's scheme or trailing slash), so a version arXiv adds later is read too. arXiv's
own licence (``nonexclusive-distrib``) grants arXiv alone the right to distribute; papers from
before 2004 carry an assumed licence of the same kind (or no statement at all).

A licence has an id (``cc-by-4.0``, a Hub identifier where one exists) and a family
(``cc-by``): a selection names either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CREATIVE_COMMONS = re.compile(r"creativecommons\.org/licenses/(?P<terms>by(?:-nc)?(?:-sa|-nd)?)/(?P<version>\d\.\d)")
CC_ZERO = re.compile(r"creativecommons\.org/publicdomain/zero/(?P<version>\d\.\d)")
CC_PUBLIC_DOMAIN = re.compile(r"creativecommons\.org/(?:licenses/publicdomain|publicdomain/mark)")
ARXIV = re.compile(r"arxiv\.org/licenses/nonexclusive-distrib")
ARXIV_ASSUMED = re.compile(r"arxiv\.org/licenses/assumed")

CC_VERSIONS = r"1\.0|2\.0|2\.5|3\.0|4\.0"  # the versions of the Creative Commons licences
UNKNOWN = "unknown"  # no statement (no metadata, or a paper from before arXiv recorded one)
OTHER = "other"  # a statement that is none of the licences below
FAMILIES = ("cc-by", "cc-by-sa", "cc-by-nc", "cc-by-nc-sa", "cc-by-nc-nd", "cc-by-nd", "cc0", "public-domain",
            "arxiv", "arxiv-assumed", OTHER, UNKNOWN)
# What lets anyone share a paper's figures (adapted, e.g. cropped) for any purpose, with attribution.
REDISTRIBUTABLE = frozenset({"cc-by", "cc-by-sa", "cc0", "public-domain"})


@dataclass(frozen=True, slots=True)
class PaperLicense:
    id: str  # cc-by-4.0, cc0-1.0, arxiv, ... (the statement itself for an unknown URL)
    family: str  # one of FAMILIES

    @property
    def redistributable(self) -> bool:
        return self.family in REDISTRIBUTABLE

    def matches(self, name: str) -> bool:
        """True when ``name`` (a family or an id, as a selection gives it) covers this licence."""
        return name in (self.family, self.id)


def paper_license(statement: str | None) -> PaperLicense:
    """The licence a paper's statement (the snapshot's ``license`` field) names."""
    text = (statement or "").strip().lower()
    if not text:
        return PaperLicense(UNKNOWN, UNKNOWN)
    if match := CREATIVE_COMMONS.search(text):
        family = f"cc-{match['terms']}"
        return PaperLicense(f"{family}-{match['version']}", family)
    if match := CC_ZERO.search(text):
        return PaperLicense(f"cc0-{match['version']}", "cc0")
    if CC_PUBLIC_DOMAIN.search(text):
        return PaperLicense("public-domain", "public-domain")
    if ARXIV.search(text):
        return PaperLicense("arxiv", "arxiv")
    if ARXIV_ASSUMED.search(text):
        return PaperLicense("arxiv-assumed", "arxiv-assumed")
    return PaperLicense(statement.strip(), OTHER)


def known_license_name(name: str) -> bool:
    """True for a name a selection may use: a family, or an id of a Creative Commons licence."""
    return name in FAMILIES or bool(re.fullmatch(rf"cc-by(-nc)?(-sa|-nd)?-(?:{CC_VERSIONS})|cc0-1\.0", name))
