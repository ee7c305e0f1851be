"""Figures typeset by pdfLaTeX, as most papers' own drawings are: TikZ node diagrams and
flowcharts, pgfplots line, scatter, bar and matrix plots, tabulars, displayed equations and
algorithms. Many figures compile in one run (``standalone`` with one page per figure); a batch
that fails to compile is dropped whole. Needs TeX Live with pgfplots (``scripts/system-deps.sh``).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pymupdf

from synth.common import Rng, title_words, words

PREAMBLE = r"""\documentclass[multi=figurepage,border=2pt]{standalone}
\usepackage{tikz}\usetikzlibrary{positioning,arrows.meta,shapes.geometric,calc,fit,backgrounds}
\usepackage{pgfplots}\pgfplotsset{compat=1.16}
\usepackage{booktabs,amsmath,amssymb,xcolor,colortbl,multirow,varwidth}
\usepackage[ruled,linesnumbered]{algorithm2e}
\newenvironment{figurepage}{}{}
\begin{document}
"""
COLOURS = ("blue", "red", "green", "orange", "gray", "cyan", "violet", "teal", "yellow", "brown")
MARKS = ("*", "o", "square*", "triangle*", "x", "+", "diamond*")


def _colour(rng: Rng) -> str:
    return f"{rng.choice(COLOURS)}!{int(rng.integers(10, 40))}"


def tikz_diagram(rng: Rng) -> str:
    """Boxes placed in a grid and joined by arrows (an architecture, a pipeline, a graph)."""
    rows, cols = int(rng.integers(1, 4)), int(rng.integers(2, 6))
    shape = str(rng.choice(["rectangle", "rectangle, rounded corners", "circle", "ellipse", "trapezium"]))
    lines = [f"\\begin{{tikzpicture}}[node distance={rng.uniform(0.6, 1.6):.1f}cm, >={{{rng.choice(['Stealth', 'Latex', 'To'])}}}, "
             f"box/.style={{draw, {shape}, minimum height={rng.uniform(0.5, 1.2):.1f}cm, "
             f"minimum width={rng.uniform(0.6, 2.2):.1f}cm, align=center, font=\\{rng.choice(['small', 'footnotesize', 'scriptsize'])}}}]"]
    names = []
    for r in range(rows):
        for c in range(cols):
            if rng.random() < 0.2 and (r, c) != (0, 0):
                continue
            name = f"n{r}{c}"
            label = title_words(rng) if rng.random() < 0.85 else f"$x_{{{c}}}$"
            fill = f", fill={_colour(rng)}" if rng.random() < 0.6 else ""
            lines.append(f"\\node[box{fill}] ({name}) at ({c * rng.uniform(2.2, 3.2):.2f},{-r * rng.uniform(1.4, 2):.2f}) {{{label}}};")
            names.append((r, c, name))
    for r, c, name in names:
        for r2, c2, other in names:
            near = (r2 == r and c2 == c + 1) or (c2 == c and r2 == r + 1) or (r2 == r + 1 and c2 == c + 1)
            if near and rng.random() < 0.7:
                bend = str(rng.choice(["", "", ", bend left=20"]))
                label = f" node[midway, above, font=\\tiny] {{{words(rng, 1)}}}" if rng.random() < 0.2 else ""
                lines.append(f"\\draw[->, thick{bend}] ({name}) to{label} ({other});")
    if rng.random() < 0.3 and len(names) > 1:
        lines.append(f"\\begin{{scope}}[on background layer]\\node[draw, dashed, fill={_colour(rng)}, "
                     f"fit=({names[0][2]}) ({names[-1][2]}), inner sep=6pt] {{}};\\end{{scope}}")
    lines.append("\\end{tikzpicture}")
    return "\n".join(lines)


def tikz_flowchart(rng: Rng) -> str:
    steps = int(rng.integers(3, 8))
    lines = ["\\begin{tikzpicture}[node distance=0.9cm, >=Stealth, every node/.style={font=\\footnotesize, align=center},"
             " process/.style={draw, rectangle, minimum width=3cm, minimum height=0.7cm},"
             " decision/.style={draw, diamond, aspect=2.2, inner sep=1pt},"
             " terminal/.style={draw, rounded corners=8pt, minimum width=2.5cm, minimum height=0.7cm}]"]
    previous = None
    for k in range(steps):
        kind = "terminal" if k in (0, steps - 1) else str(rng.choice(["process", "process", "decision"]))
        place = f", below=of s{k - 1}" if previous else ""
        lines.append(f"\\node[{kind}{place}] (s{k}) {{{words(rng, int(rng.integers(1, 4)))}}};")
        if previous:
            lines.append(f"\\draw[->] ({previous}) -- (s{k});")
        if kind == "decision":
            lines.append(f"\\node[process, right=1.2cm of s{k}] (x{k}) {{{words(rng, 2)}}};")
            lines.append(f"\\draw[->] (s{k}) -- node[above] {{no}} (x{k});")
        previous = f"s{k}"
    lines.append("\\end{tikzpicture}")
    return "\n".join(lines)


def _axis(rng: Rng, kind: str) -> str:
    options = [f"width={rng.uniform(5, 9):.1f}cm", f"height={rng.uniform(4, 6.5):.1f}cm",
               f"xlabel={{{words(rng, 1)}}}", f"ylabel={{{words(rng, 1)}}}"]
    if rng.random() < 0.3:
        options.append("grid=major")
    if rng.random() < 0.3:
        options.append(f"title={{{title_words(rng)}}}")
    if kind == "bar":
        options.append(str(rng.choice(["ybar", "xbar", "ybar stacked"])))
        options.append(f"bar width={rng.uniform(3, 10):.0f}pt")
    if kind == "heat":
        options = [o for o in options if not o.startswith("grid")] + ["view={0}{90}", "colorbar", "enlargelimits=false",
                                                                      f"colormap/{rng.choice(['viridis', 'hot', 'jet', 'bluered', 'cool'])}"]
    if kind in ("line", "scatter") and rng.random() < 0.5:
        options.append("legend pos=" + str(rng.choice(["north west", "north east", "south east"])))
    return ", ".join(options)


def pgfplot(rng: Rng, kind: str) -> str:
    body = []
    series = int(rng.integers(1, 5))
    if kind == "line":
        for s in range(series):
            x = np.linspace(0, rng.uniform(5, 100), int(rng.integers(5, 40)))
            y = np.cumsum(rng.normal(rng.uniform(-0.5, 1), 1, x.size))
            mark = f"mark={rng.choice(MARKS)}" if rng.random() < 0.5 else "no markers"
            coords = " ".join(f"({a:.2f},{b:.2f})" for a, b in zip(x, y))
            body.append(f"\\addplot[{rng.choice(COLOURS)}, {mark}, thick] coordinates {{{coords}}};")
            body.append(f"\\addlegendentry{{{words(rng, 1)}}}")
    elif kind == "scatter":
        for s in range(series):
            points = rng.normal(rng.normal(0, 3, 2), rng.uniform(0.3, 1.5), (int(rng.integers(15, 150)), 2))
            coords = " ".join(f"({a:.2f},{b:.2f})" for a, b in points)
            body.append(f"\\addplot[only marks, mark={rng.choice(MARKS)}, mark size={rng.uniform(0.8, 2):.1f}pt, "
                        f"{rng.choice(COLOURS)}] coordinates {{{coords}}};")
    elif kind == "bar":
        groups = int(rng.integers(3, 10))
        for s in range(series):
            coords = " ".join(f"({g},{rng.uniform(0.5, 10):.2f})" for g in range(groups))
            body.append(f"\\addplot[fill={_colour(rng)}] coordinates {{{coords}}};")
    else:
        n, m = int(rng.integers(4, 16)), int(rng.integers(4, 16))
        values = rng.random((n, m))
        coords = " ".join(f"({j},{i},{values[i, j]:.2f})" for i in range(n) for j in range(m))
        body.append(f"\\addplot3[matrix plot*, mesh/cols={m}, point meta=z] coordinates {{{coords}}};")
    return f"\\begin{{tikzpicture}}\\begin{{axis}}[{_axis(rng, kind)}]\n" + "\n".join(body) + "\n\\end{axis}\\end{tikzpicture}"


def tabular(rng: Rng) -> str:
    rows, cols = int(rng.integers(3, 14)), int(rng.integers(2, 8))
    ruled = rng.random() < 0.6
    spec = "l" + ("r" * (cols - 1) if ruled else "|" + "|".join("c" * (cols - 1)) + "|")
    header = " & ".join(f"\\textbf{{{title_words(rng)}}}" for _ in range(cols)) + " \\\\"
    body = []
    for r in range(rows):
        cells = [title_words(rng)] + [f"{rng.uniform(0, 100):.{int(rng.integers(0, 3))}f}" for _ in range(cols - 1)]
        if rng.random() < 0.1:
            cells[int(rng.integers(1, cols))] = f"\\textbf{{{rng.uniform(0, 100):.1f}}}"
        colour = f"\\rowcolor{{gray!15}}" if r % 2 and rng.random() < 0.3 else ""
        body.append(colour + " & ".join(cells) + " \\\\" + ("" if ruled else " \\hline"))
    top, mid, bottom = ("\\toprule", "\\midrule", "\\bottomrule") if ruled else ("\\hline", "\\hline", "")
    size = str(rng.choice(["\\small", "\\footnotesize", ""]))
    return f"{{{size}\\begin{{tabular}}{{{spec}}}{top}\n{header}{mid}\n" + "\n".join(body) + f"\n{bottom}\\end{{tabular}}}}"


TEX_EQUATIONS = (
    r"\mathcal{L}(\theta) &= -\sum_{i=1}^{N} \log p_\theta(y_i \mid x_i) + \lambda \lVert\theta\rVert_2^2",
    r"h_t &= \tanh(W_h h_{t-1} + W_x x_t + b)", r"\mathbf{u}_{t+1} &= \mathbf{u}_t - \eta \nabla f(\mathbf{u}_t)",
    r"p(z \mid x) &= \frac{p(x \mid z)\,p(z)}{\int p(x \mid z')\,p(z')\,dz'}",
    r"\frac{\partial \rho}{\partial t} + \nabla \cdot (\rho \mathbf{v}) &= 0",
    r"\operatorname{softmax}(z)_i &= \frac{e^{z_i}}{\sum_j e^{z_j}}", r"E(\omega) &= \sum_{k} |c_k|^2 \delta(\omega - \omega_k)",
    r"\min_{w,b} \; \tfrac12 \lVert w\rVert^2 &\quad \text{s.t. } y_i(w^\top x_i + b) \ge 1",
    r"G(s) &= \frac{K}{s^2 + 2\zeta\omega_n s + \omega_n^2}", r"R_t &= \sum_{k=0}^{\infty} \gamma^k r_{t+k+1}",
)


def equations(rng: Rng) -> str:
    chosen = rng.choice(TEX_EQUATIONS, size=int(rng.integers(1, 6)), replace=False)
    env = "align" if rng.random() < 0.6 else "align*"
    return (f"\\begin{{varwidth}}{{{rng.uniform(9, 16):.0f}cm}}\\begin{{{env}}}" + " \\\\\n".join(chosen)
            + f"\\end{{{env}}}\\end{{varwidth}}")


def algorithm(rng: Rng) -> str:
    steps = [f"\\eIf{{{words(rng, 2)}}}{{{words(rng, 3)}\\;}}{{{words(rng, 3)}\\;}}" if rng.random() < 0.2 else
             f"\\For{{{words(rng, 2)}}}{{{words(rng, 4)}\\;}}" if rng.random() < 0.25 else f"{words(rng, 5)}\\;"
             for _ in range(int(rng.integers(3, 10)))]
    return (f"\\begin{{varwidth}}{{{rng.uniform(7, 12):.0f}cm}}\\begin{{algorithm}}[H]\\caption{{{title_words(rng)}}}"
            f"\\KwIn{{{words(rng, 3)}}}\\KwOut{{{words(rng, 2)}}}\n" + "\n".join(steps)
            + "\\end{algorithm}\\end{varwidth}")


TEX_GENERATORS: dict[str, tuple[Callable[[Rng], str], ...]] = {
    "Node Diagram": (tikz_diagram,),
    "Flowchart": (tikz_flowchart,),
    "Graph Plot": (lambda rng: pgfplot(rng, "line"),),
    "Scatterplot": (lambda rng: pgfplot(rng, "scatter"),),
    "Bar Chart": (lambda rng: pgfplot(rng, "bar"),),
    "Heatmap": (lambda rng: pgfplot(rng, "heat"),),
    "Table": (tabular,),
    "Equation": (equations,),
    "Other": (algorithm,),
}


def typeset(bodies: list[str]) -> list[bytes] | None:
    """One single-page PDF per body, or None when the batch does not compile (or no pdflatex)."""
    if not shutil.which("pdflatex"):
        return None
    source = PREAMBLE + "\n".join(f"\\begin{{figurepage}}\n{body}\n\\end{{figurepage}}" for body in bodies) + "\n\\end{document}\n"
    with tempfile.TemporaryDirectory(prefix="figtypes-tex-") as folder:
        (Path(folder) / "figures.tex").write_text(source)
        run = subprocess.run(["pdflatex", "-interaction=batchmode", "-halt-on-error", "figures.tex"], cwd=folder,
                             capture_output=True, timeout=600)
        pdf = Path(folder) / "figures.pdf"
        if run.returncode != 0 or not pdf.is_file():
            return None
        pages = []
        with pymupdf.open(pdf) as doc:
            if len(doc) != len(bodies):
                return None
            for number in range(len(doc)):
                with pymupdf.open() as single:
                    single.insert_pdf(doc, from_page=number, to_page=number)
                    pages.append(single.tobytes())
        return pages
