"""``OUT/manifest.json``: what the shards were built from (recipe, inputs, software versions),
counts, and each shard's rows and hash."""

from __future__ import annotations

import platform
from pathlib import Path

import pyarrow

from scitune_data import __version__, storage
from scitune_data.out_folder import OutFolder
from scitune_data.output_layout import MANIFEST_FILE


def write_manifest(out: Path, manifest: dict) -> None:
    """Write the manifest into ``out``, an output folder of scitune-data's own."""
    OutFolder(out).own([MANIFEST_FILE])
    storage.write_json(manifest, out / MANIFEST_FILE, indent=2)


def read_manifest(out: Path) -> dict:
    return storage.read_json(out / MANIFEST_FILE)


def has_manifest(out: Path) -> bool:
    return (out / MANIFEST_FILE).is_file()


def software_versions() -> dict[str, str]:
    found = {"scitune_data": __version__, "pyarrow": pyarrow.__version__, "python": platform.python_version()}
    try:
        import pymupdf  # noqa: PLC0415

        found["pymupdf"] = pymupdf.VersionBind
    except ImportError:
        pass
    return found
