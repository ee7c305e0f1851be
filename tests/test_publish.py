"""Publishing for real: the pinned ``huggingface_hub`` client drives every call down to HTTP
against a local stand-in of the Hub (tests/hub_standin.py). Nothing is created before the upload
is known to be possible; an interrupted upload resumes without sending files twice."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from scitune_data.hub.licenses import CardLicense
from scitune_data.hub.publish import PublishError, publish
from tests.hub_standin import HubStandIn

huggingface_hub = pytest.importorskip("huggingface_hub")
hub_constants = pytest.importorskip("huggingface_hub.constants")
hub_errors = pytest.importorskip("huggingface_hub.errors")

WRITER = {"name": "someone", "type": "user", "orgs": [{"name": "lab"}], "auth": {"accessToken": {"role": "write"}}}
READER = {**WRITER, "auth": {"accessToken": {"role": "read"}}}
TOKENS = {"hf_writer": WRITER, "hf_reader": READER}


@pytest.fixture(autouse=True)
def plain_lfs_transfers(monkeypatch):
    """Bytes go through git-LFS's HTTP protocol, which the stand-in serves (hf_xet's storage
    protocol is not stood in for); every other call is the same either way."""
    monkeypatch.setattr(hub_constants, "HF_HUB_DISABLE_XET", True)


@pytest.fixture(scope="module")
def staged(multitask_out, tmp_path_factory):
    tree = tmp_path_factory.mktemp("staged") / "tree"
    publish(multitask_out, "someone/scitune-examples", dry_run=tree)
    return {p.relative_to(tree).as_posix(): p.read_bytes() for p in tree.rglob("*") if p.is_file()}


def test_publish_uploads_the_staged_tree_through_the_real_client(multitask_out, staged):
    with HubStandIn(TOKENS) as hub:
        result = publish(multitask_out, "someone/scitune-examples", token="hf_writer", endpoint=hub.url)
        assert hub.state.unknown == []
        assert hub.state.files("someone/scitune-examples") == staged  # byte for byte, what a dry run shows
        assert result.commits == 1 and result.uploaded == len(staged) and result.url.endswith("someone/scitune-examples")
        lfs_uploads = [path for method, path in hub.state.requests if method == "PUT"]
        assert len(lfs_uploads) == sum(name.endswith((".parquet", ".png")) for name in staged)
        assert ("POST", "/api/validate-yaml") in hub.state.requests  # the client checked the card's metadata
        again = publish(multitask_out, "someone/scitune-examples", token="hf_writer", endpoint=hub.url)
        assert (again.uploaded, again.unchanged, again.commits) == (0, len(staged), 0)


def test_an_interrupted_publish_resumes_without_sending_files_twice(multitask_out, staged, monkeypatch):
    monkeypatch.setattr("scitune_data.hub.publish.COMMIT_FILES", 2)  # several commits
    repo = "someone/scitune-examples"
    with HubStandIn(TOKENS) as hub:
        hub.state.fail_commits = {3}  # as a dropped connection would
        with pytest.raises(hub_errors.HfHubHTTPError):
            publish(multitask_out, repo, token="hf_writer", endpoint=hub.url)
        partial = hub.state.files(repo)
        assert len(partial) == 4 and "README.md" not in partial  # two commits landed; the card comes last
        result = publish(multitask_out, repo, token="hf_writer", endpoint=hub.url)
        assert hub.state.files(repo) == staged
        assert result.unchanged == len(partial) and result.uploaded == len(staged) - len(partial)
        puts = Counter(path for method, path in hub.state.requests if method == "PUT")
        assert puts and max(puts.values()) == 1  # no file's bytes were sent twice


def test_stale_shards_of_an_earlier_publish_are_deleted_and_other_files_kept(multitask_out, staged):
    with HubStandIn(TOKENS) as hub:
        publish(multitask_out, "someone/x", token="hf_writer", endpoint=hub.url)
        tree = hub.state.repos["someone/x"].branches["main"]
        tree["data/train-00007-of-00009.parquet"] = dict(tree[next(n for n in staged if n.startswith("data/"))])
        tree["notes.txt"] = {"content": b"mine", "size": 4, "oid": "x"}
        result = publish(multitask_out, "someone/x", token="hf_writer", endpoint=hub.url)
        files = hub.state.files("someone/x")
        assert "data/train-00007-of-00009.parquet" not in files and files["notes.txt"] == b"mine"
        assert result.deleted == 1 and result.uploaded == 0


def test_a_branch_of_an_organisation_repository(multitask_out, staged):
    with HubStandIn(TOKENS) as hub:
        publish(multitask_out, "lab/x", token="hf_writer", endpoint=hub.url, revision="v2", private=True)
        assert hub.state.repos["lab/x"].private and hub.state.files("lab/x") == {}
        assert set(hub.state.files("lab/x", "v2")) == set(staged)


@pytest.mark.parametrize("case", ["no token", "invalid token", "read-only token", "foreign namespace",
                                  "bad licence", "bad repo id", "shard altered"])
def test_nothing_is_created_before_the_upload_is_known_to_be_possible(case, multitask_out, tmp_path, monkeypatch):
    out, repo, token, license_ = multitask_out, "someone/x", "hf_writer", CardLicense()
    if case == "no token":
        monkeypatch.setattr("huggingface_hub.get_token", lambda: None)
        token = None
    elif case == "invalid token":
        token = "hf_nobody"
    elif case == "read-only token":
        token = "hf_reader"
    elif case == "foreign namespace":
        repo = "otherorg/x"
    elif case == "bad licence":
        license_ = CardLicense("cc-by-5.0")
    elif case == "bad repo id":
        repo = "someone/bad name!"
    else:
        out = tmp_path / "out"
        shutil.copytree(multitask_out, out)
        shard = next((out / "data").glob("*.parquet"))
        shard.write_bytes(shard.read_bytes()[:-10] + b"0123456789")
    with HubStandIn(TOKENS) as hub:
        with pytest.raises(PublishError):
            publish(out, repo, token=token, endpoint=hub.url, license=license_)
        assert hub.state.repos == {} and hub.state.lfs == {}
        assert all(request == ("GET", "/api/whoami-v2") for request in hub.state.requests)


def test_offline_upload_is_refused_before_any_network(multitask_out, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with HubStandIn(TOKENS) as hub:
        with pytest.raises(PublishError, match="HF_HUB_OFFLINE"):
            publish(multitask_out, "someone/x", token="hf_writer", endpoint=hub.url)
        assert hub.state.requests == []


def test_the_command_line_publishes_with_the_token_and_endpoint_from_the_environment(multitask_out, staged):
    with HubStandIn(TOKENS) as hub:
        env = {**os.environ, "HF_ENDPOINT": hub.url, "HF_TOKEN": "hf_writer", "HF_HUB_DISABLE_XET": "1",
               "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
        result = subprocess.run([sys.executable, "-m", "scitune_data.cli.main", "publish", str(multitask_out),
                                 "--repo-id", "someone/cli"], env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        uploaded = hub.state.files("someone/cli")
        assert set(uploaded) == set(staged) and b"someone/cli" in uploaded["README.md"]
        assert all(uploaded[name] == staged[name] for name in staged if name.startswith("data/"))
        assert "hf_writer" not in result.stdout + result.stderr  # the token is never printed
        assert f"{len(staged)} files uploaded in 1 commits" in result.stderr
