"""Bitmap figures: photos (sample images that scikit-image, scikit-learn and matplotlib ship, and
microscopy-like renders), screenshots of interfaces and pages drawn with Pillow, tables set as
pictures. Each returns a PIL image, or a PDF page where a photo panel gets matplotlib labels."""

from __future__ import annotations

import string
from functools import cache

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import patches
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from synth.common import Rng, figure_pdf, panel_grid, title_words, words

SAMPLE_NAMES = ("astronaut", "camera", "cat", "cell", "chelsea", "clock", "coffee", "coins", "grass", "gravel", "horse",
                "hubble_deep_field", "immunohistochemistry", "microaneurysms", "moon", "retina", "rocket", "brick",
                "shepp_logan_phantom", "binary_blobs")


@cache
def sample_photos() -> tuple[np.ndarray, ...]:
    """The sample images that ship inside installed packages (none is downloaded)."""
    from skimage import data  # noqa: PLC0415 - training only
    from sklearn.datasets import load_sample_images  # noqa: PLC0415

    images = []
    for name in SAMPLE_NAMES:
        try:
            image = getattr(data, name)()
        except Exception:  # noqa: BLE001 - a sample that needs a download is skipped
            continue
        image = np.asarray(image)
        if image.dtype != np.uint8:
            image = image.astype(np.float64)
            image = (255 * (image - image.min()) / max(float(np.ptp(image)), 1e-9)).astype(np.uint8)
        images.append(np.asarray(Image.fromarray(image).convert("RGB")))
    images.extend(load_sample_images().images)
    with plt.matplotlib.cbook.get_sample_data("grace_hopper.jpg") as file:
        images.append(np.asarray(Image.open(file).convert("RGB")))
    return tuple(images)


def _microscopy(rng: Rng) -> np.ndarray:
    """Fluorescent cells on black: blurred blobs in one or two channels."""
    size = int(rng.integers(150, 400))
    canvas = np.zeros((size, size, 3))
    yy, xx = np.mgrid[0:size, 0:size]
    for channel in rng.choice(3, size=int(rng.integers(1, 3)), replace=False):
        for _ in range(int(rng.integers(5, 60))):
            cx, cy, r = rng.uniform(0, size, 2).tolist() + [float(rng.uniform(3, size / 10))]
            canvas[..., channel] += np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * r ** 2)) * rng.uniform(0.3, 1)
    canvas += rng.normal(0, 0.05, canvas.shape)
    return (np.clip(canvas, 0, 1) * 255).astype(np.uint8)


def photo_pixels(rng: Rng) -> np.ndarray:
    if rng.random() < 0.2:
        return _microscopy(rng)
    photos = sample_photos()
    image = photos[int(rng.integers(len(photos)))]
    h, w = image.shape[:2]
    ch, cw = int(h * rng.uniform(0.35, 1)), int(w * rng.uniform(0.35, 1))
    y, x = int(rng.integers(0, h - ch + 1)), int(rng.integers(0, w - cw + 1))
    crop = image[y:y + ch, x:x + cw]
    if rng.random() < 0.2:  # false colour (fluorescence, thermal)
        grey = crop.mean(axis=2) / 255
        crop = (plt.get_cmap(str(rng.choice(["inferno", "viridis", "gray", "hot"])))(grey)[..., :3] * 255).astype(np.uint8)
    elif rng.random() < 0.2:
        crop = np.repeat(crop.mean(axis=2, keepdims=True), 3, axis=2).astype(np.uint8)
    return crop


def photo(rng: Rng) -> bytes | Image.Image:
    if rng.random() < 0.3:
        return Image.fromarray(photo_pixels(rng))
    fig, axes = panel_grid(rng, ((1, 1), (1, 2), (1, 3), (1, 4), (2, 2), (2, 3), (3, 3), (2, 4)))
    for k, ax in enumerate(axes):
        ax.imshow(photo_pixels(rng))
        ax.axis("off")
        if rng.random() < 0.4:
            ax.set_title(f"({string.ascii_lowercase[k]})" if rng.random() < 0.5 else title_words(rng), fontsize=7)
        if rng.random() < 0.2:  # a detection box, an arrow, a scale bar
            ax.add_patch(patches.Rectangle((10, 10), 60, 40, fill=False, edgecolor=str(rng.choice(["yellow", "red"]))))
        if rng.random() < 0.2:
            ax.annotate("", xy=(40, 40), xytext=(80, 80), arrowprops=dict(arrowstyle="->", color="white"))
        if rng.random() < 0.2:
            ax.plot([5, 45], [ax.get_ylim()[0] - 10] * 2, color="white", linewidth=3)
    plt.subplots_adjust(wspace=float(rng.uniform(0.02, 0.2)), hspace=float(rng.uniform(0.02, 0.2)))
    return figure_pdf(fig, rng)


