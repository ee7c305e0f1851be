"""ScienceQA problems → stage-2 records and shards (same schema as the figure records)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from scitune_data.out_folder import OutFolder
from scitune_data.output_layout import ERRORS_FILE
from scitune_data.records.recipe import Recipe
from scitune_data.schema.figures import ERRORS_SCHEMA, error_row
from scitune_data.schema.records import record_row
from scitune_data.schema.registry import CURRENT
from scitune_data.scienceqa.formats import Problem, prompt_and_answer
from scitune_data.scienceqa.sources import ScienceQAError, detect_layout, read_problems
from scitune_data.shards.manifest import software_versions, write_manifest
from scitune_data.shards.writer import ShardWriter
from scitune_data.storage import write_parquet

SUBJECT_CODES = {"natural science": "NAT", "social science": "SOC", "language science": "LAN"}


@dataclass(slots=True)
class ScienceQASummary:
    problems: int = 0
    records: int = 0
    errors: list[ScienceQAError] = field(default_factory=list)
    shards: list[dict] = field(default_factory=list)


def problem_record(problem: Problem, prompt_format: str) -> dict:
    prompt, answer = prompt_and_answer(problem, prompt_format)
    return record_row(
        record_id=f"scienceqa/{problem.pid}/{prompt_format}", paper_id=f"scienceqa-{problem.pid}",
        figure_id=problem.pid, split=problem.split, stage="instruct", task="scienceqa", template_id=prompt_format,
        source="scienceqa",
        image=None if problem.image is None else {"bytes": problem.image, "path": f"{problem.pid}/image.png"},
        prompt=prompt, answer_text=answer, subject=problem.subject, grade=problem.grade,
        has_context=bool(problem.hint.strip()), answer=problem.answer_letter)


def build_scienceqa(source: Path, out: Path, recipe: Recipe) -> ScienceQASummary:
    """Convert every problem under ``source`` into shards in ``out``, written anew like an
    import's (see :class:`~scitune_data.importers.common.FigureSink`): the files an earlier run
    listed in OUT's marker go first, nothing else."""
    layout = detect_layout(source)
    folder = OutFolder(out).claim()
    folder.clear()
    writer = ShardWriter(out, recipe.shards)
    summary = ScienceQASummary()
    try:
        for problem in read_problems(source):
            if isinstance(problem, ScienceQAError):  # reported; the other problems go on
                summary.errors.append(problem)
                continue
            summary.problems += 1
            writer.add(problem_record(problem, recipe.prompt_format))
            summary.records += 1
    except BaseException:
        writer.abort()  # no staging file left behind (a full disk)
        raise
    summary.shards = writer.close()
    folder.own([ERRORS_FILE])
    write_parquet([error_row(file=error.file, stage="import-scienceqa", error_type="ScienceQAError", message=str(error))
                   for error in summary.errors], ERRORS_SCHEMA, folder.path(ERRORS_FILE))
    write_manifest(out, {
        "schema": {"table": "records", "version": CURRENT["records"]},
        "recipe": recipe.as_dict(),
        "source": {"kind": "scienceqa", "layout": layout, "folder": source.resolve().name},  # no local paths
        "versions": software_versions(),
        "counts": {"problems": summary.problems, "records": summary.records, "errors": len(summary.errors)},
        "errors": [str(error) for error in summary.errors],
        "shards": summary.shards,
    })
    return summary
