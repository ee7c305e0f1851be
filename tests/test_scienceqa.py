"""ScienceQA in both layouts → stage-2 records in LLaVA's exact prompt strings."""

from __future__ import annotations

import io
import json

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from PIL import Image
from typer.testing import CliRunner

from scitune_data.cli.main import app
from scitune_data.scienceqa.formats import Problem, prompt_and_answer
from scitune_data.validate.checks import validate

PROBLEMS = {
    "1": {"question": "Which of these states is farthest north?", "choices": ["West Virginia", "Louisiana", "Arizona", "Oklahoma"],
          "answer": 0, "hint": "", "image": "image.png", "task": "closed choice", "grade": "grade2",
          "subject": "social science", "topic": "geography", "category": "Geography", "skill": "Read a map: cardinal directions",
          "lecture": "Maps have four cardinal directions, or main directions.\nThose directions are north, south, east, and west.",
          "solution": "To find the answer, look at the compass rose.", "split": "train"},
    "2": {"question": "Which word would you find on a dictionary page with the guide words bean and bowl?", "choices": ["black", "brand"],
          "answer": 0, "hint": "Guide words: bean - bowl", "image": None, "task": "closed choice", "grade": "grade3",
          "subject": "language science", "topic": "reference-skills", "category": "Reference skills", "skill": "Use guide words",
          "lecture": "", "solution": "Put the words in alphabetical order.", "split": "val"},
    "3": {"question": "What is the temperature of a hot bath?", "choices": ["37°C", "37°F"],
          "answer": 0, "hint": "Select the better estimate.", "image": None, "task": "closed choice", "grade": "grade8",
          "subject": "natural science", "topic": "units", "category": "Units and measurement", "skill": "Estimate",
          "lecture": "Measurements are written with both a number and a unit.", "solution": "", "split": "test"},
}


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.full((20, 30, 3), 120, dtype=np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


def write_original(root, problems: dict = PROBLEMS):
    """ScienceQA's original layout under ``root/ScienceQA`` (problem 1 has its image)."""
    source = root / "ScienceQA"
    (source / "images" / "train" / "1").mkdir(parents=True)
    (source / "images" / "train" / "1" / "image.png").write_bytes(png_bytes())
    (source / "problems.json").write_text(json.dumps(problems))
    return source


@pytest.fixture()
def original(tmp_path):
    source = write_original(tmp_path)
    (source / "pid_splits.json").write_text(json.dumps({"train": ["1"], "val": ["2"], "test": ["3"],
                                                          "minival": ["2"], "trainval": ["1", "2"]}))
    return source


def problem(pid: str, split: str = "train", image: bytes | None = None) -> Problem:
    raw = PROBLEMS[pid]
    return Problem(pid, raw["question"], tuple(raw["choices"]), raw["answer"], raw["hint"], raw["lecture"],
                   raw["solution"], raw["grade"], raw["subject"], split, image)


def test_prompt_formats_match_llava_strings():
    first = problem("1")
    assert prompt_and_answer(first, "QCM-A") == (
        "Which of these states is farthest north?\nContext: N/A\n"
        "Options: (A) West Virginia (B) Louisiana (C) Arizona (D) Oklahoma", "The answer is A.")
    assert prompt_and_answer(first, "CQM-A")[0] == (
        "Context: N/A\nQuestion: Which of these states is farthest north?\n"
        "Options: (A) West Virginia (B) Louisiana (C) Arizona (D) Oklahoma")
    assert prompt_and_answer(first, "QCM-LEA")[1] == (
        "Maps have four cardinal directions, or main directions.\nThose directions are north, south, east, and west. "
        "To find the answer, look at the compass rose. The answer is A.")
    assert prompt_and_answer(first, "QCM-LEPA")[1] == (
        "LECTURE: Maps have four cardinal directions, or main directions.\nThose directions are north, south, "
        "east, and west.\nSOLUTION: To find the answer, look at the compass rose.\n###\nANSWER: A.")
    assert prompt_and_answer(problem("2"), "QCM-LEPA")[1] == (
        "SOLUTION: Put the words in alphabetical order.\n###\nANSWER: A.")
    assert "Context: Guide words: bean - bowl" in prompt_and_answer(problem("2"), "QCM-A")[0]
    with pytest.raises(ValueError, match="unknown prompt format"):
        prompt_and_answer(first, "QCM-XYZ")


def _rows(out):
    return {r["figure_id"]: r for path in sorted((out / "data").glob("*.parquet"))
            for r in pq.read_table(path).to_pylist()}


def test_original_layout_to_shards(original, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["scienceqa", "--source", str(original), "--out", str(out), "--format", "QCM-LEPA"])
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    assert {pid: r["split"] for pid, r in rows.items()} == {"1": "train", "2": "validation", "3": "test"}
    with_image = rows["1"]
    assert with_image["conversations"][0]["value"].endswith("\n<image>")
    assert with_image["image"]["bytes"] == png_bytes()
    assert (with_image["answer"], with_image["grade"], with_image["subject"], with_image["has_context"]) == (
        "A", "grade2", "social science", False)
    assert rows["2"]["image"] is None and "<image>" not in rows["2"]["conversations"][0]["value"]
    assert rows["2"]["has_context"] is True
    assert validate(out).ok


def test_huggingface_parquet_layout(tmp_path):
    source = tmp_path / "hf" / "data"
    source.mkdir(parents=True)
    for split, pid in (("train", "1"), ("validation", "2"), ("test", "3")):
        raw = dict(PROBLEMS[pid])
        raw["image"] = {"bytes": png_bytes(), "path": None} if raw["image"] else None
        del raw["split"]
        pq.write_table(pa.Table.from_pylist([raw]), source / f"{split}-00000-of-00001-abc.parquet")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["scienceqa", "--source", str(source.parent), "--out", str(out), "--format", "QCM-A"])
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    assert sorted(rows) == ["test-00000", "train-00000", "validation-00000"]
    assert rows["train-00000"]["conversations"][1]["value"] == "The answer is A."
    assert validate(out).ok


