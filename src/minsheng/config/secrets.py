"""`minsheng init-secrets`: write the secrets of a local run once (before settings can load)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from minsheng.core.crypto import generate_key


def init_secrets(var_dir: Path) -> Path:
    """Create `<var>/secrets.env` if missing; never overwrite (the data keys decrypt the data)."""
    path = Path(os.environ.get("MINSHENG_SECRETS_FILE", var_dir / "secrets.env"))
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    body = (
        "# Secrets of this local Minsheng instance. Keep a copy: without the data keys the\n"
        "# personal data in the database cannot be read. Production sets these in the environment.\n"
        f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
        f"MINSHENG_DATA_KEYS=1:{generate_key()}\n"
        f"MINSHENG_LOOKUP_KEY={generate_key()}\n"
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(body)
    return path
