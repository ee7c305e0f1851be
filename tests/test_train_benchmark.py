"""``benchmarks/train_gpu.py`` runs through the trainer's path: on CPU in its smoke mode, on a
GPU (when there is one) in bf16; its FLOP count leaves out the embedding table and, in stage 1,
the LM's weight gradients."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def benchmark():
    spec = importlib.util.spec_from_file_location("train_gpu", ROOT / "benchmarks" / "train_gpu.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tiny(clip_spec: str) -> list[str]:
    _, checkpoint = clip_spec.split(":", 1)
    return ["--vision", clip_spec, "--vision-config-dir", str(Path(checkpoint).parent), "--length", "64",
            "--steps", "1", "--warmup", "1"]


@pytest.mark.parametrize("stage", ["align", "instruct"])
def test_smoke_mode_steps_the_trainer_and_reports_mfu(benchmark, clip_spec, stage):
    result = benchmark.main(["--smoke", "--stage", stage] + _tiny(clip_spec))
    assert result["plan"] == "global batch 4 = 2 per device x 1 process x 2 accumulation steps"
    assert result["tokens_per_s"] > 0 and 0 < result["mfu"]


def test_flops_leave_out_the_embedding_table_and_stage1_weight_gradients(benchmark, clip_spec):
    from transformers import LlamaConfig, LlamaForCausalLM

    from scitune_data.train.model import OpenClipTower, VisionLanguageModel

    _, checkpoint = clip_spec.split(":", 1)
    tower = OpenClipTower(clip_spec, config_dir=str(Path(checkpoint).parent))
    language_model = LlamaForCausalLM(LlamaConfig(vocab_size=1000, **benchmark.LM_SHAPES["tiny"]))
    model = VisionLanguageModel(tower, language_model)
    lm = sum(p.numel() for p in language_model.parameters()) - 1000 * 64  # the lm_head stays, the table goes
    align, instruct = (benchmark.flops_per_step(model, stage, records=3, length=50) for stage in ("align", "instruct"))
    assert instruct - align == 2 * lm * 3 * 50  # 6N against 4N per token


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_bf16_steps_on_a_gpu(benchmark, clip_spec):
    result = benchmark.main(["--lm", "tiny", "--stage", "align", "--batch-size", "2", "--global-batch-size", "4"]
                            + _tiny(clip_spec))
    assert result["device"] != "cpu" and result["mfu"] > 0
