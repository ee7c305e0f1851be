"""Publishing (dry run and offline behaviour), the data card, and the HTML gallery in a real
headless browser."""

from __future__ import annotations

import os
import shutil

import pyarrow.parquet as pq
import pytest
import yaml
from typer.testing import CliRunner

from scitune_data.cli.main import app
from tests.conftest import cli_build
from scitune_data.hub.publish import PublishError, publish


@pytest.fixture(scope="module")
def built(examples_dir, tmp_path_factory):
    return cli_build(examples_dir, tmp_path_factory.mktemp("pub"), "--recipe", "scitune-multitask")


def test_dry_run_tree_loads_into_the_same_rows_and_features(built, tmp_path, monkeypatch):
    datasets = pytest.importorskip("datasets")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    tree = tmp_path / "tree"
    result = CliRunner().invoke(app, ["publish", str(built), "--repo-id", "someone/scitune-examples", "--dry-run", str(tree)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tree / "data").iterdir()) == sorted(p.name for p in (built / "data").iterdir())
    from_tree, from_out = datasets.load_dataset(str(tree)), datasets.load_dataset(str(built))
    assert set(from_tree) == set(from_out)
    for split in from_out:
        assert from_tree[split].features == from_out[split].features
        assert from_tree[split]["id"] == from_out[split]["id"]


def test_card_has_hub_metadata_statistics_and_citations(built, tmp_path):
    publish(built, "someone/scitune-examples", dry_run=tmp_path / "tree")
    card = (tmp_path / "tree" / "README.md").read_text()
    header = yaml.safe_load(card.split("---")[1])
    manifest_rows = {s["split"]: s["rows"] for s in __import__("json").loads((built / "manifest.json").read_text())["shards"]}
    assert header["license"] and header["pretty_name"] and header["task_categories"]
    assert header["size_categories"] == ["n<1K"]
    assert header["configs"][0]["data_files"] == [{"split": s, "path": f"data/{s}-*"} for s in manifest_rows]
    assert {s["name"]: s["num_examples"] for s in header["dataset_info"]["splits"]} == manifest_rows
    assert {"name": "image", "dtype": "image"} in header["dataset_info"]["features"]
    for words in ("scitune-multitask", "| papers | 3 |", "Figure types:", "Caption length in words",
                  "load_dataset(\"someone/scitune-examples\")", "horawalavithana2023scitune", "hsu2021scicap",
                  "lu2022scienceqa"):
        assert words in card
    assert (tmp_path / "tree" / "assets" / "figure_types.png").stat().st_size > 1000


def test_offline_upload_is_refused_before_any_network(built, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr("huggingface_hub.HfApi.create_repo", lambda *a, **k: pytest.fail("network touched"))
    with pytest.raises(PublishError, match="HF_HUB_OFFLINE"):
        publish(built, "someone/x")


CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")


def test_gallery_in_headless_chromium_filters_and_screenshots(built, examples_dir, tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    assert CHROMIUM and DRIVER, "Debian's chromium and chromium-driver are installed by scripts/system-deps.sh"
    gallery = tmp_path / "gallery"
    result = CliRunner().invoke(app, ["inspect", str(built), "--html", str(gallery), "--pdf-dir", str(examples_dir)])
    assert result.exit_code == 0, result.output
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1300,1000",
                 f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        browser.get((gallery / "index.html").as_uri())
        WebDriverWait(browser, 20).until(lambda b: b.execute_script("return document.body.dataset.ready") == "yes")
        total = len(pq.read_table(built / "figures", columns=["figure_id"]))
        assert f"{total} of {total} figures" in browser.find_element(By.ID, "status").text
        Select(browser.find_element(By.ID, "type")).select_by_visible_text("Table")
        WebDriverWait(browser, 20).until(lambda b: "of" in b.find_element(By.ID, "status").text
                                         and not b.find_element(By.ID, "status").text.startswith(str(total)))
        cards = browser.find_elements(By.CSS_SELECTOR, "#grid .card")
        assert cards and all(card.get_attribute("data-type") == "Table" for card in cards)
        assert "type=Table" in browser.current_url
        assert browser.find_elements(By.CSS_SELECTOR, "#grid img.page")  # page thumbnails with the bbox
        shot = tmp_path / "gallery.png"
        browser.save_screenshot(str(shot))
        assert shot.stat().st_size > 20_000
        os.makedirs("/tmp/scitune-gallery-screenshots", exist_ok=True)
        shutil.copy(shot, "/tmp/scitune-gallery-screenshots/filtered-tables.png")
    finally:
        browser.quit()
