"""Export a trained model to transformers' ``LlavaForConditionalGeneration``.

Possible when the tower is a Hugging Face CLIP vision model (open_clip towers have no Llava
counterpart) and the projector is ``mlp2x_gelu`` (Llava's projector is two linears around a
GELU; SciTune's single linear cannot be written as one).
"""

from __future__ import annotations

from pathlib import Path

from scitune_data.train.conversation import IMAGE_PLACEHOLDER
from scitune_data.train.model import HFVisionTower, VisionLanguageModel


class NotExportable(ValueError):
    """The model's tower or projector has no Llava equivalent."""


def to_llava(model: VisionLanguageModel, tokenizer):
    from transformers import LlavaConfig, LlavaForConditionalGeneration  # noqa: PLC0415

    tower = model.tower
    if not isinstance(tower, HFVisionTower) or not tower.has_class_token:
        raise NotExportable("export needs a Hugging Face CLIP vision tower (model.vision = 'hf:...')")
    if model.projector_kind != "mlp2x_gelu":
        raise NotExportable("export needs the mlp2x_gelu projector (Llava's layout)")
    language_model = model.language_model
    if hasattr(language_model, "merge_and_unload"):
        language_model = language_model.merge_and_unload()  # LoRA adapters folded into the weights
    config = LlavaConfig(
        vision_config=tower.model.config, text_config=language_model.config,
        image_token_index=tokenizer.convert_tokens_to_ids(IMAGE_PLACEHOLDER),
        projector_hidden_act="gelu", vision_feature_layer=tower.layer,
        vision_feature_select_strategy="default", image_seq_length=tower.num_tokens,
    )
    llava = LlavaForConditionalGeneration(config)
    vision = {k.removeprefix("vision_model."): v for k, v in tower.model.state_dict().items()}
    llava.model.vision_tower.load_state_dict(vision)
    first, _, second = model.projector
    llava.model.multi_modal_projector.linear_1.load_state_dict(first.state_dict())
    llava.model.multi_modal_projector.linear_2.load_state_dict(second.state_dict())
    llava.model.language_model.load_state_dict(language_model.model.state_dict())
    llava.lm_head.load_state_dict(language_model.lm_head.state_dict())
    return llava.eval()


def export_llava(model: VisionLanguageModel, tokenizer, out_dir: Path) -> Path:
    llava = to_llava(model, tokenizer)
    llava.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    return out_dir
