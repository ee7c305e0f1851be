"""Stage-1 metrics: captions (BLEU with sacrebleu, ROUGE-L with rouge-score), figure-type
accuracy and confusion matrix, token F1 of the CTOM target's OCR and mention lines, and
MultiInstruct's sensitivity across instruction templates."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict

from scitune_data.classify.labels import FIGURE_TYPES

CAPTION_TASKS = ("c", "ctom", "mention", "ocr")
RECORD_COLUMNS = ["id", "task", "template_id", "conversations"]
ROW_FIELDS = ("task", "template_id", "reference")


def figure_rows(predictions: list, matched=None) -> list[dict]:
    """Rows to score (``task``, ``template_id``, ``output``, ``reference``): from the records
    with their predictions (a record without one scores as an empty output), or, without
    records, from predictions that carry their own task and reference (``predict``'s JSONL)."""
    if matched is not None:
        rows = []
        for record in matched.records:
            prediction = matched.predictions.get(record["id"])
            rows.append({"id": record["id"], "task": record["task"], "template_id": record["template_id"],
                         "reference": record["conversations"][1]["value"],
                         "output": prediction.output if prediction is not None else ""})
        return rows
    lacking = [p.id for p in predictions if not all(key in p.fields for key in ROW_FIELDS)]
    if lacking:
        raise ValueError(f"{len(lacking)} predictions carry no {'/'.join(ROW_FIELDS)} (e.g. {lacking[0]!r}): "
                         "pass --data with the shards they answer")
    return [{"id": p.id, "output": p.output, **{key: p.fields[key] for key in ROW_FIELDS}} for p in predictions]


def bleu(outputs: list[str], references: list[str]) -> float:
    import sacrebleu  # noqa: PLC0415

    return round(sacrebleu.corpus_bleu(outputs, [references]).score, 2)


def rouge_l(outputs: list[str], references: list[str]) -> float:
    from rouge_score import rouge_scorer  # noqa: PLC0415

    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)
    scores = [scorer.score(reference, output)["rougeL"].fmeasure for output, reference in zip(outputs, references)]
    return round(100 * sum(scores) / len(scores), 2) if scores else 0.0


def token_f1(predicted: list[str], reference: list[str]) -> float:
    common = sum((Counter(predicted) & Counter(reference)).values())
    if not predicted or not reference or not common:
        return 1.0 if not predicted and not reference else 0.0
    precision, recall = common / len(predicted), common / len(reference)
    return 2 * precision * recall / (precision + recall)


def ctom_parts(text: str) -> tuple[str, list[str], list[str]]:
    """(type + caption line, OCR tokens, mention tokens) of a CTOM text."""
    lines = text.split("\n")
    return lines[0], lines[1].split("\t") if len(lines) > 1 and lines[1] else [], " ".join(lines[2:]).split()


def predicted_type(output: str) -> str:
    text = output.strip().lower()
    for label in sorted(FIGURE_TYPES, key=len, reverse=True):
        if text == label.lower() or text.startswith(label.lower()):
            return label
    return next((label for label in FIGURE_TYPES if label.lower() in text), "unparsed")


def task_score(task: str, rows: list[dict]) -> float:
    """The headline score of a task (for sensitivity): accuracy for figure types, BLEU otherwise."""
    if task == "figure_type":
        return 100 * sum(predicted_type(r["output"]) == r["reference"] for r in rows) / len(rows)
    return bleu([r["output"] for r in rows], [r["reference"] for r in rows])


def sensitivity(predictions: list[dict]) -> dict:
    """Per task with several templates: std / mean of the score across templates; the average
    over tasks (lower is better) beside the mean score."""
    by_task: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for row in predictions:
        by_task[row["task"]][row["template_id"]].append(row)
    tasks = {}
    for task, templates in sorted(by_task.items()):
        if len(templates) < 2:
            continue
        scores = [task_score(task, rows) for _, rows in sorted(templates.items())]
        mean = statistics.fmean(scores)
        tasks[task] = {"templates": len(scores), "mean": round(mean, 2),
                       "sensitivity": round(statistics.pstdev(scores) / mean, 4) if mean else None}
    values = [t["sensitivity"] for t in tasks.values() if t["sensitivity"] is not None]
    return {"tasks": tasks, "sensitivity": round(statistics.fmean(values), 4) if values else None,
            "mean_score": round(statistics.fmean(t["mean"] for t in tasks.values()), 2) if tasks else None}


def figure_scores(predictions: list[dict]) -> dict:
    by_task: dict[str, list[dict]] = defaultdict(list)
    for row in predictions:
        by_task[row["task"]].append(row)
    report: dict = {"tasks": {}}
    for task in CAPTION_TASKS:
        rows = by_task.get(task)
        if rows:
            outputs, references = [r["output"] for r in rows], [r["reference"] for r in rows]
            report["tasks"][task] = {"n": len(rows), "bleu": bleu(outputs, references),
                                     "rouge_l": rouge_l(outputs, references)}
    if by_task.get("ctom"):
        parts = [(ctom_parts(r["output"]), ctom_parts(r["reference"])) for r in by_task["ctom"]]
        report["ctom"] = {
            "ocr_token_f1": round(100 * statistics.fmean(token_f1(p[1], r[1]) for p, r in parts), 2),
            "mention_token_f1": round(100 * statistics.fmean(token_f1(p[2], r[2]) for p, r in parts), 2),
        }
    if by_task.get("figure_type"):
        confusion = Counter((r["reference"], predicted_type(r["output"])) for r in by_task["figure_type"])
        total = sum(confusion.values())
        report["figure_type"] = {
            "n": total, "accuracy": round(100 * sum(n for (t, p), n in confusion.items() if t == p) / total, 2),
            "confusion": {f"{t} -> {p}": n for (t, p), n in sorted(confusion.items())},
        }
    report["sensitivity"] = sensitivity(predictions)
    return report
