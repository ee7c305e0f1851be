"""Build recipes: which tasks, caption variant, templates, splits, filters, dedup and shard
sizes. Recipes are TOML data files (shipped in ``scitune_data/recipes/records/``, linked as
``pipelines/``); ``--recipe`` takes a name or a path."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from scitune_data.output_layout import SPLITS
from scitune_data.recipes.loader import from_table, read_recipe
from scitune_data.records.tasks import TASKS

DEFAULT_RECIPE = "scitune-ctom"
DEFAULT_SPLITS = (0.9, 0.05, 0.05)  # fractions of SPLITS, by paper
CAPTION_VARIANTS = ("raw", "no_index", "normalized")


class RecipeError(ValueError):
    """A recipe that cannot be found or does not make sense; the message says which key."""


@dataclass(frozen=True, slots=True)
class Filters:
    min_side: int = 32
    max_aspect: float = 12.0
    require_caption: bool = True


@dataclass(frozen=True, slots=True)
class Dedup:
    exact_images: bool = True
    near_images: int = 3
    captions: bool = True


@dataclass(frozen=True, slots=True)
class ShardSizes:
    max_bytes: int = 256 << 20
    row_group_rows: int = 100


@dataclass(frozen=True, slots=True)
class Recipe:
    name: str
    stage: str
    tasks: tuple[str, ...]
    caption_variant: str = "no_index"
    templates: str = "sample"
    seed: int = 0
    prompt_format: str = "QCM-LEPA"
    splits: dict[str, float] = field(default_factory=lambda: dict(zip(SPLITS, DEFAULT_SPLITS)))
    filters: Filters = Filters()
    dedup: Dedup = Dedup()
    shards: ShardSizes = ShardSizes()

    def as_dict(self) -> dict:
        """Everything that decides the output (goes into the manifest)."""
        return {
            "name": self.name, "stage": self.stage, "tasks": list(self.tasks),
            "caption_variant": self.caption_variant, "templates": self.templates, "seed": self.seed,
            "prompt_format": self.prompt_format, "splits": dict(self.splits),
            "filters": vars_of(self.filters), "dedup": vars_of(self.dedup), "shards": vars_of(self.shards),
        }


def vars_of(obj: object) -> dict:
    return {name: getattr(obj, name) for name in obj.__slots__}  # type: ignore[attr-defined]


def load_recipe(name_or_path: str = DEFAULT_RECIPE) -> Recipe:
    where, data = read_recipe(name_or_path, "records", RecipeError)
    recipe = from_table(Recipe, {"name": Path(where).stem, **data}, f"recipe {where}", RecipeError)
    _check(recipe, where)
    return recipe


def _check(recipe: Recipe, where: str) -> None:
    if recipe.stage not in ("align", "instruct"):
        raise RecipeError(f"recipe {where}: stage must be align or instruct, not {recipe.stage!r}")
    unknown = [t for t in recipe.tasks if t not in TASKS and t != "scienceqa"]
    if unknown:
        raise RecipeError(f"recipe {where}: unknown tasks {unknown}; known: {sorted(TASKS)}")
    if recipe.caption_variant not in CAPTION_VARIANTS:
        raise RecipeError(f"recipe {where}: caption_variant must be one of {CAPTION_VARIANTS}")
    if recipe.templates not in ("sample", "all"):
        raise RecipeError(f"recipe {where}: templates must be sample or all")
    if set(recipe.splits) - set(SPLITS) or abs(sum(recipe.splits.values()) - 1) > 1e-6:
        raise RecipeError(f"recipe {where}: splits must be {'/'.join(SPLITS)} fractions summing to 1")
