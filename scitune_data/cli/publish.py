"""``scitune-data publish``: shards + a generated data card → a Hub dataset repository."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

HELP = """Upload OUT's shards with a generated dataset card to a Hugging Face Hub dataset repo
(resumable, multi-commit, retried). The token comes from HF_TOKEN or `hf auth login` and is
never printed. --dry-run DIR writes the exact repository tree instead of uploading."""


def publish(
    out: Annotated[Path, typer.Argument(help="Build output folder (data/ and manifest.json).")],
    repo_id: Annotated[str, typer.Option("--repo-id", help="USER/NAME of the dataset repository.")],
    private: Annotated[bool, typer.Option(help="Create the repository private.")] = False,
    revision: Annotated[str | None, typer.Option(help="Branch to upload to (created if missing).")] = None,
    dry_run: Annotated[Path | None, typer.Option("--dry-run", help="Write the repository tree here; upload nothing.")] = None,
    license_id: Annotated[str, typer.Option("--license", help="Card licence field (a Hub licence id).")] = "other",
) -> None:
    from scitune_data.hub.publish import PublishError, publish as run  # noqa: PLC0415

    try:
        files = run(out, repo_id, private, revision, dry_run, license_id=license_id)
    except PublishError as error:
        raise typer.BadParameter(str(error)) from error
    where = dry_run if dry_run is not None else f"https://huggingface.co/datasets/{repo_id}"
    typer.echo(f"{len(files)} files → {where}", err=True)
