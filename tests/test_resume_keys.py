"""Resume keys hold everything that changes a result: a rerun redoes a replaced file (whatever
its size and date), retries failed papers, redoes papers that met trouble when a password or
the limits change, and everything when the engines change; it keeps what is still right."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pyarrow.parquet as pq
import pymupdf
import pytest

from scitune_data.executors.local import LocalExecutor
from scitune_data.pipeline.build import BuildConfig
from scitune_data.pipeline.inputs import change_stamp, discover_inputs, find_sources, plan_inputs
from scitune_data.pipeline.limits import Limits
from scitune_data.pipeline.papers import ExtractOptions
from tests.pdf_factory import encrypted_pdf, scanned_pdf, two_column_paper


def run(pdf_dir: Path, out: Path, password: str | None = None, timeout: float = 300.0) -> tuple[int, object]:
    """Build (figures only); returns how many papers the rerun kept, and the summary."""
    seen = []
    config = BuildConfig(pdf_dir, out, ExtractOptions(ocr="pdf-text", password=password), batch_size=8)
    summary = LocalExecutor().run(config, Limits(timeout=timeout), on_progress=seen.append)
    return seen[0].files, summary


def figures(out: Path) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for row in pq.read_table(out / "figures", columns=["source_file", "caption", "pdf_sha256"]).to_pylist():
        found.setdefault(row["source_file"], []).append(row)
    return found


def outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted([*out.glob("figures/*.parquet"), out / "errors.parquet"])}


@pytest.fixture()
def folder(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    two_column_paper(folder / "good.pdf")
    return folder


def _recaptioned(pdf: bytes, old: str, new: str) -> bytes:
    """The same PDF with one caption's words changed (in its content stream)."""
    with pymupdf.open("pdf", pdf) as doc:
        for xref in doc[0].get_contents():
            stream = doc.xref_stream(xref)
            if old.encode().hex().encode() in stream:
                doc.update_stream(xref, stream.replace(old.encode().hex().encode(), new.encode().hex().encode()))
        return doc.tobytes()


def test_a_replaced_file_of_the_same_size_and_date_is_redone(folder, tmp_path):
    paper = folder / "good.pdf"
    old = paper.read_bytes()
    new = _recaptioned(old, "A raster figure with", "A raster picture of ")
    size = max(len(old), len(new))
    old, new = old.ljust(size, b"\n"), new.ljust(size, b"\n")  # blank lines after %%EOF: still valid PDFs
    paper.write_bytes(old)
    run(folder, tmp_path / "out")
    status = paper.stat()
    paper.write_bytes(new)
    os.utime(paper, ns=(status.st_atime_ns, status.st_mtime_ns))  # as `cp -p` or a sync tool leaves it
    assert paper.stat().st_size == status.st_size and new != old
    kept, _ = run(folder, tmp_path / "out")
    rows = figures(tmp_path / "out")["good.pdf"]
    assert kept == 0
    assert any("raster picture of" in row["caption"] for row in rows)
    assert {row["pdf_sha256"] for row in rows} == {hashlib.sha256(new).hexdigest()}


def test_a_touched_file_with_the_same_bytes_is_kept(folder, tmp_path):
    run(folder, tmp_path / "out")
    os.utime(folder / "good.pdf", (1, 1))
    assert run(folder, tmp_path / "out")[0] == 1


def test_a_failed_paper_is_retried_and_the_rest_of_its_batch_kept_byte_for_byte(folder, tmp_path):
    (folder / "not_a_pdf.pdf").write_text("plain text")
    run(folder, tmp_path / "out")
    first = outputs(tmp_path / "out")
    kept, summary = run(folder, tmp_path / "out")
    assert kept == 1 and summary.failed == 1  # good.pdf kept, not_a_pdf.pdf tried again
    assert outputs(tmp_path / "out") == first


def test_a_password_retries_the_encrypted_paper_and_keeps_the_clean_one(folder, tmp_path):
    encrypted_pdf(folder / "good.pdf", folder / "locked.pdf", "s3cret")
    _, before = run(folder, tmp_path / "out")
    assert before.failed == 1
    kept, after = run(folder, tmp_path / "out", password="s3cret")
    assert kept == 1 and after.failed == 0 and "locked.pdf" in figures(tmp_path / "out")


def test_new_limits_redo_papers_that_met_trouble_and_keep_clean_ones(folder, tmp_path):
    scanned_pdf(folder / "good.pdf", folder / "scanned.pdf")  # a warning: met trouble
    run(folder, tmp_path / "out")
    assert run(folder, tmp_path / "out")[0] == 2  # same settings: both kept
    assert run(folder, tmp_path / "out", timeout=600)[0] == 1  # scanned.pdf redone


def test_other_engine_versions_redo_everything(folder, tmp_path):
    out = tmp_path / "out"
    run(folder, out)
    marker = out / "_build" / "batch-00000.json"
    data = json.loads(marker.read_text())
    data["versions"]["pymupdf"] = "0.0.1"
    marker.write_text(json.dumps(data))
    assert run(folder, out)[0] == 0


def test_planning_reuses_a_recorded_hash_only_while_the_stamp_is_unchanged(folder):
    sources, _ = find_sources(folder, discover_inputs(folder)[0])
    stamp = change_stamp(sources[0].location)[1]
    (kept,) = plan_inputs(sources, {"good.pdf": (stamp, "recorded")})
    assert kept.sha256 == "recorded"  # not read again
    (rehashed,) = plan_inputs(sources, {"good.pdf": ([0, 0, 0, 0], "recorded")})
    assert rehashed.sha256 == hashlib.sha256((folder / "good.pdf").read_bytes()).hexdigest()
