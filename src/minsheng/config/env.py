"""Tiny typed readers of the environment (the Healthchecks way): settings hold deployment facts only.

Secrets may also come from a `KEY=value` file named by `MINSHENG_SECRETS_FILE` (default
`<var>/secrets.env`, written once by `minsheng init-secrets` for local runs); the real environment
always wins over the file.
"""

from __future__ import annotations

import os
from pathlib import Path

_file_values: dict[str, str] = {}


def load_secrets_file(path: Path) -> None:
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        _file_values[key.strip()] = value.strip()


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, _file_values.get(name, default))


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name, "")
    if value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name: str, default: int) -> int:
    value = env_str(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be an integer, not {value!r}") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = env_str(name, "")
    if value == "":
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]
