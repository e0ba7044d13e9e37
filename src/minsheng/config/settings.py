"""Deployment settings, read from the environment (see README "Configuration").

Policy (deadlines, categories, routing, holidays) is data in the database, never here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from minsheng.config.env import env_bool, env_int, env_list, env_str, load_secrets_file

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# Everything the running site writes (SQLite files, uploads, keys of a local run) lives here.
VAR_DIR = Path(env_str("MINSHENG_VAR", str(Path.cwd() / "var"))).resolve()
load_secrets_file(Path(env_str("MINSHENG_SECRETS_FILE", str(VAR_DIR / "secrets.env"))))

# "production" turns on every transport-security setting; "development" is a local run over
# plain http (make run); "test" is the test suite.
MINSHENG_ENV = env_str("MINSHENG_ENV", "development")
if MINSHENG_ENV not in {"production", "development", "test"}:
    raise ValueError(f"MINSHENG_ENV must be production, development or test, not {MINSHENG_ENV!r}")
PRODUCTION = MINSHENG_ENV == "production"

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    raise ValueError("SECRET_KEY is not set: run `minsheng init-secrets` or set it in the environment")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    # The admin site only lets in staff who passed the second factor (accounts/admin_site.py).
    "minsheng.accounts.apps.MinshengAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "minsheng.core",
    "minsheng.accounts",
    "minsheng.privacy",
    "minsheng.orgs",
    "minsheng.petitions",
    "minsheng.workbench",
    "minsheng.api",
    "minsheng.open311",
    "minsheng.workflow",
    "minsheng.portal",
    "minsheng.accusations",
    "minsheng.suggestions",
    "minsheng.intel",
    "minsheng.intel.topics",
    "minsheng.intel.routing",
    "minsheng.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After OTPMiddleware and messages: a session without a verified second factor, or past its
    # idle or absolute limit, is ended here before any view sees it.
    "minsheng.accounts.middleware.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a login refused for too many failures into the lockout page (429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "minsheng.config.urls"
WSGI_APPLICATION = "minsheng.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "minsheng.core.context_processors.site",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'minsheng.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE transactions take the write lock at
    # BEGIN so two writers queue on busy_timeout instead of failing on a lock upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Task queue (Huey): SQLite file by default, Redis when REDIS_URL is set -------------------
_redis_url = env_str("REDIS_URL")
HUEY = {
    "name": env_str("HUEY_NAME", "minsheng"),
    "immediate": env_bool("HUEY_IMMEDIATE", False),
    "results": False,
    "utc": True,
    "consumer": {"workers": env_int("HUEY_WORKERS", 2), "worker_type": "thread"},
}
if _redis_url:
    HUEY |= {"huey_class": "huey.RedisHuey", "connection": {"url": _redis_url}}
else:
    HUEY |= {"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")}

# --- Auth ---------------------------------------------------------------------------------------
AUTH_USER_MODEL = "orgs.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "login"
# Axes first: it refuses a locked-out username or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time --------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Each app keeps its own catalogue in <app>/locale/ (see docs/i18n.md).
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

# --- Files ---------------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# core/static/vendor/ is filled from the npm registry at setup (scripts/vendor-assets) and served
# by the app itself: nothing is fetched from a CDN.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# The real third-party data beside the repository (training the routing model, the demo).
MINSHENG_DATA_DIR = Path(env_str("MINSHENG_DATA_DIR", str(Path.cwd().parent / "shared" / "data"))).resolve()
MEDIA_URL = "/media-not-served/"  # attachments are only served through their access-checked view
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)

# --- Mail and notices ---------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "minsheng@localhost")
# How notices reach petitioners (minsheng/workflow/notify.py): console, SMS gateway or e-mail.
MINSHENG_NOTICE_BACKEND = env_str("MINSHENG_NOTICE_BACKEND", "minsheng.workflow.notify.ConsoleBackend")
MINSHENG_SMS_URL = env_str("MINSHENG_SMS_URL")
MINSHENG_SMS_TOKEN = env_str("MINSHENG_SMS_TOKEN")

# --- Security -----------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Sessions of staff end after MINSHENG_SESSION_IDLE_MINUTES without a request and, whatever
# happens, MINSHENG_SESSION_MAX_HOURS after sign-in (accounts/middleware.py); the cookie dies with
# the browser.
MINSHENG_SESSION_IDLE_MINUTES = env_int("MINSHENG_SESSION_IDLE_MINUTES", 30)
MINSHENG_SESSION_MAX_HOURS = env_int("MINSHENG_SESSION_MAX_HOURS", 10)
SESSION_COOKIE_AGE = MINSHENG_SESSION_MAX_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Throttling of sign-in (django-axes, database handler so every process counts the same
# failures): after MINSHENG_LOGIN_FAILURE_LIMIT failures for one username, or from one address,
# further attempts are refused for MINSHENG_LOGIN_COOLOFF_MINUTES. The lockout page is the same
# whether or not the username exists. 20 per 15 minutes stays under ASVS's 100 per hour.
AXES_FAILURE_LIMIT = env_int("MINSHENG_LOGIN_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("MINSHENG_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "minsheng.accounts.views.lockout"
AXES_VERBOSE = False
# Never stored in the attempt records: passwords (always), second-factor and recovery codes.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]
# Behind a TLS proxy, REMOTE_ADDR is the proxy: take the client from X-Forwarded-For instead.
if env_bool("BEHIND_TLS_PROXY", False):
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 1)

# The second factor (django-otp): a TOTP app, with one-time recovery codes as the fallback.
# Every staff account needs it; an account without a device enrols at its first sign-in.
OTP_TOTP_ISSUER = env_str("MINSHENG_TOTP_ISSUER", "Minsheng")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Development only: the second-factor page shows the demo account's current code, so a newcomer
# can click through `make run` without an authenticator app. Refused in production.
MINSHENG_SHOW_TOTP_CODE = env_bool("MINSHENG_SHOW_TOTP_CODE", MINSHENG_ENV == "development")
if PRODUCTION and MINSHENG_SHOW_TOTP_CODE:
    raise ValueError("MINSHENG_SHOW_TOTP_CODE is a development aid and cannot be on in production")

# Content-Security-Policy (django-csp 4): our own origin only, no inline script or style.
# Bootstrap's CSS draws a few icons as data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Personal data: exports and retention (privacy/) ------------------------------------------
# Export files (masked lists of petitions) are deleted this many days after they were made.
MINSHENG_EXPORT_DAYS = env_int("MINSHENG_EXPORT_DAYS", 7)
# `minsheng purge` clears the personal data of cases that ended (closed, not accepted, withdrawn,
# merged) more than this many days ago; counts for statistics and the audit trail stay.
MINSHENG_RETENTION_DAYS = env_int("MINSHENG_RETENTION_DAYS", 5 * 365)
# Sign-in records (usernames, addresses, browsers of staff; django-axes) are kept this long.
MINSHENG_LOGIN_RECORD_DAYS = env_int("MINSHENG_LOGIN_RECORD_DAYS", 180)

# --- Logging ------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # axes logs every failed sign-in at WARNING (with the username masked); its INFO is chatter.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# --- Keys for personal data at rest (see minsheng/core/crypto.py) ------------------------------
# "1:<base64 32 bytes>,2:<...>": the highest version seals new values. A file may hold them instead.
_keys_file = env_str("MINSHENG_DATA_KEYS_FILE")
MINSHENG_DATA_KEYS = Path(_keys_file).read_text(encoding="utf-8") if _keys_file else env_str("MINSHENG_DATA_KEYS")
MINSHENG_LOOKUP_KEY = env_str("MINSHENG_LOOKUP_KEY")
if not MINSHENG_DATA_KEYS or not MINSHENG_LOOKUP_KEY:
    raise ValueError("MINSHENG_DATA_KEYS and MINSHENG_LOOKUP_KEY must be set: run `minsheng init-secrets`")
