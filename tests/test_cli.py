"""Command-line conventions: help readable at 80 columns (whole option names, flags without value
placeholders), human text on stderr and never hard-wrapped, one JSON summary on stdout with
--json, and a README whose command table and examples match the CLI."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from scitune_data.cli.main import app

README = Path(__file__).resolve().parents[1] / "README.md"
ROOT = typer.main.get_command(app)


def commands(command=ROOT, path=()):
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            yield from commands(sub, (*path, name))
    else:
        yield path, command


COMMANDS = dict(commands())


@pytest.mark.parametrize("path", list(COMMANDS), ids=[" ".join(p) for p in COMMANDS])
def test_help_at_80_columns_shows_whole_option_names_and_plain_flags(path):
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(map(len, lines)) <= 80
    assert "…" not in result.output and "--no-" not in result.output
    options = lines[lines.index("Options:"):]
    for param in COMMANDS[path].params:
        if param.param_type_name != "option" or param.hidden:
            continue
        names = [n for n in param.opts if n.startswith("--")]
        line = next(l for l in options if re.match(rf"  (-\w, )?{re.escape(names[0])}\b", l))  # the name, whole
        after = line.split(names[0], 1)[1]
        if param.is_flag:
            assert re.match(r"(\s{2,}|$)", after), line  # a flag takes no value: no placeholder
        else:
            assert re.match(r" \S", after) and "<" not in after.split("  ")[0], line  # a named placeholder


def test_human_text_is_not_hard_wrapped_off_a_terminal(tmp_path):
    deep = tmp_path / ("a-rather-long-folder-name-" * 4) / "import-output-folder"
    source = tmp_path / "folder"
    source.mkdir()
    (source / "x.txt").write_text("A caption.")  # no image: nothing imported, the summary names OUT
    result = CliRunner().invoke(app, ["import", "folder", "--source", str(source), "--out", str(deep)])
    assert result.exit_code == 2
    source_image = source / "x.png"
    from tests.test_importers import png

    source_image.write_bytes(png(1))
    result = CliRunner().invoke(app, ["import", "folder", "--source", str(source), "--out", str(deep), "--figures-only"])
    assert result.exit_code == 0, result.output
    assert any(str(deep / "figures") in line for line in result.stderr.splitlines())  # one line, path whole
    assert result.stdout == ""  # without --json nothing goes to stdout


def test_build_and_validate_print_one_json_summary(examples_dir, multitask_out, tmp_path):
    result = CliRunner().invoke(app, ["build", "--pdf-dir", str(examples_dir), "--out", str(tmp_path / "o"),
                                      "--figures-only", "--ocr", "none", "-q", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["command"], summary["inputs"], summary["succeeded"], summary["records"]) == ("build", 3, 3, None)
    assert "papers (3 ok" in result.stderr
    result = CliRunner().invoke(app, ["validate", str(multitask_out), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["ok"] is True and report["problems"] == [] and report["rows"] > 0


def readme_commands() -> list[tuple[str, bool]]:
    """Every ``scitune-data ...`` line in the README's code blocks, continuation lines joined;
    True for a runnable example, False for a synopsis line of the command table."""
    found, blocks, inside = [], [], False
    for line in README.read_text().splitlines():
        if line.startswith("```"):
            inside = not inside
            blocks.append([]) if inside else None
        elif inside:
            blocks[-1].append(line)
    for block in blocks:
        logical: list[str] = []
        for line in block:
            if logical and (logical[-1].endswith("\\") or (line.startswith(" ") and not line.strip().startswith("#"))):
                logical[-1] = logical[-1].rstrip("\\") + " " + line.strip()
            else:
                logical.append(line.strip())
        for line in logical:
            if line.startswith("scitune-data"):
                command = line.split(" # ")[0].split("   #")[0].strip()
                found.append((command, not re.search(r"[\[|]", command)))
    return found


def command_path(words: list[str]) -> tuple[list[tuple[str, ...]], list[str]]:
    """The command paths a line names (``import scicap|vistext`` names two) and its arguments."""
    paths, command = [()], ROOT
    while words and hasattr(command, "commands") and words[0].split("|")[0] in command.commands:
        names = words.pop(0).split("|")
        paths = [(*p, name) for p in paths for name in names]
        command = command.commands[names[0]]
    return paths, words


@pytest.mark.parametrize("line, runnable", readme_commands(), ids=lambda v: str(v)[:60] if isinstance(v, str) else "")
def test_readme_commands_match_the_cli(line, runnable):
    paths, rest = command_path(shlex.split(line)[1:])
    for path in paths:
        assert path in COMMANDS or path == (), f"{line}: no command {' '.join(path)}"
        if runnable:  # the example's own options and arguments, then --help: unknown options fail here
            result = CliRunner().invoke(app, [*path, *rest, "--help"])
            assert result.exit_code == 0, f"{line}\n{result.output}"
        else:
            known = {opt for param in (COMMANDS[path].params if path else ROOT.params) for opt in param.opts}
            for option in re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", " ".join(rest)):
                assert option in known, f"{line}: {' '.join(path)} has no {option}"
