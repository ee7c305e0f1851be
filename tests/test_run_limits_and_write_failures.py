"""Limits a machine can honour, and writes that fail (a full disk, no permission) end as one
clear line with no temp files left, never a traceback."""

from __future__ import annotations

import os
import resource
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from scitune_data.cli.main import app
from tests.conftest import ROOT, as_nobody, said
from tests.pdf_factory import layout_variety_paper, two_column_paper


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("limits_pdfs")
    two_column_paper(folder / "a.pdf")
    layout_variety_paper(folder / "b.pdf")
    return folder


@pytest.mark.parametrize("cap, words", [
    ("-1GiB", "the cap must be positive"),
    ("100000GiB", "is not below this machine's"),
    ("64MiB", "is less than a worker needs to open a paper"),
    ("lots", "is not a size such as 4GiB"),
])
def test_memory_caps_a_worker_cannot_live_with_are_refused_up_front(pdfs, tmp_path, cap, words):
    result = CliRunner().invoke(app, ["build", "--pdf-dir", str(pdfs), "--out", str(tmp_path / "out"),
                                      "--max-memory", cap, "-q"])
    assert result.exit_code == 2 and words in said(result.output)
    assert not (tmp_path / "out").exists()


def _file_size_limit(limit: int):
    def apply() -> None:  # in the child: the kernel refuses writes past the limit, as a full disk does
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


@pytest.mark.parametrize("limit, where", [(20_000, "figures"), (160_000, "data")], ids=["part-file", "shards"])
def test_a_full_disk_is_one_line_and_leaves_no_temp_files(pdfs, tmp_path, limit, where):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "scitune_data.cli.main", "build", "--pdf-dir", str(pdfs), "--out", str(out),
               "--ocr", "pdf-text", "--recipe", "scitune-multitask", "--batch-size", "1", "--workers", "1", "-q"]
    result = subprocess.run(command, capture_output=True, text=True, preexec_fn=_file_size_limit(limit),
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {out / where}/") and "File too large" in lines[0]
    leftovers = [p for p in out.rglob(".*") if p.name not in (".scitune-data.json", ".scitune-data.lock")]
    assert leftovers == []


def test_no_permission_to_write_is_one_line(pdfs, shared_tmp):
    readable = shared_tmp / "in"
    readable.mkdir()
    (readable / "a.pdf").write_bytes((pdfs / "a.pdf").read_bytes())
    pdfs = readable
    assert CliRunner().invoke(app, ["build", "--pdf-dir", str(pdfs), "--out", str(shared_tmp / "mine"), "-q",
                                    "--ocr", "pdf-text", "--figures-only"]).exit_code == 0  # writable: fine
    out = shared_tmp / "out"
    out.mkdir()
    out.chmod(0o555)
    with as_nobody():
        result = CliRunner().invoke(app, ["build", "--pdf-dir", str(pdfs), "--out", str(out), "-q"])
    assert result.exit_code == 1
    assert said(result.output).startswith(f"error: {out}/") and "Permission denied" in result.output
    assert list(out.iterdir()) == []
    assert isinstance(result.exception, SystemExit)
