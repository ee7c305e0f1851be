"""The worker pool survives hangs, crashes and memory blow-ups; builds resume after kill -9 and
give the same bytes whatever the number of workers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scitune_data.executors.pool import Failure, WorkerPool
from scitune_data.pipeline.batch_store import ConfigChanged
from scitune_data.executors.base import Limits
from scitune_data.executors.local import LocalExecutor
from scitune_data.pipeline.build import BuildConfig
from scitune_data.pipeline.papers import ExtractOptions, failed_outcome
from scitune_data.records.recipe import load_recipe
from tests.conftest import build_command, build_outputs, killed_after_first_batch
from tests.pdf_factory import layout_variety_paper, two_column_paper


def misbehave(task):
    if task == "hang":
        time.sleep(60)
    if task == "segfault":
        os.kill(os.getpid(), signal.SIGSEGV)
    if task == "hog":
        return len(bytearray(2 << 30))  # 2 GiB, over the cap
    return task * 10


def test_pool_turns_hangs_crashes_and_memory_into_failures_and_goes_on():
    started = time.monotonic()
    with WorkerPool(misbehave, workers=2, timeout=3, memory_bytes=1 << 30) as pool:
        results = dict(pool.run([1, "hang", 2, "segfault", 3, "hog", 4]))
        assert pool.replaced == 3
    assert [results[i] for i in (1, 2, 3, 4)] == [10, 20, 30, 40]
    assert results["hang"] == Failure("timeout", "timed out after 3 s (worker killed and replaced)")
    assert results["segfault"].kind == "crash" and "SIGSEGV" in results["segfault"].message
    assert results["hog"].kind == "memory"
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("kind,error_type", [("timeout", "Timeout"), ("memory", "MemoryLimit"),
                                             ("crash", "WorkerCrash")])
def test_a_failed_worker_becomes_a_fatal_error_row_that_names_the_failure(kind, error_type, tmp_path):
    pdf = tmp_path / "p.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    outcome = failed_outcome("p.pdf", "0" * 64, kind, "worker gave up")
    assert outcome.failed and outcome.sha256
    assert [(e["stage"], e["error_type"], e["message"]) for e in outcome.errors] == [
        ("worker", error_type, "worker gave up")]


@pytest.fixture(scope="module")
def papers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("papers")
    original = two_column_paper(folder / "a0.pdf").read_bytes()
    for i in (1, 2):
        (folder / f"a{i}.pdf").write_bytes(original)  # the same bytes twice more: duplicates
    for i in range(3):
        layout_variety_paper(folder / f"b{i}.pdf")
    return folder


def _config(pdf_dir: Path, out: Path, **overrides) -> BuildConfig:
    return BuildConfig(pdf_dir, out, ExtractOptions(ocr="pdf-text"), batch_size=2,
                       recipe=load_recipe("scitune-multitask"), **overrides)


def run_build(config: BuildConfig, workers: int = 1):
    return LocalExecutor().run(config, Limits(workers=workers))


def test_same_bytes_with_one_or_two_workers(papers, tmp_path):
    one = run_build(_config(papers, tmp_path / "one"), workers=1)
    two = run_build(_config(papers, tmp_path / "two"), workers=2)
    assert build_outputs(tmp_path / "one") == build_outputs(tmp_path / "two")
    assert (one.inputs, one.succeeded, one.skipped, one.failed) == (6, 4, 2, 0)
    assert one.inputs == one.succeeded + one.failed + one.skipped


def test_rerun_skips_finished_batches_and_refuses_a_changed_config(papers, tmp_path):
    run_build(_config(papers, tmp_path / "out"))
    again = run_build(_config(papers, tmp_path / "out"))
    assert again.resumed_batches == 3 and again.inputs == 6
    with pytest.raises(ConfigChanged, match="options differ"):
        run_build(BuildConfig(papers, tmp_path / "out", ExtractOptions(ocr="pdf-text", dpi=200), batch_size=2,
                              recipe=load_recipe("scitune-multitask")))
    rebuilt = run_build(BuildConfig(papers, tmp_path / "out", ExtractOptions(ocr="pdf-text", dpi=200), batch_size=2,
                                    recipe=load_recipe("scitune-multitask"), overwrite=True))
    assert rebuilt.resumed_batches == 0


def test_progress_reports_the_plan_then_each_paper_and_a_rerun_as_resumed(papers, tmp_path):
    seen = []
    summary = LocalExecutor().run(_config(papers, tmp_path / "out"), on_progress=seen.append)
    assert (seen[0].total, seen[0].files, seen[0].resumed) == (6, 0, True)
    assert [report.files for report in seen[1:]] == [1] * 6
    assert sum(report.figures for report in seen) == summary.figures + summary.tables
    again = []
    LocalExecutor().run(_config(papers, tmp_path / "out"), on_progress=again.append)
    assert [(report.total, report.files, report.resumed) for report in again] == [(6, 6, True)]


def test_kill_dash_nine_then_rerun_gives_the_uninterrupted_bytes(papers, tmp_path):
    run_build(_config(papers, tmp_path / "whole"))
    command = build_command("--pdf-dir", papers, "--out", tmp_path / "killed", "--ocr", "pdf-text", "--recipe",
                            "scitune-multitask", "--batch-size", "2", "--workers", "1", "-q")
    resumed = killed_after_first_batch(command, tmp_path / "killed")
    assert resumed.returncode == 0, resumed.stderr
    assert "batches resumed" in resumed.stderr
    assert build_outputs(tmp_path / "killed") == build_outputs(tmp_path / "whole")


ORPHANED = """
import multiprocessing, sys, time
from scitune_data.executors.pool import WorkerPool

def work(seconds):
    time.sleep(seconds)
    return seconds

if __name__ == "__main__":
    with WorkerPool(work, workers=2) as pool:  # one worker busy for a minute, one idle
        print(" ".join(str(child.pid) for child in multiprocessing.active_children()), flush=True)
        for _ in pool.run([60]):
            pass
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")  # a zombie is dead, waiting for a parent that is gone to reap it


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process states from /proc")
def test_workers_die_with_their_parent_after_kill_dash_nine(tmp_path):
    script = tmp_path / "orphans.py"
    script.write_text(ORPHANED)
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    workers = [int(pid) for pid in parent.stdout.readline().split()]
    try:
        assert len(workers) == 2 and all(_alive(pid) for pid in workers)
        time.sleep(0.5)  # the task reaches its worker
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in workers)
    finally:
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_never_more_worker_processes_than_papers_to_do(papers, tmp_path):
    import multiprocessing

    seen = []
    LocalExecutor().run(_config(papers, tmp_path / "out"), Limits(workers=64),
                        on_progress=lambda report: seen.append(len(multiprocessing.active_children())))
    assert 1 <= max(seen) <= 4  # six inputs, two of them duplicates: four papers to process
