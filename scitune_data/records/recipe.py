"""Build recipes: which tasks, caption variant, templates, splits, filters, dedup and shard
sizes. Recipes are TOML data files (``pipelines/``); ``--recipe`` takes a name or a path."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

DEFAULT_RECIPE = "scitune-ctom"
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
    splits: dict[str, float] = field(default_factory=lambda: {"train": 0.9, "validation": 0.05, "test": 0.05})
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


def _read(name_or_path: str) -> tuple[str, dict]:
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise RecipeError(f"recipe file {path} does not exist")
        return str(path), tomllib.loads(path.read_text(encoding="utf-8"))
    bundled = resources.files("scitune_data.recipes").joinpath(f"{name_or_path}.toml")
    if not bundled.is_file():
        names = sorted(p.name[:-5] for p in resources.files("scitune_data.recipes").iterdir()
                       if p.name.endswith(".toml"))
        raise RecipeError(f"no recipe named {name_or_path!r}; bundled recipes: {', '.join(names)}")
    return name_or_path, tomllib.loads(bundled.read_text(encoding="utf-8"))


def load_recipe(name_or_path: str = DEFAULT_RECIPE) -> Recipe:
    where, data = _read(name_or_path)
    try:
        recipe = Recipe(
            name=data.get("name", Path(where).stem),
            stage=data["stage"],
            tasks=tuple(data["tasks"]),
            caption_variant=data.get("caption_variant", "no_index"),
            templates=data.get("templates", "sample"),
            seed=int(data.get("seed", 0)),
            prompt_format=data.get("prompt_format", "QCM-LEPA"),
            splits=dict(data.get("splits", {"train": 0.9, "validation": 0.05, "test": 0.05})),
            filters=Filters(**data.get("filters", {})),
            dedup=Dedup(**data.get("dedup", {})),
            shards=ShardSizes(**data.get("shards", {})),
        )
    except (KeyError, TypeError) as error:
        raise RecipeError(f"recipe {where}: missing or unknown key: {error}") from error
    _check(recipe, where)
    return recipe


def _check(recipe: Recipe, where: str) -> None:
    from scitune_data.records.tasks import TASKS  # noqa: PLC0415 - avoid an import cycle

    if recipe.stage not in ("align", "instruct"):
        raise RecipeError(f"recipe {where}: stage must be align or instruct, not {recipe.stage!r}")
    unknown = [t for t in recipe.tasks if t not in TASKS and t != "scienceqa"]
    if unknown:
        raise RecipeError(f"recipe {where}: unknown tasks {unknown}; known: {sorted(TASKS)}")
    if recipe.caption_variant not in CAPTION_VARIANTS:
        raise RecipeError(f"recipe {where}: caption_variant must be one of {CAPTION_VARIANTS}")
    if recipe.templates not in ("sample", "all"):
        raise RecipeError(f"recipe {where}: templates must be sample or all")
    if set(recipe.splits) - {"train", "validation", "test"} or abs(sum(recipe.splits.values()) - 1) > 1e-6:
        raise RecipeError(f"recipe {where}: splits must be train/validation/test fractions summing to 1")
