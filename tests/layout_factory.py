"""Pages of the layout classes publishers and LaTeX use, written by the tests with known
truth boxes: side captions, stacked floats, distracting body sentences, wrapped figures,
publisher rules, table footnotes, plots with labels outside their clip, rotated pages,
scanned pages, tables continued over pages.

Every function returns the path and the truth: ``{label: (page, Box)}`` for each figure or
table, boxes in displayed page space (what ``page.rect`` measures).
"""

from __future__ import annotations

from pathlib import Path

import pymupdf

from scitune_data.geometry import Box
from tests.pdf_factory import LOREM, png_bytes

Truth = dict[str, tuple[int, Box]]
A4 = (595.0, 842.0)


class Sheet:
    """Draws on a page in displayed coordinates, whatever its ``/Rotate``."""

    def __init__(self, doc: pymupdf.Document, rotation: int = 0, size: tuple[float, float] = A4) -> None:
        self.page = doc.new_page(width=size[0], height=size[1])
        if rotation:
            self.page.set_rotation(rotation)
        self.matrix = self.page.derotation_matrix
        self.turn = rotation

    def point(self, x: float, y: float) -> pymupdf.Point:
        return pymupdf.Point(x, y) * self.matrix

    def rect(self, box: tuple[float, float, float, float]) -> pymupdf.Rect:
        return pymupdf.Rect(*box) * self.matrix

    def text(self, x: float, y: float, text: str, size: float = 10, font: str = "tiro") -> None:
        self.page.insert_text(self.point(x, y), text, fontsize=size, fontname=font, rotate=self.turn)

    def lines(self, x: float, y: float, lines: list[str], size: float = 10, font: str = "tiro",
              leading: float = 1.2) -> float:
        """Lines of text from baseline ``y`` down; returns the baseline after the last."""
        for line in lines:
            self.text(x, y, line, size, font)
            y += size * leading
        return y

    def prose(self, box: tuple[float, float, float, float], size: float = 10) -> None:
        """Justified body text filling ``box`` (upright pages only)."""
        text = LOREM * 40
        while self.page.insert_textbox(pymupdf.Rect(*box), text, fontsize=size, fontname="tiro", align=3) < 0:
            text = text[: int(len(text) * 0.9)]

    def hrule(self, x0: float, x1: float, y: float, width: float = 0.6) -> None:
        self.page.draw_line(self.point(x0, y), self.point(x1, y), color=(0, 0, 0), width=width)

    def plot(self, box: tuple[float, float, float, float], clip: bool = False) -> Box:
        """Axes with a line and tick labels; with ``clip`` the line runs through a clip path
        at the axes and the tick labels and axis titles lie outside it. Returns the ink box."""
        x0, y0, x1, y1 = box
        axes = (x0 + 28, y0 + 4, x1 - 4, y1 - 24)
        shape = self.page.new_shape()
        shape.draw_rect(self.rect(axes))
        shape.finish(color=(0, 0, 0), width=0.8)
        shape.commit()
        ax0, ay0, ax1, ay1 = axes
        points = [self.point(ax0 + i * (ax1 - ax0) / 12, ay0 + 6 + ((i * 37) % 7) * (ay1 - ay0 - 12) / 7)
                  for i in range(13)]
        if clip:  # the line runs past the axes and is clipped there, as plotting libraries draw it
            points = [self.point(ax0 - 30, ay1 + 20)] + points + [self.point(ax1 + 30, ay0 - 20)]
            height = self.page.mediabox.height
            cx0, cy0, cx1, cy1 = self.rect(axes)
            path = " ".join(f"{p.x:.2f} {height - p.y:.2f} {'m' if i == 0 else 'l'}" for i, p in enumerate(points))
            append_content(self.page, f"q {cx0:.2f} {height - cy1:.2f} {cx1 - cx0:.2f} {cy1 - cy0:.2f} re W n "
                                      f"0 0 0.8 RG 1 w {path} S Q")
        else:
            self.page.draw_polyline(points, color=(0, 0, 0.8), width=1)
        for i in range(3):
            self.text(ax0 - 4 + i * (ax1 - ax0) / 2, ay1 + 9, f"{i * 5}", size=7)
            self.text(x0 + 12, ay1 - i * (ay1 - ay0) / 2 + 2, f"{i}.0", size=7)
        self.text((ax0 + ax1) / 2 - 20, y1 - 2, "Epoch number", size=8)
        return Box(x0 + 12, ay0 - 0.4, ax1 + 0.4, y1)

    def table(self, x0: float, y0: float, x1: float, rows: int = 4, size: float = 9, seed: int = 0) -> float:
        """A booktabs table (``seed`` varies its row names); returns its bottom rule's y."""
        columns = [x0 + 2, x0 + (x1 - x0) * 0.45, x0 + (x1 - x0) * 0.75]
        self.hrule(x0, x1, y0)
        for x, head in zip(columns, ("Model", "Acc.", "F1")):
            self.text(x, y0 + 12, head, size, "tibo")
        self.hrule(x0, x1, y0 + 16)
        names = ("model", "baseline", "encoder", "tagger", "parser", "ranker", "oracle", "ensemble")
        for r in range(rows):
            for c, x in enumerate(columns):
                self.text(x, y0 + 28 + r * 13, f"{r}.{c}5" if c else f"{names[(r + seed) % len(names)]}-{r}", size)
        bottom = y0 + 16 + rows * 13 + 4
        self.hrule(x0, x1, bottom)
        return bottom

    def image(self, box: tuple[float, float, float, float], seed: int = 0) -> Box:
        """A raster image filling ``box`` (its pixels have the box's aspect ratio)."""
        width, height = box[2] - box[0], box[3] - box[1]
        pixels = png_bytes(width=max(8, int(width / 2)), height=max(8, int(height / 2)), seed=seed)
        self.page.insert_image(self.rect(box), stream=pixels, rotate=self.turn)
        return Box(*box)


