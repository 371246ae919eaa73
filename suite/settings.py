"""Toolsuite settings: the one settings module, driven entirely by the environment.

Every setting a deployment may change is read here, once, from environment
variables or an optional `.env` file at the project root. `.env.example` lists
each variable with its default. The defaults give the embedded setup: SQLite
under `var/`, local-memory cache, and (with DEBUG and DEV_MODE on) a dev user.
"""

from pathlib import Path

from corsheaders.defaults import default_headers as default_cors_headers
from django.core.exceptions import ImproperlyConfigured

from apps.core.api.enum_names import EnumNameOverrides
from apps.core.discovery import discover_tools
from apps.core.logs import JSON_CONSOLE
from suite.env import Env

BASE_DIR = Path(__file__).resolve().parent.parent

# Every variable is read through `env` (suite/env.py): a value of the wrong
# form stops the process naming the variable and the form it takes.
env = Env()
Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
DEV_MODE = env.bool("DEV_MODE", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. It is required when DEBUG is off: "
            "set the SECRET_KEY environment variable (at least 50 random characters)."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug-mode-never-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])

# --- Applications: the platform, then every tool found under apps/ -----------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Trigram search indexes (OpClass) and lookups; harmless on SQLite.
    "django.contrib.postgres",
    "corsheaders",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "social_django",
    "apps.core",
    *discover_tools(BASE_DIR / "apps"),
]

MIDDLEWARE = [
    "apps.core.middleware.HeadWithoutBodyMiddleware",
    # The health probes, answered before anything reads the Host header.
    "apps.core.middleware.HealthProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy of the web app, the admin and the API's pages.
    "apps.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "apps.core.middleware.RequestContextMiddleware",
    # Cache-Control and Vary: Authorization of the API's responses.
    "apps.core.middleware.ApiCacheControlMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # The admin's and the sign-in pages' own, skipped for /api/ (apps/core/middleware.py).
    "apps.core.middleware.PageSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "apps.core.middleware.PageCsrfViewMiddleware",
    "apps.core.middleware.PageAuthenticationMiddleware",
    "apps.core.middleware.PageMessageMiddleware",
    "apps.core.middleware.PageSocialAuthExceptionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "apps.core.middleware.ApiErrorMiddleware",
    "apps.core.middleware.AdminBadInputMiddleware",
]

ROOT_URLCONF = "suite.urls"
WSGI_APPLICATION = "suite.wsgi.application"
AUTH_USER_MODEL = "core.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "suite" / "templates"],
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

# --- Database -----------------------------------------------------------------
# DATABASE_URL accepts postgres://, postgresql:// and sqlite:///. Connections are
# reused (CONN_MAX_AGE) and checked before each request (CONN_HEALTH_CHECKS), the
# Django equivalent of a pre-pinged pool.

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'suite.sqlite3'}")
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with statements a connection runs often prepared, so
    # PostgreSQL plans them once (apps/core/backends/postgresql/base.py). Off
    # behind a pooler that cannot carry prepared statements (PgBouncer in
    # transaction mode before 1.21; docs/deployment.md).
    DATABASES["default"]["ENGINE"] = "apps.core.backends.postgresql"
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True,
            prepare_threshold=5,
            # Per connection, least recently used first out: psycopg's 100 hold
            # about ten tools' statements; a worker serving more needs more to
            # keep them (40-100 KB of PostgreSQL's memory each; docs/deployment.md).
            prepared_max=env.int("DATABASE_PREPARED_STATEMENTS_MAX", default=100),
        )
