"""The README's setup commands work whatever `uv` resolves to (a broken pyenv shim included)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _dry_run(path: str) -> str:
    """What `make -n install` would run with this PATH (nothing is executed)."""
    env = {**os.environ, "PATH": path, "UV": ""}
    env.pop("UV")
    result = subprocess.run(  # noqa: S603
        ["make", "-n", "--no-print-directory", "install"],  # noqa: S607
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_a_uv_that_does_not_run_is_not_used(tmp_path):
    shim = tmp_path / "uv"
    shim.write_text("#!/bin/sh\necho 'pyenv: uv: command not found' >&2\nexit 127\n")
    shim.chmod(0o755)
    commands = _dry_run(f"{tmp_path}:{os.environ['PATH']}")
    assert "python3 -m uv sync --frozen" in commands
    assert f"{tmp_path}/uv" not in commands


def test_a_uv_that_runs_is_used(tmp_path):
    shim = tmp_path / "uv"
    shim.write_text("#!/bin/sh\necho 'uv 0.0.0'\n")
    shim.chmod(0o755)
    commands = _dry_run(f"{tmp_path}:{os.environ['PATH']}")
    assert "\nuv sync --frozen" in "\n" + commands
    assert "python3 -m uv sync" not in commands
