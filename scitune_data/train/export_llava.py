"""Export a trained model to transformers' ``LlavaForConditionalGeneration`` and a
``LlavaProcessor`` that ``AutoProcessor.from_pretrained`` loads.

Every shipped configuration is expressible exactly:

- an open_clip ViT (e.g. ViT-L/14) is rewritten as a ``CLIPVisionModel`` (patch embedding, class
  and position embeddings, pre-norm, attention split from open_clip's fused q/k/v projection,
  MLP, post-norm), a Hugging Face CLIP tower is taken as it is;
- the ``mlp2x_gelu`` projector is Llava's projector; a ``linear`` projector becomes Llava's
  first linear layer, an identity activation and an identity second layer;
- LoRA adapters are merged into the LM's weights.

The processor pads and resizes exactly as training did (:mod:`.images`), expands ``<image>`` to
the tower's patch count, and carries a chat template that writes the training prompt.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from scitune_data.schema.records import IMAGE_TOKEN
from scitune_data.train.conversation import SYSTEM
from scitune_data.train.model import HFVisionTower, OpenClipTower, VisionLanguageModel, VisionTower


class NotExportable(ValueError):
    """The model's tower or projector has no Llava equivalent."""


_CONTENT = ("{% if message['content'] is string %}{{ message['content'] }}{% else %}"
            "{% for part in message['content'] %}{% if part['type'] == 'image' %}<image>"
            "{% else %}{{ part['text'] }}{% endif %}{% endfor %}{% endif %}")
_TURNS = {
    "v1": (SYSTEM + "{% for message in messages %}{% if message['role'] == 'user' %}{{ ' USER: ' }}" + _CONTENT
           + "{{ ' ASSISTANT:' }}{% else %}{{ ' ' }}" + _CONTENT + "{{ eos_token }}{% endif %}{% endfor %}"),
    "plain": ("{% for message in messages %}{% if message['role'] == 'user' %}{% if message['content'] is string %}"
              "{% if '<image>' in message['content'] %}<image>{% endif %}{% else %}"
              "{% for part in message['content'] if part['type'] == 'image' %}<image>{% endfor %}{% endif %}"
              "{% else %}" + _CONTENT + "{{ eos_token }}{% endif %}{% endfor %}"),
}


def chat_template(prompt: str, tokenizer) -> str:
    """The training prompt (:mod:`.conversation`) as a Jinja chat template; it opens with the BOS
    token only where the tokenizer does not add one itself."""
    adds_bos = tokenizer.bos_token_id is not None and tokenizer("x")["input_ids"][:1] == [tokenizer.bos_token_id]
    return ("" if adds_bos or tokenizer.bos_token_id is None else "{{ bos_token }}") + _TURNS[prompt]


def _open_clip_as_hf(tower: OpenClipTower) -> nn.Module:
    """The open_clip ViT of ``tower`` as an equivalent ``CLIPVisionModel``."""
    from transformers import CLIPVisionConfig, CLIPVisionModel  # noqa: PLC0415

    visual = tower.visual
    blocks = list(getattr(getattr(visual, "transformer", None), "resblocks", []))
    activations = {"QuickGELU": "quick_gelu", "GELU": "gelu"}
    standard = (type(visual).__name__ == "VisionTransformer" and blocks and visual.attn_pool is None
                and isinstance(visual.ln_pre, nn.LayerNorm) and isinstance(visual.patch_dropout, nn.Identity)
                and all(type(b).__name__ == "ResidualAttentionBlock" and isinstance(b.ls_1, nn.Identity)
                        and isinstance(b.ls_2, nn.Identity) and not hasattr(b, "ln_1_kv") for b in blocks)
                and type(blocks[0].mlp.gelu).__name__ in activations
                and getattr(blocks[0].mlp.gelu, "approximate", "none") == "none")
    if not standard:
        raise NotExportable(f"open_clip tower {type(visual).__name__} is not a plain CLIP ViT (layer scale, "
                            "attention pooling, no pre-norm or a custom block have no CLIPVisionModel counterpart)")
    first = blocks[0]
    config = CLIPVisionConfig(
        hidden_size=visual.transformer.width, intermediate_size=first.mlp.c_fc.out_features,
        num_hidden_layers=len(blocks), num_attention_heads=first.attn.num_heads, num_channels=3,
        image_size=visual.image_size[0], patch_size=visual.patch_size[0],
        hidden_act=activations[type(first.mlp.gelu).__name__], layer_norm_eps=first.ln_1.eps)
    state = {
        "embeddings.patch_embedding.weight": visual.conv1.weight,
        "embeddings.class_embedding": visual.class_embedding,
        "embeddings.position_embedding.weight": visual.positional_embedding,
    }
    state |= _tensors("pre_layrnorm", visual.ln_pre) | _tensors("post_layernorm", visual.ln_post)
    for index, block in enumerate(blocks):
        prefix = f"encoder.layers.{index}."
        weights = block.attn.in_proj_weight.chunk(3)
        biases = block.attn.in_proj_bias.chunk(3)
        for name, weight, bias in zip(("q_proj", "k_proj", "v_proj"), weights, biases):
            state[f"{prefix}self_attn.{name}.weight"], state[f"{prefix}self_attn.{name}.bias"] = weight, bias
        state |= _tensors(f"{prefix}self_attn.out_proj", block.attn.out_proj)
        state |= _tensors(f"{prefix}layer_norm1", block.ln_1) | _tensors(f"{prefix}layer_norm2", block.ln_2)
        state |= _tensors(f"{prefix}mlp.fc1", block.mlp.c_fc) | _tensors(f"{prefix}mlp.fc2", block.mlp.c_proj)
    model = CLIPVisionModel(config).to(visual.conv1.weight.dtype)
    model.load_state_dict({k: v.detach().clone() for k, v in state.items()})
    return model


