"""Settings for every profile, read from the environment (django-environ).

Profiles: ``demo`` (one-command demo on a laptop), ``test`` (the suite) and
``production``. Anything secret or deployment-specific comes from the environment.
"""

from pathlib import Path

import environ

from wbs import observability

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = Path(__file__).resolve().parent

env = environ.Env()
PROFILE = env.str("WBS_PROFILE", default="production")
if PROFILE not in {"demo", "test", "production"}:
    raise environ.ImproperlyConfigured(f"WBS_PROFILE must be demo, test or production, not {PROFILE!r}")
IS_PRODUCTION = PROFILE == "production"

DATA_DIR = Path(env.str("WBS_DATA_DIR", default=str(REPO_ROOT / ".wbs-data")))

SECRET_KEY = (
    env.str("SECRET_KEY") if IS_PRODUCTION else env.str("SECRET_KEY", default=f"insecure-{PROFILE}-key")
)
DEBUG = env.bool("DEBUG", default=False)

# Host names: the operator console lives on the base domain, each tenant on
# <slug>.<base domain> or a custom domain. The tenant middleware is the gate for
# unknown hosts (a clear 404), so ALLOWED_HOSTS only has to stop garbage.
WBS_BASE_DOMAIN = env.str("WBS_BASE_DOMAIN", default="localhost").lower()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])
# How links to tenant hosts are written (invitations, the demo's printed URLs).
WBS_URL_SCHEME = env.str("WBS_URL_SCHEME", default="https" if IS_PRODUCTION else "http")
WBS_URL_PORT = env.str("WBS_URL_PORT", default="")

