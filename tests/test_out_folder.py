"""OUT is owned: scitune-data writes only into new, empty or its own folders, touches only the
files its marker lists, never deletes anything else (with or without --overwrite), and one
writer at a time holds the folder."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scitune_data.cli.main import app
from scitune_data.out_folder import FolderBusy, ForeignFolder, OutFolder, writing
from scitune_data.output_layout import LOCK_FILE, MARKER_FILE
from tests.conftest import said
from tests.pdf_factory import layout_variety_paper, two_column_paper


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("owned_pdfs")
    two_column_paper(folder / "a.pdf")
    layout_variety_paper(folder / "b.pdf")
    return folder


def build(pdf_dir: Path, out: Path, *extra: str):
    return CliRunner().invoke(app, ["build", "--pdf-dir", str(pdf_dir), "--out", str(out), "--ocr", "pdf-text",
                                    "-q", "--workers", "1", "--batch-size", "1", *extra])


def snapshot(files: dict[Path, bytes]) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in files}


def plant(out: Path) -> dict[Path, bytes]:
    """A user's own files, where a careless tool would clean up: beside and among the outputs."""
    files = {out / "notes.txt": b"my notes\n", out / "data" / "mine.parquet": b"PAR1 not ours PAR1",
             out / "figures" / "extra.parquet": b"PAR1 also mine PAR1", out / "figures" / "part-00007.parquet": b"mine",
             out / "_build" / "keep.json": b"{}", out / "figures" / ".part-00009.parquet.tmp": b"mine too"}
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


def test_a_folder_holding_someone_elses_files_is_refused_and_left_intact(pdfs, tmp_path):
    out = tmp_path / "out"
    planted = plant(out)
    before = sorted(p for p in out.rglob("*"))
    for extra in ((), ("--overwrite",)):
        result = build(pdfs, out, *extra)
        assert result.exit_code == 2
        assert "is not empty and is not a scitune-data output" in said(result.output) and "Traceback" not in said(result.output)
        assert snapshot(planted) == planted and sorted(out.rglob("*")) == before  # nothing written, nothing deleted


def test_user_files_put_into_an_output_survive_rebuilds_overwrites_and_a_shrinking_input(pdfs, tmp_path):
    out = tmp_path / "out"
    assert build(pdfs, out).exit_code == 0
    planted = plant(out)
    assert build(pdfs, out).exit_code == 0  # resumed
    assert build(pdfs, out, "--overwrite").exit_code == 0  # from scratch
    fewer = tmp_path / "fewer"
    fewer.mkdir()
    (fewer / "a.pdf").write_bytes((pdfs / "a.pdf").read_bytes())
    assert build(fewer, out, "--overwrite").exit_code == 0  # one batch left: part-00001 goes, the user's stay
    assert snapshot(planted) == planted
    assert not (out / "figures" / "part-00001.parquet").exists()
    owned = json.loads((out / MARKER_FILE).read_text())["files"]
    assert "figures/part-00001.parquet" not in owned and "notes.txt" not in owned


def test_a_name_taken_by_a_user_file_is_refused_not_overwritten(pdfs, tmp_path):
    out, one = tmp_path / "out", tmp_path / "one"
    one.mkdir()
    (one / "a.pdf").write_bytes((pdfs / "a.pdf").read_bytes())
    assert build(one, out, "--figures-only").exit_code == 0  # one batch: part-00000
    mine = out / "figures" / "part-00001.parquet"
    mine.write_bytes(b"a file of mine")
    result = build(pdfs, out, "--figures-only")  # two batches would need part-00001
    assert result.exit_code == 2
    assert f"{mine} exists and was not written by scitune-data" in said(result.output)
    assert mine.read_bytes() == b"a file of mine"


def test_out_that_is_a_file_is_one_clear_line(pdfs, tmp_path):
    out = tmp_path / "out.txt"
    out.write_text("not a folder")
    result = build(pdfs, out)
    assert result.exit_code == 2 and "is a file, not a folder" in said(result.output)
    assert "Traceback" not in said(result.output) and out.read_text() == "not a folder"


HOLD = """
import sys, time
from scitune_data.out_folder import writing
with writing(sys.argv[1]):
    print("held", flush=True)
    time.sleep(60)
"""


def test_a_second_writer_fails_at_once_and_the_lock_dies_with_its_holder(pdfs, tmp_path):
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(out)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        result = build(pdfs, out)
        assert result.exit_code == 1 and time.monotonic() - started < 10
        assert f"is being written by process {holder.pid}" in said(result.output) and "Traceback" not in said(result.output)
        with pytest.raises(FolderBusy):
            with writing(out):
                pass
    finally:
        holder.kill()  # as kill -9 would: the kernel drops the lock
        holder.wait()
    assert build(pdfs, out).exit_code == 0
    assert (out / LOCK_FILE).exists()


