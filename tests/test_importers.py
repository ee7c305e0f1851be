"""Importers on small fixtures written in each corpus's exact layout, and in the layouts real
copies have (images in folders of their own, capitalised split folders, several files per split);
malformed entries and file names that point outside --source become error rows."""

from __future__ import annotations

import io
import json

import numpy as np
import pyarrow as pa
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


def invoke(*args):
    return CliRunner().invoke(app, list(map(str, args)))


def run(*args):
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    return result.output


def rows(out):
    return {r["figure_id"]: r for r in pq.read_table(out / "figures").to_pylist()}


def errors(out):
    return [f"{r['file']}: {r['message']}" for r in pq.read_table(out / "errors.parquet").to_pylist()]


def scicap_entry(figure_id: str, subfig: bool = False, **extra) -> dict:
    number = figure_id.split("-Figure")[1].split("-")[0]
    return {"contains-subfigure": subfig, "Img-text": ["0.5", "Loss"], "paper-ID": figure_id.split("-Figure")[0],
            "figure-ID": figure_id, "figure-type": "Graph Plot", "0-originally-extracted": f"Figure {number}: Loss of 3 models.",
            "1-lowercase-and-token-and-remove-figure-index": {"caption": "loss of 3 models .", "sentence": [], "token": []},
            "2-normalized": {"2-1-basic-num": {"caption": "loss of [NUM] models ."},
                             "2-2-advanced-euqation-bracket": {"caption": "loss of [NUM] models ."}}, **extra}


def test_scicap_original_release(tmp_path):
    source = tmp_path / "scicap"
    for split, number, subfig in (("Train", 1, False), ("Val", 2, True)):  # the release spells them so
        figure_id = f"1001.0025v1-Figure{number}-1.png" if split == "Train" else f"2002.0001v2-Figure{number}-1.png"
        (source / "SciCap-Caption-All" / split).mkdir(parents=True, exist_ok=True)
        folder = source / f"SciCap-{'Yes' if subfig else 'No'}-Subfig-Img" / split
        folder.mkdir(parents=True, exist_ok=True)
        (folder / figure_id).write_bytes(png(number))
        (source / "SciCap-Caption-All" / split / figure_id.replace(".png", ".json")).write_text(
            json.dumps(scicap_entry(figure_id, subfig)))
    (source / "SciCap-Caption-All" / "Train" / "broken.json").write_text("{not json")
    (source / "SciCap-Caption-All" / "Train" / "noimage.json").write_text(json.dumps({
        "figure-ID": "9999.0001v1-Figure1-1.png", "0-originally-extracted": "Figure 1: x", "contains-subfigure": False}))
    out = tmp_path / "out"
    run("import", "scicap", "--source", source, "--out", out, "--recipe", "scitune-ctom")
    found = rows(out)
    assert set(found) == {"1001.0025v1-Figure1-1", "2002.0001v2-Figure2-1"}
    first = found["1001.0025v1-Figure1-1"]
    assert (first["paper_id"], first["split"], first["source"], first["label"]) == ("1001.0025v1", "train", "scicap", "Figure 1")
    assert (first["caption_no_index"], first["caption_normalized"], first["ocr"]) == (
        "loss of 3 models .", "loss of [NUM] models .", ["0.5", "Loss"])
    assert first["image"]["path"] == "SciCap-No-Subfig-Img/Train/1001.0025v1-Figure1-1.png"
    assert found["2002.0001v2-Figure2-1"]["split"] == "validation"
    messages = errors(out)
    assert any(m.startswith("SciCap-Caption-All/Train/broken.json: ") for m in messages)
    assert any("'9999.0001v1-Figure1-1.png' not found under --source" in m for m in messages)
    assert validate(out).ok


def _challenge(tmp_path, image_folder: str = "train"):
    source = tmp_path / "challenge"
    (source / image_folder).mkdir(parents=True)
    images = []
    for i in range(3):
        name = f"1234.5678v{i + 1}-Figure{i + 1}-1.png"
        (source / image_folder / name).write_bytes(png(10 + i))
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


