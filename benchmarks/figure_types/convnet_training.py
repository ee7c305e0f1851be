"""Train the figure-type convolutional network with torch and export it for numpy inference.

The network mirrors :class:`scitune_data.classify.convnet.ConvNet`: 3 x 3 convolutions with
batch norm, ReLU and 2 x 2 max pooling, mean and max pooled, one linear layer. Batch norm is
folded into the convolutions on export. Every epoch sees each figure's pixels afresh through
:func:`augment` (a crop, a rescale, JPEG artefacts, greyscale, a mirror), so a few hundred real
figures and some thousands of synthetic ones go a long way.
"""

from __future__ import annotations

import io

import numpy as np
import torch
from PIL import Image
from torch import nn

from scitune_data.classify.convnet import SIZE, ConvNet, network_input

CHANNELS = (12, 24, 48, 96)


class Network(nn.Module):
    def __init__(self, classes: int, channels: tuple[int, ...] = CHANNELS, dropout: float = 0.3) -> None:
        super().__init__()
        layers, previous = [], 3
        for width in channels:
            layers.append(nn.Sequential(nn.Conv2d(previous, width, 3, padding=1, bias=False),
                                        nn.BatchNorm2d(width), nn.ReLU()))
            previous = width
        self.layers = nn.ModuleList(layers)
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(2 * previous, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = nn.functional.max_pool2d(x, 2)
        pooled = torch.cat([x.mean(dim=(2, 3)), x.amax(dim=(2, 3))], dim=1)
        return self.fc(self.dropout(pooled))


def export(network: Network, classes: tuple[str, ...], size: int = SIZE) -> ConvNet:
    """The trained network as numpy arrays, batch norm folded into each convolution."""
    convs = []
    with torch.no_grad():
        for layer in network.layers:
            conv, norm = layer[0], layer[1]
            scale = norm.weight / torch.sqrt(norm.running_var + norm.eps)
            weight = conv.weight * scale[:, None, None, None]
            bias = norm.bias - norm.running_mean * scale
            convs.append((weight.numpy().astype(np.float32), bias.numpy().astype(np.float32)))
        return ConvNet(tuple(convs), network.fc.weight.numpy().copy(), network.fc.bias.numpy().copy(), classes, size)


def augment(pixels: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A plausible other rendering of the same figure (uint8 RGB in and out)."""
    h, w = pixels.shape[:2]
    if h >= 8 and w >= 8:
        ch, cw = int(h * rng.uniform(0.85, 1.0)), int(w * rng.uniform(0.85, 1.0))
        y, x = int(rng.integers(0, h - ch + 1)), int(rng.integers(0, w - cw + 1))
        pixels = pixels[y:y + ch, x:x + cw]
    image = Image.fromarray(np.ascontiguousarray(pixels))
    if rng.random() < 0.4:  # printed smaller or larger than it was drawn
        factor = rng.uniform(0.5, 1.5)
        size = (max(4, int(image.width * factor)), max(4, int(image.height * factor)))
        image = image.resize(size, Image.Resampling.BILINEAR)
    if rng.random() < 0.25:
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=int(rng.integers(25, 90)))
        image = Image.open(buffer).convert("RGB")
    if rng.random() < 0.15:
        image = image.convert("L").convert("RGB")
    out = np.asarray(image)
    if rng.random() < 0.5:
        out = out[:, ::-1]
    return np.ascontiguousarray(out)


def train(pixels: list[np.ndarray], labels: list[str], weights: np.ndarray, classes: tuple[str, ...],
          epochs: int = 20, seed: int = 0, batch: int = 64, threads: int = 1, size: int = SIZE,
          channels: tuple[int, ...] = CHANNELS) -> ConvNet:
    """Fit a network on ``pixels`` (one RGB array per figure) and export it."""
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    rng = np.random.default_rng(seed)
    index = {label: i for i, label in enumerate(classes)}
    targets = torch.tensor([index[label] for label in labels])
    network = Network(len(classes), channels).to(memory_format=torch.channels_last)  # faster convolutions on CPU
    optimiser = torch.optim.AdamW(network.parameters(), lr=3e-3, weight_decay=1e-3)
    steps = epochs * ((len(pixels) + batch - 1) // batch)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=3e-3, total_steps=steps)
    sample_weight = torch.tensor(weights, dtype=torch.float32)
    loss_of = nn.CrossEntropyLoss(reduction="none", label_smoothing=0.05)
    for _ in range(epochs):
        network.train()
        for chunk in np.array_split(rng.permutation(len(pixels)), max(1, len(pixels) // batch)):
            x = torch.from_numpy(np.stack([network_input(augment(pixels[i], rng), size) for i in chunk]))
            x = x.contiguous(memory_format=torch.channels_last)
            loss = (loss_of(network(x), targets[chunk]) * sample_weight[chunk]).sum() / sample_weight[chunk].sum()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
    network.eval()
    return export(network, classes, size)


def torch_probabilities(network: Network, inputs: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return torch.softmax(network(torch.from_numpy(inputs)), dim=1).numpy()


__all__ = ["SIZE", "Network", "augment", "export", "torch_probabilities", "train"]
