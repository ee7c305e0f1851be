from __future__ import annotations

import pymupdf
import pytest

from scitune_data.figures.caption_extent import join_rows
from scitune_data.figures.caption_labels import parse_label
from scitune_data.figures.captions import find_captions
from scitune_data.figures.page_model import document_style
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
    rows = build_rows(layout.lines)
    return find_captions(rows, layout.number, 0, document_style(rows).body, layout.graphics)


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


@pytest.mark.parametrize(
    ("text", "kind", "name"),
    [
        ("Figure. 1: (a) Resistance as a function of field", "figure", "Figure 1"),
        ("Scheme 1 Synthetic route to compound 3", "figure", "Scheme 1"),
        ("Scheme S1. Synthetic protocol", "figure", "Scheme S1"),
        ("Appendix Table 1: Extra results", "table", "Appendix Table 1"),
        ("Extended Data Fig. 2 | Controls", "figure", "Extended Data Figure 2"),
        ("FIGURE 4 Cross-section of the device", "figure", "Figure 4"),
        ("F IGURE 4. Cross-section of the device", "figure", "Figure 4"),
        ("T ABLE II: Parameters", "table", "Table II"),
        ("Table. Baseline characteristics of the cohort", "table", "Table"),
    ],
)
def test_parse_label_accepts_publisher_label_shapes(text, kind, name):
    label = parse_label(text)
    assert label is not None and (label.kind, label.name) == (kind, name)


@pytest.mark.parametrize("text", ["Table of contents", "Figures", "Scheme of work follows", "Fig 3a shows"])
def test_parse_label_rejects_words_without_a_number_or_delimiter(text):
    assert parse_label(text) is None


