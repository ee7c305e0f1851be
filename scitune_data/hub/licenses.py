"""The card's licence: the identifiers the Hub's card metadata accepts and the custom-licence
fields it wants with ``license: other`` (papers' own licences: :mod:`scitune_data.arxiv.licenses`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The Hub's licence identifiers (https://huggingface.co/docs/hub/repositories-licenses).
HUB_LICENSES = frozenset("""
apache-2.0 mit openrail bigscience-openrail-m creativeml-openrail-m bigscience-bloom-rail-1.0 bigcode-openrail-m
afl-3.0 artistic-2.0 bsl-1.0 bsd bsd-2-clause bsd-3-clause bsd-3-clause-clear c-uda cc cc0-1.0 cc-by-2.0 cc-by-2.5
cc-by-3.0 cc-by-4.0 cc-by-sa-3.0 cc-by-sa-4.0 cc-by-nc-2.0 cc-by-nc-3.0 cc-by-nc-4.0 cc-by-nd-4.0 cc-by-nc-nd-3.0
cc-by-nc-nd-4.0 cc-by-nc-sa-2.0 cc-by-nc-sa-3.0 cc-by-nc-sa-4.0 cdla-sharing-1.0 cdla-permissive-1.0
cdla-permissive-2.0 wtfpl ecl-2.0 epl-1.0 epl-2.0 etalab-2.0 eupl-1.1 eupl-1.2 agpl-3.0 gfdl gpl gpl-2.0 gpl-3.0 lgpl
lgpl-2.1 lgpl-3.0 isc h-research intel-research lppl-1.3c ms-pl apple-ascl apple-amlr mpl-2.0 odc-by odbl openrail++
osl-3.0 postgresql ofl-1.1 ncsa unlicense zlib pddl lgpl-lr deepfloyd-if-license fair-noncommercial-research-license
llama2 llama3 llama3.1 llama3.2 llama3.3 llama4 gemma unknown other
""".split())
LICENSE_NAME = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")
DEFAULT_LICENSE_NAME = "source-papers-licences"
LICENSE_FILE = "LICENSE.md"  # staged in the repository when the licence is "other" without a link of the user's

class LicenseError(ValueError):
    """Licence fields the Hub would not accept; the message says which and how to fix it."""


@dataclass(frozen=True, slots=True)
class CardLicense:
    """The card's licence: a Hub identifier, and for ``other`` a name and a link (a URL or a file
    in the repository; by default a ``LICENSE.md`` written beside the card)."""

    id: str = "other"
    name: str | None = None
    link: str | None = None

    def checked(self) -> CardLicense:
        if self.id not in HUB_LICENSES:
            raise LicenseError(f"{self.id!r} is not a Hub licence identifier (apache-2.0, cc-by-4.0, cc-by-sa-4.0, "
                               "cc0-1.0, ...); for another licence use --license other with --license-name and "
                               "--license-link")
        if self.id != "other":
            if self.name or self.link:
                raise LicenseError("--license-name and --license-link go with --license other only")
            return self
        name = self.name or DEFAULT_LICENSE_NAME
        if not LICENSE_NAME.match(name):
            raise LicenseError(f"--license-name {name!r}: lowercase letters, digits, '-' and '.' only "
                               "(e.g. my-license-1.0)")
        return CardLicense("other", name, self.link or LICENSE_FILE)

    def metadata(self) -> dict:
        fields = {"license": self.id}
        if self.id == "other":
            fields.update(license_name=self.name, license_link=self.link)
        return fields

    @property
    def needs_file(self) -> bool:
        return self.id == "other" and self.link == LICENSE_FILE

