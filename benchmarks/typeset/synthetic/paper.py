"""One seeded synthetic paper: class, preamble, sections of prose and equations, floats, references,
appendix and supplementary floats; written as ``main.tex`` plus its figure files."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from synthetic.classes import CLASSES, DocClass
from synthetic.floats import Context, Float, plain_figure, plain_table, random_float, tag
from synthetic.prose import SECTIONS, Prose

CAPTION_STYLES = [
    "",
    "\\captionsetup{labelsep=period}",
    "\\captionsetup[figure]{name=Fig.}",
    "\\captionsetup{labelfont=bf,labelsep=period}",
    "\\captionsetup{labelfont=sc}",
    "\\captionsetup{font=small,labelfont=bf,labelsep=quad}",
    "\\captionsetup[figure]{name=FIGURE}\\captionsetup[table]{name=TABLE}",
]


# mnras spells its labels out in \\fnum@figure; other classes go through \\figurename.
SUPPLEMENTARY_NAMES = ("\\makeatletter\\@ifundefined{figurename}"
                       "{\\def\\fnum@figure{Supplementary Figure~\\thefigure}\\def\\fnum@table{Supplementary Table~\\thetable}}"
                       "{\\renewcommand\\figurename{Supplementary Figure}\\renewcommand\\tablename{Supplementary Table}}"
                       "\\makeatother")


@dataclass
class PaperSpec:
    doc_class: str
    seed: str  # the random generator's seed string: typeset-SEED-INDEX


def preamble(doc: DocClass, style: str) -> str:
    lines = [doc.documentclass, "\\providecommand\\typesetgoldtag[1]{}",
             "\\usepackage{graphicx,amsmath,amssymb,booktabs,tikz,pgfplots,rotating}", "\\pgfplotsset{compat=1.18}"]
    if not doc.two_column:
        lines.append("\\usepackage{wrapfig,longtable,pdflscape}")
    lines.append("\\usepackage[caption=false]{subfig}" if doc.subfigures == "subfig" else "\\usepackage{subcaption}")
    if style:
        lines.append(f"\\usepackage{{caption}}{style}")
    if doc.preamble:
        lines.append(doc.preamble)
    return "\n".join(lines)


def body(ctx: Context, floats: list[Float], mention_name: dict[str, str]) -> str:
    """Sections of paragraphs and equations; each float follows a paragraph that mentions it."""
    rng, prose = ctx.rng, ctx.prose
    sections = [SECTIONS[0]] + sorted(rng.sample(SECTIONS[1:-1], rng.randint(3, 5)), key=SECTIONS.index) + [SECTIONS[-1]]
    slots = sorted(rng.sample(range(1, len(sections) * 3), min(len(floats), len(sections) * 3 - 1)))
    queue, out, paragraph_no = list(floats), [], 0
    for section in sections:
        out.append(f"\\section{{{section}}}")
        for _ in range(rng.randint(2, 4)):
            paragraph_no += 1
            text = prose.paragraph()
            if queue and slots and paragraph_no >= slots[0]:
                slots.pop(0)
                item = queue.pop(0)
                out.append(f"{prose.mention(item.ref, mention_name[item.name])} {text}")
                out.append(item.latex)
            else:
                out.append(text)
            if rng.random() < 0.25:
                out.append(prose.equation())
    for item in queue:
        out.append(f"{prose.mention(item.ref, mention_name[item.name])} {prose.paragraph()}")
        out.append(item.latex)
    return "\n\n".join(out)


def back_matter(ctx: Context, doc: DocClass, style: str) -> str:
    """References, then an appendix and supplementary material with floats of their own."""
    rng, out = ctx.rng, [ctx.prose.references(doc.natbib)]
    if rng.random() < 0.4:
        renumber = "\\renewcommand\\thefigure{A\\arabic{figure}}\\renewcommand\\thetable{A\\arabic{table}}" \
                   "\\setcounter{figure}{0}\\setcounter{table}{0}" if rng.random() < 0.5 else ""
        floats = [rng.choice([plain_figure, plain_table])(ctx) for _ in range(rng.randint(1, 2))]
        out.append(f"\\appendix\n\\section{{Additional results}}\n{renumber}\n{{{tag('section:appendix')}\n"
                   + "\n\n".join(f"{ctx.prose.paragraph()}\n{f.latex}" for f in floats) + "}")
    if rng.random() < 0.2:
        names = ("\\captionsetup[figure]{name=Supplementary Figure}\\captionsetup[table]{name=Supplementary Table}"
                 if style else SUPPLEMENTARY_NAMES)
        floats = [rng.choice([plain_figure, plain_figure, plain_table])(ctx) for _ in range(rng.randint(1, 2))]
        out.append(f"\\clearpage\n\\section*{{Supplementary material}}\n{names}\n"
                   "\\renewcommand\\thefigure{S\\arabic{figure}}\\renewcommand\\thetable{S\\arabic{table}}"
                   f"\\setcounter{{figure}}{{0}}\\setcounter{{table}}{{0}}\n{{{tag('section:supplementary')}\n"
                   + "\n\n".join(f"{ctx.prose.paragraph()}\n{f.latex}" for f in floats) + "}")
    return "\n\n".join(out)


@dataclass
class PaperSource:
    spec: PaperSpec
    text: str  # main.tex
    assets: list[tuple[str, Callable[[Path], None]]]  # figure files: name, how to write it


def compose(index: int, seed: int) -> PaperSource:
    """Paper ``index`` of the set drawn with ``seed``: the same pair always gives the same paper."""
    name = f"typeset-{seed}-{index}"
    rng = random.Random(name)
    doc = CLASSES[index % len(CLASSES)]
    prose = Prose(rng)
    ctx = Context(rng, prose, doc)
    style = rng.choice(CAPTION_STYLES) if doc.caption_styles else ""
    floats = [random_float(ctx) for _ in range(rng.randint(5, 8))]
    figure_name = "Fig." if doc.name.startswith("ieee") or "name=Fig." in style else "Figure"
    text = "\n\n".join([
        preamble(doc, style), "\\begin{document}", doc.front_matter(prose.title(), prose.paragraph((3, 5))),
        body(ctx, floats, {"Figure": figure_name, "Table": "Table"}), back_matter(ctx, doc, style), "\\end{document}",
    ])
    return PaperSource(PaperSpec(doc.name, name), text + "\n", ctx.assets)


def write(source: PaperSource, folder: Path) -> None:
    """main.tex, its figure files and paper.json (class and seed) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.tex").write_text(source.text)
    for name, make in source.assets:
        make(folder / name)
    (folder / "paper.json").write_text(json.dumps(source.spec.__dict__))
