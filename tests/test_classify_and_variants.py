from __future__ import annotations

import pytest

from scitune_data.classify.labels import FIGURE_TYPES, SCICAP_TYPE
from scitune_data.classify.rules import FigureEvidence, caption_cue, classify
from scitune_data.text.caption_variants import caption_no_index, caption_normalized


def evidence(**overrides) -> FigureEvidence:
    base = dict(kind="figure", caption="Figure 1: Results.", rasters=0, raster_share=0.0, paths=0,
                thin_paths=0, small_paths=0, text_lines=0, white_share=1.0, colour_share=0.0, tokens=())
    return FigureEvidence(**(base | overrides))


@pytest.mark.parametrize(("caption", "label"), [
    ("Figure 2: t-SNE embeddings of the papers.", "Scatterplot"),
    ("Figure 3: Screenshot of the dashboard.", "Screenshot"),
    ("Figure 4: Overview of our model architecture.", "Node Diagram"),
    ("Figure 5: Histogram of document lengths.", "Bar Chart"),
    ("Figure 6: Accuracy as a function of training steps.", "Graph Plot"),
    ("Figure 7: Attention weights across layers (heatmap).", "Heatmap"),
    ("Fig. 8. Fluorescence micrograph of stained cells.", "Photo"),
])
def test_caption_cues(caption, label):
    assert caption_cue(caption) == label
    assert classify(evidence(caption=caption)) == (label, "caption")


def test_tables_are_tables_whatever_the_caption():
    assert classify(evidence(kind="table", caption="Table 1: Accuracy curves.")) == ("Table", "kind")


def test_without_a_cue_the_drawing_decides():
    photo = dict(rasters=1, raster_share=1.0, white_share=0.05, colour_share=0.8)
    assert classify(evidence(**photo)) == ("Photo", "drawing")
    page_text = tuple(f"word{i}" for i in range(120))
    assert classify(evidence(**photo, tokens=page_text)) == ("Screenshot", "text")
    axes = ("0", "10", "20", "30", "epoch", "0.5", "1.0")
    assert classify(evidence(rasters=1, raster_share=1.0, tokens=axes)) == ("Graph Plot", "text")
    assert classify(evidence(rasters=1, raster_share=1.0, white_share=0.5, colour_share=0.3)) == ("Screenshot", "drawing")
    assert classify(evidence(paths=60, small_paths=50, thin_paths=10))[0] == "Scatterplot"


def test_label_set_maps_onto_scicap():
    assert set(SCICAP_TYPE) == set(FIGURE_TYPES)
    assert set(SCICAP_TYPE.values()) <= {"Graph Plot", "Scatterplot", "Node Diagram", "Equation",
                                         "Bar Chart", "Table", "Photo", "Flowchart", "Other"}


def test_caption_variants_follow_scicap():
    caption = "Figure 3: Loss for α = 0.5 over 20 epochs."
    assert caption_no_index(caption) == "loss for α = 0.5 over 20 epochs ."
    assert caption_normalized(caption) == "loss for [EQUATION] [NUM] over [NUM] epochs ."
    assert caption_no_index("TABLE II. Results") == "results"