def append_content(page: pymupdf.Page, operators: str) -> None:
    """Raw PDF drawing operators added at the end of the page's content."""
    doc = page.parent
    xref = page.get_contents()[-1]
    doc.update_stream(xref, doc.xref_stream(xref) + b"\n" + operators.encode() + b"\n")


def ink_box(page: pymupdf.Page, around: Box) -> Box:
    """``around`` tightened to the inked pixels of a render, as the hand-made gold is."""
    from scitune_data.figures.render import render_crop

    return render_crop(page, around, dpi=150, margin=0).box


def _truth_of(doc: pymupdf.Document, path: Path, truth: Truth) -> tuple[Path, Truth]:
    """Save, then tighten every truth box to its ink."""
    doc.save(path)
    with pymupdf.open(path) as saved:
        tight = {label: (page, ink_box(saved[page - 1], box.expand(1.0))) for label, (page, box) in truth.items()}
    return path, tight


def side_caption_paper(path: Path) -> tuple[Path, Truth]:
    """BMJ/Nature style: a narrow caption column left of a wide figure, under a header bar
    in the top margin; the figure's first page text starts below the header."""
    doc = pymupdf.open()
    truth: Truth = {}
    for number in (1, 2):
        sheet = Sheet(doc)
        sheet.page.draw_rect(pymupdf.Rect(40, 20, 555, 40), color=None, fill=(0.3, 0.3, 0.3))
        sheet.text(46, 34, "Original article", 9, "hebo")
        sheet.lines(40, 66, [f"Figure {number} Forest plot of the", "age subgroup. (a) Weighted mean",
                             "difference of changes in", "haemoglobin. (b) Ferritin."], 9, "hebo")
        truth[f"Figure {number}"] = (number, sheet.image((200, 58, 555, 330), seed=number))
        sheet.prose((40, 350, 290, 800))
        sheet.prose((305, 350, 555, 800))
    return _truth_of(doc, path, truth)


def stacked_floats_paper(path: Path) -> tuple[Path, Truth]:
    """One column holding a table (caption above) and, under it, a figure (caption below),
    with body text above and below: two regions, not one."""
    doc = pymupdf.open()
    sheet = Sheet(doc)
    sheet.prose((50, 50, 290, 160))
    sheet.text(50, 178, "Table 1: Results on the test set.", 9)
    bottom = sheet.table(60, 184, 280)
    table = Box(60 - 0.3, 184 - 0.3, 280 + 0.3, bottom + 0.3)
    figure = sheet.plot((55, bottom + 14, 285, bottom + 154))
    sheet.text(50, bottom + 168, "Figure 1: Training loss of the model.", 9)
    sheet.prose((50, bottom + 182, 290, 800))
    sheet.prose((305, 50, 545, 800))
    return _truth_of(doc, path, {"Table 1": (1, table), "Figure 1": (1, figure)})


def distractor_paper(path: Path) -> tuple[Path, Truth]:
    """Eight captioned vector plots, each with a body paragraph opening "Figure N shows"
    just above it (or beside it): the paragraphs are not captions."""
    doc = pymupdf.open()
    truth: Truth = {}
    number = 0
    for page_number in (1, 2):
        sheet = Sheet(doc)
        for column, x0 in enumerate((50, 305)):
            for row, y0 in enumerate((50, 420)):
                number += 1
                sheet.page.insert_textbox(pymupdf.Rect(x0, y0, x0 + 240, y0 + 60),
                                          f"Figure {number} shows the training loss falling as the number of "
                                          "epochs grows, which the next section explains in detail.",
                                          fontsize=10, fontname="tiro", align=3)
                truth[f"Figure {number}"] = (page_number, sheet.plot((x0 + 5, y0 + 70, x0 + 235, y0 + 250)))
                sheet.text(x0, y0 + 266, f"Figure {number}: Loss against epochs.", 9)
                sheet.prose((x0, y0 + 280, x0 + 240, y0 + 360))
    return _truth_of(doc, path, truth)


def wrapped_figure_paper(path: Path, spacing: float = 16) -> tuple[Path, Truth]:
    """A figure in a narrow column at the left with a five-line caption ``spacing`` points
    under it; body text runs beside both, then across the page below."""
    doc = pymupdf.open()
    sheet = Sheet(doc)
    sheet.prose((72, 60, 523, 150))
    figure = sheet.plot((80, 166, 260, 330 - spacing + 16))
    sheet.lines(80, 346, ["Figure 1: (a) Resistance as a function", "of the magnetic field, (b) integrated",
                          "intensity of polarized light from the", "central well, (c) spin polarization of",
                          "the electrons measured at 300 K."], 10, "tiit")
    sheet.prose((290, 160, 523, 410))
    sheet.prose((72, 420, 523, 780))
    return _truth_of(doc, path, {"Figure 1": (1, figure)})


