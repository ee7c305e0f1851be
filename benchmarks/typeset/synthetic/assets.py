"""Figure files for the synthetic papers: matplotlib PDFs with vector text, raster PNGs."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
from PIL import Image

from synthetic.prose import ADJECTIVES, NOUNS


def matplotlib_pdf(path: Path, rng: random.Random, panels: int = 1) -> None:
    """A plot (lines, scatter, bars or histogram) with axis labels, ticks and a legend, as text in the PDF."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    matplotlib.rcParams.update({"pdf.fonttype": rng.choice([3, 42]), "font.size": rng.choice([8, 9, 10])})
    np_rng = np.random.default_rng(rng.randrange(2**32))
    fig, axes = plt.subplots(1, panels, figsize=(rng.uniform(3.2, 6.4) * panels ** 0.5, rng.uniform(2.2, 3.6)),
                             squeeze=False)
    for ax in axes[0]:
        x = np.linspace(0, rng.uniform(5, 50), 60)
        style = rng.choice(["lines", "scatter", "bars", "hist"])
        for k in range(rng.randint(1, 4)):
            label = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
            if style == "lines":
                ax.plot(x, np.sin(x / rng.uniform(1, 8) + k) * rng.uniform(0.5, 3) + 0.1 * x + k, label=label)
            elif style == "scatter":
                ax.scatter(np_rng.normal(k, 1, 40), np_rng.normal(0, 1 + k, 40), s=8, label=label)
            elif style == "bars":
                ax.bar(np.arange(6) + 0.2 * k, np_rng.uniform(1, 10, 6), width=0.2, label=label)
            else:
                ax.hist(np_rng.normal(k, 1, 300), bins=20, alpha=0.6, label=label)
        ax.set_xlabel(f"{rng.choice(NOUNS)} [{rng.choice(['s', 'm', 'K', 'Hz', 'ms', '%'])}]")
        ax.set_ylabel(rng.choice(NOUNS))
        if rng.random() < 0.3:
            ax.set_title(f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}")
        ax.legend(fontsize="small", frameon=rng.random() < 0.5)
    fig.tight_layout()
    fig.savefig(path, metadata={"CreationDate": None})  # same seed, same bytes
    plt.close(fig)


def raster_png(path: Path, rng: random.Random) -> None:
    """A photo- or map-like bitmap: smooth fields, blobs, a colour map; sometimes with white margins."""
    np_rng = np.random.default_rng(rng.randrange(2**32))
    h, w = rng.randint(180, 360), rng.randint(240, 480)
    yy, xx = np.mgrid[0:h, 0:w] / max(h, w)
    field = sum(np.sin(xx * np_rng.uniform(3, 20) + np_rng.uniform(0, 6)) *
                np.cos(yy * np_rng.uniform(3, 20) + np_rng.uniform(0, 6)) for _ in range(3))
    for _ in range(rng.randint(3, 12)):
        cx, cy, r = np_rng.uniform(0, 1), np_rng.uniform(0, 1), np_rng.uniform(0.02, 0.15)
        field += 2 * np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / r ** 2)
    field = (field - field.min()) / np.ptp(field)
    palette = np.array(rng.choice([[(20, 20, 60), (200, 60, 40), (250, 230, 120)],
                                   [(0, 0, 0), (120, 120, 120), (230, 230, 230)],
                                   [(10, 40, 10), (60, 160, 80), (220, 250, 200)]]), dtype=float)
    rgb = np.empty((h, w, 3))
    for c in range(3):
        rgb[..., c] = np.interp(field, [0, 0.5, 1], palette[:, c])
    rgb += np_rng.normal(0, 6, rgb.shape)
    image = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))
    if rng.random() < 0.3:  # white margins around the picture: the gold box is tightened to the ink
        margin = rng.randint(8, 30)
        framed = Image.new("RGB", (w + 2 * margin, h + 2 * margin), "white")
        framed.paste(image, (margin, margin))
        image = framed
    image.save(path)
