"""What every importer shares: figure rows in the figures-table schema, streamed to part files
(a few hundred rows in memory at a time), and error rows for entries that cannot be imported."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from scitune_data.output_layout import ERRORS_FILE, FIGURE_PARTS, FIGURES_DIR, figure_part
from scitune_data.schema.figures import ERRORS_SCHEMA, FIGURES_SCHEMA, error_row, figure_row
from scitune_data.storage import write_parquet
from scitune_data.text.caption_variants import caption_no_index, caption_normalized

PART_ROWS = 1000
FIGURE_NUMBER = re.compile(r"(Figure|Table)(\d+)", re.I)


class CorpusError(ValueError):
    """A corpus, or an entry of it, that cannot be imported; the message says which and why."""


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


def imported_row(*, source: str, source_file: str, paper_id: str, figure_id: str, image: bytes, image_name: str,
                 caption: str, split: str | None, figure_type: str = "", caption_no_index_text: str | None = None,
                 caption_normalized_text: str | None = None, ocr: list[str] | None = None,
                 mentions: list[str] | None = None, mention_sentences: list[str] | None = None,
                 figure_type_source: str = "corpus") -> dict:
    """A figures-table row from a corpus entry: kind and label from the figure id, caption
    variants computed where the corpus has none."""
    try:
        width, height = image_size(image)
    except Exception as error:  # noqa: BLE001 - any decoder failure makes the entry unusable
        raise CorpusError(f"image {image_name} does not decode: {error}") from error
    kind = "table" if figure_type.lower() == "table" or figure_id.lower().startswith("table") else "figure"
    number = FIGURE_NUMBER.search(figure_id)
    return figure_row(
        paper_id=paper_id, source_file=source_file, source=source, split=split, figure_id=figure_id, kind=kind,
        label=f"{number.group(1).capitalize()} {number.group(2)}" if number else "", caption=caption,
        caption_no_index=caption_no_index_text if caption_no_index_text is not None else caption_no_index(caption),
        caption_normalized=caption_normalized_text if caption_normalized_text is not None else caption_normalized(caption),
        figure_type=figure_type, figure_type_source=figure_type_source if figure_type else "",
        ocr=ocr or [], ocr_source="corpus" if ocr else "", mentions=mentions or [],
        mention_sentences=mention_sentences or [], width=width, height=height, image=image, image_path=image_name)


class FigureSink:
    """Streams figure rows into the figures table's parts and error rows into the errors table."""

    def __init__(self, out: Path, source: str) -> None:
        self.out, self.source = out, source
        figures = out / FIGURES_DIR
        figures.mkdir(parents=True, exist_ok=True)
        for stale in figures.glob(FIGURE_PARTS):
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
        self._errors.append(error_row(file=file, stage=f"import-{self.source}", error_type=error_type, message=message))

    def _flush(self) -> None:
        if self._rows:
            write_parquet(self._rows, FIGURES_SCHEMA, self.out / FIGURES_DIR / figure_part(self.summary.parts))
            self.summary.parts += 1
            self._rows = []

    def close(self) -> ImportSummary:
        self._flush()
        if self.summary.parts == 0:  # an empty table still has the schema
            write_parquet([], FIGURES_SCHEMA, self.out / FIGURES_DIR / figure_part(0))
        write_parquet(self._errors, ERRORS_SCHEMA, self.out / ERRORS_FILE)
        return self.summary


def first_existing(paths: list[Path]) -> Path | None:
    return next((p for p in paths if p.is_file()), None)

