"""Following a matter without an account: the query code (80 bits, only its keyed hash stored)
and, when a phone was given, the last four digits of that phone as a second factor."""

from __future__ import annotations

import hmac
import time
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from minsheng.petitions.events import ACTION_LABELS
from minsheng.petitions.models import Petition, PetitionEvent
from minsheng.petitions.services import normalise_query_code, query_code_hash

UNLOCK_SECONDS = 30 * 60


def petition_by_code(*, code: str, phone_last4: str) -> Petition | None:
    """The petition the code opens, or None: a wrong code and a wrong phone look the same."""
    if len(normalise_query_code(code)) != 16:
        return None
    petition = (
        Petition.objects.filter(query_code_hash=query_code_hash(code), accusation__isnull=True)
        .prefetch_related("petitioners")
        .first()
    )
    if petition is None:
        return None
    phones = [p.phone for p in petition.petitioners.all() if p.phone]
    if petition.proxy_phone:
        phones.append(petition.proxy_phone)
    last4 = (phone_last4 or "").strip()
    if phones and not any(hmac.compare_digest(phone[-4:], last4) for phone in phones):
        return None
    return petition


def public_timeline(petition: Petition) -> QuerySet[PetitionEvent]:
    """The steps a petitioner sees: public events only, with their date and unit, no staff names."""
    return petition.events.filter(public=True).select_related("unit").order_by("at", "id")


def labelled(events: QuerySet[PetitionEvent]) -> list[PetitionEvent]:
    rows = list(events)
    for event in rows:
        event.label = ACTION_LABELS.get(event.action, event.action)  # type: ignore[attr-defined]
    return rows


# --- What this browser has unlocked (the session holds ids and expiry times, never codes) ----------


def session_unlock(request: HttpRequest, kind: str, key: Any) -> None:
    request.session.cycle_key()  # a fresh session id once something is unlocked (no fixation)
    now = time.time()
    unlocked = {k: v for k, v in request.session.get(f"ms_unlocked_{kind}", {}).items() if v > now}
    unlocked[str(key)] = now + UNLOCK_SECONDS
    request.session[f"ms_unlocked_{kind}"] = unlocked


def session_is_unlocked(request: HttpRequest, kind: str, key: Any) -> bool:
    expiry = request.session.get(f"ms_unlocked_{kind}", {}).get(str(key))
    return expiry is not None and expiry > time.time()


def session_lock(request: HttpRequest, kind: str, key: Any) -> None:
    unlocked = dict(request.session.get(f"ms_unlocked_{kind}", {}))
    if unlocked.pop(str(key), None) is not None:
        request.session[f"ms_unlocked_{kind}"] = unlocked