# In app servers, PostgreSQL cancels a request's statement that runs longer than
# this many seconds (0: no limit), and the request answers 503: under gunicorn's
# 30-second worker timeout, which would kill the worker and leave the query
# running. Management commands and migrations run without it (apps/core/db.py).
DATABASE_STATEMENT_TIMEOUT = env.float("DATABASE_STATEMENT_TIMEOUT", default=20.0)
if DATABASE_STATEMENT_TIMEOUT < 0:
    raise ImproperlyConfigured("DATABASE_STATEMENT_TIMEOUT must be 0 (no limit) or more seconds.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a writer commits; the busy timeout makes
    # concurrent writers wait instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

# --- Cache ------------------------------------------------------------------------
# Shared by every worker and replica in production (redis://); local memory in
# the embedded default.

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis that stops answering fails its call within a second, instead of
    # holding the worker until gunicorn kills it (`?socket_timeout=` in
    # CACHE_URL overrides): the rate limit then lets the request through, and
    # a token needing Auth0's keys is a 503 (docs/deployment.md).
    CACHES["default"]["OPTIONS"] = {
        "socket_connect_timeout": 1,
        "socket_timeout": 1,
        **CACHES["default"].get("OPTIONS", {}),
    }

# --- Front end and CORS -----------------------------------------------------------

# The React app's build (`make frontend`; the image builds it too): its
# index.html, with the runtime config put in, answers every page path
# (suite/views.py, `app_shell`); its assets are static files under /static/app/.
# A relative path is taken from the project's root (never the root itself:
# every file under it would be a static file).
FRONTEND_DIST = BASE_DIR / (env.str("FRONTEND_DIST", default="") or "frontend/dist")

FRONTEND_URL = env.str("FRONTEND_URL", default="")
CORS_ALLOWED_ORIGINS = env.list(
    "CORS_ALLOWED_ORIGINS", default=[FRONTEND_URL] if FRONTEND_URL else []
)
CORS_EXPOSE_HEADERS = ["ETag", "Location", "X-Request-ID"]
CORS_ALLOW_HEADERS = (*default_cors_headers, "if-match", "if-none-match", "x-request-id")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=CORS_ALLOWED_ORIGINS)

# --- Authentication -----------------------------------------------------------------
# The API accepts Auth0 access tokens (RS256 only; not a setting). The admin
# signs in through Auth0 too (social-auth). docs/auth.md explains each setting.

DEV_USER = env.str("DEV_USER", default="dev")

AUTH0_DOMAIN = env.str("AUTH0_DOMAIN", default="")
AUTH0_API_AUDIENCE = env.str("AUTH0_API_AUDIENCE", default="")
# The web app signs in with its own Auth0 application (Single Page Application;
# a public client: no secret), handed to the browser in the page's config.
AUTH0_SPA_CLIENT_ID = env.str("AUTH0_SPA_CLIENT_ID", default="")
AUTH0_ISSUER = env.str("AUTH0_ISSUER", default=f"https://{AUTH0_DOMAIN}/" if AUTH0_DOMAIN else "")
AUTH0_JWKS_URL = env.str(
    "AUTH0_JWKS_URL",
    default=f"https://{AUTH0_DOMAIN}/.well-known/jwks.json" if AUTH0_DOMAIN else "",
)
AUTH0_JWT_LEEWAY_SECONDS = env.int("AUTH0_JWT_LEEWAY_SECONDS", default=60)
# The longest an access token may be valid, from its `iat` to its `exp`: a
# token made to last for years is refused (Auth0's default lifetime is 24 h).
AUTH0_MAX_TOKEN_LIFETIME_SECONDS = env.int("AUTH0_MAX_TOKEN_LIFETIME_SECONDS", default=86400)
if AUTH0_MAX_TOKEN_LIFETIME_SECONDS < 1:
    raise ImproperlyConfigured("AUTH0_MAX_TOKEN_LIFETIME_SECONDS must be 1 or more.")
AUTH0_JWKS_CACHE_SECONDS = env.int("AUTH0_JWKS_CACHE_SECONDS", default=600)
AUTH0_JWKS_REFETCH_COOLDOWN_SECONDS = env.int("AUTH0_JWKS_REFETCH_COOLDOWN_SECONDS", default=300)
AUTH0_JWKS_RETRY_SECONDS = env.int("AUTH0_JWKS_RETRY_SECONDS", default=30)
AUTH0_JWKS_FETCH_TIMEOUT_SECONDS = env.float("AUTH0_JWKS_FETCH_TIMEOUT_SECONDS", default=5.0)
if not 0 < AUTH0_JWKS_FETCH_TIMEOUT_SECONDS <= 5:
    raise ImproperlyConfigured(
        "AUTH0_JWKS_FETCH_TIMEOUT_SECONDS must be more than 0 and at most 5."
    )