def _tensors(name: str, module: nn.Module) -> dict:
    """A linear or norm layer's weight and bias under ``name``."""
    return {f"{name}.weight": module.weight, f"{name}.bias": module.bias}


def _vision(tower: VisionTower) -> tuple[nn.Module, int]:
    """The tower as a transformers CLIP vision model and the Llava ``vision_feature_layer``."""
    if isinstance(tower, OpenClipTower):
        return _open_clip_as_hf(tower), tower.layer - len(tower.visual.transformer.resblocks)
    if isinstance(tower, HFVisionTower) and tower.has_class_token:
        return tower.model, tower.layer
    raise NotExportable("export needs a CLIP vision tower (open_clip ViT or hf: CLIP); SigLIP is not supported")


def _projector(model: VisionLanguageModel, llava) -> None:
    target = llava.model.multi_modal_projector
    if model.projector_kind == "mlp2x_gelu":
        first, _, second = model.projector
    else:  # linear: W x + b == I (W x + b)
        first = model.projector
        second = nn.Linear(first.out_features, first.out_features, dtype=first.weight.dtype)
        with torch.no_grad():
            second.weight.copy_(torch.eye(first.out_features))
            second.bias.zero_()
    target.linear_1.load_state_dict(first.state_dict())
    target.linear_2.load_state_dict(second.state_dict())


def to_llava(model: VisionLanguageModel, tokenizer):
    """The model as ``LlavaForConditionalGeneration`` (LoRA adapters are merged into ``model``)."""
    from transformers import LlavaConfig, LlavaForConditionalGeneration  # noqa: PLC0415

    vision, feature_layer = _vision(model.tower)
    language_model = model.language_model
    if hasattr(language_model, "merge_and_unload"):
        language_model = language_model.merge_and_unload()  # LoRA adapters folded into the weights
    config = LlavaConfig(
        vision_config=vision.config, text_config=language_model.config,
        image_token_index=tokenizer.convert_tokens_to_ids(IMAGE_TOKEN),
        projector_hidden_act="gelu" if model.projector_kind == "mlp2x_gelu" else "linear",
        vision_feature_layer=feature_layer, vision_feature_select_strategy="default",
        image_seq_length=model.image_tokens,
    )
    llava = LlavaForConditionalGeneration(config).to(next(language_model.parameters()).dtype)
    llava.model.vision_tower.load_state_dict(vision.state_dict())
    _projector(model, llava)
    llava.model.language_model.load_state_dict(language_model.model.state_dict())
    llava.lm_head.load_state_dict(language_model.lm_head.state_dict())
    return llava.eval()


def llava_processor(model: VisionLanguageModel, tokenizer, prompt: str = "v1"):
    from transformers import LlavaProcessor  # noqa: PLC0415

    vision, _ = _vision(model.tower)
    return LlavaProcessor(image_processor=model.tower.image_spec.processor(), tokenizer=tokenizer,
                          patch_size=vision.config.patch_size, vision_feature_select_strategy="default",
                          image_token=IMAGE_TOKEN, num_additional_image_tokens=1,
                          chat_template=chat_template(prompt, tokenizer))


def export_llava(model: VisionLanguageModel, tokenizer, out_dir: Path, prompt: str = "v1") -> Path:
    processor = llava_processor(model, tokenizer, prompt)
    to_llava(model, tokenizer).save_pretrained(out_dir)
    processor.save_pretrained(out_dir)
    return out_dir
