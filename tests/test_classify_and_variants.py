from __future__ import annotations

import pytest

from scitune_data.classify.cues import caption_cue, caption_cues
from scitune_data.classify.labels import FIGURE_TYPES, SCICAP_TYPE
from scitune_data.text.caption_variants import caption_no_index, caption_normalized


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
    assert label in caption_cues(caption)


def test_every_cue_of_a_caption_is_read():
    assert caption_cues("Figure 2: Architecture of the model and its loss curves.") == {"Node Diagram", "Graph Plot"}
    assert caption_cues("Figure 9: The cat.") == frozenset()
    assert caption_cue("Figure 9: The cat.") is None


def test_label_set_maps_onto_scicap():
    assert set(SCICAP_TYPE) == set(FIGURE_TYPES)
    assert set(SCICAP_TYPE.values()) <= {"Graph Plot", "Scatterplot", "Node Diagram", "Equation",
                                         "Bar Chart", "Table", "Photo", "Flowchart", "Other"}


def test_caption_variants_follow_scicap():
    caption = "Figure 3: Loss for α = 0.5 over 20 epochs."
    assert caption_no_index(caption) == "loss for α = 0.5 over 20 epochs ."
    assert caption_normalized(caption) == "loss for [EQUATION] [NUM] over [NUM] epochs ."
    assert caption_no_index("TABLE II. Results") == "results"