# Verified tokens are remembered this long in each process (0 turns it off).
AUTH_TOKEN_CACHE_SECONDS = env.int("AUTH_TOKEN_CACHE_SECONDS", default=60)

# Django admin: Auth0 sign-in with a Regular Web Application, roles from a claim.
AUTH0_ADMIN_CLIENT_ID = env.str("AUTH0_ADMIN_CLIENT_ID", default="")
AUTH0_ADMIN_CLIENT_SECRET = env.str("AUTH0_ADMIN_CLIENT_SECRET", default="")
AUTH0_ROLES_CLAIM = env.str("AUTH0_ROLES_CLAIM", default="https://toolsuite.example.com/roles")
AUTH0_SUPERUSER_ROLE = env.str("AUTH0_SUPERUSER_ROLE", default="suite-admin")
AUTH0_STAFF_ROLE = env.str("AUTH0_STAFF_ROLE", default="suite-staff")
# Local passwords in the admin: on by default only with DEBUG on; a
# production server signs its admins in through Auth0 unless told otherwise.
ADMIN_PASSWORD_LOGIN = env.bool("ADMIN_PASSWORD_LOGIN", default=DEBUG)
# Failed password sign-ins allowed per username from one client address, per
# address whatever the usernames, and per username from anywhere (much
# higher: the one limit a stranger could trip to lock an admin out), before
# each is refused for ADMIN_LOGIN_LOCKOUT_SECONDS from its first failure
# (counted in the shared cache: apps/core/auth/sign_in_limits.py).
if "ADMIN_LOGIN_FAILURES_PER_USERNAME" in env.ENVIRON:
    raise ImproperlyConfigured(
        "ADMIN_LOGIN_FAILURES_PER_USERNAME is no longer read: failures are now limited per "
        "username and address (ADMIN_LOGIN_FAILURES_PER_USERNAME_AND_ADDRESS, default 5) and "
        "per username from anywhere (ADMIN_LOGIN_FAILURES_PER_USERNAME_ANYWHERE, default 100); "
        "unset it (docs/auth.md)."
    )
ADMIN_LOGIN_FAILURES_PER_USERNAME_AND_ADDRESS = env.int(
    "ADMIN_LOGIN_FAILURES_PER_USERNAME_AND_ADDRESS", default=5
)
ADMIN_LOGIN_FAILURES_PER_ADDRESS = env.int("ADMIN_LOGIN_FAILURES_PER_ADDRESS", default=20)
ADMIN_LOGIN_FAILURES_PER_USERNAME_ANYWHERE = env.int(
    "ADMIN_LOGIN_FAILURES_PER_USERNAME_ANYWHERE", default=100
)
ADMIN_LOGIN_LOCKOUT_SECONDS = env.int("ADMIN_LOGIN_LOCKOUT_SECONDS", default=15 * 60)
if (
    min(
        ADMIN_LOGIN_FAILURES_PER_USERNAME_AND_ADDRESS,
        ADMIN_LOGIN_FAILURES_PER_ADDRESS,
        ADMIN_LOGIN_FAILURES_PER_USERNAME_ANYWHERE,
    )
    < 1
):
    raise ImproperlyConfigured(
        "ADMIN_LOGIN_FAILURES_PER_USERNAME_AND_ADDRESS, ADMIN_LOGIN_FAILURES_PER_ADDRESS and "
        "ADMIN_LOGIN_FAILURES_PER_USERNAME_ANYWHERE must be at least 1."
    )
if ADMIN_LOGIN_LOCKOUT_SECONDS < 1:
    raise ImproperlyConfigured("ADMIN_LOGIN_LOCKOUT_SECONDS must be at least 1 second.")