def publisher_rules_paper(path: Path) -> tuple[Path, Truth]:
    """A rule across the whole text block above every caption and around tables narrower than
    the text block; a table's footnote after its last row."""
    doc = pymupdf.open()
    sheet = Sheet(doc)
    sheet.prose((60, 60, 535, 150))
    figure = sheet.image((200, 170, 400, 300), seed=4)
    sheet.hrule(60, 535, 308)
    sheet.text(60, 320, "Figure 1", 8, "hebo")
    sheet.text(100, 320, "Interaction energies for all of the amino acids", 8, "hebo")
    sheet.prose((60, 340, 535, 430))
    sheet.hrule(60, 535, 446)
    sheet.text(60, 458, "Table 1", 8, "hebo")
    sheet.text(100, 458, "Inhibitor-binding constants determined for wild-type proteins", 8, "hebo")
    sheet.hrule(60, 535, 464)
    for r, name in enumerate(("Construct", "N-domain", "C-domain", "Y369F")):
        for c, x in enumerate((120, 250, 380)):
            sheet.text(x, 478 + r * 12, name if c == 0 else f"{r * 3 + c}.{r}", 8, "helv")
    sheet.text(120, 534, "*Not determined in the study.", 6, "helv")
    sheet.hrule(60, 535, 540)
    table = Box(120, 478 - 8 * 0.87, 380 + 12, 478 + 3 * 12 + 8 * 0.24)
    sheet.prose((60, 560, 535, 780))
    return _truth_of(doc, path, {"Figure 1": (1, figure), "Table 1": (1, table)})


def clipped_plot_paper(path: Path) -> tuple[Path, Truth]:
    """A vector plot whose line runs through a clip path at its axes, with tick labels and an
    axis title outside the clip."""
    doc = pymupdf.open()
    sheet = Sheet(doc)
    sheet.prose((72, 60, 523, 150))
    figure = sheet.plot((150, 170, 450, 380), clip=True)
    sheet.text(150, 400, "Figure 1: Loss through a clip path.", 9)
    sheet.prose((72, 420, 523, 780))
    return _truth_of(doc, path, {"Figure 1": (1, figure)})


def rotated_page_paper(path: Path) -> tuple[Path, Truth]:
    """A portrait paper with a landscape page (``/Rotate 90``) holding a wide table."""
    doc = pymupdf.open()
    Sheet(doc).prose((72, 72, 523, 770))
    sheet = Sheet(doc, rotation=90)
    sheet.text(60, 60, "Table 2: Overview of themes emerging from the interviews.", 9, "tibo")
    bottom = sheet.table(60, 70, 780, rows=12)
    table = Box(60 - 0.3, 70 - 0.3, 780 + 0.3, bottom + 0.3)
    return _truth_of(doc, path, {"Table 2": (2, table)})


def continued_table_paper(path: Path) -> tuple[Path, Truth]:
    """A long table over two pages, the second caption marked "(Continued)"."""
    doc = pymupdf.open()
    truth: Truth = {}
    for number, caption in ((1, "Table 1: Parameters of every site."), (2, "Table 1: (Continued)")):
        sheet = Sheet(doc)
        sheet.text(60, 60, caption, 9)
        bottom = sheet.table(60, 70, 535, rows=30)
        truth[f"Table 1/{number}"] = (number, Box(60 - 0.3, 70 - 0.3, 535 + 0.3, bottom + 0.3))
        sheet.prose((60, bottom + 30, 535, 800))
    return _truth_of(doc, path, truth)


def scanned_paper(source: Path, path: Path, dpi: int = 150) -> Path:
    """Every page of ``source`` as one bitmap, with the words as an invisible text layer (how
    OCR software writes scans)."""
    with pymupdf.open(source) as original:
        doc = pymupdf.open()
        for page in original:
            scan = doc.new_page(width=page.rect.width, height=page.rect.height)
            scan.insert_image(scan.rect, stream=page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY).tobytes("png"))
            for x0, y0, x1, y1, word, *_ in page.get_text("words"):
                scan.insert_text((x0, y1 - 0.2 * (y1 - y0)), word, fontsize=max(1.0, 0.8 * (y1 - y0)),
                                 render_mode=3)
        doc.save(path)
    return path


def top_tables_paper(path: Path) -> tuple[Path, Truth]:
    """Eight pages with a running head; on two of them a table at the very top (its header
    row inside the top margin band, the same words on both pages) captioned below, a bold
    best result among its cells."""
    doc = pymupdf.open()
    truth: Truth = {}
    for number in range(1, 9):
        sheet = Sheet(doc)
        sheet.text(72, 40, "Journal of Layout Studies 12 (2026)", 8)
        if number in (3, 5):
            table = number // 2
            for x, head in ((90, "Alg."), (180, "Features"), (300, "Score")):
                sheet.text(x, 72, head, 10)
            for r in range(4):
                sheet.text(90, 88 + r * 14, f"run-{r}", 10)
                sheet.text(180, 88 + r * 14, f"{0.7 + r / 50:.3f}", 10)
                sheet.text(300, 88 + r * 14, "0.929 (39%)" if r == 2 else f"{0.6 + r / 40:.3f}", 10,
                           "tibo" if r == 2 else "tiro")
            sheet.hrule(86, 360, 138)
            truth[f"Table {table}"] = (number, Box(86, 62, 360, 139))
            sheet.text(72, 156, f"Table {table}: Scores of every run with the features used.", 10)
            sheet.prose((72, 170, 523, 780))
        else:
            sheet.prose((72, 60, 523, 780))
    return _truth_of(doc, path, truth)


