"""The trainer on one CPU process with tiny models built from configs (no downloads), on real
shards: tokenization, model construction, precision, batching arithmetic, resume, the CLI."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import torch
from typer.testing import CliRunner

from scitune_data.cli.main import app
from scitune_data.train.builders import build_model
from scitune_data.train.config import DataSource, TrainConfigError, from_dict, load_config
from scitune_data.train.conversation import IGNORE, TooLong, tokenize
from scitune_data.train.loop import train
from scitune_data.train.model import Batch
from tests.tiny_models import tiny_run_recipe
from tests.train_support import config_dict, tiny_config

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture()
def configure(tiny_lm, clip_spec, train_shards):
    """``configure(**options)``: a config training the tiny models on the example shards."""
    def make(shards: Path = train_shards, language_model: Path = tiny_lm, **options):
        return tiny_config(language_model, clip_spec, shards, **options)
    return make


def _weights(module: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in module.state_dict().items()}


def _changed(before: dict, after: dict) -> set[str]:
    return {k for k in before if not torch.equal(before[k], after[k])}


def test_labels_learn_only_the_answer_and_the_image_fits(train_tokenizer):
    conversation = [{"from": "human", "value": "Describe the figure.\n<image>"},
                    {"from": "gpt", "value": "A bar chart."}]
    tokens = tokenize(conversation, train_tokenizer, image_tokens=4, max_length=512)
    image_id = train_tokenizer.convert_tokens_to_ids("<image>")
    assert tokens.input_ids[tokens.image_start:tokens.image_start + 4] == [image_id] * 4
    assert tokens.input_ids.count(image_id) == 4
    learned = [t for t, label in zip(tokens.input_ids, tokens.labels) if label != IGNORE]
    assert train_tokenizer.decode(learned) == " A bar chart.</s>"
    first_learned = next(i for i, label in enumerate(tokens.labels) if label != IGNORE)
    assert train_tokenizer.decode(tokens.input_ids[:first_learned]).endswith("ASSISTANT:")
    assert all(label == IGNORE for label in tokens.labels[:first_learned])
    assert tokens.labels[first_learned:] == tokens.input_ids[first_learned:]


def test_plain_prompt_is_the_image_then_the_answer(train_tokenizer):
    conversation = [{"from": "human", "value": "Describe the figure.\n<image>"},
                    {"from": "gpt", "value": "A bar chart."}]
    tokens = tokenize(conversation, train_tokenizer, image_tokens=4, max_length=512, prompt="plain")
    image_id = train_tokenizer.convert_tokens_to_ids("<image>")
    assert tokens.input_ids[:5] == [train_tokenizer.bos_token_id] + [image_id] * 4 and tokens.image_start == 1
    assert train_tokenizer.decode(tokens.input_ids[5:]) == "A bar chart.</s>"  # no system line, no instruction
    assert tokens.labels[:5] == [IGNORE] * 5 and tokens.labels[5:] == tokens.input_ids[5:]


def test_records_that_cannot_fit_are_refused_not_cut(train_tokenizer):
    conversation = [{"from": "human", "value": "word " * 50 + "<image>"}, {"from": "gpt", "value": "ok"}]
    with pytest.raises(TooLong, match="image tokens end"):
        tokenize(conversation, train_tokenizer, image_tokens=16, max_length=40)
    long_answer = [{"from": "human", "value": "<image>\nQ?"}, {"from": "gpt", "value": "long answer " * 200}]
    cut = tokenize(long_answer, train_tokenizer, image_tokens=16, max_length=200)
    assert len(cut.input_ids) == 200 and cut.image_start + 16 <= 200  # answer cut, image whole
    assert any(label != IGNORE for label in cut.labels)


def test_stage1_step_trains_only_the_projector(configure, train_tokenizer, tmp_path):
    config = configure(max_steps=1)
    model = build_model(config, train_tokenizer)
    before = _weights(model)
    result = train(config, model, train_tokenizer, tmp_path / "run")
    assert result.steps == 1
    changed = _changed(before, _weights(model))
    assert changed and all(k.startswith("projector.") for k in changed)


def test_stage2_trains_the_language_model_or_only_lora_adapters(configure, train_tokenizer, tmp_path):
    config = configure(stage="instruct", max_steps=1)
    model = build_model(config, train_tokenizer)
    before = _weights(model)
    train(config, model, train_tokenizer, tmp_path / "full")
    changed = _changed(before, _weights(model))
    assert any(k.startswith("language_model.") for k in changed) and not any(k.startswith("tower.") for k in changed)

    config = replace(config, lora=replace(config.lora, r=4, alpha=8, dropout=0.0))
    lora_model = build_model(config, train_tokenizer)
    base = {k.replace("base_model.model.", "").replace(".base_layer", ""): v
            for k, v in _weights(lora_model.language_model).items() if "lora_" not in k}
    train(config, lora_model, train_tokenizer, tmp_path / "lora")
    trained = {n for n, p in lora_model.named_parameters() if p.requires_grad}
    assert trained and all("lora_" in n or n.startswith("projector.") for n in trained)
    after = {k.replace("base_model.model.", "").replace(".base_layer", ""): v
             for k, v in lora_model.language_model.state_dict().items() if "lora_" not in k}
    assert all(torch.equal(base[k], after[k]) for k in base)


def test_stage2_starts_from_the_stage1_projector(configure, train_tokenizer, tmp_path):
    from safetensors.torch import load_file

    stage1 = configure(max_steps=1)
    train(stage1, build_model(stage1, train_tokenizer), train_tokenizer, tmp_path / "stage1")
    saved = load_file(str(tmp_path / "stage1" / "final" / "trainable.safetensors"))
    stage2 = configure(stage="instruct", init_projector=str(tmp_path / "stage1" / "final"))
    projector = build_model(stage2, train_tokenizer).projector
    assert torch.equal(projector.weight, saved["projector.weight"]) and torch.equal(projector.bias, saved["projector.bias"])


def test_loss_falls_when_overfitting_eight_records(configure, train_shards, train_tokenizer, tmp_path):
    eight = tmp_path / "eight" / "data"
    eight.mkdir(parents=True)
    table = pq.read_table(next((train_shards / "data").glob("train-*.parquet"))).slice(0, 8)
    pq.write_table(table, eight / "train-00000-of-00001.parquet")
    config = configure(eight.parent, stage="instruct", lr=1e-2, epochs=30, global_batch_size=8, batch_size=8,
                       schedule="constant", max_length=128, data={"prompt": "plain"})
    result = train(config, build_model(config, train_tokenizer), train_tokenizer, tmp_path / "overfit")
    assert result.steps == 30
    assert sum(result.losses[-5:]) / 5 < 0.3 * sum(result.losses[:5]) / 5


def test_resume_with_dropout_continues_the_loss_curve_bit_for_bit(configure, tiny_lm_dropout, train_tokenizer,
                                                                  tmp_path):
    config = configure(language_model=tiny_lm_dropout, stage="instruct", lr=1e-3, epochs=2, global_batch_size=8,
                       batch_size=4, num_workers=2, save_every=2)

    def run(folder: str, max_steps: int | None = None):
        return train(config, build_model(config, train_tokenizer), train_tokenizer, tmp_path / folder,
                     max_steps=max_steps)

    whole = run("whole")
    first = run("parts", max_steps=3)  # stops mid-epoch, after the checkpoint of step 2 and one of its own
    second = run("parts")
    assert first.steps == 3 and second.steps == whole.steps == 6
    assert first.losses + second.losses == whole.losses  # exact: dropout draws continue where they stopped
    assert (tmp_path / "parts" / "final" / "trainable.safetensors").is_file()


def test_the_same_recipe_builds_the_same_model_whatever_ran_before(configure, train_tokenizer):
    config = replace(configure(stage="instruct"), lora=replace(configure().lora, r=4))
    first = build_model(config, train_tokenizer)
    torch.rand(1000)  # other work in the process moves the global RNG
    second = build_model(config, train_tokenizer)
    assert _changed(_weights(first), _weights(second)) == set()
    different = build_model(replace(config, train=replace(config.train, seed=1)), train_tokenizer)
    assert any(k.startswith("projector.") for k in _changed(_weights(first), _weights(different)))


def test_bf16_keeps_trained_weights_in_fp32_and_small_updates_land(configure, train_tokenizer, tmp_path):
    config = configure(stage="instruct", bf16=True, lr=1e-5, max_steps=10, global_batch_size=2, batch_size=2)
    model = build_model(config, train_tokenizer)
    assert {p.dtype for p in model.tower.parameters()} == {torch.bfloat16}  # frozen: bf16
    assert {p.dtype for p in model.language_model.parameters()} == {torch.float32}  # trained: fp32 master
    before = {name: p.detach().clone() for name, p in model.language_model.named_parameters()}
    train(config, model, train_tokenizer, tmp_path / "run")
    shares = [(before[name] != p).float().mean().item() for name, p in model.language_model.named_parameters()
              if p.dim() == 2 and "embed" not in name]
    # Adam's steps of ~1e-5 are below bf16's resolution at these weights: AdamW on bf16 weights keeps
    # about 16 % of them (measured on this model), the fp32 copy all
    assert sum(shares) / len(shares) > 0.99

    lora = build_model(replace(config, lora=replace(config.lora, r=4)), train_tokenizer)
    dtypes = {p.dtype for n, p in lora.language_model.named_parameters() if "lora_" not in n}
    assert dtypes == {torch.bfloat16}  # the frozen base stays bf16 under LoRA
    assert {p.dtype for p in lora.parameters() if p.requires_grad} == {torch.float32}


def test_a_bf16_language_model_beside_an_fp32_tower_runs_without_autocast(configure, train_tokenizer):
    """The shipped recipes' inference setup on a GPU before export: LM in bf16, tower and
    projector in fp32 (or any other mix), no autocast."""
    model = build_model(configure(), train_tokenizer).eval()
    model.language_model.to(torch.bfloat16)
    model.tower.to(torch.float32)
    tokens = tokenize([{"from": "human", "value": "<image>\nWhat is shown?"}, {"from": "gpt", "value": "A plot."}],
                      train_tokenizer, model.image_tokens, 256)
    ids = torch.tensor([tokens.input_ids])
    batch = Batch(ids, torch.ones_like(ids), torch.tensor([tokens.labels]), torch.randn(1, 3, 32, 32),
                  torch.tensor([0]), torch.tensor([tokens.image_start]))
    with torch.no_grad():
        logits = model(batch).logits
    assert logits.dtype == torch.bfloat16 and torch.isfinite(logits.float()).all()


def test_a_text_only_batch_still_gives_the_projector_a_gradient(configure, train_tokenizer):
    model = build_model(configure(), train_tokenizer)
    tokens = tokenize([{"from": "human", "value": "What is 2 + 2?"}, {"from": "gpt", "value": "4"}],
                      train_tokenizer, model.image_tokens, 256)
    ids = torch.tensor([tokens.input_ids])
    batch = Batch(ids, torch.ones_like(ids), torch.tensor([tokens.labels]), None, torch.tensor([], dtype=torch.long),
                  torch.tensor([], dtype=torch.long))
    model(batch).loss.backward()
    # DDP needs a gradient for every trained parameter in every step; here it is exactly zero
    assert all(p.grad is not None and not p.grad.any() for p in model.projector.parameters())


def test_a_wide_figure_keeps_its_sides(configure, train_tokenizer):
    from PIL import Image, ImageDraw

    figure = Image.new("RGB", (800, 200), "white")  # 4:1, the shape of many plots and tables
    draw = ImageDraw.Draw(figure)
    draw.rectangle((0, 0, 60, 199), fill=(255, 0, 0))  # a red y-axis band on the left
    draw.rectangle((740, 0, 799, 199), fill=(0, 0, 255))  # a blue legend band on the right

    def colours(aspect: str) -> tuple[bool, bool]:
        config = configure()
        tower = build_model(replace(config, model=replace(config.model, image_aspect=aspect)), train_tokenizer).tower
        pixels = tower.preprocess(figure)
        mean = torch.tensor(tower.image_spec.mean).view(3, 1, 1)
        std = torch.tensor(tower.image_spec.std).view(3, 1, 1)
        rgb = (pixels * std + mean).clamp(0, 1)
        red = ((rgb[0] > 0.8) & (rgb[1] < 0.2) & (rgb[2] < 0.2)).any()
        blue = ((rgb[2] > 0.8) & (rgb[0] < 0.2) & (rgb[1] < 0.2)).any()
        return bool(red), bool(blue)

    assert colours("pad") == (True, True)
    assert colours("crop") == (False, False)  # resize-then-centre-crop loses both sides


def test_the_global_batch_fixes_the_steps_whatever_the_world_size():
    from scitune_data.train.plan import BatchPlan, Schedule, total_steps

    options = load_config("stage1-align").train
    plans = {world: BatchPlan.for_world(options, world) for world in (1, 2, 8)}
    assert {world: plan.accumulation for world, plan in plans.items()} == {1: 16, 2: 8, 8: 2}
    assert {plan.global_batch for plan in plans.values()} == {256}
    steps = {total_steps(options, plan, records=558_000) for plan in plans.values()}
    assert steps == {2179}  # LLaVA's 558k alignment records at 256 per step, on any number of GPUs
    schedule = Schedule(options.lr, 2179, options.warmup_ratio, options.schedule)
    assert schedule.lr(2178) > 0 and schedule.lr(1089) == pytest.approx(options.lr / 2, rel=0.05)
    with pytest.raises(TrainConfigError, match="not a multiple"):
        BatchPlan.for_world(options, 3)


def test_every_rank_gets_the_same_whole_steps_of_batches(configure, train_tokenizer):
    from scitune_data.train.data import ShardStream

    config = configure()

    def stream(rank: int, world: int, per_step: int) -> ShardStream:
        return ShardStream(list(config.data.sources), train_tokenizer, lambda image: image, 16, 256, 2, window=4,
                           rank=rank, world=world, batches_per_step=per_step)

    everything = list(stream(0, 1, 1).batches())
    assert len(everything) == 14  # 28 records in batches of 2
    for world, per_step in ((2, 2), (2, 4), (8, 8)):
        assigned = [[number for number, _ in stream(rank, world, per_step).assigned()] for rank in range(world)]
        whole = len(everything) // per_step * per_step
        assert {len(numbers) for numbers in assigned} == {whole // world}, (world, per_step)
        assert sorted(n for numbers in assigned for n in numbers) == list(range(whole))


def test_cli_trains_from_a_recipe_and_logs_the_effective_batch(train_shards, train_tokenizer, clip_spec, tmp_path):
    recipe = tiny_run_recipe(tmp_path, train_tokenizer, clip_spec, "mlp2x_gelu", stage="align", lr=1e-3,
                             global_batch_size=8, batch_size=4, max_length=256, log_every=1)
    result = CliRunner().invoke(app, ["train", "--recipe", str(recipe), "--data", f"{train_shards}:1.0",
                                      "--output-dir", str(tmp_path / "run"), "--set", "train.max_steps=2"])
    assert result.exit_code == 0, result.output
    assert "global batch 8 = 4 per device x 1 process x 2 accumulation steps; 28 records, 2 optimizer steps" \
        in result.output
    assert "step 2/2 loss" in result.output
    final = tmp_path / "run" / "final"
    assert (final / "trainable.safetensors").is_file() and (final / "tokenizer.json").is_file()


def test_mixtures_interleave_by_weight_or_follow_each_other(train_shards, tmp_path):
    from scitune_data.train.data import record_stream

    other = tmp_path / "other" / "data"
    other.mkdir(parents=True)
    table = pq.read_table(next((train_shards / "data").glob("train-*.parquet")))
    pq.write_table(table.set_column(0, "id", [[f"other/{i}" for i in range(table.num_rows)]]),
                   other / "train-00000-of-00001.parquet")
    sources = [DataSource(str(train_shards), 3.0), DataSource(str(other.parent), 1.0)]
    mixed = [r["id"] for r in record_stream(sources, "train", "mixed", seed=0)]
    sequential = [r["id"] for r in record_stream(sources, "train", "sequential", seed=0)]
    assert sorted(mixed) == sorted(sequential) and len(mixed) == 2 * table.num_rows
    first_half = mixed[: len(mixed) // 2]
    assert sum(i.startswith("other/") for i in first_half) < len(first_half) / 2  # weight 3:1 early on
    assert all(not i.startswith("other/") for i in sequential[: table.num_rows])
    assert mixed == [r["id"] for r in record_stream(sources, "train", "mixed", seed=0)]  # seeded


def test_shipped_recipes_follow_scitune_and_llava():
    stage1, stage2 = (load_config(name) for name in ("stage1-align", "stage2-scienceqa"))
    assert (stage1.train.global_batch_size, stage2.train.global_batch_size) == (256, 128)  # LLaVA's two stages
    assert stage1.model.vision == stage2.model.vision == "open_clip:ViT-L-14:openai"  # SciTune: ViT-L/14, 224 px
    assert stage1.model.image_aspect == "pad" and stage1.data.prompt in ("v1", "plain")
    assert (stage1.train.stage, stage2.train.stage) == ("align", "instruct")


def test_recipe_errors_say_what_to_do(tiny_lm, clip_spec, train_shards):
    recipe = config_dict(tiny_lm, clip_spec, train_shards)
    with pytest.raises(TrainConfigError, match="grad_accum is gone; accumulation is derived"):
        from_dict(recipe | {"train": recipe["train"] | {"grad_accum": 8}})
    with pytest.raises(TrainConfigError, match="must be a multiple of train.batch_size"):
        from_dict(recipe | {"train": recipe["train"] | {"global_batch_size": 6, "batch_size": 4}})
    with pytest.raises(TrainConfigError, match="data.prompt = 'chat'"):
        from_dict(recipe | {"data": {"prompt": "chat"}})


def test_a_training_recipe_parses_without_importing_torch():
    code = ("import sys; from scitune_data.train.config import load_config; "
            "load_config('stage2-scienceqa'); print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('torch', 'transformers', 'accelerate')))")
    output = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                            env={"PYTHONPATH": str(ROOT)}).stdout
    assert output.strip() == "[]"
