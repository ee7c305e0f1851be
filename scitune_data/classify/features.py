"""Feature vector of a figure for the learned figure-type model.

Four kinds of evidence, each computed the same way for every figure:

- **drawing commands** (vector figures): bars are filled rectangles standing on a common
  baseline, curves are long polylines, markers are many small shapes of one size, heatmaps are
  grids of filled cells in many colours, diagrams are outlined boxes joined by connectors;
- **pixels** of the rendered crop (what raster figures have): white, colour, darkness,
  flat colour areas versus texture, edges, long rules;
- **text** inside the region: how much, how numeric, how mathematical;
- **caption cues** ("scatter", "architecture", "as a function of").

Names and order are fixed by :data:`FEATURE_NAMES`; the model file records them and refuses a
mismatch.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from scitune_data.classify.cues import CUE_LABELS, caption_cues
from scitune_data.classify.evidence import FigureEvidence

NUMERIC = re.compile(r"^[(\[]?[+\-−]?\d+(?:[.,]\d+)*%?[)\]]?$|^\d+(?:\.\d+)?e[+\-]?\d+$", re.IGNORECASE)
MATH = re.compile(r"[=+∑∫∏√±×≤≥≈→←∈∀∂∇αβγδεθλμπσφψωΩΣΔΘΛΦΨ^_{}\\|]")
MARKER_SIZE = 6.0  # points: a marker fits in this square
THIN = 1.5  # points: a rule or a line segment is thinner than this
WHITE_LEVEL = 235


def _drawing_features(evidence: FigureEvidence) -> dict[str, float]:
    boxes, styles = evidence.path_boxes, evidence.path_styles
    region = evidence.box
    width, height = max(region.width, 1.0), max(region.height, 1.0)
    count = len(boxes)
    out: dict[str, float] = {"paths": np.log1p(count)}
    if not count:
        return out
    geometry = np.array([(b.x0, b.y0, b.x1, b.y1) for b in boxes], dtype=np.float64)
    kinds = np.array([(s.lines, s.curves, s.rects, s.fill is not None, s.stroke is not None) for s in styles],
                     dtype=np.float64)
    w, h = geometry[:, 2] - geometry[:, 0], geometry[:, 3] - geometry[:, 1]
    lines, curves, rects, filled, stroked = kinds[:, 0], kinds[:, 1], kinds[:, 2], kinds[:, 3] > 0, kinds[:, 4] > 0
    segments = lines + curves + rects
    boxy = (curves == 0) & ((rects > 0) & (lines == 0) | (lines == 3) | (lines == 4))
    longest, shortest = np.maximum(w, h), np.minimum(w, h)
    small = (longest <= MARKER_SIZE) & (shortest >= 0.8) & (longest <= 2.5 * shortest)  # round-ish
    thin = shortest < THIN
    ticks = thin & (longest >= 1.5) & (longest <= 8) & (lines <= 2) & (curves == 0)
    long_polyline = (lines >= 8) & (w > 0.25 * width)
    # curves drawn one segment per path (gnuplot, MATLAB): slanted strokes that are not markers
    slanted = stroked & ~filled & (curves == 0) & (lines <= 2) & (w > 0.3) & (h > 0.3) & ~small
    cells = filled & boxy & (w > 1.0) & (h > 1.0) & ~small
    outlined = stroked & ~filled & ((rects > 0) | (curves >= 4) | (lines >= 4)) & (w > 12) & (h > 8)
    connector = stroked & ~filled & (curves + lines <= 3) & (rects == 0) & (np.hypot(w, h) > 10) & ~(thin & (
        (w > 0.6 * width) | (h > 0.6 * height)))
    arrowhead = filled & (lines >= 2) & (lines <= 4) & (curves == 0) & (longest <= 8)
    rules = thin & (w > 0.5 * width)
    columns = thin & (h > 0.5 * height)
    out |= {
        "path_share_filled": float(filled.mean()),
        "path_share_curved": float((curves > 0).mean()),
        "path_share_boxy": float(boxy.mean()),
        "path_share_small": float(small.mean()),
        "path_share_thin": float(thin.mean()),
        "segments_per_path": float(np.log1p(segments.mean())),
        "max_segments": float(np.log1p(segments.max())),
        "long_polylines": float(np.log1p(long_polyline.sum())),
        "markers": float(np.log1p(small.sum())),
        "slanted_segments": float(np.log1p(slanted.sum())),
        "ticks": float(np.log1p(ticks.sum())),
        "marker_dominance": float(small.sum() / (small.sum() + slanted.sum() + 10 * long_polyline.sum() + 1)),
        "marker_repeat": _repeat_share(w[small], h[small]),
        "cells": float(np.log1p(cells.sum())),
        "cell_share": float(cells.mean()),
        "bar_baseline": _baseline_share(geometry[cells]),
        "grid_fill": _grid_fill(geometry[cells]),
        "fill_colours": float(np.log1p(len({s.fill for s in styles if s.fill is not None}))),
        "cell_colours": float(np.log1p(len({styles[i].fill for i in np.flatnonzero(cells)}))),
        "stroke_colours": float(np.log1p(len({s.stroke for s in styles if s.stroke is not None}))),
        "outlined_boxes": float(np.log1p(outlined.sum())),
        "connectors": float(np.log1p(connector.sum())),
        "arrowheads": float(np.log1p(arrowhead.sum())),
        "long_rules": float(np.log1p(rules.sum())),
        "long_columns": float(np.log1p(columns.sum())),
        "filled_area": float(min(1.0, (w * h)[filled].sum() / (width * height))),
    }
    return out


def _repeat_share(w: np.ndarray, h: np.ndarray) -> float:
    """Share of small shapes that have the most common size (markers repeat, glyph bits don't)."""
    if w.size < 3:
        return 0.0
    sizes = Counter(zip(np.round(w * 2).tolist(), np.round(h * 2).tolist()))
    return sizes.most_common(1)[0][1] / w.size


def _baseline_share(cells: np.ndarray) -> float:
    """Share of filled rectangles that stand on the most common baseline (bottom, or left for
    horizontal bars) while differing in length: bars do, table shading and legend keys don't."""
    if len(cells) < 3:
        return 0.0
    best = 0.0
    for base, length in ((cells[:, 3], cells[:, 3] - cells[:, 1]), (cells[:, 0], cells[:, 2] - cells[:, 0])):
        key = np.round(base).astype(int)
        common = Counter(key.tolist()).most_common(1)[0][0]
        on_base = np.abs(key - common) <= 1
        if on_base.sum() >= 3 and np.ptp(length[on_base]) > 2.0:
            best = max(best, on_base.mean())
    return float(best)


def _grid_fill(cells: np.ndarray) -> float:
    """How completely filled rectangles tile a grid (heatmap cells): cells over rows x columns."""
    if len(cells) < 4:
        return 0.0
    xs = len(np.unique(np.round(cells[:, 0]))) or 1
    ys = len(np.unique(np.round(cells[:, 1]))) or 1
    if xs < 2 or ys < 2:
        return 0.0
    return float(min(1.0, len(cells) / (xs * ys)))


def _pixel_features(pixels: np.ndarray) -> dict[str, float]:
    if pixels.size == 0 or pixels.shape[0] < 2 or pixels.shape[1] < 2:
        pixels = np.full((2, 2, 3), 255, dtype=np.uint8)
    rgb = pixels.astype(np.int16)
    grey = rgb.mean(axis=2)
    spread = rgb.max(axis=2) - rgb.min(axis=2)
    white = rgb.min(axis=2) > WHITE_LEVEL
    ink = ~white
    ink_share = float(ink.mean())
    coloured = spread > 60
    dx = np.abs(np.diff(grey, axis=1))
    dy = np.abs(np.diff(grey, axis=0))
    flat_x = (dx < 4) & ink[:, 1:]
    quant = (pixels[..., 0] // 64).astype(np.int32) * 16 + (pixels[..., 1] // 64) * 4 + pixels[..., 2] // 64
    counts = np.bincount(quant[ink].ravel(), minlength=64) if ink.any() else np.zeros(64)
    share = counts / max(counts.sum(), 1)
    dark_rows = (grey < 128).mean(axis=1)
    dark_cols = (grey < 128).mean(axis=0)
    out = {
        "ink": ink_share,
        "coloured": float(coloured.mean()),
        "coloured_of_ink": float(coloured.sum() / max(ink.sum(), 1)),
        "dark": float((grey < 80).mean()),
        "colours": float((share > 0.01).sum()),
        "colour_entropy": float(-(share[share > 0] * np.log2(share[share > 0])).sum()),
        "flat_of_ink": float(flat_x.sum() / max(ink[:, 1:].sum(), 1)),
        "edges": float(((dx > 40).mean() + (dy > 40).mean()) / 2),
        "edge_balance": float(((dx > 40).mean() + 1e-3) / ((dy > 40).mean() + 1e-3)),
        "texture": float(np.median(dx[ink[:, 1:]])) if ink[:, 1:].any() else 0.0,
        "rule_rows": float((dark_rows > 0.5).mean()),
        "rule_cols": float((dark_cols > 0.5).mean()),
        "ink_row_spread": float(np.std(ink.mean(axis=1))),
        "ink_col_spread": float(np.std(ink.mean(axis=0))),
    }
    out |= _runs_and_orientations(grey)
    return out


def _longest_runs(dark: np.ndarray) -> np.ndarray:
    """Per row, the longest run of dark pixels."""
    padded = np.pad(dark.astype(np.int8), ((0, 0), (1, 1)))
    edges = np.diff(padded, axis=1)
    rows, starts = np.nonzero(edges == 1)
    _, ends = np.nonzero(edges == -1)
    longest = np.zeros(dark.shape[0])
    np.maximum.at(longest, rows, ends - starts)
    return longest


def _runs_and_orientations(grey: np.ndarray) -> dict[str, float]:
    """Long straight dark runs (axes, rules, box edges) and the mix of edge directions (charts
    and diagrams are mostly horizontal and vertical, curves and photos are not)."""
    dark = grey < 160
    rows, cols = grey.shape
    gx = grey[1:-1, 2:] - grey[1:-1, :-2]
    gy = grey[2:, 1:-1] - grey[:-2, 1:-1]
    strong = np.hypot(gx, gy) > 60
    total = max(int(strong.sum()), 1)
    ax, ay = np.abs(gx[strong]), np.abs(gy[strong])
    row_runs, col_runs = _longest_runs(dark), _longest_runs(dark.T)
    return {
        "long_row_runs": float((row_runs > 0.3 * cols).mean()),
        "long_col_runs": float((col_runs > 0.3 * rows).mean()),
        "widest_run": float(row_runs.max() / cols),
        "widest_run_at": float(row_runs.argmax() / rows),
        "tallest_run": float(col_runs.max() / rows),
        "tallest_run_at": float(col_runs.argmax() / cols),
        "edges_horizontal": float((ay > 2.5 * ax).sum() / total),
        "edges_vertical": float((ax > 2.5 * ay).sum() / total),
        "edges_slanted": float(((ax <= 2.5 * ay) & (ay <= 2.5 * ax)).sum() / total),
    }


def _text_features(evidence: FigureEvidence) -> dict[str, float]:
    tokens = evidence.tokens
    count = len(tokens)
    area = max(evidence.box.area, 1.0) / 1e4  # per 100 x 100 points
    if not count:
        return {"words": 0.0, "words_per_area": 0.0, "text_lines": np.log1p(evidence.text_lines)}
    numeric = sum(1 for t in tokens if NUMERIC.match(t))
    math = sum(1 for t in tokens if MATH.search(t))
    alpha = sum(1 for t in tokens if t.isalpha() and len(t) > 2)
    return {
        "words": float(np.log1p(count)),
        "words_per_area": float(np.log1p(count / area)),
        "text_lines": float(np.log1p(evidence.text_lines)),
        "numeric_share": numeric / count,
        "math_share": math / count,
        "word_share": alpha / count,
        "short_share": sum(1 for t in tokens if len(t) <= 2) / count,
        "symbol_share": sum(1 for t in tokens if len(t) == 1 and not t.isalnum()) / count,
        "token_length": float(np.mean([len(t) for t in tokens])),
        "words_per_line": float(count / max(evidence.text_lines, 1)),
    }


def _caption_features(caption: str) -> dict[str, float]:
    cues = caption_cues(caption)
    return {f"cue_{label}": float(label in cues) for label in CUE_LABELS}


def _region_features(evidence: FigureEvidence) -> dict[str, float]:
    box = evidence.box
    return {
        "aspect": float(np.log((box.width + 1) / (box.height + 1))),
        "size": float(np.log1p(box.area)),
        "rasters": float(np.log1p(evidence.rasters)),
        "raster_share": evidence.raster_share,
    }


def feature_dict(evidence: FigureEvidence) -> dict[str, float]:
    values = (_region_features(evidence) | _drawing_features(evidence) | _pixel_features(evidence.pixels)
              | _text_features(evidence) | _caption_features(evidence.caption))
    return {name: float(values.get(name, 0.0)) for name in FEATURE_NAMES}


def feature_vector(evidence: FigureEvidence) -> np.ndarray:
    values = feature_dict(evidence)
    return np.array([values[name] for name in FEATURE_NAMES], dtype=np.float32)


FEATURE_NAMES: tuple[str, ...] = (
    "aspect", "size", "rasters", "raster_share",
    "paths", "path_share_filled", "path_share_curved", "path_share_boxy", "path_share_small",
    "path_share_thin", "segments_per_path", "max_segments", "long_polylines", "markers",
    "slanted_segments", "ticks", "marker_dominance", "marker_repeat", "cells", "cell_share", "bar_baseline",
    "grid_fill", "fill_colours",
    "cell_colours", "stroke_colours", "outlined_boxes", "connectors", "arrowheads", "long_rules",
    "long_columns", "filled_area",
    "ink", "coloured", "coloured_of_ink", "dark", "colours", "colour_entropy", "flat_of_ink",
    "edges", "edge_balance", "texture", "rule_rows", "rule_cols", "ink_row_spread", "ink_col_spread",
    "long_row_runs", "long_col_runs", "widest_run", "widest_run_at", "tallest_run", "tallest_run_at",
    "edges_horizontal", "edges_vertical", "edges_slanted",
    "words", "words_per_area", "text_lines", "numeric_share", "math_share", "word_share",
    "short_share", "symbol_share", "token_length", "words_per_line",
    *(f"cue_{label}" for label in CUE_LABELS),
)
