"""What a build knows of each input's paper: the id and version its file name carries, joined
with the arXiv metadata snapshot when one is given, and whether the paper selection keeps it.
Papers are selected before anything is read or hashed, so a selection also saves the work."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from scitune_data.arxiv.ids import paper_name
from scitune_data.arxiv.metadata import paper_columns, read_snapshot
from scitune_data.arxiv.selection import PaperSelection
from scitune_data.pipeline.inputs import InputProblem, Source


class MetadataUnavailable(FileNotFoundError):
    """The metadata file given cannot be read."""


@dataclass(slots=True)
class Catalog:
    sources: list[Source]  # the selected inputs, each with its paper's columns
    excluded: Counter = field(default_factory=Counter)  # reason -> inputs left out by the selection
    without_metadata: int | None = None  # selected inputs the snapshot does not know (None: none given)
    problems: list[InputProblem] = field(default_factory=list)


def catalogue(sources: list[Source], metadata: str | None, selection: PaperSelection) -> Catalog:
    """Join each input with its paper's metadata (one streamed pass over the snapshot for the
    ids the inputs name) and keep those the selection wants."""
    names = [paper_name(source.source_file) for source in sources]
    found, problems = {}, []
    if metadata is not None:
        try:
            lookup = read_snapshot(metadata, {name.id for name in names})
        except OSError as error:
            raise MetadataUnavailable(f"{metadata} cannot be read: {error.strerror or error}") from None
        found = lookup.papers
        if lookup.bad_lines:
            where = str(metadata).rstrip("/").rsplit("/", 1)[-1]
            problems.append(InputProblem(where, "MetadataLine", f"{lookup.bad_lines} of its {lookup.lines} lines are "
                                         f"not JSON objects with an id (the first: line {lookup.first_bad_line}); "
                                         "skipped", "warning", stage="metadata"))
    catalog = Catalog([], problems=problems)
    for source, name in zip(sources, names):
        columns = paper_columns(name, found.get(name.id))
        reason = selection.reason_to_drop(columns)
        if reason is not None:
            catalog.excluded[reason] += 1
            continue
        catalog.sources.append(replace(source, paper=columns))
    if metadata is not None:
        catalog.without_metadata = sum(source.paper["categories"] is None for source in catalog.sources)
    return catalog
