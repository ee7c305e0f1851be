"""Importers on small fixtures written in each corpus's exact layout."""

from __future__ import annotations

import io
import json

import numpy as np
import pyarrow.parquet as pq
import pytest
from PIL import Image
from typer.testing import CliRunner

from scitune_data.cli.main import app
from scitune_data.validate.checks import validate


def png(seed: int) -> bytes:
    pixels = np.random.default_rng(seed).integers(0, 255, size=(40, 60, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def run(*args):
    result = CliRunner().invoke(app, list(map(str, args)))
    assert result.exit_code == 0, result.output
    return result.output


def rows(out):
    return {r["figure_id"]: r for r in pq.read_table(out / "figures").to_pylist()}


def errors(out):
    return [r["message"] for r in pq.read_table(out / "errors.parquet").to_pylist()]


def test_scicap_original_release(tmp_path):
    source = tmp_path / "scicap"
    for split, number, subfig in (("train", 1, False), ("val", 2, True)):
        figure_id = f"1001.0025v1-Figure{number}-1.png" if split == "train" else f"2002.0001v2-Figure{number}-1.png"
        (source / "SciCap-Caption-All" / split).mkdir(parents=True, exist_ok=True)
        folder = source / f"SciCap-{'Yes' if subfig else 'No'}-Subfig-Img" / split
        folder.mkdir(parents=True, exist_ok=True)
        (folder / figure_id).write_bytes(png(number))
        (source / "SciCap-Caption-All" / split / figure_id.replace(".png", ".json")).write_text(json.dumps({
            "contains-subfigure": subfig, "Img-text": ["0.5", "Loss"], "paper-ID": figure_id.split("-Figure")[0],
            "figure-ID": figure_id, "figure-type": "Graph Plot",
            "0-originally-extracted": f"Figure {number}: Loss of 3 models.",
            "1-lowercase-and-token-and-remove-figure-index": {"caption": "loss of 3 models .", "sentence": [], "token": []},
            "2-normalized": {"2-1-basic-num": {"caption": "loss of [NUM] models ."},
                             "2-2-advanced-euqation-bracket": {"caption": "loss of [NUM] models ."}},
        }))
    (source / "SciCap-Caption-All" / "train" / "broken.json").write_text("{not json")
    (source / "SciCap-Caption-All" / "train" / "noimage.json").write_text(json.dumps({
        "figure-ID": "9999.0001v1-Figure1-1.png", "0-originally-extracted": "Figure 1: x", "contains-subfigure": False}))
    out = tmp_path / "out"
    run("import", "scicap", "--source", source, "--out", out, "--recipe", "scitune-ctom")
    found = rows(out)
    assert set(found) == {"1001.0025v1-Figure1-1", "2002.0001v2-Figure2-1"}
    first = found["1001.0025v1-Figure1-1"]
    assert (first["paper_id"], first["split"], first["source"], first["label"]) == ("1001.0025v1", "train", "scicap", "Figure 1")
    assert (first["caption_no_index"], first["caption_normalized"], first["ocr"]) == (
        "loss of 3 models .", "loss of [NUM] models .", ["0.5", "Loss"])
    assert found["2002.0001v2-Figure2-1"]["split"] == "validation"
    messages = errors(out)
    assert any("broken.json" in m or "JSONDecodeError" in m for m in messages)
    assert any("9999.0001v1-Figure1-1.png not found" in m for m in messages)
    assert validate(out).ok


def _challenge(tmp_path):
    source = tmp_path / "challenge"
    (source / "train").mkdir(parents=True)
    images = []
    for i in range(3):
        name = f"1234.5678v{i + 1}-Figure{i + 1}-1.png"
        (source / "train" / name).write_bytes(png(10 + i))
        images.append({"file_name": name, "id": i, "figure_type": "Bar Chart", "ocr": ["A", "B", str(i)]})
    images.append({"file_name": "orphan.png", "id": 99, "figure_type": "Photo", "ocr": []})
    annotations = [{"image_id": i, "id": 100 + i, "caption": f"Figure {i + 1}: Counts per group.",
                    "caption_no_index": "counts per group .",
                    "paragraph": [f"As Fig. {i + 1} shows, counts rise."], "mention": [[f"Fig. {i + 1} shows counts."]]}
                   for i in range(3)]
    annotations.append({"image_id": 55, "id": 155, "caption": "lost", "caption_no_index": "lost",
                        "paragraph": [], "mention": []})
    (source / "train.json").write_text(json.dumps({"images": images, "annotations": annotations}))
    return source


def test_scicap_challenge_pairs_by_id_and_reports_the_rest(tmp_path):
    out = tmp_path / "out"
    run("import", "scicap", "--source", _challenge(tmp_path), "--out", out, "--recipe", "scitune-ctom")
    found = rows(out)
    assert len(found) == 3
    messages = errors(out)
    assert any("image 99 (orphan.png): no annotation with image_id 99" in m for m in messages)
    assert any("annotation 155 names image_id 55" in m for m in messages)
    records = pq.read_table(out / "data" / "train-00000-of-00001.parquet").to_pylist()
    target = next(r for r in records if r["figure_id"] == "1234.5678v1-Figure1-1")["conversations"][1]["value"]
    assert target == "Bar Chart counts per group .\nA\tB\t0\nAs Bar Chart. 1 shows, counts rise.\nBar Chart. 1 shows counts."
    assert validate(out).ok


def test_vistext(tmp_path):
    source = tmp_path / "vistext"
    (source / "images").mkdir(parents=True)
    (source / "images" / "chart7.png").write_bytes(png(7))
    (source / "data_test.json").write_text(json.dumps([
        {"caption_id": 0, "img_id": "chart7", "caption_L1": "A bar chart of sales by year.",
         "caption_L2L3": "Sales peak in 2020.", "datatable": "year sales 2019 3 2020 5", "scenegraph": "..."},
        {"caption_id": 1, "img_id": "missing", "caption_L1": "x", "caption_L2L3": "y", "datatable": "", "scenegraph": ""},
    ]))
    out = tmp_path / "out"
    run("import", "vistext", "--source", source, "--out", out)
    (only,) = rows(out).values()
    assert (only["figure_id"], only["split"], only["figure_type"]) == ("chart7-0", "test", "Bar Chart")
    assert only["caption"] == "A bar chart of sales by year. Sales peak in 2020."
    assert any("images/missing.png not found" in m for m in errors(out))


def test_image_folder_with_sidecars(tmp_path):
    source = tmp_path / "mine" / "paper-a"
    source.mkdir(parents=True)
    (source / "fig1.png").write_bytes(png(1))
    (source / "fig1.txt").write_text("A scatter plot of mass against radius.")
    (source / "fig2.png").write_bytes(png(2))
    (source / "fig2.json").write_text(json.dumps({"caption": "Pipeline overview.", "figure_type": "Flowchart",
                                                   "split": "val", "ocr": ["input", "output"]}))
    (source / "fig3.png").write_bytes(png(3))  # no caption: an error row, nothing invented
    out = tmp_path / "out"
    run("import", "folder", "--source", source.parent, "--out", out)
    found = rows(out)
    assert set(found) == {"fig1", "fig2"}
    assert found["fig1"]["paper_id"] == "paper-a" and found["fig1"]["figure_type"] == "Scatterplot"
    assert found["fig2"]["split"] == "validation" and found["fig2"]["ocr"] == ["input", "output"]
    assert any("fig3" in m and "no caption" in m for m in errors(out))
    assert validate(out).ok  # one paper, one split: fig2's own "val" yields to its paper's first split
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["split_conflicts"] == 1 and manifest["counts"]["dropped"] == {}
