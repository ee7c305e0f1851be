"""Quality filters and cross-paper dedup, counting what was dropped and why.

Exact duplicates compare the crop's pixels hash; near duplicates a 64-bit difference hash
(dHash of a 9x8 grey thumbnail) within a Hamming distance, found through four 16-bit bands
(two hashes within distance 3 share a band exactly, so lookups stay constant-time); captions
compare their normalised text. The first occurrence (in input order) is kept; only hashes are
held in memory, so a million figures cost tens of megabytes.
"""

from __future__ import annotations

import hashlib
import io
from collections import Counter, defaultdict

import numpy as np
from PIL import Image

from scitune_data.records.recipe import Dedup, Filters

BANDS = 4


def difference_hash(png: bytes) -> int:
    with Image.open(io.BytesIO(png)) as image:
        grey = np.asarray(image.convert("L").resize((9, 8), Image.Resampling.LANCZOS), dtype=np.int16)
    bits = (grey[:, 1:] > grey[:, :-1]).flatten()
    return int("".join("1" if b else "0" for b in bits), 2)


def _bands(value: int) -> list[tuple[int, int]]:
    return [(band, (value >> (16 * band)) & 0xFFFF) for band in range(BANDS)]


class FigureFilter:
    """Decides, figure by figure, whether it goes into the shards."""

    def __init__(self, filters: Filters, dedup: Dedup) -> None:
        self.filters, self.dedup = filters, dedup
        self.dropped: Counter[str] = Counter()
        self._exact: dict[str, str] = {}
        self._near: dict[tuple[int, int], list[tuple[int, str]]] = defaultdict(list)
        self._captions: dict[str, str] = {}

    def reason_to_drop(self, row: dict) -> str | None:
        """Why this figure is dropped, or None to keep it (and remember it for dedup)."""
        reason = self._quality(row) or self._duplicate(row)
        if reason:
            self.dropped[reason] += 1
        return reason

    def _quality(self, row: dict) -> str | None:
        width, height = row.get("width") or 0, row.get("height") or 0
        if min(width, height) < self.filters.min_side:
            return "tiny_crop"
        if max(width, height) > self.filters.max_aspect * max(min(width, height), 1):
            return "aspect_ratio"
        if self.filters.require_caption and not row["caption_no_index"].strip():
            return "empty_caption"
        return None

    def _duplicate(self, row: dict) -> str | None:
        paper, png = row["paper_id"], row["image"]["bytes"]
        exact = hashlib.sha256(png).hexdigest()
        if self.dedup.exact_images and self._exact.get(exact, paper) != paper:
            return "duplicate_image"
        near = difference_hash(png) if self.dedup.near_images >= 0 else None
        if near is not None and self._near_duplicate(near, paper):
            return "near_duplicate_image"
        caption = " ".join(row["caption_no_index"].split())
        if self.dedup.captions and caption and self._captions.get(caption, paper) != paper:
            return "duplicate_caption"
        self._exact.setdefault(exact, paper)
        self._captions.setdefault(caption, paper)
        if near is not None:
            for band in _bands(near):
                self._near[band].append((near, paper))
        return None

    def _near_duplicate(self, value: int, paper: str) -> bool:
        for band in _bands(value):
            for other, other_paper in self._near.get(band, ()):
                if other_paper != paper and bin(value ^ other).count("1") <= self.dedup.near_images:
                    return True
        return False
