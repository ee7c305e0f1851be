"""The Ray executor on a local Ray instance (one start shared by these tests): same outputs as
the local executor, from local paths or fsspec URLs."""

from __future__ import annotations

import pytest

from scitune_data.executors.base import Limits
from scitune_data.executors.local import LocalExecutor
from scitune_data.executors.ray import RayExecutor
from scitune_data.pipeline.build import BuildConfig
from scitune_data.pipeline.papers import ExtractOptions
from scitune_data.records.recipe import load_recipe
from tests.pdf_factory import layout_variety_paper, two_column_paper

ray = pytest.importorskip("ray")  # a [ray] dependency, installed by .ci/run


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def papers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ray_papers")
    for i in range(2):
        two_column_paper(folder / f"a{i}.pdf")
        layout_variety_paper(folder / f"b{i}.pdf")
    return folder


def _outputs(out) -> dict[str, bytes]:
    files = [*out.glob("figures/*.parquet"), *out.glob("data/*.parquet"), out / "errors.parquet"]
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(files)}


def test_ray_gives_the_local_executors_bytes(local_ray, papers, tmp_path):
    def config(out):
        return BuildConfig(papers, out, ExtractOptions(ocr="pdf-text"), batch_size=2,
                           recipe=load_recipe("scitune-multitask"))

    local = LocalExecutor().run(config(tmp_path / "local"), Limits(workers=2))
    seen = []
    distributed = RayExecutor().run(config(tmp_path / "ray"), Limits(workers=2), on_progress=seen.append)
    assert _outputs(tmp_path / "local") == _outputs(tmp_path / "ray")
    assert (distributed.inputs, distributed.figures, distributed.tables) == (local.inputs, local.figures, local.tables)
    assert [(report.total, report.files) for report in seen] == [(4, 0), (None, 2), (None, 2)]
    assert distributed.records.records == local.records.records


def test_ray_reads_and_writes_fsspec_urls(local_ray, papers, tmp_path):
    source, target = f"local://{papers}", f"local://{tmp_path / 'remote'}"
    summary = RayExecutor().run(BuildConfig(source, target, ExtractOptions(ocr="pdf-text"), batch_size=2))
    assert summary.inputs == 4 and summary.failed == 0
    reference = LocalExecutor().run(BuildConfig(papers, tmp_path / "plain", ExtractOptions(ocr="pdf-text"), batch_size=2))
    assert reference.figures == summary.figures
    for part in (tmp_path / "plain" / "figures").glob("*.parquet"):
        assert (tmp_path / "remote" / "figures" / part.name).read_bytes() == part.read_bytes()


def test_ray_spreads_an_archives_members_over_tasks_and_gives_the_local_bytes(local_ray, papers, tmp_path):
    from tests.arxiv_factory import write_tar

    archive = write_tar(tmp_path / "arXiv_pdf_2401_001.tar",
                        {f"2401/2401.0000{i}v1.pdf": pdf.read_bytes() for i, pdf in enumerate(sorted(papers.iterdir()))})

    def config(out):
        return BuildConfig(str(archive), out, ExtractOptions(ocr="pdf-text"), batch_size=1)

    seen = []
    distributed = RayExecutor().run(config(tmp_path / "ray"), Limits(workers=2), on_progress=seen.append)
    LocalExecutor().run(config(tmp_path / "local"), Limits(workers=2))
    assert _outputs(tmp_path / "local") == _outputs(tmp_path / "ray")
    assert distributed.inputs == 4 and len(seen) == 5  # the plan, then one report per task (one member each)
