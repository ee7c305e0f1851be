"""``scitune-data train``: the bundled trainer, both SciTune stages."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

HELP = """Train the vision-language model on instruction shards with a training recipe
(stage1-align: projector only; stage2-scienceqa: projector + LM; or a TOML file).
Resumes from the latest checkpoint in --output-dir. Several GPUs: torchrun --nproc_per_node 8
-m scitune_data.cli.main train ... (or accelerate launch --config_file train/accelerate-8gpu.yaml
-m ..., a launcher config shipped beside the recipes); the recipe's train.parallel picks DDP or
FSDP, its train.global_batch_size the records per optimizer step."""


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
    from scitune_data.train.config import TrainConfigError, load_config, with_overrides  # noqa: PLC0415

    try:
        config = with_overrides(load_config(recipe), set_, data)
    except TrainConfigError as error:
        raise typer.BadParameter(str(error), param_hint="--recipe/--set") from error
    if not config.data.sources:
        raise typer.BadParameter("no training data: pass --data OUT (or list [[data.sources]])", param_hint="--data")

    from scitune_data.cli.options import console as make_console  # noqa: PLC0415
    from scitune_data.train.builders import build_model, build_tokenizer  # noqa: PLC0415
    from scitune_data.train.distributed import close_runtime, init_runtime  # noqa: PLC0415
    from scitune_data.train.loop import train as run  # noqa: PLC0415

    console = make_console()
    runtime = init_runtime()
    tokenizer = build_tokenizer(config)
    model = build_model(config, tokenizer)

    def log(entry: dict) -> None:
        console.print(f"step {entry['step']}/{entry['total']} loss {entry['loss']:.4f} lr {entry['lr']:.2e} "
                      f"grad norm {entry['grad_norm']:.3f} {entry['tokens_per_s']:.0f} tok/s "
                      f"eta {entry['eta_s'] / 60:.1f} min"
                      + (f" ({entry['skipped_too_long']} records too long, skipped)" if entry["skipped_too_long"] else ""))

    try:
        result = run(config, model, tokenizer, output_dir, on_log=log, runtime=runtime,
                     on_start=lambda plan: console.print(plan.describe()))
    except TrainConfigError as error:
        raise typer.BadParameter(str(error), param_hint="--recipe/--set") from error
    finally:
        close_runtime()
    if runtime.is_main:
        console.print(f"{result.steps} steps, {result.tokens} tokens in {result.seconds:.1f} s → {output_dir}")


EXPORT_HELP = """Export a trained run (a checkpoint folder such as runs/stage2/final) to
transformers' LlavaForConditionalGeneration with a LlavaProcessor (image preprocessing, <image>
expansion, the training prompt as chat template): open_clip ViT or Hugging Face CLIP towers,
linear or mlp2x_gelu projectors, LoRA merged."""


def export_llava(
    run: Annotated[Path, typer.Option(metavar="DIR", help="Checkpoint folder (holds train_config.json).")],
    out: Annotated[Path, typer.Option(metavar="DIR", help="Folder for the Llava model and processor.")],
) -> None:
    from scitune_data.train.builders import load_run  # noqa: PLC0415
    from scitune_data.train.export_llava import NotExportable, export_llava as run_export  # noqa: PLC0415

    model, tokenizer, config = load_run(run)
    try:
        run_export(model, tokenizer, out, config.data.prompt)
    except NotExportable as error:
        raise typer.BadParameter(str(error), param_hint="--run") from error
    typer.echo(f"LlavaForConditionalGeneration + LlavaProcessor → {out}", err=True)
