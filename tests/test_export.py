"""Exports that other trainers read: LLaVA's JSON + image folder, and chat messages that
``datasets`` loads in one line from any working folder, rendered by a real vision chat template."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from scitune_data.cli.main import app


@pytest.fixture(scope="module")
def built(tmp_path_factory, examples_dir):
    out = tmp_path_factory.mktemp("export") / "out"
    result = CliRunner().invoke(app, ["build", "--pdf-dir", str(examples_dir), "--out", str(out), "--ocr", "none",
                                      "-q", "--templates", "all"])
    assert result.exit_code == 0, result.output
    return out


def test_llava_export(built, tmp_path):
    result = CliRunner().invoke(app, ["export", str(built), "--dest", str(tmp_path / "llava"), "--format", "llava"])
    assert result.exit_code == 0, result.output
    entries = json.loads((tmp_path / "llava" / "train.json").read_text())
    assert len(entries) == 28 * 6
    for entry in entries:
        assert (tmp_path / "llava" / "images" / entry["image"]).is_file()
        assert entry["conversations"][0]["value"].count("<image>") == 1
    assert len(list((tmp_path / "llava" / "images").rglob("*.png"))) == 28  # one file per crop


def test_messages_export_loads_with_images_from_any_folder_and_a_vision_chat_template(built, tmp_path, monkeypatch):
    datasets = pytest.importorskip("datasets")
    pytest.importorskip("transformers")
    from transformers.models.smolvlm.processing_smolvlm import DEFAULT_CHAT_TEMPLATE

    from tests.tiny_models import tiny_tokenizer

    dest = tmp_path / "messages"
    result = CliRunner().invoke(app, ["export", str(built), "--dest", str(dest), "--format", "messages"])
    assert result.exit_code == 0, result.output
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # image paths must not depend on the working folder
    loaded = datasets.load_dataset(str(dest))
    assert "train" in loaded and set(loaded) <= {"train", "validation", "test"}
    train = loaded["train"]
    assert train.features["images"] == datasets.List(datasets.Image())
    example = train[0]
    user, assistant = example["messages"]
    assert user["role"] == "user" and assistant["role"] == "assistant"
    assert [part["type"] for part in user["content"]].count("image") == len(example["images"]) == 1
    assert example["images"][0].size[0] > 0  # a decoded PIL image
    # A real vision chat template shipped in a package (SmolVLM's, in transformers), applied by a
    # tokenizer built here: the image part becomes the template's image token.
    tokenizer = tiny_tokenizer([part.get("text") or "" for m in example["messages"] for part in m["content"]] * 3)
    tokenizer.chat_template = DEFAULT_CHAT_TEMPLATE
    text = tokenizer.apply_chat_template(example["messages"], tokenize=False)
    question, answer = text.split("<end_of_utterance>\nAssistant:")
    assert question.startswith("<|im_start|>User: ") and question.count("<image>") == 1  # the prompt, then the image
    assert answer.strip() == next(p["text"] for p in assistant["content"] if p["type"] == "text") + "<end_of_utterance>"
