"""Every command of the `govtasks` CLI has help, and the README lists every command."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from flows.cli import app
from output.docs import README


def _commands(group: object, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path below `group` (Typer vendors its own click: duck-typed)."""
    out = []
    for name, cmd in sorted(group.commands.items()):  # type: ignore[attr-defined]
        out.append((*prefix, name))
        if hasattr(cmd, "commands"):
            out += _commands(cmd, (*prefix, name))
    return out


def test_every_command_has_help_text_and_is_in_the_readme() -> None:
    root = typer.main.get_command(app)
    commands = _commands(root)
    assert ("release",) in commands and ("names", "unknown") in commands and ("serve",) in commands
    readme = README.read_text(encoding="utf-8")
    runner = CliRunner()
    for path in commands:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        cmd = root
        for part in path:
            cmd = cmd.commands[part]
        assert (cmd.help or "").strip(), f"govtasks {' '.join(path)} has no help text"
        assert f"govtasks {' '.join(path)}" in readme, f"README does not mention govtasks {' '.join(path)}"
