"""In-figure text: the PDF's own text layer first, an OCR engine for raster figures.

Engines are loaded lazily (their packages are optional: ``pip install 'scitune-data[ocr]'``)
and one instance is kept per process, since loading models costs seconds.
"""

from __future__ import annotations

from functools import cache

from scitune_data.ocr.base import OcrEngine, OcrUnavailable

ENGINES = ("rapidocr", "tesseract", "easyocr")
MODES = ("auto", "pdf-text", "none", *ENGINES)
DEFAULT_ENGINE = "rapidocr"


@cache
def load_engine(name: str) -> OcrEngine:
    """The named OCR engine, ready to read; raises :class:`OcrUnavailable` with an install hint."""
    if name == "rapidocr":
        from scitune_data.ocr.rapid import RapidOcrEngine  # noqa: PLC0415 - optional dependency

        return RapidOcrEngine()
    if name == "tesseract":
        from scitune_data.ocr.tesseract import TesseractEngine  # noqa: PLC0415

        return TesseractEngine()
    if name == "easyocr":
        from scitune_data.ocr.easy import EasyOcrEngine  # noqa: PLC0415

        return EasyOcrEngine()
    raise ValueError(f"unknown OCR engine {name!r}; choose one of {', '.join(ENGINES)}")


__all__ = ["DEFAULT_ENGINE", "ENGINES", "MODES", "OcrEngine", "OcrUnavailable", "load_engine"]
