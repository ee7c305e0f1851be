"""What every importer shares: figure rows in the figures-table schema, streamed to part files
(a few hundred rows in memory at a time), and error rows for entries that cannot be imported."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from scitune_data.pipeline.batches import ERRORS_FILE, FIGURES_DIR, write_parquet
from scitune_data.schema.figures import ERRORS_SCHEMA, FIGURES_SCHEMA
from scitune_data.text.caption_variants import caption_no_index, caption_normalized

PART_ROWS = 1000
SPLITS = {"train": "train", "val": "validation", "valid": "validation", "validation": "validation", "test": "test"}
FIGURE_NUMBER = re.compile(r"(Figure|Table)(\d+)", re.I)


class ImportError_(ValueError):
    """An entry that cannot be imported; the message says which and why."""


@dataclass(slots=True)
class ImportSummary:
    figures: int = 0
    errors: int = 0
    parts: int = 0
    error_examples: list[str] = field(default_factory=list)


def image_size(data: bytes) -> tuple[int, int]:
    """Width and height from the image header (no full decode)."""
    with Image.open(io.BytesIO(data)) as image:
        return image.size


def figure_row(*, source: str, source_file: str, paper_id: str, figure_id: str, image: bytes, image_name: str,
               caption: str, split: str | None, figure_type: str = "", caption_no_index_text: str | None = None,
               caption_normalized_text: str | None = None, ocr: list[str] | None = None,
               mentions: list[str] | None = None, mention_sentences: list[str] | None = None,
               figure_type_source: str = "corpus") -> dict:
    try:
        width, height = image_size(image)
    except Exception as error:  # noqa: BLE001 - any decoder failure makes the entry unusable
        raise ImportError_(f"image {image_name} does not decode: {error}") from error
    kind = "table" if figure_type.lower() == "table" or figure_id.lower().startswith("table") else "figure"
    number = FIGURE_NUMBER.search(figure_id)
    return {
        "paper_id": paper_id, "pdf_sha256": "", "source_file": source_file, "source": source, "split": split,
        "figure_id": figure_id, "kind": kind,
        "label": f"{number.group(1).capitalize()} {number.group(2)}" if number else "",
        "page": None, "bbox": None, "caption": caption,
        "caption_no_index": caption_no_index_text if caption_no_index_text is not None else caption_no_index(caption),
        "caption_normalized": caption_normalized_text if caption_normalized_text is not None else caption_normalized(caption),
        "caption_page": None, "caption_bbox": None,
        "figure_type": figure_type, "figure_type_source": figure_type_source if figure_type else "",
        "ocr": ocr or [], "ocr_source": "corpus" if ocr else "",
        "mentions": mentions or [], "mention_sentences": mention_sentences or [],
        "is_vector": None, "dpi": None, "width": width, "height": height,
        "image": {"bytes": image, "path": image_name},
    }


class FigureSink:
    """Streams figure rows into ``OUT/figures/part-*.parquet`` and error rows into
    ``OUT/errors.parquet``."""

    def __init__(self, out: Path, source: str) -> None:
        self.out, self.source = out, source
        figures = out / FIGURES_DIR
        figures.mkdir(parents=True, exist_ok=True)
        for stale in figures.glob("part-*.parquet"):
            stale.unlink()
        self._rows: list[dict] = []
        self._errors: list[dict] = []
        self.summary = ImportSummary()

    def add(self, row: dict) -> None:
        self._rows.append(row)
        self.summary.figures += 1
        if len(self._rows) >= PART_ROWS:
            self._flush()

    def error(self, file: str, message: str, error_type: str = "ImportError") -> None:
        self.summary.errors += 1
        if len(self.summary.error_examples) < 10:
            self.summary.error_examples.append(f"{file}: {message}")
        self._errors.append({"file": file, "sha256": "", "stage": f"import-{self.source}", "error_type": error_type,
                             "message": message, "page": None})

    def _flush(self) -> None:
        if self._rows:
            write_parquet(self._rows, FIGURES_SCHEMA, self.out / FIGURES_DIR / f"part-{self.summary.parts:05d}.parquet")
            self.summary.parts += 1
            self._rows = []

    def close(self) -> ImportSummary:
        self._flush()
        if self.summary.parts == 0:  # an empty table still has the schema
            write_parquet([], FIGURES_SCHEMA, self.out / FIGURES_DIR / "part-00000.parquet")
        write_parquet(self._errors, ERRORS_SCHEMA, self.out / ERRORS_FILE)
        return self.summary


def split_name(value: str | None) -> str | None:
    return SPLITS.get((value or "").lower())


def first_existing(paths: list[Path]) -> Path | None:
    return next((p for p in paths if p.is_file()), None)

