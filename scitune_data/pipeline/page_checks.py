"""Losses a paper suffers that extraction alone does not see, so they can be counted.

- A damaged content stream: MuPDF stops reading the page where the damage starts and says so only
  in its warnings; whatever the page draws after that point (text, figures) is silently missing.
- No text layer: a scanned page without OCR has no words, so no caption can be read and no
  figure found on it.
- A region too large to render: MuPDF refuses (or runs out of memory) and says so in its own
  codes; the user needs the page size and what to change.
"""

from __future__ import annotations

import pymupdf

DAMAGE_CUES = ("treating as end of file", "syntax error in content stream", "zlib error", "lzw error")
TOO_LARGE = (MemoryError, pymupdf.mupdf.FzErrorLimit, pymupdf.mupdf.FzErrorSystem)


def start_listening() -> None:
    """Forget MuPDF's earlier warnings (call before the work whose warnings matter)."""
    pymupdf.TOOLS.reset_mupdf_warnings()


def damage_heard() -> str | None:
    """MuPDF's first complaint since :func:`start_listening` that means a stream was cut short."""
    for line in pymupdf.TOOLS.mupdf_warnings().splitlines():
        if any(cue in line for cue in DAMAGE_CUES):
            return line.removeprefix("library error: ").strip()
    return None


def damaged_pages(doc: pymupdf.Document) -> list[tuple[int, str]]:
    """Pages (1-based) whose content stream MuPDF cannot read to the end, with its complaint.
    Costs one more pass over every page's content: run it only after :func:`damage_heard`."""
    found = []
    for page in doc:
        start_listening()
        try:
            page.get_bboxlog()
        except Exception:  # noqa: BLE001 - an unreadable page is reported by extraction already
            continue
        complaint = damage_heard()
        if complaint:
            found.append((page.number + 1, complaint))
    return found


def pages_without_text(doc: pymupdf.Document) -> tuple[list[int], int]:
    """Pages (1-based) that put ink on paper but have no text layer, and how many pages have
    ink at all. A page that uses a font has a text layer; only font-less pages are read."""
    missing, inked = [], 0
    for page in doc:
        try:
            has_fonts = bool(page.get_fonts())
            has_ink = has_fonts or bool(page.get_bboxlog())
            if has_ink:
                inked += 1
            if has_ink and not has_fonts and not page.get_text("text").strip():
                missing.append(page.number + 1)
        except Exception:  # noqa: BLE001 - an unreadable page is reported by extraction already
            continue
    return missing, inked


def page_size(doc: pymupdf.Document, page: int) -> str:
    rect = doc[page - 1].rect
    return f"{rect.width:.0f} x {rect.height:.0f} pt"
