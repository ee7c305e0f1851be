"""Tiny models built offline from configs (random weights) for the tests."""

from __future__ import annotations

import json
from pathlib import Path

TINY_CLIP = {
    "embed_dim": 32,
    "vision_cfg": {"image_size": 32, "layers": 2, "width": 64, "patch_size": 8, "head_width": 32},
    "text_cfg": {"context_length": 77, "vocab_size": 49408, "width": 64, "heads": 2, "layers": 2},
}


def tiny_clip(folder: Path, name: str = "scitune-tiny-clip") -> str:
    """Registers a tiny open_clip architecture, saves random weights as safetensors and returns
    the ``ARCH:CHECKPOINT`` spec that loads them."""
    import open_clip
    import torch
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps(TINY_CLIP))
    open_clip.add_model_config(folder)
    torch.manual_seed(0)
    model = open_clip.create_model(name)
    checkpoint = folder / "weights.safetensors"
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(checkpoint))
    return f"{name}:{checkpoint}"
