from __future__ import annotations

import pymupdf
import pytest

from scitune_data.figures.captions import find_captions, join_rows, parse_label
from scitune_data.figures.rows import build_rows
from scitune_data.pdf.reader import read_page


@pytest.mark.parametrize(
    ("text", "kind", "name", "delimiter", "alone"),
    [
        ("Figure 1: A plot of loss.", "figure", "Figure 1", ":", False),
        ("Fig. 12. Results on the test set.", "figure", "Figure 12", ".", False),
        ("FIG. 3. Phase diagram", "figure", "Figure 3", ".", False),
        ("Table 2", "table", "Table 2", "", True),
        ("TABLE IV | Ablations", "table", "Table IV", "|", False),
        ("Tab. 5: Timing", "table", "Table 5", ":", False),
        ("Supplementary Figure S1: Extra panels", "figure", "Supplementary Figure S1", ":", False),
        ("Figure A.2 — Appendix plot", "figure", "Figure A.2", "\u2014", False),
    ],
)
def test_parse_label_accepts_caption_forms(text, kind, name, delimiter, alone):
    label = parse_label(text)
    assert label is not None
    assert (label.kind, label.name, label.delimiter, label.alone) == (kind, name, delimiter, alone)


@pytest.mark.parametrize("text", ["Figures 2 and 3 show the trend", "Figure 3a shows", "figure 1: lower case",
                                  "Tables are useful", "The Figure 1: caption"])
def test_parse_label_rejects_non_labels(text):
    assert parse_label(text) is None


def test_figure_id_is_compact():
    assert parse_label("Supplementary Figure S1: x").figure_id == "SuppFigureS1"
    assert parse_label("Table 2: x").figure_id == "Table2"


def _captions_on(page: pymupdf.Page):
    layout = read_page(page)
    return find_captions(build_rows(layout.lines), layout.number, 0, body_size=10.0)


def test_body_sentence_starting_with_a_label_is_not_a_caption():
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_textbox(pymupdf.Rect(72, 72, 300, 200),
                        "Figure 3 shows the loss falling as training goes on, which we discuss "
                        "at length below.", fontsize=10, fontname="tiro")
    assert _captions_on(page) == []


def test_multi_line_caption_is_joined_with_hyphens_closed_up():
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Figure 4: A caption that runs over two lines, with a hyphen-", fontsize=9)
    page.insert_text((72, 111), "ated word and an ending.", fontsize=9)
    page.insert_text((72, 160), "Body text that follows after a clear gap.", fontsize=10)
    (caption,) = _captions_on(page)
    assert caption.text == ("Figure 4: A caption that runs over two lines, with a hyphen-"
                            "ated word and an ending.")
    assert caption.text_without_label.startswith("A caption that runs")
    assert len(caption.rows) == 2


def test_label_alone_on_its_row_takes_the_title_below():
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Table 2", fontsize=8)
    page.insert_text((72, 110), "Significance of the rainfall and time terms", fontsize=8)
    (caption,) = _captions_on(page)
    assert caption.text == "Table 2 Significance of the rainfall and time terms"
    assert caption.kind == "table"


def test_join_rows_on_empty_list():
    assert join_rows([]) == ""
