"""arXiv's bulk archives as users have them: a tar (or a compressed tar, or a zip) of PDFs, a
folder of them, or a URL, read in place. The figures are those of the unpacked folder; a corrupt
member or a damaged archive is an error row and the rest goes on; kill -9 then resume gives the
bytes of an uninterrupted run."""

from __future__ import annotations

import gzip
import hashlib
import io
import subprocess
import sys
import tarfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from scitune_data.cli.main import app
from scitune_data.executors.local import LocalExecutor
from scitune_data.pipeline.archives import list_members, read_members
from scitune_data.pipeline.build import BuildConfig
from scitune_data.pipeline.limits import Limits
from scitune_data.pipeline.papers import ExtractOptions
from scitune_data.records.recipe import load_recipe
from tests.arxiv_factory import NOT_A_PDF, write_tar, write_zip
from tests.conftest import EXAMPLES, build_command, build_outputs, killed_after_first_batch, said
from tests.pdf_factory import layout_variety_paper, two_column_paper

SOURCE_FIELDS = ("source_file",)


@pytest.fixture(scope="module")
def members(tmp_path_factory) -> dict[str, bytes]:
    """Member names as arXiv's PDF archives have them (a month's folder; new- and old-style
    ids with versions), real PDFs, and one corrupt member."""
    scratch = tmp_path_factory.mktemp("papers")
    return {
        "2307/2307.01139v2.pdf": (EXAMPLES / "naacl2018_elmo.pdf").read_bytes(),
        "2307/2307.04321v1.pdf": two_column_paper(scratch / "a.pdf").read_bytes(),
        "2307/2307.09999v1.pdf": NOT_A_PDF,
        "9901/hep-th9901001v3.pdf": layout_variety_paper(scratch / "b.pdf").read_bytes(),
    }


def unpacked(folder: Path, members: dict[str, bytes]) -> Path:
    for name, data in members.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def build(pdf_dir, out: Path, batch_size: int = 2, recipe=None, **config):
    return LocalExecutor().run(BuildConfig(str(pdf_dir), out, ExtractOptions(ocr="pdf-text"), batch_size=batch_size,
                                           recipe=recipe, **config), Limits(workers=2))


def parts(out: Path) -> list[list[dict]]:
    """Each part file's rows, without the fields that say where the PDF was read from."""
    return [[{k: v for k, v in row.items() if k not in SOURCE_FIELDS} for row in pq.read_table(part).to_pylist()]
            for part in sorted((out / "figures").glob("*.parquet"))]


def errors(out: Path) -> list[tuple[str, str, str]]:
    return [(e["file"], e["stage"], e["severity"]) for e in pq.read_table(out / "errors.parquet").to_pylist()]


