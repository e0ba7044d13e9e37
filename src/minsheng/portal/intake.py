"""Bounded public intake (R22 Art. 26 keeps petitioning orderly; we keep the doors open to all by
keeping any one sender from flooding them).

Every public POST counts against a per-address limit before anything is parsed; views add a
per-identity limit (a phone, a receipt locator) once they know it. Over a limit the answer is 429
with the limit's own message, and nothing is created.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from minsheng.core.crypto import lookup_hash
from minsheng.core.ratelimit import Limit, RateLimited, client_address, hit

View = Callable[..., HttpResponse]


def too_many(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = render(request, "portal/too_many.html", {"message": exc.message}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def bounded(*limits: Limit) -> Callable[[View], View]:
    """Count each POST against `limits` per client address; turn RateLimited anywhere in the view
    (per-identity limits) into the 429 page."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                if request.method == "POST":
                    for limit in limits:
                        hit(limit, client_address(request))
                return view(request, *args, **kwargs)
            except RateLimited as exc:
                return too_many(request, exc)

        return wrapper

    return decorate


def hit_identity(limit: Limit, kind: str, value: str) -> None:
    """Count one request of a person identified by `value` (a phone, a code); keyed, never stored plain."""
    if value:
        hit(limit, lookup_hash(f"ratelimit:{kind}", value))
