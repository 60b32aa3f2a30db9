"""Settings for the test suite: the environment's database (SQLite unless DATABASE_URL says
otherwise), fast password hashing, and no secure-only cookies on the plain-HTTP live server."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key")

from kam.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
# The live server of the browser tests serves static files through the finders.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
# Tasks run in-process in the suite whatever REDIS_URL says, so that a test sees a job's effect
# at once; the job tests switch to the real broker and a real worker (tests/workers.py) where that
# is what they test.
CELERY_TASK_ALWAYS_EAGER = True
# A cache of its own per run: what one run caches (recently opened records, by user id) must not
# show up in the next, whose users get the same ids again.
CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": f"tests-{os.getpid()}"}}  # noqa: F405
