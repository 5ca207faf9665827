"""`make bench`: the county-scale benchmark (``__main__``), the slot finder (``slots``), the
meeting report (``reports``) and the dashboard at national scale (``national``)."""

from __future__ import annotations

import os


def production_environment() -> dict[str, str]:
    """What every benchmark process runs with: production settings, served on loopback."""
    return {
        "DJANGO_SETTINGS_MODULE": "arki.settings",
        "ARKI_TESTING": "0",
        "ARKI_DEBUG": "0",
        "ARKI_REQUIRE_2FA": "0",
        "SECURE_COOKIES": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-secret-key-" + "x" * 40),
        "LOG_LEVEL": "ERROR",
    }
