"""The HTML gallery in a real headless browser."""

from __future__ import annotations

import os
import shutil

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from scitune_data.cli.main import app


@pytest.fixture(scope="module")
def built(multitask_out):
    return multitask_out


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
