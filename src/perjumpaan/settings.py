"""Perjumpaan settings: one file, configured by environment variables (see .env.example)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from perjumpaan.core.env import envbool, envcache, envint, envlist, envpool, envsecret, envstr

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(envstr("PERJUMPAAN_DATA_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = envbool("PERJUMPAAN_DEBUG", True)

_DEV_SECRET = "perjumpaan-development-only-secret-key-never-use-in-production"  # noqa: S105  # nosec B105  # refused when DEBUG is off
SECRET_KEY = envsecret("PERJUMPAAN_SECRET_KEY") or _DEV_SECRET
if not DEBUG and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "PERJUMPAAN_SECRET_KEY (or PERJUMPAAN_SECRET_KEY_FILE) must be set to a random string of at least "
        "32 characters when PERJUMPAAN_DEBUG is false."
    )

ALLOWED_HOSTS = envlist("PERJUMPAAN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("PERJUMPAAN_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "ninja",
    "perjumpaan.core",
    "perjumpaan.org",
    "perjumpaan.program",
    "perjumpaan.attendance",
    "perjumpaan.evaluation",
    "perjumpaan.tadarus",
    "perjumpaan.service",
    "perjumpaan.rollup",
    "perjumpaan.api",
    "perjumpaan.impact",
]

MIDDLEWARE = [
    # reliability/security: one log line and an id per request, first so that it sees everything.
    "perjumpaan.core.logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # reliability/security: Content-Security-Policy and Permissions-Policy; bodies over 12 MB refused.
    "perjumpaan.core.security.SecurityHeadersMiddleware",
    "perjumpaan.core.security.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "perjumpaan.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it sees the authentication result of every view (django-axes' requirement).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "perjumpaan.urls"
WSGI_APPLICATION = "perjumpaan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "perjumpaan.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
# SQLite under DATA_DIR is the embedded default. WAL lets readers work beside one writer; IMMEDIATE
# transactions take the write lock at BEGIN so concurrent writers queue on the busy timeout instead of
# failing with "database is locked" half-way through; connections persist because closing a WAL
# connection after every request checkpoints the log and costs an order of magnitude.
DEFAULT_SQLITE_PATH = DATA_DIR / "perjumpaan.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE_PATH}"), conn_health_checks=True
    )
}
# PostgreSQL: each gunicorn worker either keeps one persistent connection (the default) or, with
# PERJUMPAAN_DB_POOL=true, a psycopg pool of MIN to MAX connections that also reopens connections the
# server dropped and retires old ones. Either way the sum over app servers must fit PostgreSQL's
# max_connections: docs/scale.md, "A province on PostgreSQL", does the arithmetic. Django refuses a pool
# with persistent connections, so the pool makes the default CONN_MAX_AGE 0 and refuses any other.
_DB_POOL = envpool("PERJUMPAAN_DB_POOL", engine=DATABASES["default"]["ENGINE"])
DATABASES["default"]["CONN_MAX_AGE"] = envint("PERJUMPAAN_CONN_MAX_AGE", 0 if _DB_POOL else 600, minimum=0)
if _DB_POOL:
    if DATABASES["default"]["CONN_MAX_AGE"] != 0:
        raise ImproperlyConfigured(
            "PERJUMPAAN_CONN_MAX_AGE must be 0 or unset when PERJUMPAAN_DB_POOL is true: the pool keeps "
            "the connections itself."
        )
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = _DB_POOL
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": envint("PERJUMPAAN_SQLITE_BUSY_TIMEOUT", 20),
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=20000;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out login before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "perjumpaan.org.backends.UsernameOrNipBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock-out after repeated failures, per username and address together, so that one person mistyping
# cannot lock out a whole office behind one NAT address.
AXES_FAILURE_LIMIT = envint("PERJUMPAAN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("PERJUMPAAN_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "perjumpaan.org.views.locked_out"
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "perjumpaan.org.backends.axes_username"

# Phones stay logged in: a staff member scans one check-in code a day and should not log in each time.
SESSION_COOKIE_AGE = envint("PERJUMPAAN_SESSION_DAYS", 90) * 24 * 3600

# --- Language and time -----------------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = envstr("PERJUMPAAN_TIME_ZONE", "Asia/Makassar")
USE_TZ = True

# --- Static files ----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# The project's own assets (app.css, icon) live in the package, which is not an app: name the directory.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# WhiteNoise serves from the finders in development and from STATIC_ROOT (collectstatic) in production.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
try:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # also creates DATA_DIR for the SQLite database
except OSError as exc:
    raise ImproperlyConfigured(f"PERJUMPAAN_DATA_DIR ({DATA_DIR}) cannot be created: {exc}") from None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = DATA_DIR / "media"

# Uploads larger than this are refused before they reach the importers.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Production hardening ---------------------------------------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("PERJUMPAAN_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("PERJUMPAAN_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading binds every subdomain of the regency's domain to HTTPS in browsers for good: the domain
    # owner's decision (PERJUMPAAN_HSTS_PRELOAD=true), so `check --deploy` is not asked to nag about it.
    SECURE_HSTS_PRELOAD = envbool("PERJUMPAAN_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_CONTENT_TYPE_NOSNIFF = True

# --- Reliability, security and privacy (docs/security.md, docs/operations.md) ----------------------
# Cookies: never readable by scripts, never sent on cross-site requests that change something.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (core/security.py): no inline script or style anywhere, nothing from elsewhere.
PERJUMPAAN_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
# A path prefix may get a policy of its own here; none needs one (Swagger UI at /api/v1/docs, ninja's own
# copy, runs under the strict policy: tests/e2e/test_csp_browser.py).
PERJUMPAAN_CSP_PATHS: dict[str, str] = {}
# The largest request body accepted at all (core/security.py), above the 10 MB upload limit below it.
PERJUMPAAN_MAX_REQUEST_BYTES = envint("PERJUMPAAN_MAX_REQUEST_BYTES", 12 * 1024 * 1024)
# The default cache holds the rate-limit counts (check-ins, public forms). Local memory is per process; with
# several app servers or gunicorn workers, PERJUMPAAN_CACHE_URL names a Redis server they all share
# (redis://127.0.0.1:6379/1), so each limit holds across them. The "figures" cache holds the dashboards'
# drawn charts and impact analyses (core/caching.py): costly to compute and the same for every process, so
# they live where every worker and the `warm_dashboards` job that draws them ahead of readers see them —
# that Redis server, or without one, files under DATA_DIR.
CACHES = {"default": envcache("PERJUMPAAN_CACHE_URL")}
CACHES["figures"] = (
    CACHES["default"]
    if not CACHES["default"]["BACKEND"].endswith("LocMemCache")
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache" / "figures"),
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
)
# Check-ins per user (POST /api/v1/checkins), counted in the default cache.
PERJUMPAAN_CHECKIN_RATE = envstr("PERJUMPAAN_CHECKIN_RATE", "20/m")
# The public SKM and complaint forms (service/abuse.py): answers per device (signed cookie) per hour and
# per day, per network address per hour (generous: many phones share a mobile operator's address), and per
# hour for a counter tablet activated as the office's kiosk. Counted in the default cache.
PERJUMPAAN_PUBLIC_FORM_LIMITS = {
    "device_per_hour": envint("PERJUMPAAN_PUBLIC_FORM_DEVICE_PER_HOUR", 5, minimum=1),
    "device_per_day": envint("PERJUMPAAN_PUBLIC_FORM_DEVICE_PER_DAY", 12, minimum=1),
    "address_per_hour": envint("PERJUMPAAN_PUBLIC_FORM_ADDRESS_PER_HOUR", 120, minimum=1),
    "kiosk_per_hour": envint("PERJUMPAAN_PUBLIC_FORM_KIOSK_PER_HOUR", 300, minimum=1),
}
# How many reverse proxies (nginx, a load balancer) stand in front of the app and append to
# X-Forwarded-For: the client's address is the one the outermost trusted proxy saw. 0: the peer's address
# (X-Forwarded-For is ignored, so nobody can pick their own address to escape the limits).
PERJUMPAAN_TRUSTED_PROXIES = envint("PERJUMPAAN_TRUSTED_PROXIES", 0, minimum=0)
# Retention, in days (0: keep for ever), enforced by `perjumpaan purge` (core/purge.py).
PERJUMPAAN_SURVEY_RETENTION_DAYS = envint("PERJUMPAAN_SURVEY_RETENTION_DAYS", 730, minimum=0)
PERJUMPAAN_AUDIT_RETENTION_DAYS = envint("PERJUMPAAN_AUDIT_RETENTION_DAYS", 1825, minimum=0)
PERJUMPAAN_LOGIN_LOG_RETENTION_DAYS = envint("PERJUMPAAN_LOGIN_LOG_RETENTION_DAYS", 90, minimum=0)
# The user guide served at /panduan/ (core/guide.py): a folder holding panduan/*.md and screenshots/*.png.
# By default the repository's docs/ next to src/, where an editable install (`make run`) finds it.
PERJUMPAAN_GUIDE_DIR = Path(envstr("PERJUMPAAN_GUIDE_DIR", str(PACKAGE_DIR.parent.parent / "docs"))).resolve()

# Logs: JSON lines on stdout in production (one per request, with its id, user id, path, status and
# duration; no personal data), plain text in development. core/logging.py.
_LOG_FORMAT = envstr("PERJUMPAAN_LOG_FORMAT", "plain" if DEBUG else "json")
if _LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured(f"PERJUMPAAN_LOG_FORMAT must be json or plain, not {_LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "perjumpaan.core.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "perjumpaan.core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": _LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": envstr("PERJUMPAAN_LOG_LEVEL", "WARNING")},
    "loggers": {
        # The access log: one INFO line per request, on by default in production (runserver has its own).
        "perjumpaan.request": {
            "level": "INFO" if envbool("PERJUMPAAN_ACCESS_LOG", not DEBUG) else "WARNING",
        },
    },
}

# --- Programme -------------------------------------------------------------------------------------
DEMO_PASSWORD = envsecret("PERJUMPAAN_DEMO_PASSWORD") or "perjumpaan-demo"
