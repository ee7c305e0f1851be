"""`build` on the bundled example papers: the figures table, as users read it."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from scitune_data.cli.main import app
from scitune_data.classify.labels import FIGURE_TYPES
from scitune_data.schema.figures import FIGURES_SCHEMA

# Every captioned figure and table of the three example papers, checked by eye.
EXPECTED = {
    "acl2020_s2orc.pdf": {"Figure 1": 1, "Figure 2": 5, "Figure 3": 7, "Figure 4": 14, "Table 1": 2,
                          "Table 2": 4, "Table 3": 5, "Table 4": 5, "Table 5": 6, "Table 6": 6,
                          "Table 7": 7, "Table 8": 13, "Table 9": 14},
    "naacl2018_elmo.pdf": {"Table 1": 5, "Table 2": 6, "Table 3": 6, "Table 4": 7, "Table 5": 7,
                           "Table 6": 7, "Figure 1": 8, "Figure 2": 8, "Table 7": 9},
    "emnlp2023demo_papermage.pdf": {"Figure 1": 1, "Figure 2": 3, "Figure 3": 4, "Table 1": 5,
                                    "Table 2": 5, "Table 3": 13},
}


@pytest.fixture(scope="module")
def out(examples_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("examples")
    result = CliRunner().invoke(app, ["build", "--pdf-dir", str(examples_dir), "--out", str(out),
                                      "--ocr", "pdf-text"])  # OCR engines: tests/test_ocr.py
    assert result.exit_code == 0, result.output
    return out


def test_every_figure_and_table_is_found_on_its_page(out):
    rows = pq.read_table(out / "figures", columns=["source_file", "label", "page", "kind"]).to_pylist()
    found = {}
    for row in rows:
        found.setdefault(row["source_file"], {})[row["label"]] = row["page"]
        assert row["kind"] == row["label"].split()[0].lower()
    assert found == EXPECTED


def test_table_follows_the_contract(out):
    table = pq.read_table(out / "figures")
    assert table.schema.equals(FIGURES_SCHEMA, check_metadata=False)
    for row in table.to_pylist():
        x0, y0, x1, y1 = row["bbox"]
        assert 0 <= x0 < x1 <= 612 and 0 <= y0 < y1 <= 842
        assert row["caption"].startswith(row["label"].split()[0])
        assert row["caption_no_index"] and not row["caption_no_index"].startswith(("figure", "table"))
        assert row["caption_no_index"] == row["caption_no_index"].lower()
        assert row["figure_type"] in FIGURE_TYPES
        assert row["ocr_source"] in ("", "pdf-text") and bool(row["ocr"]) == (row["ocr_source"] == "pdf-text")
        assert row["image"]["bytes"].startswith(b"\x89PNG")
        assert len(row["pdf_sha256"]) == 64


def test_tables_carry_their_text_and_mentions(out):
    rows = pq.read_table(out / "figures", columns=["source_file", "label", "ocr", "mentions"]).to_pylist()
    table = next(r for r in rows if r["source_file"] == "naacl2018_elmo.pdf" and r["label"] == "Table 2")
    assert {"Baseline", "SQuAD", "85.2"} <= set(table["ocr"])
    assert any("Table 2 compares these alternatives" in m for m in table["mentions"])


def test_summary_and_empty_error_table(out):
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["inputs"], summary["failed"], summary["figures"], summary["tables"]) == (3, 0, 9, 19)
    assert pq.read_table(out / "errors.parquet").num_rows == 0


def test_datasets_reads_the_figures_table_with_images(out):
    datasets = pytest.importorskip("datasets")  # a [dev] dependency
    dataset = datasets.load_dataset("parquet", data_files=str(out / "figures" / "*.parquet"), split="train")
    assert dataset.num_rows == 28
    assert isinstance(dataset.features["image"], datasets.Image)
    image = dataset[0]["image"]
    assert image.size[0] > 50 and image.mode in ("RGB", "RGBA", "L")


def test_cli_version_and_help():
    runner = CliRunner()
    assert runner.invoke(app, ["--version"]).output.startswith("scitune-data ")
    help_text = runner.invoke(app, ["build", "--help"]).output
    assert "--pdf-dir" in help_text and "--strict" in help_text
