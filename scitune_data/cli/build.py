"""``scitune-data build``: PDFs → figures table → instruction shards."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

import typer

from scitune_data.cli.options import Categories, Json, PaperLicenses, Quiet, Submitted, flag

if TYPE_CHECKING:
    from scitune_data.executors.base import Executor

HELP = """Extract every captioned figure and table from a folder of PDFs (or archives of them, such as
arXiv's bulk PDF tars) and turn them into instruction shards.

Writes OUT/figures/part-*.parquet (one row per figure or table, crop embedded),
OUT/errors.parquet (one row per problem, with the reason), OUT/summary.json, and, under the
recipe (default scitune-ctom), OUT/data/{split}-*.parquet shards with OUT/manifest.json.
A killed build resumes when rerun with the same command. OUT must be a new or empty folder, or
an earlier scitune-data output (marked by OUT/.scitune-data.json): scitune-data never writes into
a folder it does not own and never deletes files it did not write."""


DEFAULT_CAP = 4 << 30
SMALLEST_CAP = 256 << 20  # less leaves a worker no room to open a paper and render its figures


def _memory(text: str | None) -> int | None:
    """``--max-memory`` in bytes (None: no cap); a negative or unreadable size is refused. The
    default is 4 GiB, or half the memory of a machine smaller than 8 GiB."""
    if text is None:
        return min(DEFAULT_CAP, _machine_memory() // 2)
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
    value = text.strip().lower().removesuffix("ib").removesuffix("b")
    if value in ("0", "none", "off"):
        return None
    try:
        size = int(float(value[:-1]) * units[value[-1]]) if value[-1] in units else int(value)
    except (ValueError, IndexError, OverflowError) as error:
        raise typer.BadParameter(f"{text!r} is not a size such as 4GiB or 512MiB", param_hint="--max-memory") from error
    if size <= 0:
        raise typer.BadParameter(f"{text!r}: the cap must be positive (or 0 for no cap)", param_hint="--max-memory")
    return size


def _machine_memory() -> int:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def _check_memory_cap(text: str, size: int) -> None:
    """A cap this machine can honour and a worker can live with."""
    total = _machine_memory()
    if size >= total:
        raise typer.BadParameter(f"{text!r} is not below this machine's {total / (1 << 30):.1f} GiB of memory: give "
                                 "a smaller cap, or 0 for none", param_hint="--max-memory")
    if size < SMALLEST_CAP:
        raise typer.BadParameter(f"{text!r} is less than a worker needs to open a paper and render its figures "
                                 f"(at least {SMALLEST_CAP >> 20}MiB), or 0 for no cap", param_hint="--max-memory")


def build(
    pdf_dir: Annotated[str, typer.Option(
        "--pdf-dir", metavar="DIR|ARCHIVE",
        help="Folder searched recursively for *.pdf and archives of PDFs (.tar, .tar.gz, .zip), or one archive; a "
             "local path or a URL (s3://..., with fsspec and its filesystem installed).")],
    out: Annotated[str, typer.Option("--out", metavar="OUT", help="Output folder (created if missing), or a URL.")],
    recipe: Annotated[str, typer.Option(metavar="NAME|PATH",
                                        help="Records recipe: a shipped name or a .toml path.")] = "scitune-ctom",
    templates: Annotated[str | None, typer.Option(
        metavar="sample|all", help="sample: one seeded template per record; all: one record per template (for "
                                   "sensitivity evaluation). Default: the recipe's.")] = None,
    figures_only: Annotated[bool, flag("--figures-only", "Stop after the figures table (no shards).")] = False,
    ocr: Annotated[str, typer.Option(
        metavar="MODE", help="In-figure text: auto (PDF text layer, else the OCR engine), pdf-text, none, or an "
                             "engine: rapidocr, tesseract, easyocr.")] = "auto",
    figure_type_model: Annotated[str | None, typer.Option(
        metavar="ARCH:WEIGHTS",
        help="Zero-shot figure types with an open_clip model, e.g. ViT-B-32:openai or "
             "ViT-B-32:/path/to/checkpoint.bin (needs the [train] extra). Default: the built-in "
             "caption-and-drawing rules.")] = None,
    workers: Annotated[int, typer.Option(metavar="N", help="Worker processes (default: the CPU cores; never more "
                                                           "than the PDFs left to do).", min=1,
                                         show_default=False)] = os.cpu_count() or 1,
    timeout: Annotated[float, typer.Option(metavar="SECONDS", help="Seconds one PDF may take before it becomes an "
                                                                   "error row (0: no limit).", min=0)] = 300.0,
    max_memory: Annotated[str | None, typer.Option(
        metavar="SIZE", help="Memory a worker may use beyond what it starts with, e.g. 4GiB (0: no cap); below the "
                             "machine's memory. Default: 4GiB, or half the memory of a smaller machine.")] = None,
    executor: Annotated[str, typer.Option(metavar="local|ray", help="Process pool or Ray tasks.")] = "local",
    address: Annotated[str | None, typer.Option(metavar="ADDRESS", help="Ray cluster address (with --executor ray).")] = None,
    batch_size: Annotated[int, typer.Option(metavar="N", help="PDFs per batch (a part file, a resume unit).",
                                            min=1)] = 64,
    overwrite: Annotated[bool, flag("--overwrite", "Rebuild OUT from scratch: remove the files scitune-data wrote "
                                                   "there (never anything else) and start again.")] = False,
    dpi: Annotated[int, typer.Option(metavar="DPI", help="Resolution of the rendered crops.", min=36, max=600)] = 150,
    margin: Annotated[float, typer.Option(metavar="POINTS", help="White margin around each crop, in PDF points.",
                                          min=0.0)] = 4.0,
    password: Annotated[str | None, typer.Option(metavar="PASSWORD", help="Password for encrypted PDFs.")] = None,
    metadata: Annotated[str | None, typer.Option(
        metavar="FILE", help="arXiv's metadata snapshot (arxiv-metadata-oai-snapshot.json, JSON lines; .gz/.bz2/.xz "
                             "too; a path or a URL): adds each paper's title, categories, licence, version and dates, "
                             "read in one streamed pass.")] = None,
    paper_licenses: PaperLicenses = None,
    categories: Categories = None,
    submitted: Submitted = None,
    storage_options: Annotated[str | None, typer.Option(
        metavar="JSON", help='Options for the filesystems of URL inputs and outputs, e.g. \'{"requester_pays": true}\' '
                             "for arXiv's S3 bucket.")] = None,
    strict: Annotated[bool, flag("--strict", "Exit with status 1 if anything was lost or may be incomplete: any "
                                             "error or warning row (duplicates skipped do not count).")] = False,
    quiet: Quiet = False,
    as_json: Json = False,
) -> None:
    from scitune_data.cli.failures import one_line_failures  # noqa: PLC0415
    from scitune_data import storage  # noqa: PLC0415
    from scitune_data.cli.options import console as make_console, paper_selection, print_json  # noqa: PLC0415
    from scitune_data.cli.progress import BuildProgress  # noqa: PLC0415
    from scitune_data.cli.records import records_json, resolve_recipe  # noqa: PLC0415
    from scitune_data.executors.base import Limits  # noqa: PLC0415
    from scitune_data.ocr import MODES, OcrUnavailable, check_engine  # noqa: PLC0415
    from scitune_data.pipeline.batch_store import ConfigChanged  # noqa: PLC0415
    from scitune_data.pipeline.build import BuildConfig  # noqa: PLC0415
    from scitune_data.pipeline.catalog import MetadataUnavailable  # noqa: PLC0415
    from scitune_data.pipeline.inputs import NoInputFolder, NoInputs  # noqa: PLC0415
    from scitune_data.pipeline.papers import ExtractOptions  # noqa: PLC0415

    console = make_console()
    if ocr not in MODES:
        raise typer.BadParameter(f"choose one of {', '.join(MODES)}", param_hint="--ocr")
    if executor not in ("local", "ray"):
        raise typer.BadParameter("choose local or ray", param_hint="--executor")
    try:
        check_engine(ocr)
    except OcrUnavailable as error:
        raise typer.BadParameter(str(error), param_hint="--ocr") from error
    if figure_type_model is not None:
        _check_type_model(figure_type_model)
    options = ExtractOptions(dpi=dpi, margin=margin, password=password, ocr=ocr, figure_type_model=figure_type_model)
    memory_bytes = _memory(max_memory)
    if max_memory is not None and memory_bytes is not None and executor == "local":  # Ray's run elsewhere
        _check_memory_cap(max_memory, memory_bytes)
    limits = Limits(workers=workers, timeout=timeout or None, memory_bytes=memory_bytes)
    selection = paper_selection(paper_licenses, categories, submitted)
    if selection.needs_metadata and metadata is None:
        raise typer.BadParameter("selecting papers by licence, category or date needs their metadata: give "
                                 "--metadata arxiv-metadata-oai-snapshot.json", param_hint="--metadata")
    if storage_options is not None:
        storage.use_options([pdf_dir, out, metadata], _json_object(storage_options))
    config = BuildConfig(pdf_dir, out, options, batch_size=batch_size,
                         recipe=None if figures_only else resolve_recipe(recipe, templates), overwrite=overwrite,
                         metadata=metadata, selection=selection)
    with one_line_failures():
        try:
            with BuildProgress(console, disable=quiet) as progress:
                summary = _executor(executor, address).run(config, limits, on_progress=progress.update)
        except (NoInputFolder, NoInputs) as error:
            raise typer.BadParameter(str(error), param_hint="--pdf-dir") from error
        except MetadataUnavailable as error:
            raise typer.BadParameter(str(error), param_hint="--metadata") from error
        except ConfigChanged as error:
            raise typer.BadParameter(str(error), param_hint="--out") from error
    _print_summary(console, summary, out)
    if as_json:
        print_json({"command": "build", "out": out, **{key: getattr(summary, key) for key in (
            "inputs", "succeeded", "failed", "skipped", "pages", "figures", "tables", "errors", "warnings",
            "resumed_batches", "excluded", "without_metadata", "seconds", "error_files")},
            "records": records_json(summary.records)})
    if summary.excluded and not summary.inputs:
        console.print("the paper selection kept none of the papers → exit status 1")
        raise typer.Exit(code=1)
    if strict and (summary.errors or summary.warnings):
        console.print(f"--strict: {summary.errors} errors and {summary.warnings} warnings → exit status 1")
        raise typer.Exit(code=1)


def _print_summary(console, summary, out: str) -> None:
    from scitune_data import storage  # noqa: PLC0415
    from scitune_data.cli.records import print_records_summary  # noqa: PLC0415
    from scitune_data.output_layout import ERRORS_FILE  # noqa: PLC0415

    console.print(
        f"{summary.inputs} papers ({summary.succeeded} ok, {summary.failed} failed, {summary.skipped} "
        f"duplicates skipped), {summary.pages} pages, {summary.figures} figures, {summary.tables} tables, "
        f"{summary.errors} errors, {summary.warnings} warnings in {summary.seconds:.1f} s"
        + (f" ({summary.resumed_batches} batches resumed)" if summary.resumed_batches else "") + f" → {out}")
    if summary.excluded:
        reasons = ", ".join(f"{reason} {count}" for reason, count in summary.excluded.items())
        console.print(f"{sum(summary.excluded.values())} papers left out by the selection ({reasons})")
    if summary.without_metadata:
        console.print(f"{summary.without_metadata} papers not in the metadata: their title, licence and categories "
                      "are null")
    if summary.records is not None:
        print_records_summary(console, summary.records, out)
    for name in summary.error_files[:10]:
        console.print(f"  problem {name} (see {storage.join(out, ERRORS_FILE)})")


def _json_object(text: str) -> dict:
    import json  # noqa: PLC0415

    try:
        value = json.loads(text)
    except ValueError as error:
        raise typer.BadParameter(f"not JSON: {error}", param_hint="--storage-options") from error
    if not isinstance(value, dict):
        raise typer.BadParameter('give a JSON object, e.g. {"requester_pays": true}', param_hint="--storage-options")
    return value


def _executor(name: str, address: str | None) -> Executor:
    if name == "ray":
        from scitune_data.executors.ray import RayExecutor  # noqa: PLC0415

        return RayExecutor(address)
    from scitune_data.executors.local import LocalExecutor  # noqa: PLC0415

    return LocalExecutor()


def _check_type_model(spec: str) -> None:
    from scitune_data.classify.clip import ClipUnavailable, check_spec  # noqa: PLC0415

    try:
        check_spec(spec)
    except ClipUnavailable as error:
        raise typer.BadParameter(str(error), param_hint="--figure-type-model") from error
