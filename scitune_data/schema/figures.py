"""The figures and errors tables: their Arrow schemas and the one builder of each's rows
(PDF extraction and the importers alike)."""

from __future__ import annotations

import re
from typing import Iterable

from scitune_data.schema.registry import arrow_schema

FIGURES_SCHEMA = arrow_schema("figures")
ERRORS_SCHEMA = arrow_schema("errors")


def figure_row(*, paper_id: str, figure_id: str, kind: str, caption: str, image: bytes, image_path: str,
               source: str, source_file: str, width: int, height: int, split: str | None = None,
               pdf_sha256: str = "", label: str = "", page: int | None = None, bbox: list[float] | None = None,
               caption_no_index: str = "", caption_normalized: str = "", caption_page: int | None = None,
               caption_bbox: list[float] | None = None, figure_type: str = "", figure_type_source: str = "",
               ocr: Iterable[str] = (), ocr_source: str = "", mentions: Iterable[str] = (),
               mention_sentences: Iterable[str] = (), is_vector: bool | None = None, dpi: int | None = None) -> dict:
    """A figures-table row; what a source does not know stays empty (null, or no text)."""
    return {
        "paper_id": paper_id, "pdf_sha256": pdf_sha256, "source_file": source_file, "source": source,
        "split": split, "figure_id": figure_id, "kind": kind, "label": label, "page": page, "bbox": bbox,
        "caption": caption, "caption_no_index": caption_no_index, "caption_normalized": caption_normalized,
        "caption_page": caption_page, "caption_bbox": caption_bbox, "figure_type": figure_type,
        "figure_type_source": figure_type_source, "ocr": list(ocr), "ocr_source": ocr_source,
        "mentions": list(mentions), "mention_sentences": list(mention_sentences), "is_vector": is_vector,
        "dpi": dpi, "width": width, "height": height, "image": {"bytes": image, "path": image_path},
    }


SEVERITIES = ("error", "warning", "info")  # lost / maybe incomplete / nothing lost (a duplicate skipped)


def error_row(*, file: str, stage: str, error_type: str, message: str, sha256: str = "",
              page: int | None = None, severity: str = "error") -> dict:
    """An errors-table row. ``severity``: ``error`` (an input, or part of it, is lost),
    ``warning`` (read, but a signal may be missing or incomplete), ``info`` (nothing lost)."""
    assert severity in SEVERITIES, severity
    return {"file": file, "sha256": sha256, "stage": stage, "error_type": error_type, "message": message,
            "page": page, "severity": severity}


def error_text(error: BaseException) -> str:
    """An exception as one line for an error row: the last line of a multi-line message (a
    library's traceback text), without MuPDF's ``code=N:`` prefix; the type's name when empty."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    text = re.sub(r"^code=\d+: ", "", lines[-1]) if lines else ""
    return text or type(error).__name__