def test_the_lock_is_reentrant_in_one_process_and_writes_only_listed_names(tmp_path):
    with writing(tmp_path / "out") as folder, writing(tmp_path / "out"):
        folder.own(["figures/part-00000.parquet"])
        assert folder.owned() == {"figures/part-00000.parquet"}
        folder.remove(["figures/part-00000.parquet", "notes.txt"])  # notes.txt was never ours: ignored
        assert folder.owned() == set()
    with pytest.raises(ForeignFolder, match="cannot be read"):
        (tmp_path / "out" / MARKER_FILE).write_text("{broken")
        OutFolder(tmp_path / "out").claim()


def test_temp_files_left_by_a_killed_write_are_removed_and_only_those(tmp_path):
    out = tmp_path / "out"
    with writing(out) as folder:
        folder.own(["figures/part-00000.parquet"])
    (out / "figures").mkdir()
    ours, theirs = out / "figures" / ".part-00000.parquet.tmp", out / "figures" / ".mine.parquet.tmp"
    ours.write_bytes(b"half a part")
    theirs.write_bytes(b"a user's")
    with writing(out):
        pass
    assert not ours.exists() and theirs.read_bytes() == b"a user's"


def test_overwrite_rebuilds_even_when_the_config_is_the_same(pdfs, tmp_path):
    out = tmp_path / "out"
    assert build(pdfs, out, "--figures-only").exit_code == 0
    result = build(pdfs, out, "--figures-only", "--overwrite")
    assert result.exit_code == 0 and "batches resumed" not in said(result.output)


# --- importers and build share the rules: one OUT, written by either, never a user's file ------

def import_images(out: Path, source: Path, *extra: str):
    return CliRunner().invoke(app, ["import", "folder", "--source", str(source), "--out", str(out), *extra])


@pytest.fixture()
def images(tmp_path) -> Path:
    from tests.test_importers import png

    source = tmp_path / "images" / "paper-a"
    source.mkdir(parents=True)
    for number in (1, 2):
        (source / f"fig{number}.png").write_bytes(png(number))
        (source / f"fig{number}.txt").write_text(f"A scatter plot of mass against radius, run {number}.")
    return source.parent


def owned_sources(out: Path) -> set[str]:
    """The ``source`` column of the figures table OUT's marker lists."""
    import pyarrow.parquet as pq

    from scitune_data.out_folder import owned_figure_parts

    return {row["source"] for part in owned_figure_parts(out) for row in pq.read_table(part).to_pylist()}


def test_an_import_into_a_foreign_folder_is_refused_and_left_intact(images, tmp_path):
    out = tmp_path / "out"
    planted = plant(out)
    before = sorted(out.rglob("*"))
    result = import_images(out, images)
    assert result.exit_code == 2
    assert "is not empty and is not a scitune-data output" in said(result.output) and "Traceback" not in said(result.output)
    assert snapshot(planted) == planted and sorted(out.rglob("*")) == before and not (out / MARKER_FILE).exists()


def test_a_build_and_an_import_take_turns_in_one_output_folder(pdfs, images, tmp_path):
    from scitune_data.validate.checks import validate

    out = tmp_path / "out"
    assert import_images(out, images).exit_code == 0
    planted = plant(out)
    del planted[out / "data" / "mine.parquet"]  # validate checks every Parquet file under data/ against the manifest
    (out / "data" / "mine.parquet").unlink()
    built = build(pdfs, out)  # the import's parts are listed: the build replaces them
    assert built.exit_code == 0, built.output
    assert owned_sources(out) == {"pdf"} and validate(out).ok
    imported = import_images(out, images)  # and an import replaces a build, resume state included
    assert imported.exit_code == 0, imported.output
    assert owned_sources(out) == {"folder"} and validate(out).ok
    owned = json.loads((out / MARKER_FILE).read_text())["files"]
    assert not [name for name in owned if name.startswith("_build/") or name == "summary.json"]
    rebuilt = build(pdfs, out)  # a build redoes its work: the import's parts are not taken for its batches
    assert rebuilt.exit_code == 0 and "batches resumed" not in said(rebuilt.output)
    assert owned_sources(out) == {"pdf"} and validate(out).ok
    assert snapshot(planted) == planted  # the user's files, through all four runs


def test_inspect_and_publish_read_only_the_listed_figure_parts(multitask_out, tmp_path):
    import shutil

    import pyarrow as pa
    import pyarrow.parquet as pq

    from scitune_data.out_folder import owned_figure_parts

    out = tmp_path / "out"
    shutil.copytree(multitask_out, out)
    figures = sum(pq.read_metadata(part).num_rows for part in owned_figure_parts(out))
    pq.write_table(pa.table({"paper_id": ["mine"], "figure_id": ["x"], "figure_type": ["Planted"], "caption": ["x"]}),
                   out / "figures" / "mine.parquet")  # a user's table beside ours, and a broken file
    (out / "figures" / "part-00099.parquet").write_bytes(b"not Parquet")
    result = CliRunner().invoke(app, ["inspect", str(out), "--html", str(tmp_path / "gallery")])
    assert result.exit_code == 0, result.output
    assert f"{figures} figures" in said(result.stderr)
    result = CliRunner().invoke(app, ["publish", str(out), "--repo-id", "someone/x", "--dry-run", str(tmp_path / "tree")])
    assert result.exit_code == 0, result.output
    assert "Planted" not in (tmp_path / "tree" / "README.md").read_text()
