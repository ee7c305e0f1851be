"""SciCap, in both of its layouts, wherever its files sit under ``--source``.

- original release: one JSON per figure in folders named for their split
  (``SciCap-Caption-All/{Train,Val,Test}/*.json``: ``figure-ID``, ``paper-ID``, ``figure-type``,
  ``contains-subfigure``, ``0-originally-extracted``,
  ``1-lowercase-and-token-and-remove-figure-index``, ``2-normalized``, ``Img-text``); images
  usually under ``SciCap-{Yes,No}-Subfig-Img/{split}/{figure-ID}``;
- challenge (the Hub's ``CrowdAILab/scicap``): ``train.json``, ``val.json``, ``public-test.json``,
  ``train-acl.json``, ``hide_test.json`` with COCO-style ``images`` (``file_name``, ``id``,
  ``figure_type``, ``ocr``) and ``annotations`` (``image_id``, ``caption``, ``caption_no_index``,
  ``paragraph``, ``mention``); images usually under ``share-task-img-mask/{arxiv,acl}/{split}/``.
  Both arrays are streamed (ijson); annotations wait in an on-disk SQLite index keyed by image
  id, so memory stays flat however large the file. Images and annotations that do not pair are
  reported, not guessed.

Images are found by file name anywhere under ``--source`` (see :mod:`.source_files`).
"""

from __future__ import annotations

import json
import re
import sqlite3
import tempfile
from pathlib import Path

from scitune_data.importers.common import (
    CorpusError, FigureSink, as_object, imported_row, json_array, json_kind, text_field, texts_field)
from scitune_data.importers.source_files import SourceFiles
from scitune_data.output_layout import SPLIT_WORDS, split_name

# train.json, val.json, public-test.json, hide_test.json, train-acl.json (not *-metadata.json)
CHALLENGE_FILE = re.compile(rf"^(?:(?:public|hide)[-_])?(?P<split>{SPLIT_WORDS})(?:[-_](?:acl|arxiv))?\.json$", re.I)


def detect(source: Path) -> str:
    if challenge_files(source):
        return "challenge"
    if any(split_name(p.parent.name) for p in source.rglob("*.json")):
        return "original"
    raise CorpusError(f"{source}: no SciCap layout found (neither train.json/val.json/public-test.json nor "
                      "JSON files in folders named Train/Val/Test)")


def challenge_files(source: Path) -> list[Path]:
    return sorted(p for p in source.rglob("*.json") if CHALLENGE_FILE.match(p.name))


def paper_of(figure_id: str) -> str:
    """SciCap names figures ``{paper}-Figure{n}-{k}.png``."""
    return figure_id.split("-Figure")[0].split("-Table")[0] if ("-Figure" in figure_id or "-Table" in figure_id) \
        else Path(figure_id).stem


def _original(source: Path, files: SourceFiles, sink: FigureSink) -> None:
    for path in sorted(p for p in source.rglob("*.json") if split_name(p.parent.name)):
        relative = path.relative_to(source).as_posix()
        with sink.entry(relative):
            entry = as_object(json.loads(path.read_bytes().decode("utf-8")))
            figure_id = text_field(entry, "figure-ID")
            folder = path.parent.name  # Train, Val, Test as the release spells them
            first = "Yes" if entry.get("contains-subfigure") is True else "No"
            hints = [f"SciCap-{kind}-Subfig-Img/{folder}" for kind in (first, "No" if first == "Yes" else "Yes")]
            image, image_path = files.read(figure_id, hints)
            lower = as_object(entry.get("1-lowercase-and-token-and-remove-figure-index") or {}, "field 1-lowercase-...")
            normalized = as_object(entry.get("2-normalized") or {}, "field 2-normalized")
            basic = as_object(normalized.get("2-1-basic-num") or {}, "field 2-1-basic-num")
            sink.add(imported_row(
                source="scicap", source_file=relative, paper_id=text_field(entry, "paper-ID", "") or paper_of(figure_id),
                figure_id=Path(figure_id).stem, image=image, image_name=image_path,
                caption=text_field(entry, "0-originally-extracted"), split=split_name(folder),
                figure_type=text_field(entry, "figure-type", ""),
                caption_no_index_text=lower.get("caption") if isinstance(lower.get("caption"), str) else None,
                caption_normalized_text=basic.get("caption") if isinstance(basic.get("caption"), str) else None,
                ocr=texts_field(entry, "Img-text")))


