"""Shared fixtures: a CLI runner that invokes codeer the way a user does."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from codeer.cli.main import app

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def cli():
    """Run ``codeer ARGS...``; returns the Result (stdout, stderr, exit_code)."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None):
        return runner.invoke(app, [str(a) for a in args], input=input, env=env)

    return run


@pytest.fixture
def project(tmp_path: Path, cli) -> Path:
    """An empty, initialised project folder."""
    folder = tmp_path / "project"
    result = cli("init", folder)
    assert result.exit_code == 0, result.stderr
    return folder
