"""The dataset card: YAML metadata the Hub understands (licence, task categories, size, configs
with data files per split, features and split sizes) and a body rendered from
``data_cards/scitune-dataset.md``: how the data was built, statistics with plots, the record
format, how to load it, licence, provenance and citations."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from string import Template

import pyarrow as pa
import pyarrow.parquet as pq

from scitune_data import __version__
from scitune_data.output_layout import DATA_DIR, ERRORS_FILE, FIGURES_DIR, PARQUET_FILES, shard_files, shard_split
from scitune_data.schema.registry import arrow_schema
from scitune_data.shards.manifest import read_manifest

SIZE_CATEGORIES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
                   (10_000_000, "1M<n<10M"))


@dataclass(slots=True)
class CardStats:
    manifest: dict
    splits: dict[str, dict] = field(default_factory=dict)  # split -> {rows, bytes, files}
    papers: int = 0
    figure_types: Counter = field(default_factory=Counter)
    caption_words: list[int] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)


def collect(out: Path) -> CardStats:
    stats = CardStats(read_manifest(out))
    for path in shard_files(out):
        split = shard_split(path)
        entry = stats.splits.setdefault(split, {"rows": 0, "bytes": 0, "files": []})
        entry["rows"] += pq.ParquetFile(path).metadata.num_rows
        entry["bytes"] += path.stat().st_size
        entry["files"].append(f"{DATA_DIR}/{path.name}")
    figures = out / FIGURES_DIR
    papers: set[str] = set()
    if figures.is_dir() and any(figures.glob(PARQUET_FILES)):
        for row in pq.read_table(figures, columns=["paper_id", "figure_type", "caption"]).to_pylist():
            papers.add(row["paper_id"])
            stats.figure_types[row["figure_type"] or "unknown"] += 1
            stats.caption_words.append(len(row["caption"].split()))
    else:
        for path in shard_files(out):
            papers.update(pq.read_table(path, columns=["paper_id"])["paper_id"].to_pylist())
    stats.papers = len(papers)
    if (out / ERRORS_FILE).is_file():
        stats.errors.update(pq.read_table(out / ERRORS_FILE, columns=["stage"])["stage"].to_pylist())
    return stats


def _yaml_feature(name: str, arrow_type: pa.DataType) -> dict:
    if pa.types.is_struct(arrow_type) and {f.name for f in arrow_type} == {"bytes", "path"}:
        return {"name": name, "dtype": "image"}
    if pa.types.is_list(arrow_type) or pa.types.is_fixed_size_list(arrow_type):
        inner = arrow_type.value_type
        if pa.types.is_struct(inner):
            return {"name": name, "list": [_yaml_feature(f.name, f.type) for f in inner]}
        return {"name": name, "list": str(inner)}
    return {"name": name, "dtype": "bool" if arrow_type == pa.bool_() else str(arrow_type)}


def metadata(stats: CardStats, pretty_name: str, license_id: str) -> dict:
    total = sum(s["rows"] for s in stats.splits.values())
    size = next((label for limit, label in SIZE_CATEGORIES if total < limit), "n>10M")
    schema = arrow_schema("records")
    return {
        "license": license_id,
        "pretty_name": pretty_name,
        "task_categories": ["image-to-text", "visual-question-answering"],
        "language": ["en"],
        "size_categories": [size],
        "tags": ["science", "scientific-figures", "multimodal", "instruction-tuning", "scitune"],
        "configs": [{"config_name": "default",
                     "data_files": [{"split": split, "path": f"{DATA_DIR}/{split}-*"} for split in stats.splits]}],
        "dataset_info": {
            "features": [_yaml_feature(f.name, f.type) for f in schema],
            "splits": [{"name": split, "num_bytes": s["bytes"], "num_examples": s["rows"]} for split, s in stats.splits.items()],
            "download_size": sum(s["bytes"] for s in stats.splits.values()),
        },
    }


def _plots(stats: CardStats, assets: Path) -> list[str]:
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    assets.mkdir(parents=True, exist_ok=True)
    made = []
    if stats.figure_types:
        labels, counts = zip(*stats.figure_types.most_common())
        figure, axis = plt.subplots(figsize=(7, 3.2))
        axis.barh(labels[::-1], counts[::-1], color="#4C72B0")
        axis.set_xlabel("figures")
        axis.set_title("Figure types")
        figure.tight_layout()
        figure.savefig(assets / "figure_types.png", dpi=110, metadata={"Software": None})
        plt.close(figure)
        made.append("figure_types.png")
    if stats.caption_words:
        figure, axis = plt.subplots(figsize=(7, 3.2))
        axis.hist(stats.caption_words, bins=30, color="#55A868")
        axis.set_xlabel("caption length (words)")
        axis.set_ylabel("figures")
        axis.set_title("Caption lengths")
        figure.tight_layout()
        figure.savefig(assets / "caption_lengths.png", dpi=110, metadata={"Software": None})
        plt.close(figure)
        made.append("caption_lengths.png")
    return made


def render(stats: CardStats, repo_id: str, assets: Path, command: str, license_id: str = "other") -> str:
    import yaml  # noqa: PLC0415

    recipe = stats.manifest.get("recipe", {})
    counts = stats.manifest.get("counts", {})
    pretty_name = f"SciTune {recipe.get('name', 'instructions')} ({repo_id.split('/')[-1]})"
    plots = _plots(stats, assets)
    by_split = counts.get("by_split_and_task", {})
    tasks = sorted({t for per_task in by_split.values() for t in per_task})
    split_table = "| split | " + " | ".join(tasks) + " |\n|---|" + "---|" * len(tasks) + "\n" + "\n".join(
        f"| {split} | " + " | ".join(str(per_task.get(t, 0)) for t in tasks) + " |" for split, per_task in by_split.items())
    filters, dedup = recipe.get("filters", {}), recipe.get("dedup", {})
    words = stats.caption_words
    caption_section = (f"Caption length in words: mean {statistics.fmean(words):.1f}, median "
                       f"{statistics.median(words):.0f}, 90th percentile {sorted(words)[int(0.9 * (len(words) - 1))]}.\n\n"
                       "![caption lengths](assets/caption_lengths.png)") if words else ""
    type_section = ("Figure types: " + ", ".join(f"{t} {n}" for t, n in stats.figure_types.most_common())
                    + ".\n\n![figure types](assets/figure_types.png)") if "figure_types.png" in plots else ""
    values = {
        "pretty_name": pretty_name, "version": __version__, "repo_id": repo_id,
        "recipe_name": recipe.get("name", "?"), "stage": recipe.get("stage", "?"),
        "tasks": ", ".join(f"`{t}`" for t in recipe.get("tasks", [])), "caption_variant": recipe.get("caption_variant", "?"),
        "templates": recipe.get("templates", "?"), "seed": recipe.get("seed", "?"),
        "split_fractions": ", ".join(f"{k} {v:g}" for k, v in recipe.get("splits", {}).items()) or "as given by the source",
        "min_side": filters.get("min_side", "?"), "max_aspect": filters.get("max_aspect", "?"),
        "caption_rule": "figures without a caption are dropped" if filters.get("require_caption", True) else "captions not required",
        "dedup_rule": ", ".join(filter(None, [
            "identical crops" if dedup.get("exact_images") else "",
            f"near-identical crops (perceptual hash within {dedup['near_images']} bits)" if dedup.get("near_images", -1) >= 0 else "",
            "identical captions" if dedup.get("captions") else ""])) or "none",
        "versions": ", ".join(f"{k} {v}" for k, v in stats.manifest.get("versions", {}).items()),
        "command": command or (f"scitune-data build --pdf-dir PDFS --out OUT --recipe {recipe.get('name', 'scitune-ctom')} "
                               f"--templates {recipe.get('templates', 'sample')}"), "papers": stats.papers, "figures_in": counts.get("figures_in", counts.get("problems", "?")),
        "figures_kept": counts.get("figures_kept", "?"), "records": counts.get("records", "?"),
        "errors": ", ".join(f"{k} {v}" for k, v in sorted(stats.errors.items())) or "none",
        "split_table": split_table, "dropped": ", ".join(f"{k} {v}" for k, v in counts.get("dropped", {}).items()) or "none",
        "figure_type_section": type_section, "caption_section": caption_section,
        "license_note": f"Dataset card licence field: `{license_id}`.",
    }
    template = resources.files("scitune_data.data_cards").joinpath("scitune-dataset.md").read_text()
    header = yaml.safe_dump(metadata(stats, pretty_name, license_id), sort_keys=False, allow_unicode=True)
    return f"---\n{header}---\n\n" + Template(template).substitute(values)
