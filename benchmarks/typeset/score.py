"""Scores by document class and by float feature (synthetic papers), and per real source, with the
referee's own matching.

The referee (``../shared/tools/score_figures.py``) is imported unchanged: its prediction loader,
one-to-one IoU matching, F1 and caption normalisation. Per class, a paper's gold and predictions
count whole. Per feature, the gold items with the feature count, with the predictions matched to
them; a prediction matched to nothing counts for every feature found on its page (a false positive
next to a wide figure is charged to "wide" and to whatever else that page holds).
"""

from __future__ import annotations

import importlib.util
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from corpus import Paper


def load_referee(path: Path) -> ModuleType:
    if not path.exists():
        raise SystemExit(f"{path}: the referee is missing (pass --referee PATH to score_figures.py)")
    spec = importlib.util.spec_from_file_location("score_figures", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Tally:
    gold: int = 0
    pred: int = 0
    tp50: int = 0
    tp80: int = 0
    cap_exact: int = 0

    def add(self, other: "Tally") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def row(self, referee: ModuleType) -> dict[str, float]:
        f50 = referee.prf(self.tp50, self.pred, self.gold)[2]
        f80 = referee.prf(self.tp80, self.pred, self.gold)[2]
        return {"items": self.gold, "f1@0.5": f50, "f1@0.8": f80,
                "caption_exact": self.cap_exact / self.tp50 if self.tp50 else 0.0}


@dataclass
class ItemResult:
    paper: Paper
    gold: dict
    iou: float = 0.0
    caption_exact: bool = False
    caption_similarity: float = 0.0
    predicted_caption: str = ""
    features: list[str] = field(default_factory=list)


@dataclass
class Scores:
    by_class: dict[str, Tally]
    by_feature: dict[str, Tally]
    by_group: dict[str, Tally]
    by_real_paper: dict[str, Tally]
    items: list[ItemResult]


def score(papers: list[Paper], predictions: dict[str, list[dict]], referee: ModuleType) -> Scores:
    by_class: dict[str, Tally] = defaultdict(Tally)
    by_feature: dict[str, Tally] = defaultdict(Tally)
    by_group: dict[str, Tally] = defaultdict(Tally)
    by_real: dict[str, Tally] = defaultdict(Tally)
    items: list[ItemResult] = []
    for paper in papers:
        if paper.gold is None:
            continue
        gold_doc = json.loads(paper.gold.read_text())
        gold = gold_doc["figures"]
        preds = predictions.get(gold_doc["pdf_sha256"], [])
        matches = referee.match_paper(gold, preds)
        paper_tally = Tally(gold=len(gold), pred=len(preds))
        matched_preds = {id(p) for _, _, p in matches}
        results = {id(g): ItemResult(paper, g, features=g.get("features", [])) for g in gold}
        for iou, g, p in matches:
            r = results[id(g)]
            r.iou, r.predicted_caption = iou, p.get("caption") or ""
            r.caption_similarity = referee.caption_similarity(g["caption"], r.predicted_caption)
            r.caption_exact = referee.norm_caption(g["caption"]) == referee.norm_caption(r.predicted_caption)
        for r in results.values():
            item = Tally(gold=1, pred=1 if r.iou > 0 else 0, tp50=r.iou >= 0.5, tp80=r.iou >= 0.8,
                         cap_exact=r.iou >= 0.5 and r.caption_exact)
            paper_tally.tp50, paper_tally.tp80 = paper_tally.tp50 + item.tp50, paper_tally.tp80 + item.tp80
            paper_tally.cap_exact += item.cap_exact
            for feature in r.features if paper.group == "synthetic" else []:
                by_feature[feature].add(item)
        for p in preds if paper.group == "synthetic" else []:  # unmatched: charged to their page's features
            if id(p) not in matched_preds:
                page_features = {f for g in gold if int(g["page"]) == int(p["page"]) for f in g.get("features", [])}
                for feature in page_features:
                    by_feature[feature].pred += 1
        by_class[f"{paper.group}:{paper.doc_class}"].add(paper_tally)
        by_group[paper.group].add(paper_tally)
        if paper.group == "real":
            by_real[paper.name].add(paper_tally)
        items += results.values()
    return Scores(dict(by_class), dict(by_feature), dict(by_group), dict(by_real), items)


# The table shows what the generator varies; the gold also holds derived features (env:, sideways, ...).
FEATURE_ORDER = ["layout:", "content:", "caption:", "caption-", "label:", "section:"]


def feature_rank(name: str) -> tuple[int, str]:
    return next((i for i, prefix in enumerate(FEATURE_ORDER) if name.startswith(prefix)), len(FEATURE_ORDER)), name


def table(scores: Scores, referee: ModuleType) -> str:
    """One Markdown table: synthetic papers by class and by feature, then the real sources."""
    lines = ["| set | items | F1@0.5 | F1@0.8 | caption_exact |", "|---|---|---|---|---|"]

    def add(label: str, tally: Tally) -> None:
        r = tally.row(referee)
        lines.append(f"| {label} | {r['items']} | {r['f1@0.5']:.3f} | {r['f1@0.8']:.3f} | {r['caption_exact']:.3f} |")

    for group in ("synthetic", "real"):
        if group in scores.by_group:
            add(f"**all {group}**", scores.by_group[group])
    for name in sorted(k for k in scores.by_class if k.startswith("synthetic:")):
        add(f"class {name.split(':', 1)[1]}", scores.by_class[name])
    for name in sorted((f for f in scores.by_feature if f.startswith(tuple(FEATURE_ORDER))), key=feature_rank):
        add(f"feature {name}", scores.by_feature[name])
    for name in sorted(scores.by_real_paper):
        add(f"real {name}", scores.by_real_paper[name])
    return "\n".join(lines)


def failure(r: ItemResult) -> str:
    return "missed" if r.iou < 0.5 else f"IoU {r.iou:.2f}" if r.iou < 0.8 else "caption"


def worst_cases(scores: Scores, limit: int, per_kind: int = 2) -> list[ItemResult]:
    """Half missed items, a quarter loose boxes (IoU < 0.8), a quarter wrong captions, each worst first
    and at most ``per_kind`` of one (class, failure, layout, content), so the list spans the failures."""
    quota = {"missed": limit // 2, "IoU": limit // 4, "caption": limit - limit // 2 - limit // 4}
    bad = sorted((r for r in scores.items if r.iou < 0.8 or not r.caption_exact),
                 key=lambda r: (r.iou >= 0.5, r.iou, r.caption_similarity))
    picked, seen = [], Counter()
    for r in bad:
        what = failure(r).split()[0]
        kind = (r.paper.doc_class, what,
                *(next((f for f in r.features if f.startswith(p)), "") for p in ("layout:", "content:")))
        if seen[kind] < per_kind and seen[what] < quota[what]:
            seen[kind] += 1
            seen[what] += 1
            picked.append(r)
    return picked


def describe(r: ItemResult) -> str:
    tags = ",".join(f for f in r.features if not f.startswith(("caption-", "env:")))
    caption = "" if r.caption_exact or r.iou < 0.5 else f" | pred caption: {r.predicted_caption[:70]!r}"
    return f"{r.paper.name} p{r.gold['page']} {r.gold['label']!r} [{tags}] {failure(r)} " \
           f"(cap sim {r.caption_similarity:.2f}){caption}"
