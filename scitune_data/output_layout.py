"""The output folder (OUT): every file and folder name in it, the split names, and how shards
are found. Nothing else in the package spells these names (a test greps for strays).

```
OUT/figures/part-00000.parquet      the figures table, one part per build batch or import chunk
OUT/errors.parquet                  one row per problem, with the reason
OUT/summary.json                    build counts
OUT/data/{split}-00000-of-00001.parquet   instruction shards
OUT/manifest.json                   what the shards were built from, counts, hashes
OUT/_build/                         resume state: config.json, batch-NNNNN.json markers, errors-NNNNN.parquet
OUT/.scitune-data.json              the marker: this folder is a scitune-data output, and the files it wrote
OUT/.scitune-data.lock              held by the one process writing the folder
```
"""

from __future__ import annotations

import re
from pathlib import Path

FIGURES_DIR = "figures"
ERRORS_FILE = "errors.parquet"
SUMMARY_FILE = "summary.json"
DATA_DIR = "data"
MANIFEST_FILE = "manifest.json"
WORK_DIR = "_build"
CONFIG_FILE = "config.json"  # under WORK_DIR
PARQUET_FILES = "*.parquet"
FIGURE_PARTS = "part-*.parquet"
BATCH_ERRORS = "errors-*.parquet"
BATCH_MARKERS = "batch-*.json"
MARKER_FILE = ".scitune-data.json"
LOCK_FILE = ".scitune-data.lock"

SPLITS = ("train", "validation", "test")
SPLIT_ALIASES = {"val": "validation", "valid": "validation", "dev": "validation"}
# Every word that names a split, longest first (so "validation" wins over "val" in a regex).
SPLIT_WORDS = "|".join(sorted([*SPLITS, *SPLIT_ALIASES], key=len, reverse=True))
SHARD_NAME = re.compile(rf"^(?P<split>{'|'.join(SPLITS)})-(?P<index>\d{{5}})-of-(?P<count>\d{{5}})\.parquet$")


def split_name(word: object) -> str | None:
    """The split a corpus's word names (``val`` → ``validation``), or None for anything else."""
    word = word.lower() if isinstance(word, str) else ""
    return word if word in SPLITS else SPLIT_ALIASES.get(word)


def figure_part(index: int) -> str:
    return f"part-{index:05d}.parquet"


def batch_errors(index: int) -> str:
    return f"errors-{index:05d}.parquet"


def batch_marker(index: int) -> str:
    return f"batch-{index:05d}.json"


def staging_shard(split: str) -> str:
    """The file a split's records stream into before they are cut into shards (under DATA_DIR)."""
    return f".staging-{split}.parquet"


def index_of(name: str) -> int:
    """The number in a numbered file name (``part-00003.parquet`` → 3)."""
    return int(name.rsplit("-", 1)[-1].split(".")[0])


def shard_name(split: str, index: int, count: int) -> str:
    return f"{split}-{index:05d}-of-{count:05d}.parquet"


def shard_files(path: Path, split: str | None = None) -> list[Path]:
    """The shards under an output folder, its data folder, or one shard file, sorted; with
    ``split``, only the shards named for that split."""
    if path.is_file():
        files = [path]
    else:
        data = path / DATA_DIR if (path / DATA_DIR).is_dir() else path
        files = sorted(data.glob(PARQUET_FILES))
    if split is None:
        return files
    return [f for f in files if (match := SHARD_NAME.match(f.name)) and match["split"] == split]


def shard_split(path: Path) -> str | None:
    """The split a shard's file name says, or None for a name that is not a shard's."""
    match = SHARD_NAME.match(path.name)
    return match["split"] if match else None


def figure_files(path: Path) -> list[Path]:
    """The parts of a figures table: an output folder, its figures folder, or one Parquet file."""
    if (path / FIGURES_DIR).is_dir():
        path = path / FIGURES_DIR
    files = sorted(path.glob(PARQUET_FILES)) if path.is_dir() else [path]
    if not files or not all(f.is_file() for f in files):
        raise FileNotFoundError(f"no figures table at {path}")
    return files
