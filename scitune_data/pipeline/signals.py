"""The four CTOM signals of each extracted figure: Type, Caption variants, in-figure text (OCR)
and the paragraphs that Mention it."""

from __future__ import annotations

from dataclasses import dataclass, field

from scitune_data.classify.evidence import FigureEvidence
from scitune_data.classify.model import classify_figures
from scitune_data.figures.extract import DocumentResult, ExtractedFigure
from scitune_data.ocr import DEFAULT_ENGINE, OcrEngine, OcrUnavailable, load_engine
from scitune_data.schema.figures import error_text
from scitune_data.text.caption_variants import caption_no_index, caption_normalized
from scitune_data.text.mentions import Mentions, find_mentions, key_for_label


@dataclass(slots=True)
class FigureSignals:
    figure_type: str
    figure_type_source: str
    caption_no_index: str
    caption_normalized: str
    ocr: list[str] = field(default_factory=list)
    ocr_source: str = ""
    mentions: list[str] = field(default_factory=list)
    mention_sentences: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class OcrPlan:
    """Which text each figure gets: ``auto`` reads the PDF's text layer and sends figures
    without one (rasters, text drawn as outlines) to the OCR engine; ``pdf-text`` never runs an engine; an engine name
    runs that engine on every figure; ``none`` reads nothing."""

    mode: str = "auto"

    def engine_name(self) -> str | None:
        if self.mode in ("none", "pdf-text"):
            return None
        return DEFAULT_ENGINE if self.mode == "auto" else self.mode

    def wants_engine(self, figure: ExtractedFigure) -> bool:
        if self.mode in ("none", "pdf-text"):
            return False
        return self.mode != "auto" or not figure.text_tokens

    def text_layer(self, figure: ExtractedFigure) -> list[str]:
        return figure.text_tokens if self.mode in ("auto", "pdf-text") else []


def _engine(plan: OcrPlan) -> OcrEngine:
    """The plan's engine; raises :class:`OcrUnavailable` saying why it cannot run here (not
    installed, or failed to load: in a worker under a tight memory cap, say)."""
    name = plan.engine_name()
    assert name is not None, "only plans that run an engine load one"
    try:
        return load_engine(name)
    except OcrUnavailable:
        raise
    except Exception as error:  # noqa: BLE001 - a failed load (memory, a broken install) skips OCR
        raise OcrUnavailable(f"{name} could not be loaded: {error_text(error)}") from error


def figure_signals(result: DocumentResult, plan: OcrPlan, type_model: str | None = None,
                   ) -> tuple[list[FigureSignals], list[tuple[str, str]]]:
    """Signals for every figure of a document, and the figures whose OCR was skipped, with why
    (figure id, reason): an engine that is not installed, failed to load or failed to read.
    ``type_model`` names an open_clip model for zero-shot figure types (tables stay tables)."""
    keys = {key_for_label(f.kind, f.label) for f in result.figures}
    mentions = find_mentions(result.paragraphs, keys)
    signals, skipped = [], []
    for figure in result.figures:
        found = mentions.get(key_for_label(figure.kind, figure.label), Mentions())
        text = plan.text_layer(figure)
        signals.append(FigureSignals(
            figure_type="", figure_type_source="",
            caption_no_index=caption_no_index(figure.caption),
            caption_normalized=caption_normalized(figure.caption),
            ocr=text, ocr_source="pdf-text" if text else "",
            mentions=found.paragraphs, mention_sentences=found.sentences,
        ))
    pending = [i for i, figure in enumerate(result.figures)
               if not signals[i].ocr and plan.wants_engine(figure)]
    if pending:
        try:
            engine = _engine(plan)
            tokens = engine.read([result.figures[i].png for i in pending])
        except Exception as error:  # noqa: BLE001 - an OCR failure loses the OCR, not the figure
            reason = str(error) if isinstance(error, OcrUnavailable) else f"{plan.engine_name()} failed: {error_text(error)}"
            skipped.extend((result.figures[i].figure_id, reason) for i in pending)
        else:
            for i, words in zip(pending, tokens):
                signals[i].ocr, signals[i].ocr_source = words, engine.name
    _learned_types(result.figures, signals)
    if type_model is not None:
        _zero_shot_types(result.figures, signals, type_model)
    return signals, skipped


def _learned_types(figures: list[ExtractedFigure], signals: list[FigureSignals]) -> None:
    chosen = [i for i, figure in enumerate(figures) if figure.kind == "figure"]
    predicted = classify_figures([evidence_of(figures[i]) for i in chosen])
    for i, (label, _probability) in zip(chosen, predicted):
        signals[i].figure_type, signals[i].figure_type_source = label, "model"
    for figure, signal in zip(figures, signals):
        if figure.kind == "table":
            signal.figure_type, signal.figure_type_source = "Table", "kind"


def _zero_shot_types(figures: list[ExtractedFigure], signals: list[FigureSignals], spec: str) -> None:
    from scitune_data.classify.clip import load_clip  # noqa: PLC0415 - torch only when asked for

    chosen = [i for i, figure in enumerate(figures) if figure.kind == "figure"]
    if not chosen:
        return
    for i, (label, _probability) in zip(chosen, load_clip(spec).classify([figures[i].png for i in chosen])):
        signals[i].figure_type, signals[i].figure_type_source = label, "clip"


def evidence_of(figure: ExtractedFigure) -> FigureEvidence:
    """What the figure-type model reads of an extracted figure. Its text is the PDF's text layer
    only, whatever the OCR mode, so a figure gets the same type with or without an OCR engine."""
    stats = figure.stats
    return FigureEvidence(
        caption=figure.caption, tokens=tuple(figure.text_tokens), text_lines=stats.text_lines, box=figure.bbox,
        rasters=stats.rasters, raster_share=stats.raster_share, path_boxes=stats.path_boxes,
        path_styles=stats.path_styles, pixels=stats.pixels,
    )
