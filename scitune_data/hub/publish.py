"""Publish shards and their card to a Hugging Face Hub dataset repository.

Figures extracted from papers are published only when their papers' licences let anyone
redistribute them (:mod:`scitune_data.hub.paper_licenses`): ``--paper-licenses`` publishes the
selected records only (the shards are cut again, the manifest and card describe what is
published), and anything left that may not be redistributed stops the publish unless
``--allow-restricted-licenses`` says the user may publish it.

The repository tree is always staged on disk first (``--dry-run DIR`` stops there, so what a dry
run shows is exactly what would be uploaded): ``README.md`` (the card), ``data/*.parquet``,
``manifest.json`` (local paths removed), ``assets/*.png``, ``ATTRIBUTION.md`` when figures come
from papers, ``LICENSE.md`` for a custom licence.

Nothing is created on the Hub before the upload is known to be possible: the licence fields, the
repository id and the staged files (each shard's hash against the manifest) are checked, then
the token (present, valid, allowed to write to the namespace). The upload is resumable: the
files already in the repository with the same content are not sent again, the rest go in
commits of bounded size (data first, the card last), and shards of an earlier publish that this
one no longer has are deleted in the last commit, so the card's ``data/{split}-*`` patterns
match exactly this data. Rerunning an interrupted publish finishes it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable

from scitune_data.arxiv.licenses import REDISTRIBUTABLE
from scitune_data.arxiv.selection import PaperSelection
from scitune_data.hashing import file_sha256
from scitune_data.hub.card import ATTRIBUTION_FILE, attribution_file, license_file, render
from scitune_data.hub.card_facts import collect
from scitune_data.hub.licenses import LICENSE_FILE, CardLicense, LicenseError
from scitune_data.hub.paper_licenses import LicenseSurvey, survey, write_selected
from scitune_data.out_folder import ForeignFolder
from scitune_data.output_layout import DATA_DIR, MANIFEST_FILE, shard_files
from scitune_data.shards.manifest import has_manifest, read_manifest

CARD_FILE = "README.md"
ASSETS_DIR = "assets"
MANAGED = (DATA_DIR, ASSETS_DIR)  # remote folders this tool owns (stale files there are deleted)
COMMIT_FILES = 100  # files per commit
COMMIT_BYTES = 4 << 30  # bytes per commit


class PublishError(RuntimeError):
    """Publishing cannot go ahead; the message says why."""


@dataclass(slots=True)
class PublishResult:
    files: list[Path]  # the staged tree
    uploaded: int = 0
    unchanged: int = 0
    deleted: int = 0
    commits: int = 0
    url: str = ""


def stage(out: Path, dest: Path, repo_id: str, license: CardLicense,  # noqa: A002
          selection: PaperSelection = PaperSelection(), allow_restricted: bool = False) -> list[Path]:
    """Write the repository tree into ``dest`` (after checking the shards against the manifest
    and the papers' licences); returns its files."""
    files = shard_files(out)
    if not files or not has_manifest(out):
        raise PublishError(f"{out}: no shards and manifest to publish (run build, import, records or scienceqa first)")
    manifest = read_manifest(out)
    expected = {PurePosixPath(s["file"]).name: s.get("sha256") for s in manifest.get("shards", [])}
    for path in files:
        if path.name not in expected:
            raise PublishError(f"{path}: not in {MANIFEST_FILE} (a shard of another build?); rebuild the records")
        if file_sha256(path) != expected[path.name]:
            raise PublishError(f"{path}: its content does not match its hash in {MANIFEST_FILE}; rebuild the records")
    licences = survey(out, selection)
    if licences.restricted and not allow_restricted:
        raise PublishError(_restricted(licences))
    with tempfile.TemporaryDirectory(prefix="scitune-selected-") as selected:
        records = out
        if licences.left_out:
            write_selected(out, Path(selected), manifest, selection)
            records, manifest = Path(selected), read_manifest(Path(selected))
            files = shard_files(records)
        try:
            facts = collect(out, records)
        except ForeignFolder as error:  # no marker: not an output of this version, its figures table unknown
            raise PublishError(str(error)) from error
        (dest / DATA_DIR).mkdir(parents=True, exist_ok=True)
        for path in files:
            target = dest / DATA_DIR / path.name
            if not target.exists():
                try:
                    os.link(path, target)  # same bytes, no copy
                except OSError:
                    shutil.copy2(path, target)
    (dest / MANIFEST_FILE).write_text(json.dumps(without_local_paths(manifest), indent=2, sort_keys=True) + "\n")
    (dest / CARD_FILE).write_text(render(facts, repo_id, dest / ASSETS_DIR, license), encoding="utf-8")
    if facts.papers:
        (dest / ATTRIBUTION_FILE).write_text(attribution_file(facts), encoding="utf-8")
    if license.needs_file:
        (dest / LICENSE_FILE).write_text(license_file(facts, license), encoding="utf-8")
    return sorted(p for p in dest.rglob("*") if p.is_file() and ".cache" not in p.parts)


def _restricted(licences: LicenseSurvey) -> str:
    which = ", ".join(f"{name} {count}" for name, count in licences.restricted.most_common())
    return (f"{sum(licences.restricted.values())} records come from {len(licences.restricted_papers)} papers whose "
            f"licences do not let anyone redistribute their figures ({which}; no licence known: the PDFs were built "
            "without --metadata, or the metadata has none). Publish the papers you may share with --paper-licenses "
            f"{','.join(sorted(REDISTRIBUTABLE))}, or, if you hold the rights to the rest, say so with "
            "--allow-restricted-licenses")


def without_local_paths(value: object) -> object:
    """The manifest as published: an absolute path (of this machine) becomes its last part."""
    if isinstance(value, dict):
        return {key: without_local_paths(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_local_paths(item) for item in value]
    if isinstance(value, str) and (value.startswith(("/", "~", "file://")) or (len(value) > 2 and value[1:3] == ":\\")):
        return PurePosixPath(value.replace("\\", "/")).name
    return value


def offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on")


def publish(out: Path, repo_id: str, private: bool = False, revision: str | None = None,
            dry_run: Path | None = None, license: CardLicense = CardLicense(),  # noqa: A002
            token: str | None = None, endpoint: str | None = None,
            on_commit: Callable[[int, int], None] | None = None, selection: PaperSelection = PaperSelection(),
            allow_restricted: bool = False) -> PublishResult:
    """Stage, check, then upload; ``endpoint`` and ``token`` default to huggingface_hub's own
    (``HF_ENDPOINT``, ``HF_TOKEN`` or ``hf auth login``)."""
    from huggingface_hub.utils import HFValidationError, validate_repo_id  # noqa: PLC0415

    try:
        license = license.checked()  # noqa: A001
        validate_repo_id(repo_id)
    except (LicenseError, HFValidationError) as error:
        raise PublishError(str(error)) from error
    if "/" not in repo_id:
        raise PublishError(f"--repo-id {repo_id!r}: give USER/NAME or ORG/NAME")
    if dry_run is not None:
        if dry_run.exists() and (not dry_run.is_dir() or any(dry_run.iterdir())):
            raise PublishError(f"--dry-run {dry_run}: give a new or empty folder (the tree written there is exactly "
                               "what would be uploaded)")
        return PublishResult(stage(out, dry_run, repo_id, license, selection, allow_restricted))
    if offline():
        raise PublishError("HF_HUB_OFFLINE is set: nothing can be uploaded (use --dry-run DIR to see the tree)")
    with tempfile.TemporaryDirectory(prefix="scitune-publish-") as folder:
        files = stage(out, Path(folder), repo_id, license, selection, allow_restricted)
        api = _writable_api(repo_id, token, endpoint)
        result = _upload(api, Path(folder), files, repo_id, private, revision, on_commit)
    return result


def _writable_api(repo_id: str, token: str | None, endpoint: str | None):
    """An ``HfApi`` whose token may write to the repository's namespace (checked, nothing created)."""
    from huggingface_hub import HfApi, get_token  # noqa: PLC0415
    from huggingface_hub.errors import HfHubHTTPError  # noqa: PLC0415

    token = token or get_token()
    if not token:
        raise PublishError("no Hugging Face token: set HF_TOKEN or run `hf auth login` (a write token)")
    api = HfApi(endpoint=endpoint, token=token)
    try:
        me = api.whoami()
    except HfHubHTTPError as error:
        raise PublishError(f"the Hub refused the token: {error}") from error
    namespace = repo_id.split("/")[0]
    allowed = {me.get("name"), *(org.get("name") for org in me.get("orgs") or [])}
    if namespace not in allowed:
        raise PublishError(f"the token's user {me.get('name')!r} cannot write to {namespace!r} "
                           f"(its namespaces: {', '.join(sorted(filter(None, allowed)))})")
    role = ((me.get("auth") or {}).get("accessToken") or {}).get("role")
    if role == "read":
        raise PublishError("the token is read-only: create a write token (https://huggingface.co/settings/tokens)")
    return api


def git_blob_id(path: Path) -> str:
    """Git's id of a file's content (what the Hub reports for a file stored in git, not LFS)."""
    digest = hashlib.sha1(f"blob {path.stat().st_size}\0".encode())  # noqa: S324 - git's own hash
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _unchanged(path: Path, remote) -> bool:
    if remote.lfs is not None:
        return remote.size == path.stat().st_size and remote.lfs.sha256 == file_sha256(path)
    return remote.blob_id == git_blob_id(path)


def _upload(api, folder: Path, files: list[Path], repo_id: str, private: bool, revision: str | None,
            on_commit: Callable[[int, int], None] | None) -> PublishResult:
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete  # noqa: PLC0415
    from huggingface_hub.hf_api import RepoFile  # noqa: PLC0415

    url = api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
    if revision:
        api.create_branch(repo_id, repo_type="dataset", branch=revision, exist_ok=True)
    remote = {entry.path: entry for entry in api.list_repo_tree(repo_id, repo_type="dataset", revision=revision,
                                                                recursive=True) if isinstance(entry, RepoFile)}
    staged = {path.relative_to(folder).as_posix(): path for path in files}
    pending = [(name, path) for name, path in staged.items()
               if name not in remote or not _unchanged(path, remote[name])]
    pending.sort(key=lambda item: (item[0] == CARD_FILE, not item[0].startswith(f"{DATA_DIR}/"), item[0]))
    stale = sorted(name for name in remote if name.split("/")[0] in MANAGED and name not in staged)
    batches = _batches(pending) or ([[]] if stale else [])
    result = PublishResult(files, unchanged=len(staged) - len(pending), url=str(url))
    for number, batch in enumerate(batches, start=1):
        operations = [CommitOperationAdd(path_in_repo=name, path_or_fileobj=str(path)) for name, path in batch]
        if number == len(batches):
            operations += [CommitOperationDelete(path_in_repo=name) for name in stale]
            result.deleted = len(stale)
        api.create_commit(repo_id, operations, repo_type="dataset", revision=revision,
                          commit_message=f"scitune-data publish ({number}/{len(batches)})")
        result.uploaded += len(batch)
        result.commits += 1
        if on_commit is not None:
            on_commit(number, len(batches))
    return result


def _batches(pending: list[tuple[str, Path]]) -> list[list[tuple[str, Path]]]:
    batches: list[list[tuple[str, Path]]] = []
    size = 0
    for name, path in pending:
        if not batches or len(batches[-1]) >= COMMIT_FILES or size + path.stat().st_size > COMMIT_BYTES:
            batches.append([])
            size = 0
        batches[-1].append((name, path))
        size += path.stat().st_size
    return batches
