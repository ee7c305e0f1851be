"""Shipped recipes by name, recipe files by path, and the one TOML loader behind both."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from scitune_data.recipes.loader import from_table, read_recipe, shipped_file, shipped_names
from scitune_data.records.recipe import RecipeError, load_recipe

REPOSITORY = Path(__file__).resolve().parents[1]


def test_every_shipped_build_recipe_loads_by_name():
    names = shipped_names("records")
    assert {"scitune-ctom", "scitune-c", "scitune-multitask", "scienceqa"} <= set(names)
    for name in names:
        assert load_recipe(name).name == name


def test_every_shipped_training_recipe_parses_by_name():
    from scitune_data.train.config import TrainConfigError, load_config

    assert {"stage1-align", "stage2-scienceqa"} <= set(shipped_names("training"))
    assert load_config("stage1-align").train.stage == "align"
    assert load_config("stage2-scienceqa").lora.target_modules == ("q_proj", "k_proj", "v_proj", "o_proj")
    with pytest.raises(TrainConfigError, match="shipped recipes: stage1-align, stage2-scienceqa"):
        load_config("stage3")


def test_the_top_level_folders_are_the_shipped_ones():
    """pipelines/, train/ and schemas/ in a checkout are the package's data, not copies."""
    for link, target in (("pipelines", "scitune_data/recipes/records"), ("train", "scitune_data/recipes/training"),
                         ("schemas", "scitune_data/schema/json_schemas")):
        assert (REPOSITORY / link).resolve() == (REPOSITORY / target).resolve()
    assert shipped_file("training", "accelerate-8gpu.yaml").is_file()


def test_a_recipe_file_by_path_and_its_mistakes_named(tmp_path):
    good = tmp_path / "mine.toml"
    good.write_text('stage = "align"\ntasks = ["c", "ocr"]\n[dedup]\nnear_images = -1\n')
    recipe = load_recipe(str(good))
    assert (recipe.name, recipe.tasks, recipe.dedup.near_images, recipe.dedup.captions) == ("mine", ("c", "ocr"), -1, True)
    typo = tmp_path / "typo.toml"
    typo.write_text('stage = "align"\ntasks = ["c"]\n[filters]\nmin_sid = 10\n')
    with pytest.raises(RecipeError, match=r"typo.toml \[filters\]: unknown keys \['min_sid'\]"):
        load_recipe(str(typo))
    missing = tmp_path / "missing.toml"
    missing.write_text('tasks = ["c"]\n')
    with pytest.raises(RecipeError, match=r"missing keys \['stage'\]"):
        load_recipe(str(missing))
    broken = tmp_path / "broken.toml"
    broken.write_text("stage = \n")
    with pytest.raises(RecipeError, match="not valid TOML"):
        load_recipe(str(broken))
    with pytest.raises(RecipeError, match="does not exist"):
        load_recipe(str(tmp_path / "absent.toml"))


@dataclass(frozen=True)
class Inner:
    size: int = 1
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outer:
    title: str
    inner: Inner = Inner()
    parts: dict = field(default_factory=dict)


def test_tables_fill_nested_dataclasses_and_arrays_become_tuples(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text('title = "t"\n[inner]\nnames = ["a", "b"]\n[parts]\nfree = 1\n')
    where, table = read_recipe(path, "records")
    assert from_table(Outer, table, where) == Outer("t", Inner(1, ("a", "b")), {"free": 1})
    with pytest.raises(KeyError, match=r"x.toml \[inner\]: unknown keys \['colour'\]"):
        from_table(Outer, {"title": "t", "inner": {"colour": 2}}, where, KeyError)
