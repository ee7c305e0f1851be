"""Write shards out for other trainers, streaming.

- ``llava``: ``DEST/{split}.json``, LLaVA's list of ``{id, image, conversations}`` with
  ``image`` relative to ``DEST/images`` — what ``llava/train/train.py --data_path
  DEST/train.json --image_folder DEST/images`` reads.
- ``messages``: the chat layout TRL's vision SFT reads, as an image folder ``datasets`` loads in
  one line from any working folder (``load_dataset(DEST)``: ``id``, ``messages``, ``images`` as a
  list of ``Image``): ``DEST/{split}/metadata.jsonl`` lines
  ``{"id", "messages": [{"role": "user", "content": [{"type": "image"}, {"type": "text", ...}]},
  ...], "file_names": ["images/ab/ab...png"]}`` with the images beside them under
  ``DEST/{split}/images/`` (paths relative to the metadata file, as the image-folder loader
  resolves them), and ``DEST/README.md`` declaring the features (so a split whose first records
  have no image still loads its images as images).

Images are written once per distinct crop (named by their SHA-256) per folder, however many
records share them.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Iterator

import pyarrow.parquet as pq

from scitune_data.output_layout import SPLITS, shard_files
from scitune_data.schema.records import IMAGE_TOKEN

FORMATS = ("llava", "messages")
ROLES = {"human": "user", "gpt": "assistant"}
IMAGES_DIR = "images"
MESSAGES_FILE = "metadata.jsonl"  # the name datasets' image-folder loader looks for
MESSAGES_CARD = """---
dataset_info:
  features:
  - name: id
    dtype: string
  - name: messages
    list:
    - name: role
      dtype: string
    - name: content
      list:
      - name: type
        dtype: string
      - name: text
        dtype: string
  - name: images
    list: image
---

Chat messages exported by scitune-data: `datasets.load_dataset("<this folder>")` gives `id`,
`messages` (user turns with an image part where the image goes) and `images` (PIL images), one
split per folder.
"""


def _records(files: list[Path]) -> Iterator[dict]:
    for path in files:
        for batch in pq.ParquetFile(path).iter_batches(batch_size=128):
            yield from batch.to_pylist()


def _save_image(image: dict | None, folder: Path) -> str | None:
    if image is None or not image.get("bytes"):
        return None
    digest = hashlib.sha256(image["bytes"]).hexdigest()
    relative = f"{digest[:2]}/{digest}.png"
    target = folder / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(image["bytes"])
    return relative


def _chat_content(text: str) -> list[dict]:
    """A turn's text as content parts, the image placeholder as an image part in its place."""
    parts: list[dict] = []
    for index, piece in enumerate(text.split(IMAGE_TOKEN)):
        if index:
            parts.append({"type": "image"})
        if piece.strip():
            parts.append({"type": "text", "text": piece.strip()})
    return parts


def _llava_entry(record: dict, image: str | None) -> str:
    entry = {"id": record["id"], "conversations": record["conversations"]}
    if image:
        entry["image"] = image
    return json.dumps(entry, ensure_ascii=False)


def _messages_entry(record: dict, image: str | None) -> str:
    messages = [{"role": ROLES[t["from"]], "content": _chat_content(t["value"])} for t in record["conversations"]]
    return json.dumps({"id": record["id"], "messages": messages, "file_names": [f"{IMAGES_DIR}/{image}"] if image else []},
                      ensure_ascii=False)


def export(source: Path, dest: Path, fmt: str) -> dict[str, int]:
    """Export every split found under ``source``; returns records written per split."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    written: dict[str, int] = {}
    for split in SPLITS:
        chosen = shard_files(source, split)
        if not chosen:
            continue
        if fmt == "llava":
            target, images = dest / f"{split}.json", dest / IMAGES_DIR
        else:
            target, images = dest / split / MESSAGES_FILE, dest / split / IMAGES_DIR
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8") as handle:
            count = 0
            handle.write("[\n" if fmt == "llava" else "")
            for record in _records(chosen):
                image = _save_image(record.get("image"), images)
                if fmt == "llava":
                    handle.write((",\n" if count else "") + _llava_entry(record, image))
                else:
                    handle.write(_messages_entry(record, image) + "\n")
                count += 1
            handle.write("\n]\n" if fmt == "llava" else "")
        written[split] = count
    if written and fmt == "messages":
        (dest / "README.md").write_text(MESSAGES_CARD, encoding="utf-8")
    return written