def test_scicap_challenge_as_the_hub_ships_it(tmp_path):
    """CrowdAILab/scicap: train.json, val.json and public-test.json at the top, the images
    unzipped under share-task-img-mask/arxiv/{split}/."""
    source = tmp_path / "scicap"
    for index, (json_name, folder) in enumerate((("train.json", "train"), ("val.json", "val"),
                                                 ("public-test.json", "public-test"))):
        images_dir = source / "share-task-img-mask" / "arxiv" / folder
        images_dir.mkdir(parents=True)
        name = f"2101.0000{index}v1-Figure1-1.png"
        (images_dir / name).write_bytes(png(index))
        (source / json_name).write_text(json.dumps({
            "images": [{"file_name": name, "id": index, "figure_type": "Graph Plot", "ocr": []}],
            "annotations": [{"image_id": index, "id": index, "caption": "Figure 1: Accuracy.",
                             "caption_no_index": "accuracy .", "paragraph": [], "mention": []}]}))
    (source / "train-metadata.json").write_text("{}")  # the Hub's side files are not corpora
    out = tmp_path / "out"
    run("import", "scicap", "--source", source, "--out", out, "--figures-only")
    assert {r["figure_id"]: r["split"] for r in rows(out).values()} == {
        "2101.00000v1-Figure1-1": "train", "2101.00001v1-Figure1-1": "validation", "2101.00002v1-Figure1-1": "test"}
    assert errors(out) == []


def test_the_same_figure_in_two_files_of_a_split_is_imported_once(tmp_path):
    source = _challenge(tmp_path)
    (source / "train-acl.json").write_text((source / "train.json").read_text())
    out = tmp_path / "out"
    run("import", "scicap", "--source", source, "--out", out, "--figures-only")
    assert len(pq.read_table(out / "figures")) == 3
    assert sum("was already imported from train-acl.json" in m for m in errors(out)) == 3


def test_vistext(tmp_path):
    source = tmp_path / "vistext"
    (source / "data" / "images").mkdir(parents=True)
    (source / "data" / "images" / "chart7.png").write_bytes(png(7))
    (source / "data" / "data_test.json").write_text(json.dumps([
        {"caption_id": 0, "img_id": "chart7", "caption_L1": "A bar chart of sales by year.",
         "caption_L2L3": "Sales peak in 2020.", "datatable": "year sales 2019 3 2020 5", "scenegraph": "..."},
        {"caption_id": 1, "img_id": "missing", "caption_L1": "x", "caption_L2L3": "y", "datatable": "", "scenegraph": ""},
    ]))
    out = tmp_path / "out"
    run("import", "vistext", "--source", source, "--out", out)
    (only,) = rows(out).values()
    assert (only["figure_id"], only["split"], only["figure_type"]) == ("chart7-0", "test", "Bar Chart")
    assert only["caption"] == "A bar chart of sales by year. Sales peak in 2020."
    assert any("'missing.png' not found" in m for m in errors(out))


def test_a_validation_split_named_dev(tmp_path):
    source = tmp_path / "vistext"
    source.mkdir()
    (source / "chart1.png").write_bytes(png(1))
    (source / "data_dev.json").write_text(json.dumps([
        {"caption_id": 0, "img_id": "chart1", "caption_L1": "A line chart of loss.", "caption_L2L3": "It falls."}]))
    out = tmp_path / "out"
    run("import", "vistext", "--source", source, "--out", out, "--figures-only")
    assert [r["split"] for r in rows(out).values()] == ["validation"] and errors(out) == []


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


# --- malformed entries: each an error row, the good entry beside it still imported -------------

def truncated_png() -> bytes:
    return png(99)[:-20]  # IEND gone: decoders that stop at the image data would not notice


def _scicap_original_with(tmp_path, bad_entry: object | None, bad_image: bytes | None = None, raw: bytes | None = None):
    source = tmp_path / "scicap"
    (source / "Captions" / "Train").mkdir(parents=True)
    (source / "Images").mkdir()
    good = "1001.0001v1-Figure1-1.png"
    (source / "Images" / good).write_bytes(png(1))
    (source / "Captions" / "Train" / "good.json").write_text(json.dumps(scicap_entry(good)))
    bad_name = "1001.0002v1-Figure2-1.png"
    (source / "Images" / bad_name).write_bytes(bad_image or png(2))
    payload = raw if raw is not None else json.dumps(bad_entry if bad_entry is not None else scicap_entry(bad_name)).encode()
    (source / "Captions" / "Train" / "bad.json").write_bytes(payload)
    return source


def _challenge_with(tmp_path, bad_item: object):
    source = _challenge(tmp_path)
    data = json.loads((source / "train.json").read_text())
    data["images"].insert(1, bad_item)
    (source / "train.json").write_text(json.dumps(data))
    return source


