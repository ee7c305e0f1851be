"""The trainer on CPU with tiny models built from configs (no downloads), on real shards."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import torch
from typer.testing import CliRunner

from scitune_data.cli.main import app
from tests.conftest import cli_build
from scitune_data.train.config import DataConfig, LoraConfig, ModelConfig, OptimConfig, TrainConfig
from scitune_data.train.conversation import IGNORE, TooLong, tokenize
from scitune_data.train.data import DataSource
from scitune_data.train.loop import train
from scitune_data.train.model import OpenClipTower, VisionLanguageModel
from tests.tiny_models import tiny_clip, tiny_llama, tiny_run_recipe, tiny_tokenizer


@pytest.fixture(scope="module")
def shards(examples_dir, tmp_path_factory):
    return cli_build(examples_dir, tmp_path_factory.mktemp("train_shards"), "--recipe", "scitune-c")


@pytest.fixture(scope="module")
def tokenizer(shards):
    texts = [turn["value"] for path in (shards / "data").glob("*.parquet")
             for row in pq.read_table(path, columns=["conversations"]).to_pylist() for turn in row["conversations"]]
    return tiny_tokenizer(texts * 3, vocab_size=600)


@pytest.fixture(scope="module")
def clip_spec(tmp_path_factory):
    return tiny_clip(tmp_path_factory.mktemp("tiny_clip"))


def make_model(tokenizer, clip_spec, projector: str = "linear") -> VisionLanguageModel:
    tower = OpenClipTower(clip_spec)
    return VisionLanguageModel(tower, tiny_llama(len(tokenizer)), projector)


def config_for(shards: Path, **train) -> TrainConfig:
    options = dict(stage="align", lr=1e-2, epochs=1, batch_size=4, grad_accum=1, max_length=256, bf16=False,
                   num_workers=0, window=4, save_every=1000, log_every=1, warmup_ratio=0.0)
    return TrainConfig(train=OptimConfig(**(options | train)),
                       data=DataConfig(sources=(DataSource(str(shards)),)))


def test_labels_learn_only_the_answer_and_the_image_fits(tokenizer):
    conversation = [{"from": "human", "value": "Describe the figure.\n<image>"},
                    {"from": "gpt", "value": "A bar chart."}]
    tokens = tokenize(conversation, tokenizer, image_tokens=4, max_length=512)
    image_id = tokenizer.convert_tokens_to_ids("<image>")
    assert tokens.input_ids[tokens.image_start:tokens.image_start + 4] == [image_id] * 4
    assert tokens.input_ids.count(image_id) == 4
    learned = [t for t, label in zip(tokens.input_ids, tokens.labels) if label != IGNORE]
    assert tokenizer.decode(learned) == " A bar chart.</s>"
    first_learned = next(i for i, label in enumerate(tokens.labels) if label != IGNORE)
    assert tokenizer.decode(tokens.input_ids[:first_learned]).endswith("ASSISTANT:")
    assert all(label == IGNORE for label in tokens.labels[:first_learned])
    assert tokens.labels[first_learned:] == tokens.input_ids[first_learned:]


def test_records_that_cannot_fit_are_refused_not_cut(tokenizer):
    conversation = [{"from": "human", "value": "word " * 50 + "<image>"}, {"from": "gpt", "value": "ok"}]
    with pytest.raises(TooLong, match="image tokens end"):
        tokenize(conversation, tokenizer, image_tokens=16, max_length=40)
    long_answer = [{"from": "human", "value": "<image>\nQ?"}, {"from": "gpt", "value": "long answer " * 200}]
    cut = tokenize(long_answer, tokenizer, image_tokens=16, max_length=200)
    assert len(cut.input_ids) == 200 and cut.image_start + 16 <= 200  # answer cut, image whole
    assert any(label != IGNORE for label in cut.labels)


def _weights(module: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in module.state_dict().items()}


def _changed(before: dict, after: dict) -> set[str]:
    return {k for k in before if not torch.equal(before[k], after[k])}


def test_stage1_step_trains_only_the_projector(shards, tokenizer, clip_spec, tmp_path):
    model = make_model(tokenizer, clip_spec)
    before = _weights(model)
    result = train(config_for(shards, max_steps=1), model, tokenizer, tmp_path / "run")
    assert result.steps == 1
    changed = _changed(before, _weights(model))
    assert changed and all(k.startswith("projector.") for k in changed)


def test_stage2_trains_the_language_model_or_only_lora_adapters(shards, tokenizer, clip_spec, tmp_path):
    model = make_model(tokenizer, clip_spec)
    before = _weights(model)
    train(config_for(shards, stage="instruct", max_steps=1), model, tokenizer, tmp_path / "full")
    changed = _changed(before, _weights(model))
    assert any(k.startswith("language_model.") for k in changed) and not any(k.startswith("tower.") for k in changed)

    lora_model = make_model(tokenizer, clip_spec)
    base = _weights(lora_model.language_model)
    config = replace(config_for(shards, stage="instruct", max_steps=1), lora=LoraConfig(r=4, alpha=8, dropout=0.0))
    train(config, lora_model, tokenizer, tmp_path / "lora")
    trained = {n for n, p in lora_model.named_parameters() if p.requires_grad}
    assert trained and all("lora_" in n or n.startswith("projector.") for n in trained)
    after = {k.replace("base_model.model.", "").replace(".base_layer", ""): v
             for k, v in lora_model.language_model.state_dict().items() if "lora_" not in k}
    assert all(torch.equal(base[k], after[k]) for k in base)


def test_loss_falls_when_overfitting_sixteen_records(shards, tokenizer, clip_spec, tmp_path):
    sixteen = tmp_path / "sixteen" / "data"
    sixteen.mkdir(parents=True)
    table = pq.read_table(next((shards / "data").glob("train-*.parquet"))).slice(0, 16)
    pq.write_table(table, sixteen / "train-00000-of-00001.parquet")
    model = make_model(tokenizer, clip_spec)
    config = config_for(sixteen.parent, stage="instruct", lr=1e-2, epochs=60, batch_size=8, schedule="constant")
    result = train(config, model, tokenizer, tmp_path / "overfit")
    assert result.steps == 120
    assert sum(result.losses[-5:]) / 5 < 0.3 * sum(result.losses[:5]) / 5


def test_resume_continues_the_same_loss_curve(shards, tokenizer, clip_spec, tmp_path):
    config = config_for(shards, stage="instruct", lr=1e-3, epochs=2, batch_size=4, num_workers=2, save_every=3)
    whole = train(config, make_model(tokenizer, clip_spec), tokenizer, tmp_path / "whole")
    first = train(config, make_model(tokenizer, clip_spec), tokenizer, tmp_path / "parts", max_steps=5)
    second = train(config, make_model(tokenizer, clip_spec), tokenizer, tmp_path / "parts")
    assert first.steps == 5 and second.steps == whole.steps
    resumed = first.losses + second.losses  # the second call resumed from checkpoint-5
    assert len(resumed) == len(whole.losses)
    assert torch.allclose(torch.tensor(resumed), torch.tensor(whole.losses), rtol=1e-5, atol=1e-6)
    assert (tmp_path / "parts" / "final" / "trainable.safetensors").is_file()


def test_cli_trains_from_a_recipe_and_local_model_folders(shards, tokenizer, clip_spec, tmp_path):
    recipe = tiny_run_recipe(tmp_path, tokenizer, clip_spec, "mlp2x_gelu", stage="align", lr=1e-3, batch_size=4,
                             max_length=256, log_every=1)
    result = CliRunner().invoke(app, ["train", "--recipe", str(recipe), "--data", f"{shards}:1.0",
                                      "--output-dir", str(tmp_path / "run"), "--set", "train.max_steps=2"])
    assert result.exit_code == 0, result.output
    assert "step 2/2 loss" in result.output
    final = tmp_path / "run" / "final"
    assert (final / "trainable.safetensors").is_file() and (final / "tokenizer.json").is_file()


def test_mixtures_interleave_by_weight_or_follow_each_other(shards, tmp_path):
    from scitune_data.train.data import record_stream

    other = tmp_path / "other" / "data"
    other.mkdir(parents=True)
    table = pq.read_table(next((shards / "data").glob("train-*.parquet")))
    pq.write_table(table.set_column(0, "id", [[f"other/{i}" for i in range(table.num_rows)]]),
                   other / "train-00000-of-00001.parquet")
    sources = [DataSource(str(shards), 3.0), DataSource(str(other.parent), 1.0)]
    mixed = [r["id"] for r in record_stream(sources, "train", "mixed", seed=0)]
    sequential = [r["id"] for r in record_stream(sources, "train", "sequential", seed=0)]
    assert sorted(mixed) == sorted(sequential) and len(mixed) == 2 * table.num_rows
    first_half = mixed[: len(mixed) // 2]
    assert sum(i.startswith("other/") for i in first_half) < len(first_half) / 2  # weight 3:1 early on
    assert all(not i.startswith("other/") for i in sequential[: table.num_rows])
    assert mixed == [r["id"] for r in record_stream(sources, "train", "mixed", seed=0)]  # seeded


def test_export_to_llava_gives_the_same_logits(tokenizer, tmp_path):
    from transformers import LlavaForConditionalGeneration

    from scitune_data.train.export_llava import NotExportable, export_llava
    from scitune_data.train.model import Batch, HFVisionTower
    from tests.tiny_models import tiny_hf_clip

    tower = HFVisionTower(tiny_hf_clip())
    model = VisionLanguageModel(tower, tiny_llama(len(tokenizer)), "mlp2x_gelu").eval()
    with pytest.raises(NotExportable):
        export_llava(VisionLanguageModel(tower, tiny_llama(len(tokenizer)), "linear"), tokenizer, tmp_path / "x")
    tokens = tokenize([{"from": "human", "value": "What is shown?\n<image>"}, {"from": "gpt", "value": "A plot."}],
                      tokenizer, model.image_tokens, 512)
    input_ids = torch.tensor([tokens.input_ids])
    pixels = torch.randn(1, 3, 32, 32)
    batch = Batch(input_ids, torch.ones_like(input_ids), torch.tensor([tokens.labels]), pixels,
                  torch.tensor([0]), torch.tensor([tokens.image_start]))
    with torch.no_grad():
        ours = model(batch).logits
        llava = LlavaForConditionalGeneration.from_pretrained(export_llava(model, tokenizer, tmp_path / "llava"))
        theirs = llava(input_ids=input_ids, pixel_values=pixels, attention_mask=torch.ones_like(input_ids)).logits
    assert torch.allclose(ours, theirs, atol=1e-4)
