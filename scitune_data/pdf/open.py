"""Open a PDF or say precisely why not."""

from __future__ import annotations

from pathlib import Path

import pymupdf

HEADER_WINDOW = 1024  # the PDF spec lets "%PDF-" start anywhere in the first KiB

# MuPDF prints repairs and errors to stderr; we report them in error rows instead.
pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)


class PdfOpenError(Exception):
    """The file cannot be read as a PDF; the message says why in a user's words."""


class PdfRepaired(Exception):
    """Not fatal: MuPDF rebuilt a damaged file (pages may be missing or empty)."""


def open_pdf(path: Path, password: str | None = None) -> tuple[pymupdf.Document, PdfRepaired | None]:
    """The opened document, and a note when MuPDF had to repair it."""
    with path.open("rb") as handle:
        head = handle.read(HEADER_WINDOW)
    if b"%PDF-" not in head:
        raise PdfOpenError("not a PDF: no %PDF- header in the first 1 KiB")
    pymupdf.TOOLS.reset_mupdf_warnings()
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception as error:  # noqa: BLE001 - MuPDF raises several types for broken files
        raise PdfOpenError(f"unreadable PDF: {error}") from error
    repair = _repair_warning()
    if doc.needs_pass:
        if password is None:
            doc.close()
            raise PdfOpenError("encrypted: the PDF needs a password (pass --password)")
        if not doc.authenticate(password):
            doc.close()
            raise PdfOpenError("encrypted: the password given does not open this PDF")
    if doc.page_count == 0:
        doc.close()
        if repair:
            raise PdfOpenError(f"damaged PDF (truncated?): {repair}; repair found no pages")
        raise PdfOpenError("zero pages: the PDF has no pages")
    note = PdfRepaired(f"damaged PDF repaired: {repair}; {doc.page_count} pages recovered") if repair else None
    return doc, note


def _repair_warning() -> str:
    """MuPDF's first complaint when it had to rebuild the file's cross-reference table
    (lost objects, maybe lost pages); lesser repairs (an outline) lose nothing we use."""
    warnings = pymupdf.TOOLS.mupdf_warnings()
    if "repairing PDF document" not in warnings and "broken xref" not in warnings:
        return ""
    lines = [line for line in warnings.splitlines() if line and not line.startswith("...")]
    return lines[0] if lines else "cross-reference table rebuilt"
