"""GPU training throughput and model FLOPs utilisation (MFU) through the trainer's own path.

    python benchmarks/train_gpu.py --stage align [--steps 10] [--peak-tflops 989]
    python benchmarks/train_gpu.py --stage instruct --lora-r 64              # stage 2 on one GPU
    torchrun --nproc_per_node 8 benchmarks/train_gpu.py --stage instruct      # full, FSDP, as the recipe
    python benchmarks/train_gpu.py --smoke --vision ARCH:CKPT --vision-config-dir DIR   # CPU check

Random weights (no download): a LLaMA-2-7B-shaped LM (or 13B, ``--lm 13b``) and an open_clip
ViT-L/14 tower at 224 px (256 image tokens) are assembled by the trainer's builders (frozen parts
in bf16, trained weights fp32), wrapped and stepped by its :class:`Trainer` (DDP or FSDP2 from
the stage's recipe, bf16 autocast, gradient checkpointing, accumulation to the recipe's global
batch) on batches made by its collator (padding, a real PNG decoded and padded to square).

MFU = model FLOPs per second / peak. Model FLOPs per token of the LM count its weights without
the embedding table (a lookup, no matmul): 6 N for ``instruct`` (forward, and backward for both
activations and weights), 4 N for ``align`` (the LM is frozen: backward only carries activation
gradients down to the projector); attention adds 12 x layers x hidden x sequence length; plus
the frozen tower's forward (2 x its parameters per patch token) and the projector (6 x its
parameters per image token). Recomputation by gradient checkpointing is not counted. Peak
defaults to 989 TFLOP/s (H100 SXM, dense bf16).
"""

from __future__ import annotations

import argparse
import io
import time

import torch

LM_SHAPES = {  # LLaMA-2 shapes
    "7b": dict(hidden_size=4096, intermediate_size=11008, num_hidden_layers=32, num_attention_heads=32),
    "13b": dict(hidden_size=5120, intermediate_size=13824, num_hidden_layers=40, num_attention_heads=40),
    "tiny": dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4),
}
RECIPES = {"align": "stage1-align", "instruct": "stage2-scienceqa"}  # shipped training recipes, by name


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stage", choices=tuple(RECIPES), default="align")
    parser.add_argument("--lm", choices=tuple(LM_SHAPES), default="7b")
    parser.add_argument("--vision", default="ViT-L-14", help="open_clip ARCH[:CHECKPOINT] (random weights)")
    parser.add_argument("--vision-config-dir", default=None)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--length", type=int, default=2048, help="tokens per record")
    parser.add_argument("--batch-size", type=int, default=None, help="per device (default: the recipe's)")
    parser.add_argument("--global-batch-size", type=int, default=None, help="default: the recipe's")
    parser.add_argument("--lora-r", type=int, default=0, help="LoRA rank for --stage instruct (0: full fine-tuning)")
    parser.add_argument("--peak-tflops", type=float, default=989.0)
    parser.add_argument("--smoke", action="store_true", help="tiny shapes on CPU: checks the script, measures nothing")
    return parser.parse_args(argv)


