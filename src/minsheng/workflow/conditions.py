"""Preconditions of transitions: each returns None when it holds, or a Refusal that says why not
(translated, citing the article). The transition table lists them; docs print their docstrings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minsheng.core.actors import Actor
from minsheng.orgs.models import Unit
from minsheng.orgs.selectors import unit_next_higher
from minsheng.petitions.models import Petition
from minsheng.workflow.deadlines import article_citation, open_deadline, rule_for
from minsheng.workflow.models import Case, Closure, ExtensionStatus
from minsheng.workflow.states import IN_HANDLING, Status
from minsheng.workflow.steps import Step


@dataclass(frozen=True)
class Refusal:
    message: str
    code: str = "precondition"
    article: str = ""
    # A petition the message refers to (the closed matter), so pages and the API can link it.
    petition_id: int | None = None
    petition_number: str = ""
    # The action simply does not apply here (no assignment to report on): pages leave it out.
    quiet: bool = False


@dataclass
class Check:
    """What a precondition may look at. `fields` is None when only listing available actions."""

    actor: Actor
    petition: Petition
    case: Case
    today: dt.date = field(default_factory=timezone.localdate)
    fields: Mapping[str, Any] | None = None

    def field_date(self, name: str) -> dt.date:
        value = (self.fields or {}).get(name)
        return value if isinstance(value, dt.date) else self.today


Precondition = Callable[[Check], Refusal | None]


def labelled(label: Any) -> Callable[[Precondition], Precondition]:
    """Give a precondition the words the action page shows (its docstring is for the docs)."""

    def attach(condition: Precondition) -> Precondition:
        condition.label = label  # type: ignore[attr-defined]
        return condition

    return attach


def label_of(condition: Precondition) -> str:
    return str(getattr(condition, "label", "")) or describe(condition)


def earlier_matter_check(*, earlier: Petition, unit: Unit | None) -> Refusal | None:
    """May `unit` take up a matter that is the same as `earlier`?

    No, when the earlier one was closed after re-review (R22 Art. 36 ¶3), nor when it is accepted
    or in handling below `unit` — a higher body does not accept it again (Art. 19 ¶3).
    """
    case = Case.objects.filter(petition=earlier).only("closure").first()
    if case is not None and case.closure == Closure.REREVIEW:
        return Refusal(
            _(
                "同一事项（编号 %(number)s）已经复核终结，信访人仍以同一事实和理由提出投诉请求的，"
                "不再受理（《信访工作条例》第三十六条第三款）。"
            )
            % {"number": earlier.number},
            code="matter_closed",
            article="R22 Art. 36 ¶3",
            petition_id=earlier.pk,
            petition_number=earlier.number,
        )
    if (
        unit is not None
        and earlier.status in IN_HANDLING
        and earlier.handling_unit.is_within(unit)
        and earlier.handling_unit_id != unit.pk
    ):
        return Refusal(
            _(
                "同一事项（编号 %(number)s）已经受理或者正在办理，上级机关、单位不予受理"
                "（《信访工作条例》第十九条第三款）。"
            )
            % {"number": earlier.number},
            code="matter_in_handling",
            article="R22 Art. 19 ¶3",
            petition_id=earlier.pk,
            petition_number=earlier.number,
        )
    return None


@labelled(gettext_lazy("同一事项未经复核终结（第三十六条第三款），也未在下级正在办理（第十九条第三款）"))
def earlier_matter_allows(check: Check) -> Refusal | None:
    """The same matter was not closed after re-review (Art. 36 ¶3) nor is in handling below (Art. 19 ¶3)."""
    earlier = check.case.earlier
    if earlier is None:
        return None
    return earlier_matter_check(earlier=earlier, unit=check.petition.handling_unit)


@labelled(gettext_lazy("在收到之日起5个工作日的异议期限内（第二十三条第三款）"))
def within_objection_window(check: Check) -> Refusal | None:
    """The objection comes within the objection period from receipt (R22 Art. 23 ¶3: 5 working days)."""
    deadline = open_deadline(check.case, Step.OBJECTION)
    if deadline is None:
        return Refusal(
            _("本件适用的期限政策（%(policy)s）没有规定异议程序，或异议期限已经结束。")
            % {"policy": check.case.ruleset.policy.code},
            code="no_objection_period",
        )
    if check.today > deadline.due:
        return Refusal(
            _(
                "异议应当自收到转送、交办之日起%(length)d个工作日内提出（%(citation)s）：本件于%(start)s收到，"
                "期限已于%(due)s届满。"
            )
            % {
                "length": deadline.length,
                "citation": article_citation(deadline),
                "start": deadline.start_date.isoformat(),
                "due": deadline.due.isoformat(),
            },
            code="objection_late",
            article=f"{deadline.policy_code} {deadline.article_en}",
        )
    return None


def _request_window(check: Check, step: str, delivered: dt.date | None, what: str) -> Refusal | None:
    if delivered is None:
        return Refusal(
            _("%(what)s尚未送达信访人；送达之日起才开始计算申请期限。") % {"what": what}, code="not_delivered"
        )
    deadline = open_deadline(check.case, step)
    if deadline is None:
        return None  # the policy sets no period for this request
    requested = check.field_date("requested_on")
    if requested > deadline.due:
        return Refusal(
            _(
                "请求应当自收到%(what)s之日起%(length)d日内提出（%(citation)s）：%(what)s于%(start)s送达，"
                "期限已于%(due)s届满，本请求于%(requested)s收到，已超过期限。"
            )
            % {
                "what": what,
                "length": deadline.length,
                "citation": article_citation(deadline),
                "start": deadline.start_date.isoformat(),
                "due": deadline.due.isoformat(),
                "requested": requested.isoformat(),
            },
            code="request_late",
            article=f"{deadline.policy_code} {deadline.article_en}",
        )
    return None


@labelled(gettext_lazy("在收到书面答复之日起30日内请求复查（第三十五条）"))
def within_review_window(check: Check) -> Refusal | None:
    """The review request comes within 30 days of the written reply reaching the petitioner (R22 Art. 35)."""
    return _request_window(check, Step.REVIEW_REQUEST, check.case.reply_delivered_on, _("书面答复"))


@labelled(gettext_lazy("在收到复查意见之日起30日内请求复核（第三十六条）"))
def within_rereview_window(check: Check) -> Refusal | None:
    """The re-review request comes within 30 days of the review opinion reaching the petitioner (R22 Art. 36)."""
    return _request_window(check, Step.REREVIEW_REQUEST, check.case.review_delivered_on, _("复查意见"))


@labelled(gettext_lazy("原办理单位有上一级机关、单位（第三十五条）"))
def review_body_exists(check: Check) -> Refusal | None:
    """The deciding unit has a next-higher body to review it (R22 Art. 35)."""
    if unit_next_higher(check.petition.handling_unit) is None:
        return Refusal(
            _("原办理单位没有上一级机关、单位，无法复查（《信访工作条例》第三十五条）。"), code="no_higher_body"
        )
    return None


@labelled(gettext_lazy("复查机关有上一级机关、单位（第三十六条）"))
def rereview_body_exists(check: Check) -> Refusal | None:
    """The reviewing body has a body above it to re-review (R22 Art. 36)."""
    review_unit = check.case.review_unit
    if review_unit is None or unit_next_higher(review_unit) is None:
        return Refusal(
            _("复查机关没有上一级机关、单位，无法复核（《信访工作条例》第三十六条）。"), code="no_higher_body"
        )
    return None


def _cap(check: Check) -> tuple[int, str]:
    rule = rule_for(check.case.ruleset, Step.EXTENSION, check.petition.nature)
    if rule is None:
        return 0, check.case.ruleset.policy.code
    return rule.length, f"{check.case.ruleset.policy.code} {rule.article_display}"


@labelled(gettext_lazy("办理期限正在计算"))
def handling_period_running(check: Check) -> Refusal | None:
    """There is a running handling period to extend."""
    if open_deadline(check.case, Step.HANDLE) is None:
        return Refusal(_("本件没有正在计算的办理期限，无需延期。"), code="no_handling_period", quiet=True)
    return None


@labelled(gettext_lazy("没有待批准的延期申请"))
def no_pending_extension(check: Check) -> Refusal | None:
    """No extension request is waiting for the unit head."""
    if check.case.extensions.filter(status=ExtensionStatus.PENDING).exists():
        return Refusal(_("已有一项延期申请等待单位负责人批准。"), code="extension_pending")
    return None


@labelled(gettext_lazy("有待批准的延期申请"))
def extension_pending(check: Check) -> Refusal | None:
    """An extension request is waiting for the unit head."""
    if not check.case.extensions.filter(status=ExtensionStatus.PENDING).exists():
        return Refusal(_("没有待批准的延期申请。"), code="no_extension_pending", quiet=True)
    return None


@labelled(gettext_lazy("延长合计不超过上限（第三十四条：30日）"))
def extension_within_cap(check: Check) -> Refusal | None:
    """All extensions together stay within the cap (R22 Art. 34: at most 30 days)."""
    cap, citation = _cap(check)
    granted = sum(check.case.extensions.filter(status=ExtensionStatus.APPROVED).values_list("days", flat=True))
    pending = check.case.extensions.filter(status=ExtensionStatus.PENDING).first()
    if check.fields is not None and "days" in check.fields:
        asked = int(check.fields["days"] or 0)
    else:
        asked = pending.days if pending else 1
    if granted + asked > cap:
        return Refusal(
            _("延长期限合计不得超过%(cap)d日（%(citation)s）；已批准%(granted)d日，本次申请%(asked)d日。")
            % {"cap": cap, "citation": citation, "granted": granted, "asked": asked},
            code="extension_over_cap",
            article="R22 Art. 34",
        )
    return None


@labelled(gettext_lazy("书面答复尚未登记送达"))
def decision_not_delivered(check: Check) -> Refusal | None:
    """The written reply has not been recorded as delivered yet."""
    if check.case.reply_delivered_on is not None:
        return Refusal(_("书面答复已经送达。"), code="already_delivered", quiet=True)
    return None


@labelled(gettext_lazy("复查意见尚未登记送达"))
def review_not_delivered(check: Check) -> Refusal | None:
    """The review opinion has not been recorded as delivered yet."""
    if check.case.review_delivered_on is not None:
        return Refusal(_("复查意见已经送达。"), code="already_delivered", quiet=True)
    return None


@labelled(gettext_lazy("信访人申请复查或复核的期限已届满（第三十五条、第三十六条）"))
def request_windows_closed(check: Check) -> Refusal | None:
    """The petitioner's period to ask for review (or re-review) has run out unused (R22 Art. 35–36)."""
    step = Step.REVIEW_REQUEST if check.petition.status == Status.DECIDED else Step.REREVIEW_REQUEST
    delivered = check.case.reply_delivered_on if step == Step.REVIEW_REQUEST else check.case.review_delivered_on
    if delivered is None:
        return Refusal(_("书面答复尚未送达，申请期限尚未开始计算。"), code="not_delivered")
    deadline = open_deadline(check.case, step)
    if deadline is not None and check.today <= deadline.due:
        return Refusal(
            _("信访人仍可在%(due)s前提出申请，期限届满后才能办结归档。") % {"due": deadline.due.isoformat()},
            code="window_open",
        )
    return None


@labelled(gettext_lazy("交办件尚未报送办结报告（第二十二条第三项）"))
def assigned_not_reported(check: Check) -> Refusal | None:
    """The matter was assigned (交办) and its report has not been sent (R22 Art. 22(3))."""
    if check.case.assigning_unit_id is None:
        return Refusal(_("本件不是交办件，无需报送办结报告。"), code="not_assigned", quiet=True)
    if check.case.reported_back_at is not None:
        return Refusal(_("办结报告已经报送。"), code="already_reported", quiet=True)
    return None


@labelled(gettext_lazy("本次复核尚未举行听证"))
def no_hearing_yet(check: Check) -> Refusal | None:
    """No hearing has been held in this re-review yet."""
    if check.case.hearings.exists():
        return Refusal(_("本次复核已经举行过听证。"), code="hearing_held", quiet=True)
    return None


def describe(condition: Precondition) -> str:
    """The first line of a precondition's docstring (for docs and the action pages)."""
    return (condition.__doc__ or condition.__name__).strip().splitlines()[0]


def next_higher(unit: Unit | None) -> Unit | None:
    return unit_next_higher(unit) if unit is not None else None
