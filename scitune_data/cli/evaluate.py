"""``scitune-data predict`` and ``scitune-data eval scienceqa|figures``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from scitune_data.cli.options import Json, flag

PREDICT_HELP = """Generate answers for every record of a split with a trained run (a checkpoint
folder from `train`): batched, greedy unless --sample; writes JSONL (id, task, template_id,
prompt, output, reference) and resumes an interrupted file."""

app = typer.Typer(help="Score predictions the way the SciTune paper reports them.", no_args_is_help=True,
                  rich_markup_mode=None)


def predict(
    run: Annotated[Path, typer.Option(metavar="DIR", help="Checkpoint folder (e.g. runs/stage2/final).")],
    data: Annotated[Path, typer.Option(metavar="OUT", help="Shards to answer (build/scienceqa output folder).")],
    out: Annotated[Path, typer.Option(metavar="FILE", help="Predictions JSONL (appended to; finished ids skipped).")],
    split: Annotated[str, typer.Option(metavar="SPLIT", help="train, validation or test.")] = "test",
    batch_size: Annotated[int, typer.Option(metavar="N", min=1)] = 8,
    max_new_tokens: Annotated[int, typer.Option(metavar="N", min=1)] = 256,
    sample: Annotated[bool, flag("--sample", "Sample instead of greedy decoding.")] = False,
    temperature: Annotated[float, typer.Option(metavar="T", min=0.0)] = 1.0,
    top_p: Annotated[float, typer.Option(metavar="P", min=0.0, max=1.0)] = 1.0,
) -> None:
    import torch  # noqa: PLC0415
    from rich.progress import Progress  # noqa: PLC0415

    from scitune_data.cli.options import console  # noqa: PLC0415
    from scitune_data.eval.predict import Sampling, predict as run_predict  # noqa: PLC0415
    from scitune_data.train.builders import load_run  # noqa: PLC0415

    model, tokenizer, config = load_run(run)
    if torch.cuda.is_available():
        model = model.to("cuda")
    sampling = Sampling(max_new_tokens, sample, temperature, top_p)
    with Progress(transient=True, console=console()) as progress:
        task = progress.add_task("predict", total=None)
        written = run_predict(model, tokenizer, data, out, split, batch_size, sampling,
                              on_batch=lambda n: progress.update(task, advance=n), prompt=config.data.prompt)
    typer.echo(f"{written} predictions → {out}", err=True)


PredictionsFile = Annotated[Path, typer.Option(
    metavar="FILE", help="Predictions: predict's JSONL, LLaVA's answer JSONL, or the official ScienceQA "
                         "{pid: answer} JSON (detected by shape).")]
PredictionsFormat = Annotated[str, typer.Option("--format", metavar="auto|jsonl|llava|scienceqa",
                                                help="Force the predictions format.")]
ReportDir = Annotated[Path, typer.Option(metavar="DIR", help="Report folder.")]
Split = Annotated[str, typer.Option(metavar="SPLIT", help="train, validation or test.")]


def _matched(predictions: Path, fmt: str, data: Path | None, split: str, columns: list[str], by_pid: bool):
    """The predictions read and matched to the split's records (usage errors exit 2)."""
    from scitune_data.eval.matching import UnmatchedPredictions, match, read_records  # noqa: PLC0415
    from scitune_data.eval.predictions import PredictionsError, read_predictions  # noqa: PLC0415

    try:
        detected, read = read_predictions(predictions, fmt)
    except PredictionsError as error:
        raise typer.BadParameter(str(error), param_hint="--predictions") from error
    if data is None:
        return detected, read, None
    try:
        matched = match(read, read_records(data, split, columns), split, by_pid)
    except FileNotFoundError as error:
        raise typer.BadParameter(str(error), param_hint="--data") from error
    except UnmatchedPredictions as error:
        raise typer.BadParameter(str(error), param_hint="--predictions") from error
    return detected, read, matched


def _report(scores: dict, as_json: bool, headline: dict) -> None:
    from scitune_data.cli.options import console, print_json  # noqa: PLC0415

    console().print(json.dumps(headline))
    if scores.get("missing"):
        console().print(f"{scores['missing']} records have no prediction (counted wrong), e.g. "
                        + ", ".join(scores["missing_examples"][:3]))
    if as_json:
        print_json(scores)


@app.command("scienceqa", help="Accuracy over the whole split, overall and by NAT, SOC, LAN, TXT, IMG, NO, "
                               "G1-6, G7-12 (a question without a prediction counts as wrong).")
def scienceqa(
    predictions: PredictionsFile,
    data: Annotated[Path, typer.Option(metavar="OUT", help="The ScienceQA shards the predictions answer.")],
    out: ReportDir,
    split: Split = "test",
    fmt: PredictionsFormat = "auto",
    as_json: Json = False,
) -> None:
    from scitune_data.eval.report import write_scienceqa_report  # noqa: PLC0415
    from scitune_data.eval.scienceqa import RECORD_COLUMNS, scienceqa_scores  # noqa: PLC0415

    detected, _, matched = _matched(predictions, fmt, data, split, RECORD_COLUMNS, by_pid=True)
    scores = {"format": detected, "split": split, **scienceqa_scores(matched)}
    write_scienceqa_report(scores, out)
    _report(scores, as_json, scores["accuracy"])


@app.command("figures", help="Captions (BLEU, ROUGE-L), figure-type accuracy and confusion, CTOM OCR and "
                             "mention token F1, template sensitivity.")
def figures(
    predictions: PredictionsFile,
    out: ReportDir,
    data: Annotated[Path | None, typer.Option(
        metavar="OUT", help="The shards the predictions answer: every record of the split is scored "
                            "(needed for LLaVA's answer files).")] = None,
    split: Split = "test",
    fmt: PredictionsFormat = "auto",
    as_json: Json = False,
) -> None:
    from scitune_data.eval.figures import RECORD_COLUMNS, figure_rows, figure_scores  # noqa: PLC0415
    from scitune_data.eval.report import write_figure_report  # noqa: PLC0415

    detected, read, matched = _matched(predictions, fmt, data, split, RECORD_COLUMNS, by_pid=False)
    try:
        rows = figure_rows(read, matched)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--data") from error
    scores = {"format": detected, "split": split, **figure_scores(rows), **(matched.summary() if matched else {})}
    write_figure_report(scores, out)
    _report(scores, as_json, {t: s for t, s in scores["tasks"].items()})
