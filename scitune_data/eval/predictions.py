"""Prediction files the way users have them, told apart by their shape (or named with
``--format``):

- ``jsonl``: this project's ``predict`` output, one ``{id, task, template_id, prompt, output,
  reference}`` object a line;
- ``llava``: LLaVA's answer file (``model_vqa_science`` and friends), one
  ``{question_id, prompt, text, answer_id, model_id}`` object a line;
- ``scienceqa``: the official ScienceQA predictions, a JSON object ``{pid: answer}`` (the answer
  an option index, a letter, or the model's text), also nested under ``results`` as the official
  and LLaVA evaluation scripts write it.

Each becomes :class:`Prediction` values; matching them to records is the caller's job.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

FORMATS = ("auto", "jsonl", "llava", "scienceqa")
LETTER = re.compile(r"^\(?([A-E])\)?[.:]?$")


class PredictionsError(ValueError):
    """A predictions file that cannot be read as the format it is (or is said to be)."""


@dataclass(frozen=True, slots=True)
class Prediction:
    id: str
    output: str  # the model's text ("" when the file gives only an answer)
    letter: str | None = None  # an answer the file gives directly (official dict, a bare "B")
    fields: dict = field(default_factory=dict)  # everything else the line holds (task, reference, ...)


def read_predictions(path: Path, fmt: str = "auto") -> tuple[str, list[Prediction]]:
    """The format (detected unless given) and the predictions in file order."""
    if fmt not in FORMATS:
        raise PredictionsError(f"unknown predictions format {fmt!r}; choose one of {', '.join(FORMATS)}")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PredictionsError(f"{path}: {error}") from error
    whole = _whole_json(text)
    if fmt == "auto":
        fmt = _detect(whole, text, path)
    if fmt == "scienceqa":
        return fmt, _official(whole, path)
    lines = _lines(text, path) if not isinstance(whole, list) else whole
    return fmt, [_line(item, number, fmt, path) for number, item in enumerate(lines, start=1)]


def _whole_json(text: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return None  # JSON lines (or nothing readable): decided line by line


def _lines(text: str, path: Path) -> list[object]:
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise PredictionsError(f"{path}:{number}: not a JSON line ({error.msg})") from error
    return items


def _detect(whole: object, text: str, path: Path) -> str:
    if isinstance(whole, dict) and not {"id", "output"} <= whole.keys() and not {"question_id", "text"} <= whole.keys():
        return "scienceqa"
    items = whole if isinstance(whole, list) else _lines(text, path)
    first = next((item for item in items if isinstance(item, dict)), None)
    if first is None:
        raise PredictionsError(f"{path}: no predictions (expected JSON lines or a {{pid: answer}} object)")
    if "question_id" in first and "text" in first:
        return "llava"
    if "id" in first and "output" in first:
        return "jsonl"
    raise PredictionsError(f"{path}: cannot tell the format from a line with keys {sorted(first)}; expected "
                           "{id, output} (this project), {question_id, text} (LLaVA) or {pid: answer} (ScienceQA); "
                           "name it with --format")


def _official(whole: object, path: Path) -> list[Prediction]:
    if isinstance(whole, dict) and isinstance(whole.get("results"), dict):
        whole = whole["results"]
    if not isinstance(whole, dict):
        raise PredictionsError(f"{path}: the ScienceQA format is a JSON object {{pid: answer}}")
    predictions = []
    for pid, answer in whole.items():
        if isinstance(answer, bool) or not isinstance(answer, (int, str)):
            raise PredictionsError(f"{path}: the answer for {pid!r} is {answer!r}, not an option index, letter or text")
        if isinstance(answer, int):
            predictions.append(Prediction(str(pid), "", _index_letter(answer)))
        else:
            predictions.append(Prediction(str(pid), answer, _bare_letter(answer)))
    return predictions


def _line(item: object, number: int, fmt: str, path: Path) -> Prediction:
    keys = ("question_id", "text") if fmt == "llava" else ("id", "output")
    if not isinstance(item, dict) or not all(key in item for key in keys):
        raise PredictionsError(f"{path}:{number}: a {fmt} line needs {' and '.join(keys)}")
    identifier, output = str(item[keys[0]]), item[keys[1]]
    if not isinstance(output, str):
        raise PredictionsError(f"{path}:{number}: {keys[1]} is not text")
    rest = {k: v for k, v in item.items() if k not in keys}
    return Prediction(identifier, output, _bare_letter(output), rest)


def _index_letter(index: int) -> str | None:
    """An option index as its letter; an index no option has (the official -1 included) is None."""
    return "ABCDE"[index] if 0 <= index < 5 else None


def _bare_letter(text: str) -> str | None:
    """``B``, ``(B)``, ``B.``: an answer given as the option letter alone."""
    match = LETTER.match(text.strip())
    return match.group(1) if match else None
