"""Townhall settings: one module, driven by environment variables (see README)."""

from __future__ import annotations

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from townhall.config import env

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = env.data_dir()

SECRET_KEY = env.secret_key(DATA_DIR)
DEBUG = env.flag("TOWNHALL_DEBUG", False)
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if h.strip()
]
# The public origin used in emailed links, e.g. https://comments.example.org
PUBLIC_URL = os.environ.get("TOWNHALL_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "townhall.core",
    "townhall.accounts",
    "townhall.stories",
    "townhall.comments",
    "townhall.moderation",
    "townhall.live",
    "townhall.pagecache",
    "townhall.api",
    "townhall.dashboard",
    "townhall.embed",
    "townhall.demo",
    "townhall.notify",
    "townhall.transparency",
    "townhall.porting",
]

MIDDLEWARE = [
    "townhall.ops.middleware.RequestMiddleware",
    "townhall.core.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "townhall.stories.cors.CorsMiddleware",
    "townhall.core.middleware.ApiErrorShapeMiddleware",
    "townhall.core.privacy.ClientAddressMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "townhall.core.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# The toxicity scorer: "local" (the committed model) or "http", a service the publisher runs
# (TOWNHALL_SCORER_URL, TOWNHALL_SCORER_SECRET; TOWNHALL_SCORER_FAIL "hold" or "allow" says
# what happens to a comment while it cannot be reached).
TOWNHALL_SCORER = os.environ.get("TOWNHALL_SCORER", "local")
TOWNHALL_SCORER_URL = os.environ.get("TOWNHALL_SCORER_URL", "")
TOWNHALL_SCORER_SECRET = os.environ.get("TOWNHALL_SCORER_SECRET", "")
TOWNHALL_SCORER_FAIL = os.environ.get("TOWNHALL_SCORER_FAIL", "hold")

# The moderation pipeline's phases, in the order they run (moderation/pipeline.py).
TOWNHALL_PHASES = [
    "townhall.moderation.phases.story.StoryClosed",
    "townhall.moderation.phases.limits.BodyLimits",
    "townhall.moderation.phases.sanctions.AuthorSanctions",
    "townhall.moderation.phases.real_names.RealNamePhase",
    "townhall.moderation.pipeline.PreModeration",
    "townhall.moderation.phases.youth.YouthPrivacy",
    "townhall.moderation.phases.words.WordLists",
    "townhall.moderation.phases.links.Links",
    "townhall.moderation.phases.toxicity.Toxicity",
    "townhall.moderation.phases.spam.SpamAndFlood",
    "townhall.moderation.phases.newcomers.NewCommenters",
    "townhall.moderation.phases.trust.Trust",
]

ROOT_URLCONF = "townhall.config.urls"
ASGI_APPLICATION = "townhall.config.asgi.application"

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
            ],
        },
    },
]

