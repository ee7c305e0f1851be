"""SciCap, in both of its layouts.

- original release: one JSON per figure under ``*/{train,val,test}/*.json`` (``figure-ID``,
  ``paper-ID``, ``figure-type``, ``contains-subfigure``, ``0-originally-extracted``,
  ``1-lowercase-and-token-and-remove-figure-index``, ``2-normalized``, ``Img-text``), images under
  ``SciCap-{Yes,No}-Subfig-Img/{split}/{figure-ID}``;
- challenge: ``{split}.json`` with COCO-style ``images`` (``file_name``, ``id``, ``figure_type``,
  ``ocr``) and ``annotations`` (``image_id``, ``caption``, ``caption_no_index``, ``paragraph``,
  ``mention``). Both arrays are streamed (ijson); annotations wait in an on-disk SQLite index
  keyed by image id, so memory stays flat however large the file. Images and annotations that do
  not pair are reported, not guessed.
"""

from __future__ import annotations

import json
import re
import sqlite3
import tempfile
from pathlib import Path

import ijson

from scitune_data.importers.common import CorpusError, FigureSink, first_existing, imported_row
from scitune_data.output_layout import SPLIT_WORDS, split_name

CHALLENGE_FILE = re.compile(rf"^({SPLIT_WORDS})\.json$")


def detect(source: Path) -> str:
    if any(CHALLENGE_FILE.match(p.name) for p in source.glob("*.json")):
        return "challenge"
    if any(source.glob("*/*/*.json")) or any(source.glob("*/*.json")):
        return "original"
    raise CorpusError(f"{source}: no SciCap layout found (neither {{split}}.json nor */{{split}}/*.json)")


def paper_of(figure_id: str) -> str:
    """SciCap names figures ``{paper}-Figure{n}-{k}.png``."""
    return figure_id.split("-Figure")[0].split("-Table")[0] if ("-Figure" in figure_id or "-Table" in figure_id) \
        else Path(figure_id).stem


def _original(source: Path, sink: FigureSink) -> None:
    for path in sorted(source.rglob("*.json")):
        split = split_name(path.parent.name)
        relative = path.relative_to(source).as_posix()
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            figure_id = entry["figure-ID"]
            subfigure = "Yes" if entry.get("contains-subfigure") else "No"
            image = first_existing([source / f"SciCap-{subfigure}-Subfig-Img" / path.parent.name / figure_id,
                                    source / f"SciCap-{'No' if subfigure == 'Yes' else 'Yes'}-Subfig-Img" / path.parent.name / figure_id])
            if image is None:
                raise CorpusError(f"image {figure_id} not found under SciCap-*-Subfig-Img/{path.parent.name}/")
            lower = entry.get("1-lowercase-and-token-and-remove-figure-index") or {}
            normalized = (entry.get("2-normalized") or {}).get("2-1-basic-num") or {}
            sink.add(imported_row(
                source="scicap", source_file=relative, paper_id=entry.get("paper-ID") or paper_of(figure_id),
                figure_id=Path(figure_id).stem, image=image.read_bytes(), image_name=figure_id,
                caption=entry["0-originally-extracted"], split=split, figure_type=entry.get("figure-type") or "",
                caption_no_index_text=lower.get("caption"), caption_normalized_text=normalized.get("caption"),
                ocr=list(entry.get("Img-text") or [])))
        except (KeyError, json.JSONDecodeError, CorpusError, OSError) as error:
            sink.error(relative, f"{type(error).__name__}: {error}")


def _challenge_split(path: Path, source: Path, sink: FigureSink) -> None:
    split_word = CHALLENGE_FILE.match(path.name).group(1)
    split = split_name(split_word)
    with tempfile.TemporaryDirectory() as folder:
        index = sqlite3.connect(Path(folder) / "annotations.sqlite")
        index.execute("CREATE TABLE a (image_id TEXT PRIMARY KEY, body TEXT, used INTEGER DEFAULT 0)")
        with path.open("rb") as handle:
            for annotation in ijson.items(handle, "annotations.item", use_float=True):
                index.execute("INSERT OR REPLACE INTO a (image_id, body) VALUES (?, ?)",
                              (str(annotation.get("image_id")), json.dumps(annotation)))
        index.commit()
        with path.open("rb") as handle:
            for image in ijson.items(handle, "images.item", use_float=True):
                name = image.get("file_name", "")
                where = f"{path.name}: image {image.get('id')} ({name})"
                found = index.execute("SELECT body FROM a WHERE image_id = ?", (str(image.get("id")),)).fetchone()
                if found is None:
                    sink.error(path.name, f"{where}: no annotation with image_id {image.get('id')}", "Unpaired")
                    continue
                index.execute("UPDATE a SET used = 1 WHERE image_id = ?", (str(image.get("id")),))
                annotation = json.loads(found[0])
                picture = first_existing([source / split_word / name, source / "images" / split_word / name,
                                          source / "images" / name, source / name])
                try:
                    if picture is None:
                        raise CorpusError(f"image file {name} not found")
                    sink.add(imported_row(
                        source="scicap", source_file=path.name, paper_id=image.get("paper_id") or paper_of(name),
                        figure_id=Path(name).stem, image=picture.read_bytes(), image_name=name,
                        caption=annotation.get("caption") or "", split=split,
                        figure_type=image.get("figure_type") or "",
                        caption_no_index_text=annotation.get("caption_no_index"),
                        ocr=list(image.get("ocr") or []),
                        mentions=list(annotation.get("paragraph") or []),
                        mention_sentences=[s for group in annotation.get("mention") or [] for s in group]))
                except (CorpusError, OSError) as error:
                    sink.error(path.name, f"{where}: {error}")
        for (body,) in index.execute("SELECT body FROM a WHERE used = 0"):
            annotation = json.loads(body)
            sink.error(path.name, f"annotation {annotation.get('id')} names image_id {annotation.get('image_id')}, "
                                  "which is not among the images", "Unpaired")
        index.close()


def import_scicap(source: Path, out: Path) -> FigureSink:
    sink = FigureSink(out, "scicap")
    if detect(source) == "challenge":
        for path in sorted(p for p in source.glob("*.json") if CHALLENGE_FILE.match(p.name)):
            _challenge_split(path, source, sink)
    else:
        _original(source, sink)
    return sink
