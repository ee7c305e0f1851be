"""``scitune-data predict`` and ``scitune-data eval scienceqa|figures``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

PREDICT_HELP = """Generate answers for every record of a split with a trained run (a checkpoint
folder from `train`): batched, greedy unless --sample; writes JSONL (id, task, template_id,
prompt, output, reference) and resumes an interrupted file."""

app = typer.Typer(help="Score predictions the way the SciTune paper reports them.", no_args_is_help=True)


def predict(
    run: Annotated[Path, typer.Option(help="Checkpoint folder (e.g. runs/stage2/final).")],
    data: Annotated[Path, typer.Option(help="Shards to answer (build/scienceqa output folder).")],
    out: Annotated[Path, typer.Option(help="Predictions JSONL (appended to; finished ids skipped).")],
    split: Annotated[str, typer.Option(help="train, validation or test.")] = "test",
    batch_size: Annotated[int, typer.Option(min=1)] = 8,
    max_new_tokens: Annotated[int, typer.Option(min=1)] = 256,
    sample: Annotated[bool, typer.Option(help="Sample instead of greedy decoding.")] = False,
    temperature: Annotated[float, typer.Option(min=0.0)] = 1.0,
    top_p: Annotated[float, typer.Option(min=0.0, max=1.0)] = 1.0,
) -> None:
    import torch  # noqa: PLC0415
    from rich.progress import Progress  # noqa: PLC0415

    from scitune_data.eval.predict import Sampling, predict as run_predict  # noqa: PLC0415
    from scitune_data.train.builders import load_run  # noqa: PLC0415

    model, tokenizer, config = load_run(run)
    if torch.cuda.is_available():
        model = model.to("cuda")
    sampling = Sampling(max_new_tokens, sample, temperature, top_p)
    with Progress(transient=True) as progress:
        task = progress.add_task("predict", total=None)
        written = run_predict(model, tokenizer, data, out, split, batch_size, sampling,
                              on_batch=lambda n: progress.update(task, advance=n), prompt=config.data.prompt)
    typer.echo(f"{written} predictions → {out}", err=True)


def _predictions(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@app.command("scienceqa", help="Accuracy overall and by NAT, SOC, LAN, TXT, IMG, NO, G1-6, G7-12.")
def scienceqa(
    predictions: Annotated[Path, typer.Option(help="Predictions JSONL from `predict`.")],
    data: Annotated[Path, typer.Option(help="The ScienceQA shards the predictions answer.")],
    out: Annotated[Path, typer.Option(help="Report folder (scienceqa.md, .json, .png).")],
    split: Annotated[str, typer.Option()] = "test",
) -> None:
    from scitune_data.eval.predict import iter_records  # noqa: PLC0415
    from scitune_data.eval.report import write_scienceqa_report  # noqa: PLC0415
    from scitune_data.eval.scienceqa import scienceqa_scores  # noqa: PLC0415

    records = {r["id"]: r for r in iter_records(data, split)}
    scores = scienceqa_scores(_predictions(predictions), records)
    write_scienceqa_report(scores, out)
    typer.echo(json.dumps(scores["accuracy"]), err=True)


@app.command("figures", help="Captions (BLEU, ROUGE-L), figure-type accuracy and confusion, CTOM OCR and "
                             "mention token F1, template sensitivity.")
def figures(
    predictions: Annotated[Path, typer.Option(help="Predictions JSONL from `predict`.")],
    out: Annotated[Path, typer.Option(help="Report folder (figures.md, .json, plots).")],
) -> None:
    from scitune_data.eval.figures import figure_scores  # noqa: PLC0415
    from scitune_data.eval.report import write_figure_report  # noqa: PLC0415

    scores = figure_scores(_predictions(predictions))
    write_figure_report(scores, out)
    typer.echo(json.dumps({t: s for t, s in scores["tasks"].items()}), err=True)
