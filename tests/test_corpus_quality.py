"""The extractor against the hand-verified gold of ../shared/corpus, scored by the shared referee.

Skipped when the corpus is not beside the checkout (a user's clone has none)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from scitune_data.pipeline.build import BuildConfig, run_build


@pytest.fixture(scope="module")
def scores(corpus_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    run_build(BuildConfig(corpus_dir, out))
    report = out / "score.json"
    scorer = corpus_dir.parent / "tools" / "score_figures.py"
    subprocess.run([sys.executable, str(scorer), "--pred", str(out / "figures"), "--gold", str(corpus_dir),
                    "--json", str(report), "--quiet"], check=True, capture_output=True)
    return json.loads(report.read_text())["summary"]


def test_detection_f1_meets_the_targets(scores):
    assert scores["f1@0.5"] >= 0.90
    assert scores["f1@0.8"] >= 0.80


def test_captions_and_kinds_meet_the_targets(scores):
    assert scores["caption_accuracy"] >= 0.95
    assert scores["kind_accuracy"] >= 0.98
