"""SciCap's caption variants: raw, lowercased without the figure index, normalised.

SciCap keeps ``0-originally-extracted`` (the raw caption), ``1-lowercase-and-token-and-remove-
figure-index`` (our ``caption_no_index``) and ``2-normalized`` (numbers as ``[NUM]``,
equations as ``[EQUATION]``; our ``caption_normalized``).
"""

from __future__ import annotations

import re

from scitune_data.figures.caption_labels import strip_label

TOKEN = re.compile(r"\d+(?:[.,]\d+)*%?|[^\W\d_]+(?:[-'’][^\W\d_]+)*|\S", re.UNICODE)
NUMBER = re.compile(r"^[+\-−]?\d+(?:[.,]\d+)*%?$")
MATH = re.compile(r"[=<>≤≥≈±×÷∑∫√∞∂∇^_]|[α-ωΑ-Ω]")


def tokenize(text: str) -> list[str]:
    return TOKEN.findall(text)


def caption_no_index(caption: str) -> str:
    """Lowercased, tokenized (tokens joined by spaces), label removed."""
    return " ".join(tokenize(strip_label(caption).lower()))


def caption_normalized(caption: str) -> str:
    """``caption_no_index`` with numbers replaced by ``[NUM]`` and maths-bearing tokens runs
    (symbols, Greek letters) by one ``[EQUATION]``."""
    out: list[str] = []
    for token in tokenize(strip_label(caption).lower()):
        if MATH.search(token):
            if not out or out[-1] != "[EQUATION]":
                out.append("[EQUATION]")
        elif NUMBER.match(token):
            out.append("[NUM]")
        else:
            out.append(token)
    return " ".join(out)
