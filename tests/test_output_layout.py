"""The output folder's names, split words and shard discovery, on folders laid out by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scitune_data.output_layout import (
    DATA_DIR, FIGURES_DIR, SHARD_NAME, SPLIT_WORDS, figure_files, figure_part, index_of, shard_files, shard_name,
    shard_split, split_name)


@pytest.mark.parametrize("word, split", [
    ("train", "train"), ("Train", "train"), ("val", "validation"), ("VALID", "validation"),
    ("validation", "validation"), ("dev", "validation"), ("Dev", "validation"), ("test", "test"), ("minival", None),
    ("devel", None), ("trainval", None), ("", None), (None, None),
    (3, None)])
def test_split_words_and_aliases(word, split):
    assert split_name(word) == split


def test_split_words_match_the_longest_word_first():
    assert re.fullmatch(rf"data_({SPLIT_WORDS})\.json", "data_validation.json").group(1) == "validation"
    assert re.search(rf"({SPLIT_WORDS})(?=[-_.])", "sqa-val-0.parquet").group(1) == "val"


def test_names_round_trip():
    assert SHARD_NAME.match(shard_name("validation", 2, 7)).groupdict() == {"split": "validation", "index": "00002",
                                                                           "count": "00007"}
    assert index_of(figure_part(41)) == 41
    assert shard_split(Path(shard_name("test", 0, 1))) == "test"


def test_shards_are_found_in_an_output_folder_its_data_folder_or_one_file(tmp_path):
    data = tmp_path / DATA_DIR
    data.mkdir()
    names = [shard_name("train", 0, 2), shard_name("train", 1, 2), shard_name("test", 0, 1), "notes.parquet"]
    for name in names:
        (data / name).write_bytes(b"")
    assert [p.name for p in shard_files(tmp_path)] == sorted(names)
    assert shard_files(data) == shard_files(tmp_path)
    assert [p.name for p in shard_files(tmp_path, "train")] == names[:2]
    assert shard_files(tmp_path, "validation") == []
    assert shard_files(data / names[2], "test") == [data / names[2]]
    assert shard_split(data / "notes.parquet") is None


def test_figures_table_from_an_output_folder_its_figures_folder_or_one_file(tmp_path):
    figures = tmp_path / FIGURES_DIR
    figures.mkdir()
    for index in (1, 0):
        (figures / figure_part(index)).write_bytes(b"")
    expected = [figures / figure_part(0), figures / figure_part(1)]
    assert figure_files(tmp_path) == expected == figure_files(figures)
    assert figure_files(expected[1]) == [expected[1]]
    with pytest.raises(FileNotFoundError, match="no figures table"):
        figure_files(tmp_path / "elsewhere")
