"""The one door to the task queue: callers never touch Huey directly, so the broker can change."""

from __future__ import annotations

from typing import Any

from django.db import transaction


def enqueue(task: Any, *args: Any, **kwargs: Any) -> None:
    """Queue `task` once the current transaction commits (never for a change that rolled back)."""
    transaction.on_commit(lambda: task(*args, **kwargs))
