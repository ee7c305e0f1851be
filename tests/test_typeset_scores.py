"""The typeset benchmark's per-class and per-feature scores agree with the referee's own totals."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pymupdf
import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks" / "typeset"))

from corpus import Paper, gold_folder  # noqa: E402
from score import load_referee, score, table  # noqa: E402

REFEREE = ROOT.parent / "shared" / "tools" / "score_figures.py"
pytestmark = pytest.mark.skipif(not REFEREE.exists(), reason="../shared/tools/score_figures.py is not present")


def paper(folder: Path, name: str, doc_class: str, items: list[dict]) -> tuple[Paper, str]:
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / f"{name}.pdf"
    with pymupdf.open() as doc:
        doc.new_page().insert_text((72, 72), name)
        doc.new_page()
        doc.save(pdf)
    sha = hashlib.sha256(pdf.read_bytes()).hexdigest()
    gold = folder / f"{name}.gold.json"
    gold.write_text(json.dumps({"pages": 2, "pdf_sha256": sha, "figures": items}))
    return Paper(name, "synthetic", doc_class, pdf, gold), sha


def item(page: int, box: list[float], caption: str, *features: str) -> dict:
    return {"page": page, "kind": "figure", "label": caption.split(":")[0], "bbox": box, "caption": caption,
            "features": list(features)}


def test_tallies_follow_the_referee(tmp_path):
    referee = load_referee(REFEREE)
    a, sha_a = paper(tmp_path / "src", "a", "article-1col", [
        item(1, [100, 100, 300, 200], "Figure 1: One.", "layout:wide"),
        item(2, [100, 100, 300, 200], "Figure 2: Two.", "layout:plain"),
    ])
    b, sha_b = paper(tmp_path / "src", "b", "llncs", [item(1, [50, 50, 150, 150], "Figure 1: Three.", "layout:plain")])
    rows = [
        {"pdf_sha256": sha_a, "kind": "figure", "page": 1, "bbox": [100, 100, 300, 200], "caption": "Figure 1: One."},
        {"pdf_sha256": sha_a, "kind": "figure", "page": 2, "bbox": [100, 130, 300, 200], "caption": "Figure 2: Tw"},
        {"pdf_sha256": sha_a, "kind": "figure", "page": 1, "bbox": [400, 400, 500, 500], "caption": "stray"},
    ]  # b: nothing found
    predictions = tmp_path / "pred"
    predictions.mkdir()
    pq.write_table(pa.Table.from_pylist(rows), predictions / "part-0.parquet")

    scores = score([a, b], referee.load_predictions(predictions), referee)
    assert scores.by_class["synthetic:article-1col"].row(referee)["f1@0.5"] == pytest.approx(0.8)  # 2 of 3 / 2 of 2
    assert scores.by_class["synthetic:llncs"].row(referee)["f1@0.5"] == 0.0
    wide, plain = scores.by_feature["layout:wide"], scores.by_feature["layout:plain"]
    assert (wide.gold, wide.pred, wide.tp80) == (1, 2, 1), "the stray box on page 1 is charged to its page"
    assert (plain.gold, plain.tp50, plain.tp80, plain.cap_exact) == (2, 1, 0, 0)
    assert "| class llncs | 1 | 0.000 |" in table(scores, referee)

    folder = gold_folder([a, b], tmp_path / "gold")
    summary = subprocess.run([sys.executable, str(REFEREE), "--pred", str(predictions), "--gold", str(folder),
                              "--quiet"], capture_output=True, text=True, check=True).stdout
    total = scores.by_group["synthetic"].row(referee)
    assert f"f1@0.5={round(total['f1@0.5'], 4)}" in summary and f"f1@0.8={round(total['f1@0.8'], 4)}" in summary
    assert f"caption_exact={round(total['caption_exact'], 4)}" in summary
