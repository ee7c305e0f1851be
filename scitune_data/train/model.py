"""The model: a vision tower, a projector and a causal LM (LLaVA's architecture).

The tower returns patch features from a chosen layer (default the penultimate, class token
dropped, as LLaVA and SciTune do); the projector maps them to the LM's embedding width; their
rows replace the ``<image>`` token embeddings of the prompt.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from scitune_data.train.images import ImageSpec, ImageTransform

OPENAI_MEAN = (0.48145466, 0.4578275, 0.40821073)
OPENAI_STD = (0.26862954, 0.26130258, 0.27577711)


class VisionTower(nn.Module):
    """Common face of the towers: ``features(pixels) -> (batch, tokens, hidden)``; ``preprocess``
    turns a PIL image into the pixels (see :mod:`.images`)."""

    hidden_size: int
    num_tokens: int
    image_spec: ImageSpec

    @property
    def preprocess(self) -> ImageTransform:
        return ImageTransform(self.image_spec)

    @property
    def dtype(self) -> torch.dtype:
        return next(self.parameters()).dtype

    def features(self, pixels: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError


class OpenClipTower(VisionTower):
    """Any open_clip model: ``ARCH:PRETRAINED`` (a tag, or a local checkpoint file)."""

    def __init__(self, spec: str, feature_layer: int = -2, config_dir: str | None = None,
                 pad_to_square: bool = True) -> None:
        super().__init__()
        import open_clip  # noqa: PLC0415

        if config_dir:
            open_clip.add_model_config(config_dir)  # an architecture of one's own (JSON config)
        architecture, _, pretrained = spec.partition(":")
        model = open_clip.create_model(architecture, pretrained=pretrained or None)
        self.visual = model.visual
        blocks = len(self.visual.transformer.resblocks)
        self.layer = feature_layer % blocks
        self.hidden_size = self.visual.transformer.width
        grid = self.visual.grid_size
        self.num_tokens = grid[0] * grid[1]
        config = getattr(self.visual, "preprocess_cfg", {})
        size = self.visual.image_size
        self.image_spec = ImageSpec(size[0] if isinstance(size, tuple) else size,
                                    tuple(config.get("mean", OPENAI_MEAN)), tuple(config.get("std", OPENAI_STD)),
                                    pad_to_square)

    def features(self, pixels: torch.Tensor) -> torch.Tensor:
        out = self.visual.forward_intermediates(pixels, indices=[self.layer], intermediates_only=True,
                                                output_fmt="NLC")
        return out["image_intermediates"][0]


class HFVisionTower(VisionTower):
    """A transformers ``CLIPVisionModel`` (class token dropped) or ``SiglipVisionModel`` (no
    class token), by name or path, or an instance."""

    def __init__(self, model_or_name, feature_layer: int = -2, processor=None, pad_to_square: bool = True) -> None:
        super().__init__()
        from transformers import AutoConfig, AutoImageProcessor, CLIPVisionModel, SiglipVisionModel  # noqa: PLC0415

        if isinstance(model_or_name, str):
            kind = AutoConfig.from_pretrained(model_or_name).model_type
            model = (SiglipVisionModel if "siglip" in kind else CLIPVisionModel).from_pretrained(model_or_name)
            processor = processor or AutoImageProcessor.from_pretrained(model_or_name)
        else:
            model = model_or_name
        self.model = model
        config = model.config
        self.layer = feature_layer
        self.hidden_size = config.hidden_size
        self.has_class_token = "siglip" not in config.model_type
        self.num_tokens = (config.image_size // config.patch_size) ** 2
        mean, std = (tuple(processor.image_mean), tuple(processor.image_std)) if processor else ((0.5,) * 3, (0.5,) * 3)
        self.image_spec = ImageSpec(config.image_size, mean, std, pad_to_square)

    def features(self, pixels: torch.Tensor) -> torch.Tensor:
        hidden = self.model(pixel_values=pixels, output_hidden_states=True).hidden_states[self.layer]
        return hidden[:, 1:] if self.has_class_token else hidden


def build_projector(kind: str, vision_size: int, text_size: int) -> nn.Module:
    """``linear`` (SciTune) or ``mlp2x_gelu`` (LLaVA-1.5)."""
    if kind == "linear":
        return nn.Linear(vision_size, text_size)
    if kind == "mlp2x_gelu":
        return nn.Sequential(nn.Linear(vision_size, text_size), nn.GELU(), nn.Linear(text_size, text_size))
    raise ValueError(f"unknown projector {kind!r}; choose linear or mlp2x_gelu")


@dataclass(frozen=True, slots=True)
class Batch:
    input_ids: torch.Tensor
    attention_mask: torch.Tensor
    labels: torch.Tensor
    pixel_values: torch.Tensor | None
    image_rows: torch.Tensor
    image_starts: torch.Tensor


class VisionLanguageModel(nn.Module):
    """Tower, projector and LM. The parts may hold different dtypes (a bf16 tower and LM beside an
    fp32 projector that trains): each part gets its input in its own dtype, with or without
    autocast."""

    def __init__(self, tower: VisionTower, language_model: nn.Module, projector: str = "linear") -> None:
        super().__init__()
        self.tower = tower
        self.language_model = language_model
        self.projector = build_projector(projector, tower.hidden_size, language_model.config.hidden_size)
        self.projector_kind = projector

    @property
    def image_tokens(self) -> int:
        return self.tower.num_tokens

    def train(self, mode: bool = True) -> VisionLanguageModel:
        super().train(mode)
        self.tower.eval()  # frozen: no dropout or batch statistics of its own in training
        return self

    def embed(self, batch: Batch) -> torch.Tensor:
        embeddings = self.language_model.get_input_embeddings()(batch.input_ids)
        projector_dtype = next(self.projector.parameters()).dtype
        if batch.pixel_values is None or len(batch.image_rows) == 0:
            # A text-only batch still runs the projector (on no rows), so that its parameters get a
            # (zero) gradient: DDP expects every trained parameter in every step.
            nothing = self.projector(embeddings.new_zeros((0, self.tower.hidden_size), dtype=projector_dtype))
            return embeddings + nothing.sum().to(embeddings.dtype)
        features = self.tower.features(batch.pixel_values.to(self.tower.dtype))
        projected = self.projector(features.to(projector_dtype)).to(embeddings.dtype)
        tokens = projected.shape[1]
        rows = batch.image_rows.tolist()
        starts = batch.image_starts.tolist()
        pieces = list(embeddings.unbind(0))
        for slot, (row, start) in enumerate(zip(rows, starts)):
            pieces[row] = torch.cat([pieces[row][:start], projected[slot], pieces[row][start + tokens:]])
        return torch.stack(pieces)

    def forward(self, batch: Batch):
        return self.language_model(inputs_embeds=self.embed(batch), attention_mask=batch.attention_mask,
                                   labels=batch.labels)
