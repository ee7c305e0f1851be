"""A small convolutional network over a figure's pixels, evaluated with numpy alone.

Raster figures carry no drawing commands, so their type must be read from the image. The
network sees the rendered region (:attr:`FigureEvidence.pixels`) shrunk to ``SIZE`` x ``SIZE``
RGB; it is a stack of 3 x 3 convolutions (batch norm folded in), ReLU and 2 x 2 max pooling,
then the mean and the maximum of each channel over the image, then one linear layer.

Weights live in an ``.npz`` file: ``conv{i}_weight`` ``[out, in, 3, 3]``, ``conv{i}_bias``,
``fc_weight`` ``[classes, 2 * channels]``, ``fc_bias``, ``classes``, ``size`` and ``vote_share``
(the network's weight in the default classifier's vote, :mod:`scitune_data.classify.model`). Training
(``benchmarks/figure_types/convnet_training.py``) writes it from torch; inference needs no torch.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

SIZE = 96  # pixels per side of the network's input (a column-wide figure is about 120 at 37 dpi)
WHITE = 255.0


class ConvNetFileError(ValueError):
    """The weights file is missing arrays or its shapes do not chain."""


def network_input(pixels: np.ndarray, size: int = SIZE) -> np.ndarray:
    """``[3, size, size]`` float32 in [0, 1], ink high (1 - brightness): the region stretched to
    a square by area averaging. An empty region is blank."""
    if pixels.ndim != 3 or min(pixels.shape[:2]) < 1:
        return np.zeros((3, size, size), dtype=np.float32)
    image = Image.fromarray(np.ascontiguousarray(pixels[..., :3], dtype=np.uint8))
    resized = np.asarray(image.resize((size, size), Image.Resampling.BOX), dtype=np.float32)
    return np.ascontiguousarray((1.0 - resized / WHITE).transpose(2, 0, 1))


def _conv3x3(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """Same-padded 3 x 3 convolution of ``x`` ``[batch, h, w, in]`` (channels last) as one
    matrix product: the nine shifted copies side by side against ``weight`` ``[9 * in, out]``."""
    batch, height, width, channels = x.shape
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    columns = np.concatenate([padded[:, dy:dy + height, dx:dx + width] for dy in range(3) for dx in range(3)], axis=3)
    return (columns.reshape(-1, 9 * channels) @ weight + bias).reshape(batch, height, width, -1)


def _max_pool2(x: np.ndarray) -> np.ndarray:
    batch, height, width, channels = x.shape
    h, w = height // 2, width // 2
    return x[:, :2 * h, :2 * w].reshape(batch, h, 2, w, 2, channels).max(axis=(2, 4))


@dataclass(frozen=True, slots=True)
class ConvNet:
    convs: tuple[tuple[np.ndarray, np.ndarray], ...]  # (weight, bias) per layer, batch norm folded in
    fc_weight: np.ndarray
    fc_bias: np.ndarray
    classes: tuple[str, ...]
    size: int = SIZE
    vote_share: float = 0.0

    @classmethod
    def load(cls, path: Path) -> ConvNet:
        try:
            with np.load(path, allow_pickle=False) as data:
                layers = sorted(int(name[4:-7]) for name in data.files if name.startswith("conv") and
                                name.endswith("_weight"))
                convs = tuple((data[f"conv{i}_weight"].astype(np.float32), data[f"conv{i}_bias"].astype(np.float32))
                              for i in layers)
                net = cls(convs, data["fc_weight"].astype(np.float32), data["fc_bias"].astype(np.float32),
                          tuple(str(c) for c in data["classes"]), int(data["size"]), float(data["vote_share"]))
        except (OSError, KeyError, ValueError) as error:
            raise ConvNetFileError(f"{path}: not a figure-type network file ({error})") from error
        net.check(path)
        return net

    def check(self, path: Path) -> None:
        channels = 3
        for weight, bias in self.convs:
            if weight.shape[1:] != (channels, 3, 3) or bias.shape != weight.shape[:1]:
                raise ConvNetFileError(f"{path}: convolution shapes do not chain ({weight.shape} after {channels})")
            channels = weight.shape[0]
        if self.fc_weight.shape != (len(self.classes), 2 * channels) or self.fc_bias.shape != (len(self.classes),):
            raise ConvNetFileError(f"{path}: the last layer does not fit {len(self.classes)} classes")

    def save(self, path: Path) -> None:
        arrays = {f"conv{i}_{part}": array.astype(np.float16)
                  for i, (weight, bias) in enumerate(self.convs) for part, array in (("weight", weight), ("bias", bias))}
        np.savez_compressed(path, **arrays, fc_weight=self.fc_weight.astype(np.float16),
                            fc_bias=self.fc_bias.astype(np.float16), classes=np.array(self.classes),
                            size=np.array(self.size), vote_share=np.array(self.vote_share))

    def embed(self, inputs: np.ndarray) -> np.ndarray:
        """Pooled features ``[batch, 2 * channels]`` of inputs ``[batch, 3, size, size]``."""
        x = np.asarray(inputs, dtype=np.float32).transpose(0, 2, 3, 1)
        for i, (weight, bias) in enumerate(self.convs):
            matrix = weight.transpose(2, 3, 1, 0).reshape(-1, weight.shape[0])  # rows by (dy, dx, in)
            x = np.maximum(_conv3x3(x, matrix, bias), 0.0)
            if i < len(self.convs) - 1:
                x = _max_pool2(x)
        return np.concatenate([x.mean(axis=(1, 2)), x.max(axis=(1, 2))], axis=1)

    def predict_proba(self, inputs: np.ndarray) -> np.ndarray:
        """Class probabilities ``[batch, classes]``; one input at a time (small arrays stay in cache)."""
        features = np.concatenate([self.embed(inputs[i:i + 1]) for i in range(len(inputs))])
        logits = features @ self.fc_weight.T + self.fc_bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)
