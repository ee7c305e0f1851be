"""One paper in, figure rows and error rows out. Never raises for a bad input."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from scitune_data import __version__, storage
from scitune_data.arxiv.ids import paper_name
from scitune_data.figures.extract import DocumentResult, ExtractedFigure, extract_document
from scitune_data.hashing import file_sha256
from scitune_data.ocr import ENGINE_PACKAGES
from scitune_data.pdf.open import PdfOpenError, open_pdf
from scitune_data.pipeline import page_checks
from scitune_data.pipeline.inputs import printable
from scitune_data.pipeline.signals import FigureSignals, OcrPlan, figure_signals
from scitune_data.schema.figures import error_row, error_text, figure_row

FATAL_STAGES = ("open", "archive", "extract", "worker")
# How much each stage's rows lose: the whole paper or part of it (error), maybe a signal (warning),
# nothing (info). Stages not listed (an importer's) are errors.
SEVERITY = {"open": "error", "archive": "error", "extract": "error", "worker": "error", "page": "error", "figure": "error",
            "input": "error", "repair": "warning", "content": "warning", "text-layer": "warning",
            "ocr": "warning", "metadata": "warning", "skip": "info"}


@dataclass(frozen=True, slots=True)
class ExtractOptions:
    dpi: int = 150
    margin: float = 4.0
    password: str | None = None
    ocr: str = "auto"  # auto | pdf-text | none | an engine name (see scitune_data.ocr)
    figure_type_model: str | None = None  # open_clip ARCH:PRETRAINED for zero-shot types


def engine_versions(options: ExtractOptions) -> dict[str, str]:
    """Versions of everything that decides a paper's output under ``options``."""
    packages = ["pymupdf", *ENGINE_PACKAGES.get(OcrPlan(options.ocr).engine_name() or "", ())]
    if options.figure_type_model is not None:
        packages += ["open_clip_torch", "torch"]
    found = {"scitune_data": __version__}
    for package in packages:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    return found


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
        message = error_text(error)
        self.errors.append(error_row(
            file=self.source_file, sha256=self.sha256, stage=stage, error_type=type(error).__name__,
            message=f"page {page}: {message}" if page is not None else message, page=page,
            severity=SEVERITY.get(stage, "error")))


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


class PageTooLarge(Exception):
    """A page (or a region of it) too large for MuPDF to read or render at this resolution."""


class ContentStreamDamaged(Exception):
    """MuPDF stopped reading a page's content where its stream is damaged: what follows is lost."""


class NoTextLayer(Exception):
    """Pages with ink but no text (scans without OCR): no caption on them can be read."""


class OcrSkipped(Exception):
    """Figures that needed OCR (no text layer inside them) did not get it."""


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


def failed_outcome(source_file: str, sha256: str, kind: str, message: str) -> PaperOutcome:
    """The error row of a paper whose worker failed (``kind``: timeout | memory | crash)."""
    outcome = PaperOutcome(source_file, sha256)
    outcome.add_error("worker", WORKER_FAILURES.get(kind, WorkerCrash)(message))
    return outcome


class ArchiveMemberUnreadable(Exception):
    """A PDF inside an archive whose bytes cannot be read out of it (damaged, truncated)."""


def unreadable_outcome(source_file: str, reason: str) -> PaperOutcome:
    outcome = PaperOutcome(source_file, "")
    outcome.add_error("archive", ArchiveMemberUnreadable(reason))
    return outcome


def process_paper(path: Path, source_file: str, options: ExtractOptions) -> PaperOutcome:
    """Extract every figure and table of one PDF; failures and losses become error rows."""
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
    paper_id = paper_name(source_file).id
    with doc:
        outcome.pages = doc.page_count
        page_checks.start_listening()
        try:
            result = extract_document(doc, dpi=options.dpi, margin=options.margin)
        except Exception as error:  # noqa: BLE001 - report, never stop the build
            outcome.add_error("extract", error)
            return outcome
        _report_losses(outcome, doc, result, options.dpi)
    signals, skipped = figure_signals(result, OcrPlan(options.ocr), options.figure_type_model)
    _report_skipped_ocr(outcome, skipped)
    outcome.figures = [extracted_row(f, s, paper_id, sha256, source_file)
                       for f, s in zip(result.figures, signals)]
    return outcome


