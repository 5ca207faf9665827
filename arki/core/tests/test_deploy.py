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


def _start(tmp_path, **settings: str) -> subprocess.CompletedProcess[str]:
    """Start Django as a server process would, with a production environment and these
    settings (nothing from the test run leaks in)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ARKI_", "DJANGO_", "PYTEST", "DATABASE_URL", "SECRET_KEY"))
    }
    env.update(
        {
            "ARKI_SQLITE_PATH": str(tmp_path / "start.sqlite3"),
            "DJANGO_SETTINGS_MODULE": "arki.settings",
            **settings,
        }
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_a_secret_key_does_not_start(tmp_path):
    result = _start(tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY is not set" in result.stderr


def test_production_with_the_published_development_key_does_not_start(tmp_path):
    from django.conf import settings

    result = _start(tmp_path, SECRET_KEY=settings.DEVELOPMENT_SECRET_KEY)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY is not set" in result.stderr
    assert settings.DEVELOPMENT_SECRET_KEY in (ROOT / "arki" / "settings.py").read_text()


def test_production_with_its_own_key_and_development_without_one_start(tmp_path):
    own = _start(tmp_path, SECRET_KEY="production-secret-" + "k" * 50)
    assert own.returncode == 0, own.stderr
    development = _start(tmp_path, ARKI_DEBUG="1")
    assert development.returncode == 0, development.stderr
