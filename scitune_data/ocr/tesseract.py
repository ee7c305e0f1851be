"""Tesseract through tesserocr (needs Debian's ``tesseract-ocr`` language data)."""

from __future__ import annotations

import glob
import io
import os

from scitune_data.ocr.base import OcrUnavailable, WordBox, reading_order

TESSDATA_GLOBS = ("/usr/share/tesseract-ocr/*/tessdata", "/usr/share/tessdata", "/usr/local/share/tessdata")


def find_tessdata() -> str:
    """``$TESSDATA_PREFIX`` when set, else the first system folder holding ``eng.traineddata``."""
    if os.environ.get("TESSDATA_PREFIX"):
        return os.environ["TESSDATA_PREFIX"]
    for pattern in TESSDATA_GLOBS:
        for folder in sorted(glob.glob(pattern), reverse=True):
            if os.path.exists(os.path.join(folder, "eng.traineddata")):
                return folder
    raise OcrUnavailable("no Tesseract language data: apt-get install tesseract-ocr-eng "
                         "(or set TESSDATA_PREFIX)")


class TesseractEngine:
    name = "tesseract"

    def __init__(self, language: str = "eng") -> None:
        try:
            import tesserocr  # noqa: PLC0415
        except ModuleNotFoundError as error:
            raise OcrUnavailable("tesserocr is not installed: pip install 'scitune-data[ocr]'") from error
        self._tesserocr = tesserocr
        self._api = tesserocr.PyTessBaseAPI(path=find_tessdata(), lang=language,
                                            psm=tesserocr.PSM.SPARSE_TEXT)

    def read(self, images: list[bytes]) -> list[list[str]]:
        from PIL import Image  # noqa: PLC0415

        results = []
        for data in images:
            with Image.open(io.BytesIO(data)) as image:
                self._api.SetImage(image.convert("RGB"))
                self._api.Recognize()
                results.append(reading_order(self._words()))
        return results

    def _words(self) -> list[WordBox]:
        level = self._tesserocr.RIL.WORD
        words = []
        iterator = self._api.GetIterator()
        for item in self._tesserocr.iterate_level(iterator, level):
            text = item.GetUTF8Text(level)
            box = item.BoundingBox(level)
            if text and text.strip() and box:
                words.append(WordBox(text.strip(), *map(float, box)))
        return words
