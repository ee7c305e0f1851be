"""Exports that other trainers read: LLaVA's JSON + image folder, chat messages JSONL."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from scitune_data.cli.main import app


def _tiny_out(tmp_path, examples_dir):
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", "--pdf-dir", str(examples_dir), "--out", str(out), "--ocr", "none",
                                      "-q", "--templates", "all"])
    assert result.exit_code == 0, result.output
    return out


def test_llava_export(tmp_path, examples_dir):
    out = _tiny_out(tmp_path, examples_dir)
    result = CliRunner().invoke(app, ["export", str(out), "--dest", str(tmp_path / "llava"), "--format", "llava"])
    assert result.exit_code == 0, result.output
    entries = json.loads((tmp_path / "llava" / "train.json").read_text())
    assert len(entries) == 28 * 6
    for entry in entries:
        assert (tmp_path / "llava" / "images" / entry["image"]).is_file()
        assert entry["conversations"][0]["value"].count("<image>") == 1
    assert len(list((tmp_path / "llava" / "images").rglob("*.png"))) == 28  # one file per crop


def test_messages_export(tmp_path, examples_dir):
    out = _tiny_out(tmp_path, examples_dir)
    assert CliRunner().invoke(app, ["export", str(out), "--dest", str(tmp_path / "m"), "--format", "messages"]).exit_code == 0
    lines = (tmp_path / "m" / "train.jsonl").read_text().splitlines()
    first = json.loads(lines[0])
    user, assistant = first["messages"]
    assert user["role"] == "user" and {"type": "image"} in user["content"]
    assert all("<image>" not in part.get("text", "") for part in user["content"])
    assert assistant["role"] == "assistant" and assistant["content"][0]["type"] == "text"
    assert (tmp_path / "m" / first["images"][0]).is_file()
