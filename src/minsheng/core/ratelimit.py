"""Bounded public intake: at most `limit` hits per key in each window (R22 Art. 26 orders petitions
to stay orderly; we keep the doors open to everyone by keeping any one sender from flooding them).

`hit()` counts and answers whether the request may go on; callers answer 429 with
`RateLimited.message` when it may not, and create nothing.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import gettext as _

from minsheng.core.models import RateCounter


@dataclass(frozen=True)
class Limit:
    scope: str
    limit: int
    window_seconds: int


class RateLimited(Exception):
    def __init__(self, limit: Limit, retry_after: int) -> None:
        self.limit = limit
        self.retry_after = retry_after
        self.message = _("提交过于频繁：每 %(minutes)d 分钟最多 %(limit)d 次。请 %(retry)d 秒后再试。") % {
            "minutes": max(1, limit.window_seconds // 60),
            "limit": limit.limit,
            "retry": retry_after,
        }
        super().__init__(self.message)


def _key(limit: Limit, identity: str) -> str:
    # Hashed: the table must not become a list of who contacted us (addresses, phones).
    return f"{limit.scope}:{hashlib.sha256(identity.encode()).hexdigest()[:40]}"


def hit(limit: Limit, identity: str, *, now: float | None = None) -> None:
    """Count one request of `identity` against `limit`; raise RateLimited when over it."""
    now = time.time() if now is None else now
    window = int(now // limit.window_seconds) * limit.window_seconds
    key = _key(limit, identity)
    with transaction.atomic():
        updated = RateCounter.objects.filter(key=key, window=window).update(count=F("count") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=key, window=window, count=1)
            except IntegrityError:
                RateCounter.objects.filter(key=key, window=window).update(count=F("count") + 1)
        count = RateCounter.objects.get(key=key, window=window).count
    if count > limit.limit:
        raise RateLimited(limit, retry_after=int(window + limit.window_seconds - now) + 1)


def client_address(request: HttpRequest) -> str:
    """The caller's address. Behind a proxy set it to pass the real address in REMOTE_ADDR."""
    return request.META.get("REMOTE_ADDR", "")


def purge_old_counters(*, older_than_seconds: int = 86400) -> int:
    cutoff = time.time() - older_than_seconds
    deleted, _ = RateCounter.objects.filter(window__lt=cutoff).delete()
    return deleted
