"""Every loss is counted: what a paper loses without failing (a damaged content stream, pages
without a text layer, OCR that did not run) is a row in the errors table with its severity, the
summary shows it and --strict fails on it. Figures too large to render at the asked dpi are
rendered at one that fits instead of being lost."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from scitune_data.cli.main import app
from scitune_data.pipeline.papers import ExtractOptions, process_paper
from scitune_data.schema.figures import ERRORS_SCHEMA
from tests.conftest import said
from tests.pdf_factory import (
    damaged_stream_pdf, oversized_pdf, paper_with_text_raster, scanned_pdf, two_column_paper)


def build(pdf_dir, out, *extra):
    return CliRunner().invoke(app, ["build", "--pdf-dir", str(pdf_dir), "--out", str(out), "-q", "--workers", "1",
                                    "--figures-only", *extra])


def rows_by_file(out) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for row in pq.read_table(out / "errors.parquet").to_pylist():
        found.setdefault(row["file"], []).append(row)
    return found


@pytest.fixture(scope="module")
def lossy(tmp_path_factory):
    """One good paper and one of each loss, built once with --strict."""
    folder = tmp_path_factory.mktemp("lossy")
    good = two_column_paper(folder / "good.pdf")
    damaged_stream_pdf(good, folder / "damaged_stream.pdf", page=0)
    scanned_pdf(good, folder / "scanned.pdf")
    scanned_pdf(good, folder / "half_scanned.pdf", pages={0})
    oversized_pdf(good, folder / "poster.pdf", scale=80)
    out = tmp_path_factory.mktemp("lossy_out")
    result = build(folder, out, "--ocr", "pdf-text", "--strict")
    figures = pq.read_table(out / "figures").to_pylist()
    return result, rows_by_file(out), {f["source_file"] for f in figures}, out


def test_a_damaged_content_stream_is_a_warning_on_its_page(lossy):
    _, errors, with_figures, _ = lossy
    (row,) = errors["damaged_stream.pdf"]
    assert (row["stage"], row["severity"], row["page"]) == ("content", "warning", 1)
    assert "content stream damaged" in row["message"] and "zlib" in row["message"]
    assert "damaged_stream.pdf" in with_figures  # page 2's table is still there


def test_a_scan_without_text_is_one_warning_for_the_paper_and_a_scanned_page_one_for_the_page(lossy):
    _, errors, _, _ = lossy
    (scan,) = errors["scanned.pdf"]
    assert (scan["stage"], scan["severity"], scan["page"]) == ("text-layer", "warning", None)
    assert "no text layer on any of its pages" in scan["message"]
    (half,) = errors["half_scanned.pdf"]
    assert (half["stage"], half["severity"], half["page"]) == ("text-layer", "warning", 1)


def test_figures_on_a_poster_sized_page_are_rendered_at_a_dpi_that_fits(lossy):
    """A page 80 times a paper's size: its figures come out smaller, none is lost."""
    _, errors, with_figures, out = lossy
    assert "poster.pdf" not in errors and "poster.pdf" in with_figures
    posters = [f for f in pq.read_table(out / "figures").to_pylist() if f["source_file"] == "poster.pdf"]
    assert len(posters) == 3 and all(f["dpi"] < 150 for f in posters)
    assert json.loads((out / "summary.json").read_text())["failed"] == 0


def test_the_summary_counts_warnings_and_strict_fails_on_them(lossy):
    result, errors, _, out = lossy
    summary = json.loads((out / "summary.json").read_text())
    warnings = sum(r["severity"] == "warning" for rows in errors.values() for r in rows)
    assert summary["warnings"] == warnings == 3 and summary["errors"] == 0
    assert result.exit_code == 1 and "--strict: 0 errors and 3 warnings" in said(result.output)
    assert pq.read_schema(out / "errors.parquet").equals(ERRORS_SCHEMA)


def test_strict_fails_on_a_warning_alone_and_not_on_a_duplicate(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    good = two_column_paper(folder / "good.pdf")
    (folder / "copy.pdf").write_bytes(good.read_bytes())
    assert build(folder, tmp_path / "a", "--ocr", "pdf-text", "--strict").exit_code == 0  # a skip is info
    scanned_pdf(good, folder / "scanned.pdf")
    result = build(folder, tmp_path / "b", "--ocr", "pdf-text", "--strict")
    assert result.exit_code == 1 and "--strict: 0 errors and 1 warnings" in said(result.output)


def test_ocr_that_cannot_run_in_the_worker_is_a_warning_naming_the_figures(tmp_path, monkeypatch):
    """An engine that cannot load where the paper is processed (here: EasyOCR without its model
    files; under a tight memory cap, any engine) costs the figures their text, not the paper."""
    pdf = paper_with_text_raster(tmp_path / "raster.pdf", ["loss", "epoch"])
    monkeypatch.setenv("SCITUNE_EASYOCR_MODELS", str(tmp_path / "no_models"))
    outcome = process_paper(pdf, "raster.pdf", ExtractOptions(ocr="easyocr"))
    (row,) = outcome.errors
    assert (row["stage"], row["severity"], row["error_type"]) == ("ocr", "warning", "OcrSkipped")
    assert "Figure1" in row["message"] and "easyocr" in row["message"]
    assert len(outcome.figures) == 2 and not outcome.failed


def test_an_engine_that_fails_to_load_is_not_reported_as_not_installed(tmp_path, monkeypatch):
    """Under a memory cap, importing an engine's native libraries fails with an ImportError that
    is not 'module not found': the row must say what happened, not send the user to pip."""
    broken = tmp_path / "site" / "easyocr"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text(
        'raise ImportError("libtorch_cpu.so: failed to map segment from shared object")\n')
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    models = tmp_path / "models"
    models.mkdir()
    for name in ("craft_mlt_25k.pth", "english_g2.pth"):
        (models / name).write_bytes(b"")
    monkeypatch.setenv("SCITUNE_EASYOCR_MODELS", str(models))
    pdf = paper_with_text_raster(tmp_path / "raster.pdf", ["loss", "epoch"])
    (row,) = process_paper(pdf, "raster.pdf", ExtractOptions(ocr="easyocr")).errors
    assert "easyocr could not be loaded: libtorch_cpu.so: failed to map segment" in row["message"]
    assert "not installed" not in row["message"] and row["severity"] == "warning"
