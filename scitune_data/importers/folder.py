"""A folder of figure images with sidecar captions: ``name.png`` + ``name.txt`` (the caption, UTF-8),
or ``name.json`` (``caption`` and optionally ``figure_type``, ``ocr``, ``mentions``,
``paper_id``, ``split``). The paper id defaults to the image's folder (relative to the source,
or the file stem for images at the top)."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

from scitune_data.classify.cues import caption_cue
from scitune_data.importers.common import (
    CorpusError, FigureSink, as_object, imported_row, printable, split_field, text_field, texts_field)
from scitune_data.importers.source_files import SourceFiles

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp"}


def _utf8(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CorpusError(f"{name} is not UTF-8 text (byte {data[error.start]:#04x} at offset {error.start})") from error


def _sidecar(files: SourceFiles, image: str) -> dict:
    stem = PurePosixPath(image).with_suffix("")
    json_name, text_name = f"{stem}.json", f"{stem}.txt"
    if (files.root / json_name).is_file():
        data = as_object(json.loads(_utf8(files.read(json_name)[0], json_name)), json_name)
        if not text_field(data, "caption", "").strip():
            raise CorpusError(f"{json_name} has no caption")
        return data
    if (files.root / text_name).is_file():
        caption = _utf8(files.read(text_name)[0], text_name).strip()
        if not caption:
            raise CorpusError(f"{text_name} is empty")
        return {"caption": caption}
    raise CorpusError(f"no caption: neither {PurePosixPath(json_name).name} nor {PurePosixPath(text_name).name}")


def import_folder(source: Path, out: Path) -> FigureSink:
    files = SourceFiles(source)
    images = [name for name in files.files() if PurePosixPath(name).suffix.lower() in IMAGE_SUFFIXES]
    if not images:
        raise CorpusError(f"{source}: no images ({', '.join(sorted(IMAGE_SUFFIXES))})")
    sink = FigureSink(out, "folder")
    for relative in images:
        with sink.entry(relative):
            if printable(relative) != relative:
                raise CorpusError("the file name is not UTF-8: rename it to import it")
            meta = _sidecar(files, relative)
            folder = PurePosixPath(relative).parent.as_posix()
            caption = text_field(meta, "caption").strip()
            figure_type = text_field(meta, "figure_type", "")
            image, _ = files.read(relative)
            sink.add(imported_row(
                source="folder", source_file=relative,
                paper_id=text_field(meta, "paper_id", "") or (folder if folder != "." else PurePosixPath(relative).stem),
                figure_id=PurePosixPath(relative).stem, image=image, image_name=relative, caption=caption,
                split=split_field(meta), figure_type=figure_type or caption_cue(caption) or "",
                figure_type_source="corpus" if figure_type else "caption",
                ocr=texts_field(meta, "ocr"), mentions=texts_field(meta, "mentions")))
    return sink
