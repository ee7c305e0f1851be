"""GPU training throughput and model FLOPs utilisation (MFU) for a 7B-class configuration.

    python benchmarks/train_gpu.py [--stage instruct|align] [--steps 20] [--batch-size 4]
                                   [--peak-tflops 989]

Random weights (no download): a LLaMA-2-7B-shaped LM (hidden 4096, 32 layers, 32 heads, MLP
11008, vocab 32000) in bf16, a ViT-L/14-336 open_clip tower and the linear projector; batches of
2,048 tokens with 576 image tokens. Reports tokens/s and MFU = 6 x LM parameters x tokens/s
(+ attention) / peak bf16 FLOP/s (989 TFLOP/s: H100 SXM dense). Needs a CUDA GPU with about
80 GB for stage 2 (full fine-tuning with gradient checkpointing, AdamW states in fp32).
"""

from __future__ import annotations

import argparse
import time

import torch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stage", choices=("align", "instruct"), default="instruct")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--length", type=int, default=2048)
    parser.add_argument("--peak-tflops", type=float, default=989.0)
    args = parser.parse_args()
    if not torch.cuda.is_available():
        raise SystemExit("no CUDA GPU: this benchmark measures GPU training; CPU numbers do not stand in for it")
    from transformers import LlamaConfig, LlamaForCausalLM

    from scitune_data.train.model import Batch, OpenClipTower, VisionLanguageModel

    torch.manual_seed(0)
    config = LlamaConfig(hidden_size=4096, intermediate_size=11008, num_hidden_layers=32, num_attention_heads=32,
                         num_key_value_heads=32, vocab_size=32000, max_position_embeddings=4096,
                         attn_implementation="sdpa", torch_dtype=torch.bfloat16)
    with torch.device("cuda"):
        language_model = LlamaForCausalLM(config).to(torch.bfloat16)
    language_model.gradient_checkpointing_enable()
    tower = OpenClipTower("ViT-L-14-336").to("cuda", torch.bfloat16)
    model = VisionLanguageModel(tower, language_model, "linear").to("cuda", torch.bfloat16)
    model.tower.requires_grad_(False)
    model.language_model.requires_grad_(args.stage == "instruct")
    parameters = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(parameters, lr=1e-5, fused=True)
    image_tokens = model.image_tokens
    input_ids = torch.randint(5, 32000, (args.batch_size, args.length), device="cuda")
    input_ids[:, 10:10 + image_tokens] = 4
    labels = input_ids.clone()
    labels[:, : 10 + image_tokens] = -100
    batch = Batch(input_ids, torch.ones_like(input_ids), labels,
                  torch.randn(args.batch_size, 3, 336, 336, device="cuda", dtype=torch.bfloat16),
                  torch.arange(args.batch_size, device="cuda"), torch.full((args.batch_size,), 10, device="cuda"))
    for step in range(args.warmup + args.steps):
        if step == args.warmup:
            torch.cuda.synchronize()
            start = time.perf_counter()
        loss = model(batch).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
    torch.cuda.synchronize()
    seconds = (time.perf_counter() - start) / args.steps
    tokens_per_s = args.batch_size * args.length / seconds
    lm_parameters = sum(p.numel() for p in language_model.parameters())
    flops_per_token = 6 * lm_parameters + 12 * config.num_hidden_layers * config.hidden_size * args.length
    mfu = tokens_per_s * flops_per_token / (args.peak_tflops * 1e12)
    print(f"stage={args.stage} gpu={torch.cuda.get_device_name()} step_seconds={seconds:.3f} "
          f"tokens_per_s={tokens_per_s:.0f} mfu={mfu:.3f} peak_memory_gib={torch.cuda.max_memory_allocated() / 2**30:.1f}")


if __name__ == "__main__":
    main()
