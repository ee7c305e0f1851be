"""Paper-level splits from a seeded hash of the paper id: no paper in two splits, and adding
papers never moves the ones already assigned."""

from __future__ import annotations

import hashlib

from scitune_data.output_layout import SPLITS


def split_of(paper_id: str, fractions: dict[str, float], seed: int = 0) -> str:
    digest = hashlib.sha256(f"{seed}:{paper_id}".encode()).digest()
    position = int.from_bytes(digest[:8], "big") / 2**64
    cumulative = 0.0
    for split in SPLITS:
        cumulative += fractions.get(split, 0.0)
        if position < cumulative:
            return split
    return next(s for s in reversed(SPLITS) if fractions.get(s, 0.0) > 0)
