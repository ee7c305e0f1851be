from __future__ import annotations

from pathlib import Path

import pytest

from tests.train_support import (  # noqa: F401  (trainer fixtures shared by the training test modules)
    clip_spec, one_torch_thread, tiny_lm, tiny_lm_dropout, train_shards, train_tokenizer)

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not any(CORPUS.glob("*.gold.json")):
        pytest.skip("../shared/corpus is not present beside this checkout")
    return CORPUS


def cli_build(pdf_dir: Path, out: Path, *extra: str) -> Path:
    """``scitune-data build`` through the CLI (no OCR engine), failing the test on error."""
    from typer.testing import CliRunner

    from scitune_data.cli.main import app

    result = CliRunner().invoke(app, ["build", "--pdf-dir", str(pdf_dir), "--out", str(out), "--ocr", "pdf-text",
                                      "-q", *extra])
    assert result.exit_code == 0, result.output
    return out
