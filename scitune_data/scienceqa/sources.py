"""Read ScienceQA from either of its layouts, one problem at a time.

- original: ``problems.json`` (pid → question, choices, answer index, hint, image, grade,
  subject, lecture, solution, split), ``pid_splits.json``, ``images/{split}/{pid}/image.png``;
- Hugging Face Parquet: ``*.parquet`` files named for their split (train/validation/test),
  with the same fields and an ``image`` struct; rows have no pid, so one is made from the split
  and row number (``train-00042``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterator

import pyarrow.parquet as pq

from scitune_data.output_layout import SPLIT_WORDS, split_name
from scitune_data.scienceqa.formats import Problem

PARQUET_SPLIT = re.compile(rf"(?:^|[/_-])({SPLIT_WORDS})(?=[-_.])")


class ScienceQAError(ValueError):
    """A source folder that is neither layout, or a malformed problem."""


def detect_layout(source: Path) -> str:
    if (source / "problems.json").is_file():
        return "original"
    if any(source.rglob("*.parquet")):
        return "parquet"
    raise ScienceQAError(f"{source}: neither problems.json nor *.parquet files found")


def _problem(pid: str, raw: dict, split: str, image: bytes | None) -> Problem | ScienceQAError:
    try:
        return Problem(
            pid=pid, question=raw["question"], choices=tuple(raw["choices"]), answer=int(raw["answer"]),
            hint=raw.get("hint") or "", lecture=raw.get("lecture") or "", solution=raw.get("solution") or "",
            grade=raw.get("grade") or "", subject=raw.get("subject") or "", split=split, image=image,
        )
    except (KeyError, TypeError, ValueError) as error:
        return ScienceQAError(f"problem {pid}: missing or malformed field {error}")


def read_original(source: Path) -> Iterator[Problem | ScienceQAError]:
    problems = json.loads((source / "problems.json").read_text(encoding="utf-8"))
    splits_file = source / "pid_splits.json"
    listed = json.loads(splits_file.read_text()) if splits_file.is_file() else {}
    original_split = {pid: name for name, pids in listed.items() if split_name(name) for pid in pids}
    for pid in sorted(problems, key=lambda p: (len(p), p)):
        raw = problems[pid]
        folder = raw.get("split") or original_split.get(pid)
        split = split_name(folder)
        if split is None:
            yield ScienceQAError(f"problem {pid}: no split in problems.json or pid_splits.json")
            continue
        image = None
        if raw.get("image"):
            path = source / "images" / folder / pid / raw["image"]
            if not path.is_file():
                yield ScienceQAError(f"problem {pid}: image {path} is missing")
                continue
            image = path.read_bytes()
        yield _problem(pid, raw, split, image)


def read_parquet(source: Path) -> Iterator[Problem | ScienceQAError]:
    for path in sorted(source.rglob("*.parquet")):
        match = PARQUET_SPLIT.search(path.name)
        if not match:
            raise ScienceQAError(f"{path}: cannot tell its split from the file name")
        split = split_name(match.group(1))
        row_number = 0
        for batch in pq.ParquetFile(path).iter_batches(batch_size=256):
            for raw in batch.to_pylist():
                image = (raw.get("image") or {}).get("bytes")
                yield _problem(f"{split}-{row_number:05d}", raw, split, image)
                row_number += 1


def read_problems(source: Path) -> Iterator[Problem | ScienceQAError]:
    """Problems in a stable order; a malformed one comes as a :class:`ScienceQAError` value so
    the caller can report it and go on."""
    layout = detect_layout(source)
    return read_original(source) if layout == "original" else read_parquet(source)
