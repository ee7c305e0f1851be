"""``scitune-data train``: the bundled trainer, both SciTune stages."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

HELP = """Train the vision-language model on instruction shards with a training recipe
(stage1-align: projector only; stage2-scienceqa: projector + LM; or a TOML file).
Resumes from the latest checkpoint in --output-dir. Multi-GPU: accelerate launch
--config_file train/fsdp.yaml -m scitune_data.cli.main train ... (or torchrun)."""


def train(
    recipe: Annotated[str, typer.Option(metavar="NAME|PATH",
                                        help="Training recipe: a shipped name (stage1-align, stage2-scienceqa) "
                                             "or a .toml path.")],
    data: Annotated[list[str], typer.Option(metavar="OUT[:WEIGHT]",
                                            help="Shard folder(s); PATH:WEIGHT for a weighted mixture. "
                                                 "Default: the recipe's [[data.sources]].")] = [],
    output_dir: Annotated[Path, typer.Option(metavar="DIR", help="Checkpoints, logs and the final weights.")] = Path(
        "runs/train"),
    set_: Annotated[list[str], typer.Option("--set", metavar="SECTION.KEY=VALUE", help="Override a recipe key.")] = [],
) -> None:
    from scitune_data.cli.options import console as make_console  # noqa: PLC0415
    from scitune_data.train.builders import build_model, build_tokenizer  # noqa: PLC0415
    from scitune_data.train.config import TrainConfigError, load_config, with_overrides  # noqa: PLC0415
    from scitune_data.train.loop import train as run  # noqa: PLC0415

    console = make_console()
    try:
        config = with_overrides(load_config(recipe), set_, data)
    except TrainConfigError as error:
        raise typer.BadParameter(str(error), param_hint="--recipe/--set") from error
    if not config.data.sources:
        raise typer.BadParameter("no training data: pass --data OUT (or list [[data.sources]])", param_hint="--data")
    tokenizer = build_tokenizer(config)
    model = build_model(config, tokenizer)

    def log(entry: dict) -> None:
        console.print(f"step {entry['step']}/{entry['total']} loss {entry['loss']:.4f} lr {entry['lr']:.2e} "
                      f"{entry['tokens_per_s']:.0f} tok/s eta {entry['eta_s'] / 60:.1f} min"
                      + (f" ({entry['skipped_too_long']} records too long, skipped)" if entry["skipped_too_long"] else ""))

    result = run(config, model, tokenizer, output_dir, on_log=log)
    console.print(f"{result.steps} steps, {result.tokens} tokens in {result.seconds:.1f} s → {output_dir}")


EXPORT_HELP = """Export a trained run (a checkpoint folder such as runs/stage2/final) to
transformers' LlavaForConditionalGeneration (needs an hf: CLIP tower and the mlp2x_gelu
projector)."""


def export_llava(
    run: Annotated[Path, typer.Option(metavar="DIR", help="Checkpoint folder (holds train_config.json).")],
    out: Annotated[Path, typer.Option(metavar="DIR", help="Folder for the Llava model and tokenizer.")],
) -> None:
    import json  # noqa: PLC0415

    from scitune_data.train.builders import build_model, build_tokenizer  # noqa: PLC0415
    from scitune_data.train.checkpoint import load_checkpoint  # noqa: PLC0415
    from scitune_data.train.config import from_dict  # noqa: PLC0415
    from scitune_data.train.export_llava import NotExportable, export_llava as run_export  # noqa: PLC0415
    from scitune_data.train.loop import set_trainable  # noqa: PLC0415

    config = from_dict(json.loads((run / "train_config.json").read_text()), str(run))
    tokenizer = build_tokenizer(config)
    model = build_model(config, tokenizer)
    set_trainable(model, config)
    load_checkpoint(run, model)
    try:
        run_export(model, tokenizer, out)
    except NotExportable as error:
        raise typer.BadParameter(str(error), param_hint="--run") from error
    typer.echo(f"LlavaForConditionalGeneration → {out}", err=True)
