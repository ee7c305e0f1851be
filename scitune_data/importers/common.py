"""What every importer shares: figure rows in the figures-table schema, streamed to part files
(a few hundred rows in memory at a time), typed access to a corpus entry's fields, and error rows
for entries that cannot be imported: a malformed entry (wrong JSON type, missing field, image that
does not decode, text that is not UTF-8) is reported and the import goes on."""

from __future__ import annotations

import hashlib
import io
import re
import sqlite3
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterator

import ijson
import pyarrow as pa
from PIL import Image

from scitune_data.out_folder import OutFolder
from scitune_data.output_layout import ERRORS_FILE, FIGURES_DIR, SPLIT_ALIASES, SPLITS, figure_part, split_name
from scitune_data.schema.figures import ERRORS_SCHEMA, FIGURES_SCHEMA, error_row, figure_row
from scitune_data.storage import write_parquet
from scitune_data.text.caption_variants import caption_no_index, caption_normalized

PART_ROWS = 1000
FIGURE_NUMBER = re.compile(r"(Figure|Table)(\d+)", re.I)
JSON_KINDS = {dict: "an object", list: "an array", str: "a string", bool: "true/false", int: "a number",
              float: "a number", type(None): "null"}


class CorpusError(ValueError):
    """A corpus, or an entry of it, that cannot be imported; the message says which and why."""


@dataclass(slots=True)
class ImportSummary:
    figures: int = 0
    errors: int = 0
    parts: int = 0
    error_examples: list[str] = field(default_factory=list)


def printable(text: str) -> str:
    """Text safe to store and print: bytes of a file name that are not UTF-8 as ``\\xNN``."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def json_kind(value: object) -> str:
    return JSON_KINDS.get(type(value), type(value).__name__)


def as_object(value: object, what: str = "entry") -> dict:
    if not isinstance(value, dict):
        raise CorpusError(f"{what} is {json_kind(value)}, not a JSON object")
    return value


def text_field(entry: dict, key: str, default: str | None = None) -> str:
    """A string field; missing or null gives ``default`` (or an error when there is none)."""
    value = entry.get(key)
    if value is None:
        if default is None:
            raise CorpusError(f"field {key!r} is missing")
        return default
    if not isinstance(value, str):
        raise CorpusError(f"field {key!r} is {json_kind(value)}, not a string")
    return value


def texts_field(entry: dict, key: str) -> list[str]:
    """A list of strings (missing or null: empty)."""
    value = entry.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise CorpusError(f"field {key!r} is {json_kind(value)}, not a list of strings")
    return value


def json_array(handle: BinaryIO, prefix: str = "") -> Iterator[object]:
    """The items of the JSON array at ``prefix`` (default: the top level), streamed; broken JSON
    is a :class:`CorpusError` saying where it broke."""
    try:
        yield from ijson.items(handle, f"{prefix}.item" if prefix else "item", use_float=True)
    except ijson.JSONError as error:
        raise CorpusError(f"not valid JSON ({error})") from error


def split_field(entry: dict, key: str = "split") -> str | None:
    """A split named by an entry (``val`` → ``validation``); missing or null: None (decided later)."""
    value = entry.get(key)
    if value is None:
        return None
    split = split_name(value)
    if split is None:
        raise CorpusError(f"field {key!r} is {value!r}, not one of {', '.join(SPLITS)} (or {', '.join(SPLIT_ALIASES)})")
    return split


def checked_image(data: bytes, name: str) -> tuple[int, int]:
    """Width and height of an image that is whole: a PNG's chunks are checked to the end (cheap,
    no decompression), other formats are decoded, so a truncated file is refused here."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            size = image.size
            image.verify() if image.format == "PNG" else image.load()
    except Exception as error:  # noqa: BLE001 - any decoder failure makes the entry unusable
        raise CorpusError(f"image {name} does not decode: {error}") from error
    return size


