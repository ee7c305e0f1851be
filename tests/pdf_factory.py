"""Small PDFs written by the tests themselves: layouts with known figures and tables."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pymupdf
from PIL import Image

LOREM = (
    "Scientific figures carry much of a paper's evidence, and the text around them explains "
    "what the reader should see in each panel and why it matters for the argument made here. "
)


def png_bytes(width: int = 120, height: int = 80, seed: int = 0) -> bytes:
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 200, size=(height, width, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def body_text(page: pymupdf.Page, box: tuple[float, float, float, float], words: int = 1) -> None:
    rect = pymupdf.Rect(*box)
    text = LOREM * words
    while page.insert_textbox(rect, text, fontsize=10, fontname="tiro", align=3) < 0:
        text = text[: int(len(text) * 0.9)]


def caption(page: pymupdf.Page, box: tuple[float, float, float, float], text: str,
            fontsize: float = 9) -> None:
    assert page.insert_textbox(pymupdf.Rect(*box), text, fontsize=fontsize, fontname="tiro") >= 0


def vector_plot(page: pymupdf.Page, box: tuple[float, float, float, float]) -> None:
    """Axes, a polyline and tick labels: a vector figure with text inside it."""
    x0, y0, x1, y1 = box
    shape = page.new_shape()
    shape.draw_line((x0 + 20, y1 - 15), (x1, y1 - 15))
    shape.draw_line((x0 + 20, y0), (x0 + 20, y1 - 15))
    points = [(x0 + 20 + i * (x1 - x0 - 20) / 10, y0 + 10 + ((i * 37) % 50)) for i in range(11)]
    shape.draw_polyline(points)
    shape.finish(color=(0, 0, 0.8), width=1)
    shape.commit()
    for i in range(3):
        page.insert_text((x0 + 20 + i * (x1 - x0 - 30) / 2, y1 - 3), f"{i * 5}", fontsize=7)
    page.insert_text((x0 + 2, y0 + 30), "loss", fontsize=7)


def _axes(page: pymupdf.Page, box: tuple[float, float, float, float], ylabel: str) -> None:
    x0, y0, x1, y1 = box
    shape = page.new_shape()
    shape.draw_line((x0 + 20, y1 - 15), (x1, y1 - 15))
    shape.draw_line((x0 + 20, y0), (x0 + 20, y1 - 15))
    shape.finish(color=(0, 0, 0), width=0.8)
    shape.commit()
    for i in range(3):
        page.insert_text((x0 + 20 + i * (x1 - x0 - 30) / 2, y1 - 3), f"{i * 5}", fontsize=7)
    page.insert_text((x0 + 2, y0 + 30), ylabel, fontsize=7)


def vector_bars(page: pymupdf.Page, box: tuple[float, float, float, float], bars: int = 8) -> None:
    """Axes and filled bars standing on the x axis: a vector bar chart."""
    x0, y0, x1, y1 = box
    _axes(page, box, "count")
    step = (x1 - x0 - 30) / bars
    for i in range(bars):
        left = x0 + 26 + i * step
        page.draw_rect(pymupdf.Rect(left, y0 + 10 + (i * 23) % 60, left + step * 0.7, y1 - 15),
                       color=None, fill=(0.2, 0.4, 0.8))


def vector_scatter(page: pymupdf.Page, box: tuple[float, float, float, float], points: int = 60) -> None:
    """Axes and many small filled circles: a vector scatter plot."""
    x0, y0, x1, y1 = box
    _axes(page, box, "value")
    rng = np.random.default_rng(3)
    for x, y in zip(rng.uniform(x0 + 25, x1 - 5, points), rng.uniform(y0 + 5, y1 - 20, points)):
        page.draw_circle((float(x), float(y)), 1.6, color=None, fill=(0.8, 0.2, 0.1))


def table(page: pymupdf.Page, x0: float, y0: float, x1: float, rows: int = 4) -> float:
    """A booktabs-style table; returns its bottom edge."""
    shape = page.new_shape()
    shape.draw_line((x0, y0), (x1, y0))
    shape.draw_line((x0, y0 + 16), (x1, y0 + 16))
    bottom = y0 + 16 + rows * 13 + 4
    shape.draw_line((x0, bottom), (x1, bottom))
    shape.finish(color=(0, 0, 0), width=0.6)
    shape.commit()
    columns = [x0 + 4, x0 + (x1 - x0) * 0.45, x0 + (x1 - x0) * 0.75]
    for x, head in zip(columns, ("Model", "Acc.", "F1")):
        page.insert_text((x, y0 + 12), head, fontsize=9, fontname="tibo")
    for r in range(rows):
        for c, x in enumerate(columns):
            page.insert_text((x, y0 + 28 + r * 13), f"{r}.{c}5" if c else f"model-{r}", fontsize=9)
    return bottom


def save(doc: pymupdf.Document, path: Path) -> Path:
    doc.save(path)
    return path


def two_column_paper(path: Path) -> Path:
    """Page 1: a raster figure (caption below) and a vector plot with two subfigures; page 2:
    a table with its caption above, and body text that mentions figures."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_image(pymupdf.Rect(72, 72, 292, 212), stream=png_bytes())
    caption(page, (72, 220, 292, 250), "Figure 1: A raster figure with a caption below it.")
    body_text(page, (72, 262, 292, 720), words=8)
    vector_plot(page, (320, 72, 430, 160))
    vector_plot(page, (440, 72, 540, 160))
    page.insert_text((370, 172), "(a)", fontsize=8)
    page.insert_text((485, 172), "(b)", fontsize=8)
    caption(page, (320, 182, 540, 222), "Figure 2: Two vector panels, (a) and (b), under one caption.")
    body_text(page, (320, 236, 540, 720), words=8)
    page = doc.new_page(width=612, height=792)
    caption(page, (72, 72, 292, 100), "Table 1: Results of the models on the test set.")
    table(page, 80, 104, 284)
    body_text(page, (72, 200, 292, 720), words=8)
    page.insert_textbox(pymupdf.Rect(320, 72, 540, 160),
                        "Figure 3 shows nothing: this sentence only starts a line with a label "
                        "and must not be taken for a caption.", fontsize=10, fontname="tiro")
    body_text(page, (320, 170, 540, 720), words=8)
    return save(doc, path)


