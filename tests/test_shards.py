"""Shards end to end on the example papers, plus splits, dedup, filters and validation."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import replace

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from PIL import Image
from typer.testing import CliRunner

from scitune_data.cli.main import app
from tests.conftest import cli_build
from scitune_data.pipeline.record_shards import build_records
from scitune_data.records.recipe import Dedup, Filters, ShardSizes, load_recipe
from scitune_data.schema.registry import arrow_schema
from scitune_data.shards.dedup import FigureFilter, difference_hash
from scitune_data.shards.split import split_of
from scitune_data.validate.checks import validate


@pytest.fixture(scope="module")
def built(examples_dir, tmp_path_factory):
    return cli_build(examples_dir, tmp_path_factory.mktemp("built"), "--recipe", "scitune-multitask")


def test_shards_are_named_counted_and_hashed_in_the_manifest(built):
    manifest = json.loads((built / "manifest.json").read_text())
    files = sorted(p.name for p in (built / "data").glob("*.parquet"))
    assert files == sorted(s["file"].split("/")[1] for s in manifest["shards"])
    for shard in manifest["shards"]:
        path = built / shard["file"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == shard["sha256"]
        assert pq.ParquetFile(path).metadata.num_rows == shard["rows"]
    counts = manifest["counts"]
    assert counts["records"] == sum(s["rows"] for s in manifest["shards"])
    assert counts["figures_in"] == 28 and manifest["recipe"]["name"] == "scitune-multitask"
    assert pq.ParquetFile(built / manifest["shards"][0]["file"]).metadata.row_group(0).num_rows <= 100


def test_shards_store_png_bytes_as_they_are_and_compress_the_text(built):
    for path in [*(built / "data").glob("*.parquet"), *(built / "figures").glob("*.parquet")]:
        group = pq.ParquetFile(path).metadata.row_group(0)
        codecs = {group.column(i).path_in_schema: group.column(i).compression for i in range(group.num_columns)}
        assert codecs.pop("image.bytes") == "UNCOMPRESSED"
        assert set(codecs.values()) == {"ZSTD"}, codecs


def test_datasets_reads_the_shards_both_ways(built):
    datasets = pytest.importorskip("datasets")
    by_folder = datasets.load_dataset(str(built))
    files = sorted(str(p) for p in (built / "data").glob("train-*.parquet"))
    by_files = datasets.load_dataset("parquet", data_files={"train": files})
    assert by_folder["train"].num_rows == by_files["train"].num_rows > 0
    row = by_folder["train"][0]
    assert row["image"].size[0] > 0 and row["conversations"][0]["from"] == "human"


def test_rebuild_is_byte_identical(built, examples_dir, tmp_path):
    again = tmp_path / "again"
    build_records(built / "figures", again, load_recipe("scitune-multitask"))
    for shard in (built / "data").glob("*.parquet"):
        assert (again / "data" / shard.name).read_bytes() == shard.read_bytes()


def test_validate_passes_on_built_shards(built):
    report = validate(built)
    assert report.ok, report.problems[:5]
    result = CliRunner().invoke(app, ["validate", str(built)])
    assert result.exit_code == 0 and "OK" in result.output


def _write_shard(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=arrow_schema("records")), path)


def test_validate_reports_each_broken_rule(built, tmp_path):
    good = pq.read_table(next((built / "data").glob("train-*.parquet"))).slice(0, 6).to_pylist()
    bad = [dict(r) for r in good]
    bad[0]["image"] = {"bytes": b"not a png", "path": "x.png"}
    bad[1]["conversations"] = [{"from": "human", "value": "<image>\n<image> two"}, {"from": "gpt", "value": "x"}]
    bad[2]["conversations"] = list(reversed(bad[2]["conversations"]))
    bad[3]["split"] = "test"
    bad[4]["id"] = bad[5]["id"]
    _write_shard(tmp_path / "data" / "train-00000-of-00001.parquet", bad)
    other = dict(good[0], split="validation", id="elsewhere")
    _write_shard(tmp_path / "data" / "validation-00000-of-00001.parquet", [other])
    problems = "\n".join(validate(tmp_path).problems)
    assert "train-00000-of-00001.parquet:0: image: does not decode" in problems
    assert ":1: conversations: 2 <image> placeholders for one image" in problems
    assert ":2: conversations: turns must alternate" in problems
    assert ":3: split: row says 'test', file is 'train'" in problems
    assert ":5: id:" in problems and "already used" in problems
    assert "validation-00000-of-00001.parquet:0: split: paper" in problems
    result = CliRunner().invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 1


def test_splits_are_by_paper_and_stable_when_papers_are_added():
    fractions = {"train": 0.8, "validation": 0.1, "test": 0.1}
    first = {f"paper-{i}": split_of(f"paper-{i}", fractions) for i in range(500)}
    more = {f"paper-{i}": split_of(f"paper-{i}", fractions) for i in range(1000)}
    assert all(more[p] == s for p, s in first.items())
    share = sum(s == "train" for s in more.values()) / len(more)
    assert 0.75 < share < 0.85
    assert split_of("paper-1", fractions, seed=1) in fractions


def _png(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels.astype(np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


def _row(paper: str, png: bytes, caption: str, width: int = 100, height: int = 80) -> dict:
    return {"paper_id": paper, "image": {"bytes": png}, "caption_no_index": caption, "width": width, "height": height}


def test_dedup_and_filters_count_what_they_drop():
    rng = np.random.default_rng(0)
    base = rng.integers(0, 255, size=(64, 96, 3))
    brighter = np.clip(base + 3, 0, 255)  # the same picture, re-encoded a little differently
    other = rng.integers(0, 255, size=(64, 96, 3))
    keep = FigureFilter(Filters(), Dedup())
    verdicts = [
        keep.reason_to_drop(_row("a", _png(base), "a plot of the loss")),
        keep.reason_to_drop(_row("a", _png(base), "a plot of the loss")),  # same paper: kept
        keep.reason_to_drop(_row("b", _png(base), "another caption")),
        keep.reason_to_drop(_row("c", _png(brighter), "third caption")),
        keep.reason_to_drop(_row("d", _png(other), "a plot of the loss")),
        keep.reason_to_drop(_row("e", _png(other), "tiny", width=10)),
        keep.reason_to_drop(_row("f", _png(other), "a banner", width=2000, height=40)),
        keep.reason_to_drop(_row("g", _png(rng.integers(0, 255, size=(50, 50, 3))), "  ")),
    ]
    assert verdicts == [None, None, "duplicate_image", "near_duplicate_image", "duplicate_caption",
                        "tiny_crop", "aspect_ratio", "empty_caption"]
    assert keep.dropped == {"duplicate_image": 1, "near_duplicate_image": 1, "duplicate_caption": 1,
                            "tiny_crop": 1, "aspect_ratio": 1, "empty_caption": 1}
    assert bin(difference_hash(_png(base)) ^ difference_hash(_png(brighter))).count("1") <= 3


def test_large_splits_are_cut_into_several_shards(built, tmp_path):
    recipe = replace(load_recipe("scitune-multitask"), shards=ShardSizes(max_bytes=200_000, row_group_rows=10))
    summary = build_records(built / "figures", tmp_path, recipe)
    train = [s for s in summary.shards if s["split"] == "train"]
    assert len(train) > 1
    assert all(s["file"].endswith(f"-of-{len(train):05d}.parquet") for s in train)
    assert sum(s["rows"] for s in summary.shards) == summary.records
    assert validate(tmp_path).ok


def _copy(built, tmp_path):
    import shutil

    out = tmp_path / "copy"
    shutil.copytree(built, out)
    return out, sorted((out / "data").glob("*.parquet"))[-1]  # a train shard


def test_validate_checks_the_manifest_rows_hashes_and_listing(built, tmp_path):
    out, shard = _copy(built, tmp_path)
    rows = pq.read_table(shard).to_pylist()
    edited = rows[:-5]  # five rows gone, and an answer changed: still valid rows
    edited[0]["conversations"][-1]["value"] = "An answer nobody gave."
    pq.write_table(pa.Table.from_pylist(edited, schema=arrow_schema("records")), shard)
    (out / "data" / "test-00000-of-00009.parquet").write_bytes(shard.read_bytes())  # not in the manifest
    result = CliRunner().invoke(app, ["validate", str(out)])
    problems = result.output
    assert result.exit_code == 1
    assert f"{shard}: its bytes differ from the hash in manifest.json" in problems
    assert f"{shard}: {len(rows) - 5} rows, manifest.json says {len(rows)}" in problems
    assert "test-00000-of-00009.parquet: not listed in manifest.json" in problems
    shard.unlink()
    assert f"{shard}: listed in manifest.json but missing" in "\n".join(validate(out).problems)


def test_validate_reports_a_truncated_shard_as_a_finding(built, tmp_path):
    out, shard = _copy(built, tmp_path)
    shard.write_bytes(shard.read_bytes()[: shard.stat().st_size // 2])
    result = CliRunner().invoke(app, ["validate", str(out)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert f"{shard}: not a readable Parquet file (truncated or damaged?)" in result.output
    assert "Traceback" not in result.output
