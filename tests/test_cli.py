"""The command line as a user meets it: help everywhere, exit codes and messages."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest

from edition.cli import main


def all_commands(group: click.Group, prefix=()):
    for name, cmd in sorted(group.commands.items()):
        yield prefix + (name,), cmd
        if isinstance(cmd, click.Group):
            yield from all_commands(cmd, prefix + (name,))


@pytest.mark.parametrize("path", [p for p, _ in all_commands(main)], ids=" ".join)
def test_every_command_has_help_with_examples(runner, path):
    result = runner.invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    assert "Example" in result.output, f"`edition {' '.join(path)} --help` shows no example"


def test_python_dash_m_works():
    out = subprocess.run([sys.executable, "-m", "edition", "--version"], capture_output=True, text=True, check=True)
    assert "edition" in out.stdout


def test_unknown_option_is_a_usage_error(runner):
    result = runner.invoke(main, ["validate", "--no-such-option"])
    assert result.exit_code == 2
    assert "No such option" in result.output


def test_missing_schema_file_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(main, ["validate", "--schema", str(tmp_path / "missing.rng")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_broken_schema_is_a_clear_message_not_a_traceback(runner, tmp_path):
    bad = tmp_path / "bad.rng"
    bad.write_text(
        '<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start><ref name="nowhere"/></start></grammar>'
    )
    doc = tmp_path / "doc.xml"
    doc.write_text("<a/>")
    result = runner.invoke(main, ["validate", "--schema", str(bad), str(doc)])
    assert result.exit_code == 2
    assert "not a usable RELAX NG schema" in result.output
    assert "Traceback" not in result.output


def test_no_colour_when_not_a_terminal(runner, tmp_path):
    doc = tmp_path / "doc.xml"
    doc.write_text("<a>")
    result = runner.invoke(main, ["validate", str(doc)])
    assert "\x1b[" not in result.output
