"""Extraction on PDFs written by the tests, where every region's true box is known."""

from __future__ import annotations

import pymupdf
import pytest

from scitune_data.figures.extract import extract_document
from scitune_data.geometry import Box
from tests.pdf_factory import layout_variety_paper, two_column_paper


def iou(a: Box, b: Box) -> float:
    inter = a.intersection(b)
    return inter.area / (a.area + b.area - inter.area) if inter else 0.0


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    path = two_column_paper(tmp_path_factory.mktemp("synthetic") / "paper.pdf")
    with pymupdf.open(path) as doc:
        truth = {
            "Figure 1": Box(*doc[0].get_image_info()[0]["bbox"]),
        }
        result = extract_document(doc)
    return {f.label: f for f in result.figures}, truth


def test_finds_every_caption_and_no_body_sentence(figures):
    found, _ = figures
    assert sorted(found) == ["Figure 1", "Figure 2", "Table 1"]
    assert found["Table 1"].kind == "table" and found["Figure 1"].kind == "figure"


def test_raster_region_matches_the_image(figures):
    found, truth = figures
    assert iou(found["Figure 1"].bbox, truth["Figure 1"]) > 0.95
    assert found["Figure 1"].is_vector is False


def test_subfigures_under_one_caption_form_one_region(figures):
    found, _ = figures
    figure = found["Figure 2"]
    assert figure.is_vector
    assert figure.bbox.x0 < 345 and figure.bbox.x1 > 535  # both panels
    assert figure.bbox.y1 > 170  # the (a)/(b) labels belong to the figure
    assert figure.bbox.y1 < 182  # the caption does not


def test_table_below_its_caption_stops_before_body_text(figures):
    found, _ = figures
    table = found["Table 1"]
    assert table.page == 2
    assert table.bbox.y0 >= 100 and abs(table.bbox.y1 - 176.5) < 2
    assert abs(table.bbox.x0 - 80) < 2 and abs(table.bbox.x1 - 284) < 2


def test_crop_is_a_png_of_the_region_plus_margin(figures):
    found, _ = figures
    figure = found["Figure 1"]
    assert figure.png.startswith(b"\x89PNG")
    expected_width = (figure.bbox.width + 8) * figure.dpi / 72
    assert abs(figure.width - expected_width) <= 3


@pytest.fixture(scope="module")
def variety(tmp_path_factory):
    path = layout_variety_paper(tmp_path_factory.mktemp("variety") / "variety.pdf")
    with pymupdf.open(path) as doc:
        images = {page.number + 1: [Box(*i["bbox"]) for i in page.get_image_info()] for page in doc}
        result = extract_document(doc)
    return {f.label: f for f in result.figures}, images


def test_caption_beside_its_figure(variety):
    found, images = variety
    assert iou(found["Figure 1"].bbox, images[1][0]) > 0.95


def test_sideways_table_is_found_in_the_captions_reading_frame(variety):
    found, _ = variety
    table = found["Table 1"]
    assert table.kind == "table" and table.page == 2
    assert abs(table.bbox.x0 - 120) < 2 and abs(table.bbox.x1 - 300) < 2  # rules to rules
    assert table.bbox.y0 < 185 and table.bbox.y1 > 595  # every turned row, not the body text
    assert table.caption == "Table 1: A table set sideways on the page."


def test_ieee_and_supplementary_labels(variety):
    found, images = variety
    assert found["Table I"].kind == "table" and found["Table I"].bbox.y1 < 170
    assert iou(found["Figure 2"].bbox, images[3][0]) > 0.95
    assert iou(found["Supplementary Figure S1"].bbox, images[3][1]) > 0.95
    assert found["Supplementary Figure S1"].figure_id == "SuppFigureS1"
