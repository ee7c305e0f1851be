"""Records from figure rows: SciTune's CTOM target to the letter, templates, sampling."""

from __future__ import annotations

from dataclasses import replace

import pytest

from scitune_data.records.builder import figure_records
from scitune_data.records.instructions import templates_for
from scitune_data.records.recipe import RecipeError, load_recipe
from scitune_data.records.tasks import TASKS

ROW = {
    "paper_id": "2301.00001", "figure_id": "Figure3", "kind": "figure", "figure_type": "Graph Plot",
    "caption": "Figure 3: Loss of the model (see Fig. 2).",
    "caption_no_index": "loss of the model ( see fig . 2 ) .",
    "caption_normalized": "loss of the model ( see fig . [NUM] ) .",
    "ocr": ["Loss", "0.5", "Epoch"],
    "mentions": ["Figure 3 shows the loss falling.", "As in Fig. 3, training is stable."],
    "mention_sentences": ["Figure 3 shows the loss falling.", "As in Fig. 3, training is stable."],
    "image": {"bytes": b"png", "path": "x.png"},
}


def test_ctom_target_follows_scitune():
    target = TASKS["ctom"](ROW, "no_index")
    assert target == (
        "Graph Plot loss of the model ( see Graph Plot . 2 ) .\n"
        "Loss\t0.5\tEpoch\n"
        "Graph Plot 3 shows the loss falling.\nAs in Graph Plot. 3, training is stable.\n"
        "Graph Plot 3 shows the loss falling.\nAs in Graph Plot. 3, training is stable.")


def test_missing_signals_make_no_record():
    bare = ROW | {"ocr": [], "mentions": [], "mention_sentences": []}
    assert TASKS["ocr"](bare, "raw") is None and TASKS["mention"](bare, "raw") is None
    assert TASKS["c"](bare, "raw") == "Figure 3: Loss of the model (see Fig. 2)."
    assert TASKS["c"](ROW | {"caption_no_index": " "}, "no_index") is None


@pytest.mark.parametrize("task", sorted(TASKS))
def test_each_task_has_five_or_more_templates_with_stable_ids(task):
    templates = templates_for(task)
    assert len(templates) >= 5
    assert len({t.id for t in templates}) == len(templates)
    assert all(t.id.startswith(f"{task}-") and t.text.strip() for t in templates)


def test_sampling_is_seeded_per_figure_and_all_emits_every_template():
    recipe = load_recipe("scitune-multitask")
    first = figure_records(ROW, "train", recipe)
    assert [r["template_id"] for r in first] == [r["template_id"] for r in figure_records(ROW, "train", recipe)]
    assert {r["task"] for r in first} == {"ctom", "c", "figure_type", "ocr", "mention"}
    other_seed = [r["template_id"] for r in figure_records(ROW, "train", replace(recipe, seed=7))]
    seeds = {tuple(other_seed)} | {tuple(r["template_id"] for r in figure_records(ROW, "train", replace(recipe, seed=s)))
                                  for s in range(1, 6)}
    assert len(seeds) > 1  # the seed matters
    every = figure_records(ROW, "train", replace(recipe, templates="all"))
    assert len(every) == sum(len(templates_for(t)) for t in recipe.tasks)


def test_record_is_a_llava_conversation():
    (record,) = figure_records(ROW, "validation", load_recipe("scitune-ctom"))
    human, gpt = record["conversations"]
    assert human["from"] == "human" and human["value"].endswith("\n<image>")
    assert gpt["from"] == "gpt" and gpt["value"].startswith("Graph Plot loss of the model")
    assert record["id"] == f"2301.00001/Figure3/ctom/{record['template_id']}"
    assert (record["split"], record["stage"], record["task"]) == ("validation", "align", "ctom")


def test_figure_type_prompt_lists_the_options():
    recipe = replace(load_recipe("scitune-multitask"), tasks=("figure_type",), templates="all")
    for record in figure_records(ROW, "train", recipe):
        assert "Scatterplot" in record["conversations"][0]["value"]
        assert record["conversations"][1]["value"] == "Graph Plot"


def test_bad_recipes_are_explained(tmp_path):
    with pytest.raises(RecipeError, match="no recipe named"):
        load_recipe("nope")
    bad = tmp_path / "bad.toml"
    bad.write_text('stage = "align"\ntasks = ["ctom", "poetry"]\n')
    with pytest.raises(RecipeError, match="unknown tasks"):
        load_recipe(str(bad))
