"""Check instruction shards: each row against the records JSON Schema, then what a trainer
relies on: decodable images, exactly one ``<image>`` for a row with an image (none without),
human/gpt turns alternating from human to gpt, rows in the split their file is named for, no
paper in two splits, no duplicate ids. In an output folder, the shards must also be exactly the
ones its manifest lists, with the rows, hash and schema version it records (a shard edited,
cut or swapped after the build is found). A file that is not readable Parquet (truncated) is a
finding too. Problems are reported as ``file:row: what is wrong``."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema
import pyarrow as pa
import pyarrow.parquet as pq
from PIL import Image

from scitune_data.hashing import file_sha256
from scitune_data.output_layout import DATA_DIR, MANIFEST_FILE, SHARD_NAME, shard_files, shard_name
from scitune_data.schema.records import IMAGE_TOKEN
from scitune_data.schema.registry import arrow_schema, json_schema, table_of

EXPECTED_NAME = shard_name("{split}", 0, 0).replace("00000", "NNNNN")  # for messages
MAX_PROBLEMS_PER_FILE = 200  # keep the report readable when a whole shard is wrong


@dataclass(slots=True)
class Report:
    files: int = 0
    rows: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _json_row(row: dict) -> dict:
    """The row as the JSON Schema sees it (image bytes are checked separately)."""
    image = row.get("image")
    return {**row, "image": None if image is None else {"bytes": None, "path": image.get("path")}}


def _row_problems(row: dict, validator: jsonschema.Draft202012Validator) -> list[str]:
    problems = [f"{'.'.join(map(str, e.absolute_path)) or 'row'}: {e.message}"
                for e in validator.iter_errors(_json_row(row))]
    turns = row.get("conversations") or []
    roles = [turn.get("from") for turn in turns]
    expected = ["human", "gpt"] * (len(turns) // 2)
    if roles != expected or len(turns) % 2:
        problems.append(f"conversations: turns must alternate human, gpt (got {roles})")
    placeholders = sum(str(turn.get("value", "")).count(IMAGE_TOKEN) for turn in turns)
    image = row.get("image")
    wanted = 0 if image is None else 1
    if placeholders != wanted:
        problems.append(f"conversations: {placeholders} {IMAGE_TOKEN} placeholders for "
                        f"{'no image' if wanted == 0 else 'one image'}")
    elif wanted and IMAGE_TOKEN not in str(turns[0].get("value", "")):
        problems.append(f"conversations: {IMAGE_TOKEN} must be in the first human turn")
    if image is not None:
        problems.extend(_image_problems(image.get("bytes")))
    return problems


def _image_problems(data: bytes | None) -> list[str]:
    if not data:
        return ["image: no bytes"]
    try:
        with Image.open(io.BytesIO(data)) as picture:
            picture.load()
    except Exception as error:  # noqa: BLE001 - any decoder failure is the finding
        return [f"image: does not decode ({type(error).__name__}: {error})"]
    return []


def _output_folder(path: Path) -> Path | None:
    """The output folder whose manifest covers ``path`` (the folder or its data folder)."""
    for folder in (path, path.parent if path.name == DATA_DIR else None):
        if folder is not None and (folder / MANIFEST_FILE).is_file():
            return folder
    return None


def manifest_problems(out: Path, files: list[Path]) -> list[str]:
    """The shards on disk against ``out``'s manifest: the same files, each with the rows, hash
    and schema version recorded, and the record count adding up."""
    where = out / MANIFEST_FILE
    try:
        manifest = json.loads(where.read_text(encoding="utf-8"))
        listed = {out / shard["file"]: shard for shard in manifest["shards"]}
        version = manifest["schema"]["version"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        return [f"{where}: cannot be read as a manifest ({type(error).__name__}: {error})"]
    problems = []
    try:
        json_schema("records", version)
    except KeyError:
        problems.append(f"{where}: records schema version {version!r} is not one this version knows")
    for missing in sorted(set(listed) - set(files)):
        problems.append(f"{missing}: listed in {MANIFEST_FILE} but missing")
    for extra in sorted(set(files) - set(listed)):
        problems.append(f"{extra}: not listed in {MANIFEST_FILE} (left over, or added by hand?)")
    for file in sorted(set(files) & set(listed)):
        shard = listed[file]
        if file_sha256(file) != shard.get("sha256"):
            problems.append(f"{file}: its bytes differ from the hash in {MANIFEST_FILE} (changed after the build)")
        try:
            metadata = pq.read_metadata(file)
            found = table_of(metadata.schema.to_arrow_schema())
        except (pa.ArrowException, OSError):
            continue  # reported as unreadable by the row checks
        if metadata.num_rows != shard.get("rows"):
            problems.append(f"{file}: {metadata.num_rows} rows, {MANIFEST_FILE} says {shard.get('rows')}")
        if found and found[1] != version:
            problems.append(f"{file}: records schema {found[1]}, {MANIFEST_FILE} says {version}")
    records = manifest.get("counts", {}).get("records")
    total = sum(shard.get("rows", 0) for shard in listed.values())
    if records is not None and records != total:
        problems.append(f"{where}: counts.records is {records} but its shards list {total} rows")
    return problems


def validate(path: Path) -> Report:
    report = Report()
    files = shard_files(path)
    if not files:
        report.problems.append(f"{path}: no shard files (expected {DATA_DIR}/{EXPECTED_NAME})")
        return report
    out = _output_folder(path)
    if out is not None:
        report.problems.extend(manifest_problems(out, files))
    ids: dict[str, str] = {}
    paper_split: dict[str, tuple[str, str]] = {}
    for file in files:
        report.files += 1
        try:
            _check_shard(file, report, ids, paper_split)
        except (pa.ArrowException, OSError) as error:
            report.problems.append(f"{file}: not a readable Parquet file (truncated or damaged?): {error}")
    return report


def _check_shard(file: Path, report: Report, ids: dict[str, str], paper_split: dict[str, tuple[str, str]]) -> None:
    """Schema and rows of one shard, problems added to ``report``."""
    problems_before = len(report.problems)
    name = SHARD_NAME.match(file.name)
    if not name:
        report.problems.append(f"{file}: file name is not {EXPECTED_NAME}")
    found = table_of(pq.read_schema(file))
    version = found[1] if found and found[0] == "records" else None
    if version is None:
        report.problems.append(f"{file}: not a records table (no scitune_data schema metadata)")
        return
    try:
        schema = json_schema("records", version)
    except KeyError as error:
        report.problems.append(f"{file}: {error}")
        return
    if not pq.read_schema(file).remove_metadata().equals(arrow_schema("records", version).remove_metadata()):
        report.problems.append(f"{file}: columns or types differ from records schema {version}")
        return
    validator = jsonschema.Draft202012Validator(schema)
    row_index = -1
    for batch in pq.ParquetFile(file).iter_batches(batch_size=256):
        for row in batch.to_pylist():
            row_index += 1
            report.rows += 1
            where = f"{file}:{row_index}"
            messages = _row_problems(row, validator)
            if name and row.get("split") != name["split"]:
                messages.append(f"split: row says {row.get('split')!r}, file is {name['split']!r}")
            if row.get("id") in ids:
                messages.append(f"id: {row['id']!r} already used at {ids[row['id']]}")
            else:
                ids[row.get("id")] = where
            paper = row.get("paper_id")
            if paper in paper_split and paper_split[paper][0] != row.get("split"):
                first_split, first_where = paper_split[paper]
                messages.append(f"split: paper {paper!r} is also in {first_split!r} ({first_where})")
            paper_split.setdefault(paper, (row.get("split"), where))
            if len(report.problems) - problems_before < MAX_PROBLEMS_PER_FILE:
                report.problems.extend(f"{where}: {m}" for m in messages)
