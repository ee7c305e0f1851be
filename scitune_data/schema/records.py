"""The records table (instruction shards): its Arrow schema, the image placeholder of its
conversations, and the one builder of its rows (figure tasks and ScienceQA alike)."""

from __future__ import annotations

from typing import Mapping

from scitune_data.arxiv.metadata import PAPER_COLUMNS
from scitune_data.schema.registry import arrow_schema

RECORDS_SCHEMA = arrow_schema("records")
IMAGE_TOKEN = "<image>"  # LLaVA's placeholder; the trainer expands it into the image's tokens


def record_row(*, record_id: str, paper_id: str, figure_id: str, split: str, stage: str, task: str, template_id: str,
               source: str, image: dict | None, prompt: str, answer_text: str, figure_type: str | None = None,
               subject: str | None = None, grade: str | None = None, has_context: bool | None = None,
               answer: str | None = None, paper: Mapping | None = None) -> dict:
    """A record: the human turn (the prompt, then, with an image, ``IMAGE_TOKEN`` on its own line:
    SciTune's and LLaVA's layout) and the answer; ``paper``: a figures-table row whose paper
    columns (title, licence, ...) the record carries."""
    human = f"{prompt}\n{IMAGE_TOKEN}" if image is not None else prompt
    return {
        "id": record_id, "paper_id": paper_id, "figure_id": figure_id, "split": split, "stage": stage, "task": task,
        "template_id": template_id, "source": source, "image": image,
        "conversations": [{"from": "human", "value": human}, {"from": "gpt", "value": answer_text}],
        "figure_type": figure_type, "subject": subject, "grade": grade, "has_context": has_context, "answer": answer,
        **{name: (paper or {}).get(name) for name in PAPER_COLUMNS},
    }
