"""Test settings: the same base, with the environment the test suite needs."""

import os

os.environ.setdefault("ONCOPARCOURS_SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("ONCOPARCOURS_EXPORT_PEPPER", "test-only-export-pepper")
os.environ.setdefault("ONCOPARCOURS_HTTPS", "false")
os.environ.setdefault(
    "ONCOPARCOURS_STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage"
)

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {}
    DATABASES["default"]["TEST"] = {"NAME": None}
