"""Bad input never stops a build: each file ends as figures or as an error row saying why."""

from __future__ import annotations

import shutil
import time

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from scitune_data.cli.main import app
from scitune_data.executors.local import LocalExecutor
from scitune_data.pipeline.build import BuildConfig
from scitune_data.pipeline.papers import ExtractOptions
from scitune_data.executors.base import Limits
from tests.pdf_factory import (
    broken_page_pdf, broken_xref_pdf, decompression_bomb_pdf, encrypted_pdf, javascript_pdf, many_images_pdf,
    many_pages_pdf, two_column_paper, zero_page_pdf)


@pytest.fixture(scope="module")
def bad_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    good = two_column_paper(folder / "good.pdf")
    (folder / "not_a_pdf.pdf").write_text("This is a plain text file with a .pdf name.\n")
    data = good.read_bytes()
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 3])
    encrypted_pdf(good, folder / "encrypted.pdf", "s3cret")
    zero_page_pdf(folder / "zero_pages.pdf")
    broken_page_pdf(folder / "broken_page.pdf")
    (folder / "notes.txt").write_text("not a pdf by name: ignored")
    return folder


@pytest.fixture(scope="module")
def built(bad_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    summary = LocalExecutor().run(BuildConfig(bad_dir, out, ExtractOptions(ocr="pdf-text")))
    errors: dict[str, list[dict]] = {}
    for row in pq.read_table(out / "errors.parquet").to_pylist():
        errors.setdefault(row["file"], []).append(row)
    figures = pq.read_table(out / "figures").to_pylist()
    return summary, errors, figures


@pytest.mark.parametrize(("name", "stage", "words"), [
    ("not_a_pdf.pdf", "open", "not a PDF"),
    ("truncated.pdf", "repair", "damaged PDF repaired"),
    ("encrypted.pdf", "open", "needs a password"),
    ("zero_pages.pdf", "open", "zero pages"),
    ("broken_page.pdf", "page", "page 2"),
])
def test_each_bad_file_gets_a_specific_error_row(built, name, stage, words):
    _, errors, _ = built
    row = errors[name][0]
    assert row["stage"] == stage
    assert words in row["message"]
    assert len(row["sha256"]) == 64


def test_good_file_is_still_processed_and_counts_add_up(built):
    summary, errors, figures = built
    assert "good.pdf" not in errors
    assert sorted(f["label"] for f in figures if f["source_file"] == "good.pdf") == [
        "Figure 1", "Figure 2", "Table 1"]
    assert summary.inputs == 6  # notes.txt is not an input
    assert summary.failed == 3  # a broken page or a repaired file loses pages, not the paper
    assert summary.succeeded == 3
    assert summary.errors + summary.warnings == sum(len(rows) for rows in errors.values())
    assert summary.warnings == 1 and errors["truncated.pdf"][0]["severity"] == "warning"  # repaired: maybe incomplete


def test_broken_page_keeps_the_other_pages(built):
    summary, errors, _ = built
    assert [row["page"] for row in errors["broken_page.pdf"]] == [2]
    assert summary.pages >= 3 + 2  # good.pdf's two pages and broken_page.pdf's readable ones


def test_password_opens_an_encrypted_pdf(bad_dir, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(bad_dir / "encrypted.pdf", folder)
    summary = LocalExecutor().run(BuildConfig(folder, tmp_path / "out", ExtractOptions(password="s3cret", ocr="none")))
    assert (summary.errors, summary.tables, summary.figures) == (0, 1, 2)
    wrong = LocalExecutor().run(BuildConfig(folder, tmp_path / "out2", ExtractOptions(password="nope", ocr="none")))
    message = pq.read_table(tmp_path / "out2" / "errors.parquet")["message"][0].as_py()
    assert wrong.failed == 1 and "does not open" in message


def test_strict_turns_errors_into_a_failing_exit(bad_dir, tmp_path):
    runner = CliRunner()
    base = ["build", "--pdf-dir", str(bad_dir), "-q", "--ocr", "none"]
    lenient = runner.invoke(app, [*base, "--out", str(tmp_path / "a")])
    strict = runner.invoke(app, [*base, "--out", str(tmp_path / "b"), "--strict"])
    assert lenient.exit_code == 0, lenient.output
    assert strict.exit_code == 1
    assert "6 papers (3 ok, 3 failed, 0 duplicates skipped)" in strict.output


@pytest.fixture(scope="module")
def worse(tmp_path_factory):
    """The rest of the bad-input suite, built by a real `build` with the default limits."""
    folder = tmp_path_factory.mktemp("worse")
    good = two_column_paper(folder / "good.pdf")
    many_pages_pdf(folder / "pages_2000.pdf")
    many_images_pdf(folder / "images_5000.pdf")
    decompression_bomb_pdf(folder / "bomb.pdf")
    javascript_pdf(folder / "javascript.pdf")
    broken_xref_pdf(good, folder / "broken_xref.pdf")
    (folder / "same_as_good.pdf").write_bytes(good.read_bytes())
    (folder / "link_to_good.pdf").symlink_to("good.pdf")
    (folder / "dangling.pdf").symlink_to("nowhere.pdf")
    (folder / "a_folder.pdf").mkdir()
    out = tmp_path_factory.mktemp("worse_out")
    started = time.monotonic()
    summary = LocalExecutor().run(BuildConfig(folder, out, ExtractOptions(ocr="pdf-text")), Limits(workers=2, timeout=120))
    seconds = time.monotonic() - started
    rows = pq.read_table(out / "errors.parquet").to_pylist()
    figures = pq.read_table(out / "figures").to_pylist()
    return summary, seconds, {r["file"]: r for r in rows}, {f["source_file"] for f in figures}


def test_every_input_is_accounted_for(worse):
    summary, seconds, errors, with_figures = worse
    assert summary.inputs == 9  # the folder named *.pdf is not an input
    assert summary.inputs == summary.succeeded + summary.failed + summary.skipped
    assert summary.skipped == 2 and summary.failed == 1
    assert seconds < 300


def test_duplicates_and_links_are_skipped_by_content(worse):
    _, _, errors, with_figures = worse
    assert errors["link_to_good.pdf"]["stage"] == errors["same_as_good.pdf"]["stage"] == "skip"
    assert "same bytes as good.pdf" in errors["same_as_good.pdf"]["message"]
    assert "good.pdf" in with_figures


def test_dangling_link_broken_xref_and_javascript(worse):
    _, _, errors, with_figures = worse
    assert errors["dangling.pdf"]["stage"] == "open" and "No such file" in errors["dangling.pdf"]["message"]
    assert errors["broken_xref.pdf"]["stage"] == "repair" and "broken_xref.pdf" in with_figures
    assert "javascript.pdf" not in errors and "javascript.pdf" in with_figures


def test_huge_inputs_finish_as_records_in_bounded_time(worse):
    summary, _, errors, with_figures = worse
    for name in ("pages_2000.pdf", "images_5000.pdf", "bomb.pdf"):
        assert name not in errors or errors[name]["stage"] in ("worker", "page")
    assert "images_5000.pdf" in with_figures  # the tiles under their caption
    assert summary.pages >= 2000
