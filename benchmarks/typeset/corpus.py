"""The benchmark's papers: seeded synthetic papers and the real LaTeX sources, compiled with
typesetgold.sty and induced into ``NAME.pdf`` + ``NAME.gold.json`` pairs, cached by content.

A paper is compiled again only when its source or the TeX hook changed, and induced again only
when the induction code changed; a rerun with nothing changed only re-scores.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from induce import InductionError, induce
from texrun import TEX_DIR, CompileError, compile_paper

HERE = Path(__file__).resolve().parent
TEX_CODE = [TEX_DIR / "typesetgold.sty", HERE / "texrun.py"]
ASSET_CODE = [HERE / "synthetic" / "assets.py"]
INDUCTION_CODE = [HERE / "induce.py", HERE / "records.py"]


@dataclass
class Paper:
    name: str
    group: str  # "synthetic" or "real"
    doc_class: str
    pdf: Path | None = None
    gold: Path | None = None
    error: str = ""


def digest(paths: list[Path], *extra: str) -> str:
    h = hashlib.sha256()
    for path in paths:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    for item in extra:
        h.update(item.encode() + b"\0")
    return h.hexdigest()[:16]


def tree_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def cached(marker: Path, key: str) -> bool:
    return marker.exists() and marker.read_text() == key


def compile_and_induce(folder: Path, main: str, compile_key: str, texinputs: str = "",
                       strict: bool = True) -> tuple[Path, Path]:
    """PDF and gold of the paper in ``folder``, from cache when the keys match."""
    job = Path(main).stem
    pdf, gold = folder / f"{job}.pdf", folder / f"{job}.gold.json"
    if not cached(folder / "compile.key", compile_key) or not pdf.exists():
        (folder / "gold.key").unlink(missing_ok=True)
        compile_paper(folder, main, texinputs, strict=strict)
        (folder / "compile.key").write_text(compile_key)
    gold_key = digest(INDUCTION_CODE, compile_key)
    if not cached(folder / "gold.key", gold_key) or not gold.exists():
        gold.write_text(json.dumps(induce(pdf, folder / f"{job}.tgold"), indent=1, ensure_ascii=False))
        (folder / "gold.key").write_text(gold_key)
    return pdf, gold


def synthetic_paper(work: Path, index: int, seed: int) -> Paper:
    from synthetic.paper import compose, write

    source = compose(index, seed)
    doc_class = source.spec.doc_class
    name = f"s{seed}-{index:04d}-{doc_class}"
    folder = work / "synthetic" / name
    key = digest(ASSET_CODE + TEX_CODE, source.text)  # a generator change recompiles the papers it changed
    try:
        if not cached(folder / "compile.key", key):
            shutil.rmtree(folder, ignore_errors=True)
            write(source, folder)
        pdf, gold = compile_and_induce(folder, "main.tex", key)
        return Paper(name, "synthetic", doc_class, pdf, gold)
    except (CompileError, InductionError, OSError, ValueError) as error:
        return Paper(name, "synthetic", doc_class, error=f"{type(error).__name__}: {error}")


def build_recipe(source: Path) -> tuple[str, str]:
    """Main file and TEXINPUTS prefix from a real source's BUILD.txt (the last .tex file it names)."""
    build = (source / "BUILD.txt").read_text()
    main = re.findall(r"(\S+\.tex)\b", build)[-1]
    return main, ".//:" if "TEXINPUTS=.//:" in build else ""


def real_paper(work: Path, source: Path, doc_class: str) -> Paper:
    """One of ../shared/latex/NAME/src, compiled in a writable copy."""
    name = source.parent.name
    folder = work / "real" / name
    try:
        main, texinputs = build_recipe(source)
        key = digest(TEX_CODE + tree_files(source), main, texinputs)
        if not cached(folder / "compile.key", key):
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(source, folder)
            for path in [folder, *folder.rglob("*")]:
                path.chmod(0o755 if path.is_dir() else 0o644)
        pdf, gold = compile_and_induce(folder, main, key, texinputs, strict=False)  # as their authors left them
        return Paper(name, "real", doc_class, pdf, gold)
    except (CompileError, InductionError, OSError, ValueError, IndexError) as error:
        return Paper(name, "real", doc_class, error=f"{type(error).__name__}: {error}")


def real_classes(latex_dir: Path) -> dict[str, str]:
    """NAME -> document class, from the table of ../shared/latex/MANIFEST.md (NAME when absent)."""
    classes = {}
    manifest = latex_dir / "MANIFEST.md"
    if manifest.exists():
        for line in manifest.read_text().splitlines():
            cells = [c.strip() for c in line.split("|")]
            if len(cells) > 6 and (latex_dir / cells[1] / "src").is_dir():
                classes[cells[1]] = cells[5].split(" ")[0]
    return classes


def prepare(work: Path, n: int, seed: int, latex_dir: Path | None, jobs: int) -> list[Paper]:
    """All papers, compiled and induced on ``jobs`` processes; failures come back with their error."""
    sources = sorted(latex_dir.glob("*/src")) if latex_dir else []
    classes = real_classes(latex_dir) if latex_dir else {}
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(real_paper, work, s, classes.get(s.parent.name, s.parent.name)) for s in sources]
        futures += [pool.submit(synthetic_paper, work, i, seed) for i in range(n)]
        return [f.result() for f in futures]


def gold_folder(papers: list[Paper], folder: Path) -> Path:
    """A referee-ready folder of NAME.pdf + NAME.gold.json links for the papers that have gold."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for paper in papers:
        if paper.gold is not None:
            (folder / f"{paper.name}.pdf").symlink_to(paper.pdf)
            (folder / f"{paper.name}.gold.json").symlink_to(paper.gold)
    return folder
