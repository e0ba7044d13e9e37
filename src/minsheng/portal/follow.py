"""Following a matter without an account: the query code (80 bits, only its keyed hash stored)
and, when a phone was given, the last four digits of that phone as a second factor."""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minsheng.core.actors import Actor
from minsheng.petitions.events import ACTION_LABELS
from minsheng.petitions.models import Petition, PetitionEvent
from minsheng.petitions.services import normalise_query_code, query_code_hash
from minsheng.portal.models import Rating
from minsheng.workflow.models import DecisionKind
from minsheng.workflow.public import PetitionerView, PublicDocument

UNLOCK_SECONDS = 30 * 60
# The written answers a petitioner rates (R22 Art. 32, 35, 36 and the reply to other matters).
RATEABLE = frozenset({DecisionKind.DECISION, DecisionKind.REVIEW, DecisionKind.REREVIEW, DecisionKind.REPLY})
# The petitioner's words for the workflow rows they may take online (staff read 受理复查请求).
REQUEST_LABELS = {"request_review": gettext_lazy("请求复查"), "request_rereview": gettext_lazy("请求复核")}


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


# --- The workflow's part of the follow page ------------------------------------------------------


@dataclass(frozen=True)
class DocumentRow:
    document: PublicDocument
    rating: Rating | None


@dataclass(frozen=True)
class RequestOption:
    """A review or re-review request the petitioner may make now (refusal None), or why not."""

    action: str
    label: str
    article: str
    refusal: str


@dataclass(frozen=True)
class WorkflowPart:
    view: PetitionerView
    documents: list[DocumentRow]
    # The latest document not yet rated: the rating form is for it.
    to_rate: PublicDocument | None
    poor: Rating | None
    requests: list[RequestOption]
    # Why no request can be made any more (closed after re-review, the window lapsed), or "".
    no_request: str


def workflow_part(petition: Petition) -> WorkflowPart:
    """What the workflow owes this petitioner, read through the workflow's own selectors."""
    from minsheng.workflow.models import Case, Closure
    from minsheng.workflow.public import petitioner_view
    from minsheng.workflow.selectors import actions_for

    view = petitioner_view(petition)
    ratings = {r.decision_id: r for r in Rating.objects.filter(petition=petition)}
    rows = [DocumentRow(document=d, rating=ratings.get(d.decision_id)) for d in view.documents]
    rateable = [d for d in view.documents if d.kind in RATEABLE]
    latest = rateable[-1] if rateable else None
    to_rate = latest if latest is not None and latest.decision_id not in ratings else None
    latest_rating = ratings.get(latest.decision_id) if latest is not None else None
    poor = latest_rating if latest_rating is not None and latest_rating.is_poor else None
    requests = [
        RequestOption(
            action=a.row.name,
            label=str(REQUEST_LABELS[a.row.name]),
            article=str(a.row.article),
            refusal=a.refusal.message if a.refusal else "",
        )
        for a in actions_for(actor=Actor.citizen("portal"), petition=petition)
        if a.row.name in REQUEST_LABELS
    ]
    no_request = ""
    if not requests and latest is not None:
        case = Case.objects.filter(petition=petition).only("closure").first()
        closure = case.closure if case is not None else ""
        if closure == Closure.REREVIEW:
            no_request = _(
                "复核意见是终结意见：对复核意见不服、仍以同一事实和理由提出的，不再受理（《信访工作条例》第三十六条第三款）。"
            )
        elif closure == Closure.NO_REVIEW:
            no_request = _(
                "请求复查或复核的期限已经届满，本事项已办结（《信访工作条例》第三十五条、第三十六条），不能再在网上请求。"
            )
    return WorkflowPart(view=view, documents=rows, to_rate=to_rate, poor=poor, requests=requests, no_request=no_request)