AUTHENTICATION_BACKENDS = [
    "social_core.backends.auth0_openidconnect.Auth0OpenIdConnectAuth",
    "apps.core.auth.admin_login.PasswordBackend",
]
SOCIAL_AUTH_AUTH0_OPENIDCONNECT_DOMAIN = AUTH0_DOMAIN
SOCIAL_AUTH_AUTH0_OPENIDCONNECT_KEY = AUTH0_ADMIN_CLIENT_ID
SOCIAL_AUTH_AUTH0_OPENIDCONNECT_SECRET = AUTH0_ADMIN_CLIENT_SECRET
SOCIAL_AUTH_AUTH0_OPENIDCONNECT_USE_PKCE = True
SOCIAL_AUTH_URL_NAMESPACE = "social"
SOCIAL_AUTH_LOGIN_REDIRECT_URL = "/admin/"
SOCIAL_AUTH_LOGIN_ERROR_URL = "/admin/login/"
SOCIAL_AUTH_PIPELINE = (
    "social_core.pipeline.social_auth.social_details",
    "social_core.pipeline.social_auth.social_uid",
    "social_core.pipeline.social_auth.auth_allowed",
    "social_core.pipeline.social_auth.social_user",
    "apps.core.auth.pipeline.user_by_external_id",
    "social_core.pipeline.social_auth.associate_user",
    "apps.core.auth.pipeline.apply_admin_roles",
)

# API rate limits per user and per anonymous address ("<n>/<second|minute|hour|day>";
# empty = no limit), counted in the shared cache.
API_THROTTLE_USER = env.str("API_THROTTLE_USER", default="1000/min") or None
API_THROTTLE_ANON = env.str("API_THROTTLE_ANON", default="60/min") or None
# Refused webhook deliveries (a bad signature, a replay, a body that is no
# JSON object) per sending address; past it, that address's next refusals are
# 429s, unlogged. A delivery that is taken is never counted nor held back.
WEBHOOK_REFUSALS_THROTTLE = env.str("WEBHOOK_REFUSALS_THROTTLE", default="20/min") or None
# The proxies in front of the app servers that add the address they were
# called from to X-Forwarded-For: an anonymous caller is counted by the address
# this many entries from the header's end. 0: by the socket's address, and the
# header (which any client can write) is ignored.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)
if NUM_PROXIES < 0:
    raise ImproperlyConfigured("NUM_PROXIES must be 0 or more.")
# Whether a request's X-Request-ID header is its id (in its audit entries and
# log lines): only when the proxy in front sets that header on every request,
# replacing any a client sent. Off, the suite makes its own id and logs a
# client's as `client_request_id`: a client's own id would file its entries
# under another request's. Not NUM_PROXIES: a proxy that appends to
# X-Forwarded-For passes a client's other headers on as they came.
TRUST_REQUEST_ID_HEADER = env.bool("TRUST_REQUEST_ID_HEADER", default=False)

# --- REST API -------------------------------------------------------------------------

# When true, a write to a record without If-Match (its ETag) is refused with
# 428 instead of proceeding: lost updates become impossible for every client.
API_REQUIRE_IF_MATCH = env.bool("API_REQUIRE_IF_MATCH", default=False)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        *(["apps.core.auth.dev.DevModeAuthentication"] if DEV_MODE else []),
        "apps.core.auth.authentication.Auth0JWTAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "apps.core.api.throttles.UserRateThrottle",
        "apps.core.api.throttles.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": API_THROTTLE_USER,
        "anon": API_THROTTLE_ANON,
        "webhook_refusals": WEBHOOK_REFUSALS_THROTTLE,
    },
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # DRF's JSON, written and read by orjson (apps/core/api/json.py).
    "DEFAULT_RENDERER_CLASSES": ["apps.core.api.json.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["apps.core.api.json.JSONParser"],
    # `?format=xml` is a 400 naming `format`, not DRF's 404.
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "apps.core.api.negotiation.ContentNegotiation",
    "DEFAULT_SCHEMA_CLASS": "apps.core.api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append(
        "apps.core.api.browsable.BrowsableAPIRenderer"
    )

# Bulk writes take at most this many items per request (more is a 400 before any work).
BULK_MAX_ITEMS = env.int("BULK_MAX_ITEMS", default=1000)
# A request body larger than this many bytes is a 413 (Django's default: 2.5 MiB).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
# An attachment's file may hold at most this many bytes (20 MB; more is a
# 400), and a record at most this many attachments.
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=20_000_000)
ATTACHMENT_MAX_PER_RECORD = env.int("ATTACHMENT_MAX_PER_RECORD", default=50)
# CSV exports read this many rows per query (with their tags) while streaming.
EXPORT_CHUNK_SIZE = env.int("EXPORT_CHUNK_SIZE", default=2000)