def _report_losses(outcome: PaperOutcome, doc, result: DocumentResult, dpi: int) -> None:
    """Error rows for what extraction lost (pages, figures) and warning rows for what it could
    not see (damaged content streams, pages without a text layer)."""
    for page, error in result.page_errors:
        if isinstance(error, page_checks.TOO_LARGE):
            error = PageTooLarge(f"too large to read ({page_checks.page_size(doc, page)}): {error_text(error)}")
        outcome.add_error("page", error, page=page)
    for page, label, error in result.figure_errors:
        if isinstance(error, page_checks.TOO_LARGE):
            error = PageTooLarge(f"{label}: too large to render at {dpi} dpi on a {page_checks.page_size(doc, page)} "
                                 f"page ({error_text(error)}); a lower --dpi may render it")
        else:
            error = FigureRenderError(f"{label}: {error_text(error)}")
        outcome.add_error("figure", error, page=page)
    complaint = page_checks.damage_heard()
    if complaint:
        damaged = page_checks.damaged_pages(doc) or [(None, complaint)]
        for page, said in damaged:
            outcome.add_error("content", ContentStreamDamaged(
                f"content stream damaged ({said}): text and figures after the damage are missing"), page=page)
    missing, inked = page_checks.pages_without_text(doc)
    if missing and len(missing) == inked:
        outcome.add_error("text-layer", NoTextLayer(
            f"no text layer on any of its pages ({inked} with ink; a scan without OCR?): no caption can be read, so no "
            "figure is found; OCR the PDF first (e.g. with ocrmypdf)"))
    else:
        for page in missing:
            outcome.add_error("text-layer", NoTextLayer(
                "no text layer (a scanned page?): captions on it cannot be read"), page=page)


def _report_skipped_ocr(outcome: PaperOutcome, skipped: list[tuple[str, str]]) -> None:
    """One warning row per reason, naming the figures it cost their in-figure text."""
    by_reason: dict[str, list[str]] = {}
    for figure_id, reason in skipped:
        by_reason.setdefault(reason, []).append(figure_id)
    for reason, figures in by_reason.items():
        hint = "; --ocr pdf-text reads the text layer only, on purpose" if "not installed" in reason else ""
        outcome.add_error("ocr", OcrSkipped(
            f"no in-figure text for {', '.join(figures)} (no text layer inside, OCR skipped): {reason}{hint}"))


def process_location(location: str, source_file: str, options: ExtractOptions) -> PaperOutcome:
    """:func:`process_paper` for a local path or a URL. MuPDF reads local files by UTF-8 names:
    an object is fetched first (see :func:`process_data`), and a file whose name is not UTF-8
    is read through a link with a plain name."""
    if storage.is_remote(location):
        return process_data(storage.read_bytes(location), source_file, options)
    if printable(location) == location:
        return process_paper(Path(location), source_file, options)
    with tempfile.TemporaryDirectory() as folder:
        local = Path(folder) / "input.pdf"
        local.symlink_to(os.path.abspath(location))
        return _named(process_paper(local, source_file, options), local, source_file)


def process_data(data: bytes, source_file: str, options: ExtractOptions) -> PaperOutcome:
    """:func:`process_paper` for a PDF's bytes (an object fetched, a member read out of an
    archive), held in a temporary file while MuPDF reads it."""
    with tempfile.TemporaryDirectory() as folder:
        local = Path(folder) / "input.pdf"
        local.write_bytes(data)
        return _named(process_paper(local, source_file, options), local, source_file)


def _named(outcome: PaperOutcome, local: Path, source_file: str) -> PaperOutcome:
    """The outcome with the temporary file's name in error messages replaced by the input's
    (the same bytes whatever temporary folder the run used)."""
    for error in outcome.errors:
        error["message"] = error["message"].replace(str(local), source_file)
    return outcome
