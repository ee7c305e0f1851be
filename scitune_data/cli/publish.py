"""``scitune-data publish``: shards + a generated data card → a Hub dataset repository."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scitune_data.cli.options import PaperLicenses, flag

HELP = """Upload OUT's shards with a generated dataset card to a Hugging Face Hub dataset repository.
Everything is checked first (licence fields, repository id, the shards against the manifest, the
token's right to write there); nothing is created on the Hub before. The upload is resumable:
rerun an interrupted publish and files already there are not sent again. The token comes from
HF_TOKEN or `hf auth login` and is never printed. --dry-run DIR writes the exact repository tree
instead of uploading. Figures extracted from papers are published only when every paper's licence
lets anyone redistribute them (cc-by, cc-by-sa, cc0, public domain, from build --metadata):
--paper-licenses publishes the papers under the licences it names and leaves the others out;
--allow-restricted-licenses publishes the rest too, when you hold the rights."""


def publish(
    out: Annotated[Path, typer.Argument(metavar="OUT", help="Build output folder (data/ and manifest.json).")],
    repo_id: Annotated[str, typer.Option("--repo-id", metavar="USER/NAME", help="The dataset repository.")],
    private: Annotated[bool, flag("--private", "Create the repository private.")] = False,
    revision: Annotated[str | None, typer.Option(metavar="BRANCH",
                                                 help="Branch to upload to (created if missing).")] = None,
    dry_run: Annotated[Path | None, typer.Option("--dry-run", metavar="DIR",
                                                 help="Write the repository tree here; upload nothing.")] = None,
    license_id: Annotated[str, typer.Option("--license", metavar="ID",
                                            help="The card's licence: a Hub licence id (cc-by-4.0, ...) or other.")]
    = "other",
    license_name: Annotated[str | None, typer.Option(
        metavar="NAME", help="With --license other: an id for it (default: source-papers-licences).")] = None,
    license_link: Annotated[str | None, typer.Option(
        metavar="URL|FILE", help="With --license other: where it is (default: a LICENSE.md written beside the "
                                 "card, naming each source's terms).")] = None,
    paper_licenses: PaperLicenses = None,
    allow_restricted: Annotated[bool, flag(
        "--allow-restricted-licenses", "Publish figures of papers whose licences do not let anyone redistribute them "
                                       "(arXiv's licence, NC/ND terms, unknown): only if you hold the rights.")] = False,
) -> None:
    from scitune_data.cli.options import console, paper_selection  # noqa: PLC0415
    from scitune_data.hub.licenses import CardLicense  # noqa: PLC0415
    from scitune_data.hub.publish import PublishError, publish as run  # noqa: PLC0415

    human = console()
    selection = paper_selection(paper_licenses, None, None)
    try:
        result = run(out, repo_id, private, revision, dry_run, CardLicense(license_id, license_name, license_link),
                     on_commit=lambda n, total: human.print(f"commit {n}/{total} done"), selection=selection,
                     allow_restricted=allow_restricted)
    except PublishError as error:
        raise typer.BadParameter(str(error)) from error
    except Exception as error:  # noqa: BLE001 - a network or Hub failure mid-upload: say how to resume
        human.print(f"publish stopped: {type(error).__name__}: {error}")
        human.print("rerun the same command to resume: files already on the Hub are not sent again")
        raise typer.Exit(code=1) from error
    if dry_run is not None:
        human.print(f"{len(result.files)} files → {dry_run}")
    else:
        human.print(f"{result.uploaded} files uploaded in {result.commits} commits, {result.unchanged} unchanged, "
                    f"{result.deleted} stale files deleted → {result.url}")
