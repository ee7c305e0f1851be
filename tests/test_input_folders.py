"""Input folders as users have them: names that are not UTF-8, links to folders (and a link
that loops), folders that cannot be read, no PDFs at all. Nothing is skipped silently and no
case ends in a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from scitune_data.cli.main import app
from scitune_data.pipeline.build import BuildConfig, open_build
from scitune_data.pipeline.limits import Limits
from tests.conftest import as_nobody, said
from tests.pdf_factory import two_column_paper

def build(pdf_dir, out, *extra):
    return CliRunner().invoke(app, ["build", "--pdf-dir", str(pdf_dir), "--out", str(out), "--ocr", "pdf-text",
                                    "-q", "--workers", "1", "--figures-only", *extra])


def test_a_name_that_is_not_utf8_is_built_and_kept_bytes_safe(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    paper = two_column_paper(tmp_path / "paper.pdf")
    name = os.fsdecode(b"caf\xe9 \xff.pdf")  # latin-1 and a byte no encoding maps
    (folder / name).write_bytes(paper.read_bytes())
    out = tmp_path / "out"
    result = build(folder, out)
    assert result.exit_code == 0, result.output
    rows = pq.read_table(out / "figures", columns=["source_file", "paper_id"]).to_pylist()
    assert {row["source_file"] for row in rows} == {"caf\\xe9 \\xff.pdf"}
    assert {row["paper_id"] for row in rows} == {"caf\\xe9 \\xff"} and len(rows) == 3
    assert pq.read_table(out / "errors.parquet").num_rows == 0
    again = build(folder, out)
    assert again.exit_code == 0 and "1 batches resumed" in said(again.output)


def test_an_empty_or_missing_input_folder_is_one_clear_message_and_out_stays_untouched(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("no PDFs here")
    for folder, words in ((tmp_path / "empty", "holds no *.pdf files"), (tmp_path / "nowhere", "does not exist")):
        result = build(folder, tmp_path / "out")
        assert result.exit_code == 2 and words in said(result.output) and "Traceback" not in said(result.output)
        assert not (tmp_path / "out").exists()


def test_linked_folders_are_searched_and_a_loop_is_reported_not_followed(tmp_path):
    folder, elsewhere = tmp_path / "in", tmp_path / "elsewhere"
    (folder / "sub").mkdir(parents=True)
    elsewhere.mkdir()
    two_column_paper(elsewhere / "linked.pdf")
    (folder / "more").symlink_to(elsewhere, target_is_directory=True)
    (folder / "sub" / "up").symlink_to(folder, target_is_directory=True)  # a loop
    out = tmp_path / "out"
    assert build(folder, out).exit_code == 0
    assert {r["source_file"] for r in pq.read_table(out / "figures").to_pylist()} == {"more/linked.pdf"}
    (row,) = pq.read_table(out / "errors.parquet").to_pylist()
    assert (row["file"], row["stage"], row["severity"]) == ("sub/up", "input", "info")
    assert "a loop" in row["message"]


def test_an_unreadable_folder_is_an_error_row_not_a_silent_skip(shared_tmp):
    folder, out = shared_tmp / "in", shared_tmp / "out"
    (folder / "locked").mkdir(parents=True)
    out.mkdir(mode=0o777)
    out.chmod(0o777)
    two_column_paper(folder / "open.pdf")
    two_column_paper(folder / "locked" / "hidden.pdf")
    (folder / "locked").chmod(0)
    try:
        with as_nobody(), open_build(BuildConfig(folder, out), Limits()) as plan:
            inputs = [item.source_file for _, batch in plan.batches for item in batch]
            (row,) = plan.problems
            errors = plan.summary.errors
    finally:
        (folder / "locked").chmod(0o755)
    assert inputs == ["open.pdf"] and errors == 1
    assert (row["file"], row["stage"], row["error_type"], row["severity"]) == (
        "locked", "input", "PermissionError", "error")
    assert "cannot be searched (Permission denied): PDFs in it are not processed" in row["message"]
