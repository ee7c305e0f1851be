"""Read ScienceQA from either of its layouts, one problem at a time, wherever its files sit under
the source folder.

- original: ``problems.json`` (pid → question, choices, answer index, hint, image, grade,
  subject, lecture, solution, split), ``pid_splits.json``, images usually at
  ``images/{split}/{pid}/image.png`` (found by ``{pid}/{image}`` anywhere under the source,
  never outside it);
- Hugging Face Parquet: ``*.parquet`` files named for their split (train/validation/test),
  possibly several per split (``train-00000-of-00002-*.parquet``), with the same fields and an
  ``image`` struct. Rows have no pid, so one is made from the split and the row's position in
  that split counted across its files in name order (``train-00042``): unique and the same
  however the split is sharded.

A malformed problem (not an object, a field of the wrong type, an answer index beyond the
choices, an image that does not decode) is yielded as a :class:`ScienceQAError` value, so the
caller reports it and goes on.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Iterator

import pyarrow.parquet as pq

from scitune_data.importers.common import CorpusError, as_object, checked_image, json_kind, text_field
from scitune_data.importers.source_files import SourceFiles
from scitune_data.output_layout import SPLIT_WORDS, split_name
from scitune_data.scienceqa.formats import LETTERS, Problem

PARQUET_SPLIT = re.compile(rf"(?:^|[/_-])({SPLIT_WORDS})(?=[-_.])")


class ScienceQAError(ValueError):
    """A source folder that is neither layout, or a malformed problem (``file``: the source file
    it is in, relative to the source)."""

    def __init__(self, message: str, file: str = "") -> None:
        super().__init__(message)
        self.file = file


def detect_layout(source: Path) -> str:
    if problems_file(source) is not None:
        return "original"
    if any(source.rglob("*.parquet")):
        return "parquet"
    raise ScienceQAError(f"{source}: neither problems.json nor *.parquet files found")


def problems_file(source: Path) -> Path | None:
    """The shallowest ``problems.json`` under the source."""
    found = sorted(source.rglob("problems.json"), key=lambda p: (len(p.parts), p.as_posix()))
    return found[0] if found else None


def _problem(pid: str, raw: object, split: str, image: bytes | None) -> Problem:
    raw = as_object(raw, f"problem {pid}")
    choices = raw.get("choices")
    if not isinstance(choices, list) or not 2 <= len(choices) <= len(LETTERS) \
            or not all(isinstance(c, str) for c in choices):
        raise CorpusError(f"field 'choices' is {json_kind(choices)}, not a list of 2 to {len(LETTERS)} strings")
    answer = raw.get("answer")
    if not isinstance(answer, int) or isinstance(answer, bool):
        raise CorpusError(f"field 'answer' is {json_kind(answer)}, not a choice index")
    if not 0 <= answer < len(choices):
        raise CorpusError(f"answer index {answer} is beyond the {len(choices)} choices")
    return Problem(
        pid=pid, question=text_field(raw, "question"), choices=tuple(choices), answer=answer,
        hint=text_field(raw, "hint", ""), lecture=text_field(raw, "lecture", ""),
        solution=text_field(raw, "solution", ""), grade=text_field(raw, "grade", ""),
        subject=text_field(raw, "subject", ""), split=split, image=image)


def _checked(data: bytes, name: str) -> bytes:
    checked_image(data, name)
    return data


def read_original(source: Path) -> Iterator[Problem | ScienceQAError]:
    problems_path = problems_file(source)
    home = problems_path.parent.relative_to(source).as_posix()
    try:
        problems = as_object(json.loads(problems_path.read_bytes().decode("utf-8")), "problems.json")
        splits_file = problems_path.with_name("pid_splits.json")
        listed = as_object(json.loads(splits_file.read_bytes().decode("utf-8")) if splits_file.is_file() else {},
                           "pid_splits.json")
    except (ValueError, OSError) as error:
        raise ScienceQAError(f"{source}: {error}") from error
    original_split = {str(pid): name for name, pids in listed.items() if split_name(name) and isinstance(pids, list)
                      for pid in pids}
    files = SourceFiles(source)
    for pid in sorted(problems, key=lambda p: (len(p), p)):
        try:
            raw = as_object(problems[pid], f"problem {pid}")
            folder = raw.get("split") if raw.get("split") is not None else original_split.get(pid)
            split = split_name(folder)
            if split is None:
                raise CorpusError(f"split {folder!r} is not a split name (in problems.json or pid_splits.json)")
            image = None
            if raw.get("image") is not None:
                name = f"{pid}/{text_field(raw, 'image')}"
                hints = [f"{home}/images/{folder}", f"images/{folder}", f"{home}/images", "images"]
                image = _checked(files.read(name, hints)[0], name)
            yield _problem(pid, raw, split, image)
        except (CorpusError, OSError) as error:
            yield ScienceQAError(f"problem {pid}: {error}", problems_path.relative_to(source).as_posix())


def read_parquet(source: Path) -> Iterator[Problem | ScienceQAError]:
    files = SourceFiles(source)
    rows_seen: Counter[str] = Counter()  # per split, across its files in name order
    for path in sorted(source.rglob("*.parquet"), key=lambda p: p.relative_to(source).as_posix()):
        relative = path.relative_to(source).as_posix()
        match = PARQUET_SPLIT.search(path.name)
        if not match:
            yield ScienceQAError(f"{relative}: cannot tell its split from the file name (train, validation, test)",
                                 relative)
            continue
        split = split_name(match.group(1))
        try:
            batches = pq.ParquetFile(path).iter_batches(batch_size=256)
            for batch in batches:
                for raw in batch.to_pylist():
                    pid = f"{split}-{rows_seen[split]:05d}"
                    rows_seen[split] += 1
                    try:
                        yield _problem(pid, raw, split, _embedded_image(raw.get("image"), files, pid))
                    except (CorpusError, OSError) as error:
                        yield ScienceQAError(f"problem {pid} ({relative}): {error}", relative)
        except OSError as error:  # arrow's errors for unreadable Parquet are OSErrors
            yield ScienceQAError(f"{relative}: not readable as Parquet ({error})", relative)


def _embedded_image(image: object, files: SourceFiles, pid: str) -> bytes | None:
    """The Image feature's bytes, or the file its path names inside the source."""
    if image is None:
        return None
    image = as_object(image, "field 'image'")
    if image.get("bytes"):
        return _checked(image["bytes"], f"of problem {pid}")
    if image.get("path"):
        return _checked(files.read(image["path"])[0], image["path"])
    raise CorpusError("field 'image' holds neither bytes nor a path")


def read_problems(source: Path) -> Iterator[Problem | ScienceQAError]:
    """Problems in a stable order; a malformed one comes as a :class:`ScienceQAError` value so
    the caller can report it and go on."""
    layout = detect_layout(source)
    return read_original(source) if layout == "original" else read_parquet(source)
