"""Gold induced from the TeX run (benchmarks/typeset): every float layout the hook must follow, with
ink of known size, printed captions, rotated floats and pages, and a layout the hook must not change.

Runs whenever pdflatex is on PATH (CI installs TeX Live through scripts/system-deps.sh)."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pymupdf
import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks" / "typeset"))

from induce import induce  # noqa: E402
from texrun import compile_paper  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("pdflatex") is None,
                                reason="pdflatex is not on PATH (TeX Live: scripts/system-deps.sh)")
BP = 72 / 72.27  # TeX points to PDF points

LAYOUTS = r"""
\documentclass{article}
\usepackage[margin=1in]{geometry}
\usepackage{graphicx,subcaption,wrapfig,rotating,pdflscape,longtable}
\providecommand\typesetgoldtag[1]{}
\newcommand\filler{Body text that fills the page around the floats, the way a paper does. }
\newcommand\para{\filler\filler\filler\filler\filler\filler\filler\filler\par}
\begin{document}
\para\para
\begin{figure}[h]\centering\typesetgoldtag{known}\rule{144pt}{72pt}
\caption{A black box of known size.}\end{figure}
\para
\begin{table}[h]\centering\caption{A table with its caption above.}
\begin{tabular}{lr}\hline Alpha & 1.5\\ Beta & 2.25\\\hline\end{tabular}\end{table}
\para
\begin{figure}[h]\begin{minipage}[t]{0.45\linewidth}\centering\rule{100pt}{50pt}\caption{Left of two.}
\end{minipage}\hfill\begin{minipage}[t]{0.45\linewidth}\centering\rule{80pt}{60pt}\caption{Right of two.}
\end{minipage}\end{figure}
\para
\begin{figure}[h]\centering
\begin{subfigure}{0.4\linewidth}\centering\rule{90pt}{40pt}\caption{left panel}\end{subfigure}
\begin{subfigure}{0.4\linewidth}\centering\rule{90pt}{40pt}\caption{right panel}\end{subfigure}
\caption{Two panels under one caption.}\end{figure}
\begin{wrapfigure}{r}{0.4\textwidth}\centering\rule{100pt}{60pt}\caption{A wrapped figure with a caption
that runs over several narrow lines of its column.}\end{wrapfigure}
\para\para
\begin{sidewaysfigure}\centering\rule{300pt}{100pt}\caption{A sideways figure.}\end{sidewaysfigure}
\para
\begin{landscape}\begin{table}\centering\caption{On a landscape page.}
\begin{tabular}{lll}\hline One & Two & Three\\\hline\end{tabular}\end{table}\para\end{landscape}
\begin{longtable}{lr}\caption{A long table.}\\\hline\endfirsthead
\caption[]{(continued)}\\\hline\endhead
""" + "\n".join(f"Row {i} & {i * 1.5}\\\\" for i in range(70)) + r"""
\end{longtable}
\para
\end{document}
"""

WIDE = r"""
\documentclass[twocolumn]{article}
\begin{document}
Text before. \begin{figure*}[t]\centering\rule{400pt}{80pt}\caption{Across both columns.}\end{figure*}
\newcommand\filler{Body text of the two columns that fills the page. }
\filler\filler\filler\filler\filler\filler\filler\filler\filler\filler
\end{document}
"""


def compiled(folder: Path, source: str, record: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.tex").write_text(source)
    return compile_paper(folder, "main.tex", record=record)


@pytest.fixture(scope="module")
def layouts(tmp_path_factory) -> tuple[Path, dict]:
    pdf = compiled(tmp_path_factory.mktemp("layouts"), LAYOUTS)
    return pdf, induce(pdf, pdf.with_suffix(".tgold"))


def by_caption(gold: dict, start: str) -> list[dict]:
    return [f for f in gold["figures"] if f["caption"].startswith(start)]


def size(box: list[float]) -> tuple[float, float]:
    return box[2] - box[0], box[3] - box[1]


def test_every_caption_once_with_its_printed_text(layouts):
    _, gold = layouts
    captions = [(f["label"], f["caption"]) for f in gold["figures"]]
    assert ("Figure 1", "Figure 1: A black box of known size.") in captions
    assert ("Table 1", "Table 1: A table with its caption above.") in captions
    assert ("Figure 5", "Figure 5: A wrapped figure with a caption that runs over several narrow lines of its "
                        "column.") in captions
    labels = [label for label, _ in captions]
    assert labels.count("Table 3") == 2, "one longtable item per page"
    assert len(labels) == 10  # 6 figures (two minipages), landscape table, table, longtable on two pages
    assert not any("panel" in c and c.startswith("(") for _, c in captions), "sub-captions are not items"


def test_boxes_are_the_ink_without_the_caption(layouts):
    _, gold = layouts
    box = by_caption(gold, "Figure 1:")[0]
    assert size(box["bbox"]) == pytest.approx((144 * BP, 72 * BP), abs=0.5)
    assert box["caption_bbox"][1] > box["bbox"][3], "caption below the figure, outside its box"
    left, right = by_caption(gold, "Figure 2:")[0], by_caption(gold, "Figure 3:")[0]
    assert size(left["bbox"]) == pytest.approx((100 * BP, 50 * BP), abs=0.5)
    assert size(right["bbox"]) == pytest.approx((80 * BP, 60 * BP), abs=0.5)
    table = by_caption(gold, "Table 1:")[0]
    assert table["bbox"][1] > table["caption_bbox"][3] and "caption-above" in table["features"]
    wrapped = by_caption(gold, "Figure 5:")[0]
    assert size(wrapped["bbox"]) == pytest.approx((100 * BP, 60 * BP), abs=0.5)
    assert "known" in box["features"] and "env:wrapfigure" in wrapped["features"]


def test_panels_and_their_subcaptions_share_one_box(layouts):
    pdf, gold = layouts
    panels = by_caption(gold, "Figure 4:")[0]
    width, height = size(panels["bbox"])
    assert width > 2 * 90 * BP and height > 40 * BP + 5, "both panels and the (a)/(b) lines"
    with pymupdf.open(pdf) as doc:
        words = doc[panels["page"] - 1].get_text("words", clip=pymupdf.Rect(panels["bbox"]))
    assert {"(a)", "(b)", "panel"} <= {w[4] for w in words}


def test_rotated_floats_and_pages_in_displayed_space(layouts):
    pdf, gold = layouts
    sideways = by_caption(gold, "Figure 6:")[0]
    assert size(sideways["bbox"]) == pytest.approx((100 * BP, 300 * BP), abs=0.5), "turned by 90 degrees"
    assert "sideways" in sideways["features"]
    landscape = by_caption(gold, "Table 2:")[0]
    with pymupdf.open(pdf) as doc:
        page = doc[landscape["page"] - 1]
        assert page.rotation == 90 and page.rect.width > page.rect.height
        assert pymupdf.Rect(landscape["bbox"]) in page.rect
        text_space = (pymupdf.Rect(landscape["bbox"]) + (-1, -1, 1, 1)) * page.derotation_matrix  # unrotated
        assert "One Two Three" in " ".join(page.get_text("text", clip=text_space).split())
    assert landscape["bbox"][1] > landscape["caption_bbox"][3]


def test_the_hook_leaves_the_layout_unchanged(layouts, tmp_path):
    pdf, _ = layouts
    plain = compiled(tmp_path / "plain", LAYOUTS, record=False)
    with pymupdf.open(pdf) as recorded, pymupdf.open(plain) as unrecorded:
        assert recorded.page_count == unrecorded.page_count
        for a, b in zip(recorded, unrecorded):
            assert a.get_text("words") == b.get_text("words")  # every word where it was, to the last bit
            assert a.get_pixmap(dpi=40).samples == b.get_pixmap(dpi=40).samples


def test_figure_across_two_columns(tmp_path):
    pdf = compiled(tmp_path, WIDE)
    (item,) = induce(pdf, pdf.with_suffix(".tgold"))["figures"]
    assert size(item["bbox"]) == pytest.approx((400 * BP, 80 * BP), abs=0.5)
    assert item["caption"] == "Figure 1: Across both columns." and "env:figure*" in item["features"]


def test_generated_paper_is_seeded_and_every_caption_is_induced(tmp_path):
    from synthetic.paper import compose, write

    write(compose(1, seed=7), tmp_path / "a")  # a two-column class
    write(compose(1, seed=7), tmp_path / "b")
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "b").iterdir()) and len(files) > 2
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    assert json.loads((tmp_path / "a" / "paper.json").read_text())["doc_class"] == "article-2col"
    source = (tmp_path / "a" / "main.tex").read_text()
    pdf = compile_paper(tmp_path / "a", "main.tex")
    gold = induce(pdf, pdf.with_suffix(".tgold"))
    sub_captions = len(re.findall(r"\\begin\{subfigure\}", source))
    assert len(gold["figures"]) == source.count("\\caption{") - sub_captions
    assert all(f["caption"].startswith(f["label"]) for f in gold["figures"])
