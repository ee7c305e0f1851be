"""Publish shards and their card to a Hugging Face Hub dataset repository.

The repository tree is always staged on disk first (``--dry-run DIR`` stops there, so what a dry
run shows is exactly what would be uploaded): ``README.md`` (the card), ``data/*.parquet``,
``manifest.json``, ``assets/*.png``. The upload uses ``huggingface_hub``'s
``upload_large_folder``: resumable, split into commits of a sensible size, retried. The token
comes from the usual places (``HF_TOKEN``, ``hf auth login``) and is never printed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from scitune_data.hub.card import collect, render
from scitune_data.output_layout import DATA_DIR, MANIFEST_FILE, shard_files
from scitune_data.shards.manifest import has_manifest


class PublishError(RuntimeError):
    """Publishing cannot go ahead; the message says why."""


def stage(out: Path, dest: Path, repo_id: str, command: str, license_id: str = "other") -> list[Path]:
    """Write the repository tree into ``dest``; returns its files."""
    files = shard_files(out)
    if not files or not has_manifest(out):
        raise PublishError(f"{out}: no shards and manifest to publish (run build, records or scienceqa first)")
    (dest / DATA_DIR).mkdir(parents=True, exist_ok=True)
    for path in files:
        target = dest / DATA_DIR / path.name
        if not target.exists():
            try:
                os.link(path, target)  # same bytes, no copy
            except OSError:
                shutil.copy2(path, target)
    shutil.copy2(out / MANIFEST_FILE, dest / MANIFEST_FILE)
    card = render(collect(out), repo_id, dest / "assets", command, license_id)
    (dest / "README.md").write_text(card, encoding="utf-8")
    return sorted(p for p in dest.rglob("*") if p.is_file() and ".cache" not in p.parts)


def offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on")


def publish(out: Path, repo_id: str, private: bool = False, revision: str | None = None,
            dry_run: Path | None = None, command: str = "", license_id: str = "other") -> list[Path]:
    if dry_run is not None:
        return stage(out, dry_run, repo_id, command, license_id)
    if offline():
        raise PublishError("HF_HUB_OFFLINE is set: nothing can be uploaded (use --dry-run DIR to see the tree)")
    from huggingface_hub import HfApi  # noqa: PLC0415

    api = HfApi()
    with tempfile.TemporaryDirectory() as folder:
        files = stage(out, Path(folder), repo_id, command, license_id)
        api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
        if revision:
            api.create_branch(repo_id, repo_type="dataset", branch=revision, exist_ok=True)
        api.upload_large_folder(repo_id=repo_id, folder_path=folder, repo_type="dataset", revision=revision,
                                private=private)
    return files