def _vistext_with(tmp_path, bad_record: object, bad_image: bytes | None = None):
    source = tmp_path / "vistext"
    (source / "images").mkdir(parents=True)
    (source / "images" / "good.png").write_bytes(png(1))
    (source / "images" / "bad.png").write_bytes(bad_image or png(2))
    good = {"caption_id": 0, "img_id": "good", "caption_L1": "A line chart.", "caption_L2L3": "", "datatable": ""}
    (source / "data_train.json").write_text(json.dumps([good, bad_record]))
    return source


def _folder_with(tmp_path, bad_image: bytes | None = None, sidecar: tuple[str, bytes] | None = None):
    source = tmp_path / "folder"
    source.mkdir()
    (source / "good.png").write_bytes(png(1))
    (source / "good.txt").write_text("A plot.")
    (source / "bad.png").write_bytes(bad_image or png(2))
    suffix, data = sidecar or (".txt", b"Another plot.")
    (source / f"bad{suffix}").write_bytes(data)
    return source


MALFORMED = {
    "scicap truncated png": ("scicap", lambda t: _scicap_original_with(t, None, truncated_png()), "does not decode"),
    "scicap latin-1 entry": ("scicap", lambda t: _scicap_original_with(
        t, None, raw=json.dumps(scicap_entry("1001.0002v1-Figure2-1.png", **{"0-originally-extracted": "Café"}),
                                ensure_ascii=False).encode("latin-1")), "codec can't decode"),
    "scicap list entry": ("scicap", lambda t: _scicap_original_with(t, [1, 2]), "is an array, not a JSON object"),
    "scicap null entry": ("scicap", lambda t: _scicap_original_with(t, None, raw=b"null"), "is null, not a JSON object"),
    "scicap caption not a string": ("scicap", lambda t: _scicap_original_with(
        t, scicap_entry("1001.0002v1-Figure2-1.png", **{"0-originally-extracted": ["x"]})), "not a string"),
    "challenge list image": ("scicap", lambda t: _challenge_with(t, ["file_name", "x.png"]), "is an array"),
    "challenge null image": ("scicap", lambda t: _challenge_with(t, None), "is null"),
    "vistext null record": ("vistext", lambda t: _vistext_with(t, None), "is null, not a JSON object"),
    "vistext list record": ("vistext", lambda t: _vistext_with(t, ["img_id", "bad"]), "is an array"),
    "vistext truncated png": ("vistext", lambda t: _vistext_with(
        t, {"caption_id": 1, "img_id": "bad", "caption_L1": "x"}, truncated_png()), "does not decode"),
    "folder truncated png": ("folder", lambda t: _folder_with(t, truncated_png()), "does not decode"),
    "folder latin-1 caption": ("folder", lambda t: _folder_with(t, sidecar=(".txt", "Café au lait.".encode("latin-1"))),
                               "not UTF-8 text (byte 0xe9"),
    "folder split 3": ("folder", lambda t: _folder_with(t, sidecar=(".json", b'{"caption": "x", "split": 3}')),
                       "field 'split' is 3"),
    "folder list sidecar": ("folder", lambda t: _folder_with(t, sidecar=(".json", b'["caption"]')), "not a JSON object"),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_a_malformed_entry_is_an_error_row_and_the_rest_is_imported(case, tmp_path):
    corpus, make, reason = MALFORMED[case]
    source, out = make(tmp_path), tmp_path / "out"
    result = invoke("import", corpus, "--source", source, "--out", out, "--figures-only")
    assert result.exit_code == 0, result.output  # no traceback, no abort
    assert len(pq.read_table(out / "figures")) >= 1
    assert any(reason in m for m in errors(out)), errors(out)
    assert invoke("import", corpus, "--source", source, "--out", tmp_path / "o2", "--figures-only",
                  "--strict").exit_code == 1


def test_a_file_name_that_is_not_utf8_is_an_error_row(tmp_path):
    import os

    source = _folder_with(tmp_path)
    name = os.fsdecode(b"caf\xe9")
    (source / f"{name}.png").write_bytes(png(3))
    (source / f"{name}.txt").write_text("A caption.")
    out = tmp_path / "out"
    run("import", "folder", "--source", source, "--out", out, "--figures-only")
    assert len(pq.read_table(out / "figures")) == 2
    assert errors(out) == ["caf\\xe9.png: the file name is not UTF-8: rename it to import it"]


# --- file names are data: they never lead outside --source ------------------------------------

TRAVERSALS = ["../outside/secret.png", "/{outside}/secret.png", "images/../../outside/secret.png"]


def _traversal_corpus(corpus: str, root, name: str):
    """A corpus whose one entry names ``name`` (plus a good entry)."""
    source = root / "source"
    (source / "images").mkdir(parents=True)
    (source / "images" / "good.png").write_bytes(png(1))
    if corpus == "scicap":
        (source / "Cap" / "Train").mkdir(parents=True)
        (source / "Cap" / "Train" / "good.json").write_text(json.dumps(scicap_entry("1-Figure1-1.png") | {"figure-ID": "good.png"}))
        (source / "Cap" / "Train" / "evil.json").write_text(json.dumps(scicap_entry("2-Figure1-1.png") | {"figure-ID": name}))
    elif corpus == "challenge":
        (source / "val.json").write_text(json.dumps({
            "images": [{"file_name": "good.png", "id": 1}, {"file_name": name, "id": 2}],
            "annotations": [{"image_id": 1, "caption": "Figure 1: a."}, {"image_id": 2, "caption": "Figure 2: b."}]}))
    elif corpus == "vistext":
        (source / "data_val.json").write_text(json.dumps([{"img_id": "good", "caption_L1": "a"},
                                                          {"img_id": name.removesuffix(".png"), "caption_L1": "b"}]))
    return source


@pytest.mark.parametrize("corpus", ["scicap", "challenge", "vistext"])
@pytest.mark.parametrize("template", TRAVERSALS)
def test_entry_file_names_resolve_inside_source_only(corpus, template, tmp_path):
    messages = []
    for present in (True, False):
        root = tmp_path / str(present)
        outside = root / "outside"
        outside.mkdir(parents=True)
        if present:
            (outside / "secret.png").write_bytes(png(5))
        name = template.format(outside=str(outside).strip("/"))
        out = root / "out"
        command = "scicap" if corpus == "challenge" else corpus
        result = invoke("import", command, "--source", _traversal_corpus(corpus, root, name), "--out", out, "--figures-only")
        assert result.exit_code == 0, result.output
        assert len(pq.read_table(out / "figures")) == 1  # the good entry only: nothing from outside
        assert all(png(5) != r["image"]["bytes"] for r in pq.read_table(out / "figures").to_pylist())
        messages.append(sorted(m.replace(str(root), "ROOT") for m in errors(out)))
    assert messages[0] == messages[1]  # the error rows never tell whether the file exists
    assert any("not a relative path inside --source" in m for m in messages[0])


def test_a_link_inside_source_to_a_file_outside_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(png(5))
    source = _traversal_corpus("vistext", tmp_path, "link.png")
    (source / "images" / "link.png").symlink_to(outside / "secret.png")
    out = tmp_path / "out"
    run("import", "vistext", "--source", source, "--out", out, "--figures-only")
    assert len(pq.read_table(out / "figures")) == 1
    assert any("leads outside --source" in m for m in errors(out))


def test_same_named_images_are_told_apart_by_their_split_folder(tmp_path):
    source = tmp_path / "scicap"
    for index, split in enumerate(("train", "val")):
        (source / "imgs" / split).mkdir(parents=True)
        (source / "imgs" / split / "x-Figure1-1.png").write_bytes(png(index))
        (source / f"{split}.json").write_text(json.dumps({
            "images": [{"file_name": "x-Figure1-1.png", "id": 1, "paper_id": f"paper-{split}"}],
            "annotations": [{"image_id": 1, "caption": "Figure 1: x."}]}))
    out = tmp_path / "out"
    run("import", "scicap", "--source", source, "--out", out, "--figures-only")
    by_paper = {r["paper_id"]: r["image"]["bytes"] for r in pq.read_table(out / "figures").to_pylist()}
    assert by_paper == {"paper-train": png(0), "paper-val": png(1)}


# --- exit status and --json --------------------------------------------------------------------

def test_nothing_imported_exits_non_zero_and_json_summary_goes_to_stdout(tmp_path):
    source = tmp_path / "vistext"
    source.mkdir()
    (source / "data_train.json").write_text(json.dumps([{"img_id": "gone", "caption_L1": "x"}]))
    result = invoke("import", "vistext", "--source", source, "--out", tmp_path / "out", "--json")
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert (summary["figures"], summary["errors"], summary["records"]) == (0, 1, None)
    assert "nothing imported" in result.stderr


def test_json_summary_of_a_successful_import(tmp_path):
    result = invoke("import", "scicap", "--source", _challenge(tmp_path), "--out", tmp_path / "out", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)  # stdout holds the JSON only; the human lines are on stderr
    assert summary["command"] == "import scicap" and summary["figures"] == 3 and summary["errors"] == 2
    assert summary["records"]["figures"] == 3 and summary["records"]["records"] >= 1
    assert "figures imported" in result.stderr


# --- ArxivCap ----------------------------------------------------------------------------------

ARXIVCAP_PAIR = pa.struct([("sub_caption", pa.string()), ("image_file", pa.string()),
                           ("image", pa.struct([("bytes", pa.binary()), ("path", pa.string())])),
                           ("image_ocr", pa.list_(pa.string()))])
ARXIVCAP_SCHEMA = pa.schema([
    ("src", pa.string()), ("arxiv_id", pa.string()), ("title", pa.string()), ("abstract", pa.string()),
    ("meta", pa.struct([("meta_from_kaggle", pa.struct([("journey", pa.string()), ("license", pa.string()),
                                                          ("categories", pa.string())])),
                        ("meta_from_s2", pa.struct([("citationCount", pa.int64())]))])),
    ("caption_images", pa.list_(pa.struct([("caption", pa.string()), ("cil_pairs", pa.list_(ARXIVCAP_PAIR))]))),
])


def arxivcap_paper(arxiv_id: str, groups: list[tuple[str, list[tuple[str, bytes | None]]]]) -> dict:
    return {"src": f"arXiv_src_0112_001/{arxiv_id}", "arxiv_id": arxiv_id, "title": f"Paper {arxiv_id}",
            "abstract": "An abstract.", "meta": {"meta_from_kaggle": {
                "journey": "", "license": "http://creativecommons.org/licenses/by/4.0/", "categories": "cs.CV"},
                "meta_from_s2": {"citationCount": 3}},
            "caption_images": [{"caption": caption, "cil_pairs": [
                {"sub_caption": sub, "image_file": f"{arxiv_id}/fig{i}-{j}.png",
                 "image": None if data is None else {"bytes": data, "path": None}, "image_ocr": ["x", "y"]}
                for j, (sub, data) in enumerate(pairs)]} for i, (caption, pairs) in enumerate(groups)]}


def test_arxivcap_parquet_layout(tmp_path):
    data = tmp_path / "ArxivCap" / "data"
    data.mkdir(parents=True)
    first = [arxivcap_paper("0112.0001", [("Figure 1: Two panels.", [("(a) Loss.", png(1)), ("(b) Accuracy.", png(2))]),
                                          ("Figure 2: A table of results.", [("", png(3))])])]
    second = [arxivcap_paper("0112.0002", [("Figure 1: Broken.", [("", truncated_png())]),
                                           ("Figure 2: No image.", [("", None)]),
                                           ("Figure 3: Fine.", [("", png(4))])])]
    pq.write_table(pa.Table.from_pylist(first, schema=ARXIVCAP_SCHEMA), data / "arXiv_src_0112_001.parquet")
    pq.write_table(pa.Table.from_pylist(second, schema=ARXIVCAP_SCHEMA), data / "arXiv_src_0112_002.parquet")
    out = tmp_path / "out"
    run("import", "arxivcap", "--source", tmp_path / "ArxivCap", "--out", out)
    found = {(r["paper_id"], r["figure_id"]): r for r in pq.read_table(out / "figures").to_pylist()}
    assert sorted(found) == [("0112.0001", "caption1-image1"), ("0112.0001", "caption1-image2"),
                             ("0112.0001", "caption2-image1"), ("0112.0002", "caption3-image1")]
    panel = found[("0112.0001", "caption1-image2")]
    assert panel["caption"] == "Figure 1: Two panels. (b) Accuracy." and panel["ocr"] == ["x", "y"]
    assert panel["image"]["bytes"] == png(2) and panel["source"] == "arxivcap" and panel["split"] is None
    messages = errors(out)
    assert any("paper 0112.0002 caption 1 image 1" in m and "does not decode" in m for m in messages)
    assert any("paper 0112.0002 caption 2 image 1" in m and "not found under --source" in m for m in messages)
    assert validate(out).ok