def zero_page_pdf(path: Path) -> Path:
    """A well-formed PDF (valid xref) whose page tree is empty."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def broken_page_pdf(path: Path, pages: int = 3, broken: int = 1) -> Path:
    """A PDF whose page tree points at a number instead of page ``broken`` (0-based)."""
    doc = pymupdf.open()
    for number in range(pages):
        doc.new_page().insert_text((72, 72), f"page {number + 1}")
    doc = pymupdf.open("pdf", doc.tobytes())
    doc.update_object(doc[broken].xref, "42")
    path.write_bytes(doc.tobytes(garbage=0))
    return path


def encrypted_pdf(source: Path, path: Path, password: str) -> Path:
    with pymupdf.open(source) as doc:
        doc.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw=password, owner_pw=password + "!")
    return path


def layout_variety_paper(path: Path) -> Path:
    """Page 1: a caption set beside its figure. Page 2: a table turned 90 degrees (caption
    and cells read bottom to top). Page 3: IEEE-style ``TABLE I`` above a table and ``FIG. 2.``
    and ``Supplementary Figure S1`` under raster figures."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    body_text(page, (72, 72, 540, 250), words=4)
    page.insert_image(pymupdf.Rect(72, 270, 312, 430), stream=png_bytes(seed=1))
    caption(page, (330, 330, 540, 380), "Figure 1: A caption set beside the figure it describes.")
    body_text(page, (72, 450, 540, 720), words=4)

    page = doc.new_page(width=612, height=792)
    shape = page.new_shape()
    for x in (120, 140, 300):  # rules of the turned table run down the page
        shape.draw_line((x, 120), (x, 600))
    shape.finish(color=(0, 0, 0), width=0.6)
    shape.commit()
    page.insert_text((100, 600), "Table 1: A table set sideways on the page.", fontsize=9, rotate=90)
    for column, x in enumerate((135, 160, 180, 200, 220, 240, 260, 280)):
        for row, y in enumerate((580, 480, 380, 280, 180)):
            text = ("Site", "Area", "Rain") [row % 3] if column == 0 else f"{column * 10 + row}.5"
            page.insert_text((x, y), text, fontsize=9, rotate=90)
    body_text(page, (330, 72, 540, 720), words=4)

    page = doc.new_page(width=612, height=792)
    caption(page, (72, 72, 292, 90), "TABLE I. Results on the benchmark.")
    table(page, 80, 94, 284)
    body_text(page, (72, 180, 292, 720), words=6)
    page.insert_image(pymupdf.Rect(320, 72, 540, 200), stream=png_bytes(seed=2))
    caption(page, (320, 208, 540, 236), "FIG. 2. Measured spectra of the sample.")
    page.insert_image(pymupdf.Rect(320, 250, 540, 380), stream=png_bytes(seed=3))
    caption(page, (320, 388, 540, 416), "Supplementary Figure S1: More spectra.")
    body_text(page, (320, 430, 540, 720), words=4)
    return save(doc, path)


