"""``export-llava``: the trainer's model as transformers' Llava with a processor, for every
shipped configuration, compared with the trainer's own forward pass and generation; and the
whole user path (``train`` → ``export-llava`` → ``predict``) with both shipped recipes in bf16."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import torch
from typer.testing import CliRunner

from scitune_data.cli.main import app
from scitune_data.train.builders import build_model
from scitune_data.train.conversation import prompt_ids
from scitune_data.train.model import Batch, HFVisionTower, VisionLanguageModel
from tests.tiny_models import tiny_hf_clip, tiny_llama, tiny_model_section
from tests.train_support import tiny_config

pytestmark = pytest.mark.usefixtures("one_torch_thread")
QUESTION = "What is shown?\n"


def wide_figure():
    from PIL import Image, ImageDraw

    figure = Image.new("RGB", (300, 120), "white")
    draw = ImageDraw.Draw(figure)
    draw.line((10, 100, 150, 20, 290, 60), fill=(30, 60, 200), width=5)
    draw.rectangle((0, 0, 20, 119), fill=(200, 30, 30))
    return figure


def trainer_view(model: VisionLanguageModel, tokenizer, image, prompt: str = "v1"):
    """Input ids, pixels and logits of the trainer's model for one question about ``image``."""
    ids, start = prompt_ids(QUESTION + "<image>", tokenizer, model.image_tokens, prompt)
    input_ids = torch.tensor([ids])
    pixels = model.tower.preprocess(image).unsqueeze(0)
    batch = Batch(input_ids, torch.ones_like(input_ids), input_ids, pixels, torch.tensor([0]), torch.tensor([start]))
    with torch.no_grad():
        return input_ids, pixels, model(batch).logits


def llava_view(out: Path, image, backend: str | None = "pil"):
    """The export loaded as a user would: processor inputs (chat template) and Llava's logits."""
    from transformers import AutoProcessor, LlavaForConditionalGeneration

    processor = AutoProcessor.from_pretrained(out, **({"backend": backend} if backend else {}))
    messages = [{"role": "user", "content": [{"type": "text", "text": QUESTION}, {"type": "image"}]}]
    text = processor.apply_chat_template(messages, add_generation_prompt=True)
    inputs = processor(images=image, text=text, return_tensors="pt")
    llava = LlavaForConditionalGeneration.from_pretrained(out).eval()
    with torch.no_grad():
        return inputs, llava, llava(**inputs).logits


def generated(llava, inputs, tokenizer, tokens: int = 4) -> str:
    output = llava.generate(**inputs, max_new_tokens=tokens, do_sample=False, pad_token_id=tokenizer.pad_token_id)
    return tokenizer.decode(output[0, inputs["input_ids"].shape[1]:], skip_special_tokens=True).strip()


def ours_generated(model, tokenizer, image, tokens: int = 4, prompt: str = "v1") -> str:
    import io

    from scitune_data.eval.predict import Sampling, generate

    png = io.BytesIO()
    image.save(png, format="PNG")
    record = {"conversations": [{"from": "human", "value": QUESTION + "<image>"}], "image": {"bytes": png.getvalue()}}
    return generate(model, tokenizer, [record], Sampling(max_new_tokens=tokens), prompt)[0]


def test_an_open_clip_tower_with_a_linear_projector_exports_exactly(tiny_lm, clip_spec, train_shards,
                                                                   train_tokenizer, tmp_path):
    from scitune_data.train.export_llava import export_llava

    model = build_model(tiny_config(tiny_lm, clip_spec, train_shards), train_tokenizer).eval()
    image = wide_figure()
    ids, pixels, ours = trainer_view(model, train_tokenizer, image)
    expected_text = ours_generated(model, train_tokenizer, image)
    out = export_llava(model, train_tokenizer, tmp_path / "llava")

    inputs, llava, theirs = llava_view(out, image)
    assert inputs["input_ids"].tolist() == ids.tolist()  # chat template + <image> expansion = training prompt
    assert torch.equal(inputs["pixel_values"], pixels)  # padded and resized as in training
    assert torch.allclose(ours, theirs, atol=1e-4)
    assert generated(llava, inputs, train_tokenizer) == expected_text

    default_inputs, _, default_logits = llava_view(out, image, backend=None)  # torchvision backend
    assert (default_inputs["pixel_values"] - pixels).abs().max() < 1e-3
    assert torch.allclose(ours, default_logits, atol=1e-3)


