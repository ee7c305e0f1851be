"""LaTeX for the float features papers use, each tagged for the benchmark's per-feature table.

A builder returns a ``Float``: its LaTeX and the \\ref label of its first caption (for a body sentence
that mentions it); the figure files it needs are queued on the paper's ``Context``. Tags go in with \\typesetgoldtag, which typesetgold.sty
attaches to the captions that follow (and which a plain compile ignores).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from synthetic.assets import matplotlib_pdf, raster_png
from synthetic.classes import DocClass
from synthetic.prose import ADJECTIVES, NOUNS, Prose

FIGURE_CONTENT = ["tikz", "pgfplots", "matplotlib", "raster"]
CAPTION_LENGTHS = ["short", "medium", "long"]


@dataclass
class Float:
    latex: str
    ref: str = ""
    name: str = "Figure"


@dataclass
class Context:
    """What a builder needs to know about the paper it writes into."""

    rng: random.Random
    prose: Prose
    doc: DocClass
    counter: int = 0
    assets: list[tuple[str, Callable[[Path], None]]] = field(default_factory=list)

    def next_id(self) -> int:
        self.counter += 1
        return self.counter


def tag(*tags: str) -> str:
    return f"\\typesetgoldtag{{{','.join(tags)}}}"


def caption(ctx: Context, kind: str, length: str | None = None, tagged: bool = True) -> tuple[str, str]:
    """A \\caption with its length tag and a \\label; returns (latex, label)."""
    length = length or ctx.rng.choice(CAPTION_LENGTHS)
    label = f"{'fig' if kind == 'figure' else 'tab'}:{ctx.next_id()}"
    latex = f"\\caption{{{ctx.prose.caption(length)}}}\\label{{{label}}}"
    return (f"{tag('caption:' + length)}{latex}" if tagged else latex), label


def graphic(ctx: Context, content: str, width: str, panels: int = 1, max_height: str = "") -> str:
    """Figure content of one kind, ``width`` wide (a TeX length), pictures at most ``max_height`` high."""
    rng = ctx.rng
    n = ctx.next_id()
    if content == "matplotlib":
        name = f"plot{n}.pdf"
        seed = rng.randrange(2**32)
        ctx.assets.append((name, lambda path, s=seed, p=panels: matplotlib_pdf(path, random.Random(s), p)))
        return include(name, width, max_height)
    if content == "raster":
        name = f"image{n}.png"
        seed = rng.randrange(2**32)
        ctx.assets.append((name, lambda path, s=seed: raster_png(path, random.Random(s))))
        return include(name, width, max_height)
    if content == "pgfplots":
        plots = "\n".join(
            f"\\addplot coordinates {{{' '.join(f'({x},{rng.uniform(0, 10):.2f})' for x in range(0, 11, 2))}}};"
            f"\\addlegendentry{{{rng.choice(ADJECTIVES)}}}" for _ in range(rng.randint(1, 3)))
        return (f"\\begin{{tikzpicture}}\\begin{{axis}}[width={width}, height={rng.uniform(3.5, 6):.1f}cm, "
                f"xlabel={{{rng.choice(NOUNS)}}}, ylabel={{{rng.choice(NOUNS)}}}, legend pos=north west, "
                f"legend style={{font=\\scriptsize}}]\n{plots}\n\\end{{axis}}\\end{{tikzpicture}}")
    nodes = rng.randint(3, 5)
    boxes = " ".join(f"\\node[draw, rounded corners, align=center, fill={rng.choice(['blue', 'red', 'green', 'gray'])}!15] "
                     f"(n{i}) at ({i * 2.6},{rng.choice([0, 0, 1.2, -1.2])}) {{{rng.choice(NOUNS).title()}\\\\"
                     f"\\scriptsize {rng.choice(ADJECTIVES)}}};" for i in range(nodes))
    arrows = " ".join(f"\\draw[->, thick] (n{i}) -- node[above, font=\\scriptsize] {{{rng.choice(VERB_LABELS)}}} "
                      f"(n{i + 1});" for i in range(nodes - 1))
    return f"\\resizebox{{{width}}}{{!}}{{\\begin{{tikzpicture}}{boxes} {arrows}\\end{{tikzpicture}}}}"


def include(name: str, width: str, max_height: str) -> str:
    limit = f",height={max_height},keepaspectratio" if max_height else ""
    return f"\\includegraphics[width={width}{limit}]{{{name}}}"


VERB_LABELS = ["fit", "map", "encode", "sample", "filter", "merge", "score"]
WRAP_WIDTH, SIDEWAYS_WIDTH = "0.95\\linewidth", "0.8\\linewidth"
SIDEWAYS_HEIGHT = "4in"  # across the page once turned: narrower than any class's text block


def tabular(ctx: Context, rows: int | None = None, long: bool = False) -> tuple[str, str, str]:
    """A results table: (column spec, header row, body rows)."""
    rng = ctx.rng
    cols = rng.randint(3, 4 if ctx.doc.two_column else 6)
    rows = rows or rng.randint(3, 10)
    ruled = rng.random() < 0.7
    spec = "l" + ("r" * (cols - 1) if ruled else "|" + "c" * (cols - 1))
    header = " & ".join([f"\\textbf{{{rng.choice(NOUNS).title()}}}"] +
                        [rng.choice(ADJECTIVES)[:8] for _ in range(cols - 1)]) + " \\\\"
    body = "\n".join(" & ".join([f"{rng.choice(NOUNS)}-{i}"] + [f"{rng.uniform(0, 100):.{rng.randint(1, 3)}f}"
                                                               for _ in range(cols - 1)]) + " \\\\"
                     for i in range(rows))
    top, mid, bottom = ("\\toprule", "\\midrule", "\\bottomrule") if ruled else ("\\hline", "\\hline", "\\hline")
    return spec, f"{top}\n{header}\n{mid}", f"{body}\n{bottom}"


def table_body(ctx: Context, fit: bool = False) -> str:
    spec, head, body = tabular(ctx)
    table = f"\\begin{{tabular}}{{{spec}}}\n{head}\n{body}\n\\end{{tabular}}"
    return f"\\resizebox{{\\linewidth}}{{!}}{{{table}}}" if fit else table


def placement(ctx: Context) -> tuple[str, list[str]]:
    if not ctx.doc.placements:
        return "", []
    spec = ctx.rng.choice(["t", "tb", "htbp", "h", "!t", "b", "p"])
    return f"[{spec}]", (["layout:float-page"] if spec == "p" else [])


def width(ctx: Context, wide: bool = False) -> str:
    low, high = (0.55, 0.95) if wide or not ctx.doc.two_column else (0.8, 1.0)
    return f"{ctx.rng.uniform(low, high):.2f}\\linewidth"


def plain_figure(ctx: Context, wide: bool = False) -> Float:
    content = ctx.rng.choice(FIGURE_CONTENT)
    where, tags = placement(ctx)
    env = "figure*" if wide else "figure"
    cap, ref = caption(ctx, "figure", "long" if ctx.rng.random() < 0.15 else None)
    above = ctx.rng.random() < 0.1
    body = graphic(ctx, content, width(ctx, wide))
    inner = f"{cap}\n{body}" if above else f"{body}\n{cap}"
    layout = "layout:wide" if wide else "layout:plain"
    return Float(f"\\begin{{{env}}}{where}\\centering{tag(layout, 'content:' + content, *tags)}\n{inner}\n"
                 f"\\end{{{env}}}", ref=ref)


def plain_table(ctx: Context, wide: bool = False) -> Float:
    where, tags = placement(ctx)
    env = "table*" if wide else "table"
    cap, ref = caption(ctx, "table")
    body = table_body(ctx, fit=ctx.rng.random() < 0.2)
    inner = f"{cap}\n{body}" if ctx.rng.random() < 0.6 else f"{body}\n{cap}"
    layout = "layout:wide" if wide else "layout:plain"
    return Float(f"\\begin{{{env}}}{where}\\centering{tag(layout, 'content:table', *tags)}\n{inner}\n\\end{{{env}}}",
                 ref=ref, name="Table")


def subfigures(ctx: Context, wide: bool = False) -> Float:
    """2-4 panels with (a)/(b) sub-captions under one caption."""
    rng = ctx.rng
    panels = rng.randint(2, 3 if ctx.doc.two_column and not wide else 4)
    content = rng.choice(FIGURE_CONTENT)
    share = 0.95 / panels
    parts = []
    for _ in range(panels):
        sub = ctx.prose.phrase()[4:].capitalize()
        if ctx.doc.subfigures == "subfig":
            panel_width = f"{share:.2f}\\linewidth"
            parts.append(f"\\subfloat[{sub}]{{{graphic(ctx, content, panel_width)}}}")
        else:
            inner = graphic(ctx, content, "\\linewidth")
            parts.append(f"\\begin{{subfigure}}[b]{{{share:.2f}\\linewidth}}\\centering\n{inner}\n\\caption{{{sub}}}"
                         f"\\end{{subfigure}}")
    env = "figure*" if wide else "figure"
    where, tags = placement(ctx)
    cap, ref = caption(ctx, "figure")
    return Float(f"\\begin{{{env}}}{where}\\centering{tag('layout:subfigures', 'content:' + content, *tags)}\n"
                 + "\\hfill\n".join(parts) + f"\n{cap}\n\\end{{{env}}}", ref=ref)


def minipages(ctx: Context, wide: bool = False) -> Float:
    """Two side-by-side minipages, each with its own caption (two figures or two tables)."""
    rng = ctx.rng
    kind = rng.choice(["figure", "table"])
    where, tags = placement(ctx)
    halves, first = [], ""
    content = rng.choice(FIGURE_CONTENT) if kind == "figure" else "table"
    for _ in range(2):
        cap, ref = caption(ctx, kind, rng.choice(["short", "medium"]))
        first = first or ref
        body = graphic(ctx, content, "\\linewidth") if kind == "figure" else table_body(ctx, fit=True)
        inner = f"{body}\n{cap}" if kind == "figure" or rng.random() < 0.3 else f"{cap}\n{body}"
        halves.append(f"\\begin{{minipage}}[t]{{0.47\\linewidth}}\\centering\n{inner}\n\\end{{minipage}}")
    env = f"{kind}*" if wide else kind
    return Float(f"\\begin{{{env}}}{where}{tag('layout:minipages', 'content:' + content, *tags)}\n"
                 + "\\hfill\n".join(halves) + f"\n\\end{{{env}}}", ref=first,
                 name="Figure" if kind == "figure" else "Table")


def wrapfigure(ctx: Context) -> Float:
    """A figure wrapped by the paragraph that follows it (narrow caption)."""
    content = ctx.rng.choice(FIGURE_CONTENT)
    cap, ref = caption(ctx, "figure", ctx.rng.choice(["short", "medium"]))
    side = ctx.rng.choice(["r", "l"])
    share = ctx.rng.uniform(0.35, 0.5)
    return Float(f"\\begin{{wrapfigure}}{{{side}}}{{{share:.2f}\\textwidth}}\\centering"
                 f"{tag('layout:wrapfigure', 'content:' + content)}\n{graphic(ctx, content, WRAP_WIDTH)}"
                 f"\n{cap}\n\\end{{wrapfigure}}\n{ctx.prose.paragraph((8, 11))}", ref=ref)


def sideways(ctx: Context) -> Float:
    """sidewaysfigure/sidewaystable (rotating): a float turned by 90 degrees on its own page."""
    kind = ctx.rng.choice(["figure", "table"])
    star = "*" if ctx.doc.two_column else ""
    cap, ref = caption(ctx, kind)
    if kind == "figure":
        content = ctx.rng.choice(FIGURE_CONTENT)
        inner = f"{graphic(ctx, content, SIDEWAYS_WIDTH, max_height=SIDEWAYS_HEIGHT)}\n{cap}"
    else:
        content = "table"
        inner = f"{cap}\n{table_body(ctx)}"
    return Float(f"\\begin{{sideways{kind}{star}}}\\centering{tag('layout:sideways', 'content:' + content)}\n{inner}\n"
                 f"\\end{{sideways{kind}{star}}}", ref=ref, name="Figure" if kind == "figure" else "Table")


def landscape(ctx: Context) -> Float:
    """A table on a landscape page (pdflscape: the page itself is rotated)."""
    cap, ref = caption(ctx, "table")
    body = table_body(ctx)
    return Float(f"\\begin{{landscape}}\n\\begin{{table}}\\centering{tag('layout:landscape', 'content:table')}\n{cap}\n"
                 f"{body}\n\\end{{table}}\n{ctx.prose.paragraph()}\n\\end{{landscape}}", ref=ref, name="Table")


def longtable(ctx: Context) -> Float:
    """A table running over pages, its caption repeated in every page's head."""
    spec, head, body = tabular(ctx, rows=ctx.rng.randint(45, 80))
    length = ctx.rng.choice(["short", "medium"])
    cap, ref = caption(ctx, "table", length, tagged=False)  # a tag before \\caption would start a row
    return Float(f"{{{tag('layout:longtable', 'content:table', 'caption:' + length)}\n\\begin{{longtable}}{{{spec}}}\n{cap}\\\\\n{head}\n"
                 f"\\endfirsthead\n\\caption[]{{(continued)}}\\\\\n{head}\n\\endhead\n{body}\n"
                 f"\\end{{longtable}}}}", ref=ref, name="Table")


ONE_COLUMN = {"plain_figure": (plain_figure, 5), "plain_table": (plain_table, 3), "subfigures": (subfigures, 2),
              "minipages": (minipages, 2), "wrapfigure": (wrapfigure, 1.5), "sideways": (sideways, 0.7),
              "landscape": (landscape, 0.5), "longtable": (longtable, 0.5)}
TWO_COLUMN = {"plain_figure": (plain_figure, 5), "plain_table": (plain_table, 3), "subfigures": (subfigures, 2),
              "minipages": (minipages, 2), "wide_figure": (lambda c: plain_figure(c, wide=True), 1.5),
              "wide_table": (lambda c: plain_table(c, wide=True), 1),
              "wide_subfigures": (lambda c: subfigures(c, wide=True), 1), "sideways": (sideways, 0.5)}


def random_float(ctx: Context) -> Float:
    menu = TWO_COLUMN if ctx.doc.two_column else ONE_COLUMN
    names = [n for n in menu if ctx.doc.sideways or n != "sideways"]
    name = ctx.rng.choices(names, weights=[menu[n][1] for n in names])[0]
    return menu[name][0](ctx)
