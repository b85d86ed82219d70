"""Settings shared by every environment. Differences come only from environment variables."""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.settings.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("ONCOPARCOURS_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("ONCOPARCOURS_DEBUG", False)
# The demo sets its own throw-away key; production must provide one.
SECRET_KEY = env_str("ONCOPARCOURS_SECRET_KEY")
ALLOWED_HOSTS = env_list("ONCOPARCOURS_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("ONCOPARCOURS_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "dsfr",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "oncoparcours.core",
    "oncoparcours.accounts",
    "oncoparcours.organisations",
    "oncoparcours.territories",
    "oncoparcours.patients",
    "oncoparcours.coordination",
    "oncoparcours.notifications",
    "oncoparcours.regulation",
    "oncoparcours.professionals",
    "oncoparcours.directory",
    "oncoparcours.pathways",
    "oncoparcours.payments",
    "oncoparcours.assessments",
    "oncoparcours.reports",
    "oncoparcours.evaluation",
    "oncoparcours.funding",
    "oncoparcours.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "oncoparcours.accounts.middleware.ActiveMembershipMiddleware",
    "oncoparcours.accounts.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oncoparcours.accounts.context_processors.active_membership",
                "oncoparcours.accounts.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'oncoparcours.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes (the demo runs both on one file).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Staff roles must pass a TOTP second factor; the demo may relax it (docs/configuration.md).
ONCOPARCOURS_REQUIRE_2FA = env_bool("ONCOPARCOURS_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = "OncoParcours"

# Login throttling (django-axes): lock an email+IP pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("ONCOPARCOURS_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("ONCOPARCOURS_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "ONCOPARCOURS_STATICFILES_STORAGE",
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
MEDIA_ROOT = Path(env_str("ONCOPARCOURS_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"

# Security: secure by default; TLS-dependent flags follow ONCOPARCOURS_HTTPS.
HTTPS = env_bool("ONCOPARCOURS_HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("ONCOPARCOURS_SESSION_SECONDS", 8 * 3600)
SECURE_SSL_REDIRECT = HTTPS and env_bool("ONCOPARCOURS_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("ONCOPARCOURS_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

_EMAIL_BACKEND = env_str(
    "ONCOPARCOURS_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
_EMAIL_OPTIONS: dict[str, object] = {}
if _EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    _EMAIL_OPTIONS = {
        "host": env_str("ONCOPARCOURS_EMAIL_HOST", "localhost"),
        "port": env_int("ONCOPARCOURS_EMAIL_PORT", 25),
        "username": env_str("ONCOPARCOURS_EMAIL_USER", ""),
        "password": env_str("ONCOPARCOURS_EMAIL_PASSWORD", ""),
        "use_tls": env_bool("ONCOPARCOURS_EMAIL_TLS", False),
        "timeout": 10,
    }
elif _EMAIL_BACKEND.endswith("filebased.EmailBackend"):
    _EMAIL_OPTIONS = {"file_path": str(VAR_DIR / "emails")}
MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND, "OPTIONS": _EMAIL_OPTIONS}}
DEFAULT_FROM_EMAIL = env_str(
    "ONCOPARCOURS_FROM_EMAIL", "OncoParcours <ne-pas-repondre@oncoparcours.invalid>"
)

# SMS delivery: "console" (logs a redacted line), "file" (writes to $VAR_DIR/sms/, the demo) or
# the dotted path of a class implementing oncoparcours.notifications.backends.SmsChannel.
ONCOPARCOURS_SMS_BACKEND = env_str("ONCOPARCOURS_SMS_BACKEND", "console")

# Reports to the prescriber and the médecin traitant (docs/reports.md): "mssante_file" writes
# each message (.eml + metadata .json) to ONCOPARCOURS_MSSANTE_OUTBOX for an MSSanté connector;
# "email" sends it through the default mailer (in production an MSSanté operator's SMTP relay).
ONCOPARCOURS_REPORT_CHANNEL = env_str("ONCOPARCOURS_REPORT_CHANNEL", "mssante_file")
ONCOPARCOURS_MSSANTE_OUTBOX = Path(
    env_str("ONCOPARCOURS_MSSANTE_OUTBOX", str(VAR_DIR / "mssante-outbox"))
)
# The sender of the reports (the structure's MSSanté address in production); empty: the
# default sender (ONCOPARCOURS_FROM_EMAIL).
ONCOPARCOURS_REPORT_FROM_EMAIL = env_str("ONCOPARCOURS_REPORT_FROM_EMAIL", "")

# Background jobs (Celery). The demo uses a broker on the local file system (no server);
# production points at RabbitMQ or Redis (docs/architecture.md, docs/decisions.md).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "queue"
    # The file-system transport expects its folders to exist (web and worker processes alike).
    for _sub in ("messages", "processed", "control"):
        (_queue_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "messages"),
        "data_folder_out": str(_queue_dir / "messages"),
        "processed_folder": str(_queue_dir / "processed"),
        "store_processed": False,
        "control_folder": str(_queue_dir / "control"),
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "oncoparcours.core.tasks.record_worker_heartbeat",
        "schedule": env_int("ONCOPARCOURS_HEARTBEAT_SECONDS", 60),
    },
    # PSG-06: pathways past their deadline expire; coordinators get reminder tasks.
    "pathways-expire": {
        "task": "oncoparcours.pathways.tasks.expire_due_pathways",
        "schedule": crontab(hour=1, minute=15),
    },
    "pathways-remind": {
        "task": "oncoparcours.pathways.tasks.remind_coordinators",
        "schedule": crontab(hour=6, minute=30),
    },
    # PSG-14: on the 1st, the previous month's payment statements are drafted for each
    # structure (the coordinator checks and validates them).
    "payments-prepare": {
        "task": "oncoparcours.payments.tasks.prepare_previous_month",
        "schedule": crontab(day_of_month="1", hour=2, minute=0),
    },
    # Evaluation result files past ONCOPARCOURS_EXPORT_RETENTION_DAYS are deleted.
    "evaluation-purge-results": {
        "task": "oncoparcours.evaluation.tasks.purge_expired_results",
        "schedule": crontab(hour=3, minute=30),
    },
}
# /healthz reports the queue as stale when no heartbeat came within this many seconds.
ONCOPARCOURS_HEARTBEAT_STALE_SECONDS = env_int("ONCOPARCOURS_HEARTBEAT_STALE_SECONDS", 300)

# Demo: prints the demo accounts and allows their well-known password.
ONCOPARCOURS_DEMO = env_bool("ONCOPARCOURS_DEMO", False)

# Directory entries not verified for this many months are flagged "à vérifier" (issue 5 §4).
DIRECTORY_VERIFICATION_MONTHS = env_int("ONCOPARCOURS_DIRECTORY_VERIFICATION_MONTHS", 12)

# Pseudonymised evaluation export (issue 6 §5, docs/pseudonymised-export.md). The pepper keys the
# patients' pseudonyms: required like SECRET_KEY, a secret of its own (rotating one must not
# change the other), never written to an export, a log or the database.
ONCOPARCOURS_EXPORT_PEPPER = env_str("ONCOPARCOURS_EXPORT_PEPPER")
# k-anonymity on the quasi-identifiers: at least 5 (the issue's floor), more if the ARS asks.
ONCOPARCOURS_EXPORT_K = env_int("ONCOPARCOURS_EXPORT_K", 5)
if ONCOPARCOURS_EXPORT_K < 5:
    raise ImproperlyConfigured("ONCOPARCOURS_EXPORT_K must be at least 5.")
# Result files of evaluation jobs are deleted after this many days (the job and its counts stay).
ONCOPARCOURS_EXPORT_RETENTION_DAYS = env_int("ONCOPARCOURS_EXPORT_RETENTION_DAYS", 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("ONCOPARCOURS_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50