@pytest.fixture(scope="module")
def folder_build(members, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("folder")
    out = root / "out"
    build(unpacked(root / "in", members), out)
    return out


@pytest.mark.parametrize("mode,suffix", [("w", ".tar"), ("w:gz", ".tar.gz")])
def test_an_archive_gives_the_unpacked_folders_figures_and_its_corrupt_member_an_error_row(
        mode, suffix, members, folder_build, tmp_path):
    archive = write_tar(tmp_path / f"arXiv_pdf_2307_001{suffix}", dict(reversed(members.items())), mode)
    summary = build(archive, tmp_path / "out")
    assert (summary.inputs, summary.succeeded, summary.failed) == (4, 3, 1)
    assert parts(tmp_path / "out") == parts(folder_build) and sum(map(len, parts(folder_build))) > 5
    rows = pq.read_table(tmp_path / "out" / "figures", columns=["paper_id", "version", "source_file"]).to_pylist()
    assert {(r["paper_id"], r["version"]) for r in rows} == {
        ("2307.01139", "v2"), ("2307.04321", "v1"), ("hep-th/9901001", "v3")}
    assert f"{archive.name}!/9901/hep-th9901001v3.pdf" in {r["source_file"] for r in rows}
    assert errors(tmp_path / "out") == [(f"{archive.name}!/2307/2307.09999v1.pdf", "open", "error")]


def test_a_folder_of_archives_and_loose_pdfs_and_a_zip_with_a_damaged_member(members, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    names = list(members)
    write_tar(folder / "a.tar", {names[0]: members[names[0]]})
    zipped = write_zip(folder / "b.zip", {names[1]: members[names[1]], names[3]: members[names[3]]})
    data = bytearray(zipped.read_bytes())
    start = data.index(b"PK\x03\x04", 1)  # the second member's local header: damage its compressed bytes
    data[start + 200:start + 260] = bytes(60)
    zipped.write_bytes(bytes(data))
    (folder / "loose.pdf").write_bytes(members[names[1]])  # the same bytes as a zip member: a duplicate
    summary = build(folder, tmp_path / "out")
    assert (summary.inputs, summary.succeeded, summary.failed, summary.skipped) == (4, 2, 1, 1)
    problems = [(p["file"], p["stage"], p["error_type"], p["severity"])
                for p in pq.read_table(tmp_path / "out" / "errors.parquet").to_pylist()]
    assert problems == [("b.zip!/9901/hep-th9901001v3.pdf", "archive", "ArchiveMemberUnreadable", "error"),
                        ("loose.pdf", "skip", "DuplicateFile", "info")]
    message = pq.read_table(tmp_path / "out" / "errors.parquet").to_pylist()[0]["message"]
    assert "cannot be unpacked" in message


def test_damaged_or_foreign_archives_are_error_rows_and_the_rest_is_built(members, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    whole = write_tar(tmp_path / "whole.tar", members).read_bytes()
    first = list_members(str(tmp_path / "whole.tar")).members
    cut = first[2].offset + 100  # inside the third member, in name order
    (folder / "cut.tar").write_bytes(whole[:cut])
    (folder / "notes.tar").write_text("not an archive at all")
    (folder / "cut.tar.gz").write_bytes(gzip.compress(whole)[:len(whole) // 4])
    result = CliRunner().invoke(app, ["build", "--pdf-dir", str(folder), "--out", str(tmp_path / "out"), "--ocr",
                                      "pdf-text", "-q", "--figures-only", "--workers", "1"])
    assert result.exit_code == 0, result.output
    found = {(e["file"], e["stage"]): e["message"] for e in pq.read_table(tmp_path / "out" / "errors.parquet").to_pylist()}
    assert "not a tar or zip archive" in found[("notes.tar", "input")]
    assert "entries after it are not read" in found[("cut.tar", "input")]
    assert "entries after it are not read" in found[("cut.tar.gz", "input")]
    assert "truncated" in found[("cut.tar!/2307/2307.09999v1.pdf", "archive")]
    built = {r["source_file"] for r in pq.read_table(tmp_path / "out" / "figures", columns=["source_file"]).to_pylist()}
    assert built == {"cut.tar!/2307/2307.01139v2.pdf", "cut.tar!/2307/2307.04321v1.pdf"}


def test_members_are_read_in_place_in_the_order_asked_and_a_stream_in_its_own(members, tmp_path):
    plain = write_tar(tmp_path / "p.tar", members)
    packed = write_tar(tmp_path / "p.tar.gz", members, "w:gz")
    for archive, kind in ((plain, "tar"), (packed, "stream")):
        listing = list_members(str(archive))
        assert listing.kind == kind and listing.damage is None
        wanted = list(reversed(listing.members))[:2]
        got = [(member.name, data) for member, data in read_members(str(archive), kind, wanted)]
        order = [m.name for m in wanted] if kind == "tar" else [m.name for m in listing.members if m in wanted]
        assert [name for name, _ in got] == order and all(data == members[name] for name, data in got)


def test_kill_dash_nine_then_rerun_on_an_archive_gives_the_uninterrupted_bytes(members, tmp_path):
    archive = write_tar(tmp_path / "arXiv_pdf_2307_001.tar", members)
    build(archive, tmp_path / "whole", batch_size=1, recipe=load_recipe("scitune-multitask"))
    command = build_command("--pdf-dir", archive, "--out", tmp_path / "killed", "--ocr", "pdf-text", "--recipe",
                            "scitune-multitask", "--batch-size", "1", "--workers", "2", "-q")
    resumed = killed_after_first_batch(command, tmp_path / "killed")
    assert resumed.returncode == 0, resumed.stderr
    assert "batches resumed" in said(resumed.stderr)
    assert build_outputs(tmp_path / "killed") == build_outputs(tmp_path / "whole")
    again = subprocess.run(command, capture_output=True, text=True)  # every member kept but the corrupt one, retried
    assert "3 batches resumed" in said(again.stderr)
    assert build_outputs(tmp_path / "killed") == build_outputs(tmp_path / "whole")


def test_a_folder_of_archives_at_an_fsspec_url_through_the_command_line(members, folder_build, tmp_path):
    fsspec = pytest.importorskip("fsspec")
    memory = fsspec.filesystem("memory")
    memory.pipe("/arxiv/pdf/arXiv_pdf_2307_001.tar", write_tar(tmp_path / "a.tar", members).read_bytes())
    memory.pipe("/arxiv/pdf/README.txt", b"not an input")
    try:  # the URL stays a URL (not a path "memory:/arxiv/pdf"); workers are forked: they see this memory
        result = CliRunner().invoke(app, ["build", "--pdf-dir", "memory://arxiv/pdf", "--out", str(tmp_path / "out"),
                                          "--ocr", "pdf-text", "--batch-size", "2", "--figures-only", "-q"])
        assert result.exit_code == 0, result.output
        assert parts(tmp_path / "out") == parts(folder_build)
    finally:
        memory.rm("/arxiv", recursive=True)


def test_a_name_stored_twice_builds_the_last_entry_as_unpacking_would(members, tmp_path):
    names = list(members)
    archive = tmp_path / "twice.tar"
    write_tar(archive, {names[1]: members[names[3]]})  # an older entry under the name, then the real one appended
    with tarfile.open(archive, "a") as tar:
        info = tarfile.TarInfo(names[1])
        info.size = len(members[names[1]])
        tar.addfile(info, io.BytesIO(members[names[1]]))
    summary = build(archive, tmp_path / "out")
    assert (summary.inputs, summary.succeeded) == (1, 1)
    rows = pq.read_table(tmp_path / "out" / "figures", columns=["pdf_sha256"]).to_pylist()
    assert {r["pdf_sha256"] for r in rows} == {hashlib.sha256(members[names[1]]).hexdigest()}
    assert [(e[1], e[2]) for e in errors(tmp_path / "out")] == [("input", "info")]


def test_storage_options_reach_the_filesystems_of_urls_in_every_process(monkeypatch, tmp_path):
    fsspec = pytest.importorskip("fsspec")
    from scitune_data import storage

    monkeypatch.setenv("FSSPEC_MEMORY", "{}")  # restored after the test, as is fsspec's configuration
    monkeypatch.setitem(fsspec.config.conf, "memory", {})
    storage.use_options(["memory://arxiv/pdf", str(tmp_path), None], {"requester_pays": True})
    child = subprocess.run([sys.executable, "-c", "import fsspec; print(fsspec.core.url_to_fs('memory://x')[0]"
                            ".storage_options)"], capture_output=True, text=True, check=True)
    assert "'requester_pays': True" in child.stdout  # a worker, or a Ray task given these variables
    assert fsspec.core.url_to_fs("memory://x")[0].storage_options == {"requester_pays": True}
    for bad in ("[1]", "{requester_pays"):
        result = CliRunner().invoke(app, ["build", "--pdf-dir", "memory://arxiv/pdf", "--out", str(tmp_path / "o"),
                                          "--storage-options", bad])
        assert result.exit_code == 2 and "--storage-options" in said(result.output)
