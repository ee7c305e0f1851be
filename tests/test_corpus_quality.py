"""The extractor against the hand-verified gold of ../shared/corpus and ../shared/corpus-next
(publisher layouts: side captions, scans, rotated pages), scored by the shared referee.

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
def gold_dir(corpus_dir, tmp_path_factory) -> Path:
    """Both gold folders as one: links to every PDF and its gold."""
    folder = tmp_path_factory.mktemp("gold")
    for source in (corpus_dir, corpus_dir.parent / "corpus-next"):
        for path in source.iterdir():
            if path.suffix == ".pdf" or path.name.endswith(".gold.json"):
                (folder / path.name).symlink_to(path)
    return folder


@pytest.fixture(scope="module")
def built(gold_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus") / "out"
    LocalExecutor().run(BuildConfig(gold_dir, out, ExtractOptions(ocr="pdf-text")))
    return out


@pytest.fixture(scope="module")
def report(built, gold_dir, corpus_dir):
    path = built.parent / "score.json"
    scorer = corpus_dir.parent / "tools" / "score_figures.py"
    subprocess.run([sys.executable, str(scorer), "--pred", str(built / "figures"), "--gold", str(gold_dir),
                    "--json", str(path), "--quiet"], check=True, capture_output=True)
    return json.loads(path.read_text())


@pytest.fixture(scope="module")
def scores(report):
    return report["summary"]


@pytest.fixture(scope="module")
def signal_scores(built):
    report = built / "signals.json"
    subprocess.run([sys.executable, str(SIGNALS_SCORER), "--pred", str(built / "figures"),
                    "--json", str(report)], check=True, capture_output=True)
    return json.loads(report.read_text())


def test_detection_f1_meets_the_targets(scores):
    assert scores["f1@0.5"] >= 0.95
    assert scores["f1@0.8"] >= 0.90


def test_captions_and_kinds_meet_the_targets(scores):
    assert scores["caption_exact"] >= 0.90
    assert scores["kind_accuracy"] >= 0.98


def test_no_paper_with_figures_comes_out_empty(report):
    assert [row["paper"] for row in report["papers"] if row["gold"] and not row["pred"]] == []


def test_mentions_meet_the_targets(signal_scores):
    assert signal_scores["missing"] == 0
    assert signal_scores["mention_precision"] >= 0.95
    assert signal_scores["mention_recall"] >= 0.95


def test_figure_types_meet_the_target(signal_scores):
    assert signal_scores["type_accuracy"] >= 0.80
