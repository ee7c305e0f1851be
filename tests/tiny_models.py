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


SPECIAL = ["<unk>", "<s>", "</s>", "<pad>", "<image>"]


def tiny_tokenizer(corpus: list[str], vocab_size: int = 400):
    """A byte-level BPE trained on the fly, with ``<image>`` as a special token."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tokenizer = Tokenizer(models.BPE(unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=SPECIAL,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tokenizer.train_from_iterator(corpus, trainer)
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer, unk_token="<unk>", bos_token="<s>",
                                   eos_token="</s>", pad_token="<pad>", additional_special_tokens=["<image>"])


def tiny_llama(vocab_size: int, hidden: int = 64, dropout: float = 0.0):
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=vocab_size, hidden_size=hidden, intermediate_size=2 * hidden,
                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=4,
                         max_position_embeddings=1024, bos_token_id=1, eos_token_id=2, pad_token_id=3,
                         attention_dropout=dropout)
    return LlamaForCausalLM(config)


def save_tiny_language_model(folder: Path, tokenizer, dropout: float = 0.0) -> Path:
    """A tiny Llama and ``tokenizer`` saved together, as ``model.language_model`` loads them."""
    tiny_llama(len(tokenizer), dropout=dropout).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def tiny_model_section(language_model: Path, clip_spec: str, projector: str = "linear") -> dict:
    """The ``[model]`` table of a recipe for the tiny CLIP of ``clip_spec`` and a saved tiny LM."""
    architecture, checkpoint = clip_spec.split(":", 1)
    return {"vision": f"open_clip:{architecture}:{checkpoint}", "vision_config_dir": str(Path(checkpoint).parent),
            "projector": projector, "language_model": str(language_model)}


def tiny_hf_clip(image_size: int = 32):
    import torch
    from transformers import CLIPVisionConfig, CLIPVisionModel

    torch.manual_seed(0)
    config = CLIPVisionConfig(hidden_size=48, intermediate_size=96, num_hidden_layers=2, num_attention_heads=4,
                              image_size=image_size, patch_size=8, projection_dim=32)
    return CLIPVisionModel(config)


def tiny_run_recipe(folder: Path, tokenizer, clip_spec: str, projector: str = "linear", **train: object) -> Path:
    """Saves a tiny Llama beside ``tokenizer`` under ``folder`` and writes a recipe TOML that
    trains it with the tiny CLIP tower of ``clip_spec``; ``train`` fills the ``[train]`` table."""
    language_model = save_tiny_language_model(folder / "tiny-llama", tokenizer)
    settings = {"bf16": False, "num_workers": 0, "gradient_checkpointing": False, **train}
    settings.setdefault("global_batch_size", settings.get("batch_size", 16))
    lines = ["[model]"] + [f"{key} = {json.dumps(value)}"
                           for key, value in tiny_model_section(language_model, clip_spec, projector).items()]
    lines += ["", "[train]"] + [f"{key} = {json.dumps(value)}" for key, value in settings.items()]
    recipe = folder / "recipe.toml"
    recipe.write_text("\n".join(lines) + "\n")
    return recipe
