"""A local stand-in of the Hugging Face Hub's HTTP endpoints that ``publish`` reaches through the
real ``huggingface_hub`` client (whoami, repo and branch creation, tree listing, YAML validation,
preupload, the git-LFS batch API and its uploads, commits), served on 127.0.0.1. It keeps repos in
memory, logs every request, and can be told to fail given commits, so tests see exactly what
the client sent. A renamed or missing client method, or a changed wire format, fails here."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlparse

import yaml

LFS_SUFFIXES = (".parquet", ".png")  # as the Hub's default .gitattributes
REPO = r"(?P<repo>[^/]+/[^/]+)"


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(f"blob {len(data)}\0".encode() + data).hexdigest()  # noqa: S324


@dataclass
class Repo:
    private: bool
    branches: dict[str, dict[str, dict]] = field(default_factory=lambda: {"main": {}})  # path -> entry
    commits: list[dict] = field(default_factory=list)


@dataclass
class HubState:
    tokens: dict[str, dict]  # token -> whoami answer
    repos: dict[str, Repo] = field(default_factory=dict)
    lfs: dict[str, bytes] = field(default_factory=dict)  # sha256 -> content
    requests: list[tuple[str, str]] = field(default_factory=list)
    unknown: list[tuple[str, str]] = field(default_factory=list)
    fail_commits: set[int] = field(default_factory=set)  # these commit calls (1-based, counted across repos) answer 500
    commit_calls: int = 0

    def files(self, repo: str, branch: str = "main") -> dict[str, bytes]:
        """The repository's files as a client would download them."""
        return {path: self.lfs[entry["lfs"]] if entry.get("lfs") else entry["content"]
                for path, entry in self.repos[repo].branches[branch].items()}


