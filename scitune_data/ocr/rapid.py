"""RapidOCR (PP-OCR models shipped inside the PyPI wheel: runs offline)."""

from __future__ import annotations

import logging

from scitune_data.ocr.base import OcrUnavailable, WordBox, decode_png, reading_order


class RapidOcrEngine:
    name = "rapidocr"

    def __init__(self, use_cuda: bool | None = None) -> None:
        try:
            from rapidocr import RapidOCR  # noqa: PLC0415
        except ModuleNotFoundError as error:
            raise OcrUnavailable("rapidocr is not installed: pip install 'scitune-data[ocr]'") from error
        if use_cuda is None:
            use_cuda = _cuda_available()
        params = {"Global.log_level": "error", "EngineConfig.onnxruntime.use_cuda": use_cuda}
        self._ocr = RapidOCR(params=params)
        logging.getLogger("RapidOCR").setLevel(logging.ERROR)

    def read(self, images: list[bytes]) -> list[list[str]]:
        return [self._read_one(image) for image in images]

    def _read_one(self, image: bytes) -> list[str]:
        result = self._ocr(decode_png(image))
        if result.boxes is None or not result.txts:
            return []
        boxes = [WordBox(text, float(quad[:, 0].min()), float(quad[:, 1].min()),
                         float(quad[:, 0].max()), float(quad[:, 1].max()))
                 for text, quad in zip(result.txts, result.boxes)]
        return reading_order(boxes)


def _cuda_available() -> bool:
    try:
        import onnxruntime  # noqa: PLC0415
    except ImportError:
        return False
    return "CUDAExecutionProvider" in onnxruntime.get_available_providers()
