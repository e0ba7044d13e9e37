"""A petition's case file: where it stands in the procedure and every deadline it runs against."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from minsheng.orgs.models import Unit
from minsheng.petitions.models import Petition, PetitionEvent
from minsheng.workflow.models.policy import Rule, RuleSet
from minsheng.workflow.steps import DayKind, StartEvent, Step, StepKind


class DeclineChannel(models.TextChoices):
    """Where a matter that is not accepted belongs (诉访分离, R22 Art. 28 ¶2, 31(1)–(5))."""

    LITIGATION = "litigation", _("诉讼、复议或政法机关法定程序")
    ARBITRATION = "arbitration", _("仲裁")
    PARTY_APPEAL = "party_appeal", _("党员申诉、申请复审")
    ADMINISTRATIVE = "administrative", _("行政复议、裁决、确认、许可、处罚等行政程序")
    DUTY = "duty", _("申请查处违法行为或履行保护职责")
    DISCIPLINE = "discipline", _("纪检监察机关")
    OTHER_AUTHORITY = "other_authority", _("其他有权处理的机关、单位")
    CLOSED_MATTER = "closed_matter", _("同一事项已复核终结")
    IN_HANDLING = "in_handling", _("同一事项正在办理")


class Closure(models.TextChoices):
    REREVIEW = "rereview", _("复核终结")
    NO_REVIEW = "no_review", _("未在期限内申请复查复核")
    SETTLED = "settled", _("调解和解")
    REPLIED = "replied", _("已答复")


class Case(models.Model):
    """The procedural record of one petition (OneToOne): dates of the events that start periods,
    the units at each level, and how it ended. Petition.status is the state; this is the rest."""

    petition = models.OneToOneField(Petition, on_delete=models.CASCADE, related_name="case")
    ruleset = models.ForeignKey(RuleSet, verbose_name=_("适用期限规则"), on_delete=models.PROTECT, related_name="cases")
    # Bumped by every transition; with the row lock it makes a lost update impossible.
    version = models.PositiveIntegerField(default=0)
    received_on = models.DateField(_("收到日期"))
    # Triage: the bureau that forwarded or assigned it (an objection sends it back there).
    triage_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    forwarded_on = models.DateField(_("转送交办日期"), null=True, blank=True)
    assigning_unit = models.ForeignKey(
        Unit, verbose_name=_("交办单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_on = models.DateField(null=True, blank=True)
    # An objection (R22 Art. 23 ¶3) returned it to the bureau on this day: triage runs again.
    returned_on = models.DateField(_("异议退回日期"), null=True, blank=True)
    report_back_by = models.DateField(_("报送办结报告期限"), null=True, blank=True)
    reported_back_at = models.DateTimeField(_("报送办结报告时间"), null=True, blank=True)
    urgent_reported_at = models.DateTimeField(_("紧急报告时间"), null=True, blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    decline_channel = models.CharField(_("不予受理的途径"), max_length=20, choices=DeclineChannel.choices, blank=True)
    decline_where = models.CharField(_("告知向何处提出"), max_length=200, blank=True)
    # The day the written reply reached the petitioner starts the review window (R22 Art. 35).
    reply_delivered_on = models.DateField(_("书面答复送达日期"), null=True, blank=True)
    review_unit = models.ForeignKey(
        Unit, verbose_name=_("复查机关"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_requested_on = models.DateField(_("收到复查请求日期"), null=True, blank=True)
    review_delivered_on = models.DateField(_("复查意见送达日期"), null=True, blank=True)
    rereview_unit = models.ForeignKey(
        Unit, verbose_name=_("复核机关"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rereview_requested_on = models.DateField(_("收到复核请求日期"), null=True, blank=True)
    closure = models.CharField(_("终结方式"), max_length=20, choices=Closure.choices, blank=True)
    closed_at = models.DateTimeField(_("终结时间"), null=True, blank=True)
    # The earlier petition on the same matter (重复信访), set by the registrar.
    earlier = models.ForeignKey(
        Petition,
        verbose_name=_("同一事项的原信访事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="later_cases",
    )
    merged_into = models.ForeignKey(
        Petition, verbose_name=_("并入"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged_cases"
    )

    class Meta:
        verbose_name = _("办理案卷")
        verbose_name_plural = _("办理案卷")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(closure="") | models.Q(closed_at__isnull=True), name="case_closure_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"case {self.petition_id}"

    @property
    def is_final(self) -> bool:
        """Closed after re-review: the same matter is not accepted again (R22 Art. 36 ¶3)."""
        return self.closure == Closure.REREVIEW


class DeadlineStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    MET = "met", _("已完成")
    LAPSED = "lapsed", _("已届满")
    CANCELLED = "cancelled", _("已撤销")


class Deadline(models.Model):
    """One period a case runs against, stored with everything needed to explain its date.

    The rule's parameters are copied in (the derivation), so the date can be recomputed and
    explained even after an admin publishes a new rule set; `due` is the last day (the period
    ends at 24:00 of it) and `long_overdue_on` the first day it counts as long overdue.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    # Denormalised from the case: inboxes filter deadlines by the petitions a user may see.
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="deadlines")
    step = models.CharField(_("环节"), max_length=20, choices=Step.choices)
    kind = models.CharField(_("类型"), max_length=10, choices=StepKind.choices)
    # Who must act by the date (null for the petitioner's own windows).
    unit = models.ForeignKey(
        Unit, verbose_name=_("责任单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="deadlines"
    )
    rule = models.ForeignKey(Rule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    policy_code = models.CharField(max_length=16)
    ruleset_version = models.PositiveIntegerField(null=True, blank=True)
    article = models.CharField(max_length=60, blank=True)
    article_en = models.CharField(max_length=60, blank=True)
    start_event = models.CharField(max_length=24, choices=StartEvent.choices)
    start_date = models.DateField()
    length = models.PositiveSmallIntegerField(default=0)
    day_kind = models.CharField(max_length=10, choices=DayKind.choices, default=DayKind.CALENDAR)
    extension = models.PositiveSmallIntegerField(default=0)
    roll_forward = models.BooleanField(default=True)
    # [[first, last], ...] ISO dates of days not counted (hearing time, R22 Art. 36 ¶2).
    pauses = models.JSONField(default=list, blank=True)
    paused_since = models.DateField(null=True, blank=True)
    due = models.DateField(_("到期日"))
    counted_end = models.DateField()
    provisional = models.BooleanField(_("暂定"), default=False)
    # Stored beside `due` so inboxes can filter by plain dates: the first day the deadline counts
    # as due soon, and the first day it counts as long overdue (RuleSet thresholds).
    soon_on = models.DateField(null=True, blank=True)
    long_overdue_on = models.DateField(null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    started_event = models.ForeignKey(PetitionEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    closed_event = models.ForeignKey(PetitionEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    recomputed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("期限")
        verbose_name_plural = _("期限")
        constraints = [
            # One running period per step: a second "start" of the same step is a bug.
            models.UniqueConstraint(
                fields=["case", "step"], condition=models.Q(status="open"), name="deadline_one_open_per_step"
            ),
            models.CheckConstraint(
                condition=models.Q(status="open") | models.Q(closed_at__isnull=False), name="deadline_closed_has_time"
            ),
        ]
        indexes = [
            # inboxes: open deadlines of a unit by date (overdue, due soon)
            models.Index(fields=["unit", "status", "due"], name="deadline_unit_due_idx"),
            # the recompute job and the overdue scan: open deadlines by date
            models.Index(fields=["status", "due"], name="deadline_status_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.step} {self.due}"

    @property
    def is_open(self) -> bool:
        return self.status == DeadlineStatus.OPEN
