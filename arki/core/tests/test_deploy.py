"""`manage.py check --deploy` is clean under production settings (SECURITY.md 15)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ARKI_", "DJANGO_", "PYTEST", "DATABASE_URL"))
    }
    env.update(
        {
            "ARKI_TESTING": "0",
            "SECRET_KEY": "x" * 20 + "production-secret-with-enough-entropy-0123456789abcdef",
            "SECURE_SSL_REDIRECT": "1",
            "EMAIL_BACKEND": "smtp",
            "ARKI_SQLITE_PATH": str(tmp_path / "deploy.sqlite3"),
            "ALLOWED_HOSTS": "arki.example.fi",
        }
    )
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import sys; sys.modules.pop('pytest', None); "
            "from django.core.management import execute_from_command_line as run; "
            "run(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "arki.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
