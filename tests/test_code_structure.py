"""The package's structure, checked on its source: each name of the output folder is spelled
only in :mod:`scitune_data.output_layout`, and imports run one way (the pipeline never reaches
up to the executors; only validation and the CLI use the validator)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from scitune_data import output_layout as layout

PACKAGE = Path(__file__).resolve().parents[1] / "scitune_data"
MODULES = sorted(PACKAGE.rglob("*.py"))

# Names of OUT files and folders that read as nothing else, wherever a string holds them.
DISTINCT_NAMES = [layout.ERRORS_FILE, layout.SUMMARY_FILE, layout.MANIFEST_FILE, layout.WORK_DIR, layout.CONFIG_FILE,
                  "part-", "errors-", "batch-", "-of-"]  # and the numbered names' shapes
DISTINCT = re.compile("|".join(rf"(?<![\w.-]){re.escape(name)}" for name in DISTINCT_NAMES))
# Folder names that are also ordinary words ("data", "figures") count as OUT names in a path.
FOLDERS = (layout.FIGURES_DIR, layout.DATA_DIR)
FOLDER_IN_PATH = re.compile("|".join(rf"(?:^|/){name}/|/{name}$" for name in FOLDERS))
SPLIT_WORDS = {*layout.SPLIT_ALIASES, *(s for s in layout.SPLITS if s not in ("train", "test"))}  # "train"/"test" are also plain words


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _documentation(tree: ast.AST) -> set[int]:
    """Nodes that only document: docstrings, ``help=`` texts and ``*HELP`` strings."""
    roots = []
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body \
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            roots.append(body[0])
        if isinstance(node, ast.keyword) and node.arg == "help":
            roots.append(node.value)
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id.endswith("HELP") for t in node.targets):
            roots.append(node.value)
    return {id(inner) for root in roots for inner in ast.walk(root)}


def _path_operands(tree: ast.AST) -> set[int]:
    """Strings used as path pieces: ``x / "data"``, ``join(x, "data")``, ``Path("data")``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            found += [node.left, node.right]
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in ("join", "joinpath", "Path", "glob", "rglob"):
                found += node.args
    return {id(node) for node in found}


def stray_out_names(source: str) -> list[str]:
    tree = ast.parse(source)
    skip, paths = _documentation(tree), _path_operands(tree)
    strays = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str) or id(node) in skip:
            continue
        text = node.value
        if DISTINCT.search(text) or FOLDER_IN_PATH.search(text) or text in SPLIT_WORDS \
                or (text in FOLDERS and id(node) in paths) or re.search(r"\btrain\|", text):
            strays.append(f"line {node.lineno}: {text!r}")
    return strays


def test_imports_are_resolved_relative_ones_too(tmp_path):
    package = tmp_path / "scitune_data" / "pipeline"
    package.mkdir(parents=True)
    (package / "build.py").write_text("from ..executors import local\nfrom . import papers\nimport scitune_data.cli\n")
    found = imported_modules(package / "build.py", tmp_path / "scitune_data")
    assert {"scitune_data.executors.local", "scitune_data.pipeline.papers", "scitune_data.cli"} <= found


def test_the_stray_name_finder_finds_what_main_had():
    """What the package held before the layout module had one owner is found."""
    assert stray_out_names('data = path / "data" if (path / "data").is_dir() else path')
    assert stray_out_names('shutil.copy2(out / "manifest.json", dest)')
    assert stray_out_names('storage.join(self.figures_dir, f"part-{index:05d}.parquet")')
    assert stray_out_names('entries.append({"file": f"data/{final.name}"})')
    assert stray_out_names('SPLITS = {"val": "validation", "test": "test"}')
    assert stray_out_names('NAME = re.compile(r"^(?P<split>train|validation|test)-")')
    assert not stray_out_names('counts["figures"] += 1\nconfig = data.get("data", {})\nsplit = "train"')
    assert not stray_out_names('def f():\n    """Writes OUT/figures/part-*.parquet."""\nx = Option(help="OUT/errors.parquet")')


@pytest.mark.parametrize("path", [p for p in MODULES if p.name != "output_layout.py"], ids=module_name)
def test_out_names_are_spelled_only_in_the_layout_module(path):
    assert stray_out_names(path.read_text(encoding="utf-8")) == []


def imported_modules(path: Path, package_root: Path = PACKAGE) -> set[str]:
    """Every module (or name in a module) that ``path`` imports, relative imports resolved."""
    name = module_name(path, package_root)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join([*package[:len(package) - node.level + 1], *filter(None, [node.module])]) \
                if node.level else node.module
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


# (modules the rule is about, modules they must not import, modules exempt)
RULES = [
    ("scitune_data.pipeline", "scitune_data.executors", ()),
    ("scitune_data", "scitune_data.validate", ("scitune_data.validate", "scitune_data.cli")),
    ("scitune_data", "scitune_data.executors", ("scitune_data.executors", "scitune_data.cli")),
    ("scitune_data", "scitune_data.cli", ("scitune_data.cli",)),
]


@pytest.mark.parametrize("importer, imported, exempt", RULES, ids=[f"{a}-not-{b}" for a, b, _ in RULES])
def test_imports_run_one_way(importer, imported, exempt):
    wrong = {}
    for path in MODULES:
        name = module_name(path)
        if _within(name, importer) and not any(_within(name, e) for e in exempt):
            bad = sorted(m for m in imported_modules(path) if _within(m, imported))
            if bad:
                wrong[name] = bad
    assert wrong == {}
