"""The trainer on two real processes (gloo, CPU), DDP and FSDP2, against one process.

Each strategy is launched once, DDP by ``accelerate launch`` and FSDP2 by ``torchrun`` (the two
launchers the README gives), and ``tests/distributed_worker.py`` runs all scenarios in the same
two processes. A launch that hangs is killed with its process group after ``TIMEOUT`` seconds
and fails the tests that need it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import torch.distributed as dist

from tests.train_support import scenarios, text_only_mix
from tests.tiny_models import tiny_run_recipe

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 300
WORLD = 2

pytestmark = [pytest.mark.skipif(not (dist.is_available() and dist.is_gloo_available()),
                                 reason="torch.distributed with gloo is not available"),
              pytest.mark.usefixtures("one_torch_thread")]


@pytest.fixture(scope="module")
def paths(train_shards, train_tokenizer, clip_spec, tiny_lm, tiny_lm_dropout, tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("distributed")
    recipe = tiny_run_recipe(root / "recipe", train_tokenizer, clip_spec, stage="align", global_batch_size=8,
                             batch_size=2, max_length=256, log_every=1)
    return {"lm": str(tiny_lm), "lm_dropout": str(tiny_lm_dropout), "clip": clip_spec, "shards": str(train_shards),
            "mixed": str(text_only_mix(train_shards, root / "mixed")), "recipe": str(recipe)}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


LAUNCHERS = {
    "ddp": lambda: [sys.executable, "-m", "accelerate.commands.launch", "--multi_gpu", f"--num_processes={WORLD}",
                    "--num_machines=1", "--mixed_precision=no", "--dynamo_backend=no",
                    f"--main_process_port={_free_port()}"],
    "fsdp": lambda: [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={WORLD}"],
}


def launch(parallel: str, paths: dict, out: Path) -> tuple[list[dict], str]:
    """Both ranks' results and the launch's output; fails on a non-zero exit or a hang."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "paths.json").write_text(json.dumps(paths))
    worker = [str(ROOT / "tests" / "distributed_worker.py"), str(out / "paths.json"), str(out), parallel]
    command = LAUNCHERS[parallel]() + worker
    env = os.environ | {"OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT), "CUDA_VISIBLE_DEVICES": ""}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                               start_new_session=True)
    try:
        output, _ = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # torchrun and both workers
        output, _ = process.communicate()
        pytest.fail(f"{parallel} launch hung for {TIMEOUT} s:\n{output[-4000:]}")
    assert process.returncode == 0, output[-6000:]
    return [json.loads((out / f"rank-{rank}.json").read_text()) for rank in range(WORLD)], output


@pytest.fixture(scope="module")
def launches() -> dict:
    return {}


@pytest.fixture(params=["ddp", "fsdp"])
def launched(request, paths, launches, tmp_path_factory) -> tuple[str, list[dict], str]:
    """(strategy, results of rank 0 and rank 1, output), launched once per strategy."""
    strategy = request.param
    if strategy not in launches:
        launches[strategy] = launch(strategy, paths, tmp_path_factory.mktemp(strategy))
    return strategy, *launches[strategy]


@pytest.fixture(scope="module")
def one_process(paths, one_torch_thread, tmp_path_factory) -> dict:
    """The ``compare`` scenario on this (single) process."""
    from scitune_data.train.builders import build_model, build_tokenizer
    from scitune_data.train.loop import train

    config = scenarios(paths, "ddp")["compare"]
    tokenizer = build_tokenizer(config)
    result = train(config, build_model(config, tokenizer), tokenizer, tmp_path_factory.mktemp("one_process"))
    return {"losses": result.losses, "learning_rates": result.learning_rates, "grad_norms": result.grad_norms,
            "steps": result.steps, "batches": result.batches}


def test_losses_and_gradient_norms_match_one_process(launched, one_process):
    strategy, ranks, _ = launched
    for rank in ranks:
        run = rank["compare"]
        assert run["steps"] == one_process["steps"] == 6
        assert run["batches"] == one_process["batches"] // WORLD  # half the forward passes each
        assert run["losses"] == pytest.approx(one_process["losses"], rel=2e-5), strategy
        # clipping to 0.05 is active on every step: a clip that missed the sharded gradients
        # would leave the norms (and then the losses) apart
        assert min(one_process["grad_norms"]) > 0.05
        assert run["grad_norms"] == pytest.approx(one_process["grad_norms"], rel=1e-4), strategy
        assert run["projector_share"] == (1 / WORLD if strategy == "fsdp" else 1)  # sharded, or a replica
    assert (Path(ranks[0]["compare"]["output_dir"]) / "checkpoint-3" / "state.json").is_file()


def test_learning_rate_follows_the_schedule_at_world_size_two(launched, one_process):
    from scitune_data.train.plan import Schedule

    _, ranks, _ = launched
    schedule = Schedule(1e-3, total=6, warmup_ratio=0.25, kind="cosine")
    expected = [schedule.lr(step) for step in range(6)]
    assert ranks[0]["compare"]["learning_rates"] == pytest.approx(expected, rel=1e-12)
    assert one_process["learning_rates"] == pytest.approx(expected, rel=1e-12)
    assert expected[-1] > 0.05 * 1e-3  # the last step still learns: the schedule spans the whole run


def test_resume_with_dropout_repeats_the_losses_bit_for_bit(launched):
    strategy, ranks, _ = launched
    for rank in ranks:
        run = rank["resume"]
        assert run["first"]["steps"] == 2 and run["second"]["steps"] == run["whole"]["steps"] == 3
        resumed = run["first"]["losses"] + run["second"]["losses"]
        assert resumed == run["whole"]["losses"], strategy  # exact equality, not a tolerance


def test_uneven_data_and_text_only_batches_finish_on_every_rank(launched):
    strategy, ranks, _ = launched
    # 13 records in batches of 2 are 7 batches: 3 whole steps of 2 per epoch, the 7th batch dropped
    assert [rank["text_only"]["batches"] for rank in ranks] == [6, 6], strategy
    assert all(rank["text_only"]["steps"] == 6 for rank in ranks)


def test_bf16_mixed_precision_trains(launched):
    strategy, ranks, _ = launched
    losses = ranks[0]["bf16"]["losses"]
    assert len(losses) == 2 and all(0 < loss < 20 for loss in losses), strategy


def test_the_train_command_logs_the_effective_batch_on_the_main_process_only(launched):
    _, _, output = launched
    assert output.count("global batch 8 = 2 per device x 2 processes x 2 accumulation steps") == 1, output[-3000:]
    assert "1 steps" in output


def test_the_mixed_shards_really_hold_text_only_and_image_batches(paths):
    from scitune_data.train.builders import build_tokenizer
    from scitune_data.train.data import ShardStream

    config = scenarios(paths, "ddp")["text_only"]
    stream = ShardStream(list(config.data.sources), build_tokenizer(config), lambda image: image, 16, 256, 2,
                         window=4, world=1, batches_per_step=2)
    kinds = {all(example.image is None for example in batch) for batch in stream.batches()}
    assert kinds == {True, False}
