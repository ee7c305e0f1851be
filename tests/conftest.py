from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

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


@pytest.fixture(scope="session")
def multitask_out(examples_dir, tmp_path_factory) -> Path:
    """The example papers built once under scitune-multitask, with their metadata (CC BY 4.0) in
    the arXiv snapshot's format (read-only for the tests sharing it)."""
    from tests.arxiv_factory import examples_snapshot

    root = tmp_path_factory.mktemp("multitask")
    metadata = examples_snapshot(root / "metadata.json", examples_dir)
    return cli_build(examples_dir, root / "out", "--recipe", "scitune-multitask", "--metadata", str(metadata))


def cli_build(pdf_dir: Path, out: Path, *extra: str) -> Path:
    """``scitune-data build`` through the CLI (no OCR engine), failing the test on error."""
    from typer.testing import CliRunner

    from scitune_data.cli.main import app

    result = CliRunner().invoke(app, ["build", "--pdf-dir", str(pdf_dir), "--out", str(out), "--ocr", "pdf-text",
                                      "-q", *extra])
    assert result.exit_code == 0, result.output
    return out


def said(output: str) -> str:
    """CLI output as one line of words (rich wraps long lines and draws boxes around errors)."""
    return " ".join(output.replace("│", " ").split())


NOBODY = 65534


@contextmanager
def as_nobody() -> Iterator[None]:
    """Act as an ordinary user meanwhile: root reads and writes everywhere, so permission errors
    need another user (a no-op when the tests do not run as root)."""
    root = os.geteuid() == 0
    if root:
        os.setegid(NOBODY)
        os.seteuid(NOBODY)
    try:
        yield
    finally:
        if root:
            os.seteuid(0)
            os.setegid(0)


@pytest.fixture()
def shared_tmp() -> Iterator[Path]:
    """A temp folder other users may enter (pytest's own is private to its user)."""
    folder = Path(tempfile.mkdtemp(prefix="scitune-shared-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def build_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "scitune_data.cli.main", "build", *map(str, args)]


def killed_after_first_batch(command: list[str], out: Path) -> subprocess.CompletedProcess:
    """Run a build, ``kill -9`` it (and its workers) as soon as its first batch is finished,
    then run the same command again; returns the rerun."""
    process = subprocess.Popen(command, start_new_session=True)
    marker = out / "_build" / "batch-00000.json"
    deadline = time.monotonic() + 120
    while not marker.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert marker.exists() and not (out / "manifest.json").exists()
    return subprocess.run(command, capture_output=True, text=True)


def build_outputs(out: Path) -> dict[str, bytes]:
    """The bytes of every output a build writes that a user reads."""
    files = [*out.glob("figures/*.parquet"), *out.glob("data/*.parquet"), out / "errors.parquet", out / "manifest.json"]
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(files)}