def text_panel_paper(path: Path) -> tuple[Path, Truth]:
    """A full-width figure made of a rule-less table of numbers beside a plot, over one
    caption across both columns (the table is part of the figure)."""
    doc = pymupdf.open()
    sheet = Sheet(doc)
    for r, cells in enumerate((("Experiment", "1", "50", "250"), ("random reads", "1212", "593", "479"),
                               ("random writes", "8850", "3745", "3425"), ("scans", "15385", "10526", "9524"))):
        for c, cell in enumerate(cells):
            sheet.text(80 + (0 if c == 0 else 60 + 40 * c), 90 + r * 12, cell, 9)
    plot = sheet.plot((330, 70, 530, 200))
    truth = Box(80, 80, plot.x1, plot.y1)
    sheet.lines(60, 218, ["Figure 6: Number of values read per second. The table shows the rate per server; "
                          "the graph shows the", "aggregate rate."], 9)
    sheet.prose((60, 240, 290, 780))
    sheet.prose((305, 240, 535, 780))
    return _truth_of(doc, path, {"Figure 6": (1, truth)})


def first_page_figure_paper(path: Path) -> tuple[Path, Truth]:
    """A first page: title and authors across the top, the abstract in a smaller face in the
    left column, a figure at the top of the right column with its caption below."""
    doc = pymupdf.open()
    sheet = Sheet(doc)
    sheet.text(150, 70, "A Toolkit for Scientific Documents", 16, "tibo")
    sheet.text(220, 92, "A. Author and B. Author", 11)
    sheet.text(60, 130, "Abstract", 10, "tibo")
    sheet.page.insert_textbox(pymupdf.Rect(60, 136, 290, 400), "We describe a toolkit for papers. " * 30,
                              fontsize=8.5, fontname="helv", align=3)
    figure = sheet.image((310, 120, 535, 300), seed=7)
    sheet.lines(305, 316, ["Figure 1: The document model and its recipes,", "which turn a PDF into entities."], 9)
    sheet.prose((305, 345, 535, 780))
    sheet.prose((60, 410, 290, 780))
    return _truth_of(doc, path, {"Figure 1": (1, figure)})


def wide_margin_paper(path: Path) -> tuple[Path, Truth]:
    """A journal printed on a large sheet: wide margins, the running head well inside the
    page's top fifth, a figure at the top of the text block under it."""
    doc = pymupdf.open()
    truth: Truth = {}
    for number in range(1, 7):
        sheet = Sheet(doc, size=(612, 792))
        sheet.text(250, 146, f"Approximation Algorithms for Data Placement   {number}", 9, "helv")
        if number == 3:
            truth["Figure 2"] = (3, sheet.plot((200, 160, 420, 330)))
            sheet.text(270, 350, "Fig. 2. Theta = 1.0.", 9)
            sheet.prose((130, 370, 482, 640))
        else:
            sheet.prose((130, 160, 482, 640))
    return _truth_of(doc, path, truth)


def top_plot_paper(path: Path) -> tuple[Path, Truth]:
    """Page numbers at the foot of every page; on page 2 a plot at the very top whose tiny
    tick labels (bare numbers) sit in the top margin band."""
    doc = pymupdf.open()
    truth: Truth = {}
    for number in (1, 2, 3):
        sheet = Sheet(doc, size=(612, 792))
        sheet.text(300, 770, str(number), 9)
        if number == 2:
            shape = sheet.page.new_shape()
            shape.draw_rect(pymupdf.Rect(80, 50, 520, 150))
            shape.finish(color=(0, 0, 0), width=0.5)
            shape.commit()
            for i in range(5):
                sheet.text(70, 55 + i * 24, f"0.{2 * i}", 3)
                sheet.text(80 + i * 108, 156, f"{i}.0", 3)
            truth["Figure 1"] = (2, Box(70, 50, 528, 157))
            sheet.text(72, 172, "Figure 1: Convergence on four datasets.", 9)
            sheet.prose((72, 190, 540, 740))
        else:
            sheet.prose((72, 72, 540, 740))
    return _truth_of(doc, path, truth)


def narrow_caption_paper(path: Path) -> tuple[Path, Truth]:
    """A tall figure in a narrow left column, its caption under it in a smaller face on a
    shaded box that nearly touches the body text beside it (baselines not aligned)."""
    doc = pymupdf.open()
    sheet = Sheet(doc, size=(792, 612))
    figure = sheet.image((30, 70, 180, 430), seed=9)
    sheet.page.draw_rect(pymupdf.Rect(30, 440, 196, 490), color=None, fill=(0.93, 0.93, 0.93))
    sheet.lines(32, 450, ["Figure 2 EEG cap with positions meas-", "ured during the experiment. Nose points ",
                          "upwards. Picture of subject with corre-", "sponding electrode marked."], 7.5, "helv", 1.3)
    sheet.page.insert_textbox(pymupdf.Rect(198, 60, 440, 560), "The reference electrode was placed on the tip "
                              "of the nose, and impedances were kept below ten kilo-ohms. " * 12,
                              fontsize=8.5, fontname="helv", align=3)
    sheet.page.insert_textbox(pymupdf.Rect(470, 60, 712, 560), "Fifteen healthy students took part in the "
                              "experiment, all of them right-handed. " * 14, fontsize=8.5, fontname="helv", align=3)
    return _truth_of(doc, path, {"Figure 2": (1, figure)})


