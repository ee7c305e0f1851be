"""Synthetic figures of every type, drawn with matplotlib and Pillow and set on a PDF page with a
caption, so that their evidence comes out of the same extractor as a real paper's.

Vector charts stay vector (matplotlib's PDF backend); a share of them is rasterised, as older
papers do. Photos come from the sample images scikit-image and matplotlib ship (no download).
Captions are mostly neutral, so the model learns the figure itself, not the template.
"""

from __future__ import annotations

import io
import string
from collections.abc import Callable, Iterator

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pymupdf  # noqa: E402
from matplotlib import patches  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from scitune_data.classify.evidence import FigureEvidence  # noqa: E402
from scitune_data.figures.extract import extract_document  # noqa: E402
from scitune_data.pipeline.signals import evidence_of  # noqa: E402

Rng = np.random.Generator
NEUTRAL_CAPTIONS = (
    "Results on the test set.", "Comparison of the methods.", "Example from the dataset.", "Overview.",
    "Effect of the parameter k on the three settings.", "Our approach.", "Main results.",
    "Qualitative examples.", "Analysis of the errors made by the baseline.", "Summary of the study.",
    "Results for the two datasets (left: A, right: B).", "The proposed setting.", "Illustration.",
)
CUED_CAPTIONS = {
    "Graph Plot": ("Accuracy as a function of training steps.", "Loss curves during training.",
                   "Convergence of the solver over time."),
    "Scatterplot": ("Scatter plot of predicted versus true values.", "t-SNE projection of the embeddings."),
    "Bar Chart": ("Distribution of document lengths.", "Histogram of scores.", "Breakdown by category."),
    "Heatmap": ("Confusion matrix of the classifier.", "Attention weights of the last layer (heatmap)."),
    "Node Diagram": ("Architecture of our model.", "Overview of the proposed framework.", "Pipeline of the system."),
    "Flowchart": ("Flowchart of the procedure.", "Workflow of the study protocol."),
    "Equation": ("The update equations.", "Formulae used by the method."),
    "Table": ("Values of the parameters.", "Summary of the settings."),
    "Photo": ("Photographs of the samples.", "Microscopy images of stained cells."),
    "Screenshot": ("Screenshot of the user interface.", "The dashboard of the tool."),
    "Other": ("Composition of the sample.", "Timeline of the project."),
}
WORDS = ("model data input output layer encoder decoder loss score node graph value time rate"
         " user query result train test step state action reward error mean sample block").split()


def _words(rng: Rng, n: int) -> str:
    return " ".join(rng.choice(WORDS, size=n))


def _figure(rng: Rng, panels: tuple[int, int]):
    rows, cols = panels
    width = float(rng.uniform(3.0, 6.5))
    fig, axes = plt.subplots(rows, cols, figsize=(width, width * rng.uniform(0.45, 0.8) * rows / cols + 0.4),
                             squeeze=False)
    if rng.random() < 0.3:
        for ax in axes.flat:
            ax.grid(True, alpha=0.4)
    return fig, list(axes.flat)


def _panels(rng: Rng) -> tuple[int, int]:
    return [(1, 1), (1, 1), (1, 2), (1, 3), (2, 2)][rng.integers(5)]


def _label_axes(rng: Rng, ax) -> None:
    ax.set_xlabel(_words(rng, int(rng.integers(1, 3))))
    ax.set_ylabel(_words(rng, int(rng.integers(1, 3))))
    if rng.random() < 0.3:
        ax.set_title(_words(rng, 2))


