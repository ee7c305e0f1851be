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
ENGINE_PACKAGES = {"rapidocr": ("rapidocr", "onnxruntime"), "tesseract": ("tesserocr",), "easyocr": ("easyocr", "torch")}


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


def check_engine(mode: str) -> None:
    """Raise :class:`OcrUnavailable` when ``mode`` names an engine that cannot run here. Checks
    packages and model files without loading models: build forks its workers afterwards, and
    a parent holding ONNX Runtime or torch threads must not fork."""
    from importlib.util import find_spec  # noqa: PLC0415

    if mode == "rapidocr" and (find_spec("rapidocr") is None or find_spec("onnxruntime") is None):
        raise OcrUnavailable("rapidocr is not installed: pip install 'scitune-data[ocr]'")
    if mode == "tesseract":
        if find_spec("tesserocr") is None:
            raise OcrUnavailable("tesserocr is not installed: pip install 'scitune-data[ocr]'")
        from scitune_data.ocr.tesseract import find_tessdata  # noqa: PLC0415

        find_tessdata()
    if mode == "easyocr":
        if find_spec("easyocr") is None:
            raise OcrUnavailable("easyocr is not installed: pip install easyocr")
        from scitune_data.ocr.easy import model_folder  # noqa: PLC0415

        model_folder()


__all__ = ["DEFAULT_ENGINE", "ENGINES", "ENGINE_PACKAGES", "MODES", "OcrEngine", "OcrUnavailable", "check_engine", "load_engine"]
