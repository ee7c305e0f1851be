"""TOML recipes → frozen dataclasses, for build recipes and training recipes alike.

``--recipe`` takes a name (``scitune-ctom``, ``stage1-align``: a file shipped in
``scitune_data/recipes/{kind}/``) or a path (anything ending in ``.toml``, or an existing file).
Tables fill nested dataclass fields, arrays become tuples, and an unknown or missing key is an
error that names it and the file."""

from __future__ import annotations

import tomllib
from dataclasses import MISSING, Field, fields, is_dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Mapping, TypeVar

KINDS = ("records", "training")
T = TypeVar("T")


def _shipped(kind: str) -> Traversable:
    return resources.files(__package__).joinpath(kind)


def shipped_names(kind: str) -> list[str]:
    """The names of the recipes of ``kind`` shipped with the package."""
    return sorted(p.name.removesuffix(".toml") for p in _shipped(kind).iterdir() if p.name.endswith(".toml"))


def shipped_file(kind: str, name: str) -> Traversable:
    """A shipped file of ``kind`` by its file name (e.g. the training launcher config)."""
    return _shipped(kind).joinpath(name)


def read_recipe(name_or_path: str | Path, kind: str, error: type[Exception] = ValueError) -> tuple[str, dict]:
    """``(where, table)``: where the recipe came from (its name or path, for messages) and its
    parsed TOML."""
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise error(f"recipe file {path} does not exist")
        text, where = path.read_text(encoding="utf-8"), str(path)
    else:
        shipped = _shipped(kind).joinpath(f"{name_or_path}.toml")
        if not shipped.is_file():
            raise error(f"no recipe named {name_or_path!r}; shipped recipes: {', '.join(shipped_names(kind))}")
        text, where = shipped.read_text(encoding="utf-8"), str(name_or_path)
    try:
        return where, tomllib.loads(text)
    except tomllib.TOMLDecodeError as decode_error:
        raise error(f"recipe {where} is not valid TOML: {decode_error}") from decode_error


def _default(spec: Field) -> Any:
    if spec.default is not MISSING:
        return spec.default
    return spec.default_factory() if spec.default_factory is not MISSING else MISSING


def from_table(cls: type[T], values: Mapping[str, Any], where: str, error: type[Exception] = ValueError) -> T:
    """``cls`` built from a TOML table."""
    specs = {spec.name: spec for spec in fields(cls)}
    unknown = sorted(set(values) - set(specs))
    if unknown:
        raise error(f"{where}: unknown keys {unknown}; known: {sorted(specs)}")
    missing = sorted(name for name, spec in specs.items() if name not in values and _default(spec) is MISSING)
    if missing:
        raise error(f"{where}: missing keys {missing}")
    chosen = {}
    for name, value in values.items():
        default = _default(specs[name])
        if is_dataclass(default) and isinstance(value, Mapping):
            value = from_table(type(default), value, f"{where} [{name}]", error)
        elif isinstance(value, list):
            value = tuple(value)
        chosen[name] = value
    return cls(**chosen)