def imported_row(*, source: str, source_file: str, paper_id: str, figure_id: str, image: bytes, image_name: str,
                 caption: str, split: str | None, figure_type: str = "", caption_no_index_text: str | None = None,
                 caption_normalized_text: str | None = None, ocr: list[str] | None = None,
                 mentions: list[str] | None = None, mention_sentences: list[str] | None = None,
                 figure_type_source: str = "corpus") -> dict:
    """A figures-table row from a corpus entry: kind and label from the figure id, caption
    variants computed where the corpus has none."""
    width, height = checked_image(image, image_name)
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
    """Streams figure rows into the figures table's parts and error rows into the errors table;
    a second row with the same paper and figure id is refused (ids stay unique however many
    files a corpus is sharded into). Seen ids wait in an on-disk index: memory stays flat.

    An import writes OUT whole (it does not resume): OUT is claimed (a non-empty folder that is
    not a scitune-data output is refused untouched), the files an earlier build or import listed
    in OUT's marker are removed (its parts, errors, shards, and a build's resume state, which
    would otherwise take this import's parts for its own), and each file is listed before it is
    written. Files OUT's marker does not list are never touched."""

    def __init__(self, out: Path, source: str) -> None:
        self.source = source
        self.folder = OutFolder(out).claim()
        self.folder.clear()
        self._rows: list[dict] = []
        self._errors: list[dict] = []
        self._seen_folder = tempfile.TemporaryDirectory(prefix="scitune-import-")
        self._seen = sqlite3.connect(Path(self._seen_folder.name) / "ids.sqlite")
        self._seen.execute("CREATE TABLE ids (digest BLOB PRIMARY KEY, file TEXT)")
        self.summary = ImportSummary()

    def add(self, row: dict) -> None:
        key = f"{row['paper_id']}\x00{row['figure_id']}".encode()
        digest = hashlib.blake2b(key, digest_size=16).digest()
        if not self._seen.execute("INSERT OR IGNORE INTO ids VALUES (?, ?)", (digest, row["source_file"])).rowcount:
            (first,) = self._seen.execute("SELECT file FROM ids WHERE digest = ?", (digest,)).fetchone()
            raise CorpusError(f"figure {row['paper_id']}/{row['figure_id']} was already imported from {first}")
        self._rows.append(row)
        self.summary.figures += 1
        if len(self._rows) >= PART_ROWS:
            self._flush()

    def error(self, file: str, message: str, error_type: str = "ImportError") -> None:
        file, message = printable(file), printable(message)
        self.summary.errors += 1
        if len(self.summary.error_examples) < 10:
            self.summary.error_examples.append(f"{file}: {message}")
        self._errors.append(error_row(file=file, stage=f"import-{self.source}", error_type=error_type, message=message))

    @contextmanager
    def entry(self, file: str, where: str = "") -> Iterator[None]:
        """Whatever goes wrong with one entry becomes its error row; the import goes on."""
        try:
            yield
        except Exception as error:  # noqa: BLE001 - one malformed entry must never stop the others
            self.error(file, f"{where + ': ' if where else ''}{error}", type(error).__name__)

    def _write(self, name: str, rows: list[dict], schema: pa.Schema) -> None:
        self.folder.own([name])
        write_parquet(rows, schema, self.folder.path(name))

    def _flush(self) -> None:
        if self._rows:
            self._write(f"{FIGURES_DIR}/{figure_part(self.summary.parts)}", self._rows, FIGURES_SCHEMA)
            self.summary.parts += 1
            self._rows = []

    def close(self) -> ImportSummary:
        self._flush()
        if self.summary.parts == 0:  # an empty table still has the schema
            self._write(f"{FIGURES_DIR}/{figure_part(0)}", [], FIGURES_SCHEMA)
        self._write(ERRORS_FILE, self._errors, ERRORS_SCHEMA)
        self._seen.close()
        self._seen_folder.cleanup()
        return self.summary
