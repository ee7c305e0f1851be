"""Reports: JSON (everything), Markdown (the tables a paper shows) and a PNG plot."""

from __future__ import annotations

import json
from pathlib import Path


def _plot_bars(path: Path, labels: list[str], values: list[float], title: str, ylabel: str = "accuracy (%)") -> None:
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    figure, axis = plt.subplots(figsize=(7, 3.5))
    axis.bar(labels, values, color="#4C72B0")
    axis.set_ylim(0, 100)
    axis.set_ylabel(ylabel)
    axis.set_title(title)
    for x, value in enumerate(values):
        axis.text(x, value + 1, f"{value:.1f}", ha="center", fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def _plot_confusion(path: Path, confusion: dict[str, int], title: str) -> None:
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415

    pairs = [(key.split(" -> ")[0], key.split(" -> ")[1], n) for key, n in confusion.items()]
    true_labels = sorted({t for t, _, _ in pairs})
    predicted_labels = sorted({p for _, p, _ in pairs} | set(true_labels))
    grid = np.zeros((len(true_labels), len(predicted_labels)))
    for t, p, n in pairs:
        grid[true_labels.index(t), predicted_labels.index(p)] = n
    figure, axis = plt.subplots(figsize=(1 + 0.6 * len(predicted_labels), 1 + 0.5 * len(true_labels)))
    axis.imshow(grid, cmap="Blues")
    axis.set_xticks(range(len(predicted_labels)), predicted_labels, rotation=45, ha="right", fontsize=7)
    axis.set_yticks(range(len(true_labels)), true_labels, fontsize=7)
    axis.set_xlabel("predicted")
    axis.set_ylabel("true")
    axis.set_title(title)
    for (i, j), n in np.ndenumerate(grid):
        if n:
            axis.text(j, i, int(n), ha="center", va="center", fontsize=7)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def write_scienceqa_report(scores: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "scienceqa.json").write_text(json.dumps(scores, indent=2))
    names = [n for n in scores["accuracy"] if scores["accuracy"][n] is not None]
    lines = ["# ScienceQA accuracy", "", "| " + " | ".join(names) + " |", "|" + "---|" * len(names),
             "| " + " | ".join(f"{scores['accuracy'][n]:.2f}" for n in names) + " |", "",
             f"Questions: {scores['counts']['overall']}; without a prediction (counted wrong): {scores['missing']}; "
             f"unparsed answers (counted wrong): {scores['unparsed']}.",
             "", "![accuracy by category](scienceqa.png)", ""]
    (out / "scienceqa.md").write_text("\n".join(lines))
    _plot_bars(out / "scienceqa.png", names, [scores["accuracy"][n] for n in names], "ScienceQA accuracy by category")


def write_figure_report(scores: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "figures.json").write_text(json.dumps(scores, indent=2))
    lines = ["# Figure tasks", "", "| task | n | BLEU | ROUGE-L |", "|---|---|---|---|"]
    if scores.get("missing"):
        lines[1:1] = ["", f"Records without a prediction (scored as empty outputs): {scores['missing']}."]
    lines += [f"| {t} | {s['n']} | {s['bleu']:.2f} | {s['rouge_l']:.2f} |" for t, s in scores["tasks"].items()]
    if "ctom" in scores:
        lines += ["", f"CTOM in-figure text token F1: {scores['ctom']['ocr_token_f1']:.2f}; "
                      f"mention token F1: {scores['ctom']['mention_token_f1']:.2f}."]
    if "figure_type" in scores:
        lines += ["", f"Figure-type accuracy: {scores['figure_type']['accuracy']:.2f} "
                      f"({scores['figure_type']['n']} figures)", "", "![confusion matrix](figure_types.png)"]
        _plot_confusion(out / "figure_types.png", scores["figure_type"]["confusion"], "Figure types")
    sensitivity = scores["sensitivity"]
    if sensitivity["tasks"]:
        lines += ["", "## Template sensitivity (MultiInstruct: std / mean across templates, lower is better)", "",
                  "| task | templates | mean score | sensitivity |", "|---|---|---|---|"]
        lines += [f"| {t} | {s['templates']} | {s['mean']:.2f} | {s['sensitivity']} |" for t, s in sensitivity["tasks"].items()]
        lines += ["", f"Average sensitivity {sensitivity['sensitivity']} beside mean score {sensitivity['mean_score']}."]
    (out / "figures.md").write_text("\n".join(lines) + "\n")
    if "figure_type" not in scores and scores["tasks"]:
        names = list(scores["tasks"])
        _plot_bars(out / "figure_tasks.png", names, [scores["tasks"][n]["rouge_l"] for n in names], "ROUGE-L by task",
                   "ROUGE-L F1 (x100)")
