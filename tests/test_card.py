"""The dataset card describes what is in the folder: sections by what the records are (PDF-built
figures, an imported corpus, ScienceQA), prompt formats named, sizes as the Hub counts them,
licence fields the Hub accepts, source papers attributed, no local path in anything published."""

from __future__ import annotations

import json
import os
import re

import pyarrow.parquet as pq
import pytest
import yaml
from typer.testing import CliRunner

from scitune_data.cli.main import app

pytest.importorskip("huggingface_hub")
pytest.importorskip("datasets")


def dry_run(out, tree, *extra):
    result = CliRunner().invoke(app, ["publish", str(out), "--repo-id", "someone/scitune-test", "--dry-run", str(tree),
                                      *extra])
    assert result.exit_code == 0, result.output
    card = (tree / "README.md").read_text()
    assert card.startswith("---\n")
    header, body = card[4:].split("\n---\n", 1)  # the Hub reads the metadata between two "---" lines
    return yaml.safe_load(header), body


def markdown_tables_are_well_formed(body: str) -> None:
    for table in re.findall(r"(?:^\|.*\|\n)+", body + "\n", flags=re.M):
        widths = {line.count("|") - line.count("\\|") for line in table.strip().splitlines()}
        assert len(widths) == 1 and len(table.strip().splitlines()) >= 3, table  # header, rule, at least one row


def no_local_paths(tree, *roots) -> None:
    for path in tree.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for root in {*map(str, roots), os.path.expanduser("~")}:
                assert root.encode() not in data, f"{path.name} names {root}"


@pytest.fixture(scope="module")
def sqa_out(tmp_path_factory):
    from tests.test_scienceqa import write_original

    root = tmp_path_factory.mktemp("card_sqa")
    source = write_original(root)
    result = CliRunner().invoke(app, ["scienceqa", "--source", str(source), "--out", str(root / "out")])
    assert result.exit_code == 0, result.output
    return root / "out"


def test_card_of_pdf_built_figures(multitask_out, tmp_path):
    header, body = dry_run(multitask_out, tmp_path / "tree")
    manifest = json.loads((multitask_out / "manifest.json").read_text())
    rows = {s["split"]: s["rows"] for s in manifest["shards"]}
    assert header["size_categories"] == ["n<1K"] and header["task_categories"] == ["image-to-text"]
    assert header["configs"][0]["data_files"] == [{"split": s, "path": f"data/{s}-*"} for s in rows]
    info = header["dataset_info"]
    assert {s["name"]: s["num_examples"] for s in info["splits"]} == rows
    shards = sorted((multitask_out / "data").glob("*.parquet"))
    assert info["download_size"] == sum(p.stat().st_size for p in shards)
    assert info["dataset_size"] == sum(pq.read_table(p).nbytes for p in shards)  # decoded, not file size
    assert {"name": "image", "dtype": "image"} in info["features"]
    for words in ("### Figures and tables extracted from PDFs", "by paper", "Quality filters", "Dedup across papers",
                  "scitune-data build --pdf-dir PDFS --out OUT --recipe scitune-multitask", "| `ctom` | 6: ",
                  "Records per split and task", "Figure types:", "Caption length in words",
                  'load_dataset("someone/scitune-test")', "horawalavithana2023scitune", "hsu2021scicap"):
        assert words in body, words
    assert "### ScienceQA problems" not in body and "lu2022scienceqa" not in body
    papers = {p.stem for p in (multitask_out.parent.parent / "examples").glob("*.pdf")} or {
        r["paper_id"] for r in pq.read_table(multitask_out / "data", columns=["paper_id"]).to_pylist()}
    for paper in papers:  # every source paper is attributed, in the card and in ATTRIBUTION.md
        assert f"`{paper}`" in body and f"`{paper}`" in (tmp_path / "tree" / "ATTRIBUTION.md").read_text()
    assert (tmp_path / "tree" / "assets" / "figure_types.png").stat().st_size > 1000
    markdown_tables_are_well_formed(body)
    no_local_paths(tmp_path / "tree", multitask_out.parent)