def _font(rng: Rng, size: int) -> ImageFont.ImageFont:
    for name in ("DejaVuSans.ttf", "DejaVuSerif.ttf", "DejaVuSansMono.ttf"):
        if rng.random() < 0.5:
            try:
                return ImageFont.truetype(name, size)
            except OSError:
                break
    return ImageFont.load_default(size)


def _interface(rng: Rng) -> Image.Image:
    width, height = int(rng.integers(400, 1200)), int(rng.integers(300, 900))
    dark = rng.random() < 0.25
    background = tuple(int(v) for v in (rng.integers(20, 50, 3) if dark else rng.integers(230, 256, 3)))
    ink = (220, 220, 220) if dark else (30, 30, 30)
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    font = _font(rng, int(rng.integers(10, 16)))
    accent = tuple(int(v) for v in rng.integers(0, 200, 3))
    bar = int(rng.integers(20, 50))
    draw.rectangle((0, 0, width, bar), fill=accent)
    draw.text((10, bar // 3), words(rng, 3), fill="white", font=font)
    left = 15
    if rng.random() < 0.6:  # a sidebar or a file tree
        side = width // int(rng.integers(4, 7))
        draw.rectangle((0, bar, side, height), fill=tuple(max(0, c - 12) for c in background))
        for k in range(int(rng.integers(4, 20))):
            draw.text((10, bar + 12 + 22 * k), words(rng, int(rng.integers(1, 3))), fill=ink, font=font)
        left = side + 15
    y = bar + 15
    while y < height - 30:
        kind = rng.random()
        if kind < 0.15:
            draw.rounded_rectangle((left, y, left + int(rng.integers(60, 160)), y + 24), 5, fill=accent)
            draw.text((left + 8, y + 5), words(rng, 1), fill="white", font=font)
            y += 36
        elif kind < 0.3:
            draw.rectangle((left, y, width - 20, y + 26), outline=(160, 160, 160))
            draw.text((left + 6, y + 6), words(rng, 4), fill=(120, 120, 120), font=font)
            y += 36
        elif kind < 0.4:  # a picture or a chart inside the page
            h = int(rng.integers(60, 200))
            thumb = Image.fromarray(photo_pixels(rng)).resize((int(h * rng.uniform(1, 2)), h))
            image.paste(thumb, (left, y))
            y += h + 10
        elif kind < 0.5:  # a grid of cards
            cards = int(rng.integers(2, 5))
            cw = (width - left - 20) // cards
            for c in range(cards):
                draw.rounded_rectangle((left + c * cw, y, left + (c + 1) * cw - 10, y + 80), 6, outline=(190, 190, 190),
                                       fill=tuple(min(255, v + 5) for v in background))
                draw.text((left + c * cw + 8, y + 8), words(rng, 2), fill=ink, font=font)
            y += 92
        else:
            colour = ink if rng.random() < 0.7 else tuple(int(v) for v in rng.integers(0, 255, 3))
            for _ in range(int(rng.integers(1, 6))):
                draw.text((left + 20 * int(rng.integers(0, 3)) * dark, y), words(rng, int(rng.integers(3, 12))),
                          fill=colour, font=font)
                y += int(font.size * 1.4) if hasattr(font, "size") else 16
            y += 10
    if rng.random() < 0.3:  # a phone frame
        framed = Image.new("RGB", (width + 40, height + 80), (20, 20, 20))
        framed.paste(image, (20, 40))
        image = framed
    return image


def _page(rng: Rng) -> Image.Image:
    """A rendered document page (papers about document processing show them)."""
    width, height = int(rng.integers(400, 800)), int(rng.integers(500, 1000))
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = _font(rng, int(rng.integers(8, 13)))
    columns = int(rng.integers(1, 3))
    for c in range(columns):
        x0 = 25 + c * (width - 25) // columns
        x1 = x0 + (width - 50) // columns - 15
        y = 30
        while y < height - 25:
            if rng.random() < 0.05:
                h = int(rng.integers(40, 120))
                colour = tuple(int(v) for v in rng.integers(0, 255, 3))
                draw.rectangle((x0, y, x1, y + h), outline=colour, width=2)
                y += h + 8
            draw.text((x0, y), words(rng, max(2, (x1 - x0) // 45)), fill="black", font=font)
            y += 14
    return image


def screenshot(rng: Rng) -> Image.Image:
    image = _interface(rng) if rng.random() < 0.7 else _page(rng)
    if rng.random() < 0.2:
        image = image.filter(ImageFilter.GaussianBlur(0.6))
    return image


def table_picture(rng: Rng) -> Image.Image:
    """A table set as a picture (a scan or a screenshot of one)."""
    rows, cols = int(rng.integers(3, 16)), int(rng.integers(2, 8))
    font = _font(rng, int(rng.integers(10, 16)))
    cell_w, cell_h = int(rng.integers(60, 130)), int(rng.integers(20, 30))
    image = Image.new("RGB", (cols * cell_w + 20, rows * cell_h + 20), "white")
    draw = ImageDraw.Draw(image)
    zebra = rng.random() < 0.3
    header = tuple(int(v) for v in rng.integers(150, 240, 3)) if rng.random() < 0.4 else None
    for r in range(rows):
        y = 10 + r * cell_h
        if header and r == 0 or zebra and r % 2:
            draw.rectangle((10, y, 10 + cols * cell_w, y + cell_h), fill=header if r == 0 and header else (240, 240, 240))
        for c in range(cols):
            text = (title_words(rng) if r == 0 else str(rng.choice(list(string.ascii_uppercase))) + words(rng, 1)
                    if c == 0 else f"{rng.uniform(0, 100):.{int(rng.integers(0, 3))}f}")
            draw.text((14 + c * cell_w, y + 4), text[:14], fill="black", font=font)
    grid = rng.random() < 0.4
    for r in range(rows + 1):
        if grid or r in (0, 1, rows):
            draw.line((10, 10 + r * cell_h, 10 + cols * cell_w, 10 + r * cell_h), fill="black")
    if grid:
        for c in range(cols + 1):
            draw.line((10 + c * cell_w, 10, 10 + c * cell_w, 10 + rows * cell_h), fill="black")
    return image


def table_drawing(rng: Rng) -> bytes:
    """A table drawn as vector text and rules (a table pasted in as a figure)."""
    from synth.drawings import canvas  # noqa: PLC0415

    rows, cols = int(rng.integers(3, 14)), int(rng.integers(2, 8))
    fig, ax = canvas(rng, height=0.2 * rows + 0.3)
    for r in range(rows):
        for c in range(cols):
            text = str(rng.choice(WORD_CELLS)) if c == 0 or r == 0 else f"{rng.uniform(0, 100):.{rng.integers(0, 3)}f}"
            ax.text(4 + 92 * c / cols, 100 - (r + 0.5) * 100 / rows, text, fontsize=float(rng.uniform(5, 8)),
                    va="center", fontweight="bold" if r == 0 or (c > 0 and rng.random() < 0.05) else "normal")
    boxed = rng.random() < 0.35
    for r in range(rows + 1):
        if boxed or r in (0, 1, rows):
            ax.plot([2, 98], [100 - r * 100 / rows] * 2, color="black", lw=float(rng.uniform(0.4, 1.2)))
    if boxed:
        for c in range(cols + 1):
            ax.plot([2 + 96 * c / cols] * 2, [0, 100], color="black", lw=0.6)
    return figure_pdf(fig, rng)


WORD_CELLS = ("BERT", "GPT-2", "Ours", "Baseline", "ResNet", "Random", "Oracle", "Human", "Model", "Total", "Mean",
              "Control", "Treated", "Group A", "Group B", "p-value", "n")
