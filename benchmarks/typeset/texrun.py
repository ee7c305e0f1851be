"""Compile a LaTeX paper with typesetgold.sty loaded ahead of its class (pdfLaTeX, BibTeX when cited)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

TEX_DIR = Path(__file__).resolve().parent / "tex"
PASSES = 3  # cross-references settle in two passes after BibTeX; a third only when the log asks
TIMEOUT_S = 240


class CompileError(RuntimeError):
    """pdfLaTeX stopped on an error or wrote no PDF; the message holds the first TeX error of the log."""


def have_pdflatex() -> bool:
    return shutil.which("pdflatex") is not None


ERROR_LINE = re.compile(r"^(!|\S+\.(tex|sty|cls|bbl):\d+: )")


def first_error(log: Path) -> str | None:
    """The first TeX error of a log (with -file-line-error), or None."""
    if not log.exists():
        return "no log written"
    lines = log.read_text(errors="replace").splitlines()
    for i, line in enumerate(lines):
        if ERROR_LINE.match(line):
            return " ".join(lines[i:i + 2]).strip()[:300]
    return None


def compile_paper(folder: Path, main: str, texinputs: str = "", record: bool = True, strict: bool = True) -> Path:
    """Run pdflatex (+ bibtex) in ``folder`` on ``main`` (a .tex file name); returns the PDF.

    ``record`` loads typesetgold.sty first, so that ``NAME.tgold`` is written beside the PDF.
    ``texinputs`` is prepended to TEXINPUTS (e.g. ``.//:`` for a class kept in a subfolder).
    ``strict`` fails on any TeX error; otherwise a PDF is enough (real sources with a stray undefined macro).
    """
    job = Path(main).stem
    env = dict(os.environ, TEXINPUTS=f"{texinputs}{TEX_DIR}:" + os.environ.get("TEXINPUTS", ""),
               max_print_line="10000")
    source = f"\\RequirePackage{{typesetgold}}\\input{{{main}}}" if record else main
    command = ["pdflatex", "-interaction=nonstopmode", "-file-line-error", f"-jobname={job}", source]
    for pass_no in range(1, PASSES + 1):
        subprocess.run(command, cwd=folder, env=env, capture_output=True, timeout=TIMEOUT_S, check=False)
        log = folder / f"{job}.log"
        if pass_no == 1:
            aux = folder / f"{job}.aux"
            if aux.exists() and "\\bibdata" in aux.read_text(errors="replace"):
                subprocess.run(["bibtex", job], cwd=folder, env=env, capture_output=True, timeout=TIMEOUT_S,
                               check=False)
        elif not re.search(r"Rerun to get|Label\(s\) may have changed", log.read_text(errors="replace")):
            break
    pdf = folder / f"{job}.pdf"
    error = first_error(folder / f"{job}.log")
    if (error and strict) or not pdf.exists():  # a TeX error in nonstop mode can drop material silently
        raise CompileError(f"{folder.name}/{main}: {error or 'no PDF written'}")
    return pdf