def tight_diagram_paper(path: Path) -> tuple[Path, Truth]:
    """A diagram whose last text label sits just above its caption (no gap), and a table of
    short cells whose header row starts right under the last line of a paragraph."""
    doc = pymupdf.open()
    sheet = Sheet(doc, size=(612, 792))
    shape = sheet.page.new_shape()
    for x, y in ((120, 80), (300, 80), (210, 150)):
        shape.draw_rect(pymupdf.Rect(x, y, x + 90, y + 30))
    shape.draw_line((165, 110), (255, 150))
    shape.draw_line((345, 110), (255, 150))
    shape.finish(color=(0, 0, 0), width=0.8)
    shape.commit()
    for x, y, word in ((140, 98, "Narrow"), (322, 98, "Wide"), (232, 168, "Deep")):
        sheet.text(x, y, word, 10)
    sheet.text(235, 192, "AHMC", 10)
    truth = {"Figure 3": (1, Box(119, 79, 391, 193))}
    sheet.text(72, 203, "Figure 3: Translations between representation systems.", 10, "tibo")
    sheet.prose((72, 222, 540, 420))
    sheet.text(72, 431, "route for the three zone heads.", 10)
    for x, head in ((90, "Orig. ID"), (200, "Zone ID"), (330, "Destination"), (450, "Previous Hop")):
        sheet.text(x, 444, head, 8, "tibo")
        sheet.text(x + 5, 456, "Z0", 8)
    truth["Table 1"] = (1, Box(90, 436, 500, 459))
    sheet.text(180, 474, "Table 1: Reverse route table for the zone heads.", 8)
    sheet.prose((72, 490, 540, 740))
    return _truth_of(doc, path, truth)


def captions_between_tables_paper(path: Path) -> tuple[Path, Truth]:
    """Page 1: three tables captioned above them (the document's habit). Page 2: two tables
    stacked in one column, each captioned *below*: the first caption sits between the two
    tables, nearer the one above it."""
    doc = pymupdf.open()
    truth: Truth = {}
    sheet = Sheet(doc, size=(612, 792))
    for number, top in ((1, 72), (2, 260), (3, 450)):
        sheet.text(72, top, f"Table {number}: Scores of the baseline models.", 9)
        bottom = sheet.table(80, top + 8, 280)
        truth[f"Table {number}"] = (1, Box(80, top + 8, 280, bottom))
    sheet.prose((320, 72, 540, 740))
    sheet = Sheet(doc, size=(612, 792))
    top = sheet.table(80, 72, 280, rows=5)
    truth["Table 4"] = (2, Box(80, 72, 280, top))
    end = sheet.lines(72, top + 14, ["Table 4: Empirical potential per the robust halo. The exact",
                                     "baseline weakly exceeds the dense amplitude for the large halo",
                                     "and the exact observation; the relative detector recovers it."], 9)
    bottom = sheet.table(80, end + 20, 280, rows=4)
    truth["Table 5"] = (2, Box(80, end + 20, 280, bottom))
    sheet.text(72, bottom + 14, "Table 5: Convex protocol for the numerical feature.", 9)
    sheet.prose((72, bottom + 40, 300, 740))
    sheet.prose((320, 72, 540, 740))
    return _truth_of(doc, path, truth)


def plots_atop_pages_paper(path: Path) -> tuple[Path, Truth]:
    """Six pages, each opening with a plot and a table at the same places (tick labels and
    cells recur at the same heights page after page, inside the top fifth of the page),
    page numbers in the running head above them."""
    doc = pymupdf.open()
    truth: Truth = {}
    for number in range(1, 7):
        sheet = Sheet(doc, size=(612, 792))
        sheet.text(520, 40, str(number), 9)
        sheet.text(72, 40, "Spatial Field Estimation", 9, "tiit")
        truth[f"Figure {number}"] = (number, sheet.plot((72, 60, 300, 200)))
        sheet.text(72, 216, f"Figure {number}: Loss of run {number}.", 9)
        top = 60 + 2 * number  # tables differ from page to page; plots of one size do not
        bottom = sheet.table(320, top, 540, rows=8 - number % 2, seed=number)
        truth[f"Table {number}"] = (number, Box(320, top, 540, bottom))
        sheet.text(320, bottom + 14, f"Table {number}: Scores of run {number}.", 9)
        sheet.prose((72, 230, 300, 740))
        sheet.prose((320, 230, 540, 740))
    return _truth_of(doc, path, truth)


def table_under_references_paper(path: Path) -> tuple[Path, Truth]:
    """Tables captioned below them (the habit, page 1), then a table captioned above it
    right under a reference list set small (page 2): the list is not the table."""
    doc = pymupdf.open()
    truth: Truth = {}
    sheet = Sheet(doc, size=(612, 792))
    for number, top in ((1, 72), (2, 300)):
        bottom = sheet.table(80, top, 280)
        truth[f"Table {number}"] = (1, Box(80, top, 280, bottom))
        sheet.text(72, bottom + 14, f"Table {number}: Scores of the baseline models.", 9)
    sheet.prose((320, 72, 540, 740))
    sheet = Sheet(doc, size=(612, 792))
    sheet.prose((72, 72, 540, 300))
    references = [f"[{i}] A. Author, Synthetic estimation of sequences, J. Layout Sci. {10 + i}, {100 + i} (2020)."
                  for i in range(1, 7)]
    end = sheet.lines(72, 320, references, 8)
    sheet.text(72, end + 14, "Table 3: Parameters of every site.", 9)
    bottom = sheet.table(80, end + 22, 280)
    truth["Table 3"] = (2, Box(80, end + 22, 280, bottom))
    return _truth_of(doc, path, truth)


