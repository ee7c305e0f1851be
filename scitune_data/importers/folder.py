"""A folder of figure images with sidecar captions: ``name.png`` + ``name.txt`` (the caption),
or ``name.json`` (``caption`` and optionally ``figure_type``, ``ocr``, ``mentions``,
``paper_id``, ``split``). The paper id defaults to the image's folder (relative to the source,
or the file stem for images at the top)."""

from __future__ import annotations

import json
from pathlib import Path

from scitune_data.classify.cues import caption_cue
from scitune_data.importers.common import FigureSink, ImportError_, figure_row, split_name

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp"}


def _sidecar(image: Path) -> dict:
    json_file, text_file = image.with_suffix(".json"), image.with_suffix(".txt")
    if json_file.is_file():
        data = json.loads(json_file.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not str(data.get("caption", "")).strip():
            raise ImportError_(f"{json_file.name} has no caption")
        return data
    if text_file.is_file():
        caption = text_file.read_text(encoding="utf-8").strip()
        if not caption:
            raise ImportError_(f"{text_file.name} is empty")
        return {"caption": caption}
    raise ImportError_(f"no caption: neither {json_file.name} nor {text_file.name}")


def import_folder(source: Path, out: Path) -> FigureSink:
    sink = FigureSink(out, "folder")
    images = sorted(p for p in source.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())
    if not images:
        raise ImportError_(f"{source}: no images ({', '.join(sorted(IMAGE_SUFFIXES))})")
    for image in images:
        relative = image.relative_to(source).as_posix()
        try:
            meta = _sidecar(image)
            folder = image.parent.relative_to(source).as_posix()
            caption = str(meta["caption"]).strip()
            sink.add(figure_row(
                source="folder", source_file=relative,
                paper_id=str(meta.get("paper_id") or (folder if folder != "." else image.stem)),
                figure_id=image.stem, image=image.read_bytes(), image_name=relative, caption=caption,
                split=split_name(meta.get("split")), figure_type=meta.get("figure_type") or caption_cue(caption) or "",
                figure_type_source="corpus" if meta.get("figure_type") else "caption",
                ocr=list(meta.get("ocr") or []), mentions=list(meta.get("mentions") or [])))
        except (ImportError_, OSError, json.JSONDecodeError) as error:
            sink.error(relative, f"{type(error).__name__}: {error}")
    return sink