# --- Tenancy (django-tenants: one PostgreSQL schema per inspectorate) ---------
SHARED_APPS = [
    "django_tenants",
    "tenants",
    "billing",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "tenants.accounts",
    "wbs.console",
    "wbs",  # the platform: composes the apps; management commands (wbs migrate, demo, bench)
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "rest_framework.authtoken",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "tenants.accounts",
    "tenants.audit",
    "intake",
    "casework",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "wbs.urls_public"
ROOT_URLCONF = "wbs.urls_tenant"
# Issue SET search_path once per connection and schema, not once per cursor.
TENANT_LIMIT_SET_CALLS = True
TENANT_MULTIPROCESSING_MAX_PROCESSES = env.int("WBS_MIGRATE_PROCESSES", default=2)
# The schema every new tenant is replayed from (see tenants/schema_template.py).
WBS_TEMPLATE_SCHEMA = "wbs_template"
# How long a process trusts its host-to-tenant cache without hearing of a change.
WBS_ROUTING_CACHE_SECONDS = env.int("WBS_ROUTING_CACHE_SECONDS", default=300)

DATABASES = {"default": env.db("DATABASE_URL", default="postgres:///wbs")}
DATABASES["default"]["ENGINE"] = "tenants.db_backend"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=0 if PROFILE == "test" else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# psycopg prepares a statement that has run five times on a connection through a cursor that
# binds on the server: only a report's arrival runs on one (tenants/linked_insert.py),
# which then skips parsing and planning (about a third of its database CPU). Django's
# own cursors bind client-side and never prepare. Set DB_PREPARED_STATEMENTS=off
# behind a connection pooler that cannot keep prepared statements (pgbouncer in
# transaction mode before 1.21).
if env.bool("DB_PREPARED_STATEMENTS", default=True):
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

MIDDLEWARE = [
    "tenants.middleware.TenantRoutingMiddleware",
    "tenants.api_base.NoStoreAPIResponses",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tenants.locale.TenantLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "wbs.csrf.NullOriginFromOwnPagesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tenants.accounts.staff_sessions.StaffSessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenants.context_processors.current_tenant",
            ],
        },
    }
]
WSGI_APPLICATION = "wbs.wsgi.application"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = (
    ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed in tests only
    if PROFILE == "test"
    else ["django.contrib.auth.hashers.Argon2PasswordHasher"]
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "staff-login"
# Staff and operators sign in with a password and a TOTP code (tenants/accounts/staff_sessions.py).
# Failed attempts are slowed per account and address (tenants.accounts.sign_in_throttle), which
# is the only throttle: django-otp's own per-device delay would let strangers slow the real person.
OTP_TOTP_THROTTLE_FACTOR = 0
# Proxies in front of the application that append the client's address to X-Forwarded-For
# (the load balancer): staff sign-in throttling counts per client address.
WBS_TRUSTED_PROXIES = env.int("WBS_TRUSTED_PROXIES", default=0)

# Sessions live in each tenant's own schema and cookies are host-only, so a
# login on one tenant is worthless on another.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# "__Host-" cookies are refused by browsers unless Secure, host-only and path=/.
SESSION_COOKIE_NAME = "__Host-wbs_session" if IS_PRODUCTION else "wbs_session"
CSRF_COOKIE_NAME = "__Host-csrftoken" if IS_PRODUCTION else "csrftoken"
# A reporter's mailbox session (intake.portal_views), set with Path=/ and no Domain.
WBS_MAILBOX_COOKIE_NAME = "__Host-wbs_mailbox" if IS_PRODUCTION else "wbs_mailbox"
# The CSRF cookie ends with the browser: the portal promises reporters that their browser
# keeps nothing, and Django's default would keep it for a year.
CSRF_COOKIE_AGE = None
SESSION_COOKIE_DOMAIN = None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Staff sessions end at browser close, after 30 minutes without a request and, at
# the latest, SESSION_COOKIE_AGE after signing in (tenants.accounts.staff_sessions).
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
WBS_STAFF_IDLE_TIMEOUT_SECONDS = 30 * 60
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = IS_PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "no-referrer"
X_FRAME_OPTIONS = "DENY"
# No inline script anywhere; nothing loads from other origins; no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
if IS_PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Plain HTTP is redirected to HTTPS, except the load balancer's health check.
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [REPO_ROOT / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
if not IS_PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise serves from finders; it wants the folder
MEDIA_ROOT = Path(env.str("WBS_MEDIA_ROOT", default=str(DATA_DIR / "media")))
MEDIA_URL = "/media/"
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"  # MEDIA_ROOT/<schema>/

# --- What an anonymous sender pays (intake/proof_of_work.py) ---------------------
# Proof of work: the sender tries about max_number / 2 SHA-256 hashes; verifying is one.
# Production's figure takes a mid-range phone about a second (measured: see the module).
# Tests use a small one: checking a token costs the same whatever the figure.
WBS_PROOF_OF_WORK_MAX_NUMBER = env.int(
    "WBS_PROOF_OF_WORK_MAX_NUMBER", default=500 if PROFILE == "test" else 50_000
)
# A portal form sent without JavaScript counts once this long after it was served.
WBS_FORM_TOKEN_WAIT_SECONDS = env.int("WBS_FORM_TOKEN_WAIT_SECONDS", default=0 if PROFILE == "test" else 10)

# --- File storage, always under the current tenant's prefix ------------------
WBS_STORAGE = env.str("WBS_STORAGE", default="filesystem")
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="wbs-evidence")
AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=None)
AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="ap-southeast-3")
AWS_DEFAULT_ACL = None
AWS_QUERYSTRING_AUTH = True
AWS_QUERYSTRING_EXPIRE = 300
AWS_S3_FILE_OVERWRITE = False
AWS_S3_OBJECT_PARAMETERS = {"ServerSideEncryption": env.str("AWS_S3_SSE", default="AES256")}
STORAGES = {
    "default": {
        "BACKEND": "tenants.storage.TenantS3Storage"
        if WBS_STORAGE == "s3"
        else "tenants.storage.TenantFileSystemStorage"
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if not IS_PRODUCTION  # production runs collectstatic; the demo and tests serve from the apps
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = PROFILE != "production"

# --- Encryption at rest (intake/encryption.py) -----------------------------------
# Key-encryption keys: base64 of 32 random bytes each; the first wraps new keys,
# the others are still accepted for unwrapping while a rotation is under way.
WBS_KEY_ENCRYPTION_KEYS = env.list("WBS_KEY_ENCRYPTION_KEYS", default=[])
WBS_KMS_KEY_ID = env.str("WBS_KMS_KEY_ID", default="")
if IS_PRODUCTION and not (WBS_KEY_ENCRYPTION_KEYS or WBS_KMS_KEY_ID):
    raise environ.ImproperlyConfigured("Set WBS_KEY_ENCRYPTION_KEYS or WBS_KMS_KEY_ID in production")

# --- Cache and queue ----------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        # Every key carries the schema it was written in (django-tenants).
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        "KEY_PREFIX": "wbs",
    }
}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL or env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = {
    "staff-digests": {"task": "intake.tasks.send_staff_digests_due", "schedule": 300.0},
    "deadline-reminders": {"task": "casework.tasks.send_reminders_due", "schedule": 300.0},
    "retention": {"task": "casework.tasks.shred_expired_cases_due", "schedule": 3600.0},
    # Reporters' actions of a finished day reach the audit trail (intake/services/reporter_traces.py).
    "reporter-traces": {"task": "intake.tasks.settle_reporter_traces_due", "schedule": 900.0},
}
# Task modules not named tasks.py, which autodiscovery would miss.
CELERY_IMPORTS = ["wbs.metering"]
# Uploads: form fields stay small; files are limited per tenant by the intake service.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# --- API -------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    # Staff on their tenant's host, signed in with both factors; endpoints for
    # reporters and operators name their own permissions.
    "DEFAULT_PERMISSION_CLASSES": ["tenants.accounts.staff_sessions.IsVerifiedStaff"],
    "EXCEPTION_HANDLER": "tenants.api_base.exception_handler",
    # JSON nested deeper than the decoder goes is a 400 on every endpoint, not a 500.
    "DEFAULT_PARSER_CLASSES": [
        "tenants.json_parser.WholeBodyJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    # Swagger UI from our own static files (no CDN), its init script a file (CSP allows no inline script).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "TITLE": "WBS API",
    "DESCRIPTION": "Whistle Blowing System for Indonesian regional inspectorates",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# --- Mail ----------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if IS_PRODUCTION
    else "django.core.mail.backends.locmem.EmailBackend"
    if PROFILE == "test"
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"no-reply@{WBS_BASE_DOMAIN}")

# --- Logging: never the client's address or user agent -------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_client_details": {"()": "wbs.observability.DropClientDetails"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["no_client_details"]}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Request lines of the development server and 4xx/5xx warnings carry the
        # request object; keep them at WARNING and scrubbed by the filter above.
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
    },
}

SENTRY_DSN = env.str("SENTRY_DSN", default="")
observability.init_sentry(dsn=SENTRY_DSN, environment=PROFILE)
