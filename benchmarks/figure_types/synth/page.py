"""Set a generated figure on a PDF page with a caption, as a paper would: vector drawings stay
vector or are placed as a bitmap (a low-resolution PNG or a JPEG with its artefacts, as older
papers and scans have them); bitmaps are placed as PNG or JPEG."""

from __future__ import annotations

import io

import pymupdf
from PIL import Image

from synth.common import Rng, words

RASTER_SHARE = 0.4  # of vector drawings, placed as a bitmap
MAX_HEIGHT = 560.0  # points: room between the body text and the caption


def rasterise(pdf: bytes, rng: Rng) -> Image.Image:
    """A one-page PDF rendered as a bitmap at a resolution papers' figures come in."""
    with pymupdf.open("pdf", pdf) as doc:
        pix = doc[0].get_pixmap(dpi=int(rng.integers(60, 220)), alpha=False)
        image = Image.frombytes("RGB", (pix.width, pix.height), pix.samples)
    if rng.random() < 0.1:
        image = image.convert("L").convert("RGB")
    return image


def encoded(image: Image.Image, rng: Rng) -> bytes:
    """PNG, or JPEG of some quality (its ringing around lines is what many raster figures show)."""
    buffer = io.BytesIO()
    if rng.random() < 0.4:
        image.convert("RGB").save(buffer, format="JPEG", quality=int(rng.integers(30, 95)))
    else:
        image.save(buffer, format="PNG")
    return buffer.getvalue()


def place(rng: Rng, drawing: bytes | Image.Image, caption: str) -> bytes:
    """A letter page: body text, the figure in a column or across, its caption below."""
    if isinstance(drawing, bytes) and rng.random() < RASTER_SHARE:
        drawing = rasterise(drawing, rng)
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_textbox(pymupdf.Rect(72, 50, 540, 110), " ".join(words(rng, 12) for _ in range(3)), fontsize=9)
    top, width = 125.0, float(rng.choice([200.0, 234.0, 300.0, 400.0, 468.0]))
    if isinstance(drawing, Image.Image):
        rect = _frame(top, width, drawing.height / drawing.width)
        page.insert_image(rect, stream=encoded(drawing, rng))
    else:
        with pymupdf.open("pdf", drawing) as source:
            rect = _frame(top, width, source[0].rect.height / source[0].rect.width)
            page.show_pdf_page(rect, source, 0)
    bottom = rect.y1
    page.insert_textbox(pymupdf.Rect(72, bottom + 10, 540, bottom + 70), f"Figure {int(rng.integers(1, 12))}: {caption}",
                        fontsize=9)
    return doc.tobytes()


def _frame(top: float, width: float, ratio: float) -> pymupdf.Rect:
    """The figure's place: ``width`` wide unless that makes it taller than the page allows."""
    width = min(width, MAX_HEIGHT / ratio)
    return pymupdf.Rect(72, top, 72 + width, top + width * ratio)


def fits(drawing: bytes | Image.Image) -> bool:
    """Whether the drawing can go on a page at all (not empty, not absurdly thin)."""
    if isinstance(drawing, Image.Image):
        width, height = drawing.size
    else:
        with pymupdf.open("pdf", drawing) as source:
            width, height = source[0].rect.width, source[0].rect.height
    return width > 4 and height > 4 and 1 / 25 < height / width < 4

