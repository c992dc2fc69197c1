"""The command line: help text on every option of every command, -q/-v after the command name too, and usage
lines that show the name the CLI was called by."""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.cli import build_parser, main


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert len(actions) == 1
    return dict(actions[0].choices)


def _undocumented(parser: argparse.ArgumentParser) -> list[str]:
    """Options and arguments of a parser with no help text."""
    missing = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
            continue
        if not (action.help or "").strip() or action.help == argparse.SUPPRESS:
            missing.append("/".join(action.option_strings) or action.dest)
    return missing


def test_every_option_of_every_command_has_help_text() -> None:
    parser = build_parser()
    commands = _commands(parser)
    assert {"scrape", "parse", "language", "extract", "evaluate", "export", "run"} <= set(commands)
    missing = {"(global)": _undocumented(parser)}
    missing.update({name: _undocumented(p) for name, p in commands.items()})
    assert {k: v for k, v in missing.items() if v} == {}
    assert all(commands[name].description or commands[name].format_usage() for name in commands)


def test_every_command_is_listed_with_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    summaries = {c.dest: c.help for c in sub._choices_actions}
    assert set(summaries) == set(sub.choices) and all(summaries.values())


@pytest.mark.parametrize("where", ["before", "after"])
@pytest.mark.parametrize("flag, level", [("-q", logging.WARNING), ("--quiet", logging.WARNING),
                                         ("-v", logging.DEBUG), ("--verbose", logging.DEBUG)])
def test_quiet_and_verbose_are_read_before_or_after_the_command(where: str, flag: str, level: int) -> None:
    parser = build_parser()
    args = ["run", "--workers", "1"]
    argv = [flag, *args] if where == "before" else [*args, flag]
    ns = parser.parse_args(argv)
    assert (ns.verbose, ns.quiet) == (level == logging.DEBUG, level == logging.WARNING)
    # Given before the command, a flag is not reset by the command's parser.
    ns = parser.parse_args(["-q", "run", "-v"])
    assert (ns.verbose, ns.quiet) == (True, True)
    ns = parser.parse_args(["export"])
    assert (ns.verbose, ns.quiet) == (False, False)


def test_main_sets_up_logging_from_flags_after_the_command(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[bool, bool]] = []
    monkeypatch.setattr(cli, "setup_logging", lambda verbose, quiet: seen.append((verbose, quiet)))
    missing = tmp_path / "nope.jsonl"
    assert main(["extract", str(missing), "-o", str(tmp_path / "r.jsonl"), "-q"]) == 2
    assert main(["-v", "extract", str(missing), "-o", str(tmp_path / "r.jsonl")]) == 2
    assert seen == [(False, True), (True, False)]
    assert "nope.jsonl: no such file" in caplog.text


def _usage(*cmd: str) -> str:
    proc = subprocess.run([*cmd, "run", "--help"], capture_output=True, text=True, check=False, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_the_usage_line_shows_the_name_it_was_called_by() -> None:
    assert _usage(sys.executable, "-m", "pipeline").startswith("usage: python -m pipeline run ")
    script = Path(sys.executable).with_name("rightspasia")
    if not script.is_file():
        pytest.skip(f"no console script beside {sys.executable} (the package is not installed)")
    assert _usage(str(script)).startswith("usage: rightspasia run ")


def test_program_name_follows_argv0(monkeypatch: pytest.MonkeyPatch) -> None:
    for argv0, name in (("/x/bin/rightspasia", "rightspasia"), ("/x/pipeline/__main__.py", "python -m pipeline"),
                        ("", "rightspasia"), ("/opt/bin/my-alias", "my-alias")):
        monkeypatch.setattr(sys, "argv", [argv0])
        assert cli.program_name() == name
    assert build_parser("python -m pipeline").format_usage().startswith("usage: python -m pipeline ")
