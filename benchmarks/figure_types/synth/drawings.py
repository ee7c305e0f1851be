"""Drawings made with matplotlib: node diagrams (architectures, pipelines, graphs, trees),
flowcharts, displayed equations and the things papers show that fit no chart type (algorithms,
text examples, timelines, Euler diagrams, molecules, sketches)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
from matplotlib import patches

from synth.common import Rng, figure_pdf, title_words, words

PASTELS = ("white", "white", "#cfe2f3", "#fde9d9", "#d9ead3", "#fff2cc", "#e6d0f0", "#f4cccc", "#d0e0e3", "#eeeeee")


def canvas(rng: Rng, height: float | None = None):
    width = float(rng.uniform(3.0, 7.0))
    fig = plt.figure(figsize=(width, height or width * rng.uniform(0.3, 0.9)))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 100), ax.set_ylim(0, 100), ax.axis("off")
    fig.patch.set_alpha(0)
    return fig, ax


def box(rng: Rng, ax, x: float, y: float, w: float, h: float, text: str, shape: str, fill: str) -> None:
    edge = dict(facecolor=fill, edgecolor=str(rng.choice(["black", "black", "#444444", "#1f4e79"])),
                linewidth=float(rng.uniform(0.5, 1.6)))
    if shape == "circle":
        ax.add_patch(patches.Ellipse((x, y), w, h, **edge))
    elif shape == "diamond":
        ax.add_patch(patches.Polygon([(x - w / 2, y), (x, y + h / 2), (x + w / 2, y), (x, y - h / 2)], **edge))
    elif shape == "cuboid":  # a layer drawn in perspective
        depth = w * 0.35
        ax.add_patch(patches.Rectangle((x - w / 2, y - h / 2), w, h, **edge))
        ax.add_patch(patches.Polygon([(x - w / 2, y + h / 2), (x - w / 2 + depth, y + h / 2 + depth),
                                      (x + w / 2 + depth, y + h / 2 + depth), (x + w / 2, y + h / 2)], **edge))
        ax.add_patch(patches.Polygon([(x + w / 2, y - h / 2), (x + w / 2 + depth, y - h / 2 + depth),
                                      (x + w / 2 + depth, y + h / 2 + depth), (x + w / 2, y + h / 2)], **edge))
    else:
        boxstyle = {"round": "round,pad=0.4", "box": "square,pad=0.2", "sawtooth": "round4,pad=0.3"}[shape]
        ax.add_patch(patches.FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle=boxstyle, **edge))
    if text:
        ax.text(x, y, text, ha="center", va="center", fontsize=float(rng.uniform(4.5, 8)),
                rotation=90 if h > 2.5 * w and rng.random() < 0.7 else 0)


def arrow(rng: Rng, ax, start, end, curved: bool = False, label: str = "") -> None:
    ax.annotate("", xy=end, xytext=start, arrowprops=dict(
        arrowstyle=str(rng.choice(["->", "-|>", "-|>", "<->", "-"])), lw=float(rng.uniform(0.5, 1.5)),
        color=str(rng.choice(["black", "black", "#555555", "#c00000"])),
        connectionstyle="arc3,rad=0.3" if curved else str(rng.choice(["arc3", "arc3", "angle,angleA=0,angleB=90"]))))
    if label:
        ax.text((start[0] + end[0]) / 2, (start[1] + end[1]) / 2 + 2, label, ha="center", fontsize=5)


def _layered(rng: Rng, ax) -> None:
    """An architecture or pipeline: columns of blocks joined left to right."""
    layers = int(rng.integers(2, 8))
    shape = str(rng.choice(["circle", "box", "round", "cuboid", "box"]))
    nodes = []
    for layer in range(layers):
        count = int(rng.integers(1, 5)) if shape != "cuboid" else 1
        x = 8 + 84 * layer / max(layers - 1, 1)
        column = [(x, 12 + 76 * (k + 0.5) / count) for k in range(count)]
        w = float(rng.uniform(5, min(16, 70 / layers)))
        h = float(rng.uniform(6, 60 / count)) if shape != "circle" else w
        for cx, cy in column:
            box(rng, ax, cx, cy, w, h, str(rng.choice(["", title_words(rng), title_words(rng)])), shape,
                str(rng.choice(PASTELS)))
        nodes.append((column, w))
    dense = rng.random() < 0.3
    for (left, w), (right, _) in zip(nodes, nodes[1:]):
        for start in left:
            for end in right:
                if dense or rng.random() < 0.5 or len(left) == 1:
                    arrow(rng, ax, (start[0] + w / 2 + 1, start[1]), (end[0] - w / 2 - 1, end[1]),
                          curved=rng.random() < 0.15, label=str(rng.choice(["", "", words(rng, 1)])))
    if rng.random() < 0.3:  # a group frame, as architectures draw modules
        ax.add_patch(patches.FancyBboxPatch((3, 3), 94, 94, boxstyle="round,pad=0.5", fill=False,
                                            linestyle="--", edgecolor="grey"))


def _graph(rng: Rng, ax) -> None:
    """A graph or a tree drawn as circles joined by lines."""
    n = int(rng.integers(5, 30))
    seed = int(rng.integers(1 << 30))
    kind = int(rng.integers(3))
    graph = (nx.random_labeled_tree(n, seed=seed) if kind == 0 and hasattr(nx, "random_labeled_tree")
             else nx.gnm_random_graph(n, int(n * rng.uniform(1, 2.2)), seed=seed) if kind < 2
             else nx.balanced_tree(int(rng.integers(2, 4)), int(rng.integers(2, 4))))
    layout = nx.spring_layout(graph, seed=seed) if kind != 2 else _tree_layout(graph)
    xy = np.array([layout[v] for v in graph.nodes])
    xy = 8 + 84 * (xy - xy.min(axis=0)) / np.maximum(np.ptp(xy, axis=0), 1e-6)
    position = dict(zip(graph.nodes, xy))
    for u, v in graph.edges:
        if rng.random() < 0.5:
            ax.plot(*zip(position[u], position[v]), color="black", linewidth=0.7, zorder=1)
        else:
            arrow(rng, ax, tuple(position[u]), tuple(position[v]))
    size = float(rng.uniform(3, 8))
    fill = str(rng.choice(PASTELS[1:]))
    for v, (x, y) in position.items():
        box(rng, ax, x, y, size, size * 1.3, str(v) if rng.random() < 0.6 else "", "circle", fill)


def _tree_layout(graph) -> dict:
    depth = nx.shortest_path_length(graph, 0)
    levels: dict[int, list] = {}
    for node, d in sorted(depth.items()):
        levels.setdefault(d, []).append(node)
    return {node: ((i + 1) / (len(nodes) + 1), -d) for d, nodes in levels.items() for i, node in enumerate(nodes)}


def _with_inset(rng: Rng, ax) -> None:
    """A pipeline whose boxes hold small pictures or plots, as overview figures do."""
    steps = int(rng.integers(2, 6))
    for k in range(steps):
        x = 10 + 80 * k / max(steps - 1, 1)
        box(rng, ax, x, 50, 14, 30, "", "box", str(rng.choice(PASTELS)))
        inset = rng.random()
        if inset < 0.4:
            ax.imshow(rng.random((8, 8)), extent=(x - 6, x + 6, 38, 60), cmap=str(rng.choice(["gray", "viridis"])), aspect="auto")
        elif inset < 0.7:
            xs = np.linspace(x - 6, x + 6, 20)
            ax.plot(xs, 50 + 6 * np.sin(xs * rng.uniform(0.3, 1)), color="C0")
        ax.text(x, 28, title_words(rng), ha="center", fontsize=6)
        if k:
            arrow(rng, ax, (x - 80 / max(steps - 1, 1) + 8, 50), (x - 8, 50))
    ax.set_xlim(0, 100), ax.set_ylim(0, 100)


def node_diagram(rng: Rng) -> bytes:
    fig, ax = canvas(rng)
    kind = rng.random()
    if kind < 0.5:
        _layered(rng, ax)
    elif kind < 0.8:
        _graph(rng, ax)
    else:
        _with_inset(rng, ax)
    return figure_pdf(fig, rng)


def flowchart(rng: Rng) -> bytes:
    fig, ax = canvas(rng, height=float(rng.uniform(2.5, 6.5)))
    steps = int(rng.integers(3, 9))
    vertical = rng.random() < 0.7
    previous = None
    for k in range(steps):
        t = (k + 0.5) / steps
        x, y = (50, 100 - 100 * t) if vertical else (100 * t, 50)
        first_or_last = k in (0, steps - 1)
        shape = ("round" if first_or_last and rng.random() < 0.6 else "diamond" if rng.random() < 0.3
                 else str(rng.choice(["box", "round"])))
        w, h = (30, 60 / steps) if vertical else (80 / steps, 22)
        box(rng, ax, x, y, w, h, words(rng, int(rng.integers(1, 5))), shape, str(rng.choice(PASTELS[:4])))
        if previous is not None:
            arrow(rng, ax, previous, (x, y + h / 2 + 1) if vertical else (x - w / 2 - 1, y),
                  label=str(rng.choice(["", "", "Yes"])))
        if shape == "diamond" and vertical:
            box(rng, ax, 87, y, 20, h, words(rng, 2), "box", "white")
            arrow(rng, ax, (x + w / 2, y), (76, y), label="No")
        previous = (x, y - h / 2 - 1) if vertical else (x + w / 2 + 1, y)
    return figure_pdf(fig, rng)


EQUATIONS = (
    r"$\mathcal{L}(\theta) = -\sum_{i=1}^{N} \log p_\theta(y_i \mid x_i)$",
    r"$\nabla_\theta J = \mathbb{E}_{\pi}[\nabla \log \pi(a|s) Q(s,a)]$",
    r"$f(x) = \int_0^\infty e^{-\lambda t} \, g(x,t) \, dt$",
    r"$\hat{y} = \sigma(W_2 \, \mathrm{ReLU}(W_1 x + b_1) + b_2)$",
    r"$\frac{\partial u}{\partial t} + u \frac{\partial u}{\partial x} = \nu \frac{\partial^2 u}{\partial x^2}$",
    r"$\det(A - \lambda I) = 0$", r"$P(A \mid B) = \frac{P(B \mid A)\,P(A)}{P(B)}$",
    r"$x_{t+1} = x_t - \eta \, \nabla f(x_t)$", r"$\Xi_p = \sum_{X \in \mathcal{X}_p} \sum_{x \in X} \xi_x$",
    r"$\mathrm{s.t.}\quad w\phi(x) + b \geq 1 - \xi$", r"$H = -\sum_k p_k \log_2 p_k$",
    r"$\mathrm{Attn}(Q,K,V) = \mathrm{softmax}\left(\frac{QK^T}{\sqrt{d}}\right)V$",
    r"$E = mc^2 + \frac{1}{2} \sum_{j} m_j v_j^2$", r"$\rho \frac{D\mathbf{u}}{Dt} = -\nabla p + \mu \nabla^2 \mathbf{u}$",
)


def equation(rng: Rng) -> bytes:
    lines = int(rng.integers(1, 6))
    fig, ax = canvas(rng, height=float(rng.uniform(0.35, 0.55)) * lines + 0.2)
    for k, text in enumerate(rng.choice(EQUATIONS, size=lines, replace=False)):
        y = 100 - (k + 0.5) * 100 / lines
        ax.text(float(rng.uniform(2, 25)), y, text, fontsize=float(rng.uniform(9, 15)), va="center")
        if rng.random() < 0.4:
            ax.text(96, y, f"({int(rng.integers(1, 30))})", fontsize=10, va="center", ha="right")
    return figure_pdf(fig, rng)


def _algorithm(rng: Rng, ax) -> None:
    lines = int(rng.integers(4, 18))
    monospace = rng.random() < 0.5
    if rng.random() < 0.6:
        ax.plot([1, 99], [99, 99], "k-", [1, 99], [1, 1], "k-", linewidth=1)
    for k in range(lines):
        indent = 5 + 5 * int(rng.integers(0, 4))
        head = str(rng.choice(["", "", "for ", "if ", "return ", "while ", "def "]))
        text = f"{k + 1}: " * int(rng.random() < 0.5) + head + words(rng, int(rng.integers(2, 9)))
        ax.text(indent, 100 - (k + 0.7) * 100 / lines, text, fontsize=7,
                family="monospace" if monospace else "serif", weight="bold" if head and rng.random() < 0.4 else None)


def _text_example(rng: Rng, ax) -> None:
    """Dialogue or annotated text, as NLP papers show examples: text in coloured boxes."""
    turns = int(rng.integers(2, 6))
    for k in range(turns):
        y = 100 - (k + 0.5) * 100 / turns
        left = rng.random() < 0.5
        colour = str(rng.choice(["#dbe9f6", "#e8f5e9", "#fff3e0", "#f3e5f5", "white"]))
        ax.add_patch(patches.FancyBboxPatch((4 if left else 20, y - 35 / turns), 76, 70 / turns,
                                            boxstyle="round,pad=0.5", facecolor=colour, edgecolor="grey"))
        ax.text(6 if left else 22, y, f"{str(rng.choice(['User', 'Q', 'A', 'Model', 'Input', 'Output']))}: "
                + words(rng, int(rng.integers(5, 14))), fontsize=6, va="center")
        if rng.random() < 0.3:
            ax.text(60, y - 10 / turns, words(rng, 2), fontsize=6, va="center",
                    bbox=dict(facecolor="yellow", alpha=0.5, edgecolor="none"))


def _timeline(rng: Rng, ax) -> None:
    ax.plot([5, 95], [50, 50], color="black", lw=2)
    for _ in range(int(rng.integers(4, 10))):
        x = float(rng.uniform(8, 92))
        up = rng.random() < 0.5
        ax.plot([x, x], [50, 65 if up else 35], color="black")
        ax.text(x, 70 if up else 25, str(int(rng.integers(1990, 2025))), ha="center", fontsize=6)
        ax.text(x, 80 if up else 15, words(rng, 2), ha="center", fontsize=5)


def _venn(rng: Rng, ax) -> None:
    for k in range(int(rng.integers(2, 4))):
        ax.add_patch(patches.Ellipse((35 + 25 * k, 50 + 10 * (k % 2)), 50, 70, alpha=0.3, color=plt.get_cmap("tab10")(k)))
        ax.text(25 + 30 * k, 50, words(rng, 1), ha="center", fontsize=7)


def _molecule(rng: Rng, ax) -> None:
    """A structural formula: hexagonal rings, bonds, atom letters."""
    x, y = 20.0, 50.0
    for _ in range(int(rng.integers(1, 5))):
        angles = np.deg2rad(np.arange(0, 361, 60) + 30)
        r = float(rng.uniform(6, 10))
        ring = np.column_stack([x + r * np.cos(angles), y + r * 1.4 * np.sin(angles)])
        ax.plot(ring[:, 0], ring[:, 1], "k-", linewidth=0.9)
        if rng.random() < 0.5:
            inner = np.column_stack([x + 0.7 * r * np.cos(angles), y + 0.98 * r * np.sin(angles)])
            ax.plot(inner[:2, 0], inner[:2, 1], "k-", inner[2:4, 0], inner[2:4, 1], "k-", linewidth=0.9)
        end = ring[int(rng.integers(6))]
        tip = end + rng.uniform(-12, 12, 2)
        ax.plot([end[0], tip[0]], [end[1], tip[1]], "k-", linewidth=0.9)
        ax.text(tip[0], tip[1], str(rng.choice(["OH", "N", "O", "NH2", "COOH", "CH3", "Cl"])), fontsize=7,
                ha="center", va="center", backgroundcolor="white")
        x, y = x + float(rng.uniform(15, 25)), y + float(rng.uniform(-15, 15))


def _sketch(rng: Rng, ax) -> None:
    """An illustration: shapes, a few labels, no axes or connectors between boxes."""
    for _ in range(int(rng.integers(3, 12))):
        kind = rng.random()
        xy = rng.uniform(10, 90, 2)
        colour = plt.get_cmap("tab20")(int(rng.integers(20)))
        if kind < 0.4:
            ax.add_patch(patches.Circle(xy, float(rng.uniform(3, 15)), color=colour, alpha=float(rng.uniform(0.4, 1))))
        elif kind < 0.7:
            ax.add_patch(patches.Polygon(rng.uniform(5, 95, (int(rng.integers(3, 7)), 2)), color=colour, alpha=0.7))
        else:
            t = np.linspace(0, 1, 30)
            ax.plot(xy[0] + 30 * t, xy[1] + 10 * np.sin(t * rng.uniform(3, 12)), color=colour, linewidth=2)
    for _ in range(int(rng.integers(0, 5))):
        ax.text(*rng.uniform(5, 95, 2), words(rng, 1), fontsize=7)


def _ball_and_stick(rng: Rng, ax) -> None:
    """A rendered molecule or protein: atoms as shaded balls, bonds as sticks, or a ribbon."""
    n = int(rng.integers(8, 60))
    steps = rng.normal(0, 1, (n, 3))
    atoms = np.cumsum(steps / np.linalg.norm(steps, axis=1, keepdims=True), axis=0)
    atoms = 10 + 80 * (atoms - atoms.min(axis=0)) / np.maximum(np.ptp(atoms, axis=0), 1e-6)
    if rng.random() < 0.3:  # a ribbon through the chain
        ax.plot(atoms[:, 0], atoms[:, 1], color=str(rng.choice(["teal", "#2a9d8f", "#8e44ad", "#1f77b4"])),
                linewidth=float(rng.uniform(3, 7)), solid_capstyle="round", alpha=0.9)
        return
    for a, b in zip(atoms[:-1], atoms[1:]):
        ax.plot([a[0], b[0]], [a[1], b[1]], color="#555555", linewidth=float(rng.uniform(1, 3)), zorder=1)
    palette = ("#909090", "#ff2020", "#3050f8", "#ffff30", "#ffffff", "#33cc33")
    for x, y, depth in atoms[np.argsort(atoms[:, 2])]:
        radius = float(rng.uniform(1.2, 3.5)) * (0.7 + depth / 200)
        colour = palette[int(rng.integers(len(palette)))]
        ax.add_patch(patches.Circle((x, y), radius, facecolor=colour, edgecolor="black", linewidth=0.3, zorder=2))
        ax.add_patch(patches.Circle((x - radius / 3, y + radius / 3), radius / 3, color="white", alpha=0.6, zorder=3))


def _map(rng: Rng, ax) -> None:
    """A map: irregular regions filled by category, sometimes with sites marked."""
    centres = rng.uniform(10, 90, (int(rng.integers(4, 14)), 2))
    cmap = plt.get_cmap(str(rng.choice(["Pastel1", "Set3", "YlGn", "tab20c"])))
    for k, (x, y) in enumerate(centres):
        angles = np.sort(rng.uniform(0, 2 * np.pi, int(rng.integers(6, 14))))
        radii = rng.uniform(6, 16, angles.size)
        ax.add_patch(patches.Polygon(np.column_stack([x + radii * np.cos(angles), y + radii * np.sin(angles)]),
                                     facecolor=cmap(k % cmap.N), edgecolor="black", linewidth=0.5))
    if rng.random() < 0.5:
        sites = rng.uniform(10, 90, (int(rng.integers(3, 20)), 2))
        ax.plot(sites[:, 0], sites[:, 1], "r^" if rng.random() < 0.5 else "ko", markersize=3)


def other(rng: Rng) -> bytes:
    fig, ax = canvas(rng, height=float(rng.uniform(1.5, 4.5)))
    makers = (_algorithm, _text_example, _timeline, _venn, _molecule, _molecule, _ball_and_stick, _map, _sketch)
    makers[int(rng.integers(len(makers)))](rng, ax)
    return figure_pdf(fig, rng)
