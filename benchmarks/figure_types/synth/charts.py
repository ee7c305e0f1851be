"""Charts drawn with matplotlib in the styles papers use: graph plots, scatterplots, bar charts,
heatmaps. Each returns a one-page PDF (vector); the page step may rasterise it."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

from synth.common import WORDS, Rng, figure_pdf, label_axes, panel_grid, style, words


def _curve(rng: Rng, x: np.ndarray, k: int) -> np.ndarray:
    kind = int(rng.integers(6))
    if kind == 0:
        return np.cumsum(rng.normal(0, 1, x.size))
    if kind == 1:
        return np.exp(-x / rng.uniform(1, 5)) + k * 0.2 + rng.normal(0, 0.02, x.size)
    if kind == 2:
        return np.sin(x * rng.uniform(0.5, 3) + k) + rng.normal(0, 0.1, x.size)
    if kind == 3:
        return np.log1p(x) * rng.uniform(0.5, 2) + k
    if kind == 4:  # a learning curve
        return 1 - np.exp(-x / rng.uniform(0.5, 4)) * rng.uniform(0.5, 1) + rng.normal(0, 0.01, x.size) - 0.05 * k
    return rng.uniform(-1, 1) * x ** rng.uniform(0.5, 2) + k


def _lines(rng: Rng, ax) -> None:
    x = np.sort(rng.uniform(0, 10, int(rng.integers(6, 400))))
    for k in range(int(rng.integers(1, 8))):
        y = _curve(rng, x, k)
        marker = str(rng.choice(["", "", "", "o", "s", "^", "x", "d", "*"]))
        style_ = dict(marker=marker, markersize=float(rng.uniform(2, 5)), linewidth=float(rng.uniform(0.6, 2.2)),
                      linestyle=str(rng.choice(["-", "-", "--", ":", "-."])), label=f"{rng.choice(WORDS)} {k}")
        step = max(1, x.size // int(rng.integers(6, 20)))
        draw = rng.random()
        if draw < 0.1:
            ax.step(x, y, where="mid", label=style_["label"])
        elif draw < 0.22:  # one path per segment, as gnuplot and MATLAB write curves
            points = np.column_stack([x, y])
            ax.add_collection(matplotlib.collections.LineCollection(
                np.stack([points[:-1], points[1:]], axis=1), colors=f"C{k % 10}", linewidths=0.8))
            ax.autoscale_view()
        elif draw < 0.35:
            ax.errorbar(x[::step], y[::step], yerr=rng.uniform(0.05, 0.3), capsize=float(rng.uniform(0, 3)), **style_)
        else:
            ax.plot(x, y, **style_)
            if rng.random() < 0.25:
                ax.fill_between(x, y - rng.uniform(0.05, 0.4), y + rng.uniform(0.05, 0.4), alpha=0.25)
    if rng.random() < 0.15:
        ax.axhline(float(np.mean(ax.get_ylim())), color="grey", linestyle="--", linewidth=0.8)
    if rng.random() < 0.15:
        if ax.get_ylim()[0] > 0:
            ax.set_yscale("log")
        else:
            ax.set_xscale("symlog")


def _distribution(rng: Rng, ax) -> None:
    """Box, violin or strip plots (graph plots by the project's conventions)."""
    groups = int(rng.integers(2, 10))
    data = [rng.normal(rng.uniform(-2, 2), rng.uniform(0.3, 2), int(rng.integers(20, 200))) for _ in range(groups)]
    kind = rng.random()
    if kind < 0.5:
        ax.boxplot(data, vert=bool(rng.random() < 0.8), patch_artist=bool(rng.random() < 0.5),
                   showfliers=bool(rng.random() < 0.7))
    elif kind < 0.8:
        ax.violinplot(data, showmeans=bool(rng.random() < 0.5))
    else:
        for i, values in enumerate(data):
            ax.plot(i + rng.uniform(-0.2, 0.2, values.size), values, ".", markersize=2, alpha=0.6)
            ax.plot([i - 0.3, i + 0.3], [np.median(values)] * 2, "k-")


def _forest_plot(rng: Rng, ax) -> None:
    """Effect sizes with confidence intervals per study (medicine)."""
    studies = int(rng.integers(4, 16))
    effect = rng.normal(0, 0.5, studies)
    width = rng.uniform(0.1, 0.8, studies)
    ys = np.arange(studies)[::-1]
    ax.errorbar(effect, ys, xerr=width, fmt="s", color="black", markersize=float(rng.uniform(2, 5)), capsize=2)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(ys, [f"{rng.choice(WORDS).title()} {int(rng.integers(1990, 2024))}" for _ in ys], fontsize=6)


def _contours(rng: Rng, ax) -> None:
    y, x = np.mgrid[-3:3:80j, -3:3:80j]
    z = sum(rng.uniform(-1, 1) * np.exp(-((x - rng.uniform(-2, 2)) ** 2 + (y - rng.uniform(-2, 2)) ** 2)
                                           / rng.uniform(0.5, 2)) for _ in range(3))
    lines = ax.contour(x, y, z, levels=int(rng.integers(5, 15)), colors="black" if rng.random() < 0.5 else None,
                       linewidths=0.7)
    if rng.random() < 0.4:
        ax.clabel(lines, fontsize=5)


def graph_plot(rng: Rng) -> bytes:
    with style(rng):
        fig, axes = panel_grid(rng)
        for ax in axes:
            kind = rng.random()
            if kind < 0.72:
                _lines(rng, ax)
                if rng.random() < 0.6:
                    ax.legend(fontsize=float(rng.uniform(4, 8)), frameon=bool(rng.random() < 0.6))
            elif kind < 0.86:
                _distribution(rng, ax)
            elif kind < 0.93:
                _forest_plot(rng, ax)
            else:
                _contours(rng, ax)
            label_axes(rng, ax)
            if rng.random() < 0.25:
                ax.grid(True, alpha=0.4)
        return figure_pdf(fig, rng)


def scatterplot(rng: Rng) -> bytes:
    with style(rng):
        fig, axes = panel_grid(rng)
        for ax in axes:
            kind = rng.random()
            clusters = int(rng.integers(1, 9))
            for c in range(clusters):
                n = int(rng.integers(10, 800 // clusters + 20))
                points = rng.normal(rng.normal(0, 4, 2), rng.uniform(0.3, 1.5), (n, 2))
                if kind < 0.3:  # a correlation
                    points[:, 1] = points[:, 0] * rng.uniform(-2, 2) + rng.normal(0, rng.uniform(0.2, 2), n)
                sizes = rng.uniform(2, 80, n) if rng.random() < 0.15 else float(rng.uniform(2, 25))
                colour = dict(c=points[:, 0] + points[:, 1], cmap="viridis") if rng.random() < 0.1 else {}
                ax.scatter(points[:, 0], points[:, 1], s=sizes, alpha=float(rng.uniform(0.3, 1)),
                           marker=str(rng.choice(["o", "o", ".", "s", "^", "x", "+"])), label=f"class {c}",
                           edgecolors=str(rng.choice(["none", "black", "face"])), linewidths=0.3, **colour)
            if rng.random() < 0.3:  # a fit or the diagonal
                xs = np.array(ax.get_xlim())
                ax.plot(xs, xs * rng.uniform(-1, 1) + rng.uniform(-1, 1), "k--" if rng.random() < 0.5 else "r-",
                        linewidth=1)
            if kind > 0.75:  # an embedding: no axes worth reading
                ax.set_xticks([]), ax.set_yticks([])
            else:
                label_axes(rng, ax)
            if rng.random() < 0.4:
                ax.legend(fontsize=5, markerscale=0.8)
        return figure_pdf(fig, rng)


def _bars(rng: Rng, ax) -> None:
    kind = int(rng.integers(5))
    groups = int(rng.integers(2, 20))
    if kind == 0:
        values = rng.normal(0, 1, int(rng.integers(100, 4000)))
        if rng.random() < 0.3:
            values = np.exp(values)
        ax.hist(values, bins=int(rng.integers(6, 50)), histtype=str(rng.choice(["bar", "bar", "stepfilled", "step"])),
                edgecolor=str(rng.choice(["black", "white", "none"])), alpha=float(rng.uniform(0.5, 1)))
        return
    series = int(rng.integers(1, 6))
    width = 0.8 / series
    bottom = np.zeros(groups)
    horizontal = rng.random() < 0.25
    hatches = rng.random() < 0.2
    for s in range(series):
        values = rng.uniform(0.1, 10, groups) * (1 if rng.random() < 0.9 else rng.choice([-1, 1], groups))
        stacked = kind == 2
        positions = np.arange(groups) + (0 if stacked else s * width)
        error = rng.uniform(0.1, 1, groups) if rng.random() < 0.3 else None
        draw = dict(label=str(rng.choice(WORDS)), hatch=str(rng.choice(["//", "..", "xx", "\\\\", ""])) if hatches
                    else None, edgecolor=str(rng.choice(["black", "none", "white"])))
        if horizontal:
            bars = ax.barh(positions, values, height=0.8 if stacked else width, left=bottom if stacked else None,
                           xerr=error, **draw)
        else:
            bars = ax.bar(positions, values, width=0.8 if stacked else width, bottom=bottom if stacked else None,
                          yerr=error, capsize=2, **draw)
        if rng.random() < 0.15:
            ax.bar_label(bars, fmt="%.1f", fontsize=5)
        bottom = bottom + values
    if rng.random() < 0.5:
        names = [str(rng.choice(WORDS)) for _ in range(groups)]
        (ax.set_yticks if horizontal else ax.set_xticks)(range(groups), names, fontsize=6,
                                                         **({} if horizontal else {"rotation": int(rng.choice([0, 45, 90]))}))
    if series > 1 and rng.random() < 0.7:
        ax.legend(fontsize=5)


def bar_chart(rng: Rng) -> bytes:
    with style(rng):
        fig, axes = panel_grid(rng)
        for ax in axes:
            _bars(rng, ax)
            label_axes(rng, ax)
        return figure_pdf(fig, rng)


def _matrix(rng: Rng) -> np.ndarray:
    n, m = int(rng.integers(3, 40)), int(rng.integers(3, 40))
    kind = int(rng.integers(4))
    if kind == 0:  # a smooth field (simulation, spectrogram, map)
        y, x = np.mgrid[0:1:complex(0, n * 4), 0:1:complex(0, m * 4)]
        return np.sin(x * rng.uniform(2, 14)) * np.cos(y * rng.uniform(2, 14)) + rng.normal(0, 0.15, x.shape)
    if kind == 1:  # a correlation or confusion matrix
        data = rng.random((n, n)) ** rng.uniform(1, 4)
        return data + np.eye(n) * rng.uniform(0.5, 3)
    if kind == 2:  # attention weights
        data = rng.random((n, m)) ** 6
        return data / data.sum(axis=1, keepdims=True)
    return rng.normal(0, 1, (n, m)) + np.linspace(0, rng.uniform(0, 3), m)


def heatmap(rng: Rng) -> bytes:
    with style(rng):
        fig, axes = panel_grid(rng, ((1, 1), (1, 1), (1, 1), (1, 2), (1, 3), (2, 2), (2, 3)))
        cmap = str(rng.choice(["viridis", "magma", "Blues", "coolwarm", "RdBu_r", "hot", "YlGnBu", "Greys", "jet",
                               "plasma", "Reds", "YlOrRd", "seismic", "cividis", "inferno", "Greens"]))
        for ax in axes:
            data = _matrix(rng)
            quad = rng.random() < 0.4
            if quad:
                image = ax.pcolormesh(data, cmap=cmap, edgecolors="white" if rng.random() < 0.3 else "face",
                                      linewidth=0.3)
            else:
                image = ax.imshow(data, cmap=cmap, aspect="auto" if rng.random() < 0.6 else "equal",
                                  interpolation=str(rng.choice(["nearest", "nearest", "bilinear"])))
            n, m = data.shape
            if n * m <= 200 and rng.random() < 0.5:
                offset = 0.5 if quad else 0.0
                for (i, j), value in np.ndenumerate(data):
                    ax.text(j + offset, i + offset, f"{value:.2f}" if value < 10 else f"{value:.0f}", ha="center",
                            va="center", fontsize=4)
            if max(n, m) <= 30 and rng.random() < 0.5:
                offset = 0.5 if quad else 0.0
                ax.set_xticks(np.arange(m) + offset, [str(rng.choice(WORDS)) for _ in range(m)], rotation=90,
                              fontsize=4)
                ax.set_yticks(np.arange(n) + offset, [str(rng.choice(WORDS)) for _ in range(n)], fontsize=4)
            elif rng.random() < 0.4:
                ax.set_xticks([]), ax.set_yticks([])
            else:
                label_axes(rng, ax, titles=0.4)
            if rng.random() < 0.7:
                fig.colorbar(image, ax=ax, shrink=float(rng.uniform(0.6, 1)))
        return figure_pdf(fig, rng)


def pie(rng: Rng) -> bytes:
    with style(rng):
        fig, axes = panel_grid(rng, ((1, 1), (1, 1), (1, 2), (1, 3)))
        for ax in axes:
            shares = rng.uniform(1, 10, int(rng.integers(2, 9)))
            wedges = dict(width=float(rng.uniform(0.3, 0.6))) if rng.random() < 0.3 else None
            ax.pie(shares, labels=[str(w) for w in rng.choice(WORDS, shares.size)] if rng.random() < 0.6 else None,
                   autopct="%1.0f%%" if rng.random() < 0.5 else None, wedgeprops=wedges, textprops={"fontsize": 6})
            if rng.random() < 0.3:
                ax.set_title(words(rng, 2))
        return figure_pdf(fig, rng)


def close_all() -> None:
    plt.close("all")
