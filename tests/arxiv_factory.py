"""Inputs as arXiv ships them, written by the tests: lines of the OAI metadata snapshot
(``arxiv-metadata-oai-snapshot.json``: every field the real file has, in its order), and
archives of PDFs (tar, compressed tar, zip) with a corrupt member."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from pathlib import Path

CC_BY = "http://creativecommons.org/licenses/by/4.0/"
CC_BY_SA = "http://creativecommons.org/licenses/by-sa/4.0/"
ARXIV = "http://arxiv.org/licenses/nonexclusive-distrib/1.0/"
NOT_A_PDF = b"%PDF-1.7\n" + b"\x00garbage, not a PDF body\n" * 40  # a header, then nothing MuPDF can read


def snapshot_entry(paper_id: str, title: str, categories: str, license: str | None,  # noqa: A002
                   created: list[str], update_date: str) -> dict:
    """One line of the snapshot, as arXiv writes it (a title wrapped over lines, categories one
    string, version dates in RFC 2822)."""
    return {
        "id": paper_id, "submitter": "A. Author", "authors": "A. Author, B. Author",
        "title": title.replace(" ", "\n  ", 1), "comments": "8 pages, 3 figures", "journal-ref": None, "doi": None,
        "report-no": None, "categories": categories, "license": license,
        "abstract": "  We study figures.\n", "versions": [{"version": f"v{i + 1}", "created": date}
                                                        for i, date in enumerate(created)],
        "update_date": update_date, "authors_parsed": [["Author", "A.", ""], ["Author", "B.", ""]],
    }


def write_snapshot(path: Path, entries: list[dict], extra_lines: tuple[str, ...] = ()) -> Path:
    path.write_text("".join(json.dumps(entry) + "\n" for entry in entries) + "".join(extra_lines), encoding="utf-8")
    return path


def examples_snapshot(path: Path, examples: Path) -> Path:
    """Metadata for the example papers (CC BY 4.0, as examples/ATTRIBUTION.md says), by file stem."""
    return write_snapshot(path, [
        snapshot_entry(pdf.stem, f"The example paper {pdf.stem}", "cs.CL cs.DL", CC_BY,
                       ["Mon, 6 Jul 2020 10:00:00 GMT"], "2020-07-06")
        for pdf in sorted(examples.glob("*.pdf"))])


def write_tar(path: Path, members: dict[str, bytes], mode: str = "w") -> Path:
    with tarfile.open(path, mode) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 1_700_000_000
            archive.addfile(info, io.BytesIO(data))
    return path


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return path