# List counts on PostgreSQL (apps/core/api/counts.py): an unfiltered list of a
# table with at least API_COUNT_ESTIMATE_THRESHOLD rows reports the planner's
# estimate; a filtered list counts exactly up to API_COUNT_CAP matches.
API_COUNT_ESTIMATE_THRESHOLD = env.int("API_COUNT_ESTIMATE_THRESHOLD", default=100_000)
API_COUNT_CAP = env.int("API_COUNT_CAP", default=1_000)

# --- Linear (apps/core/integrations/linear.py) ---------------------------------------------
# Records are linked to issues the suite creates in Linear. The API key goes in
# the Authorization header as it is; with no key or no team the integration is
# off (the manifest says so, and linking answers 503). The project is optional.

LINEAR_API_KEY = env.str("LINEAR_API_KEY", default="")
LINEAR_TEAM_ID = env.str("LINEAR_TEAM_ID", default="")
LINEAR_PROJECT_ID = env.str("LINEAR_PROJECT_ID", default="")
LINEAR_API_URL = env.str("LINEAR_API_URL", default="https://api.linear.app/graphql")
# A call to Linear holds the record's row lock (no second issue for it meanwhile):
# it fails after this many seconds.
LINEAR_TIMEOUT_SECONDS = env.float("LINEAR_TIMEOUT_SECONDS", default=10.0)
if LINEAR_TIMEOUT_SECONDS <= 0:
    raise ImproperlyConfigured("LINEAR_TIMEOUT_SECONDS must be more than 0 seconds.")

# True: the API's schema and its documentation pages (/api/schema/,
# /api/docs/, /api/redoc/) are anyone's; false (the default): only callers
# the API lets in and the admin's signed-in staff read them
# (apps/core/api/docs_access.py).
API_DOCS_PUBLIC = env.bool("API_DOCS_PUBLIC", default=False)

SPECTACULAR_SETTINGS = {
    "TITLE": "Toolsuite API",
    "DESCRIPTION": "One API for every tool of the suite. Each tool lives under /api/v1/<tool>/.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The API's first: a refusal asks for its Bearer token (a 401).
    "SERVE_AUTHENTICATION": [
        *REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"],
        "apps.core.api.docs_access.AdminSessionAuthentication",
    ],
    "SERVE_PERMISSIONS": ["apps.core.api.docs_access.CanReadApiDocs"],
    # Swagger UI and ReDoc from the suite's own static files (drf-spectacular-sidecar): the
    # docs pages fetch nothing from another host, which their Content-Security-Policy refuses
    # (apps/core/csp.py) and an air-gapped install cannot reach. Swagger UI's badge asking
    # validator.swagger.io is off; ReDoc's Google Fonts are left out of its page (RedocView).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    # Every entity's enums are named after it, `<Entity><Field>Enum` (apps/core/api/enum_names.py).
    "ENUM_NAME_OVERRIDES": EnumNameOverrides(
        {"PermissionLevelEnum": "apps.core.permissions.LEVELS"}
    ),
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums"],
}

# --- Background jobs (Celery) and inbound webhooks ------------------------------------
# docs/integrations.md. With no broker (the embedded default, and the tests) a
# task runs inline, in the process that enqueues it, once the transaction that
# enqueued it commits; with one (redis://host:6379/1) Celery workers run it.

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # Inline, a task's arguments still go through JSON, as to a worker; the
    # in-memory transport lends Celery a producer for that and connects nowhere.
    CELERY_BROKER_URL = "memory://"
# Inline, a task's error reaches the enqueuer, which logs it (results are not kept).
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged once it has run, so a worker that dies mid-task leaves
# it to another; each worker process holds one task at a time.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that does not answer fails an enqueue within about two seconds
# (logged; the work stays in the database for `manage.py process_webhooks`),
# rather than holding the request that enqueued it.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}

