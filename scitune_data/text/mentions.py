"""Mention finder: which body paragraphs (and sentences) refer to which figure or table.

Understands "Figure 3", "Fig. 3", "Fig.~3" (a non-breaking space in the PDF), "Figs. 3 and 4",
"Figures 2-4", "Fig. 3(a)", "Fig. 3a", "Table 2", "Tab. 2", "Table IV", "(see Fig. S1)". Numbers
are compared whole, so "Figure 2" never matches "Figure 21".
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from scitune_data.text.paragraphs import Paragraph
from scitune_data.text.sentences import split_sentences

ITEM = r"(?:[A-Z]\.?)?\d+(?:\.\d+)?[a-z]?(?:\s?\([a-zA-Z0-9ivx]+\))?|[IVXLC]+\b"
JOIN = r"\s*(?:,\s*(?:and\s+|&\s*)?|and\s+|&\s*|[-–—]\s*|to\s+)"
REFERENCE = re.compile(
    rf"(?<![\w.])(?P<word>Figures?\.?|Figs?\.?|FIGURES?\.?|FIGS?\.?|Tables?\.?|Tabs?\.|TABLES?\.?)\s*"
    rf"(?P<items>(?:{ITEM})(?:{JOIN}(?:{ITEM}))*)"
)
ITEM_PARTS = re.compile(r"(?P<prefix>[A-Z]\.?)?(?P<number>\d+(?:\.\d+)?)|(?P<roman>[IVXLC]+)\b")
RANGE = re.compile(r"[-–—]|\bto\b")
QUOTES = set("\"'“”‘’«»")
MAX_RANGE = 50  # "Figures 2-4" expands; "Figures 2-4000" is not a range of figures


@dataclass(frozen=True, slots=True)
class FigureKey:
    kind: str  # figure | table
    number: str  # "3", "S1", "A.2", "IV"


@dataclass(slots=True)
class Mentions:
    paragraphs: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)


def key_for_label(kind: str, name: str) -> FigureKey:
    """``("figure", "Supplementary Figure S1")`` → ``FigureKey("figure", "S1")``."""
    return FigureKey(kind, _normal_number(name.split()[-1]))


def _normal_number(number: str) -> str:
    """One spelling per number: "A.2" and "A2" are the same appendix figure."""
    return re.sub(r"^([A-Z])\.(?=\d)", r"\1", number)


def parse_references(text: str) -> list[FigureKey]:
    """Every figure/table a text refers to, ranges expanded, in order of appearance."""
    found: list[FigureKey] = []
    for match in REFERENCE.finditer(text):
        if _quoted(text, match.start(), match.end()):
            continue  # ‘Figure 1:’ named as a string, not a reference to this paper's figure
        kind = "table" if match["word"].lower().startswith("tab") else "figure"
        items = match["items"]
        parts = list(ITEM_PARTS.finditer(items))
        for index, part in enumerate(parts):
            if part["roman"]:
                if kind == "table" or part["roman"] not in ("I", "C", "L"):
                    found.append(FigureKey(kind, part["roman"]))
                continue
            number = _normal_number((part["prefix"] or "") + part["number"])
            found.append(FigureKey(kind, number))
            following = parts[index + 1] if index + 1 < len(parts) else None
            between = items[part.end():following.start()] if following else ""
            if following and following["number"] and RANGE.search(between) and not part["prefix"]:
                low, high = int(float(part["number"])), int(float(following["number"]))
                if part["number"].isdigit() and following["number"].isdigit() and 0 < high - low <= MAX_RANGE:
                    found.extend(FigureKey(kind, str(n)) for n in range(low + 1, high))
    return found


def _quoted(text: str, start: int, end: int) -> bool:
    before = text[start - 1:start]
    after = text[end:end + 2].lstrip(":.")[:1]
    return before in QUOTES or after in QUOTES


def find_mentions(paragraphs: list[Paragraph], keys: set[FigureKey]) -> dict[FigureKey, Mentions]:
    """For each wanted key, the paragraphs and sentences that refer to it."""
    result: dict[FigureKey, Mentions] = defaultdict(Mentions)
    for paragraph in paragraphs:
        referenced = set(parse_references(paragraph.text)) & keys
        if not referenced:
            continue
        for key in referenced:
            result[key].paragraphs.append(paragraph.text)
        for sentence in split_sentences(paragraph.text):
            for key in set(parse_references(sentence)) & referenced:
                result[key].sentences.append(sentence)
    return result