def _page_with_body() -> tuple[pymupdf.Document, pymupdf.Page]:
    """A page whose body prose (Times 10 pt) outweighs whatever a test adds."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_textbox(pymupdf.Rect(72, 400, 540, 760), "Body prose of the paper goes on and on. " * 60,
                        fontsize=10, fontname="tiro")
    return doc, page


def test_caption_in_its_own_font_needs_no_delimiter():
    """Publisher styles set "Table 1 Title" in a bold face the body never uses; the same words
    in the body face are a sentence."""
    doc, page = _page_with_body()
    page.insert_text((72, 100), "Table 1 Patient-provider relationship during consultation", fontsize=10,
                     fontname="tibo")
    page.insert_text((72, 250), "Table 2 summarises the relationship during consultation", fontsize=10,
                     fontname="tiro")
    (caption,) = _captions_on(page)
    assert caption.label.name == "Table 1" and caption.cues.own_font


def test_label_followed_by_a_wide_gap_is_set_apart():
    doc, page = _page_with_body()
    page.insert_text((72, 100), "Figure 2", fontsize=10, fontname="tiro")
    page.insert_text((125, 100), "Fragment with complementary interactions", fontsize=10, fontname="tiro")
    (caption,) = _captions_on(page)
    assert caption.cues.spaced and caption.text == "Figure 2 Fragment with complementary interactions"


def test_title_and_legend_paragraph_make_one_caption():
    """A bold or italic title line, then a legend paragraph in a smaller face: one caption."""
    doc, page = _page_with_body()
    page.insert_text((150, 100), "Figure 5. A Tuple after Domain", fontsize=9, fontname="tiit")
    page.insert_text((140, 111), "Class Recognizers Have Been Applied.", fontsize=9, fontname="tiit")
    page.insert_text((72, 126), "The first step in domain adaptation is to identify domain classes", fontsize=8,
                     fontname="helv")
    page.insert_text((72, 136), "in a sentence; this becomes input to learning the rules.", fontsize=8,
                     fontname="helv")
    (caption,) = _captions_on(page)
    assert caption.text == ("Figure 5. A Tuple after Domain Class Recognizers Have Been Applied. The first step "
                            "in domain adaptation is to identify domain classes in a sentence; this becomes "
                            "input to learning the rules.")


def test_caption_above_a_table_stops_at_the_header_cells():
    doc, page = _page_with_body()
    page.insert_text((72, 100), "Table 3 Coefficient of efficiency", fontsize=9, fontname="tibo")
    for x, head in ((72, "Site"), (200, "Area"), (320, "Rain")):
        page.insert_text((x, 112), head, fontsize=9, fontname="tibo")
        page.insert_text((x, 124), "12.5", fontsize=9, fontname="tiro")
    (caption,) = _captions_on(page)
    assert caption.text == "Table 3 Coefficient of efficiency"


def test_footnote_under_a_caption_is_not_its_legend():
    doc, page = _page_with_body()
    page.insert_text((72, 100), "Table 1: A comparison of corpora.", fontsize=9, fontname="tiro")
    page.insert_text((72, 114), "*An update to this work is released concurrently.", fontsize=8, fontname="tiro")
    (caption,) = _captions_on(page)
    assert caption.text == "Table 1: A comparison of corpora."


def test_centred_caption_lines_read_on():
    doc, page = _page_with_body()
    page.insert_text((160, 100), "Figure 1. A Tuple from", fontsize=9, fontname="tiit")
    page.insert_text((130, 111), "Figure 1 after Recognizers Ran.", fontsize=9, fontname="tiit")
    (caption,) = _captions_on(page)
    assert caption.text == "Figure 1. A Tuple from Figure 1 after Recognizers Ran."


def test_ieee_title_set_beside_its_label_across_a_wide_gap():
    doc, page = _page_with_body()
    page.insert_text((320, 100), "TABLE I.", fontsize=7.5, fontname="helv")
    page.insert_text((372, 100), "SIMULATION PARAMETERS", fontsize=7.5, fontname="tiro")
    (caption,) = _captions_on(page)
    assert caption.text == "TABLE I. SIMULATION PARAMETERS" and caption.label.alone


def test_justified_caption_line_with_stretched_spaces_reads_on():
    """A justified line stretched around inline maths: a word gap of 1.7 em is still one line."""
    doc, page = _page_with_body()
    length = lambda text: pymupdf.get_text_length(text, fontsize=9)  # noqa: E731
    second = "case shown in the graphical model has k = 2."
    right = 72 + length(second) + 1.7 * 9 + length("Corpus")  # the column's right edge
    page.insert_text((72, 100), "Figure 2: Graphical model employed by the tagger.", fontsize=9)
    page.insert_text((right - length("The"), 100), "The", fontsize=9)
    page.insert_text((72, 111), second, fontsize=9)
    page.insert_text((right - length("Corpus"), 111), "Corpus", fontsize=9)
    page.insert_text((72, 122), "pre-processing results follow.", fontsize=9)
    (caption,) = _captions_on(page)
    assert caption.text.endswith("has k = 2. Corpus pre-processing results follow.")


def test_caption_right_under_a_tables_last_row_opens_a_paragraph():
    """IEEE sets "TABLE II" close under the table's last row: a row of cells above is not
    the line before it."""
    doc, page = _page_with_body()
    for x, cell in ((150, "ensemble-6"), (215, "53.202"), (262, "50.1")):
        page.insert_text((x, 100), cell, fontsize=8, fontname="tiro")
    page.insert_text((205, 109), "TABLE II", fontsize=8, fontname="tiro")
    page.insert_text((140, 118), "DENSE ENSEMBLE PER THE PHYSICAL VELOCITY.", fontsize=6.5, fontname="tiro")
    (caption,) = _captions_on(page)
    assert caption.text == "TABLE II DENSE ENSEMBLE PER THE PHYSICAL VELOCITY."


def test_centred_caption_in_the_body_face_reads_on_over_wider_lines():
    """APS (revtex) centres every line of a caption set in the body face: a short first line
    goes on over wider lines at the paragraph's leading; body text after the float's
    spacing is not the caption's."""
    doc, page = _page_with_body()
    for y, x, line in ((100, 110, "FIG. 2: Empirical signal versus the noisy"),
                       (111.5, 80, "treatment. The relative protocol slightly dominates the"),
                       (123, 90, "noisy galaxy while the estimator roughly increases.")):
        page.insert_text((x, y), line, fontsize=10, fontname="tiro")
    page.insert_textbox(pymupdf.Rect(72, 140, 540, 200), "Body prose of the paper goes on and on. " * 10,
                        fontsize=10, fontname="tiro")
    (caption,) = _captions_on(page)
    assert caption.text.endswith("the estimator roughly increases.")


def test_body_text_close_under_a_centred_caption_is_not_its_continuation():
    """A one-line centred caption with the body's wider lines half a line below it (a float's
    spacing squeezed), in the body face: the caption ends on its line."""
    doc, page = _page_with_body()
    page.insert_text((120, 100), "Figure 1: RMC of Examples 2, 4, and 5", fontsize=10, fontname="tiro")
    page.insert_textbox(pymupdf.Rect(72, 108.8, 540, 200), "Body prose of the paper goes on and on. " * 10,
                        fontsize=10, fontname="tiro")
    (caption,) = _captions_on(page)
    assert caption.text == "Figure 1: RMC of Examples 2, 4, and 5"
