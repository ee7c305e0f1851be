"""Stage-1 tasks built from a figures-table row: what the assistant answers.

``ctom`` follows SciTune's builder: ``"{type} {caption_no_index}\\n{ocr tab-joined}\\n
{paragraphs}\\n{mention sentences}"`` with every "Fig"/"Figure" replaced by the figure type.
A task whose signal is missing (no OCR text, no mention) yields no record rather than an
invented answer.
"""

from __future__ import annotations

import re
from typing import Callable

from scitune_data.classify.labels import FIGURE_TYPES

FIGURE_WORD = re.compile(r"\b(Fig(?:ure)?)\b", re.IGNORECASE)
TYPE_OPTIONS = ", ".join(FIGURE_TYPES)


def caption_text(row: dict, variant: str) -> str:
    return {"raw": row["caption"], "no_index": row["caption_no_index"],
            "normalized": row["caption_normalized"]}[variant].strip()


def figure_type_name(row: dict) -> str:
    return row.get("figure_type") or ("Table" if row["kind"] == "table" else "Image")


def ctom_target(row: dict, variant: str) -> str | None:
    caption = caption_text(row, variant)
    if not caption:
        return None
    kind = figure_type_name(row)
    text = (f"{kind} {caption}\n" + "\t".join(row["ocr"]) + "\n" + "\n".join(row["mentions"])
            + "\n" + "\n".join(row["mention_sentences"]))
    return FIGURE_WORD.sub(kind, text)


def caption_target(row: dict, variant: str) -> str | None:
    return caption_text(row, variant) or None


def type_target(row: dict, variant: str) -> str | None:
    return row.get("figure_type") or None


def ocr_target(row: dict, variant: str) -> str | None:
    return " ".join(row["ocr"]) or None


def mention_target(row: dict, variant: str) -> str | None:
    return "\n".join(row["mentions"]) or None


TASKS: dict[str, Callable[[dict, str], str | None]] = {
    "ctom": ctom_target,
    "c": caption_target,
    "figure_type": type_target,
    "ocr": ocr_target,
    "mention": mention_target,
}
