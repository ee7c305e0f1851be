"""Batch outputs and completion markers: what makes a build resumable.

Batch ``i`` writes its figures part and its errors under the work folder (each atomically: temp
file, then rename) and then, last, its marker (names in :mod:`scitune_data.output_layout`): the
run key (engine versions, and the settings that only matter when a paper meets trouble: password
given, time limit, memory cap) and, for each input, its name, the SHA-256 of its bytes, its
change stamp, whether it failed or met any problem, and its page count. A rerun keeps a paper of
a finished batch when

- its bytes are the same (by hash: a replaced file is redone, whatever its size or date),
- the engines are the same versions (they decide every paper's output),
- it did not fail (a failed paper is always retried), and
- it came out clean, or the settings are unchanged (a paper that met a problem is redone when a
  password, a longer time limit or a larger memory cap might change how it ends).

A batch whose papers are all kept is skipped, unless what the metadata says of a paper changed
(a newer snapshot): then its kept papers are read back and written with their new columns, and
nothing is extracted again. Otherwise the kept papers are read back from its outputs and only
the others are processed, so its bytes are those an uninterrupted run would write. The paper
columns (:data:`scitune_data.arxiv.metadata.PAPER_COLUMNS`) are joined to every figure row as
the batch is written. A batch killed halfway has no marker and is redone whole. Every file is listed in OUT's
marker before it is written (:mod:`scitune_data.out_folder`); only listed files are ever removed.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from scitune_data import output_layout as layout
from scitune_data import storage
from scitune_data.arxiv.metadata import PAPER_COLUMNS
from scitune_data.out_folder import OutFolder
from scitune_data.pipeline.inputs import InputFile, Stamp
from scitune_data.pipeline.papers import PaperOutcome, duplicate_outcome
from scitune_data.schema.figures import ERRORS_SCHEMA, FIGURES_SCHEMA

COUNTS = ("inputs", "succeeded", "failed", "skipped", "pages", "figures", "tables", "errors", "warnings")


class ConfigChanged(RuntimeError):
    """The output folder was built with other settings; mixing them would corrupt it."""


def _clean(outcome: PaperOutcome) -> bool:
    return all(error["severity"] == "info" for error in outcome.errors)


def batch_counts(outcomes: list[PaperOutcome]) -> dict:
    counts = dict.fromkeys(COUNTS, 0)
    error_files = []
    for outcome in outcomes:
        counts["inputs"] += 1
        counts["skipped"] += outcome.skipped
        counts["failed"] += outcome.failed and not outcome.skipped
        counts["succeeded"] += not outcome.failed and not outcome.skipped
        counts["pages"] += outcome.pages
        counts["figures"] += sum(row["kind"] == "figure" for row in outcome.figures)
        counts["tables"] += sum(row["kind"] == "table" for row in outcome.figures)
        counts["errors"] += sum(error["severity"] == "error" for error in outcome.errors)
        counts["warnings"] += sum(error["severity"] == "warning" for error in outcome.errors)
        if not _clean(outcome):
            error_files.append(outcome.source_file)
    return counts | {"error_files": error_files}


def _paper_columns(item: InputFile) -> dict:
    return {name: item.paper.get(name) for name in PAPER_COLUMNS}


def figures_name(index: int) -> str:
    return f"{layout.FIGURES_DIR}/{layout.figure_part(index)}"


def errors_name(index: int) -> str:
    return f"{layout.WORK_DIR}/{layout.batch_errors(index)}"


def marker_name(index: int) -> str:
    return f"{layout.WORK_DIR}/{layout.batch_marker(index)}"


CONFIG_NAME = f"{layout.WORK_DIR}/{layout.CONFIG_FILE}"


class BatchStore:
    """Batch outputs under ``out``: a local folder or an fsspec URL."""

    def __init__(self, out: str | Path) -> None:
        self.out = str(out)
        self.folder = OutFolder(out)
        self.figures_dir = self.folder.path(layout.FIGURES_DIR)

    def figures_path(self, index: int) -> str:
        return self.folder.path(figures_name(index))

    def errors_path(self, index: int) -> str:
        return self.folder.path(errors_name(index))

    def marker_path(self, index: int) -> str:
        return self.folder.path(marker_name(index))

    def check_config(self, config: dict, overwrite: bool) -> None:
        """Remember the config, or refuse one that differs from what the folder holds;
        ``overwrite`` removes every file of the folder's own and starts again."""
        path = self.folder.path(CONFIG_NAME)
        if overwrite:
            self.folder.clear()
        elif storage.exists(path):
            previous = storage.read_json(path)
            if previous != config:
                changed = sorted(k for k in set(previous) | set(config) if previous.get(k) != config.get(k))
                raise ConfigChanged(
                    f"{self.out} was built with other settings ({', '.join(changed)} differ); "
                    "use a new --out, or --overwrite to rebuild it from scratch")
        self.folder.own([CONFIG_NAME])
        storage.write_json(config, path)

    def plan(self, batches: int) -> None:
        """List this build's files as the folder's own and remove those of batches that no
        longer exist (the input set shrank)."""
        patterns = (f"{layout.FIGURES_DIR}/{layout.FIGURE_PARTS}", f"{layout.WORK_DIR}/{layout.BATCH_ERRORS}",
                    f"{layout.WORK_DIR}/{layout.BATCH_MARKERS}")
        stale = [name for pattern in patterns for name in self.folder.owned_matching(pattern)
                 if layout.index_of(name) >= batches]
        self.folder.remove(stale)
        self.folder.own([name(i) for i in range(batches) for name in (figures_name, errors_name, marker_name)]
                        + [layout.ERRORS_FILE, layout.SUMMARY_FILE])

    def recorded(self) -> dict[str, tuple[Stamp, str]]:
        """What finished batches saw of each input: its change stamp and hash."""
        found = {}
        for location in storage.glob(self.folder.path(layout.WORK_DIR), layout.BATCH_MARKERS):
            for paper in storage.read_json(location)["papers"]:
                found[paper["file"]] = (paper["stamp"], paper["sha256"])
        return found

    def marker(self, index: int) -> dict | None:
        """The batch's marker, when the batch finished (its outputs are all there)."""
        paths = (self.marker_path(index), self.figures_path(index), self.errors_path(index))
        return storage.read_json(paths[0]) if all(storage.exists(p) for p in paths) else None

    def reusable(self, index: int, inputs: list[InputFile], key: dict) -> tuple[dict | None, list[int]]:
        """The batch's marker and the positions of the papers a rerun keeps (see the module)."""
        marker = self.marker(index)
        if marker is None or marker["versions"] != key["versions"]:
            return marker, []
        same_settings = marker["settings"] == key["settings"]
        kept = []
        for position, (item, paper) in enumerate(zip(inputs, marker["papers"])):
            if (paper["file"], paper["duplicate_of"]) != (item.source_file, item.duplicate_of):
                continue
            if item.sha256 is None or paper["sha256"] != item.sha256 or paper["failed"]:
                continue
            if paper["clean"] or same_settings:
                kept.append(position)
        return marker, kept

    @staticmethod
    def papers_unchanged(marker: dict, inputs: list[InputFile]) -> bool:
        """True when the marker's papers carry the columns the inputs' papers have now."""
        return all(paper.get("paper", {}) == item.paper for paper, item in zip(marker["papers"], inputs))

    def kept_outcomes(self, index: int, inputs: list[InputFile], positions: tuple[int, ...]
                      ) -> dict[int, PaperOutcome]:
        """The outcomes of kept papers, read back from the batch's outputs."""
        if not positions:
            return {}
        papers = storage.read_json(self.marker_path(index))["papers"]
        figures: dict[str, list[dict]] = {}
        for row in storage.read_parquet(self.figures_path(index)).to_pylist():
            figures.setdefault(row["source_file"], []).append(row)
        errors: dict[str, list[dict]] = {}
        for row in storage.read_parquet(self.errors_path(index)).to_pylist():
            errors.setdefault(row["file"], []).append(row)
        kept = {}
        for position in positions:
            item, paper = inputs[position], papers[position]
            if item.duplicate_of is not None:
                kept[position] = duplicate_outcome(item.source_file, item.duplicate_of)
            else:
                kept[position] = PaperOutcome(item.source_file, paper["sha256"], paper["pages"],
                                              figures.get(item.source_file, []), errors.get(item.source_file, []))
        return kept

    def write(self, index: int, key: dict, inputs: list[InputFile], outcomes: list[PaperOutcome]) -> dict:
        rows = [row | _paper_columns(item) for item, o in zip(inputs, outcomes) for row in o.figures]
        storage.write_parquet(rows, FIGURES_SCHEMA, self.figures_path(index))
        storage.write_parquet([row for o in outcomes for row in o.errors], ERRORS_SCHEMA, self.errors_path(index))
        papers = [{"file": item.source_file, "sha256": outcome.sha256 or item.sha256 or "", "stamp": item.stamp,
                   "duplicate_of": item.duplicate_of, "failed": outcome.failed, "clean": _clean(outcome),
                   "pages": outcome.pages, "paper": item.paper} for item, outcome in zip(inputs, outcomes)]
        marker = {"batch": index, **key, "papers": papers, "counts": batch_counts(outcomes)}
        storage.write_json(marker, self.marker_path(index))
        return marker

    def merge_errors(self, batches: int, first: list[dict]) -> None:
        """OUT's errors table: ``first`` (problems met before any batch ran), then each batch's."""
        tables = [storage.read_parquet(self.errors_path(i)) for i in range(batches)]
        rows = first + (pa.concat_tables(tables).to_pylist() if tables else [])
        storage.write_parquet(rows, ERRORS_SCHEMA, self.folder.path(layout.ERRORS_FILE))