def test_card_of_scienceqa_names_its_prompt_format_and_only_what_applies(sqa_out, tmp_path):
    header, body = dry_run(sqa_out, tmp_path / "tree")
    assert header["task_categories"] == ["visual-question-answering"]
    assert "### ScienceQA problems" in body and "`QCM-LEPA`" in body and '"LECTURE: ...", "SOLUTION: ..."' in body
    assert "scitune-data scienceqa --source SCIENCEQA --out OUT --format QCM-LEPA" in body
    for wrong in ("by paper", "Quality filters", "Dedup", "build --pdf-dir", "Figure types", "source papers"):
        assert wrong not in body, wrong
    assert "lu2022scienceqa" in body and "hsu2021scicap" not in body
    assert not (tmp_path / "tree" / "ATTRIBUTION.md").exists()
    markdown_tables_are_well_formed(body)
    no_local_paths(tmp_path / "tree", sqa_out.parent)  # the manifest held the source folder's absolute path
    assert json.loads((tmp_path / "tree" / "manifest.json").read_text())["source"]["folder"] == "ScienceQA"


def test_card_of_an_imported_corpus(tmp_path):
    from tests.test_importers import _challenge

    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["import", "scicap", "--source", str(_challenge(tmp_path)), "--out", str(out)])
    assert result.exit_code == 0, result.output
    header, body = dry_run(out, tmp_path / "tree")
    assert "### Figures imported from SciCap" in body and "the corpus's own split" in body
    assert "scitune-data import scicap --source SCICAP --out OUT --recipe scitune-ctom" in body
    assert "build --pdf-dir" not in body and "SciCap is distributed under `cc-by-nc-sa-4.0`" in body
    assert "[1234.5678v1](https://arxiv.org/abs/1234.5678v1)" in body  # arXiv ids link to their pages
    markdown_tables_are_well_formed(body)


def test_attribution_uses_titles_and_licences_when_the_figures_table_has_them(tmp_path):
    import pyarrow as pa

    from tests.test_importers import _challenge

    out = tmp_path / "out"
    assert CliRunner().invoke(app, ["import", "scicap", "--source", str(_challenge(tmp_path)), "--out", str(out)]).exit_code == 0
    for part in (out / "figures").glob("*.parquet"):  # as the arXiv metadata join adds them
        table = pq.read_table(part)
        ids = table["paper_id"].to_pylist()
        for name, values in (("title", [f"On {p}" for p in ids]),
                             ("license", ["http://creativecommons.org/licenses/by/4.0/"] * len(ids))):
            table = table.set_column(table.schema.get_field_index(name), name, pa.array(values))
        pq.write_table(table, part)
    _, body = dry_run(out, tmp_path / "tree")
    assert ("| [1234.5678v1](https://arxiv.org/abs/1234.5678v1) | On 1234.5678v1 | "
            "[cc-by-4.0](http://creativecommons.org/licenses/by/4.0/) | scicap |") in body


def test_licence_fields_the_hub_accepts(multitask_out, sqa_out, tmp_path):
    header, body = dry_run(multitask_out, tmp_path / "default")
    assert (header["license"], header["license_name"], header["license_link"]) == (
        "other", "source-papers-licences", "LICENSE.md")
    assert "each paper's licence" in (tmp_path / "default" / "LICENSE.md").read_text()
    header, _ = dry_run(sqa_out, tmp_path / "cc", "--license", "cc-by-4.0")
    assert header["license"] == "cc-by-4.0" and "license_name" not in header
    assert not (tmp_path / "cc" / "LICENSE.md").exists()
    header, _ = dry_run(sqa_out, tmp_path / "own", "--license", "other", "--license-name", "my-terms-1.0",
                        "--license-link", "https://example.org/terms")
    assert (header["license_name"], header["license_link"]) == ("my-terms-1.0", "https://example.org/terms")
    for bad in (["--license", "cc-by-5.0"], ["--license", "other", "--license-name", "My Terms"],
                ["--license", "mit", "--license-link", "x"]):
        result = CliRunner().invoke(app, ["publish", str(sqa_out), "--repo-id", "a/b", "--dry-run",
                                          str(tmp_path / "bad"), *bad])
        assert result.exit_code == 2, bad
    not_empty = CliRunner().invoke(app, ["publish", str(sqa_out), "--repo-id", "a/b", "--dry-run", str(tmp_path / "cc")])
    assert not_empty.exit_code == 2 and "new or empty folder" in not_empty.output