# The shared secret a webhook source's signature is checked with, by setting
# name: WEBHOOK_SECRET unless the source names its own. Empty: the source's
# deliveries are refused (503), never accepted unsigned.
WEBHOOK_SECRET = env.str("WEBHOOK_SECRET", default="")
LINEAR_WEBHOOK_SECRET = env.str("LINEAR_WEBHOOK_SECRET", default="")
# Attempts at processing a delivery before it is left FAILED (with a broker).
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=5)
if WEBHOOK_MAX_ATTEMPTS < 1:
    raise ImproperlyConfigured("WEBHOOK_MAX_ATTEMPTS must be at least 1.")
# Days processed deliveries are kept before the schedule's purge removes them;
# 0 keeps them for ever. Longer than any sender retries: a purged delivery
# sent again is no longer recognised.
WEBHOOK_RETENTION_DAYS = env.int("WEBHOOK_RETENTION_DAYS", default=30)
if not 0 <= WEBHOOK_RETENTION_DAYS <= 36_500:
    raise ImproperlyConfigured("WEBHOOK_RETENTION_DAYS must be 0 (keep) to 36500 days.")

# The time of day (UTC) of the beat's daily tasks (its schedule: suite/celery.py).
DAILY_TASKS_HOUR, DAILY_TASKS_MINUTE = env.time_of_day("DAILY_TASKS_AT", default="03:00")

# --- Internationalisation and static files -----------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# The web app's build, once there is one: Vite names its assets for
# /static/app/ (its `base`), and collectstatic copies them with the rest.
STATICFILES_DIRS = [("app", FRONTEND_DIST)] if FRONTEND_DIST.is_dir() else []
# Vite's assets carry a hash of their content in their name
# (`index-B3x9Qz1a.js`; the build ships no source maps): cached for good
# by browsers and proxies. The page naming them is `app_shell`'s, asked for
# again at every load (no-cache), so a deploy's new names are found at once.
WHITENOISE_IMMUTABLE_FILE_TEST = rf"^/{STATIC_URL}app/assets/[^/]+-[A-Za-z0-9_-]{{8}}(\.\w+)+$"
# Attachments' files (apps/core/attachments.py) are kept by the default
# storage, read only through the API. Embedded: a folder, MEDIA_ROOT. Many
# app servers need storage they share: S3 or any S3-compatible store through
# django-storages (`MEDIA_STORAGE=storages.backends.s3.S3Storage`, its
# options such as the bucket as JSON in MEDIA_STORAGE_OPTIONS; see
# docs/deployment.md). No MEDIA_URL: no file is ever served by its path.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default="") or BASE_DIR / "var" / "media")
STORAGES = {
    "default": {
        "BACKEND": env.str("MEDIA_STORAGE", default="django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env.json("MEDIA_STORAGE_OPTIONS", default={}),
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- Security (production) -------------------------------------------------------------------

SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# With DEBUG off, a request over plain HTTP is redirected to HTTPS (as the
# TLS proxy's X-Forwarded-Proto tells), and browsers are told to use HTTPS
# only for a year. The health checks are answered over HTTP too: a load
# balancer or Docker asks for them on the container's port.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^health(/ready)?$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_CONTENT_TYPE_NOSNIFF = True

SILENCED_SYSTEM_CHECKS = [
    # "CsrfViewMiddleware is not in MIDDLEWARE": it is, as PageCsrfViewMiddleware
    # (apps/core/middleware.py), a subclass that checks every page and skips
    # the API, whose token is no cookie; Django's check looks for the name.
    "security.W003",
]

# --- Logging -----------------------------------------------------------------------------------

# One JSON object per line on stderr, each with its time, level, logger and
# request id; one line per request (`apps.core.access`) with its user,
# method, full path, status and duration (apps/core/logs.py; docs/deployment.md, "Logs").
LOG_LEVEL = env.choice(
    "LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"), default="INFO"
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    **JSON_CONSOLE,
    "filters": {"without_status_lines": {"()": "apps.core.logs.WithoutStatusLines"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own handlers (a console in DEBUG, mail to ADMINS) give way to the root's.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # Its line per 4xx/5xx response, and runserver's per request, repeat the access line.
        "django.request": {"filters": ["without_status_lines"]},
        "django.server": {"handlers": [], "filters": ["without_status_lines"], "propagate": True},
    },
}
