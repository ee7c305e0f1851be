"""Figures-table rows → instruction records (one per task and sampled template, or one per
template with ``templates = "all"``). Sampling is seeded per figure and task, so a rebuild, or
a build in another order, picks the same template."""

from __future__ import annotations

import hashlib
import random

from scitune_data.records.instructions import Template, templates_for
from scitune_data.records.recipe import Recipe
from scitune_data.records.tasks import TASKS, TYPE_OPTIONS
from scitune_data.schema.records import record_row


def _rng(*parts: object) -> random.Random:
    seed = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(seed[:8], "big"))


def chosen_templates(recipe: Recipe, task: str, paper_id: str, figure_id: str) -> tuple[Template, ...]:
    templates = templates_for(task)
    if recipe.templates == "all":
        return templates
    return (_rng(recipe.seed, paper_id, figure_id, task).choice(templates),)


def figure_records(row: dict, split: str, recipe: Recipe) -> list[dict]:
    records = []
    for task in recipe.tasks:
        target = TASKS[task](row, recipe.caption_variant)
        if not target:
            continue
        for template in chosen_templates(recipe, task, row["paper_id"], row["figure_id"]):
            instruction = template.text.replace("{options}", TYPE_OPTIONS)
            records.append(record_row(
                record_id=f"{row['paper_id']}/{row['figure_id']}/{task}/{template.id}", paper_id=row["paper_id"],
                figure_id=row["figure_id"], split=split, stage=recipe.stage, task=task, template_id=template.id,
                source=row.get("source") or "pdf", image=row["image"], prompt=instruction,
                answer_text=target, figure_type=row.get("figure_type"), paper=row))
    return records
