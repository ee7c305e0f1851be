"""What every generator shares: words, matplotlib styles, turning a figure into a PDF page."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

Rng = np.random.Generator
WORDS = ("model data input output layer encoder decoder loss score node graph value time rate user query result"
         " train test step state action reward error mean sample block signal energy density flux cell gene"
         " protein dose response pressure velocity frequency baseline ours method token attention").split()
STYLES = ("default", "default", "default", "classic", "ggplot", "bmh", "grayscale", "seaborn-v0_8-whitegrid",
          "seaborn-v0_8-darkgrid", "seaborn-v0_8-ticks", "seaborn-v0_8-paper", "tableau-colorblind10",
          "seaborn-v0_8-muted", "fast")


def words(rng: Rng, n: int) -> str:
    return " ".join(rng.choice(WORDS, size=n))


def title_words(rng: Rng) -> str:
    return words(rng, int(rng.integers(1, 4))).title()


def style(rng: Rng):
    """A matplotlib style and font as papers use them (rc context manager)."""
    rc = {"font.family": str(rng.choice(["sans-serif", "serif"])), "font.size": float(rng.uniform(6, 12)),
          "pdf.fonttype": int(rng.choice([3, 42]))}
    return plt.style.context([str(rng.choice(STYLES)), rc])


def figure_pdf(fig, rng: Rng) -> bytes:
    """A matplotlib figure as a one-page PDF (vector), closed afterwards."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="pdf", bbox_inches="tight" if rng.random() < 0.6 else None)
    plt.close(fig)
    return buffer.getvalue()


def panel_grid(rng: Rng, choices=((1, 1), (1, 1), (1, 2), (1, 3), (2, 2), (2, 3), (1, 4))):
    rows, cols = choices[int(rng.integers(len(choices)))]
    width = float(rng.uniform(3.0, 7.0))
    fig, axes = plt.subplots(rows, cols, figsize=(width, width * rng.uniform(0.4, 0.85) * rows / cols + 0.5),
                             squeeze=False)
    return fig, list(axes.flat)


def label_axes(rng: Rng, ax, titles: float = 0.3) -> None:
    if rng.random() < 0.85:
        ax.set_xlabel(words(rng, int(rng.integers(1, 3))))
        ax.set_ylabel(words(rng, int(rng.integers(1, 3))))
    if rng.random() < titles:
        ax.set_title(words(rng, int(rng.integers(1, 3))))
