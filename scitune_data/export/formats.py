"""Write shards out for other trainers, streaming.

- ``llava``: ``DEST/{split}.json``, LLaVA's list of ``{id, image, conversations}`` with
  ``image`` relative to ``DEST/images`` — what ``llava/train/train.py --data_path
  DEST/train.json --image_folder DEST/images`` reads.
- ``messages``: ``DEST/{split}.jsonl`` with the chat layout TRL's vision SFT reads:
  ``{"messages": [{"role": "user", "content": [{"type": "image"}, {"type": "text", ...}]}, ...],
  "images": ["images/..png"]}``.

Images are written once per distinct crop (named by their SHA-256), however many records share
them.
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


def export(source: Path, dest: Path, fmt: str) -> dict[str, int]:
    """Export every split found under ``source``; returns records written per split."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    images = dest / "images"
    written: dict[str, int] = {}
    for split in SPLITS:
        chosen = shard_files(source, split)
        if not chosen:
            continue
        dest.mkdir(parents=True, exist_ok=True)
        target = dest / (f"{split}.json" if fmt == "llava" else f"{split}.jsonl")
        with target.open("w", encoding="utf-8") as handle:
            count = 0
            handle.write("[\n" if fmt == "llava" else "")
            for record in _records(chosen):
                image = _save_image(record.get("image"), images)
                if fmt == "llava":
                    entry = {"id": record["id"], "conversations": record["conversations"]}
                    if image:
                        entry["image"] = image
                    handle.write((",\n" if count else "") + json.dumps(entry, ensure_ascii=False))
                else:
                    messages = [{"role": ROLES[t["from"]], "content": _chat_content(t["value"])}
                                for t in record["conversations"]]
                    entry = {"id": record["id"], "messages": messages,
                             "images": [f"images/{image}"] if image else []}
                    handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
                count += 1
            handle.write("\n]\n" if fmt == "llava" else "")
        written[split] = count
    return written
