"""The zero-shot figure-type path through open_clip, with a tiny random-weight model (its
answers mean nothing; the plumbing, batching and loading are what is tested)."""

from __future__ import annotations

import pymupdf
import pytest
from typer.testing import CliRunner

from scitune_data.classify.clip import ClipUnavailable, ClipZeroShot
from scitune_data.classify.labels import FIGURE_TYPES
from scitune_data.cli.main import app
from scitune_data.figures.extract import extract_document
from scitune_data.pipeline.signals import OcrPlan, figure_signals
from tests.pdf_factory import two_column_paper
from tests.tiny_models import tiny_clip


@pytest.fixture(scope="module")
def spec(tmp_path_factory):
    return tiny_clip(tmp_path_factory.mktemp("clip"))


def test_batches_of_crops_get_labels_from_the_set(spec, tmp_path):
    path = two_column_paper(tmp_path / "paper.pdf")
    with pymupdf.open(path) as doc:
        result = extract_document(doc)
    pngs = [f.png for f in result.figures] * 3
    answers = ClipZeroShot(spec, batch_size=4).classify(pngs)
    assert len(answers) == len(pngs)
    assert all(label in FIGURE_TYPES and 0.0 <= p <= 1.0 for label, p in answers)
    assert answers[:3] == answers[3:6]  # deterministic across batches


def test_signals_use_the_model_for_figures_only(spec, tmp_path):
    with pymupdf.open(two_column_paper(tmp_path / "paper.pdf")) as doc:
        result = extract_document(doc)
    signals = figure_signals(result, OcrPlan("none"), type_model=spec)[0]
    sources = {f.kind: s.figure_type_source for f, s in zip(result.figures, signals)}
    assert sources == {"figure": "clip", "table": "kind"}


def test_unloadable_model_is_a_clear_error(tmp_path):
    with pytest.raises(ClipUnavailable, match="cannot load open_clip model"):
        ClipZeroShot(f"ViT-B-32:{tmp_path / 'missing.safetensors'}")
    result = CliRunner().invoke(app, ["build", "--pdf-dir", str(tmp_path), "--out", str(tmp_path / "o"),
                                      "--figure-type-model", f"ViT-B-32:{tmp_path / 'missing.bin'}"])
    assert result.exit_code == 2 and "cannot load open_clip model" in result.output