MALFORMED = {  # pid: (problem, what the error row says)
    "4": ({"question": "Broken?", "split": "train"}, "field 'choices' is null"),
    "5": (dict(PROBLEMS["1"], split="train"), "'5/image.png' not found under --source"),
    "6": ([PROBLEMS["2"]], "is an array, not a JSON object"),
    "7": (None, "is null, not a JSON object"),
    "8": (dict(PROBLEMS["2"], split=3), "split 3 is not a split name"),
    "9": (dict(PROBLEMS["2"], answer=2), "answer index 2 is beyond the 2 choices"),
    "10": (dict(PROBLEMS["2"], answer=True), "field 'answer' is true/false"),
    "11": (dict(PROBLEMS["1"], split="train"), "does not decode"),
    "12": (dict(PROBLEMS["1"], split="train", image="../../../secret.png"), "not a relative path inside --source"),
}


def test_malformed_problems_are_error_rows_and_the_rest_kept(original, tmp_path):
    problems = json.loads((original / "problems.json").read_text())
    problems.update({pid: problem for pid, (problem, _) in MALFORMED.items()})
    (original / "problems.json").write_text(json.dumps(problems))
    (original / "images" / "train" / "11").mkdir()
    (original / "images" / "train" / "11" / "image.png").write_bytes(png_bytes()[:-20])  # truncated
    (tmp_path / "secret.png").write_bytes(png_bytes())  # outside the source
    out = tmp_path / "o"
    result = CliRunner().invoke(app, ["scienceqa", "--source", str(original), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 records from 3 problems" in result.stderr
    rows = {r["message"].split(":")[0]: r for r in pq.read_table(out / "errors.parquet").to_pylist()}
    for pid, (_, reason) in MALFORMED.items():
        assert reason in rows[f"problem {pid}"]["message"], rows[f"problem {pid}"]
        assert rows[f"problem {pid}"]["file"] == "problems.json"
    strict = CliRunner().invoke(app, ["scienceqa", "--source", str(original), "--out", str(tmp_path / "o2"), "--strict"])
    assert strict.exit_code == 1


def test_original_layout_anywhere_under_source_and_images_in_their_own_folder(tmp_path):
    source = tmp_path / "ScienceQA" / "data" / "scienceqa"
    source.mkdir(parents=True)
    (source / "problems.json").write_text(json.dumps(PROBLEMS))
    (tmp_path / "ScienceQA" / "downloads" / "train" / "1").mkdir(parents=True)
    (tmp_path / "ScienceQA" / "downloads" / "train" / "1" / "image.png").write_bytes(png_bytes())
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["scienceqa", "--source", str(tmp_path / "ScienceQA"), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["problems"] == 3
    assert _rows(out)["1"]["image"]["bytes"] == png_bytes()
    manifest = json.loads((out / "manifest.json").read_text())
    assert str(tmp_path) not in json.dumps(manifest)  # no local path in what may be published


def test_sharded_parquet_ids_are_unique_and_as_in_one_file(tmp_path):
    rows = []
    for index in range(5):
        raw = dict(PROBLEMS["2"], question=f"Question {index}?")
        raw["image"] = None
        del raw["split"]
        rows.append(raw)
    single, sharded = tmp_path / "single", tmp_path / "sharded"
    single.mkdir()
    sharded.mkdir()
    pq.write_table(pa.Table.from_pylist(rows), single / "train-00000-of-00001.parquet")
    pq.write_table(pa.Table.from_pylist(rows[:2]), sharded / "train-00000-of-00002-a1b2.parquet")
    pq.write_table(pa.Table.from_pylist(rows[2:]), sharded / "train-00001-of-00002-c3d4.parquet")
    found = {}
    for name, source in (("single", single), ("sharded", sharded)):
        out = tmp_path / f"out-{name}"
        result = CliRunner().invoke(app, ["scienceqa", "--source", str(source), "--out", str(out), "--format", "QCM-A"])
        assert result.exit_code == 0, result.output
        found[name] = {pid: r["conversations"][0]["value"] for pid, r in _rows(out).items()}
        assert validate(out).ok
    assert len(found["sharded"]) == 5 and found["sharded"] == found["single"]


def test_no_problem_converted_exits_non_zero(tmp_path):
    source = tmp_path / "sqa"
    source.mkdir()
    (source / "problems.json").write_text(json.dumps({"1": None}))
    result = CliRunner().invoke(app, ["scienceqa", "--source", str(source), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and "no problem converted" in result.stderr
