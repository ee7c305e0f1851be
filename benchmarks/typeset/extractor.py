"""The extractor under test: a ``scitune-data`` command run in a neutral folder, so that it imports
the package the environment names (PYTHONPATH, ``--scitune-checkout``, else the installed one) and
not whichever checkout the benchmark happens to be started from."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

DEFAULT_COMMAND = f"{shlex.quote(sys.executable)} -m scitune_data.cli.main"


class Extractor:
    def __init__(self, command: str, checkout: Path | None, cwd: Path):
        self.command = shlex.split(command)
        self.env = dict(os.environ)
        if checkout is not None:
            self.env["PYTHONPATH"] = os.pathsep.join(p for p in (str(checkout), self.env.get("PYTHONPATH")) if p)
        self.cwd = cwd

    def describe(self) -> str:
        """Where the package comes from and at which commit, for the record of a run."""
        if self.command[1:3] != ["-m", "scitune_data.cli.main"]:
            return shlex.join(self.command)
        found = subprocess.run([self.command[0], "-c", "import scitune_data; print(scitune_data.__file__)"],
                               env=self.env, cwd=self.cwd, capture_output=True, text=True, check=False)
        if found.returncode != 0:
            raise SystemExit(f"scitune_data is not importable: {found.stderr.strip()[-500:]}")
        root = Path(found.stdout.strip()).parents[1]
        commit = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%h %s"], capture_output=True,
                                text=True, check=False).stdout.strip()
        return f"scitune_data from {root}" + (f" at {commit[:60]}" if commit else "")

    def build(self, pdf_dir: Path, out: Path, workers: int, timeout: int) -> list[str]:
        """``build --figures-only --ocr none`` into a fresh ``out``; returns the files it failed on, with why."""
        shutil.rmtree(out, ignore_errors=True)
        command = [*self.command, "build", "--pdf-dir", str(pdf_dir), "--out", str(out), "--figures-only",
                   "--ocr", "none", "--workers", str(workers), "--timeout", str(timeout), "--quiet"]
        result = subprocess.run(command, env=self.env, cwd=self.cwd, capture_output=True, text=True, check=False)
        if not (out / "summary.json").exists():
            raise SystemExit(f"build failed ({shlex.join(command)}):\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
        if not json.loads((out / "summary.json").read_text()).get("failed"):
            return []
        rows = pq.read_table(out / "errors.parquet", columns=["file", "error_type", "severity"]).to_pylist()
        return sorted({f"{r['file']} ({r['error_type']})" for r in rows if r["severity"] == "error"})
