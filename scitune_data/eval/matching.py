"""Predictions against the records they answer: every record of the split is scored (a record
without a prediction counts as wrong and is reported), and a prediction whose id matches no
record is an error, never silently dropped (it means the wrong split, the wrong data, or ids of
another kind)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from scitune_data.eval.predictions import Prediction
from scitune_data.output_layout import shard_files

MAX_QUOTED = 5


class UnmatchedPredictions(ValueError):
    """Predictions whose ids name no record; the message quotes some and shows what ids look like."""


@dataclass(slots=True)
class Matched:
    records: list[dict]
    predictions: dict[str, Prediction]  # record id -> its prediction
    missing: list[str]  # record ids without a prediction

    def summary(self) -> dict:
        return {"records": len(self.records), "predicted": len(self.predictions), "missing": len(self.missing),
                "missing_examples": self.missing[:10]}


def read_records(data: Path, split: str, columns: list[str]) -> list[dict]:
    """The given columns of every record of ``split`` (``image.path`` reads no image bytes)."""
    files = shard_files(data, split)
    if not files:
        raise FileNotFoundError(f"no {split} shards under {data}")
    return [row for path in files for row in pq.read_table(path, columns=columns).to_pylist()]


def match(predictions: list[Prediction], records: list[dict], split: str, by_pid: bool = False) -> Matched:
    """Each prediction to its record, by record id or (``by_pid``, ScienceQA) by the pid a record
    holds as ``figure_id``."""
    keys: dict[str, str] = {record["id"]: record["id"] for record in records}
    if by_pid:
        pids: dict[str, list[str]] = {}
        for record in records:
            pids.setdefault(record["figure_id"], []).append(record["id"])
        keys.update({pid: ids[0] for pid, ids in pids.items() if len(ids) == 1 and pid not in keys})
    matched: dict[str, Prediction] = {}
    unmatched, twice = [], []
    for prediction in predictions:
        record_id = keys.get(prediction.id)
        if record_id is None:
            unmatched.append(prediction.id)
        elif record_id in matched:
            twice.append(prediction.id)
        else:
            matched[record_id] = prediction
    if unmatched:
        example = records[0] if records else None
        looks = (f" (its ids look like {example['id']!r}" + (f", pids like {example['figure_id']!r}" if by_pid else "")
                 + ")") if example else ""
        raise UnmatchedPredictions(
            f"{len(unmatched)} of {len(predictions)} predictions match no record of the {split} split{looks}: "
            + ", ".join(repr(i) for i in unmatched[:MAX_QUOTED]) + (", ..." if len(unmatched) > MAX_QUOTED else "")
            + " (wrong --split or --data?)")
    if twice:
        raise UnmatchedPredictions(f"{len(twice)} records are predicted twice: "
                                   + ", ".join(repr(i) for i in twice[:MAX_QUOTED]))
    return Matched(records, matched, [r["id"] for r in records if r["id"] not in matched])
