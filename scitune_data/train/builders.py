"""Build the model a training config names, ready for its stage: the one place that constructs,
freezes, wraps (LoRA) and reloads models, for ``train``, ``predict`` and ``export-llava`` alike.

Precision: with ``train.bf16`` the frozen parts (tower, and the LM when it does not train in
full) are held in bf16; every trained parameter stays fp32, so AdamW's small updates are not
rounded away, and the forward pass runs under bf16 autocast (or FSDP's bf16 compute).
Construction is seeded: the same recipe gives the same initial projector and adapters whatever
ran before in the process.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Iterator

import torch
from safetensors.torch import load_file

from scitune_data.schema.records import IMAGE_TOKEN
from scitune_data.train.checkpoint import CONFIG, WEIGHTS
from scitune_data.train.config import TrainConfig, from_dict
from scitune_data.train.model import HFVisionTower, OpenClipTower, VisionLanguageModel, VisionTower


@contextmanager
def seeded(seed: int) -> Iterator[None]:
    """Draw from ``seed`` inside, leaving the process's RNG streams as they were."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        yield


def build_tower(config: TrainConfig) -> VisionTower:
    spec = config.model.vision
    kind, _, rest = spec.partition(":")
    pad = config.model.image_aspect == "pad"
    if kind == "open_clip":
        return OpenClipTower(rest, config.model.feature_layer, config.model.vision_config_dir, pad_to_square=pad)
    if kind == "hf":
        return HFVisionTower(rest, config.model.feature_layer, pad_to_square=pad)
    raise ValueError(f"model.vision {spec!r}: expected open_clip:ARCH:PRETRAINED or hf:NAME_OR_PATH")


def build_tokenizer(config: TrainConfig):
    from transformers import AutoTokenizer  # noqa: PLC0415

    tokenizer = AutoTokenizer.from_pretrained(config.model.tokenizer or config.model.language_model)
    if IMAGE_TOKEN not in tokenizer.get_vocab():
        tokenizer.add_special_tokens({"additional_special_tokens": [IMAGE_TOKEN]})
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.unk_token or tokenizer.eos_token
    return tokenizer


def language_model_trains_fully(config: TrainConfig) -> bool:
    return config.train.stage == "instruct" and config.lora.r == 0


def build_language_model(config: TrainConfig, tokenizer, inference: bool = False):
    from transformers import AutoModelForCausalLM  # noqa: PLC0415

    frozen_dtype = torch.bfloat16 if config.train.bf16 else torch.float32
    dtype = torch.float32 if language_model_trains_fully(config) and not inference else frozen_dtype
    language_model = AutoModelForCausalLM.from_pretrained(config.model.language_model, dtype=dtype)
    if language_model.get_input_embeddings().num_embeddings < len(tokenizer):
        language_model.resize_token_embeddings(len(tokenizer))
    return language_model


def build_model(config: TrainConfig, tokenizer, inference: bool = False) -> VisionLanguageModel:
    """The model of ``config`` from its base models (names or paths), set up for its stage
    (``inference``: the LM is loaded in the dtype it will run in, even where it trained in fp32)."""
    tower = build_tower(config)
    return assemble_model(config, tower, build_language_model(config, tokenizer, inference), inference)


def assemble_model(config: TrainConfig, tower: VisionTower, language_model: torch.nn.Module,
                   inference: bool = False) -> VisionLanguageModel:
    """Projector (seeded) between ``tower`` and ``language_model``, the stage's trainable set,
    the stage-1 projector when ``train.init_projector`` names one, and the precision policy
    (for training: fp32 copies of the trained weights)."""
    tower.requires_grad_(False)
    if config.train.bf16:
        tower.to(torch.bfloat16)
    with seeded(config.train.seed):
        model = VisionLanguageModel(tower, language_model, config.model.projector)
    if config.train.init_projector:
        load_projector(model, config.train.init_projector)
    configure_stage(model, config)
    for parameter in model.parameters():
        if not inference and parameter.requires_grad and parameter.dtype != torch.float32:
            parameter.data = parameter.data.float()  # trained weights keep an fp32 copy (AdamW precision)
    return model


def configure_stage(model: VisionLanguageModel, config: TrainConfig) -> None:
    """Stage ``align``: the projector trains. Stage ``instruct``: projector and LM, fully or
    through LoRA adapters (only the adapters train)."""
    model.tower.requires_grad_(False)
    model.projector.requires_grad_(True)
    if config.train.stage == "align":
        model.language_model.requires_grad_(False)
    elif config.lora.r > 0:
        from peft import LoraConfig, get_peft_model  # noqa: PLC0415

        lora = LoraConfig(r=config.lora.r, lora_alpha=config.lora.alpha, lora_dropout=config.lora.dropout,
                          target_modules=list(config.lora.target_modules), task_type="CAUSAL_LM")
        with seeded(config.train.seed + 1):
            model.language_model = get_peft_model(model.language_model, lora)
    else:
        model.language_model.requires_grad_(True)


def load_projector(model: VisionLanguageModel, checkpoint: str | Path) -> None:
    """Start from a stage-1 projector."""
    weights = load_file(str(Path(checkpoint) / WEIGHTS))
    projector = {k.removeprefix("projector."): v for k, v in weights.items() if k.startswith("projector.")}
    if not projector:
        raise ValueError(f"{checkpoint} holds no projector weights")
    model.projector.load_state_dict(projector)


def load_trainable(model: VisionLanguageModel, folder: Path) -> None:
    """The trained weights of a checkpoint folder into a model built from the same config."""
    weights = load_file(str(folder / WEIGHTS))
    missing = [name for name, p in model.named_parameters() if p.requires_grad and name not in weights]
    if missing:
        raise ValueError(f"checkpoint {folder} lacks trainable weights {missing[:3]}...")
    model.load_state_dict(weights, strict=False)


def run_config(run: Path) -> TrainConfig:
    return from_dict(json.loads((run / CONFIG).read_text()), str(run))


def load_run(run: Path) -> tuple[VisionLanguageModel, object, TrainConfig]:
    """A trained model for inference from a checkpoint folder (``runs/x/final`` or
    ``checkpoint-N``): its base models by name or path, its trained weights, in eval mode and,
    with ``train.bf16``, wholly in bf16."""
    config = run_config(run)
    config = replace(config, train=replace(config.train, init_projector=None))  # the run holds the projector
    tokenizer = build_tokenizer(config)
    model = build_model(config, tokenizer, inference=True)
    load_trainable(model, run)
    if config.train.bf16:
        model.to(torch.bfloat16)
    return model.eval(), tokenizer, config
