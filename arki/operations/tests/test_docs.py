"""The operations guide stays true: every setting the app reads is documented."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_every_environment_variable_is_in_the_operations_guide():
    source = (ROOT / "arki" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'env(?:_bool|_int|_list)?\("([A-Z0-9_]+)"', source))
    assert len(read) > 30  # the pattern finds them
    guide = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    missing = sorted(name for name in read if f"`{name}`" not in guide)
    assert missing == []


def test_every_tenant_sso_variable_is_in_the_operations_guide():
    source = (ROOT / "arki" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'tenant_env\(slug, "([A-Z0-9_]+)"', source))
    assert {"ISSUER", "CLIENT_ID", "CLIENT_SECRET", "PASSWORD_LOGIN"} <= read
    guide = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    missing = sorted(name for name in read if f"`ARKI_OIDC_<TENANT>_{name}`" not in guide)
    assert missing == []


def test_the_container_and_the_units_run_the_scheduled_jobs_and_migrate_once():
    compose = (ROOT / "deploy" / "compose.yaml").read_text(encoding="utf-8")
    assert "run_schedule" in compose and "db_worker" in compose
    assert "service_completed_successfully" in compose  # web and workers wait for migrate
    units = {p.name: p.read_text() for p in (ROOT / "deploy" / "systemd").glob("*.service")}
    assert "run_schedule deploy/crontab" in units["arki-scheduler.service"]
    for name in ("arki-web.service", "arki-worker.service", "arki-scheduler.service"):
        assert "Requires=arki-migrate.service" in units[name]
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    assert "USER 10001" in dockerfile and "HEALTHCHECK" in dockerfile
