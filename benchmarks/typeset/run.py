"""The typeset benchmark: exact gold from LaTeX, scored per document class and per float feature.

    python benchmarks/typeset/run.py --n 300 --seed 0

Generates ``--n`` seeded synthetic papers over twelve document classes, compiles them and the real
LaTeX sources of ``../shared/latex`` with typesetgold.sty, induces gold from the TeX run, runs
``scitune-data build`` over the PDFs, scores with the referee (``../shared/tools/score_figures.py``)
and prints one table plus the worst cases. Compiled papers and their gold are cached in ``--work``:
a rerun only builds and scores again.

The build runs whatever ``scitune-data`` is importable: set PYTHONPATH (or ``--scitune-checkout``)
to point at the checkout to measure, or replace the whole command with ``--scitune-cmd``.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

from contact_sheet import contact_sheet, gold_items
from corpus import gold_folder, prepare
from extractor import DEFAULT_COMMAND, Extractor
from score import describe, load_referee, score, table, worst_cases
from texrun import have_pdflatex

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=300, help="synthetic papers (classes in turn)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=Path.home() / ".cache" / "scitune-data" / "typeset-benchmark")
    parser.add_argument("--latex-dir", type=Path, default=SHARED / "latex", help="real sources (NAME/src/BUILD.txt)")
    parser.add_argument("--no-real", action="store_true", help="synthetic papers only")
    parser.add_argument("--referee", type=Path, default=SHARED / "tools" / "score_figures.py")
    parser.add_argument("--jobs", type=int, default=2, help="processes for compiling and inducing")
    parser.add_argument("--workers", type=int, default=2, help="scitune-data build --workers")
    parser.add_argument("--scitune-cmd", default=DEFAULT_COMMAND,
                        help="command that runs the scitune-data CLI (default: this Python, honouring PYTHONPATH)")
    parser.add_argument("--scitune-checkout", type=Path, help="prepend this checkout to PYTHONPATH for the build")
    parser.add_argument("--timeout", type=int, default=120, help="build --timeout: seconds per paper")
    parser.add_argument("--worst", type=int, default=30, help="worst cases to list")
    parser.add_argument("--contact-sheet", type=int, default=0, metavar="N",
                        help="also draw N random gold items on their pages (WORK/contact-sheet.png)")
    args = parser.parse_args()
    if not have_pdflatex():
        raise SystemExit("pdflatex is not on PATH: install TeX Live (scripts/system-deps.sh)")
    referee = load_referee(args.referee)
    latex_dir = None if args.no_real or not args.latex_dir.is_dir() else args.latex_dir
    args.work.mkdir(parents=True, exist_ok=True)
    extractor = Extractor(args.scitune_cmd, args.scitune_checkout, args.work)
    print(f"extractor: {extractor.describe()}")

    start = time.perf_counter()
    papers = prepare(args.work, args.n, args.seed, latex_dir, args.jobs)
    prepared = time.perf_counter()
    failed = [p for p in papers if p.gold is None]
    print(f"prepared {len(papers) - len(failed)} of {len(papers)} papers in {prepared - start:.0f} s "
          f"({args.jobs} processes; cached papers are not compiled again)")
    for paper in failed:
        print(f"  left out {paper.name}: {paper.error}")

    predictions: dict[str, list[dict]] = {}
    for group in ("synthetic", "real"):
        members = [p for p in papers if p.group == group]
        if not any(p.gold for p in members):
            continue
        folder = gold_folder(members, args.work / "gold" / group)
        out = args.work / "build" / group
        failed_builds = extractor.build(folder, out, args.workers, args.timeout)
        if failed_builds:
            print(f"build failed on {len(failed_builds)} {group} papers (scored as found nothing): "
                  + ", ".join(failed_builds))
        if any((out / "figures").glob("*.parquet")):
            predictions.update(referee.load_predictions(out / "figures"))
    built = time.perf_counter()

    scores = score(papers, predictions, referee)
    print(f"\nbuild {built - prepared:.0f} s; total {time.perf_counter() - start:.0f} s\n")
    print(table(scores, referee))
    print(f"\nworst cases ({args.worst}):")
    for item in worst_cases(scores, args.worst):
        print("  " + describe(item))
    report = args.work / "report.json"
    report.write_text(json.dumps({
        "summary": {k: v.row(referee) for k, v in scores.by_group.items()},
        "classes": {k: v.row(referee) for k, v in scores.by_class.items()},
        "features": {k: v.row(referee) for k, v in scores.by_feature.items()},
        "left_out": {p.name: p.error for p in failed},
        "items": [{"paper": r.paper.name, "page": r.gold["page"], "label": r.gold["label"], "iou": round(r.iou, 4),
                   "caption_exact": r.caption_exact, "features": r.features} for r in scores.items],
    }, indent=1))
    print(f"\nper-item report: {report}")
    if args.contact_sheet:
        items = gold_items([args.work / "gold" / "synthetic", args.work / "gold" / "real"])
        sample = random.Random(args.seed).sample(items, min(args.contact_sheet, len(items)))
        sheet = args.work / "contact-sheet.png"
        contact_sheet(sample).save(sheet)
        print(f"contact sheet of {len(sample)} items: {sheet}")


if __name__ == "__main__":
    main()
