"""Shared pieces of the trainer tests: shards built from the examples, a tokenizer trained on
them, tiny models saved to disk, configs that train them, and the scenarios the multi-process
tests run (in ``tests/distributed_worker.py`` under torchrun, and in one process to compare)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.tiny_models import save_tiny_language_model, tiny_clip, tiny_model_section, tiny_tokenizer

TRAIN_DEFAULTS = dict(lr=1e-2, epochs=1, global_batch_size=4, batch_size=4, max_length=256, bf16=False,
                      gradient_checkpointing=False, num_workers=0, window=4, save_every=1000, log_every=1,
                      warmup_ratio=0.0)


@pytest.fixture(scope="module")
def one_torch_thread():
    """Tiny models step fastest on one thread, and one thread does not fight other processes
    for the cores (on a busy 2-core machine two threads made these tests 10x slower)."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="session")
def train_shards(examples_dir, tmp_path_factory) -> Path:
    from tests.conftest import cli_build

    return cli_build(examples_dir, tmp_path_factory.mktemp("train_shards"), "--recipe", "scitune-c")


@pytest.fixture(scope="session")
def train_tokenizer(train_shards):
    texts = [turn["value"] for path in (train_shards / "data").glob("*.parquet")
             for row in pq.read_table(path, columns=["conversations"]).to_pylist() for turn in row["conversations"]]
    return tiny_tokenizer(texts * 3, vocab_size=600)


@pytest.fixture(scope="session")
def clip_spec(tmp_path_factory) -> str:
    return tiny_clip(tmp_path_factory.mktemp("tiny_clip"))


@pytest.fixture(scope="session")
def tiny_lm(train_tokenizer, tmp_path_factory) -> Path:
    return save_tiny_language_model(tmp_path_factory.mktemp("tiny_lm"), train_tokenizer)


@pytest.fixture(scope="session")
def tiny_lm_dropout(train_tokenizer, tmp_path_factory) -> Path:
    return save_tiny_language_model(tmp_path_factory.mktemp("tiny_lm_dropout"), train_tokenizer, dropout=0.1)


def config_dict(language_model: Path, clip: str, shards: Path, projector: str = "linear", lora: dict | None = None,
                data: dict | None = None, **train) -> dict:
    """A recipe (as parsed TOML) training the tiny models on ``shards``."""
    return {"model": tiny_model_section(language_model, clip, projector), "train": TRAIN_DEFAULTS | train,
            "lora": lora or {}, "data": {"sources": [{"path": str(shards)}]} | (data or {})}


def tiny_config(language_model: Path, clip: str, shards: Path, **options):
    from scitune_data.train.config import from_dict

    return from_dict(config_dict(language_model, clip, shards, **options), "test")


def text_only_mix(shards: Path, folder: Path, records: int = 13) -> Path:
    """``records`` training records, most of them made text-only (no ``<image>``, no image) with
    short answers so that length grouping puts them in batches of their own."""
    table = pq.read_table(next((shards / "data").glob("train-*.parquet"))).slice(0, records)
    rows = table.to_pylist()
    for index, row in enumerate(rows):
        if index % 3:
            row["image"] = None
            row["conversations"] = [{"from": "human", "value": row["conversations"][0]["value"].replace("<image>", "")},
                                    {"from": "gpt", "value": " ".join(row["conversations"][1]["value"].split()[:4])}]
    (folder / "data").mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), folder / "data" / "train-00000-of-00001.parquet")
    return folder


def scenarios(paths: dict, parallel: str) -> dict:
    """The multi-process scenarios (name → config) for DDP or FSDP (``parallel``)."""
    lm, lm_dropout, clip = Path(paths["lm"]), Path(paths["lm_dropout"]), paths["clip"]
    shards, mixed = Path(paths["shards"]), Path(paths["mixed"])
    return {
        # full fine-tuning, clipping active every step, warm-up then cosine over 2 epochs, a save mid-run
        "compare": tiny_config(lm, clip, shards, stage="instruct", lr=1e-3, epochs=2, global_batch_size=8,
                               batch_size=2, max_grad_norm=0.05, warmup_ratio=0.25, save_every=3, parallel=parallel),
        # LoRA adapters and attention dropout on: resume must continue bit for bit
        "resume": tiny_config(lm_dropout, clip, shards, stage="instruct", lr=1e-3, global_batch_size=4, batch_size=2,
                              max_steps=3, parallel=parallel, lora={"r": 4, "alpha": 8, "dropout": 0.1}),
        # 13 records in batches of 2: 7 batches, an odd number; text-only batches; the projector alone trains
        "text_only": tiny_config(lm, clip, mixed, stage="align", epochs=2, global_batch_size=4, batch_size=2,
                                 parallel=parallel),
        "bf16": tiny_config(lm, clip, shards, stage="align", bf16=True, global_batch_size=4, batch_size=2,
                            max_steps=2, parallel=parallel),
    }
