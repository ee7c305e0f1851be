"""Build the model and tokenizer a training config names (Hub names or local paths)."""

from __future__ import annotations

import torch

from scitune_data.train.config import TrainConfig
from scitune_data.train.conversation import IMAGE_PLACEHOLDER
from scitune_data.train.model import HFVisionTower, OpenClipTower, VisionLanguageModel, VisionTower


def build_tower(config: TrainConfig) -> VisionTower:
    spec = config.model.vision
    kind, _, rest = spec.partition(":")
    if kind == "open_clip":
        return OpenClipTower(rest, config.model.feature_layer, config.model.vision_config_dir)
    if kind == "hf":
        return HFVisionTower(rest, config.model.feature_layer)
    raise ValueError(f"model.vision {spec!r}: expected open_clip:ARCH:PRETRAINED or hf:NAME_OR_PATH")


def build_tokenizer(config: TrainConfig):
    from transformers import AutoTokenizer  # noqa: PLC0415

    tokenizer = AutoTokenizer.from_pretrained(config.model.tokenizer or config.model.language_model)
    if IMAGE_PLACEHOLDER not in tokenizer.get_vocab():
        tokenizer.add_special_tokens({"additional_special_tokens": [IMAGE_PLACEHOLDER]})
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.unk_token or tokenizer.eos_token
    return tokenizer


def build_model(config: TrainConfig, tokenizer) -> VisionLanguageModel:
    from transformers import AutoModelForCausalLM  # noqa: PLC0415

    dtype = torch.bfloat16 if config.train.bf16 and torch.cuda.is_available() else torch.float32
    language_model = AutoModelForCausalLM.from_pretrained(config.model.language_model, torch_dtype=dtype)
    if language_model.get_input_embeddings().num_embeddings < len(tokenizer):
        language_model.resize_token_embeddings(len(tokenizer))
    return VisionLanguageModel(build_tower(config), language_model, config.model.projector)
