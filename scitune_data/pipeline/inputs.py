"""The inputs of a build: every ``*.pdf`` under the folder, in a stable order, with files that
repeat another file's bytes marked as duplicates (hashed only when two files share a size, so
planning a million PDFs stays cheap)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from scitune_data.pdf.reader import file_sha256


@dataclass(frozen=True, slots=True)
class InputFile:
    index: int
    path: Path
    source_file: str  # relative to the input folder
    size: int  # -1 when the file cannot be stat'ed (a dangling link): the worker reports why
    duplicate_of: str | None = None

    def identity(self) -> list:
        """What a completion marker remembers of the input."""
        return [self.source_file, self.size, self.duplicate_of]


def discover_pdfs(root: Path) -> list[Path]:
    """Every ``*.pdf`` below ``root`` (any case, links followed), in a stable order."""
    if not root.is_dir():
        raise NotADirectoryError(f"--pdf-dir {root} is not a folder")
    return sorted((p for p in root.rglob("*") if p.suffix.lower() == ".pdf" and not p.is_dir()),
                  key=lambda p: p.relative_to(root).as_posix())


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1


def plan_inputs(root: Path) -> list[InputFile]:
    paths = discover_pdfs(root)
    sizes = [_size(p) for p in paths]
    by_size: dict[int, list[int]] = defaultdict(list)
    for index, size in enumerate(sizes):
        if size > 0:
            by_size[size].append(index)
    duplicate_of: dict[int, str] = {}
    for indices in by_size.values():
        if len(indices) < 2:
            continue
        first_seen: dict[str, str] = {}
        for index in indices:
            try:
                digest = file_sha256(paths[index])
            except OSError:
                continue
            original = first_seen.setdefault(digest, paths[index].relative_to(root).as_posix())
            if original != paths[index].relative_to(root).as_posix():
                duplicate_of[index] = original
    return [InputFile(i, p, p.relative_to(root).as_posix(), sizes[i], duplicate_of.get(i))
            for i, p in enumerate(paths)]
