"""OCR engines on rendered text, and the auto plan: text layer first, an engine for the rest."""

from __future__ import annotations

import pymupdf
import pytest

from scitune_data.figures.extract import extract_document
from scitune_data.ocr import load_engine
from scitune_data.ocr.base import WordBox, reading_order
from scitune_data.pipeline.signals import OcrPlan, figure_signals
from tests.pdf_factory import paper_with_text_raster, text_png

WORDS = ["Accuracy", "Validation", "Epochs"]


def test_reading_order_is_lines_then_left_to_right():
    boxes = [WordBox("world", 60, 10, 100, 20), WordBox("second", 5, 40, 50, 52),
             WordBox("hello", 5, 11, 50, 21), WordBox("line", 55, 41, 90, 51)]
    assert reading_order(boxes) == ["hello", "world", "second", "line"]


def test_rapidocr_reads_words_and_a_rotated_axis_title():
    tokens = load_engine("rapidocr").read([text_png(WORDS, vertical="Loss")])[0]
    assert [t for t in tokens if t in WORDS] == WORDS  # all found, in reading order
    assert "Loss" in tokens


def test_tesseract_reads_words():
    tokens = load_engine("tesseract").read([text_png(WORDS)])[0]
    assert set(WORDS) <= set(tokens)


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="unknown OCR engine"):
        load_engine("nonsense")


@pytest.fixture(scope="module")
def paper(tmp_path_factory):
    path = paper_with_text_raster(tmp_path_factory.mktemp("ocr") / "paper.pdf", WORDS)
    with pymupdf.open(path) as doc:
        return extract_document(doc)


def test_auto_reads_the_text_layer_and_ocrs_the_raster(paper):
    signals = {f.label: s for f, s in zip(paper.figures, figure_signals(paper, OcrPlan("auto"))[0])}
    raster, vector = signals["Figure 1"], signals["Figure 2"]
    assert raster.ocr_source == "rapidocr" and set(WORDS) <= set(raster.ocr)
    assert vector.ocr_source == "pdf-text" and {"loss", "0", "5", "10"} <= set(vector.ocr)


def test_pdf_text_and_none_never_run_an_engine(paper):
    text_only = {f.label: s for f, s in zip(paper.figures, figure_signals(paper, OcrPlan("pdf-text"))[0])}
    assert text_only["Figure 1"].ocr == [] and text_only["Figure 1"].ocr_source == ""
    assert text_only["Figure 2"].ocr_source == "pdf-text"
    nothing = figure_signals(paper, OcrPlan("none"))[0]
    assert all(s.ocr == [] for s in nothing)


def test_mentions_and_caption_variants_reach_the_signals(paper):
    signals = {f.label: s for f, s in zip(paper.figures, figure_signals(paper, OcrPlan("pdf-text"))[0])}
    assert signals["Figure 1"].mention_sentences == ["As Figure 1 shows, and as Fig. 2 confirms, the loss falls quickly."]
    assert signals["Figure 2"].mentions == signals["Figure 1"].mentions
    assert signals["Figure 2"].caption_no_index == "the loss of a vector plot ."