def test_a_hugging_face_clip_tower_with_the_mlp_projector_exports_exactly(train_tokenizer, tmp_path):
    from scitune_data.train.export_llava import export_llava

    tower = HFVisionTower(tiny_hf_clip())
    model = VisionLanguageModel(tower, tiny_llama(len(train_tokenizer)), "mlp2x_gelu").eval()
    image = wide_figure()
    ids, pixels, ours = trainer_view(model, train_tokenizer, image)
    inputs, llava, theirs = llava_view(export_llava(model, train_tokenizer, tmp_path / "llava"), image)
    assert inputs["input_ids"].tolist() == ids.tolist() and torch.equal(inputs["pixel_values"], pixels)
    assert torch.allclose(ours, theirs, atol=1e-4)


@pytest.fixture(scope="module")
def four_records(train_shards, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("four")
    (folder / "data").mkdir()
    table = pq.read_table(next((train_shards / "data").glob("train-*.parquet"))).slice(0, 4)
    pq.write_table(table, folder / "data" / "train-00000-of-00001.parquet")
    pq.write_table(table, folder / "data" / "test-00000-of-00001.parquet")
    return folder


@pytest.mark.parametrize("recipe", ["stage1-align", "stage2-scienceqa"])
def test_train_export_predict_with_each_shipped_recipe_in_bf16(recipe, tiny_lm, clip_spec, train_tokenizer,
                                                               four_records, tmp_path):
    from scitune_data.train.builders import load_run

    tiny = [f"model.{key}={value}" for key, value in tiny_model_section(tiny_lm, clip_spec).items() if key != "projector"]
    small = ["train.global_batch_size=4", "train.batch_size=2", "train.max_steps=2", "train.num_workers=0",
             "train.max_length=256"]
    runner = CliRunner()
    trained = runner.invoke(app, ["train", "--recipe", recipe, "--data", str(four_records),
                                  "--output-dir", str(tmp_path / "run")] + [a for s in tiny + small for a in ("--set", s)])
    assert trained.exit_code == 0, trained.output
    run = tmp_path / "run" / "final"
    exported = runner.invoke(app, ["export-llava", "--run", str(run), "--out", str(tmp_path / "llava")])
    assert exported.exit_code == 0, exported.output
    predictions = tmp_path / "preds.jsonl"
    predicted = runner.invoke(app, ["predict", "--run", str(run), "--data", str(four_records), "--out", str(predictions),
                                    "--batch-size", "2", "--max-new-tokens", "3"])
    assert predicted.exit_code == 0, predicted.output
    assert len([json.loads(line) for line in predictions.read_text().splitlines()]) == 4

    model, tokenizer, config = load_run(run)
    assert config.train.bf16 and {p.dtype for p in model.parameters()} == {torch.bfloat16}
    image = wide_figure()
    _, _, ours = trainer_view(model, tokenizer, image, config.data.prompt)
    inputs, llava, theirs = llava_view(tmp_path / "llava", image)
    assert theirs.dtype == torch.bfloat16
    assert (ours.float() - theirs.float()).abs().max() < 0.02  # a few bf16 roundings apart (two attention kernels)
    output = llava.generate(**inputs, max_new_tokens=3, min_new_tokens=3, do_sample=False,
                            pad_token_id=tokenizer.pad_token_id)
    assert output.shape[1] == inputs["input_ids"].shape[1] + 3
