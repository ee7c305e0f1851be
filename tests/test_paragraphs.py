"""Body paragraphs rebuilt from a real two-column layout (MuPDF's HTML engine sets the text)."""

from __future__ import annotations

import pymupdf
import pytest

from scitune_data.figures.extract import extract_document
from tests.pdf_factory import flowing_paper


@pytest.fixture(scope="module")
def paragraphs(tmp_path_factory):
    path = flowing_paper(tmp_path_factory.mktemp("flow") / "flow.pdf")
    with pymupdf.open(path) as doc:
        assert doc.page_count == 2  # the layout really spills onto a second page
        return extract_document(doc).paragraphs


def test_paragraphs_run_across_columns_and_pages(paragraphs):
    texts = [p.text for p in paragraphs]
    first = next(t for t in texts if "first long paragraph" in t)
    second = next(t for t in texts if "second paragraph cites" in t)
    assert first.count("Alpha beta") == 30 and first.endswith("the first long paragraph ends here.")
    assert second.count("Alpha beta") == 40 and second.endswith("Table 2 near its end.")
    assert len(texts) == 3


def test_headings_running_heads_and_references_are_not_paragraphs(paragraphs):
    text = " ".join(p.text for p in paragraphs)
    assert "Introduction" not in text and "References" not in text
    assert "Journal of Tests" not in text
    assert "Figure 3 of a reference" not in text