def figure_png() -> bytes:
    """A wide plot-like figure (padded to square by the tower's preprocessing)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (900, 400), "white")
    draw = ImageDraw.Draw(image)
    draw.line([(40 + 8 * i, 360 - (i * 37) % 300) for i in range(100)], fill=(20, 60, 200), width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def flops_per_step(model, stage: str, records: int, length: int) -> float:
    language_model = model.language_model
    embedding = language_model.get_input_embeddings().weight.numel()
    lm = sum(p.numel() for p in language_model.parameters()) - embedding
    config = language_model.config
    per_token = (6 if stage == "instruct" else 4) * lm + 12 * config.num_hidden_layers * config.hidden_size * length
    tower = sum(p.numel() for p in model.tower.parameters())
    projector = sum(p.numel() for p in model.projector.parameters())
    image_tokens = model.image_tokens
    per_image = 2 * tower * (image_tokens + 1) + 6 * projector * image_tokens
    return records * (length * per_token + per_image)


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    if not torch.cuda.is_available() and not args.smoke:
        raise SystemExit("no CUDA GPU: this benchmark measures GPU training (--smoke only checks the script on CPU)")
    from dataclasses import replace

    from transformers import LlamaConfig, LlamaForCausalLM

    from scitune_data.train.builders import assemble_model, language_model_trains_fully
    from scitune_data.train.config import load_config
    from scitune_data.train.conversation import IGNORE
    from scitune_data.train.data import Example, collate
    from scitune_data.train.distributed import init_runtime
    from scitune_data.train.loop import Trainer
    from scitune_data.train.model import OpenClipTower
    from scitune_data.train.plan import BatchPlan

    config = load_config(RECIPES[args.stage])
    shape = "tiny" if args.smoke else args.lm
    options = replace(config.train, batch_size=args.batch_size or (2 if args.smoke else config.train.batch_size),
                      global_batch_size=args.global_batch_size or (4 if args.smoke else config.train.global_batch_size),
                      bf16=not args.smoke, max_length=args.length)
    config = replace(config, train=options, lora=replace(config.lora, r=args.lora_r))
    runtime = init_runtime()
    lm_config = LlamaConfig(vocab_size=32000, max_position_embeddings=max(4096, args.length), attn_implementation="sdpa",
                            num_key_value_heads=LM_SHAPES[shape]["num_attention_heads"], **LM_SHAPES[shape])
    lm_dtype = torch.float32 if language_model_trains_fully(config) or not options.bf16 else torch.bfloat16
    torch.manual_seed(0)
    with torch.device(runtime.device):
        language_model = LlamaForCausalLM(lm_config).to(lm_dtype)
    tower = OpenClipTower(args.vision, config.model.feature_layer, args.vision_config_dir)
    model = assemble_model(config, tower, language_model)
    trainer = Trainer(config, model, runtime, BatchPlan.for_world(options, runtime.world), args.warmup + args.steps)

    image, image_id = figure_png(), 31999
    tokens = torch.randint(5, 31000, (args.length,)).tolist()
    start = 10
    tokens[start:start + model.image_tokens] = [image_id] * model.image_tokens
    labels = [IGNORE] * (start + model.image_tokens) + tokens[start + model.image_tokens:]
    example = Example("synthetic", tokens, labels, start, image)
    batch = collate([example] * options.batch_size, pad_token_id=0, preprocess=model.tower.preprocess)

    def batches():
        while True:
            yield batch

    feed = batches()
    trainer.model.train()
    for step in range(args.warmup + args.steps):
        if step == args.warmup:
            if runtime.device.type == "cuda":
                torch.cuda.synchronize()
            started = time.perf_counter()
        trainer.step(feed, step)
    if runtime.device.type == "cuda":
        torch.cuda.synchronize()
    seconds = (time.perf_counter() - started) / args.steps
    records = options.global_batch_size
    tokens_per_s = records * args.length / seconds
    mfu = flops_per_step(model, args.stage, records, args.length) / seconds / (args.peak_tflops * 1e12 * runtime.world)
    device = torch.cuda.get_device_name() if runtime.device.type == "cuda" else "cpu"
    memory = torch.cuda.max_memory_allocated() / 2**30 if runtime.device.type == "cuda" else 0.0
    result = {"stage": args.stage, "lm": shape, "processes": runtime.world, "device": device,
              "plan": trainer.plan.describe(), "step_seconds": seconds, "tokens_per_s": tokens_per_s,
              "tokens_per_s_per_device": tokens_per_s / runtime.world, "mfu": mfu, "peak_memory_gib": memory}
    if runtime.is_main:
        print(" ".join(f"{key}={value:.4g}" if isinstance(value, float) else f"{key}={value}"
                       for key, value in result.items()))
    return result


if __name__ == "__main__":
    main()
