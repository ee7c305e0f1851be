"""Zero-shot figure types with an open_clip model (optional: needs ``scitune-data[train]``).

The model is named as open_clip names it, ``ARCH:PRETRAINED``: a pretrained tag
(``ViT-B-32:openai``, fetched by open_clip from the Hub on first use and cached) or a local
checkpoint file (``ViT-B-32:/models/clip.bin``). Each figure type is described in words
(:data:`scitune_data.classify.labels.DESCRIPTIONS`); a crop gets the type whose description
its image embedding is closest to.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from scitune_data.classify.labels import DESCRIPTIONS

PROMPT = "a figure from a scientific paper: {}"


class ClipUnavailable(RuntimeError):
    """open_clip/torch missing or the model cannot be loaded; the message says why."""


class ClipZeroShot:
    def __init__(self, spec: str, device: str | None = None, batch_size: int = 32) -> None:
        try:
            import open_clip  # noqa: PLC0415 - heavy and optional
            import torch  # noqa: PLC0415
        except ImportError as error:
            raise ClipUnavailable("zero-shot figure types need open_clip and torch: "
                                  "pip install 'scitune-data[train]'") from error
        architecture, _, pretrained = spec.partition(":")
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.batch_size = batch_size
        try:
            model, _, preprocess = open_clip.create_model_and_transforms(
                architecture, pretrained=pretrained or None, device=self.device)
        except Exception as error:  # noqa: BLE001 - unknown name, missing file, no network
            raise ClipUnavailable(f"cannot load open_clip model {spec!r}: {error}") from error
        self._torch = torch
        self._model = model.eval()
        self._preprocess = preprocess
        self.labels = list(DESCRIPTIONS)
        tokenizer = open_clip.get_tokenizer(architecture)
        with torch.no_grad():
            text = tokenizer([PROMPT.format(DESCRIPTIONS[label]) for label in self.labels]).to(self.device)
            features = model.encode_text(text)
        self._text = features / features.norm(dim=-1, keepdim=True)

    def classify(self, images: list[bytes]) -> list[tuple[str, float]]:
        """``(label, probability)`` per PNG, batched."""
        from PIL import Image  # noqa: PLC0415

        torch = self._torch
        results: list[tuple[str, float]] = []
        for start in range(0, len(images), self.batch_size):
            chunk = images[start:start + self.batch_size]
            pixels = torch.stack([self._preprocess(Image.open(io.BytesIO(data)).convert("RGB"))
                                  for data in chunk]).to(self.device)
            with torch.no_grad():
                features = self._model.encode_image(pixels)
                features = features / features.norm(dim=-1, keepdim=True)
                probabilities = (100.0 * features @ self._text.T).softmax(dim=-1)
            best = probabilities.max(dim=-1)
            results.extend((self.labels[int(i)], float(p)) for p, i in zip(best.values, best.indices))
        return results


def check_spec(spec: str) -> None:
    """Fail early, without building the model: open_clip importable, the architecture known,
    a checkpoint path present. (Build forks its workers later; the parent stays light.)"""
    try:
        import open_clip  # noqa: PLC0415
    except ImportError as error:
        raise ClipUnavailable("zero-shot figure types need open_clip and torch: "
                              "pip install 'scitune-data[train]'") from error
    architecture, _, pretrained = spec.partition(":")
    if architecture not in open_clip.list_models():
        raise ClipUnavailable(f"cannot load open_clip model {spec!r}: unknown architecture {architecture!r}")
    looks_like_path = "/" in pretrained or pretrained.endswith((".bin", ".pt", ".pth", ".safetensors"))
    if looks_like_path and not Path(pretrained).is_file():
        raise ClipUnavailable(f"cannot load open_clip model {spec!r}: no checkpoint at {pretrained}")


@cache
def load_clip(spec: str) -> ClipZeroShot:
    """One model per process and spec (loading takes seconds)."""
    return ClipZeroShot(spec)