def long_numeric_table_paper(path: Path) -> tuple[Path, Truth]:
    """A long table whose rows are runs of numbers sharing both edges, in the body size,
    beside little prose: its rows are not a text column of the document."""
    doc = pymupdf.open()
    sheet = Sheet(doc, size=(612, 792))
    sheet.prose((72, 60, 540, 140))
    sheet.text(72, 160, "Table 1: Scores of every run.", 10)
    for r in range(30):
        sheet.text(150, 182 + r * 13, f"{10 + r}.5   {20 + r}.25   {30 + r}.125   {r}.0", 10)
    truth = {"Table 1": (1, Box(150, 172, 350, 182 + 29 * 13 + 3))}
    sheet.prose((72, 590, 540, 700))
    return _truth_of(doc, path, truth)


def tick_beside_page_number_paper(path: Path) -> tuple[Path, Truth]:
    """Page numbers at the top right of every page; on page 3 a plot at the top whose
    highest tick label stands at the page number's height, far to its left."""
    doc = pymupdf.open()
    truth: Truth = {}
    for number in range(1, 5):
        sheet = Sheet(doc, size=(612, 792))
        sheet.text(530, 44, str(number), 9)
        if number == 3:
            figure = sheet.plot((72, 36, 300, 170))
            sheet.text(78, 44, "8", 7)
            truth["Figure 1"] = (3, figure.union(Box(78, 38, 82, 45)))
            sheet.text(72, 186, "Figure 1: Loss of the run.", 9)
            sheet.prose((72, 200, 300, 740))
            sheet.prose((320, 60, 540, 740))
        else:
            sheet.prose((72, 60, 540, 740))
    return _truth_of(doc, path, truth)


def minipage_tables_paper(path: Path) -> tuple[Path, Truth]:
    """Two tables side by side in minipages, captions above: the left caption's justified
    paragraph ends in a short line on the baseline of the right table's header row."""
    doc = pymupdf.open()
    sheet = Sheet(doc)
    sheet.prose((72, 60, 523, 300))
    sheet.page.insert_textbox(pymupdf.Rect(72, 321, 280, 360), "Table 2: Convex estimator per the stable amplitude "
                              "of the run, with the same grid as before and the same seeds. All runs.", fontsize=9, fontname="tiro",
                              align=3)
    sheet.text(310, 318, "Table 3: Calibrated observation.", 9)
    left = sheet.table(72, 362, 280, rows=6)
    right = sheet.table(310, 331, 523, rows=4, seed=3)
    truth = {"Table 2": (1, Box(72 - 0.3, 362 - 0.3, 280 + 0.3, left + 0.3)),
             "Table 3": (1, Box(310 - 0.3, 331 - 0.3, 523 + 0.3, right + 0.3))}
    sheet.prose((72, 480, 523, 780))
    return _truth_of(doc, path, truth)


def heading_under_table_paper(path: Path) -> tuple[Path, Truth]:
    """Tables ending a short distance above a heading: numbered in bold (number and title a
    quad apart), unnumbered back matter, headings set in capitals of the body's size and face
    (IEEE's "IV. RESULTS", an "APPENDIX") and a subsection title in italics of the body's size
    after an upright number. The headings are not the tables' notes."""
    doc = pymupdf.open()
    truth: Truth = {}
    headings = (("2", "Background", 12, "tibo"), ("", "Supplementary material", 12, "tibo"),
                ("IV.", "EXPERIMENTS", 10, "tiro"), ("", "APPENDIX", 10, "tiro"),
                ("6.3.", "Example 3: Stellar rotation", 10, "tiit"))
    for number, (number_text, title, size, face) in enumerate(headings, start=1):
        sheet = Sheet(doc)
        sheet.text(150, 60, f"Table {number}: Scores of every run.", 9)
        bottom = sheet.table(150, 70, 440, rows=8, seed=number)
        truth[f"Table {number}"] = (number, Box(150 - 0.3, 70 - 0.3, 440 + 0.3, bottom + 0.3))
        title_x = 100.0
        if number_text:
            number_face = "tiro" if face == "tiit" else face  # an italic title's number stands upright
            sheet.text(100, bottom + 30, number_text, size, number_face)
            title_x += pymupdf.get_text_length(number_text, fontname=number_face, fontsize=size) + size  # a quad
        sheet.text(title_x, bottom + 30, title, size, face)
        sheet.prose((100, bottom + 44, 495, 780))
    return _truth_of(doc, path, truth)


def landscape_text_paper(path: Path) -> tuple[Path, Truth]:
    """Portrait pages of one column, then a landscape page (a wider sheet, as
    ``pdflscape`` under a PDF viewer shows it) with a table and a paragraph of body text
    across the whole page under it: its lines are wider than any portrait column."""
    doc = pymupdf.open()
    for _ in range(8):
        Sheet(doc).prose((72, 72, 523, 770))
    sheet = Sheet(doc, size=(842, 595))
    sheet.text(300, 80, "Table 1: Scores of every run.", 9)
    bottom = sheet.table(300, 90, 540, rows=5)
    paragraph = " ".join((LOREM * 3).split()[:80]) + " as the model shows."  # a short last line
    sheet.page.insert_textbox(pymupdf.Rect(72, bottom + 16, 770, bottom + 100), paragraph, fontsize=10,
                              fontname="tiro", align=3)  # too few lines to count as a column of its own
    return _truth_of(doc, path, {"Table 1": (9, Box(300 - 0.3, 90 - 0.3, 540 + 0.3, bottom + 0.3))})


