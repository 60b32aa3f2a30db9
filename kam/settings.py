"""KAM settings. Every value that differs between machines comes from the environment
(see .env.example); with nothing set, KAM runs on a SQLite file with in-process jobs."""

from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kam.lib.env import env_bool, env_database, env_int, env_list, env_redis_url, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
    SECRET_KEY = "insecure-development-key-only-for-debug"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_countries",
    "simple_history",
    "kam",
    "accounts",
    "stakeholders",
    "planning",
    "kam.top",
    "kam.top.search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who changed a record, when a service does not name its actor (kam/lib/history.py).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kam.top.search.recent.RecentRecordsMiddleware",
]

ROOT_URLCONF = "kam.urls"
WSGI_APPLICATION = "kam.wsgi.application"

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
                "django.template.context_processors.i18n",
                "kam.top.context_processors.kam",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Search's typo tolerance (kam/top/search/backends.py): a word at least this similar to a
    # word of a name is a candidate ("Vogle" for Vogel is 0.5; pg_trgm's default is 0.6).
    DATABASES["default"]["OPTIONS"]["options"] += " -c pg_trgm.word_similarity_threshold=0.5"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "kam.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

REDIS_URL = env_redis_url("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Without a broker the app still works: tasks run in-process (and the management
# command `run_jobs` runs the periodic ones on demand).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A job held by a worker that died (acks_late) goes back to the queue after this many seconds;
    # it must exceed the longest job. The restore sweep runs this often too.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    "unacked_restore_interval": min(10, env_int("CELERY_VISIBILITY_TIMEOUT", 3600)),
    "unacked_restore_throttle": 1,
}
CELERY_RESULT_EXPIRES = 24 * 3600
# The jobs (kam/jobs.py, kam/top/tasks.py, stakeholders/tasks.py); times in TIME_ZONE.
CELERY_BEAT_SCHEDULE = {
    "potential-snapshot-nightly": {
        "task": "kam.top.tasks.potential_snapshot_task",
        "schedule": crontab(hour=2, minute=0),
    },
    # Groups changed while no worker was reachable (the outbox), every five minutes.
    "potential-catch-up": {"task": "kam.top.tasks.potential_catch_up_task", "schedule": 300.0},
    "relationship-decay-daily": {
        "task": "stakeholders.tasks.relationship_decay_task",
        "schedule": crontab(hour=5, minute=30),
    },
    "alert-digest-daily": {"task": "stakeholders.tasks.alert_digest_task", "schedule": crontab(hour=7, minute=0)},
    # What has been in the trash for longer than KAM_TRASH_DAYS is gone for good (kam/lib/trash.py).
    "trash-purge-daily": {"task": "kam.tasks.purge_trash_task", "schedule": crontab(hour=3, minute=30)},
}

email_host = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if email_host else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = email_host or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "KAM <kam@localhost>")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that a bad token answers 401 with WWW-Authenticate rather than 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "kam.lib.api_schema.RecordAutoSchema",
    "EXCEPTION_HANDLER": "kam.lib.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "KAM API",
    "DESCRIPTION": "Key account management: customer groups, people, relationships and plans.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several resources have a field called "kind" with different choices: name each set.
    "ENUM_NAME_OVERRIDES": {
        "AccountKindEnum": "accounts.models.Account.Kind",
        "InfluenceLinkKindEnum": "stakeholders.models.InfluenceLink.Kind",
        "InteractionKindEnum": "stakeholders.models.Interaction.Kind",
        "GiveKindEnum": "stakeholders.models.Give.Kind",
        "RelationshipStatusEnum": "stakeholders.models.Relationship.Status",
        "AlertKindEnum": "stakeholders.models.Alert.Kind",
    },
}

KAM_CURRENCY = env_str("KAM_CURRENCY", "EUR")
# The visibility rule (kam/visibility.py): leadership and admins read every account, admins write
# every account; every other role reaches what the scopes named for it give it. Each scope is a
# function user -> subquery of account ids, supplied by the app that knows why.
KAM_ACCOUNT_MODEL = "accounts.Account"
KAM_READ_SCOPES = {
    "kam": ["accounts.scopes.owned_or_team_subtrees"],
    "regional": ["planning.scopes.accounts_with_open_tasks"],
}
KAM_WRITE_SCOPES = {
    "kam": ["accounts.scopes.owned_or_team_subtrees"],
}
# Where users reach KAM, for the links in mails (the alert digest).
KAM_SITE_URL = env_str("KAM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
KAM_PAGE_SIZE = 25
# How long a deleted person, contact, give or figure waits in the trash before the purge job.
KAM_TRASH_DAYS = env_int("KAM_TRASH_DAYS", 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
