"""The vocabulary of deadlines: which step a period governs and which event starts it.

Policies (models.Rule) are data over this vocabulary; what a step *means* is code (the transition
table says which action starts, meets, extends or pauses it).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Step(models.TextChoices):
    # Labels name the period itself ("分流期限"), so they read alone on pages and in notices.
    TRIAGE = "triage", _("分流期限")
    ACCEPT = "accept", _("受理告知期限")
    OBJECTION = "objection", _("异议期限")
    HANDLE = "handle", _("办结期限")
    EXTENSION = "extension", _("延期上限")
    REPORT_BACK = "report_back", _("报送办结报告期限")
    REVIEW_REQUEST = "review_request", _("申请复查期限")
    REVIEW = "review", _("复查期限")
    REREVIEW_REQUEST = "rereview_request", _("申请复核期限")
    REREVIEW = "rereview", _("复核期限")


class StepKind(models.TextChoices):
    # A unit must act by the date: it can be overdue.
    DUTY = "duty", _("办理时限")
    # A right that can only be used until the date (the petitioner's review request, the unit's
    # objection): it closes, it is never "overdue".
    WINDOW = "window", _("申请期限")
    # Not a period at all but a cap (the most an extension may add).
    LIMIT = "limit", _("上限")


STEP_KIND: dict[str, str] = {
    Step.TRIAGE: StepKind.DUTY,
    Step.ACCEPT: StepKind.DUTY,
    Step.OBJECTION: StepKind.WINDOW,
    Step.HANDLE: StepKind.DUTY,
    Step.EXTENSION: StepKind.LIMIT,
    Step.REPORT_BACK: StepKind.DUTY,
    Step.REVIEW_REQUEST: StepKind.WINDOW,
    Step.REVIEW: StepKind.DUTY,
    Step.REREVIEW_REQUEST: StepKind.WINDOW,
    Step.REREVIEW: StepKind.DUTY,
}


class StartEvent(models.TextChoices):
    """The event whose day is not counted (CC Art. 201); each is a date on the case."""

    RECEIVED = "received", _("收到信访事项")
    FORWARDED = "forwarded", _("收到转送交办")
    ACCEPTED = "accepted", _("受理信访事项")
    REPLY_DELIVERED = "reply_delivered", _("收到书面答复")
    REVIEW_REQUESTED = "review_requested", _("收到复查请求")
    REVIEW_DELIVERED = "review_delivered", _("收到复查意见")
    REREVIEW_REQUESTED = "rereview_requested", _("收到复核请求")
    SET_BY_ASSIGNER = "set_by_assigner", _("交办时指定")
    RETURNED = "returned", _("异议退回重新分流")


# The Case field that holds the date of each start event.
START_EVENT_FIELD: dict[str, str] = {
    StartEvent.RECEIVED: "received_on",
    StartEvent.FORWARDED: "forwarded_on",
    StartEvent.ACCEPTED: "accepted_on",
    StartEvent.REPLY_DELIVERED: "reply_delivered_on",
    StartEvent.REVIEW_REQUESTED: "review_requested_on",
    StartEvent.REVIEW_DELIVERED: "review_delivered_on",
    StartEvent.REREVIEW_REQUESTED: "rereview_requested_on",
    StartEvent.SET_BY_ASSIGNER: "assigned_on",
    StartEvent.RETURNED: "returned_on",
}


class DayKind(models.TextChoices):
    CALENDAR = "calendar", _("日")
    WORKING = "working", _("工作日")