def page_screenshot_figure_paper(path: Path) -> tuple[Path, Truth]:
    """A figure showing a reduced paper page: its headings in capitals ("ABSTRACT",
    "INTRODUCTION") are the figure's tiny text, not headings that bound the figure."""
    doc = pymupdf.open()
    sheet = Sheet(doc)
    shape = sheet.page.new_shape()
    shape.draw_rect(sheet.rect((150, 70, 445, 300)))
    shape.finish(color=(0, 0, 0), width=0.8)
    shape.commit()
    for top, heading in ((80, "ABSTRACT"), (190, "INTRODUCTION")):
        sheet.text(160, top + 6, heading, 4.5, "hebo")
        sheet.page.insert_textbox(pymupdf.Rect(160, top + 10, 435, top + 90), LOREM, fontsize=4.5, fontname="helv")
    sheet.lines(100, 318, ["Figure 1: A page as the reader shows it, with its sections marked."], 9)
    sheet.prose((100, 340, 495, 780))
    return _truth_of(doc, path, {"Figure 1": (1, Box(150 - 0.4, 70 - 0.4, 445 + 0.4, 300 + 0.4))})



def front_matter_table_paper(path: Path) -> tuple[Path, Truth]:
    """A first page as revtex and elsarticle set it: title, author and an abstract in a
    smaller face across both columns, a table at the top of the right column captioned
    below, the left column's prose starting beside the table. The front matter is not the
    table's, although nothing stands between them in the right column."""
    doc = pymupdf.open()
    sheet = Sheet(doc, size=(612, 792))
    sheet.text(190, 62, "Stable Estimation for Statistical Meshes", 12, "tibo")
    sheet.text(280, 84, "A. Author", 10)
    words = (LOREM * 3).split()
    sheet.lines(110, 117, [" ".join(words[i:i + 15]) for i in range(0, 60, 15)], 9)  # the abstract
    sheet.text(130, 178, "I. INTRODUCTION", 9)
    bottom = sheet.table(345, 172, 535, rows=5)
    sheet.lines(350, bottom + 14, ["TABLE I: Scores of every run for the", "approximate dataset."], 9)
    sheet.prose((54, 190, 297, 740))
    sheet.prose((317, bottom + 40, 560, 740))
    return _truth_of(doc, path, {"Table I": (1, Box(345 - 0.3, 172 - 0.3, 535 + 0.3, bottom + 0.3))})


def centred(sheet: Sheet, axis: float, y: float, lines: list[str], size: float = 10) -> float:
    """Lines centred on ``axis`` from baseline ``y`` down; returns the baseline after the last."""
    for line in lines:
        sheet.text(axis - pymupdf.get_text_length(line, fontname="tiro", fontsize=size) / 2, y, line, size)
        y += size * 1.15
    return y


MINIPAGE_CAPTIONS = (
    ["Figure 1: In contrast, the", "physical flux clearly", "follows the observed", "amplitude for the stable",
     "the deterministic", "boundary and the stable", "solver."],
    ["Figure 2: The temporal", "response significantly", "estimates the observed", "the local variance controls",
     "the deterministic", "parameter."],
)


def centred_minipage_captions_paper(path: Path) -> tuple[Path, Truth]:
    """Two plots side by side in minipages, each over a caption centred in its narrow
    minipage and set in the body's face: a short line in the middle of such a caption (the
    next word did not fit) does not end it."""
    doc = pymupdf.open()
    sheet = Sheet(doc, size=(612, 792))
    truth: Truth = {}
    for number, (x0, lines) in enumerate(zip((120, 330), MINIPAGE_CAPTIONS), start=1):
        truth[f"Figure {number}"] = (1, sheet.plot((x0, 80, x0 + 150, 200)))
        centred(sheet, x0 + 75, 222, lines)
    sheet.prose((72, 330, 540, 740))
    return _truth_of(doc, path, truth)


def justified(sheet: Sheet, x0: float, x1: float, y: float, lines: list[str], size: float = 10) -> float:
    """Lines justified between ``x0`` and ``x1`` by stretching the spaces (the last line set
    ragged), from baseline ``y`` down; returns the baseline after the last."""
    for number, line in enumerate(lines):
        words = line.split()
        widths = [pymupdf.get_text_length(word, fontname="tiro", fontsize=size) for word in words]
        last = number == len(lines) - 1 or len(words) == 1
        space = size * 0.25 if last else (x1 - x0 - sum(widths)) / (len(words) - 1)
        x = x0
        for word, width in zip(words, widths):
            sheet.text(x, y, word, size)
            x += width + space
        y += size * 1.2
    return y


STRETCHED_CAPTION = ["Fig. 2. The de-", "terministic resolver", "significantly de-", "grades the normalised",
                     "baseline when the", "calibrated baseline", "increases the system-", "atic temperature.",
                     "The noisy phase clearly", "captures the smooth", "scheduler for the", "spatial residual."]


def stretched_caption_paper(path: Path) -> tuple[Path, Truth]:
    """A figure in a narrow minipage over a justified caption whose spaces stretch wider than
    a column gap where only two words fit a line ("significantly      de-")."""
    doc = pymupdf.open()
    sheet = Sheet(doc, size=(612, 792))
    plot = sheet.plot((340, 80, 460, 180))
    justified(sheet, 352, 448, 200, STRETCHED_CAPTION)
    sheet.prose((72, 380, 540, 740))
    return _truth_of(doc, path, {"Figure 2": (1, plot)})