class _Handler(BaseHTTPRequestHandler):
    state: HubState
    base: str

    def log_message(self, *args) -> None:  # quiet
        pass

    def _send(self, status: int, body: object = None, headers: dict | None = None) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _user(self) -> dict | None:
        token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
        return self.state.tokens.get(token)

    def _route(self, method: str) -> None:
        url = urlparse(self.path)
        path = unquote(url.path)
        self.state.requests.append((method, path))
        for pattern, handler in ROUTES.get(method, ()):
            match = re.fullmatch(pattern, path)
            if match:
                if pattern != r"/lfs-upload/(?P<oid>\w+)" and self._user() is None:
                    return self._send(401, {"error": "Invalid credentials in Authorization header"})
                return handler(self, parse_qs(url.query), **match.groupdict())
        self.state.unknown.append((method, path))
        self._send(404, {"error": f"stand-in has no {method} {path}"})

    def do_GET(self) -> None:  # noqa: N802
        self._route("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._route("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._route("PUT")

    # --- endpoints ------------------------------------------------------------------------------
    def whoami(self, query) -> None:
        self._send(200, self._user())

    def create_repo(self, query) -> None:
        payload = json.loads(self._body())
        user = self._user()
        namespace = payload.get("organization") or user["name"]
        if namespace not in {user["name"], *(o["name"] for o in user.get("orgs", []))}:
            return self._send(403, {"error": "You don't have the rights to create a dataset under this namespace"})
        repo_id = f"{namespace}/{payload['name']}"
        if repo_id in self.state.repos:
            return self._send(409, {"error": "You already created this dataset repo", "url": f"{self.base}/datasets/{repo_id}"})
        self.state.repos[repo_id] = Repo(private=payload.get("visibility") == "private" or bool(payload.get("private")))
        self._send(200, {"url": f"{self.base}/datasets/{repo_id}", "name": repo_id})

    def _repo(self, repo: str) -> Repo | None:
        found = self.state.repos.get(repo)
        if found is None:
            self._send(404, {"error": "Repository not found"}, {"X-Error-Code": "RepoNotFound"})
        return found

    def create_branch(self, query, repo: str, branch: str) -> None:
        found = self._repo(repo)
        if found is None:
            return
        if branch in found.branches:
            return self._send(409, {"error": f"Reference refs/heads/{branch} already exists"})
        found.branches[branch] = dict(found.branches["main"])
        self._send(200, {})

    def tree(self, query, repo: str, revision: str, folder: str | None = None) -> None:
        found = self._repo(repo)
        if found is None:
            return
        if revision not in found.branches:
            return self._send(404, {"error": "Invalid rev id"}, {"X-Error-Code": "RevisionNotFound"})
        entries = []
        for path, entry in sorted(found.branches[revision].items()):
            item = {"type": "file", "path": path, "size": entry["size"], "oid": entry["oid"]}
            if entry.get("lfs"):
                item["lfs"] = {"oid": entry["lfs"], "size": entry["size"], "pointerSize": 134}
            entries.append(item)
        self._send(200, entries)

    def validate_yaml(self, query) -> None:
        content = json.loads(self._body())["content"]
        header = yaml.safe_load(content.split("---")[1]) if content.startswith("---") else {}
        errors = []
        if header.get("license") == "other" and not (header.get("license_name") and header.get("license_link")):
            errors.append({"message": '"license_name" and "license_link" are required with license "other"'})
        self._send(400 if errors else 200, {"errors": errors, "warnings": []})

    def preupload(self, query, repo: str, revision: str) -> None:
        found = self._repo(repo)
        if found is None:
            return
        existing = found.branches.get(revision, {})
        answer = []
        for item in json.loads(self._body())["files"]:
            lfs = item["path"].endswith(LFS_SUFFIXES) or item["size"] > 10 << 20
            entry = existing.get(item["path"])
            oid = (entry.get("lfs") if lfs else entry["oid"]) if entry else None
            answer.append({"path": item["path"], "uploadMode": "lfs" if lfs else "regular", "shouldIgnore": False,
                           "oid": oid})
        self._send(200, {"files": answer, "commitOid": "0" * 40})

    def lfs_batch(self, query, repo: str) -> None:
        payload = json.loads(self._body())
        objects = []
        for item in payload["objects"]:
            answer = {"oid": item["oid"], "size": item["size"]}
            if item["oid"] not in self.state.lfs:
                answer["authenticated"] = True
                answer["actions"] = {"upload": {"href": f"{self.base}/lfs-upload/{item['oid']}", "header": {}}}
            objects.append(answer)
        self._send(200, {"transfer": "basic", "objects": objects})

    def lfs_upload(self, query, oid: str) -> None:
        data = self._body()
        if hashlib.sha256(data).hexdigest() != oid:
            return self._send(400, {"error": "content does not match its oid"})
        self.state.lfs[oid] = data
        self._send(200, {})

    def commit(self, query, repo: str, revision: str) -> None:
        found = self._repo(repo)
        if found is None:
            return
        lines = [json.loads(line) for line in self._body().splitlines() if line.strip()]
        self.state.commit_calls += 1
        if self.state.commit_calls in self.state.fail_commits:
            return self._send(500, {"error": "Internal Error - the stand-in was told to fail this commit"})
        tree = found.branches.setdefault(revision, {})
        for line in lines:
            value = line["value"]
            if line["key"] == "file":
                content = base64.b64decode(value["content"])
                tree[value["path"]] = {"content": content, "size": len(content), "oid": git_blob_id(content)}
            elif line["key"] == "lfsFile":
                if value["oid"] not in self.state.lfs:
                    return self._send(400, {"error": f"LFS object {value['oid']} was never uploaded"})
                size = len(self.state.lfs[value["oid"]])
                tree[value["path"]] = {"lfs": value["oid"], "size": size, "oid": git_blob_id(value["oid"].encode())}
            elif line["key"] == "deletedFile":
                tree.pop(value["path"], None)
        oid = hashlib.sha1(json.dumps(lines, sort_keys=True).encode()).hexdigest()  # noqa: S324
        found.commits.append({"oid": oid, "summary": lines[0]["value"]["summary"], "operations": len(lines) - 1})
        self._send(200, {"commitUrl": f"{self.base}/datasets/{repo}/commit/{oid}", "commitOid": oid,
                         "pullRequestUrl": None})


ROUTES = {
    "GET": [(r"/api/whoami-v2", _Handler.whoami),
            (rf"/api/datasets/{REPO}/tree/(?P<revision>[^/]+)(?:/(?P<folder>.*))?", _Handler.tree)],
    "POST": [(r"/api/repos/create", _Handler.create_repo),
             (rf"/api/datasets/{REPO}/branch/(?P<branch>.+)", _Handler.create_branch),
             (r"/api/validate-yaml", _Handler.validate_yaml),
             (rf"/api/datasets/{REPO}/preupload/(?P<revision>.+)", _Handler.preupload),
             (rf"/datasets/{REPO}\.git/info/lfs/objects/batch", _Handler.lfs_batch),
             (rf"/api/datasets/{REPO}/commit/(?P<revision>.+)", _Handler.commit)],
    "PUT": [(r"/lfs-upload/(?P<oid>\w+)", _Handler.lfs_upload)],
}


class HubStandIn:
    """``with HubStandIn(tokens) as hub:`` serves on ``hub.url`` until the block ends."""

    def __init__(self, tokens: dict[str, dict]) -> None:
        self.state = HubState(tokens)

    def __enter__(self) -> HubStandIn:
        handler = type("Handler", (_Handler,), {"state": self.state})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        handler.base = self.url
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
