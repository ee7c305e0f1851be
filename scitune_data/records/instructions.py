"""Human-written instruction templates (MultiInstruct style), kept as data files per task."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Template:
    id: str
    text: str


@cache
def templates_for(task: str) -> tuple[Template, ...]:
    path = resources.files("scitune_data.records.templates").joinpath(f"{task}.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(Template(t["id"], t["text"]) for t in data["templates"])
