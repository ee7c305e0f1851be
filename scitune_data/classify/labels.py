"""The figure-type label set.

SciCap's five types (Graph Plot, Scatterplot, Node Diagram, Equation, Bar Chart) and its wider
release's Table, Photo, Flowchart and Other, plus two types common in CS and life-science papers
that SciCap folds into Other: Screenshot and Heatmap. ``SCICAP_TYPE`` maps ours onto SciCap's.
"""

from __future__ import annotations

FIGURE_TYPES = (
    "Graph Plot", "Scatterplot", "Bar Chart", "Node Diagram", "Flowchart", "Equation",
    "Table", "Photo", "Screenshot", "Heatmap", "Other",
)
SCICAP_TYPE = {label: label for label in FIGURE_TYPES} | {"Screenshot": "Other", "Heatmap": "Other"}

DESCRIPTIONS = {  # also the prompts of the zero-shot classifier
    "Graph Plot": "a line graph plot with axes and curves",
    "Scatterplot": "a scatter plot of many points",
    "Bar Chart": "a bar chart or histogram",
    "Node Diagram": "a diagram of boxes, nodes and arrows, such as a model architecture",
    "Flowchart": "a flowchart of process steps",
    "Equation": "a mathematical equation",
    "Table": "a table of numbers and text",
    "Photo": "a photograph or microscope image",
    "Screenshot": "a screenshot of a software user interface or document page",
    "Heatmap": "a heatmap or colored matrix",
    "Other": "an illustration",
}