def _mention_sentences(annotation: dict) -> list[str]:
    groups = annotation.get("mention") or []
    if not isinstance(groups, list):
        raise CorpusError(f"field 'mention' is {json_kind(groups)}, not a list")
    return [s for group in groups for s in (group if isinstance(group, list) else [group]) if isinstance(s, str)]


def _challenge_split(path: Path, source: Path, files: SourceFiles, sink: FigureSink) -> None:
    name = path.relative_to(source).as_posix()
    match = CHALLENGE_FILE.match(path.name)
    split_word, stem = match["split"], path.stem
    hints = [stem, split_word, f"images/{stem}", f"images/{split_word}", "images"]
    with tempfile.TemporaryDirectory() as folder:
        index = sqlite3.connect(Path(folder) / "annotations.sqlite")
        index.execute("CREATE TABLE a (image_id TEXT PRIMARY KEY, body TEXT, used INTEGER DEFAULT 0)")
        annotations = 0
        with sink.entry(name, "annotations"), path.open("rb") as handle:
            for number, item in enumerate(json_array(handle, "annotations")):
                with sink.entry(name, f"annotation {number}"):
                    annotation = as_object(item, "annotation")
                    index.execute("INSERT OR REPLACE INTO a (image_id, body) VALUES (?, ?)",
                                  (str(annotation.get("image_id")), json.dumps(annotation)))
                    annotations += 1
        index.commit()
        if annotations == 0:
            sink.error(name, "no annotations (captions hidden or missing): its images were not imported", "NoCaptions")
            return
        with sink.entry(name, "images"), path.open("rb") as handle:
            for number, item in enumerate(json_array(handle, "images")):
                with sink.entry(name, f"image {number}"):
                    image = as_object(item, "image")
                    file_name = text_field(image, "file_name")
                    found = index.execute("SELECT body FROM a WHERE image_id = ?", (str(image.get("id")),)).fetchone()
                    if found is None:
                        raise CorpusError(f"image {image.get('id')} ({file_name}): no annotation with image_id "
                                          f"{image.get('id')}")
                    index.execute("UPDATE a SET used = 1 WHERE image_id = ?", (str(image.get("id")),))
                    annotation = json.loads(found[0])
                    picture, picture_path = files.read(file_name, hints)
                    sink.add(imported_row(
                        source="scicap", source_file=name, paper_id=text_field(image, "paper_id", "") or paper_of(
                            Path(file_name).name), figure_id=Path(file_name).stem, image=picture,
                        image_name=picture_path, caption=text_field(annotation, "caption", ""),
                        split=split_name(split_word), figure_type=text_field(image, "figure_type", ""),
                        caption_no_index_text=text_field(annotation, "caption_no_index", "") or None,
                        ocr=texts_field(image, "ocr"), mentions=texts_field(annotation, "paragraph"),
                        mention_sentences=_mention_sentences(annotation)))
        for (body,) in index.execute("SELECT body FROM a WHERE used = 0"):
            annotation = json.loads(body)
            sink.error(name, f"annotation {annotation.get('id')} names image_id {annotation.get('image_id')}, "
                             "which is not among the images", "Unpaired")
        index.close()


def import_scicap(source: Path, out: Path) -> FigureSink:
    layout = detect(source)
    files = SourceFiles(source)
    sink = FigureSink(out, "scicap")
    if layout == "challenge":
        for path in challenge_files(source):
            _challenge_split(path, source, files, sink)
    else:
        _original(source, files, sink)
    return sink
