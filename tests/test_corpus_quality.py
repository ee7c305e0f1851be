"""The extractor against the hand-verified gold of ../shared/corpus, scored by the shared referee.

Skipped when the corpus is not beside the checkout (a user's clone has none)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scitune_data.executors.local import LocalExecutor
from scitune_data.pipeline.build import BuildConfig
from scitune_data.pipeline.papers import ExtractOptions

SIGNALS_SCORER = Path(__file__).resolve().parents[1] / "benchmarks" / "figure_signals" / "score.py"


@pytest.fixture(scope="module")
def built(corpus_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    LocalExecutor().run(BuildConfig(corpus_dir, out, ExtractOptions(ocr="pdf-text")))
    return out


@pytest.fixture(scope="module")
def scores(built, corpus_dir):
    report = built / "score.json"
    scorer = corpus_dir.parent / "tools" / "score_figures.py"
    subprocess.run([sys.executable, str(scorer), "--pred", str(built / "figures"), "--gold", str(corpus_dir),
                    "--json", str(report), "--quiet"], check=True, capture_output=True)
    return json.loads(report.read_text())["summary"]


@pytest.fixture(scope="module")
def signal_scores(built):
    report = built / "signals.json"
    subprocess.run([sys.executable, str(SIGNALS_SCORER), "--pred", str(built / "figures"),
                    "--json", str(report)], check=True, capture_output=True)
    return json.loads(report.read_text())


def test_detection_f1_meets_the_targets(scores):
    assert scores["f1@0.5"] >= 0.90
    assert scores["f1@0.8"] >= 0.80


def test_captions_and_kinds_meet_the_targets(scores):
    assert scores["caption_accuracy"] >= 0.95
    assert scores["kind_accuracy"] >= 0.98


def test_mentions_meet_the_targets(signal_scores):
    assert signal_scores["missing"] == 0
    assert signal_scores["mention_precision"] >= 0.95
    assert signal_scores["mention_recall"] >= 0.95


def test_figure_types_meet_the_target(signal_scores):
    assert signal_scores["type_accuracy"] >= 0.80
