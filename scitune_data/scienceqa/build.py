"""ScienceQA problems → stage-2 records and shards (same schema as the figure records)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from scitune_data.pipeline.records import versions
from scitune_data.records.builder import IMAGE_TOKEN
from scitune_data.records.recipe import Recipe
from scitune_data.schema.registry import CURRENT
from scitune_data.scienceqa.formats import Problem, prompt_and_answer
from scitune_data.scienceqa.sources import ScienceQAError, detect_layout, read_problems
from scitune_data.shards.writer import ShardWriter, write_manifest

SUBJECT_CODES = {"natural science": "NAT", "social science": "SOC", "language science": "LAN"}


@dataclass(slots=True)
class ScienceQASummary:
    problems: int = 0
    records: int = 0
    errors: list[str] = field(default_factory=list)
    shards: list[dict] = field(default_factory=list)


def problem_record(problem: Problem, prompt_format: str) -> dict:
    prompt, answer = prompt_and_answer(problem, prompt_format)
    human = f"{prompt}\n{IMAGE_TOKEN}" if problem.image is not None else prompt
    return {
        "id": f"scienceqa/{problem.pid}/{prompt_format}",
        "paper_id": f"scienceqa-{problem.pid}",
        "figure_id": problem.pid,
        "split": problem.split,
        "stage": "instruct",
        "task": "scienceqa",
        "template_id": prompt_format,
        "source": "scienceqa",
        "image": None if problem.image is None else {"bytes": problem.image, "path": f"{problem.pid}/image.png"},
        "conversations": [{"from": "human", "value": human}, {"from": "gpt", "value": answer}],
        "figure_type": None,
        "subject": problem.subject,
        "grade": problem.grade,
        "has_context": bool(problem.hint.strip()),
        "answer": problem.answer_letter,
    }


def build_scienceqa(source: Path, out: Path, recipe: Recipe) -> ScienceQASummary:
    layout = detect_layout(source)
    writer = ShardWriter(out, recipe.shards)
    summary = ScienceQASummary()
    for problem in read_problems(source):
        if isinstance(problem, ScienceQAError):  # reported; the other problems go on
            summary.errors.append(str(problem))
            continue
        summary.problems += 1
        writer.add(problem_record(problem, recipe.prompt_format))
        summary.records += 1
    summary.shards = writer.close()
    write_manifest(out, {
        "schema": {"table": "records", "version": CURRENT["records"]},
        "recipe": recipe.as_dict(),
        "source": {"kind": "scienceqa", "layout": layout, "path": str(source)},
        "versions": versions(),
        "counts": {"problems": summary.problems, "records": summary.records, "errors": len(summary.errors)},
        "errors": summary.errors,
        "shards": summary.shards,
    })
    return summary
