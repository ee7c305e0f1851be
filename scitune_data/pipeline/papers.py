"""One paper in, figure rows and error rows out. Never raises for a bad input."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from scitune_data import storage
from scitune_data.figures.extract import ExtractedFigure, extract_document
from scitune_data.hashing import file_sha256
from scitune_data.pdf.open import PdfOpenError, open_pdf
from scitune_data.pdf.reader import paper_id_for
from scitune_data.pipeline.signals import FigureSignals, OcrPlan, figure_signals
from scitune_data.schema.figures import error_row, figure_row


FATAL_STAGES = ("open", "extract", "worker")


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    dpi: int = 150
    margin: float = 4.0
    password: str | None = None
    ocr: str = "auto"  # auto | pdf-text | none | an engine name (see scitune_data.ocr)
    figure_type_model: str | None = None  # open_clip ARCH:PRETRAINED for zero-shot types


@dataclass(slots=True)
class PaperOutcome:
    source_file: str
    sha256: str
    pages: int = 0
    figures: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    skipped: bool = False  # a duplicate of another input: not processed

    @property
    def failed(self) -> bool:
        """True when nothing could be read from the paper (page errors alone do not fail it)."""
        return any(error["stage"] in FATAL_STAGES for error in self.errors)

    def add_error(self, stage: str, error: BaseException, page: int | None = None) -> None:
        message = str(error) or type(error).__name__
        self.errors.append(error_row(
            file=self.source_file, sha256=self.sha256, stage=stage, error_type=type(error).__name__,
            message=f"page {page}: {message}" if page is not None else message, page=page))


def extracted_row(figure: ExtractedFigure, signals: FigureSignals, paper_id: str, sha256: str,
                  source_file: str) -> dict:
    return figure_row(
        paper_id=paper_id, pdf_sha256=sha256, source_file=source_file, source="pdf", figure_id=figure.figure_id,
        kind=figure.kind, label=figure.label, page=figure.page, bbox=[round(v, 2) for v in figure.bbox.as_list()],
        caption=figure.caption, caption_no_index=signals.caption_no_index,
        caption_normalized=signals.caption_normalized, caption_page=figure.caption_page,
        caption_bbox=[round(v, 2) for v in figure.caption_bbox.as_list()], figure_type=signals.figure_type,
        figure_type_source=signals.figure_type_source, ocr=signals.ocr, ocr_source=signals.ocr_source,
        mentions=signals.mentions, mention_sentences=signals.mention_sentences, is_vector=figure.is_vector,
        dpi=figure.dpi, width=figure.width, height=figure.height, image=figure.png,
        image_path=f"{paper_id}/{figure.figure_id}.png")


def duplicate_outcome(source_file: str, original: str) -> PaperOutcome:
    outcome = PaperOutcome(source_file, "", skipped=True)
    outcome.add_error("skip", DuplicateFile(f"same bytes as {original}: skipped"))
    return outcome


class FigureRenderError(Exception):
    """One figure's region could not be rendered; the paper's other figures are kept."""


class DuplicateFile(Exception):
    """The input repeats another input byte for byte."""


class WorkerFailure(Exception):
    """The worker processing the paper hung, crashed or ran out of memory."""


class Timeout(WorkerFailure):
    """The worker ran past the per-paper time limit and was killed."""


class MemoryLimit(WorkerFailure):
    """The worker ran past the per-worker memory limit."""


class WorkerCrash(WorkerFailure):
    """The worker process died for another reason (a native crash, a signal)."""


WORKER_FAILURES: dict[str, type[WorkerFailure]] = {"timeout": Timeout, "memory": MemoryLimit, "crash": WorkerCrash}


def failed_outcome(path: Path, source_file: str, kind: str, message: str) -> PaperOutcome:
    """The error row of a paper whose worker failed (``kind``: timeout | memory | crash)."""
    try:
        sha256 = file_sha256(path)
    except OSError:
        sha256 = ""
    outcome = PaperOutcome(source_file, sha256)
    outcome.add_error("worker", WORKER_FAILURES.get(kind, WorkerCrash)(message))
    return outcome


def process_paper(path: Path, source_file: str, options: ExtractOptions) -> PaperOutcome:
    """Extract every figure and table of one PDF; failures become error rows."""
    try:
        sha256 = file_sha256(path)
    except OSError as error:
        outcome = PaperOutcome(source_file, "")
        outcome.add_error("open", error)
        return outcome
    outcome = PaperOutcome(source_file, sha256)
    try:
        doc, repaired = open_pdf(path, options.password)
    except PdfOpenError as error:
        outcome.add_error("open", error)
        return outcome
    if repaired is not None:
        outcome.add_error("repair", repaired)
    paper_id = paper_id_for(Path(source_file))
    with doc:
        outcome.pages = doc.page_count
        try:
            result = extract_document(doc, dpi=options.dpi, margin=options.margin)
        except Exception as error:  # noqa: BLE001 - report, never stop the build
            outcome.add_error("extract", error)
            return outcome
    for page, error in result.page_errors:
        outcome.add_error("page", error, page=page)
    for page, label, error in result.figure_errors:
        outcome.add_error("figure", FigureRenderError(f"{label}: {error or type(error).__name__}"), page=page)
    signals, failures = figure_signals(result, OcrPlan(options.ocr), options.figure_type_model)
    for figure_id, error in failures:
        outcome.add_error("ocr", RuntimeError(f"{figure_id}: {error}"))
    outcome.figures = [extracted_row(f, s, paper_id, sha256, source_file)
                       for f, s in zip(result.figures, signals)]
    return outcome


def process_location(location: str, source_file: str, options: ExtractOptions) -> PaperOutcome:
    """:func:`process_paper` for a local path or a URL (MuPDF reads local files: an object is
    fetched into a temporary folder first)."""
    if not storage.is_remote(location):
        return process_paper(Path(location), source_file, options)
    with tempfile.TemporaryDirectory() as folder:
        local = Path(folder) / "input.pdf"
        local.write_bytes(storage.read_bytes(location))
        return process_paper(local, source_file, options)
