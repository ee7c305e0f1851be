"""ScienceQA accuracy, overall and by the official categories.

Answers are parsed from "The answer is X." (A/QCM-A/LEA formats), "ANSWER: X." (LEPA) or a bare
letter, or given directly (the official predictions' option index); an output with no answer, or
with two different answers, counts as wrong and is reported as unparsed (never replaced by a
random guess), and so does a question without any prediction. Categories follow ScienceQA's
evaluation: NAT, SOC, LAN by subject; TXT: a text context (hint); IMG: an image context (a
record whose ``image.path`` is set); NO: neither; G1-6 and G7-12 by the grade the question
belongs to (accuracy over those questions, not a mean of per-grade accuracies).
"""

from __future__ import annotations

import re

from scitune_data.eval.matching import Matched

ANSWER = re.compile(r"(?:The answer is|ANSWER:)\s*\(?([A-E])\)?(?![A-Za-z])")
SUBJECTS = {"natural science": "NAT", "social science": "SOC", "language science": "LAN"}
CATEGORIES = ("NAT", "SOC", "LAN", "TXT", "IMG", "NO", "G1-6", "G7-12")


def parse_answer(text: str) -> str | None:
    letters = set(ANSWER.findall(text))
    return letters.pop() if len(letters) == 1 else None


def categories(record: dict) -> list[str]:
    found = []
    if record.get("subject") in SUBJECTS:
        found.append(SUBJECTS[record["subject"]])
    has_text, has_image = bool(record.get("has_context")), record.get("path") is not None
    if has_text:
        found.append("TXT")
    if has_image:
        found.append("IMG")
    if not has_text and not has_image:
        found.append("NO")
    grade = int(re.sub(r"\D", "", record.get("grade") or "") or 0)
    if 1 <= grade <= 6:
        found.append("G1-6")
    elif 7 <= grade <= 12:
        found.append("G7-12")
    return found


RECORD_COLUMNS = ["id", "figure_id", "subject", "grade", "has_context", "answer", "image.path"]


def scienceqa_scores(matched: Matched) -> dict:
    """Accuracy over every question of the split: a question without a prediction counts as
    wrong (as in the official evaluation, which scores the whole split) and is reported."""
    totals = {c: [0, 0] for c in ("overall", *CATEGORIES)}
    unparsed = []
    for record in matched.records:
        prediction = matched.predictions.get(record["id"])
        answer = None
        if prediction is not None:
            answer = prediction.letter or parse_answer(prediction.output)
            if answer is None:
                unparsed.append(record["id"])
        right = int(answer is not None and answer == record["answer"])
        for name in ("overall", *categories(record)):
            totals[name][0] += right
            totals[name][1] += 1
    return {
        "accuracy": {name: round(100 * right / total, 2) if total else None for name, (right, total) in totals.items()},
        "counts": {name: total for name, (_, total) in totals.items()},
        "unparsed": len(unparsed), "unparsed_examples": unparsed[:10], **matched.summary(),
    }
