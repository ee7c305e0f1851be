"""Figure and table labels as printed ("Figure 3:", "FIG. 2.", "TABLE IV", "Scheme S1",
"Appendix Table 1", small caps "F IGURE 1") and the fonts text is set in."""

from __future__ import annotations

import re
from dataclasses import dataclass

from scitune_data.figures.rows import Row

LABEL = re.compile(
    r"""^(?P<prefix>(?:Supplementary|Supplemental|SUPPLEMENTARY|Extended\s+Data|EXTENDED\s+DATA
                   |Appendix|APPENDIX)\s+)?
    (?P<word>Figure|FIGURE|Fig|FIG|Table|TABLE|Tab|TAB|Scheme|SCHEME)(?P<dot>\.)?[ \t\u00a0]*
    (?P<number>(?:[A-Z]{1,2}[.\-]?)?\d+(?:\.\d+)*|[IVXLC]+\b)?
    (?P<rest>.*)$""",
    re.X | re.S,
)
SMALL_CAPS = re.compile(r"^(F) ?(IG(?:URE)?|ig(?:ure)?)\b|^(T) ?(ABLE|able)\b|^(S) ?(CHEME|cheme)\b")
NOTE_MARK = re.compile(r"^\s*[*\u2217\u2020\u2021\u00a7\u00b6#]")  # a footnote starts with *, ∗, †, ‡, §, ¶
DELIMITER = re.compile(r"^\s*([:.|\u2014\u2013]|-\s)")
PREFIXES = {"supplementary": "Supplementary", "supplemental": "Supplementary", "extended": "Extended Data",
            "appendix": "Appendix"}
SIZE_TOLERANCE = 0.6  # points: a row this close to the body size is set in the body size


@dataclass(frozen=True, slots=True)
class Label:
    kind: str  # "figure" | "table"
    name: str  # canonical: "Figure 3", "Table IV", "Supplementary Figure S1", "Scheme 1"
    delimiter: str  # ":" "." ... or "" when none
    alone: bool  # nothing but its delimiter follows the label on its row

    @property
    def figure_id(self) -> str:
        return self.name.replace("Supplementary ", "Supp").replace(" ", "")


@dataclass(frozen=True, slots=True)
class TextStyle:
    """What body prose looks like in this document: font and size carrying most characters."""

    font: str
    size: float

    def matches(self, row: Row) -> bool:
        return abs(row.size - self.size) <= SIZE_TOLERANCE and row.font == self.font


def label_match(text: str) -> re.Match[str] | None:
    text = SMALL_CAPS.sub(lambda m: "".join(g for g in m.groups() if g), text.lstrip(), count=1)
    return LABEL.match(text)


def strip_label(caption: str) -> str:
    """The caption without its leading label and the delimiter after it."""
    match = label_match(caption)
    if not match:
        return caption.strip()
    rest = match["rest"]
    delimiter = DELIMITER.match(rest)
    return (rest[delimiter.end():] if delimiter else rest).strip()


def parse_label(text: str) -> Label | None:
    match = label_match(text)
    if not match:
        return None
    word, number, rest = match["word"].lower(), match["number"], match["rest"]
    delimiter = DELIMITER.match(rest)
    if number is None and not (match["dot"] or delimiter and delimiter.group(1) == ":"):
        return None  # a bare word is a label only when set as one: "Table." or "Figure:"
    if number and rest[:1].isalnum() and not number[-1].isalpha():
        return None  # "Figure 3a", "Table 12345abc": not a plain label
    kind = "table" if word.startswith("tab") else "figure"
    noun = "Scheme" if word == "scheme" else kind.capitalize()
    prefix = PREFIXES[match["prefix"].split()[0].lower()] + " " if match["prefix"] else ""
    name = f"{prefix}{noun} {number}" if number else f"{prefix}{noun}"
    mark = delimiter.group(1).strip() if delimiter else "." if number is None else ""
    after = rest[delimiter.end():] if delimiter else rest
    return Label(kind, name, mark, not after.strip())