def alternating_heads_paper(path: Path) -> tuple[Path, Truth]:
    """Four pages with running heads that alternate as MNRAS sets them: the page number and
    the authors on even pages, the title and the page number on odd ones after the first
    (so the title's head appears once), and a wide plot just under the title's head, a tick
    label at its top reading the page's number."""
    doc = pymupdf.open()
    truth: Truth = {}
    for number in range(1, 5):
        sheet = Sheet(doc, size=(612, 792))
        if number % 2 == 0:
            sheet.text(50, 40, f"{number}", 9)
            sheet.text(70, 40, "A. Author and B. Author", 9)
        elif number > 1:
            sheet.text(330, 40, "Stable Estimation for Statistical Meshes", 9)
            sheet.text(550, 40, f"{number}", 9)
        top = 60
        if number == 3:
            truth["Figure 1"] = (3, sheet.plot((150, 52, 440, 170)).union(Box(150, 50, 160, 58)))
            sheet.text(150, 57, "3", 7)  # a tick label with the page's number, under no page number
            sheet.lines(50, 186, ["Figure 1. Scores of every run against the epoch, for the two datasets "
                                  "and the three models."], 9)
            top = 200
        sheet.prose((50, top, 296, 740))
        sheet.prose((316, top, 562, 740))
    return _truth_of(doc, path, truth)


def left_caption_wide_figure_paper(path: Path) -> tuple[Path, Truth]:
    """A figure across both columns at the top of the page (``figure*``), four panels with
    their own (a)-(d) labels, over a short caption set to the left as IEEE sets it, so the
    caption lies in the left column only; both columns' text starts under it. A figure in
    one column with a short left caption, the other column's prose beside it, stays in its
    column."""
    doc = pymupdf.open()
    sheet = Sheet(doc, size=(612, 792))
    for letter, x0 in zip("abcd", (50, 178, 316, 444)):
        sheet.plot((x0, 60, x0 + 120, 160))
        sheet.text(x0 + 40, 174, f"({letter}) Run {letter}", 8)
    sheet.text(50, 192, "Fig. 3. Loss of every run against the epoch.", 8)
    sheet.prose((50, 206, 296, 740))
    sheet.prose((316, 206, 562, 420))
    narrow = sheet.plot((330, 440, 540, 560))
    sheet.text(316, 576, "Fig. 4. Loss of the best run.", 8)
    sheet.prose((316, 590, 562, 740))
    return _truth_of(doc, path, {"Figure 3": (1, Box(50, 55, 566, 178)), "Figure 4": (1, narrow)})


def labelled_grid_figure_paper(path: Path) -> tuple[Path, Truth]:
    """A figure drawn as a grid of numbered nodes and labelled edges in a large face ("1 E2 2
    E4 3"): a row that opens with a number and is larger than the body is no section heading
    when its title is codes, not words."""
    doc = pymupdf.open()
    sheet = Sheet(doc, size=(612, 792))
    sheet.prose((54, 60, 298, 400))
    for row, (y, text) in enumerate(((440, "1   E2   2   E4   3"), (470, "E1        E3        E5"),
                                     (500, "4   E7   5   E9   6"), (530, "E6        E8        E10"))):
        sheet.text(80, y, text, 13, "helv")
    shape = sheet.page.new_shape()
    for x in (76, 126, 176, 226):
        shape.draw_line(sheet.point(x, 420), sheet.point(x, 540))
    shape.finish(color=(0.6, 0.6, 0.6), width=0.8)
    shape.commit()
    sheet.lines(54, 560, ["Figure 2: Examples of connectivity graphs for some common", "architectures."], 10)
    sheet.prose((54, 590, 298, 740))
    sheet.prose((316, 60, 560, 740))
    return _truth_of(doc, path, {"Figure 2": (1, Box(75, 418, 230, 542))})


STRETCHED_LABEL_CAPTION = ["Table 3. Noisy", "galaxy for the nor-", "malised pulsar."]


def stretched_label_paper(path: Path) -> tuple[Path, Truth]:
    """Two tables side by side in minipages, captioned above; the right one's caption is
    justified in its narrow minipage, its first line stretched so wide that the label word
    stands apart from its number ("Table      3.      Noisy"). Below, a table of scores per
    class whose row names are "Figure" and "Table": a row name beside its cells is no label."""
    doc = pymupdf.open()
    sheet = Sheet(doc, size=(612, 792))
    sheet.text(110, 92, "Table 2: Scores of every run.", 9)
    left = sheet.table(110, 100, 290, rows=6)
    justified(sheet, 340, 460, 92, STRETCHED_LABEL_CAPTION, 9)
    right = sheet.table(320, 124, 480, rows=4, seed=3)
    sheet.prose((72, 260, 540, 500))
    for row, (name, scores) in enumerate((("Figure", "88.9   82.3   85.4"), ("Table", "97.3   58.6   73.2"),
                                          ("Title", "95.1   94.9   95.5"))):
        sheet.text(150, 532 + row * 13, name, 9)
        sheet.text(205, 532 + row * 13, scores, 9)
    sheet.hrule(146, 460, 520)
    sheet.hrule(146, 460, 562)
    sheet.text(150, 580, "Table 4: Scores per class of region.", 9)
    sheet.prose((72, 600, 540, 740))
    return _truth_of(doc, path, {"Table 2": (1, Box(110 - 0.3, 100 - 0.3, 290 + 0.3, left + 0.3)),
                                 "Table 3": (1, Box(320 - 0.3, 124 - 0.3, 480 + 0.3, right + 0.3)),
                                 "Table 4": (1, Box(146 - 0.3, 520 - 0.3, 460 + 0.3, 562 + 0.3))})
