"""Settings for the test suite: the real settings with fixed test keys and a scratch directory.

DATABASE_URL is honoured, so the same suite runs on SQLite (default) and PostgreSQL (CI).
"""

import os
import tempfile

os.environ.setdefault("MINSHENG_ENV", "test")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
# Fixed keys for tests only (32 bytes each, base64).
os.environ.setdefault("MINSHENG_DATA_KEYS", "1:dGVzdC1vbmx5LWRhdGEta2V5LTEtMzItYnl0ZXMtISE=")
os.environ.setdefault("MINSHENG_LOOKUP_KEY", "dGVzdC1vbmx5LWxvb2t1cC1rZXktMzItYnl0ZXMtISE=")
os.environ.setdefault("MINSHENG_VAR", tempfile.mkdtemp(prefix="minsheng-test-"))
os.environ.setdefault("HUEY_IMMEDIATE", "1")

from minsheng.config.settings import *  # noqa: F403

# Tests render pages without collectstatic: serve static files from the finders.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405

# Argon2 still, at the lowest cost: the fixtures create a dozen staff per test.
PASSWORD_HASHERS = ["minsheng.config.settings_test.FastArgon2PasswordHasher"]

from django.contrib.auth.hashers import Argon2PasswordHasher  # noqa: E402


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 256
    parallelism = 1


STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - whitenoise warns when it is absent