def graph_plot(rng: Rng):
    fig, axes = _figure(rng, _panels(rng))
    for ax in axes:
        x = np.sort(rng.uniform(0, 10, int(rng.integers(8, 300))))
        for k in range(int(rng.integers(1, 7))):
            kind = rng.integers(4)
            y = (np.cumsum(rng.normal(0, 1, x.size)) if kind == 0 else np.exp(-x / rng.uniform(1, 5)) + k * 0.2
                 if kind == 1 else np.sin(x * rng.uniform(0.5, 3) + k) + rng.normal(0, 0.1, x.size)
                 if kind == 2 else np.log1p(x) * rng.uniform(0.5, 2) + k)
            style = dict(marker=rng.choice(["", "", "o", "s", "^", "x"]), markersize=3,
                         linestyle=rng.choice(["-", "--", ":", "-."]))
            if rng.random() < 0.15:
                ax.step(x, y, where="mid")
            elif rng.random() < 0.15:  # one path per segment, as gnuplot and MATLAB write curves
                points = np.column_stack([x, y])
                ax.add_collection(matplotlib.collections.LineCollection(
                    np.stack([points[:-1], points[1:]], axis=1), colors=f"C{k}", linewidths=0.8))
                ax.autoscale_view()
            elif rng.random() < 0.2:
                ax.errorbar(x[::max(1, x.size // 12)], y[::max(1, x.size // 12)], yerr=0.2, capsize=2, **style)
            else:
                ax.plot(x, y, label=f"{rng.choice(WORDS)} {k}", **style)
                if rng.random() < 0.2:
                    ax.fill_between(x, y - 0.2, y + 0.2, alpha=0.25)
        if rng.random() < 0.2:
            ax.set_yscale("log") if (ax.get_ylim()[0] > 0) else ax.set_xscale("log")
        if rng.random() < 0.6:
            ax.legend(fontsize=6)
        _label_axes(rng, ax)
    return fig


def scatterplot(rng: Rng):
    fig, axes = _figure(rng, _panels(rng))
    for ax in axes:
        clusters = int(rng.integers(1, 8))
        for c in range(clusters):
            n = int(rng.integers(15, 600 // clusters + 20))
            centre = rng.normal(0, 4, 2)
            points = rng.normal(centre, rng.uniform(0.3, 1.5), (n, 2))
            if rng.random() < 0.3:
                points[:, 1] = points[:, 0] * rng.uniform(-2, 2) + rng.normal(0, 1, n)
            ax.scatter(points[:, 0], points[:, 1], s=float(rng.uniform(2, 25)), alpha=float(rng.uniform(0.4, 1)),
                       marker=rng.choice(["o", "o", ".", "s", "^", "x"]), label=f"class {c}")
        if rng.random() < 0.25:
            xs = np.array(ax.get_xlim())
            ax.plot(xs, xs * rng.uniform(-1, 1), "k--")
        if rng.random() < 0.3:
            ax.set_xticks([]), ax.set_yticks([])
        elif rng.random() < 0.5:
            _label_axes(rng, ax)
        if rng.random() < 0.4:
            ax.legend(fontsize=6)
    return fig


def bar_chart(rng: Rng):
    fig, axes = _figure(rng, _panels(rng))
    for ax in axes:
        kind = rng.integers(4)
        groups = int(rng.integers(3, 25))
        if kind == 0:
            ax.hist(rng.normal(0, 1, int(rng.integers(100, 3000))), bins=int(rng.integers(8, 40)),
                    histtype=rng.choice(["bar", "bar", "stepfilled", "step"]), edgecolor="black")
        else:
            series = int(rng.integers(1, 5))
            width = 0.8 / series
            bottom = np.zeros(groups)
            for s in range(series):
                values = rng.uniform(0.1, 10, groups)
                positions = np.arange(groups) + (0 if kind == 2 else s * width)
                yerr = rng.uniform(0.1, 1, groups) if rng.random() < 0.3 else None
                if rng.random() < 0.3:
                    ax.barh(positions, values, height=width if kind != 2 else 0.8,
                            left=bottom if kind == 2 else None, xerr=yerr)
                else:
                    ax.bar(positions, values, width=width if kind != 2 else 0.8,
                           bottom=bottom if kind == 2 else None, yerr=yerr, label=rng.choice(WORDS))
                bottom = bottom + values
            if rng.random() < 0.5:
                ax.set_xticks(range(groups), [rng.choice(WORDS) for _ in range(groups)], rotation=60, fontsize=6)
        _label_axes(rng, ax)
    return fig


def heatmap(rng: Rng):
    fig, axes = _figure(rng, [(1, 1), (1, 1), (1, 2), (2, 2)][rng.integers(4)])
    for ax in axes:
        n, m = int(rng.integers(4, 60)), int(rng.integers(4, 60))
        kind = rng.integers(3)
        if kind == 0:  # a smooth field (simulation, spectrogram)
            y, x = np.mgrid[0:1:complex(0, n * 3), 0:1:complex(0, m * 3)]
            data = np.sin(x * rng.uniform(2, 12)) * np.cos(y * rng.uniform(2, 12)) + rng.normal(0, 0.1, x.shape)
        else:
            data = rng.random((n, m)) ** rng.uniform(0.5, 3)
            if kind == 2:
                data = data + np.eye(n, m) * 2
        cmap = rng.choice(["viridis", "magma", "Blues", "coolwarm", "RdBu", "hot", "YlGnBu", "Greys"])
        if rng.random() < 0.5:
            image = ax.imshow(data, cmap=cmap, aspect="auto")
        else:
            image = ax.pcolormesh(data, cmap=cmap)
        if n * m < 150 and rng.random() < 0.6:
            for (i, j), v in np.ndenumerate(data):
                ax.text(j + (0.5 if isinstance(image, matplotlib.collections.QuadMesh) else 0),
                        i + (0.5 if isinstance(image, matplotlib.collections.QuadMesh) else 0),
                        f"{v:.1f}", ha="center", va="center", fontsize=5)
        if rng.random() < 0.7:
            fig.colorbar(image, ax=ax)
        if rng.random() < 0.5:
            ax.set_xticks([]), ax.set_yticks([])
    return fig


def _canvas(rng: Rng, height: float | None = None):
    width = float(rng.uniform(3.0, 6.5))
    fig = plt.figure(figsize=(width, height or width * rng.uniform(0.35, 0.9)))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 100), ax.set_ylim(0, 100), ax.axis("off")
    return fig, ax


def _box(rng: Rng, ax, x: float, y: float, w: float, h: float, text: str, shape: str, fill: str) -> None:
    if shape == "circle":
        ax.add_patch(patches.Ellipse((x, y), w, h, facecolor=fill, edgecolor="black"))
    elif shape == "diamond":
        ax.add_patch(patches.Polygon([(x - w / 2, y), (x, y + h / 2), (x + w / 2, y), (x, y - h / 2)],
                                     facecolor=fill, edgecolor="black"))
    else:
        style = "round,pad=0.5" if shape == "round" else "square,pad=0.3"
        ax.add_patch(patches.FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle=style,
                                            facecolor=fill, edgecolor="black", linewidth=float(rng.uniform(0.5, 1.5))))
    ax.text(x, y, text, ha="center", va="center", fontsize=float(rng.uniform(5, 8)))


def _arrow(ax, start: tuple[float, float], end: tuple[float, float], curved: bool = False) -> None:
    ax.annotate("", xy=end, xytext=start, arrowprops=dict(
        arrowstyle="->" if not curved else "-|>", lw=0.8,
        connectionstyle="arc3,rad=0.3" if curved else "arc3"))


def node_diagram(rng: Rng):
    fig, ax = _canvas(rng)
    layers = int(rng.integers(2, 6))
    shape = rng.choice(["circle", "box", "round"])
    colours = ["white", "white", "#cfe2f3", "#fde9d9", "#d9ead3", "#fff2cc", "#e6d0f0"]
    nodes = []
    for layer in range(layers):
        count = int(rng.integers(1, 5))
        column = [(10 + 80 * layer / max(layers - 1, 1), 15 + 70 * (k + 0.5) / count) for k in range(count)]
        for x, y in column:
            size = (float(rng.uniform(8, 16)), float(rng.uniform(6, 14)))
            _box(rng, ax, x, y, *size, rng.choice(WORDS) if rng.random() < 0.8 else "", shape,
                 str(rng.choice(colours)))
        nodes.append(column)
    for left, right in zip(nodes, nodes[1:]):
        for start in left:
            for end in right:
                if rng.random() < 0.6:
                    _arrow(ax, (start[0] + 6, start[1]), (end[0] - 6, end[1]), curved=rng.random() < 0.2)
    return fig


def flowchart(rng: Rng):
    fig, ax = _canvas(rng, height=float(rng.uniform(3, 6)))
    steps = int(rng.integers(3, 8))
    vertical = rng.random() < 0.7
    previous = None
    for k in range(steps):
        t = (k + 0.5) / steps
        x, y = (50, 100 - 100 * t) if vertical else (100 * t, 50)
        shape = "diamond" if rng.random() < 0.25 else rng.choice(["box", "round"])
        _box(rng, ax, x, y, 26 if vertical else 80 / steps, 60 / steps if vertical else 20,
             _words(rng, int(rng.integers(1, 4))), shape, "white")
        if previous is not None:
            _arrow(ax, previous, (x, y + 30 / steps) if vertical else (x - 40 / steps, y))
        if shape == "diamond" and vertical:
            ax.text(x + 18, y + 2, "No", fontsize=6)
            _box(rng, ax, 85, y, 20, 40 / steps, _words(rng, 1), "box", "white")
            _arrow(ax, (x + 13, y), (75, y))
        previous = (x, y - 30 / steps) if vertical else (x + 40 / steps, y)
    return fig


def equation(rng: Rng):
    fig, ax = _canvas(rng, height=float(rng.uniform(0.8, 2.5)))
    pool = [r"$\mathcal{L}(\theta) = -\sum_{i=1}^{N} \log p_\theta(y_i \mid x_i)$",
            r"$\nabla_\theta J = \mathbb{E}_{\pi}[\nabla \log \pi(a|s) Q(s,a)]$",
            r"$f(x) = \int_0^\infty e^{-\lambda t} \, g(x,t) \, dt$",
            r"$\hat{y} = \sigma(W_2 \, \mathrm{ReLU}(W_1 x + b_1) + b_2)$",
            r"$\frac{\partial u}{\partial t} + u \frac{\partial u}{\partial x} = \nu \frac{\partial^2 u}{\partial x^2}$",
            r"$\det(A - \lambda I) = 0$",
            r"$P(A \mid B) = \frac{P(B \mid A)\,P(A)}{P(B)}$", r"$x_{t+1} = x_t - \eta \, \nabla f(x_t)$",
            r"$\Xi_p = \sum_{X \in \mathcal{X}_p} \sum_{x \in X} \xi_x$", r"$\mathrm{s.t.}\quad w\phi(x) + b \geq 1 - \xi$"]
    lines = int(rng.integers(1, 5))
    for k, text in enumerate(rng.choice(pool, size=lines, replace=False)):
        ax.text(float(rng.uniform(2, 20)), 100 - (k + 0.6) * 100 / lines, f"({k + 1})  {text}" if rng.random() < 0.3
                else text, fontsize=float(rng.uniform(9, 15)), va="center")
    return fig


def table(rng: Rng):
    rows, cols = int(rng.integers(3, 12)), int(rng.integers(2, 7))
    fig, ax = _canvas(rng, height=0.25 * rows + 0.3)
    for r in range(rows):
        for c in range(cols):
            text = rng.choice(WORDS) if c == 0 or r == 0 else f"{rng.uniform(0, 100):.{rng.integers(0, 3)}f}"
            ax.text(5 + 90 * c / cols, 100 - (r + 0.5) * 100 / rows, text, fontsize=7, va="center",
                    fontweight="bold" if r == 0 else "normal")
    boxed = rng.random() < 0.4
    for r in range(rows + 1):
        if boxed or r in (0, 1, rows):
            ax.plot([2, 98], [100 - r * 100 / rows] * 2, color="black", lw=0.8)
    if boxed:
        for c in range(cols + 1):
            ax.plot([2 + 96 * c / cols] * 2, [0, 100], color="black", lw=0.8)
    return fig


def _sample_photos() -> list[np.ndarray]:
    from skimage import data  # noqa: PLC0415 - training only

    names = ("astronaut", "camera", "cell", "chelsea", "coffee", "coins", "grass", "gravel", "hubble_deep_field",
             "immunohistochemistry", "microaneurysms", "moon", "motorcycle_left", "retina", "rocket", "brick",
             "colorwheel", "text")
    images = []
    for name in names:
        loader = getattr(data, name, None)
        if loader is None:
            continue
        try:
            image = loader()
        except Exception:  # noqa: BLE001 - a sample that needs a download is skipped
            continue
        images.append(np.asarray(Image.fromarray(image).convert("RGB")))
    with plt.matplotlib.cbook.get_sample_data("grace_hopper.jpg") as file:
        images.append(np.asarray(Image.open(file).convert("RGB")))
    return images


PHOTOS: list[np.ndarray] = []


def _photo(rng: Rng) -> np.ndarray:
    if not PHOTOS:
        PHOTOS.extend(_sample_photos())
    image = PHOTOS[int(rng.integers(len(PHOTOS)))]
    h, w = image.shape[:2]
    ch, cw = int(h * rng.uniform(0.4, 1)), int(w * rng.uniform(0.4, 1))
    y, x = int(rng.integers(0, h - ch + 1)), int(rng.integers(0, w - cw + 1))
    crop = image[y:y + ch, x:x + cw]
    if rng.random() < 0.2:  # false colour (fluorescence)
        grey = crop.mean(axis=2) / 255
        crop = (plt.get_cmap(rng.choice(["inferno", "viridis", "gray"]))(grey)[..., :3] * 255).astype(np.uint8)
    return crop


def photo(rng: Rng):
    fig, axes = _figure(rng, [(1, 1), (1, 1), (1, 2), (1, 3), (2, 2), (2, 3)][rng.integers(6)])
    for k, ax in enumerate(axes):
        ax.imshow(_photo(rng))
        ax.axis("off")
        if rng.random() < 0.4:
            ax.set_title(f"({string.ascii_lowercase[k]})", fontsize=7)
        if rng.random() < 0.15:
            ax.add_patch(patches.Rectangle((10, 10), 60, 40, fill=False, edgecolor="yellow"))
    fig.subplots_adjust(wspace=0.03, hspace=0.05)
    return fig


def _screenshot_image(rng: Rng) -> Image.Image:
    width, height = int(rng.integers(500, 1100)), int(rng.integers(300, 800))
    image = Image.new("RGB", (width, height), tuple(int(v) for v in rng.integers(235, 256, 3)))
    draw = ImageDraw.Draw(image)
    accent = tuple(int(v) for v in rng.integers(0, 200, 3))
    draw.rectangle((0, 0, width, 30), fill=accent)
    draw.text((10, 8), _words(rng, 3), fill="white")
    if rng.random() < 0.6:  # sidebar
        draw.rectangle((0, 30, width // 5, height), fill=(240, 240, 245))
        for k in range(int(rng.integers(4, 12))):
            draw.text((10, 45 + 25 * k), _words(rng, 2), fill=(60, 60, 60))
    left = width // 5 + 15 if rng.random() < 0.6 else 15
    y = 45
    while y < height - 30:
        kind = rng.integers(4)
        if kind == 0:
            draw.rounded_rectangle((left, y, left + int(rng.integers(60, 160)), y + 22), 5, fill=accent)
            draw.text((left + 8, y + 5), _words(rng, 1), fill="white")
            y += 34
        elif kind == 1:
            draw.rectangle((left, y, width - 20, y + 24), outline=(180, 180, 180))
            draw.text((left + 6, y + 6), _words(rng, 4), fill=(120, 120, 120))
            y += 34
        else:
            for _ in range(int(rng.integers(1, 6))):
                draw.text((left, y), _words(rng, int(rng.integers(4, 12))), fill=(30, 30, 30))
                y += 16
            y += 10
    return image


def _page_image(rng: Rng) -> Image.Image:
    width, height = int(rng.integers(400, 800)), int(rng.integers(500, 900))
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    columns = int(rng.integers(1, 3))
    for c in range(columns):
        x0 = 20 + c * (width - 20) // columns
        y = 30
        while y < height - 20:
            if rng.random() < 0.08:
                draw.rectangle((x0, y, x0 + (width // columns) - 40, y + 60), outline="blue", width=2)
            draw.text((x0, y), _words(rng, int(rng.integers(5, 10))), fill="black")
            y += 14
    return image


def screenshot(rng: Rng) -> Image.Image:
    return _screenshot_image(rng) if rng.random() < 0.65 else _page_image(rng)


def other(rng: Rng):
    kind = rng.integers(4)
    if kind == 0:
        fig, ax = plt.subplots(figsize=(float(rng.uniform(3, 5)),) * 2)
        ax.pie(rng.uniform(1, 10, int(rng.integers(3, 8))), autopct="%1.0f%%" if rng.random() < 0.5 else None)
        return fig
    if kind == 1:  # an algorithm or text box
        fig, ax = _canvas(rng, height=float(rng.uniform(1.5, 4)))
        lines = int(rng.integers(4, 14))
        for k in range(lines):
            indent = 5 + 5 * int(rng.integers(0, 3))
            ax.text(indent, 100 - (k + 0.7) * 100 / lines, ("for " if rng.random() < 0.2 else "") + _words(
                rng, int(rng.integers(2, 9))), fontsize=7, family=rng.choice(["monospace", "serif"]))
        if rng.random() < 0.5:
            ax.add_patch(patches.Rectangle((1, 1), 98, 98, fill=False))
        return fig
    if kind == 2:  # a timeline
        fig, ax = _canvas(rng, height=1.5)
        ax.plot([5, 95], [50, 50], color="black", lw=2)
        for k in range(int(rng.integers(4, 9))):
            x = float(rng.uniform(8, 92))
            ax.plot([x, x], [50, 65], color="black")
            ax.text(x, 70, str(int(rng.integers(1990, 2024))), ha="center", fontsize=6)
            ax.text(x, 30, _words(rng, 2), ha="center", fontsize=5)
        return fig
    fig, ax = _canvas(rng, height=3)  # a Venn or Euler diagram
    for k in range(int(rng.integers(2, 4))):
        ax.add_patch(patches.Ellipse((35 + 25 * k, 50 + 10 * (k % 2)), 50, 60 * 1.2, alpha=0.3,
                                     color=plt.get_cmap("tab10")(k)))
        ax.text(35 + 25 * k, 50, _words(rng, 1), ha="center")
    return fig


GENERATORS: dict[str, Callable[[Rng], object]] = {
    "Graph Plot": graph_plot, "Scatterplot": scatterplot, "Bar Chart": bar_chart, "Heatmap": heatmap,
    "Node Diagram": node_diagram, "Flowchart": flowchart, "Equation": equation, "Table": table,
    "Photo": photo, "Screenshot": screenshot, "Other": other,
}
RASTER_SHARE = 0.3  # of charts and diagrams, placed as a bitmap as older papers do


def _as_page(rng: Rng, drawing, caption: str) -> bytes:
    """A letter page: a line of body text, the figure in a column or across, its caption below."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_textbox(pymupdf.Rect(72, 60, 540, 110), " ".join(_words(rng, 12) for _ in range(3)), fontsize=9)
    width = float(rng.choice([234.0, 300.0, 468.0]))
    if isinstance(drawing, Image.Image):
        raster = io.BytesIO()
        drawing.save(raster, format="PNG")
        ratio = drawing.height / drawing.width
        rect = pymupdf.Rect(72, 130, 72 + width, 130 + width * ratio)
        page.insert_image(rect, stream=raster.getvalue())
    else:
        fig = drawing
        buffer = io.BytesIO()
        if rng.random() < RASTER_SHARE:
            fig.savefig(buffer, format="png", dpi=int(rng.integers(90, 200)))
            plt.close(fig)
            image = Image.open(buffer)
            rect = pymupdf.Rect(72, 130, 72 + width, 130 + width * image.height / image.width)
            page.insert_image(rect, stream=buffer.getvalue())
        else:
            fig.savefig(buffer, format="pdf")
            plt.close(fig)
            with pymupdf.open("pdf", buffer.getvalue()) as source:
                src = source[0].rect
                rect = pymupdf.Rect(72, 130, 72 + width, 130 + width * src.height / src.width)
                page.show_pdf_page(rect, source, 0)
    rect = pymupdf.Rect(rect.x0, rect.y0, rect.x1, min(rect.y1, 640))
    page.insert_textbox(pymupdf.Rect(72, rect.y1 + 10, 540, rect.y1 + 60), f"Figure 1: {caption}", fontsize=9)
    return doc.tobytes()


def synthetic_evidence(per_type: int, seed: int = 0) -> Iterator[tuple[str, FigureEvidence]]:
    """``(type, evidence)`` for ``per_type`` figures of every type (fewer where the extractor
    misses one: such figures are left out, as they would be in a build)."""
    rng = np.random.default_rng(seed)
    for label, generate in GENERATORS.items():
        for _ in range(per_type):
            pool = CUED_CAPTIONS[label] if rng.random() < 0.25 else NEUTRAL_CAPTIONS
            caption = str(rng.choice(pool))
            with plt.rc_context({"font.family": str(rng.choice(["sans-serif", "serif"]))}):
                pdf = _as_page(rng, generate(rng), caption)
            with pymupdf.open("pdf", pdf) as doc:
                figures = [f for f in extract_document(doc).figures if f.kind == "figure"]
            if figures:
                yield label, evidence_of(figures[0])
