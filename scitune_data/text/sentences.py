"""A small sentence splitter that knows scientific abbreviations ("Fig. 3", "et al.", "e.g.")."""

from __future__ import annotations

import re

ABBREVIATIONS = {
    "fig", "figs", "tab", "tabs", "eq", "eqs", "sec", "secs", "ref", "refs", "no", "nos", "vol",
    "al", "e.g", "i.e", "cf", "vs", "resp", "approx", "ca", "dr", "mr", "ms", "prof", "st", "etc",
    "ch", "pp", "p", "app", "suppl", "def", "thm", "lem", "prop", "col", "cols", "max", "min",
}
BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[\"“(\[]?[A-Z0-9])")


def split_sentences(text: str) -> list[str]:
    sentences, start = [], 0
    for match in BOUNDARY.finditer(text):
        before = text[start:match.start()].rstrip(".!?\"”’)]")
        last_word = before.split()[-1].lower() if before.split() else ""
        if last_word in ABBREVIATIONS or len(last_word) == 1 and last_word.isalpha():
            continue  # "Fig. 3", "et al. (2019)", initials such as "J. Smith"
        sentences.append(text[start:match.start()].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return [s for s in sentences if s]