def text_png(words: list[str], width: float = 300, height: float = 120, dpi: int = 150,
             vertical: str | None = None) -> bytes:
    """A raster image of words (like a chart exported as PNG), one word per line, plus an
    optional word set bottom-to-top along the left edge (an axis title)."""
    doc = pymupdf.open()
    page = doc.new_page(width=width, height=height)
    for i, word in enumerate(words):
        page.insert_text((40, 30 + i * 22), word, fontsize=14)
    if vertical:
        page.insert_text((22, height - 20), vertical, fontsize=14, rotate=90)
    return page.get_pixmap(dpi=dpi).tobytes("png")


def paper_with_text_raster(path: Path, words: list[str]) -> Path:
    """One page: a raster figure showing ``words`` (no text layer), a vector plot with its
    own text layer, body text that mentions both."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_image(pymupdf.Rect(72, 72, 292, 160), stream=text_png(words))
    caption(page, (72, 168, 292, 196), "Figure 1: Training curves exported as an image.")
    body_text(page, (72, 210, 292, 400), words=3)
    page.insert_textbox(pymupdf.Rect(72, 410, 292, 470),
                        "As Figure 1 shows, and as Fig. 2 confirms, the loss falls quickly.",
                        fontsize=10, fontname="tiro")
    vector_plot(page, (320, 72, 540, 160))
    caption(page, (320, 182, 540, 210), "Figure 2: The loss of a vector plot.")
    body_text(page, (320, 224, 540, 720), words=6)
    return save(doc, path)


def flowing_paper(path: Path) -> Path:
    """Two justified columns over two pages laid out by MuPDF's HTML engine: a paragraph that
    runs from the first column into the second and one that runs onto the next page, section
    headings, a reference list that names a figure, a running head and page numbers."""
    sentence = "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu. "
    html = (
        "<h2>1 Introduction</h2>"
        f"<p>{sentence * 30}As Figure 1 shows, the first long paragraph ends here.</p>"
        f"<p>{sentence * 40}The second paragraph cites Table 2 near its end.</p>"
        f"<p>{sentence * 8}A short third paragraph.</p>"
        "<h2>References</h2>"
        "<p>Smith, J. 2020. Figure 3 of a reference that is not a mention. Journal of Tests.</p>"
    )
    css = ("body {font-family: serif; font-size: 10pt;} p {text-align: justify; text-indent: 12pt; "
           "margin: 0;} h2 {font-size: 12pt; font-weight: bold; margin: 8pt 0 4pt 0;}")
    story = pymupdf.Story(html, user_css=css)
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    columns = (pymupdf.Rect(72, 80, 290, 720), pymupdf.Rect(307, 80, 526, 720))
    more = True
    while more:
        device = writer.begin_page(pymupdf.Rect(0, 0, 595, 842))
        for column in columns:
            more, _ = story.place(column)
            story.draw(device)
            if not more:
                break
        writer.end_page()
    writer.close()
    doc = pymupdf.open("pdf", buffer.getvalue())
    for page in doc:
        page.insert_text((72, 50), "Journal of Tests 12 (2026) 1-2", fontsize=8)
        page.insert_text((290, 790), str(page.number + 1), fontsize=9)
    return save(doc, path)


def many_pages_pdf(path: Path, pages: int = 2000) -> Path:
    doc = pymupdf.open()
    for number in range(pages):
        doc.new_page(width=300, height=400).insert_text((40, 60), f"Page {number + 1} of a very long report.")
    return save(doc, path)


def many_images_pdf(path: Path, images: int = 5000) -> Path:
    """One page tiled with ``images`` tiny raster images (one shared XObject drawn ``images``
    times), with a caption under the tiles."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    caption(page, (40, 340, 572, 360), "Figure 1: Five thousand tiny images.")
    page.insert_image(pymupdf.Rect(40, 60, 44, 64), stream=png_bytes(4, 4))
    name = next(iter(page.get_images(full=True)))[7]
    columns, draws = 100, []
    for i in range(images):
        x, y = 40 + (i % columns) * 5.3, 792 - (64 + (i // columns) * 5.3)
        draws.append(f"q 4 0 0 4 {x:.1f} {y:.1f} cm /{name} Do Q")
    contents = page.get_contents()[-1]
    doc.update_stream(contents, doc.xref_stream(contents) + ("\n" + "\n".join(draws) + "\n").encode())
    return save(doc, path)


def decompression_bomb_pdf(path: Path) -> Path:
    """A page whose image declares 100,000 x 100,000 pixels (30 GB decoded) in a few bytes of
    Flate data: rendering it must not take the machine down."""
    import zlib

    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    caption(page, (72, 420, 540, 440), "Figure 1: A bomb.")
    data = zlib.compress(b"\x00" * (1 << 20), 9)
    image = doc.get_new_xref()
    doc.update_object(image, "<< /Type /XObject /Subtype /Image /Width 100000 /Height 100000 "
                             f"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode /Length {len(data)} >>")
    doc.update_stream(image, data, compress=False)
    page.insert_text((72, 60), "Body text above the bomb.")
    kind, value = doc.xref_get_key(page.xref, "Resources")
    holder, key = (int(value.split()[0]), "XObject") if kind == "xref" else (page.xref, "Resources/XObject")
    doc.xref_set_key(holder, key, f"<< /Bomb {image} 0 R >>")
    contents = page.get_contents()[0]
    doc.update_stream(contents, doc.xref_stream(contents) + b"\nq 400 0 0 300 100 100 cm /Bomb Do Q\n")
    return save(doc, path)


def javascript_pdf(path: Path) -> Path:
    """A normal paper that also carries document-level JavaScript (never executed)."""
    two_column_paper(path)
    doc = pymupdf.open(path)
    js = doc.get_new_xref()
    doc.update_object(js, "<< /S /JavaScript /JS (app.alert('hello');) >>")
    doc.xref_set_key(doc.pdf_catalog(), "OpenAction", f"{js} 0 R")
    data = doc.tobytes()
    doc.close()
    path.write_bytes(data)
    return path


def broken_xref_pdf(source: Path, path: Path) -> Path:
    """A valid PDF whose xref table points at the wrong offsets (MuPDF rebuilds it)."""
    data = bytearray(source.read_bytes())
    start = data.rfind(b"startxref")
    offset = int(data[start + 9:].split()[0])
    table = data[offset:start]
    damaged = re.sub(rb"(\d{10}) (\d{5}) n", lambda m: b"%010d %s n" % (int(m.group(1)) + 7, m.group(2)), bytes(table))
    path.write_bytes(bytes(data[:offset]) + damaged + bytes(data[start:]))
    return path


def damaged_stream_pdf(source: Path, path: Path, page: int = 0) -> Path:
    """``source`` saved with compressed content streams, then 32 bytes in the middle of page
    ``page``'s stream flipped in the file: a PDF that opens, whose page MuPDF stops reading
    where the damage starts (as a bad disk sector or a cut download leaves it)."""
    with pymupdf.open(source) as doc:
        data = doc.tobytes(garbage=3, deflate=True, clean=True)
    with pymupdf.open("pdf", data) as doc:
        (xref,) = doc[page].get_contents()
        length = len(doc.xref_stream_raw(xref))
    start = data.index(b"stream", re.search(rb"\n%d 0 obj" % xref, data).end()) + len(b"stream\n")
    damaged = bytearray(data)
    for i in range(start + length // 2, start + length // 2 + 32):
        damaged[i] ^= 0xFF
    path.write_bytes(bytes(damaged))
    return path


def scanned_pdf(source: Path, path: Path, pages: set[int] | None = None, dpi: int = 72) -> Path:
    """``source`` with its pages (or those numbered in ``pages``, 0-based) replaced by a picture
    of themselves: what a scanner without OCR makes (ink, no text layer)."""
    with pymupdf.open(source) as original:
        doc = pymupdf.open()
        for number, page in enumerate(original):
            if pages is None or number in pages:
                scan = doc.new_page(width=page.rect.width, height=page.rect.height)
                scan.insert_image(scan.rect, stream=page.get_pixmap(dpi=dpi).tobytes("png"))
            else:
                doc.insert_pdf(original, from_page=number, to_page=number)
    return save(doc, path)


def oversized_pdf(source: Path, path: Path, scale: float) -> Path:
    """``source`` with every page blown up ``scale`` times (poster-sized pages: figures too
    large to render at a normal resolution)."""
    with pymupdf.open(source) as original:
        doc = pymupdf.open()
        for number, page in enumerate(original):
            large = doc.new_page(width=page.rect.width * scale, height=page.rect.height * scale)
            large.show_pdf_page(large.rect, original, number)
    return save(doc, path)