DATABASES = {"default": env.database(os.environ.get("DATABASE_URL"), DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL") or None
# How many processes serve this data directory (`townhall serve --workers N` sets it). With
# more than one and no Redis, they share the cache and the live events through SQLite files
# in the data directory (townhall/core/sqlite/sidefile.py): one host, no extra server.
TOWNHALL_PROCESSES = max(1, int(os.environ.get("TOWNHALL_PROCESSES", "1") or 1))
TOWNHALL_SHARED_FILES = TOWNHALL_PROCESSES > 1 and not REDIS_URL
CACHES = env.caches(REDIS_URL, shared_dir=DATA_DIR if TOWNHALL_SHARED_FILES else None)

AUTH_USER_MODEL = "accounts.Account"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/sign-in/"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("TOWNHALL_TIME_ZONE", "America/Toronto")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"

MAILERS = env.mailers(os.environ.get("EMAIL_URL"), DATA_DIR)
DEFAULT_FROM_EMAIL = os.environ.get("TOWNHALL_FROM_EMAIL", "Townhall <no-reply@townhall.localhost>")

# Sessions (cookie) are used by server-rendered pages only; the JSON API uses bearer tokens.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PUBLIC_URL.startswith("https://")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_TRUSTED_ORIGINS = [PUBLIC_URL]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
if SESSION_COOKIE_SECURE:
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

TOWNHALL_RATELIMIT = env.flag("TOWNHALL_RATELIMIT", True)
# Threads a server process runs synchronous request work on (townhall.core.threads).
TOWNHALL_SYNC_THREADS = int(os.environ.get("TOWNHALL_SYNC_THREADS", "4"))
# "onehop" (core/handler.py) or "django" (Django's ASGI handler): docs/adr/0004.
TOWNHALL_HANDLER = os.environ.get("TOWNHALL_HANDLER", "onehop")
# Session tokens for the JSON API.
TOWNHALL_TOKEN_TTL_DAYS = int(os.environ.get("TOWNHALL_TOKEN_TTL_DAYS", "30"))
TOWNHALL_EDIT_WINDOW_SECONDS = int(os.environ.get("TOWNHALL_EDIT_WINDOW_SECONDS", "300"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "townhall.ops.logging.JsonFormatter"},
    },
    "filters": {"request_id": {"()": "townhall.ops.logging.RequestIdFilter"}},
    "handlers": {"console": {
        "class": "logging.StreamHandler", "filters": ["request_id"],
        # TOWNHALL_LOG_FORMAT=json: one JSON object per line, for log collectors.
        "formatter": "json" if os.environ.get("TOWNHALL_LOG_FORMAT") == "json" else "plain",
    }},
    "root": {"handlers": ["console"], "level": os.environ.get("TOWNHALL_LOG_LEVEL", "WARNING")},
    "loggers": {
        "townhall": {"level": os.environ.get("TOWNHALL_LOG_LEVEL", "INFO")},
        # A wrong Host header or an oversized body is the client's mistake, answered 400/413
        # in the API's shape (townhall.core.http_errors): not an error of the server's.
        "django.security.DisallowedHost": {"handlers": ["console"], "level": "CRITICAL",
                                           "propagate": False},
        "django.security.RequestDataTooBig": {"handlers": ["console"], "level": "CRITICAL",
                                              "propagate": False},
    },
}
# Trust X-Forwarded-For from a reverse proxy (nginx) in front of Townhall: from the peers in
# TOWNHALL_TRUSTED_PROXIES (addresses or CIDR blocks), read from the right (core/privacy.py).
TOWNHALL_TRUST_PROXY = env.flag("TOWNHALL_TRUST_PROXY", False)
TOWNHALL_TRUSTED_PROXIES = env.address_list("TOWNHALL_TRUSTED_PROXIES", "127.0.0.1,::1")
# Security and privacy (docs/security.md). Rate-limit overrides, installation-wide, as JSON:
# {"post": {"account": [10, 60]}}; each site may override again (Site.rate_limits).
TOWNHALL_RATE_LIMITS = env.json_value("TOWNHALL_RATE_LIMITS", {})
# Stored address digests (never raw addresses) are dropped after this many days.
TOWNHALL_ADDRESS_RETENTION_DAYS = int(os.environ.get("TOWNHALL_ADDRESS_RETENTION_DAYS", "30"))
# "Delete my account" waits this long (the owner may cancel), then erases.
TOWNHALL_DELETION_GRACE_HOURS = int(os.environ.get("TOWNHALL_DELETION_GRACE_HOURS", "24"))
# Staff (moderators, admins) must sign in with a TOTP code.
TOWNHALL_STAFF_TOTP_REQUIRED = env.flag("TOWNHALL_STAFF_TOTP_REQUIRED", False)
# Refuse sign-in until the email is verified (closes the sign-up-then-sign-in probe).
TOWNHALL_SIGNIN_REQUIRES_VERIFIED_EMAIL = env.flag("TOWNHALL_SIGNIN_REQUIRES_VERIFIED_EMAIL",
                                                   False)

# Real names: a person may change their name once in this many days; when they have published
# comments, the change waits for a moderator (TOWNHALL_NAME_CHANGE_APPROVAL=off to apply at once).
TOWNHALL_NAME_CHANGE_DAYS = int(os.environ.get("TOWNHALL_NAME_CHANGE_DAYS", "30"))
TOWNHALL_NAME_CHANGE_APPROVAL = env.flag("TOWNHALL_NAME_CHANGE_APPROVAL", True)
# A new name whose pseudonym suspicion (0 to 1) reaches this is asked to confirm itself.
TOWNHALL_NAME_SUSPICION_THRESHOLD = float(
    os.environ.get("TOWNHALL_NAME_SUSPICION_THRESHOLD", "0.8")
)
# Publisher sign-in (SSO): clock skew tolerated, and the longest life a token may claim.
TOWNHALL_SSO_LEEWAY_SECONDS = int(os.environ.get("TOWNHALL_SSO_LEEWAY_SECONDS", "60"))
TOWNHALL_SSO_MAX_TOKEN_LIFETIME = int(
    os.environ.get("TOWNHALL_SSO_MAX_TOKEN_LIFETIME", "86400")
)

# A rejected comment may be appealed for this many days (the DSA's art. 20 asks six months).
TOWNHALL_APPEAL_DAYS = int(os.environ.get("TOWNHALL_APPEAL_DAYS", "182"))
# Misuse (DSA art. 23): within a year, an author whose comments are removed as manifestly
# illegal, or a notifier whose notices are manifestly unfounded, is warned at the first
# count and suspended for the days given at the second (notices from a suspended notifier
# are refused for that long).
TOWNHALL_MISUSE_WARN_AFTER = int(os.environ.get("TOWNHALL_MISUSE_WARN_AFTER", "2"))
TOWNHALL_MISUSE_SUSPEND_AFTER = int(os.environ.get("TOWNHALL_MISUSE_SUSPEND_AFTER", "3"))
TOWNHALL_MISUSE_SUSPEND_DAYS = int(os.environ.get("TOWNHALL_MISUSE_SUSPEND_DAYS", "30"))
# A comment held for review this long counts as restricted: its author gets a statement of
# reasons (DSA art. 17) in "My comments".
TOWNHALL_HOLD_STATEMENT_HOURS = int(os.environ.get("TOWNHALL_HOLD_STATEMENT_HOURS", "24"))
# Leading zero bits of the proof of work a notice of illegal content asks for.
TOWNHALL_POW_BITS = int(os.environ.get("TOWNHALL_POW_BITS", "16"))
# A moderator's decision can be undone from its toast for this long; the author is told of
# it only once this has passed (an undone decision tells nobody).
TOWNHALL_UNDO_SECONDS = int(os.environ.get("TOWNHALL_UNDO_SECONDS", "10"))

# Background tasks (emails, webhooks): "inprocess" runs them on a thread of each web process;
# "worker" leaves them to `townhall worker` processes (production); "immediate" (tests).
TOWNHALL_TASKS = os.environ.get("TOWNHALL_TASKS", "inprocess")
# Local hour (TIME_ZONE) at which daily notification digests go out.
TOWNHALL_DIGEST_HOUR = int(os.environ.get("TOWNHALL_DIGEST_HOUR", "7"))
# Webhooks may be delivered to private addresses (127.0.0.1, 10.x…) only when this is on.
TOWNHALL_WEBHOOK_ALLOW_PRIVATE = env.flag("TOWNHALL_WEBHOOK_ALLOW_PRIVATE", False)
# /metrics answers a bearer token, or the client addresses in TOWNHALL_METRICS_ALLOW
# (addresses or CIDR blocks; none by default): never merely a loopback or private peer.
TOWNHALL_METRICS_TOKEN = os.environ.get("TOWNHALL_METRICS_TOKEN", "")
TOWNHALL_METRICS_ALLOW = env.address_list("TOWNHALL_METRICS_ALLOW", "")
# Each live-event stream ends after this many seconds; EventSource reconnects by itself.
TOWNHALL_SSE_MAX_SECONDS = int(os.environ.get("TOWNHALL_SSE_MAX_SECONDS", "300"))
# ...after waiting this many milliseconds; the stream replays what it missed meanwhile.
TOWNHALL_SSE_RETRY_MS = int(os.environ.get("TOWNHALL_SSE_RETRY_MS", "3000"))
