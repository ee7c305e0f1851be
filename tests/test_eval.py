"""Evaluation: hand-computed ScienceQA categories, figure metrics, sensitivity, and the whole
path (train a tiny model, predict, score, report) on CPU."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from scitune_data.cli.main import app
from scitune_data.eval.figures import ctom_parts, figure_scores, sensitivity, token_f1
from scitune_data.eval.matching import match
from scitune_data.eval.predictions import Prediction
from scitune_data.eval.scienceqa import scienceqa_scores
from tests.test_scienceqa import PROBLEMS, write_original

RECORDS = {  # id: subject, grade, hint?, image?, answer
    "q1": {"subject": "natural science", "grade": "grade2", "has_context": True, "path": "q1/image.png", "answer": "A"},
    "q2": {"subject": "natural science", "grade": "grade2", "has_context": False, "path": None, "answer": "B"},
    "q3": {"subject": "social science", "grade": "grade3", "has_context": False, "path": "q3/image.png", "answer": "C"},
    "q4": {"subject": "language science", "grade": "grade8", "has_context": True, "path": None, "answer": "A"},
    "q5": {"subject": "language science", "grade": "grade10", "has_context": False, "path": None, "answer": "D"},
    "q6": {"subject": "natural science", "grade": "grade7", "has_context": False, "path": None, "answer": "B"},
}
OUTPUTS = {"q1": "The answer is A.", "q2": "The answer is C.", "q3": "LECTURE: maps\n###\nANSWER: C.",
           "q4": "I am not sure.", "q5": "The answer is D.", "q6": "The answer is A. The answer is B."}


def _matched(outputs: dict[str, str]):
    records = [{"id": pid, "figure_id": pid, **fields} for pid, fields in RECORDS.items()]
    return match([Prediction(k, v) for k, v in outputs.items()], records, "test")


def test_scienceqa_accuracy_by_category_computed_by_hand():
    scores = scienceqa_scores(_matched(OUTPUTS))
    accuracy = scores["accuracy"]
    # right: q1, q3, q5 (q4 unparsed, q6 two answers: both wrong and reported)
    assert accuracy["overall"] == 50.0
    assert accuracy["NAT"] == round(100 / 3, 2)  # q1 right, q2 wrong, q6 wrong
    assert (accuracy["SOC"], accuracy["LAN"]) == (100.0, 50.0)
    assert accuracy["TXT"] == 50.0 and accuracy["IMG"] == 100.0  # TXT: q1, q4; IMG: q1, q3
    assert accuracy["NO"] == round(100 / 3, 2)  # q2, q5, q6
    # grade membership: G1-6 = q1, q2, q3 -> 2/3 (a mean of per-grade accuracies would give 75)
    assert accuracy["G1-6"] == round(200 / 3, 2) and accuracy["G7-12"] == round(100 / 3, 2)
    assert scores["unparsed"] == 2 and scores["counts"]["overall"] == 6


def test_a_question_without_prediction_counts_as_wrong():
    scores = scienceqa_scores(_matched({k: v for k, v in OUTPUTS.items() if k != "q1"}))
    assert scores["counts"]["overall"] == 6 and scores["accuracy"]["overall"] == round(200 / 6, 2)
    assert (scores["missing"], scores["missing_examples"]) == (1, ["q1"])


def test_figure_metrics():
    assert token_f1(["a", "b", "c"], ["a", "b", "d"]) == pytest.approx(2 / 3)
    assert ctom_parts("Graph Plot loss\n0.5\tepoch\npara one\nmention") == (
        "Graph Plot loss", ["0.5", "epoch"], ["para", "one", "mention"])
    rows = [{"task": "c", "template_id": "c-01", "output": "loss of the model over time", "reference": "loss of the model over time"},
            {"task": "figure_type", "template_id": "figure_type-01", "output": "Bar Chart", "reference": "Bar Chart"},
            {"task": "figure_type", "template_id": "figure_type-01", "output": "It is a Photo.", "reference": "Graph Plot"}]
    scores = figure_scores(rows)
    assert scores["tasks"]["c"]["bleu"] == 100.0 and scores["tasks"]["c"]["rouge_l"] == 100.0
    assert scores["figure_type"]["accuracy"] == 50.0
    assert scores["figure_type"]["confusion"] == {"Bar Chart -> Bar Chart": 1, "Graph Plot -> Photo": 1}


def test_sensitivity_is_std_over_mean_across_templates():
    rows = [{"task": "figure_type", "template_id": t, "output": o, "reference": "Bar Chart"}
            for t, outputs in (("t1", ["Bar Chart", "Bar Chart"]), ("t2", ["Bar Chart", "Photo"]))
            for o in outputs]
    result = sensitivity(rows)  # scores 100 and 50: mean 75, population std 25
    assert result["tasks"]["figure_type"] == {"templates": 2, "mean": 75.0, "sensitivity": round(25 / 75, 4)}
    assert result["sensitivity"] == round(25 / 75, 4)


@pytest.fixture(scope="module")
def sqa_shards(tmp_path_factory):
    """ScienceQA test split: pids 3 (answer A), 10, 11, 12 (answer A), in QCM-A records."""
    root = tmp_path_factory.mktemp("sqa_eval")
    source = write_original(root, {**PROBLEMS, **{str(10 + i): dict(PROBLEMS["2"], split="test", hint="")
                                                 for i in range(3)}})
    result = CliRunner().invoke(app, ["scienceqa", "--source", str(source), "--out", str(root / "sqa"), "--format", "QCM-A"])
    assert result.exit_code == 0, result.output
    return root / "sqa"


@pytest.fixture(scope="module")
def trained_run(sqa_shards, tmp_path_factory):
    """A tiny model trained a few steps on ScienceQA fixture shards, saved as a run folder."""
    from tests.tiny_models import tiny_clip, tiny_run_recipe, tiny_tokenizer

    root, shards = tmp_path_factory.mktemp("eval_run"), sqa_shards
    texts = [t["value"] for p in (shards / "data").glob("*.parquet")
             for r in pq.read_table(p, columns=["conversations"]).to_pylist() for t in r["conversations"]]
    tokenizer = tiny_tokenizer(texts * 5, vocab_size=400)
    recipe = tiny_run_recipe(root, tokenizer, tiny_clip(root / "clip"), stage="instruct", lr=1e-3,
                             batch_size=2, max_length=512)
    result = CliRunner().invoke(app, ["train", "--recipe", str(recipe), "--data", str(shards),
                                      "--output-dir", str(root / "run"), "--set", "train.max_steps=2"])
    assert result.exit_code == 0, result.output
    return root / "run" / "final", shards


def test_predict_then_score_scienceqa_end_to_end(trained_run, tmp_path):
    run, shards = trained_run
    predictions = tmp_path / "preds.jsonl"
    base = ["predict", "--run", str(run), "--data", str(shards), "--out", str(predictions), "--batch-size", "2",
            "--max-new-tokens", "8"]
    first = CliRunner().invoke(app, base)
    assert first.exit_code == 0, first.output
    lines = [json.loads(line) for line in predictions.read_text().splitlines()]
    assert sorted(line["id"] for line in lines) == sorted(
        f"scienceqa/{pid}/QCM-A" for pid in ("3", "10", "11", "12"))
    assert all(line["reference"] == "The answer is A." for line in lines)
    again = CliRunner().invoke(app, base)  # resumable: nothing left to do
    assert again.exit_code == 0 and len(predictions.read_text().splitlines()) == 4
    report = tmp_path / "report"
    scored = CliRunner().invoke(app, ["eval", "scienceqa", "--predictions", str(predictions), "--data", str(shards),
                                      "--out", str(report)])
    assert scored.exit_code == 0, scored.output
    data = json.loads((report / "scienceqa.json").read_text())
    assert data["counts"]["overall"] == 4 and data["counts"]["NO"] == 3 and data["counts"]["TXT"] == 1
    assert data["format"] == "jsonl" and data["missing"] == 0
    assert (report / "scienceqa.png").stat().st_size > 1000 and "| overall |" in (report / "scienceqa.md").read_text()


def test_figure_report_with_plots(tmp_path):
    rows = [{"task": "figure_type", "template_id": t, "output": o, "reference": r, "id": str(i)}
            for i, (t, o, r) in enumerate([("figure_type-01", "Bar Chart", "Bar Chart"), ("figure_type-02", "Photo", "Graph Plot"),
                                           ("figure_type-01", "Graph Plot", "Graph Plot"), ("figure_type-02", "Bar Chart", "Bar Chart")])]
    rows += [{"task": "ctom", "template_id": "ctom-01", "output": "Bar Chart a\n1\t2\nx", "reference": "Bar Chart a\n1\t3\nx", "id": "c"}]
    predictions = tmp_path / "p.jsonl"
    predictions.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    result = CliRunner().invoke(app, ["eval", "figures", "--predictions", str(predictions), "--out", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    markdown = (tmp_path / "r" / "figures.md").read_text()
    assert "Figure-type accuracy: 75.00" in markdown and "Template sensitivity" in markdown
    assert "in-figure text token F1: 50.00" in markdown
    assert (tmp_path / "r" / "figure_types.png").stat().st_size > 1000


# --- prediction files the way users have them ----------------------------------------------------

def _eval_scienceqa(shards, tmp_path, name: str, content: str, *extra: str):
    predictions = tmp_path / name
    predictions.write_text(content)
    return CliRunner().invoke(app, ["eval", "scienceqa", "--predictions", str(predictions), "--data", str(shards),
                                    "--out", str(tmp_path / "report"), "--json", *extra])


OFFICIAL_FLAT = json.dumps({"3": 0, "10": 1, "11": 0})  # 12 missing; 10 wrong
OFFICIAL_NESTED = json.dumps({"acc": 50.0, "results": {"3": 0, "10": 1, "11": 0}, "outputs": {}})
LLAVA = "\n".join(json.dumps({"question_id": pid, "prompt": "...", "text": text, "answer_id": "x", "model_id": "m"})
                  for pid, text in (("3", "A"), ("10", "The answer is B."), ("11", "(A)")))
OWN = "\n".join(json.dumps({"id": f"scienceqa/{pid}/QCM-A", "output": text}) for pid, text in
                (("3", "The answer is A."), ("10", "The answer is B."), ("11", "The answer is A.")))


@pytest.mark.parametrize("name, content, detected", [
    ("official.json", OFFICIAL_FLAT, "scienceqa"), ("results.json", OFFICIAL_NESTED, "scienceqa"),
    ("answers.jsonl", LLAVA, "llava"), ("preds.jsonl", OWN, "jsonl")], ids=["official", "official-results",
                                                                          "llava", "own"])
def test_eval_scienceqa_reads_every_predictions_format(sqa_shards, tmp_path, name, content, detected):
    result = _eval_scienceqa(sqa_shards, tmp_path, name, content)
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)  # the one JSON summary; human text went to stderr
    assert scores["format"] == detected
    assert scores["counts"]["overall"] == 4 and scores["accuracy"]["overall"] == 50.0  # 3 and 11 right of 4
    assert (scores["missing"], scores["missing_examples"]) == (1, ["scienceqa/12/QCM-A"])
    assert "without a prediction (counted wrong): 1" in (tmp_path / "report" / "scienceqa.md").read_text()


def test_eval_ids_that_match_nothing_are_a_clear_error(sqa_shards, tmp_path):
    result = _eval_scienceqa(sqa_shards, tmp_path, "p.json", json.dumps({"3": 0, "9999": 1}))
    assert result.exit_code == 2
    assert "1 of 2 predictions match no record of the test split" in result.output and "'9999'" in result.output
    result = _eval_scienceqa(sqa_shards, tmp_path, "val.jsonl", OWN, "--split", "validation")
    assert result.exit_code == 2 and "match no record of the validation split" in result.output


def test_eval_format_can_be_forced(sqa_shards, tmp_path):
    assert _eval_scienceqa(sqa_shards, tmp_path, "p.jsonl", OWN, "--format", "llava").exit_code == 2
    assert _eval_scienceqa(sqa_shards, tmp_path, "p.jsonl", OWN, "--format", "jsonl").exit_code == 0


def test_eval_figures_against_the_shards_with_llava_answers(tmp_path):
    records = [{"id": f"p/Figure{i}/figure_type/figure_type-01", "figure_id": f"Figure{i}", "split": "test",
                "task": "figure_type", "template_id": "figure_type-01",
                "conversations": [{"from": "human", "value": "Type?"}, {"from": "gpt", "value": kind}]}
               for i, kind in enumerate(["Bar Chart", "Graph Plot", "Photo"])]
    (tmp_path / "shards" / "data").mkdir(parents=True)
    pq.write_table(__import__("pyarrow").Table.from_pylist(records), tmp_path / "shards" / "data" / "test-00000-of-00001.parquet")
    answers = tmp_path / "answers.jsonl"
    answers.write_text("\n".join(json.dumps({"question_id": r["id"], "text": t})
                                 for r, t in zip(records, ["Bar Chart", "Photo"])))
    args = ["eval", "figures", "--predictions", str(answers), "--out", str(tmp_path / "r"), "--json"]
    assert CliRunner().invoke(app, args).exit_code == 2  # LLaVA's answers carry no references: --data needed
    result = CliRunner().invoke(app, [*args, "--data", str(tmp_path / "shards")])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["figure_type"]["accuracy"] == round(100 / 3, 2) and scores["missing"] == 1  # Photo never answered
    answers.write_text(json.dumps({"question_id": "nope", "text": "Photo"}))
    result = CliRunner().invoke(app, [*args, "--data", str(tmp_path / "shards")])
    assert result.exit_code == 2 and "match no record" in result.output
